"""Where the tests find the project's own files.

Under nox the suite runs from a copy beside the installed wheel, so the checkout
is named by WAGTAIL_EVIDENCE_SOURCE; otherwise it is the folder above tests/.
"""

import os
from pathlib import Path


DEFAULT_SCREENSHOTS = "build/screenshots"
SOURCE = Path(
    os.environ.get("WAGTAIL_EVIDENCE_SOURCE") or Path(__file__).resolve().parents[1]
)
# The shared security corpus: hostile input gathered from public sources, one
# JSON object a line, each with its source (bad-urls.jsonl: 60 hostile web
# addresses, by category; xss-payloads.jsonl: 420 XSS and mutation-XSS payloads,
# with their licence). It is not part of the repository: it sits in a folder
# beside the checkout, ../shared/security/, where CI's machine keeps it (.ci/run
# stops without it). Tests that read it skip where it is absent; the suite's own
# cases run everywhere.
SECURITY_DATA = SOURCE.parent / "shared" / "security"
SECURITY_DATA_ABSENT = (
    f"the shared security corpus is absent ({SECURITY_DATA}): it is kept beside "
    "the checkout, not in the repository (CONTRIBUTING.md says where it comes from)"
)
# Where the browser tests save the pictures they take of the admin and the reader
# page. By default build/screenshots, which git ignores, so that a test run
# leaves the checkout as it was; `make screenshots` names docs/screenshots to
# refresh the docs' pictures on purpose. A relative path is from the checkout
# (under nox the tests run from a copy).
SCREENSHOTS = SOURCE / (
    os.environ.get("WAGTAIL_EVIDENCE_SCREENSHOTS") or DEFAULT_SCREENSHOTS
)
TESTING_THE_WHEEL = os.environ.get("WAGTAIL_EVIDENCE_TEST_WHEEL") == "1"

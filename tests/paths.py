"""Where the tests find the project's own files.

Under nox the suite runs from a copy beside the installed wheel, so the checkout
is named by WAGTAIL_EVIDENCE_SOURCE; otherwise it is the folder above tests/.
"""

import os
import tempfile
from pathlib import Path


SOURCE = Path(os.environ.get("WAGTAIL_EVIDENCE_SOURCE") or Path(__file__).resolve().parents[1])
# The shared test data sits beside the project (DESIGN.md, section 6).
SECURITY_DATA = SOURCE.parent / "shared" / "security"
# The docs' screenshots come from the main cell of the version matrix; the other
# cells (another Wagtail, another Django) take theirs aside.
if os.environ.get("WAGTAIL_EVIDENCE_SCREENSHOTS", "1") == "1":
    SCREENSHOTS = SOURCE / "docs" / "screenshots"
else:
    SCREENSHOTS = Path(tempfile.gettempdir()) / "wagtail-evidence-screenshots"
TESTING_THE_WHEEL = os.environ.get("WAGTAIL_EVIDENCE_TEST_WHEEL") == "1"

"""The demo newsroom's own tests: what `load_demo` builds, the demo article as
its readers and the API get it, its translations, its migrations, its load test
and its pages in a browser. They run on the demo's settings, in a run of their
own (tests/conftest.py keeps the two runs apart):

    pytest --ds tests.demo.settings tests/demo

The package's other tests run on the suite's own site, tests/testapp, so the
demo can change without them noticing.
"""

import io
import os

import pytest
from django.core.management import call_command


if os.environ.get("DJANGO_SETTINGS_MODULE") != "tests.demo.settings":
    raise pytest.UsageError(
        "tests/demo runs on the demo's settings: "
        "pytest --ds tests.demo.settings tests/demo"
    )

DEMO_PASSWORD = "demo-password-for-tests"


@pytest.fixture
def demo(db):
    """The demo newsroom from `load_demo`: users, evidence and the article."""
    out = io.StringIO()
    call_command("load_demo", password=DEMO_PASSWORD, stdout=out)
    from newsroom.models import ArticlePage

    return ArticlePage.objects.get(slug="syrian-fighters-nagorno-karabakh")

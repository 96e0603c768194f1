"""The package's system checks on the demo: `make demo`, run once or twice, leaves
a site that raises no warning (every article, in every language, under the
evidence check). The checks themselves are tested on the suite's own site
(tests/test_checks.py)."""

import io

from django.core.checks import run_checks
from django.core.management import call_command
from wagtail.models import Locale, WorkflowPage

from wagtail_evidence import checks


def found_with_database(check_id):
    return [
        message
        for message in run_checks(tags=[checks.TAG], databases=["default"])
        if message.id == check_id
    ]


def make_demo():
    """What `make demo` runs once the database is migrated."""
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo_translations", stdout=io.StringIO())


def check_database():
    """`manage.py check --database default`, as `migrate` runs it on a second
    `make demo`: what it prints."""
    out, err = io.StringIO(), io.StringIO()
    call_command("check", databases=["default"], stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_w002_is_quiet_after_load_demo(demo):
    assert found_with_database("wagtail_evidence.W002") == []


def test_a_first_and_a_second_make_demo_leave_no_warning(db):
    make_demo()
    assert found_with_database("wagtail_evidence.W002") == []
    make_demo()
    assert "System check identified no issues" in check_database()


def test_translations_made_before_their_workflow_get_it_on_the_next_run(db):
    make_demo()
    WorkflowPage.objects.filter(
        page__locale__in=Locale.objects.exclude(language_code="en")
    ).delete()
    assert "wagtail_evidence.W002" in check_database()
    call_command("load_demo_translations", stdout=io.StringIO())
    assert "System check identified no issues" in check_database()

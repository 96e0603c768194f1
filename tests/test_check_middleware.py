"""E001: a project without EvidenceGateMiddleware cannot start unawares.

Without the middleware a refusal by the gate during bulk publish or a workflow
approval reaches the editor as a server error (the paths themselves are tested
with it in test_go_live_paths.py), so `manage.py check` (and runserver, migrate)
stops with an error that names the line to add."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from wagtail_evidence.checks.middleware import GATE_MIDDLEWARE
from wagtail_evidence.editorial.middleware import EvidenceGateMiddleware


# From Django 6.1, `check --tag wagtail_evidence` also runs the package's
# database check (W002) on every database, so these tests need one.
pytestmark = pytest.mark.django_db


class NewsroomGateMiddleware(EvidenceGateMiddleware):
    """A project's own subclass, as a site that adds to the redirect might write."""


def run_check():
    out = io.StringIO()
    call_command("check", "--tag", "wagtail_evidence", stdout=out, stderr=out)
    return out.getvalue()


def without_gate(middleware):
    return [path for path in middleware if "EvidenceGateMiddleware" not in path]


def test_the_check_stops_a_project_without_the_middleware_and_says_what_to_add(
    settings,
):
    settings.MIDDLEWARE = without_gate(settings.MIDDLEWARE)
    with pytest.raises(SystemCheckError) as error:
        run_check()
    message = str(error.value)
    assert (
        "(wagtail_evidence.E001) EvidenceGateMiddleware is not in MIDDLEWARE" in message
    )
    assert f"HINT: Add '{GATE_MIDDLEWARE}' at the end of MIDDLEWARE." in message


@pytest.mark.parametrize(
    "path",
    [
        GATE_MIDDLEWARE,
        f"{__name__}.NewsroomGateMiddleware",
        # Its path before the redesign, which still imports (with a warning).
        "wagtail_evidence.middleware.EvidenceGateMiddleware",
    ],
)
def test_the_check_is_quiet_with_the_middleware_a_subclass_or_its_old_path(
    settings, path
):
    others = without_gate(settings.MIDDLEWARE)
    settings.MIDDLEWARE = [*others, path]
    assert "E001" not in run_check()
    # and the check did look: without the line, it fails
    settings.MIDDLEWARE = others
    with pytest.raises(SystemCheckError):
        run_check()

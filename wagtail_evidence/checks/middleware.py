"""E001: the middleware that turns a refused publish into a message is missing."""

from django.conf import settings
from django.core.checks import Error, register

from wagtail_evidence.checks.common import TAG, contains_subclass


GATE_MIDDLEWARE = "wagtail_evidence.editorial.middleware.EvidenceGateMiddleware"


@register(TAG)
def check_gate_middleware(app_configs, **kwargs):
    if contains_subclass(GATE_MIDDLEWARE, settings.MIDDLEWARE):
        return []
    # An error, not a warning: without it a refusal is a server error for the
    # editor, and a site that starts anyway shows them one on their first refusal.
    return [
        Error(
            "EvidenceGateMiddleware is not in MIDDLEWARE, so when the evidence gate "
            "or the evidence check refuses an action that Wagtail does not validate "
            "(bulk publish, approving a workflow's last task), the editor gets a "
            "server error instead of a message saying why. Nothing goes live either "
            "way.",
            hint=f"Add '{GATE_MIDDLEWARE}' at the end of MIDDLEWARE.",
            id="wagtail_evidence.E001",
        )
    ]

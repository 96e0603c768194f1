"""W001: wagtail_evidence must come before wagtail in INSTALLED_APPS."""

from django.conf import settings
from django.core.checks import Warning, register

from wagtail_evidence.checks.common import TAG


@register(TAG)
def check_app_order(app_configs, **kwargs):
    return app_order_warnings(list(settings.INSTALLED_APPS))


def app_order_warnings(installed_apps):
    if "wagtail" not in installed_apps or "wagtail_evidence" not in installed_apps:
        return []
    if installed_apps.index("wagtail_evidence") < installed_apps.index("wagtail"):
        return []
    return [
        Warning(
            "wagtail_evidence is listed after wagtail in INSTALLED_APPS, so Wagtail's "
            "publish_scheduled runs instead of the package's, and stops at the first "
            "scheduled article the evidence gate refuses.",
            hint="Move 'wagtail_evidence' above 'wagtail' in INSTALLED_APPS.",
            id="wagtail_evidence.W001",
        )
    ]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailEvidenceAppConfig(AppConfig):
    name = "wagtail_evidence"
    label = "wagtail_evidence"
    verbose_name = _("Wagtail evidence")
    default_auto_field = "django.db.models.BigAutoField"

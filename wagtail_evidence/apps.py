from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailEvidenceAppConfig(AppConfig):
    name = "wagtail_evidence"
    label = "wagtail_evidence"
    verbose_name = _("Wagtail evidence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail_evidence import checks  # noqa: F401  registers the system checks
        from wagtail_evidence.signal_handlers import register_signal_handlers

        register_signal_handlers()

        from wagtail_evidence.purge import register_purge_handlers

        register_purge_handlers()

        from wagtail_evidence.warming import register_warming_handlers

        register_warming_handlers()

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column, StatusTagColumn, UpdatedAtColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_evidence.models import Evidence
from wagtail_evidence.panels import evidence_edit_handler
from wagtail_evidence.views.delete import EvidenceDeleteBulkAction, EvidenceDeleteView


class BadgeColumn(Column):
    """The derived badge, as readers will see it."""

    def get_value(self, instance):
        return instance.badge.label


def publication_status_column():
    # Not Wagtail's LiveStatusTagColumn: its status_string asks the workflow
    # tables about every row; publication_status reads the row alone.
    return StatusTagColumn(
        "publication_status", label=_("Status"), primary=lambda instance: instance.live
    )


class EvidenceViewSet(SnippetViewSet):
    model = Evidence
    icon = "media"
    menu_label = pgettext_lazy("admin menu: every evidence record", "Evidence")
    menu_name = "evidence"
    menu_order = 250
    add_to_admin_menu = True
    edit_handler = evidence_edit_handler
    list_display = [
        "title",
        BadgeColumn("badge", label=_("Badge")),
        "warning_level",
        "provider",
        UpdatedAtColumn(),
        publication_status_column(),
    ]
    list_filter = ["verdict", "warning_level", "provider", "display"]
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields_exclude = ["render_token", "original_file_hashed_from"]
    # Deleting lists the articles citing the record, in the view and in bulk.
    delete_view_class = EvidenceDeleteView
    delete_template_name = "wagtail_evidence/admin/confirm_delete.html"

    def on_register(self):
        super().on_register()
        # After Wagtail's own snippet delete action (order 0), so it replaces it for Evidence.
        hooks.register("register_bulk_action", EvidenceDeleteBulkAction, order=1)

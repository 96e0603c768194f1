from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_evidence.models import Evidence
from wagtail_evidence.panels import evidence_edit_handler


class BadgeColumn(Column):
    """The derived badge, as readers will see it."""

    def get_value(self, instance):
        return instance.badge.label


class EvidenceViewSet(SnippetViewSet):
    model = Evidence
    icon = "media"
    menu_label = _("Evidence")
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
        LiveStatusTagColumn(),
    ]
    list_filter = ["verdict", "warning_level", "provider", "display"]
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields_exclude = ["render_token", "original_file_hashed_from"]

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_evidence.models import Evidence
from wagtail_evidence.panels import evidence_edit_handler
from wagtail_evidence.views.chooser import EvidenceChooserViewSet
from wagtail_evidence.views.columns import BadgeColumn, publication_status_column
from wagtail_evidence.views.copy import EvidenceCopyView
from wagtail_evidence.views.delete import EvidenceDeleteBulkAction, EvidenceDeleteView
from wagtail_evidence.views.edit import EvidenceEditView
from wagtail_evidence.views.listing import EvidenceIndexView
from wagtail_evidence.views.workflow import EvidenceConfirmWorkflowCancellationView


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
    index_view_class = EvidenceIndexView
    # Copying makes a new draft without the desk's findings (views/copy.py); a
    # stale form is refused (views/edit.py); only users who work on evidence
    # may choose it (views/chooser.py).
    copy_view_class = EvidenceCopyView
    edit_view_class = EvidenceEditView
    chooser_viewset_class = EvidenceChooserViewSet
    confirm_workflow_cancellation_view_class = EvidenceConfirmWorkflowCancellationView
    # Deleting lists the articles citing the record, in the view and in bulk.
    delete_view_class = EvidenceDeleteView
    delete_template_name = "wagtail_evidence/admin/confirm_delete.html"

    def on_register(self):
        super().on_register()
        # After Wagtail's own snippet delete action (order 0), so it replaces it for Evidence.
        hooks.register("register_bulk_action", EvidenceDeleteBulkAction, order=1)

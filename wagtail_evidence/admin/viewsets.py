from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_evidence.admin.panels import evidence_edit_handler
from wagtail_evidence.admin.views.chooser import EvidenceChooserViewSet
from wagtail_evidence.admin.views.columns import BadgeColumn, publication_status_column
from wagtail_evidence.admin.views.copy import EvidenceCopyView
from wagtail_evidence.admin.views.create import EvidenceCreateView
from wagtail_evidence.admin.views.delete import (
    EvidenceDeleteBulkAction,
    EvidenceDeleteView,
)
from wagtail_evidence.admin.views.edit import EvidenceEditView
from wagtail_evidence.admin.views.filters import EvidenceFilterSet
from wagtail_evidence.admin.views.inspect import EvidenceInspectView
from wagtail_evidence.admin.views.listing import EvidenceIndexView
from wagtail_evidence.admin.views.workflow import (
    EvidenceConfirmWorkflowCancellationView,
)
from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.models import Evidence


try:
    from wagtail.permissions import register_permission_policy
except ImportError:  # Wagtail 7.4 has no registry: the viewset carries the policy
    register_permission_policy = None


class EvidenceViewSet(SnippetViewSet):
    model = Evidence
    if register_permission_policy is None:
        permission_policy = evidence_permission_policy
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
        Column("platform_label", label=_("Platform"), sort_key="provider"),
        UpdatedAtColumn(),
        publication_status_column(),
    ]
    filterset_class = EvidenceFilterSet
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields_exclude = ["render_token", "original_file_hashed_from"]
    inspect_view_class = EvidenceInspectView  # a warned record's poster is covered
    index_view_class = EvidenceIndexView
    # Copying makes a new draft without the desk's findings (views/copy.py); a
    # stale form is refused (views/edit.py); only users who work on evidence
    # may choose it (views/chooser.py).
    copy_view_class = EvidenceCopyView
    # One create form makes one record, autosave or not (views/create.py).
    add_view_class = EvidenceCreateView
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


def register_evidence_snippet():
    """The permission policy first (Wagtail 8 looks policies up in its
    registry), then the snippet."""
    if register_permission_policy is not None:
        register_permission_policy(Evidence, evidence_permission_policy)
    register_snippet(EvidenceViewSet)

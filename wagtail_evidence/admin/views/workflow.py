"""The Evidence workflow's confirmation of a cancellation, behind the change
permission: Wagtail's snippet view asks for admin access alone, and showed any
admin user a record in review."""

from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.snippets.views.snippets import ConfirmWorkflowCancellationView


class EvidenceConfirmWorkflowCancellationView(
    PermissionCheckedMixin, ConfirmWorkflowCancellationView
):
    permission_required = "change"

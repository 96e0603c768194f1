"""The evidence-check workflow task for articles.

A group approval task whose approval is refused, with the failing items named,
while the article's evidence check fails (wagtail_evidence.editorial.evidence_check). It
sits in a workflow like any task, before or after Wagtail's own group approval.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

from wagtail_evidence.editorial.evidence_check import (
    require_check_passes,
    workflow_object,
)


class EvidenceCheckTask(AbstractGroupApprovalTask):
    class Meta:
        verbose_name = _("Evidence check")
        verbose_name_plural = _("Evidence checks")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve an article only when every piece "
            "of evidence it cites is published, carries a warning where it is "
            "distressing and, where it is not fully verified, the article says so."
        )

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            # Approval always opens the checklist first.
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Check evidence and approve"), True),
            ]
        return []

    def get_template_for_action(self, action):
        if action == "approve":
            return "wagtail_evidence/admin/evidence_check_modal.html"
        return super().get_template_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            # What would go live: the latest revision, as WorkflowState.finish publishes it.
            require_check_passes(workflow_object(task_state.workflow_state))
        redirect_to = super().on_action(task_state, user, action_name, **kwargs)
        return redirect_to or self.landing_after_action(task_state, user)

    def landing_after_action(self, task_state, user):
        """Where the reviewer goes after acting, or None for Wagtail's choice (the
        page's editor). The desk usually may review an article but not edit it:
        it lands on the dashboard, whose "Awaiting your review" is its queue,
        instead of on an editor that answers with a refusal."""
        content = task_state.workflow_state.content_object
        permissions_for_user = getattr(content, "permissions_for_user", None)
        if (
            permissions_for_user is not None
            and not permissions_for_user(user).can_edit()
        ):
            return reverse("wagtailadmin_home")
        return None

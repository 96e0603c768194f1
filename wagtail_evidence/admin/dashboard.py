"""The dashboard panel: evidence waiting for the verification desk."""

from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from wagtail_evidence.choices import Verdict
from wagtail_evidence.editorial.evidence_check import check_object, workflow_object
from wagtail_evidence.models import Evidence, EvidenceCheckTask


class AwaitingVerificationPanel(Component):
    name = "evidence_awaiting_verification"
    order = 215  # beside Wagtail's "awaiting your review" (220)
    template_name = "wagtail_evidence/admin/awaiting_verification_panel.html"
    limit = 10

    def get_context_data(self, parent_context):
        waiting = Evidence.objects.filter(verdict=Verdict.PENDING).order_by("-pk")
        return {
            "records": list(waiting[: self.limit]),
            "total": waiting.count(),
            "register_url": reverse("wagtail_evidence:register")
            + f"?verdict={Verdict.PENDING}",
        }


class AwaitingEvidenceCheckPanel(Component):
    """Articles in an evidence-check task the user moderates, each with whether
    its check passes now, so a moderator starts with those ready to approve."""

    name = "evidence_check_awaiting"
    order = 216
    template_name = "wagtail_evidence/admin/awaiting_evidence_check_panel.html"
    limit = 10

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        tasks = EvidenceCheckTask.objects.filter(active=True)
        if not user.is_superuser:
            tasks = tasks.filter(groups__in=user.groups.all())
        states = TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS, task__in=tasks
        ).order_by("-started_at")
        finder = AdminURLFinder(user)
        articles = []
        for state in states.select_related("workflow_state")[: self.limit]:
            obj = workflow_object(state.workflow_state)
            if obj is None:
                continue
            failing = [item for item in check_object(obj) if not item.passed]
            articles.append(
                {
                    "object": obj,
                    "edit_url": finder.get_edit_url(obj),
                    "failing": len(failing),
                }
            )
        return {"articles": articles, "total": states.count()}

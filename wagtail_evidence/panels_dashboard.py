"""The dashboard panel: evidence waiting for the verification desk."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from wagtail_evidence.choices import Verdict
from wagtail_evidence.models import Evidence


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
            "register_url": reverse("wagtail_evidence:register") + f"?verdict={Verdict.PENDING}",
        }

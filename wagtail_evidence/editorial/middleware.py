from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from wagtail_evidence.editorial.gate import EvidenceGateError


class EvidenceGateMiddleware:
    """Turns a publish blocked by the evidence gate during an admin action that
    Wagtail does not validate (approving a workflow's last task, bulk publish),
    or an approval the evidence check refuses, into messages on the page the
    user came from, instead of a server error. The action itself was rolled
    back: nothing went live and the task stays in progress."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, EvidenceGateError):
            return None
        for message in exception.messages:
            messages.error(request, message)
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}
        ):
            back = reverse("wagtailadmin_home")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # A workflow modal: it follows a "success" step's redirect itself.
            return JsonResponse({"step": "success", "redirect": back})
        return redirect(back)

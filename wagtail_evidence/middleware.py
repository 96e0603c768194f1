from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from wagtail_evidence.gate import EvidenceGateError


class EvidenceGateMiddleware:
    """Turns a publish blocked by the evidence gate during an admin action that
    Wagtail does not validate (approving a workflow's last task, bulk publish)
    into a message on the page the user came from, instead of a server error.
    The action itself was rolled back: nothing went live."""

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
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("wagtailadmin_home")
        return redirect(back)

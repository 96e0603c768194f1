"""The publish button meets the gate after Wagtail has saved the draft.

Wagtail's page editor saves the new revision, then asks the
``before_publish_page`` hooks. Refused there, the editor is told first that
the changes are kept as a draft, then why the article cannot go live, with a
link to each record to fix, on the edit page itself. A refusal as a form error
would start with "The page could not be saved" and keep nothing.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from wagtail_evidence.blocks.walk import stream_values
from wagtail_evidence.editorial.gate import (
    cannot_go_live,
    gate_problem,
    refused_evidence,
)
from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.i18n import format_pattern, isolate


def refuse_publish_keeping_the_draft(request, page):
    refused = refused_evidence(stream_values(page))
    if not refused:
        return None
    messages.warning(
        request, _("Your changes are saved as a draft. The article was not published.")
    )
    may_edit = evidence_permission_policy.user_has_permission(request.user, "change")
    for evidence, _problem in refused:
        (sentence,) = cannot_go_live([gate_problem(evidence, html=True)], html=True)
        buttons = []
        if evidence is not None and may_edit:
            buttons.append(
                messages.button(
                    reverse(
                        "wagtailsnippets_wagtail_evidence_evidence:edit",
                        args=[evidence.pk],
                    ),
                    format_pattern(
                        _("Open “%(title)s”"), {"title": isolate(evidence.title)}
                    ),
                )
            )
        messages.error(request, sentence, buttons=buttons)
    return redirect("wagtailadmin_pages:edit", page.pk)

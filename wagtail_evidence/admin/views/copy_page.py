"""Wagtail's page copy, all or nothing under the evidence gate.

The model refuses a live copy of an article the gate refuses
(wagtail_evidence.editorial.gate.gate_save), but Wagtail's copy view would let that
refusal escape as a server error, halfway through a section copied page by page.
This view, which answers POSTs of Wagtail's copy form from the
``before_copy_page`` hook, checks every page that would be copied live first,
runs the copy in a transaction, and shows any refusal on the copy form.

It refuses the whole copy rather than making the offending pages draft copies:
the user asked for live copies, and a section copied live with some of its
articles quietly missing from the site is easily published unnoticed. Unticking
"publish copies" makes every copy a draft, which the gate always lets through.
"""

from django.contrib import messages
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.generic import FormView
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.utils import get_valid_next_url_from_request

from wagtail_evidence.blocks.walk import stream_values
from wagtail_evidence.editorial.gate import EvidenceGateError, problems_in
from wagtail_evidence.models import EvidenceArticleMixin


try:
    from wagtail.admin.views.pages.copy import CopyView
except (
    ImportError
):  # Wagtail 7.4: the copy view is a function; see refuse_before_copy()
    from django.views.generic import View as CopyView


def gated_copy(request, page):
    """The response to a POST of the copy form, or None to let Wagtail's run."""
    if hasattr(CopyView, "form_class"):
        return GatedCopyView.as_view(page=page)(request, page_id=page.pk)
    return refuse_before_copy(request, page)


def refuse_before_copy(request, page):
    """Wagtail 7.4: check before its function view copies, and answer a refusal
    with its copy form. The copy itself then runs outside a transaction, so
    evidence withdrawn during it is refused by the model on the page it meets."""
    form_class = getattr(page.specific_class, "copy_form_class", CopyForm)
    form = form_class(request.POST, user=request.user, page=page)
    if not form.is_valid():
        return None  # Wagtail shows the form's own errors
    pages = pages_copied_live(page, form.cleaned_data, request.user, page.get_parent())
    refusals = copy_refusals(
        pages, latest_drafts_go_live=not form.cleaned_data.get("alias")
    )
    if not refusals:
        return None
    add_refusals(request, form, refusals)
    context = {
        "page": page,
        "form": form,
        "next": get_valid_next_url_from_request(request),
    }
    return TemplateResponse(request, "wagtailadmin/pages/copy.html", context)


def pages_copied_live(page, data, user, default_parent):
    """The pages whose copies would be live, as Wagtail's copy decides."""
    if not data.get("alias"):  # an alias of a live page is always live
        parent = data["new_parent_page"] or default_parent
        if not (
            data.get("publish_copies")
            and parent.permissions_for_user(user).can_publish_subpage()
        ):
            return []
    pages = (
        page.get_descendants(inclusive=True)
        if data.get("copy_subpages")
        else type(page).objects.filter(pk=page.pk)
    )
    return pages.live().specific()


def add_refusals(request, form, refusals):
    # The errors sit under the choice that makes the copies live: Wagtail's
    # copy form shows no errors of the form as a whole.
    field = "alias" if form.cleaned_data.get("alias") else "publish_copies"
    for refusal in refusals:
        form.add_error(field, refusal)
    if field == "publish_copies":
        form.add_error(
            field,
            _(
                "Untick “%(label)s” to copy as drafts, or ask the verification desk to publish the evidence first."
            )
            % {"label": form.fields[field].label},
        )
    messages.error(
        request,
        _(
            "Nothing was copied: a copy would go live citing evidence readers must not see."
        ),
    )


class GatedCopyView(CopyView):
    page = None  # the page to copy, as Wagtail's CopyView.dispatch found it

    def dispatch(self, request, page_id, *args, **kwargs):
        # Reached from Wagtail's own CopyView.dispatch, which has checked the
        # user may copy the page and run the other before_copy_page hooks.
        self.parent_page = self.page.get_parent()
        self.next_url = get_valid_next_url_from_request(request)
        return FormView.dispatch(self, request, page_id, *args, **kwargs)

    def form_valid(self, form):
        refusals = copy_refusals(
            self.pages_copied_live(form),
            latest_drafts_go_live=not form.cleaned_data.get("alias"),
        )
        if not refusals:
            try:
                with transaction.atomic():
                    return super().form_valid(form)
            except EvidenceGateError as refusal:  # what changed since the check
                if refusal.instance is None:
                    raise
                refusals = [
                    copy_refusal(refusal.instance, problem)
                    for problem in refusal.problems
                ]
        return self.refuse(form, refusals)

    def pages_copied_live(self, form):
        return pages_copied_live(
            self.page, form.cleaned_data, self.request.user, self.parent_page
        )

    def refuse(self, form, refusals):
        add_refusals(self.request, form, refusals)
        return self.form_invalid(form)


def copy_refusals(pages, latest_drafts_go_live=True):
    """Why live copies of these pages may not be made: a sentence per problem,
    naming the page. A copy shows the page's live version; a copy with its
    revisions also gets the page's latest draft as its live revision."""
    refusals = []
    for page in pages:
        if not (page.live and isinstance(page, EvidenceArticleMixin)):
            continue  # a draft's copy is a draft
        live_problems = problems_in(stream_values(page))
        refusals += [copy_refusal(page, problem) for problem in live_problems]
        if latest_drafts_go_live and page.latest_revision_id not in (
            None,
            page.live_revision_id,
        ):
            draft_problems = problems_in(
                stream_values(page.get_latest_revision_as_object())
            )
            refusals += [
                _(
                    "The copy of “%(title)s” cannot go live, because a copy goes live with the page's latest draft: %(problem)s"
                )
                % {"title": page.title, "problem": problem}
                for problem in draft_problems
                if problem not in live_problems
            ]
    return refusals


def copy_refusal(page, problem):
    return _("The copy of “%(title)s” cannot go live: %(problem)s") % {
        "title": page.title,
        "problem": problem,
    }

"""The publish gate: an article cannot go live while it cites draft or deleted
evidence, or evidence marked as distressing that carries no warning.

Every path by which an article goes live, and where the gate meets it
(tests/test_go_live_paths.py walks them all):

- The publish button, on the edit or create form, and on the form the history's
  "revert" opens with an older revision: ``EvidenceArticleForm.clean()`` refuses
  it as a form error, before anything is saved. Saving the draft is allowed.
- Workflow approval of the last task, from the dialog (posted over AJAX or not)
  or from the editor's approve button: ``WorkflowState.finish()`` publishes the
  latest revision, whose save raises ``EvidenceGateError`` from
  ``EvidenceArticleMixin.save()``; ``TaskState.approve()`` is atomic, so the task
  stays in progress, and ``EvidenceGateMiddleware`` shows the refusal where the
  user was (the dialog gets a redirect to it). The evidence-check task refuses
  earlier, in ``EvidenceCheckTask.on_action()``.
- Bulk publish, ``revision.publish()`` in code, the v3 API's publish action:
  the same save raises; the middleware shows it to admin users. The admin
  API's page actions (publish, copy, create_alias) answer it with a 400.
- Scheduled publishing: the same save raises inside Wagtail's command; the
  package's ``publish_scheduled`` takes the refused article off the schedule,
  says why, and publishes the rest.
- Page copy, alone or with its subpages, and aliases: a copy of a live page is
  live only with "publish copies" ticked (an alias always). Wagtail saves each
  copied descendant with ``clean=False`` and then makes the copy's latest draft
  its live revision with an ``update_fields`` save, so ``check_save()`` also
  gates a new row saved live, whatever ``clean`` says, and a save that sets the
  live revision and the publication date. In the admin,
  ``views.copy_page.GatedCopyView`` (serving the copy form's POST from the
  ``before_copy_page`` hook) checks every page first and runs the copy in a
  transaction: a refusal refuses the whole copy, as errors on the copy form,
  middleware or not. Copies made without "publish copies" are drafts and pass.
  ``page.copy()`` in code raises ``EvidenceGateError``; Wagtail copies outside
  any transaction, so callers wanting all or nothing should open one.
  On Wagtail 7.4, whose copy view is a function, the hook checks first and
  answers with the copy form, but the copy runs outside a transaction: evidence
  withdrawn during a section copy stops it at the page that meets it.
- Page move: not a way to go live. ``MovePageAction`` saves a plain ``Page``,
  which changes neither the live content nor the live revision, so it never
  meets the gate and is allowed, even for an article whose evidence has been
  withdrawn since it went live: readers already see that. Its latest draft
  still meets the gate when published. Converting an alias into a page sets
  only its live revision, to the content already live: allowed too.
- Unpublishing or deleting cited evidence: live articles citing it stay live,
  and readers see "This item has been withdrawn." where it was (the blocks and
  the API show only live records); those articles cannot go live again, by any
  path above, while they cite it.

Draft saves (``save_revision()``: ``clean=False``, an existing row) and
autosaves of a live page never meet the gate.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _


class EvidenceGateError(ValidationError):
    """Raised when an article would go live citing evidence readers must not see.
    ``instance`` is the article, when known, ``problems`` what is wrong with it."""

    instance = None
    problems = ()


def citations(streams):
    """Each citation in an article's streams, as (record, where, said): the record
    (None where it was deleted); "block" for an evidence block or "claim"; and
    whether the article says there what could not be verified (the block's
    disclosure, the claim's "What the evidence shows")."""
    from wagtail_evidence.blocks import ClaimBlock, EvidenceBlock, iter_block_values

    for stream in streams:
        for value in iter_block_values(stream, EvidenceBlock):
            yield value.get("evidence"), "block", bool((value.get("disclosure") or "").strip())
        for claim in iter_block_values(stream, ClaimBlock):
            noted = bool((claim.get("assessment_note") or "").strip())
            for evidence in claim.get("evidence") or []:
                yield evidence, "claim", noted


def gate_problem(evidence):
    """Why this cited record keeps an article off the site, or None."""
    if evidence is None:
        return _("It cites evidence that has been deleted. Remove that block or choose another record.")
    if not evidence.live:
        return _("It cites “%(title)s”, which is not published. Ask the verification desk to publish it, or remove it.") % {"title": evidence.title}
    if evidence.warning_categories and not evidence.is_warned:
        return _("It cites “%(title)s”, marked as distressing but without a content warning.") % {"title": evidence.title}
    return None


def problems_in(stream_values):
    problems = (gate_problem(evidence) for evidence, _where, _said in citations(stream_values))
    return list(dict.fromkeys(problem for problem in problems if problem))  # each problem once


def gate_messages(stream_values):
    """What to tell the user, one sentence per problem; empty when it may go live."""
    return cannot_go_live(problems_in(stream_values))


def cannot_go_live(problems):
    return [_("This article cannot go live: %(problem)s") % {"problem": problem} for problem in problems]


def check_publishable(page):
    from wagtail_evidence.blocks import stream_values

    problems = problems_in(stream_values(page))
    if problems:
        # Keyed, as a model's errors are: Wagtail's admin API turns a publish,
        # copy or alias that raises it into a 400 through message_dict.
        error = EvidenceGateError({NON_FIELD_ERRORS: cannot_go_live(problems)})
        error.instance, error.problems = page, problems
        raise error


# Wagtail's copy with "publish copies" sets these without a clean save. An alias
# converted into a page gets only a live revision: the content already live.
PUBLISHING_FIELDS = frozenset({"live_revision", "last_published_at"})


def check_save(page, clean=True, update_fields=None):
    """The gate for a save of a live article: a publish (``clean``), a new row
    saved live (a copy or an alias of a live page), or a save that publishes a
    live revision without cleaning (a copy's latest draft). Other saves pass."""
    if not page.live:
        return
    if clean or page.pk is None:  # not _state.adding: it is True on a page built from a revision
        check_publishable(page)
    if update_fields is not None and PUBLISHING_FIELDS <= set(update_fields) and page.live_revision is not None:
        check_publishable(page.live_revision.as_object())


def copy_refusals(pages, latest_drafts_go_live=True):
    """Why live copies of these pages may not be made: a sentence per problem,
    naming the page. A copy shows the page's live version; a copy with its
    revisions also gets the page's latest draft as its live revision."""
    from wagtail_evidence.blocks import stream_values
    from wagtail_evidence.models import EvidenceArticleMixin

    refusals = []
    for page in pages:
        if not (page.live and isinstance(page, EvidenceArticleMixin)):
            continue  # a draft's copy is a draft
        live_problems = problems_in(stream_values(page))
        refusals += [copy_refusal(page, problem) for problem in live_problems]
        if latest_drafts_go_live and page.latest_revision_id not in (None, page.live_revision_id):
            draft_problems = problems_in(stream_values(page.get_latest_revision_as_object()))
            refusals += [
                _("The copy of “%(title)s” cannot go live, because a copy goes live with the page's latest draft: %(problem)s")
                % {"title": page.title, "problem": problem}
                for problem in draft_problems
                if problem not in live_problems
            ]
    return refusals


def copy_refusal(page, problem):
    return _("The copy of “%(title)s” cannot go live: %(problem)s") % {"title": page.title, "problem": problem}

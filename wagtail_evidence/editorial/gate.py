"""The publish gate: an article cannot go live while it cites draft or deleted
evidence, or evidence marked as distressing that carries no warning.

Every path by which an article goes live, and where the gate meets it
(tests/test_go_live_paths.py walks them all):

- The publish button on the edit form, and on the form the history's "revert"
  opens with an older revision: Wagtail saves the draft, then the
  ``before_publish_page`` hook (``admin.publish_refusal``) refuses the publish,
  says the draft is kept and why it is not live, with a link to each record.
  On the create form there is no draft yet and Wagtail would save the new page
  live before that hook: ``EvidenceArticleForm.clean()`` refuses it as a form
  error, before anything is saved. Saving the draft is allowed.
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
  its live revision with an ``update_fields`` save, so ``gate_save()`` also
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

from wagtail_evidence.blocks.citations import ArticleCitations
from wagtail_evidence.blocks.walk import stream_values
from wagtail_evidence.i18n import format_pattern, isolate


class EvidenceGateError(ValidationError):
    """Raised when an article would go live citing evidence readers must not see.
    ``instance`` is the article, when known, ``problems`` what is wrong with it."""

    instance = None
    problems = ()


def gate_problem(evidence, html=False):
    """Why this cited record keeps an article off the site, or None. With
    ``html``, escaped HTML with the record's title isolated for bidi."""
    if evidence is None:
        return format_pattern(
            _(
                "It cites evidence that has been deleted. Remove that block or choose another record."
            ),
            {},
            html,
        )
    if not evidence.live:
        pattern = _(
            "It cites “%(title)s”, which is not published. Ask the verification desk to publish it, or remove it."
        )
    elif evidence.warning_categories and not evidence.is_warned:
        pattern = _(
            "It cites “%(title)s”, marked as distressing but without a content warning."
        )
    else:
        return None
    title = isolate(evidence.title) if html else evidence.title
    return format_pattern(pattern, {"title": title}, html)


def refused_evidence(streams):
    """(record, problem) for each cited record that keeps the article off the
    site (None for a deleted one), one per problem, in the order cited."""
    refused = {}
    for citation in ArticleCitations(streams):
        problem = gate_problem(citation.evidence)
        if problem:
            refused.setdefault(problem, citation.evidence)
    return [(evidence, problem) for problem, evidence in refused.items()]


def problems_in(streams):
    return [problem for _evidence, problem in refused_evidence(streams)]


def gate_messages(streams):
    """What to tell the user, one sentence per problem; empty when it may go live."""
    return cannot_go_live(problems_in(streams))


def cannot_go_live(problems, html=False):
    return [
        format_pattern(
            _("This article cannot go live: %(problem)s"), {"problem": problem}, html
        )
        for problem in problems
    ]


def gate_publish(page):
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


def gate_save(page, clean=True, update_fields=None):
    """The gate for a save of a live article: a publish (``clean``), a new row
    saved live (a copy or an alias of a live page), or a save that publishes a
    live revision without cleaning (a copy's latest draft). Other saves pass."""
    if not page.live:
        return
    if (
        clean or page.pk is None
    ):  # not _state.adding: it is True on a page built from a revision
        gate_publish(page)
    if (
        update_fields is not None
        and PUBLISHING_FIELDS <= set(update_fields)
        and page.live_revision is not None
    ):
        gate_publish(page.live_revision.as_object())

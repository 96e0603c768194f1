"""The publish gate: an article cannot go live while it cites draft or deleted
evidence, or evidence marked as distressing that carries no warning.

Every publish path of a page (the publish button, approval of a workflow's last
task, bulk publish, scheduled publishing, ``revision.publish()`` in code) ends
in ``Page.save()`` with the page live, where EvidenceArticleMixin calls
``check_publishable()``. Draft saves and autosaves of a live page never do.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class EvidenceGateError(ValidationError):
    """Raised when an article would go live citing evidence readers must not see.
    ``instance`` is the article, when known."""

    instance = None


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
    return [_("This article cannot go live: %(problem)s") % {"problem": problem} for problem in problems_in(stream_values)]


def check_publishable(page):
    from wagtail_evidence.blocks import stream_values

    messages = gate_messages(stream_values(page))
    if messages:
        error = EvidenceGateError(messages)
        error.instance = page
        raise error

"""The evidence check: the checklist a moderator reads before approving an
article, and the reasons approval is refused.

It is the publish gate (wagtail_evidence.editorial.gate) plus one editorial rule: an item
the desk has not fully verified (badge Unverified, Partially verified or
Disputed) needs the article to say so, next to where the item appears: in the
evidence block's disclosure or, for an item only a claim cites, in the claim's
"What the evidence shows".
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from wagtail_evidence.blocks.citations import ArticleCitations
from wagtail_evidence.blocks.walk import stream_values
from wagtail_evidence.choices import Badge
from wagtail_evidence.editorial.gate import EvidenceGateError, gate_problem


DISCLOSURE_BADGES = frozenset(
    {Badge.UNVERIFIED, Badge.PARTIALLY_VERIFIED, Badge.DISPUTED}
)


class EvidenceCheckFailed(EvidenceGateError):
    """Raised when a moderator approves an article whose evidence check fails."""


@dataclass
class CheckedItem:
    """One cited record (or every deleted one, together) and what is wrong with it."""

    evidence: object  # None for evidence that has been deleted
    disclosed: bool = False
    problems: list = field(default_factory=list)

    @property
    def passed(self):
        return not self.problems

    @property
    def title(self):
        return (
            self.evidence.title if self.evidence is not None else _("Deleted evidence")
        )

    @property
    def status_label(self):
        return (
            self.evidence.publication_status
            if self.evidence is not None
            else _("deleted")
        )

    @property
    def disclosure_needed(self):
        return self.evidence is not None and self.evidence.badge in DISCLOSURE_BADGES


def check_streams(streams):
    """The checklist: a CheckedItem per cited record, in the order first cited.

    Where an item is shown, in one evidence block or several, each needs its
    disclosure; a claim's note counts only for an item no block shows."""
    items, said = {}, {}
    for citation in ArticleCitations(streams):
        evidence, where, disclosed = citation.evidence, citation.where, citation.said
        key = evidence.pk if evidence is not None else None
        items.setdefault(key, CheckedItem(evidence))
        said.setdefault(key, {"block": [], "claim": []})[where].append(disclosed)
    for key, item in items.items():
        shown, noted = said[key]["block"], said[key]["claim"]
        item.disclosed = all(shown) if shown else any(noted)
        problem = gate_problem(item.evidence)
        if problem:
            item.problems.append(problem)
        if item.disclosure_needed and not item.disclosed:
            item.problems.append(
                _(
                    "It cites “%(title)s”, whose badge is %(badge)s, without telling readers what could not be verified."
                )
                % {"title": item.evidence.title, "badge": item.evidence.badge.label}
            )
    return list(items.values())


def check_object(obj):
    """The checklist for what would be published: the latest revision of ``obj``."""
    if hasattr(obj, "get_latest_revision_as_object"):
        obj = obj.get_latest_revision_as_object()
    return check_streams(stream_values(obj))


def workflow_object(workflow_state):
    """What a workflow is moderating: the specific page, or a snippet as it is."""
    obj = workflow_state.content_object
    return getattr(obj, "specific", obj)  # snippets have no .specific


def check_messages(items):
    return [
        _("The evidence check fails: %(problem)s") % {"problem": problem}
        for item in items
        for problem in item.problems
    ]


def require_check_passes(obj):
    messages = check_messages(check_object(obj))
    if messages:
        raise EvidenceCheckFailed(messages)

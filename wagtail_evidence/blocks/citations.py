"""What an article cites: the one walk of its streams, used by the gate, the
evidence check, the article mixin (its warning and its API field) and JSON-LD;
and the same question asked of stored stream JSON, for the admin's list of
citing articles, without loading any record.
"""

from dataclasses import dataclass

from wagtail.blocks import ChooserBlock, ListBlock

from wagtail_evidence.blocks.choosers import records_loaded_together
from wagtail_evidence.blocks.claim import ClaimBlock
from wagtail_evidence.blocks.evidence import EvidenceBlock
from wagtail_evidence.blocks.walk import iter_block_values


EVIDENCE_MODEL = "wagtail_evidence.evidence"


@dataclass(frozen=True)
class Citation:
    evidence: object  # the Evidence record, or None where it was deleted
    where: str  # "block" for an evidence block, "claim" for a claim
    said: bool  # whether the article says there what could not be verified


class ArticleCitations:
    """The evidence blocks and claims of an article's streams, read once.

    ``citations`` lists each citation, a stream's evidence blocks before its
    claims; ``said`` is the block's disclosure, or the claim's "What the
    evidence shows".
    """

    def __init__(self, streams):
        streams = list(streams)
        with records_loaded_together(unconverted_evidence_ids(streams)):
            self.walk(streams)

    def walk(self, streams):
        self.evidence_blocks, self.claims, self.citations = [], [], []
        for stream in streams:
            found = list(iter_block_values(stream, (EvidenceBlock, ClaimBlock)))
            blocks = [
                value for value in found if isinstance(value.block, EvidenceBlock)
            ]
            claims = [value for value in found if isinstance(value.block, ClaimBlock)]
            self.evidence_blocks += blocks
            self.claims += claims
            self.citations += [
                Citation(
                    value.get("evidence"), "block", has_text(value.get("disclosure"))
                )
                for value in blocks
            ]
            self.citations += [
                Citation(evidence, "claim", has_text(claim.get("assessment_note")))
                for claim in claims
                for evidence in claim.get("evidence") or []
            ]

    def __iter__(self):
        return iter(self.citations)

    @property
    def block_evidence_ids(self):
        """The records the evidence blocks name, live or not (a record withdrawn
        for a while is still cited), for models.citation."""
        return {
            value.get("evidence").pk
            for value in self.evidence_blocks
            if value.get("evidence") is not None
        }

    @property
    def shown(self):
        """The live records the evidence blocks show, each once, in order."""
        seen = {}
        for value in self.evidence_blocks:
            if value.item is not None:
                seen.setdefault(value.item.pk, value.item)
        return list(seen.values())


def has_text(value):
    return bool((value or "").strip())


# Stored stream JSON


def unconverted_evidence_ids(streams):
    """The Evidence primary keys in the blocks of ``streams`` that Wagtail has
    not converted yet (it keeps a page's stored JSON beside each block until
    it is read): what a walk will load. None once they are converted, nor
    for a page built from a form. StreamValue keeps them in ``_raw_data`` and
    ``_bound_blocks`` (Wagtail 7.4 and 8.0); without those, no ids, and each
    block type loads its own records as before
    (tests/test_query_counts.py counts one load)."""
    ids = set()
    for stream in streams:
        raw_items = getattr(stream, "_raw_data", ())
        bound = getattr(stream, "_bound_blocks", ())
        for raw, converted in zip(raw_items, bound, strict=False):
            if converted is None and raw is not None:
                ids.update(evidence_ids_in_raw(stream.stream_block, [raw]))
    return ids


def cites_evidence(block):
    """Whether a block definition can hold an Evidence record anywhere inside it."""
    if isinstance(block, ChooserBlock):
        return block.model_class._meta.label_lower == EVIDENCE_MODEL
    if isinstance(block, ListBlock):
        return cites_evidence(block.child_block)
    return any(
        cites_evidence(child) for child in getattr(block, "child_blocks", {}).values()
    )


def evidence_ids_in_raw(block, raw):
    """The Evidence primary keys in a block's stored (JSON) value, without any query."""
    if raw is None:
        return
    if isinstance(block, ChooserBlock):
        if block.model_class._meta.label_lower == EVIDENCE_MODEL:
            yield str(raw)
    elif isinstance(block, ListBlock):
        for item in raw if isinstance(raw, list) else []:
            # Wagtail's list format, {"type": "item", "value": ..., "id": ...}, or the older bare values
            in_block_format = (
                isinstance(item, dict)
                and item.get("type") == "item"
                and "value" in item
            )
            yield from evidence_ids_in_raw(
                block.child_block, item["value"] if in_block_format else item
            )
    elif isinstance(raw, list):  # a stream: [{"type": name, "value": ...}, ...]
        children = getattr(block, "child_blocks", {})
        for item in raw:
            if isinstance(item, dict) and item.get("type") in children:
                yield from evidence_ids_in_raw(
                    children[item["type"]], item.get("value")
                )
    elif isinstance(raw, dict):  # a struct: {name: value, ...}
        for name, child in getattr(block, "child_blocks", {}).items():
            yield from evidence_ids_in_raw(child, raw.get(name))

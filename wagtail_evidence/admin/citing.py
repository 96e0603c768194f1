"""The articles citing Evidence records, found for many records at once in a
fixed number of queries, however many articles cite them.

Wagtail's reference index holds what a page's database row cites: the live
version of a live page, the latest draft of a page that is not live. It does
not index revisions, so a live page whose newer draft cites a record is missing
from it; those are found by reading the latest revisions of live pages that
have unpublished changes (one query, parsed without loading any record).
"""

import functools
import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from wagtail.models import ReferenceIndex, Revision, get_page_models

from wagtail_evidence.blocks.citations import cites_evidence, evidence_ids_in_raw
from wagtail_evidence.blocks.walk import stream_field_names
from wagtail_evidence.models import Evidence


def get_page_model():
    """The project's base page model: swappable from Wagtail 8.0."""
    try:
        import swapper
    except ImportError:  # Wagtail 7.x has no swappable page model
        from wagtail.models import Page

        return Page
    return swapper.load_model("wagtailcore", "Page")


@dataclass
class CitingArticle:
    page: object  # the specific page, its own fields deferred
    in_live_version: bool  # what readers see now cites the record
    in_latest_version: (
        bool  # the latest version cites it: publishing it would be refused
    )
    edit_url: str
    live_url: str | None

    @property
    def title(self):
        return self.page.get_admin_display_title()

    @property
    def live(self):
        return self.page.live


class CitingArticles(list):
    """The articles citing one record."""

    @property
    def read_by_readers(self):
        """Whether readers see the record in any of them now."""
        return any(article.live and article.in_live_version for article in self)


@functools.cache
def citing_page_models():
    """Page models with a StreamField that can cite evidence, and those fields' names."""
    found = {}
    for model in get_page_models():
        names = [
            name
            for name in stream_field_names(model)
            if cites_evidence(model._meta.get_field(name).stream_block)
        ]
        if names and not model._meta.abstract:
            found[model] = names
    return found


def evidence_ids_in_revision(model, content):
    for name in citing_page_models().get(model, []):
        raw = content.get(name)
        if isinstance(raw, str):  # revisions store a StreamField as a JSON string
            try:
                raw = json.loads(raw)
            except ValueError:
                continue
        yield from evidence_ids_in_raw(model._meta.get_field(name).stream_block, raw)


def indexed_citations(evidence_ids, page_model):
    """{(evidence pk, page pk)} from the reference index: one query."""
    rows = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(Evidence),
        to_object_id__in=evidence_ids,
        base_content_type=ContentType.objects.get_for_model(page_model),
    ).values_list("to_object_id", "object_id")
    return {(evidence_id, int(page_id)) for evidence_id, page_id in rows}


def draft_citations(evidence_ids, page_model):
    """{(evidence pk, page pk)} from the latest drafts of live pages: one query."""
    models = citing_page_models()
    if not models:
        return set()
    drafts = page_model.objects.filter(live=True, has_unpublished_changes=True)
    revisions = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(page_model),
        content_type__in=ContentType.objects.get_for_models(
            *models, for_concrete_models=False
        ).values(),
        pk__in=drafts.values("latest_revision"),
    ).values_list("object_id", "content_type_id", "content")
    wanted = set(evidence_ids)
    found = set()
    for page_id, content_type_id, content in revisions:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        for evidence_id in set(evidence_ids_in_revision(model, content)) & wanted:
            found.add((evidence_id, int(page_id)))
    return found


def citing_articles(records, request):
    """{record pk: CitingArticles ordered by title} for every record given;
    records no article cites map to an empty list."""
    result = {record.pk: CitingArticles() for record in records}
    if not result:
        return result
    page_model = get_page_model()
    evidence_ids = [str(pk) for pk in result]
    indexed = indexed_citations(evidence_ids, page_model)
    drafted = draft_citations(evidence_ids, page_model)
    page_ids = {page_id for _evidence_id, page_id in indexed | drafted}
    pages = (
        page_model.objects.filter(pk__in=page_ids)
        .order_by("title", "pk")
        .specific(defer=True)
    )
    for page in pages:
        url = page.get_url(request=request) if page.live else None
        for pk in result:
            key = (str(pk), page.pk)
            if key not in indexed and key not in drafted:
                continue
            # A page that is not live has its latest draft in its row, so in the index.
            in_live = page.live and key in indexed
            in_latest = key in drafted or (
                key in indexed and not (page.live and page.has_unpublished_changes)
            )
            result[pk].append(
                CitingArticle(
                    page=page,
                    in_live_version=in_live,
                    in_latest_version=in_latest,
                    edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    live_url=url,
                )
            )
    return result


def cited_in_articles_subquery():
    """For an Evidence queryset's annotate(): the number of articles that cite
    each record, a page and its translations counting once (one translation
    key), from the reference index as Wagtail's usage count is."""
    page_model = get_page_model()
    citing_pages = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(page_model),
        to_content_type=ContentType.objects.get_for_model(Evidence),
        to_object_id=Cast(OuterRef(OuterRef("pk")), output_field=CharField()),
    ).values("object_id")
    groups = (
        page_model.objects.annotate(id_text=Cast("pk", output_field=CharField()))
        .filter(id_text__in=citing_pages)
        .order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(count=Count("translation_key", distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(groups), 0)

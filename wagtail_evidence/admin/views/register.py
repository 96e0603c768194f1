"""The evidence register: every Evidence record, filterable, searchable, with
where each is used, exported to CSV or XLSX. Its queries do not grow with the
number of records on a page. Its exports escape formula cells as the import's
export does (wagtail_evidence.exchange.codecs.escape_formula)."""

import datetime
import re

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BigIntegerField, F, Lookup, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backend
from wagtail.search.query import PlainText

from wagtail_evidence.admin.citing import cited_in_articles_subquery
from wagtail_evidence.admin.views.columns import (
    BadgeColumn,
    IsolatedColumn,
    IsolatedTitleColumn,
    publication_status_column,
)
from wagtail_evidence.admin.views.credentials import (
    ContentCredentialsColumn,
    ContentCredentialsFilter,
    credentials_prefetch,
)
from wagtail_evidence.admin.views.filters import PlatformFilter
from wagtail_evidence.admin.views.recycled import (
    NearDuplicateFilter,
    NearDuplicatesColumn,
    near_duplicate_annotations,
)
from wagtail_evidence.admin.views.sources import (
    ArchiveStateFilter,
    SourcesColumn,
    source_annotations,
)
from wagtail_evidence.admin.views.usage_order import UsageOrder
from wagtail_evidence.badge import badge_expression, status_q
from wagtail_evidence.choices import Badge, FacetStatus, Verdict, WarningLevel
from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.exchange.codecs import escape_formula
from wagtail_evidence.models import Evidence


class RegisterFilterSet(WagtailFilterSet):
    badge = django_filters.ChoiceFilter(
        label=_("Badge"), choices=Badge.choices, method="filter_badge"
    )
    verdict = django_filters.ChoiceFilter(label=_("Verdict"), choices=Verdict.choices)
    facet_status = django_filters.ChoiceFilter(
        label=_("Any facet"), choices=FacetStatus.choices, method="filter_facet_status"
    )
    warning_level = django_filters.ChoiceFilter(
        label=_("Content warning"), choices=WarningLevel.choices
    )
    provider = PlatformFilter()
    tag = django_filters.CharFilter(
        label=_("Tag"), field_name="tags__name", lookup_expr="iexact", distinct=True
    )
    credited = django_filters.CharFilter(
        label=_("Credited person or organisation"), method="filter_credited"
    )
    near_duplicates = NearDuplicateFilter()
    content_credentials = ContentCredentialsFilter()
    archive = ArchiveStateFilter()

    class Meta:
        model = Evidence
        fields = []

    def filter_badge(self, queryset, name, value):
        # The very expression the badge index holds (migration 0011), so that
        # the database reads the matching records from it in title order.
        return queryset.alias(badge_value=badge_expression()).filter(badge_value=value)

    def filter_facet_status(self, queryset, name, value):
        return queryset.filter(status_q(value))

    def filter_credited(self, queryset, name, value):
        credited = Q(credits__name__icontains=value) | Q(
            credits__organisation__icontains=value
        )
        return queryset.filter(pk__in=Evidence.objects.filter(credited).values("pk"))


class UsageColumn(Column):
    cell_template_name = "wagtail_evidence/admin/usage_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["usage_url"] = reverse(
            "wagtailsnippets_wagtail_evidence_evidence:usage", args=[instance.pk]
        )
        context["usage_label"] = usage_label(
            instance.usage_count or 0, getattr(instance, "article_count", 0) or 0
        )
        return context


def matching_records(query):
    """What ``pk__in`` takes for the records Wagtail's search backend finds for
    ``query``: each word matching a word of an autocomplete field of Evidence
    (title, description, place, region, country, who appears, the media
    address's words, tags, credits), the last one also its beginning.

    Up to SEARCH_IDS matches, their ids are read first (one query), so that
    the count and the page read the matching records by id, and the database
    knows how many there are; beyond that, a subquery. On PostgreSQL with
    Wagtail's database backend the ids come from the search index's entries
    alone (postgres_index_ids). Other backends (Elasticsearch, OpenSearch)
    answer with hits, of which the first SEARCH_IDS are listed."""
    # Words only: a quote or an operator is query syntax to some backends
    # (SQLite's FTS5 fails on a lone "), and the register promises words.
    words = " ".join(re.findall(r"\w+", query))
    if not words:
        return []
    results = get_search_backend().autocomplete(
        words, Evidence.objects.all(), order_by_relevance=False
    )
    matching = postgres_index_ids(results)
    if matching is None:
        as_queryset = getattr(results, "get_queryset", None)
        if as_queryset is None:
            return [record.pk for record in results[:SEARCH_IDS]]
        matching = as_queryset().order_by().values_list("pk", flat=True)
    ids = list(matching[: SEARCH_IDS + 1])
    return ids if len(ids) <= SEARCH_IDS else matching


SEARCH_IDS = 10_000


def pk_among(ids):
    """``pk__in=ids``; on PostgreSQL, a list as one array parameter
    (``= ANY(%s)``): thousands of ids would otherwise be thousands of
    parameters, each compiled by Django and bound by the driver, for the count
    and again for the page (some 30 ms of CPU each for 5,000 ids)."""
    if not isinstance(ids, list) or not ids or connection.vendor != "postgresql":
        return Q(pk__in=ids)
    return EqualsAny(F("pk"), ids)


class EqualsAny(Lookup):
    """``lhs = ANY(%s)``, the list given as one array parameter (PostgreSQL)."""

    lookup_name = "equals_any"
    prepare_rhs = False  # the list is the parameter, as it is

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # An array of the column's own type: the driver would send ids as
        # int4 or int2, and PostgreSQL cannot hash those against a bigint.
        array = f"{self.lhs.output_field.cast_db_type(connection)}[]"
        return f"{lhs} = ANY({rhs}::{array})", (*lhs_params, *rhs_params)


def postgres_index_ids(results):
    """The ids of the records that Wagtail's PostgreSQL backend finds, read
    from its index entries alone, by the very query (tsquery) it builds; None
    for any other backend or query.

    The backend's own queryset joins every record to its entry on the record's
    id as text: past a few hundred matches PostgreSQL hashes the matches and
    casts the id of every record to probe them, a cost that grows with the
    records (34 ms for 1,000 matches among 100,000). The entries' GIN index
    finds the same matches, however many records there are."""
    # Imported here: the module is Wagtail's PostgreSQL search, not loaded
    # by other databases' sites.
    from wagtail.search.backends.database.postgres.postgres import (
        PostgresSearchQueryCompiler,
    )

    compiler = getattr(results, "query_compiler", None)
    if (
        not isinstance(compiler, PostgresSearchQueryCompiler)
        or not isinstance(compiler.query, PlainText)
        or compiler.fields is not None
    ):
        return None
    tsquery = compiler.build_tsquery(
        compiler.query, config=compiler.get_config(results.backend)
    )
    entries = Evidence._meta.get_field("index_entries").related_model
    return (
        entries._default_manager.filter(
            content_type=ContentType.objects.get_for_model(Evidence),
            autocomplete=tsquery,
        )
        .order_by()
        .annotate(record=Cast("object_id", output_field=BigIntegerField()))
        .values_list("record", flat=True)
    )


def usage_label(pages, articles):
    """ "2 pages"; with translations, each article once: "1 page (3 with
    translations)". Empty when nothing cites the record."""
    if not pages:
        return ""
    if articles and articles < pages:
        return ngettext(
            "%(count)s page (%(total)s with translations)",
            "%(count)s pages (%(total)s with translations)",
            articles,
        ) % {"count": articles, "total": pages}
    return ngettext("%(count)s page", "%(count)s pages", pages) % {"count": pages}


class EvidenceRegisterView(ReportView):
    page_title = _("Evidence register")
    header_icon = "media"
    model = Evidence
    permission_policy = None
    permission_required = "change"  # editors, the desk and moderators; never anonymous
    is_searchable = True
    # Wagtail's search backend (full text on PostgreSQL, FTS5 on SQLite), over
    # the fields Evidence.search_fields makes autocomplete: see search_queryset.
    search_backend_name = "default"
    filterset_class = RegisterFilterSet
    default_ordering = "title"
    index_url_name = "wagtail_evidence:register"
    index_results_url_name = "wagtail_evidence:register_results"
    template_name = "wagtail_evidence/admin/register.html"
    columns = [
        BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"),
        IsolatedTitleColumn(
            "title",
            label=_("Working title"),
            sort_key="title",
            url_name="wagtailsnippets_wagtail_evidence_evidence:edit",
            # What each row's checkbox is described by, for screen readers.
            get_title_id=lambda instance: f"snippet_{instance.pk}_title",
        ),
        BadgeColumn("badge", label=_("Badge")),
        Column("get_warning_level_display", label=_("Content warning")),
        Column("platform_label", label=_("Platform")),
        IsolatedColumn("place", label=_("Place")),
        UsageColumn("usage_count", label=_("Used in"), sort_key="usage_count"),
        NearDuplicatesColumn("has_near_duplicates", label=_("Near-duplicates")),
        ContentCredentialsColumn("content_credentials", label=_("Content Credentials")),
        SourcesColumn("sources", label=_("Sources")),
        publication_status_column(),
    ]
    list_export = [
        "title",
        "badge.label",
        "verdict",
        "location_status",
        "date_status",
        "identity_status",
        "authenticity_status",
        "warning_level",
        "provider",
        "media_url",
        "place",
        "region",
        "country",
        "latitude",
        "longitude",
        "filmed_on",
        "credits_text",
        "usage_count",
        "live",
    ]
    export_headings = {
        "title": _("Working title"),
        "badge.label": _("Badge"),
        "verdict": _("Verdict"),
        "location_status": _("Location"),
        "date_status": _("Date filmed"),
        "identity_status": _("Who appears"),
        "authenticity_status": _("Authenticity"),
        "warning_level": _("Content warning"),
        "provider": _("Platform"),
        "media_url": _("Media address"),
        "place": _("Place"),
        "region": _("Region"),
        "country": _("Country"),
        "latitude": _("Latitude"),
        "longitude": _("Longitude"),
        "filmed_on": _("Date filmed (value)"),
        "credits_text": _("Credits"),
        "usage_count": _("Used in"),
        "live": _("Published"),
    }

    @cached_property
    def header_buttons(self):
        # The register's exports are reports to read; this one round-trips.
        return [
            HeaderButton(
                _("Import or export"),
                reverse("wagtail_evidence:import"),
                icon_name="upload",
            )
        ]

    def user_has_permission(self, permission):
        return evidence_permission_policy.user_has_permission(
            self.request.user, permission
        )

    def get_base_queryset(self):
        return Evidence.objects.prefetch_related(
            "credits", credentials_prefetch()
        ).annotate(
            usage_count=ReferenceIndex.usage_count_subquery(Evidence),
            article_count=cited_in_articles_subquery(),
            **near_duplicate_annotations(),
            **source_annotations(),
        )

    def get_filtered_queryset(self):
        # ReportView filters get_queryset() again, which has filtered it already.
        return self.get_queryset()

    def get_queryset(self):
        # Filtered and searched first, then ordered: the order of use is made
        # of the filtered records (views/usage_order.py).
        queryset = self.get_base_queryset()
        return self.order_queryset(self.search_queryset(self.filter_queryset(queryset)))

    def order_queryset(self, queryset):
        """Title order ends on the id, as the title index does (migration 0011),
        so that records with the same title keep their page."""
        descending = self.ordering.startswith("-")
        if self.ordering.lstrip("-") == "usage_count":
            return UsageOrder(queryset, most_used_first=descending)
        if self.ordering.lstrip("-") == "title":
            direction = "-" if descending else ""
            return queryset.order_by(f"{direction}title", f"{direction}pk")
        return super().order_queryset(queryset)

    def search_queryset(self, queryset):
        """The records the search backend finds, as a filter on the register's
        own query, so that filters, order and pagination stay the ORM's."""
        if not self.is_searching:
            return queryset
        return queryset.filter(pk_among(matching_records(self.search_query)))

    def get_filename(self):
        return f"evidence-register-{datetime.date.today():%Y-%m-%d}"

    # Wagtail writes text cells as they are: a title such as =HYPERLINK(…) would
    # run in a spreadsheet (CSV), or run once edited (XLSX). Every text cell,
    # headings included, gets the import's escaping; numbers and dates stay typed.

    def preprocess_field_value(self, field, value, export_format):
        return escape_text(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return escape_text(super().get_heading(queryset, field))


def escape_text(value):
    return escape_formula(value) if isinstance(value, str) else value

"""The register in order of use, at the cost of a page, however many records.

Sorting every record by a count of its citations costs a subquery a record and
a sort of them all. Most records are cited by nothing, though, and those sort
by title, which the title index (migration 0011) reads in order. So the
listing is two parts end to end: the cited records, by use (their counts
from the reference index, as Wagtail's usage count reads them, in one pass),
then the uncited ones, by title. Most used first, or least used (the uncited) first.
"""

import itertools

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BigIntegerField
from django.db.models.functions import Cast
from wagtail.models import ReferenceIndex

from wagtail_evidence.models import Evidence


def cited_ids():
    """The ids of the records the reference index says something cites."""
    return (
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(Evidence)
        )
        .annotate(target=Cast("to_object_id", output_field=BigIntegerField()))
        .values("target")
        .distinct()
    )


class CitedByUse:
    """The cited records of ``queryset`` by their use, ties by title then id.

    The ranking is one query that counts each record's citations in a single
    pass over the reference index (as Wagtail's usage count does: distinct
    citing objects) and joins the counts to the records; the page's rows are
    then read by id. A correlated count a record, as the usage column's
    annotation is, would cost a subquery for each cited record."""

    def __init__(self, queryset, most_used_first):
        self.rows = queryset
        self.most_used_first = most_used_first

    def ranked_ids(self, low, high):
        quote = connection.ops.quote_name
        # The register's filters and search, if any: unfiltered, every cited
        # record is one, and asking would read each of them a second time.
        within, params = "", []
        if self.rows.query.where:
            records, params = self.rows.order_by().values("pk").query.sql_with_params()
            within = f"WHERE record.{quote('id')} IN ({records})"
        references = ReferenceIndex._meta
        column = {
            name: quote(references.get_field(name).column)
            for name in ("to_object_id", "object_id", "to_content_type")
        }
        direction = "DESC" if self.most_used_first else "ASC"
        sql = f"""
            SELECT record.{quote("id")}
            FROM {quote(Evidence._meta.db_table)} AS record
            JOIN (
                SELECT CAST(cites.{column["to_object_id"]} AS BIGINT) AS target,
                       COUNT(DISTINCT cites.{column["object_id"]}) AS uses
                FROM {quote(references.db_table)} AS cites
                WHERE cites.{column["to_content_type"]} = %s
                GROUP BY cites.{column["to_object_id"]}
            ) AS used ON used.target = record.{quote("id")}
            {within}
            ORDER BY used.uses {direction}, record.{quote("title")}, record.{quote("id")}
            LIMIT %s OFFSET %s
        """  # noqa: S608 (names quoted from the models; values are parameters)
        content_type = ContentType.objects.get_for_model(Evidence).pk
        with connection.cursor() as cursor:
            cursor.execute(sql, [content_type, *params, high - low, low])
            return [pk for (pk,) in cursor.fetchall()]

    def count(self):
        return self.rows.filter(pk__in=cited_ids()).order_by().count()

    def __iter__(self):
        return iter(records_by_id(self.rows, self.ranked_ids(0, self.count())))


class UncitedByTitle:
    """The records of ``queryset`` that nothing cites, by title then id, read
    from the title index (migration 0011)."""

    def __init__(self, queryset):
        self.rows = queryset.exclude(pk__in=cited_ids()).order_by("title", "pk")

    def ranked_ids(self, low, high):
        return list(self.rows.values_list("pk", flat=True)[low:high])

    def count(self):
        return self.rows.count()

    def __iter__(self):
        return iter(self.rows)


def records_by_id(queryset, ids):
    """The records of ``queryset`` with these ids, in their order: one query
    (and one for each of the queryset's prefetches)."""
    if not ids:
        return []
    rows = {record.pk: record for record in queryset.filter(pk__in=ids)}
    return [rows[pk] for pk in ids]


class UsageOrder:
    """``queryset`` (filtered, searched, annotated with usage_count) in order of
    use, ties by title then id: what the paginator and the exports need of a
    queryset (count, slices, iteration, model)."""

    ordered = True  # for the paginator: pages are stable

    def __init__(self, queryset, most_used_first=True):
        self.model = queryset.model
        self.queryset = queryset
        cited = CitedByUse(queryset, most_used_first)
        uncited = UncitedByTitle(queryset)
        self.cited_first = most_used_first
        self.parts = [cited, uncited] if most_used_first else [uncited, cited]
        self._counts = None

    def counts(self):
        """The number of records in each part, in the parts' order: two
        counts, the second over the cited records alone."""
        if self._counts is None:
            total = self.queryset.order_by().count()
            cited = self.parts[0 if self.cited_first else 1].count()
            parts = (cited, total - cited)
            self._counts = parts if self.cited_first else parts[::-1]
        return self._counts

    def count(self):
        return sum(self.counts())

    def __len__(self):
        return self.count()

    def exists(self):
        return self.queryset.exists()

    def __iter__(self):
        return itertools.chain.from_iterable(self.parts)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return list(self[index : index + 1])[0]
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        # The page's ids from each part it spans, then its records in one
        # read: a page across both parts costs one query more, not the
        # queryset's prefetches twice.
        ids = []
        offset = 0
        for part, size in zip(self.parts, self.counts(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                ids.extend(part.ranked_ids(low, high))
            offset += size
        return records_by_id(self.queryset, ids)

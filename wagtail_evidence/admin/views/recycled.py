"""The register's "has near-duplicates" filter and column
(admin/near_duplicates.py has the record's own list)."""

import django_filters
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from wagtail_evidence.models import NearDuplicate


def has_near_duplicates():
    """For the filter: records with near-duplicates."""
    return Exists(NearDuplicate.objects.filter(evidence=OuterRef("pk")))


def near_duplicate_annotations():
    """For the column: one of the record's near-duplicates, or None. A scalar
    subquery costs one probe of the NearDuplicate index for each record on the
    page; PostgreSQL may run an EXISTS once for all records instead, reading
    every near-duplicate of every record to hash them."""
    first = NearDuplicate.objects.filter(evidence=OuterRef("pk")).values("pk")[:1]
    return {"has_near_duplicates": Subquery(first)}


class NearDuplicateFilter(django_filters.ChoiceFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Near-duplicates"))
        super().__init__(
            choices=[
                ("yes", _("Has near-duplicates")),
                ("no", _("Has no near-duplicates")),
            ],
            method=self.filter_near_duplicates,
            **kwargs,
        )

    @staticmethod
    def filter_near_duplicates(queryset, name, value):
        if value == "yes":
            return queryset.filter(has_near_duplicates())
        return queryset.filter(~has_near_duplicates())


class NearDuplicatesColumn(Column):
    cell_template_name = "wagtail_evidence/admin/near_duplicates_cell.html"

    def get_value(self, instance):
        return getattr(instance, "has_near_duplicates", None) is not None

"""The register's "has near-duplicates" filter and column
(admin/near_duplicates.py has the record's own list)."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from wagtail_evidence.models import NearDuplicate


def has_near_duplicates():
    # One probe of the NearDuplicate index per record on the page.
    return Exists(NearDuplicate.objects.filter(evidence=OuterRef("pk")))


def near_duplicate_annotations():
    return {"has_near_duplicates": has_near_duplicates()}


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
        return getattr(instance, "has_near_duplicates", False)

"""Filters of the package's admin listings: the platform by its name, not its code."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from wagtail_evidence.media.providers import get_providers
from wagtail_evidence.models import Evidence


LINK_ONLY = "link_only"  # not a provider's name: media that no provider plays


def platform_choices():
    return [(provider.name, provider.label) for provider in get_providers()] + [
        (LINK_ONLY, _("Link only"))
    ]


class PlatformFilter(django_filters.ChoiceFilter):
    """The platforms the site plays, and "Link only" for media none of them plays."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Platform"))
        super().__init__(
            choices=platform_choices, method=self.filter_platform, **kwargs
        )

    @staticmethod
    def filter_platform(queryset, name, value):
        return queryset.filter(provider="" if value == LINK_ONLY else value)


class EvidenceFilterSet(WagtailFilterSet):
    """The Evidence listing's filters."""

    provider = PlatformFilter()

    class Meta:
        model = Evidence
        fields = ["verdict", "warning_level", "display"]

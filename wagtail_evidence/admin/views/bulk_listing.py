"""What "Select all in listing" means for the package's bulk actions: the
records the listing showed, its search and filters applied.

Wagtail's bulk actions take "all" as every row of the model, whatever the
listing was filtered to. For "Archive now" and "Check sources", which ask a
rate-limited service or every source once per address, that would start a
task for every record of the site from a register filtered down to ten. The
listing's address comes with the request (``next``, set by Wagtail's
bulk-actions script); its view, if it is one of ours that lists records,
gives the queryset it showed.
"""

import copy
from urllib.parse import urlsplit

from django.http import QueryDict
from django.urls import Resolver404, resolve


# The views a bulk selection of records may come from, by URL name.
LISTINGS = {
    "wagtail_evidence:register",
    "wagtail_evidence:register_results",
    "wagtailsnippets_wagtail_evidence_evidence:list",
    "wagtailsnippets_wagtail_evidence_evidence:list_results",
}


def record_ids_in_listing(request):
    """The ids of the records the listing named by ``next`` showed to
    ``request.user``; none when ``next`` names no such listing."""
    address = urlsplit(request.GET.get("next", ""))
    try:
        match = resolve(address.path)
    except Resolver404:
        return []
    view_class = getattr(match.func, "view_class", None)
    if match.view_name not in LISTINGS or view_class is None:
        return []
    listing_request = copy.copy(request)  # the same user, session and headers
    listing_request.GET = QueryDict(address.query)
    view = view_class(**match.func.view_initkwargs)
    view.setup(listing_request, *match.args, **match.kwargs)
    return ids_of(view.get_queryset())


def ids_of(listed):
    """The ids of a listing's records: a queryset, or a search backend's
    results (a searched listing's), as a queryset where the backend has one."""
    as_queryset = getattr(listed, "get_queryset", None)
    if as_queryset is not None:
        listed = as_queryset()
    if hasattr(listed, "values_list"):
        return listed.order_by().values_list("pk", flat=True)
    return [record.pk for record in listed]

"""E006: a ``WARM_PAGES_IN_REQUEST`` that is not a whole number of pages.

Once a change commits, the request warms that many of the articles it made
stale and leaves the rest to a task (warming.py). A string or a float fails
in the request, where it is only logged and every page goes to the task; a
negative number would slice from the end of the list and warm the articles
least read. Neither is what the site asked for, so it hears of it here.
"""

import numbers

from django.core.checks import Error, register

from wagtail_evidence.checks.common import TAG
from wagtail_evidence.conf import get_setting


SETTING = "WAGTAIL_EVIDENCE['WARM_PAGES_IN_REQUEST']"


@register(TAG)
def check_warm_pages_in_request(app_configs, **kwargs):
    pages = get_setting("WARM_PAGES_IN_REQUEST")
    if isinstance(pages, numbers.Integral) and not isinstance(pages, bool):
        if pages >= 0:
            return []
    return [
        Error(
            f"{SETTING} is {pages!r}: it is how many stale articles a request "
            "warms itself once its change commits, so it must be a whole number, "
            "0 or more.",
            hint=f"Set {SETTING} to a whole number (10 by default; 0 leaves every "
            "article to the warming task), or leave it out.",
            id="wagtail_evidence.E006",
        )
    ]

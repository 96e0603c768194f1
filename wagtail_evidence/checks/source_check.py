"""E005: a ``SOURCE_CHECK_TIMEOUT`` that is not a number of seconds.

"Check sources" gives each address one deadline of that many seconds
(archives/source_check.py). None, 0, a negative number or a string would make
every check fail in the worker, after an editor started it; here the site
hears of it first.
"""

import math

from django.core.checks import Error, register

from wagtail_evidence.checks.common import TAG
from wagtail_evidence.conf import get_setting


SETTING = "WAGTAIL_EVIDENCE['SOURCE_CHECK_TIMEOUT']"


@register(TAG)
def check_source_check_timeout(app_configs, **kwargs):
    seconds = get_setting("SOURCE_CHECK_TIMEOUT")
    number = isinstance(seconds, int | float) and not isinstance(seconds, bool)
    if number and math.isfinite(seconds) and seconds > 0:
        return []
    return [
        Error(
            f"{SETTING} is {seconds!r}: each address a source check asks is given "
            "that many seconds, so it must be a number greater than 0.",
            hint=f"Set {SETTING} to the seconds to wait for each address (10 by "
            "default), or leave it out.",
            id="wagtail_evidence.E005",
        )
    ]

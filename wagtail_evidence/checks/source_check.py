"""E005: a ``SOURCE_CHECK_TIMEOUT`` that is not a number of seconds.

"Check sources" gives each address one deadline of that many seconds
(archives/source_check.py). None, 0, a negative number, a string, or a number
too large for a socket's timeout would make every check fail in the worker,
after an editor started it; here the site hears of it first.
"""

import math
import numbers
from decimal import Decimal

from django.core.checks import Error, register

from wagtail_evidence.checks.common import TAG
from wagtail_evidence.conf import get_setting


SETTING = "WAGTAIL_EVIDENCE['SOURCE_CHECK_TIMEOUT']"
# An hour: a worker held longer by one address is stuck, not patient; far
# beyond it, socket timeouts overflow.
MAX_SECONDS = 3600


@register(TAG)
def check_source_check_timeout(app_configs, **kwargs):
    seconds = get_setting("SOURCE_CHECK_TIMEOUT")
    # Any real number works at run time (numpy's, a Fraction); Decimal does not
    # mix with the float of the clock.
    number = (
        isinstance(seconds, numbers.Real)
        and not isinstance(seconds, bool | Decimal)
        and not math.isnan(seconds)
    )
    if number and 0 < seconds <= MAX_SECONDS:
        return []
    return [
        Error(
            f"{SETTING} is {seconds!r}: each address a source check asks is given "
            f"that many seconds, so it must be a number greater than 0 and at most "
            f"{MAX_SECONDS}.",
            hint=f"Set {SETTING} to the seconds to wait for each address (10 by "
            "default), an int or a float, or leave it out.",
            id="wagtail_evidence.E005",
        )
    ]

"""What went wrong with an archive or a check, in the words of the moment.

Tasks store a code and the service's own detail; the admin turns them into
sentences here, in the language of whoever reads them.
"""

from django.utils.translation import gettext_lazy as _


MESSAGES = {
    "rate_limited": _(
        "The archiving service is refusing more requests for now (rate limit)."
    ),
    "timeout": _("The archiving service did not answer in time."),
    "refused": _("The archiving service refused to capture it."),
    "not_configured": _(
        "No archiving service is set up: the site's ARCHIVE_BACKEND or "
        "ARCHIVE_OPTIONS setting is missing or wrong."
    ),
    "service_error": _("The archiving service failed."),
    "unsafe_url": _("The address is not a public web address."),
    "unreachable": _("The address did not answer."),
}
CODES = tuple(MESSAGES)


def describe(problem):
    """{"url", "message", "detail"} for one stored problem."""
    return {
        "url": problem.get("url", ""),
        "message": MESSAGES.get(problem.get("code"), MESSAGES["service_error"]),
        "detail": problem.get("detail", ""),
    }

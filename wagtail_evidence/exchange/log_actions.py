"""How the history shows an imported record's indexing (its search entry and
references) that failed, and a retry that succeeded (exchange.tasks)."""

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogFormatter

from wagtail_evidence.exchange.tasks import INDEX_FAILED, INDEX_RECOVERED


class IndexFailedFormatter(LogFormatter):
    label = gettext_lazy("Indexing failed")

    def format_message(self, log_entry):
        data = log_entry.data
        values = {"attempt": data.get("attempt", 1), "error": data.get("error", "")}
        retry_at = parse_datetime(data["retry_at"]) if data.get("retry_at") else None
        if retry_at is None:
            return (
                _(
                    "This imported record could not be indexed (attempt "
                    "%(attempt)s, %(error)s) and will not be retried: the "
                    "register's search may not find it. Save the record again to "
                    "index it now."
                )
                % values
            )
        return _(
            "This imported record could not be indexed (attempt %(attempt)s, "
            "%(error)s): the register's search may not find it yet. It will be "
            "retried at %(time)s."
        ) % {
            **values,
            "time": formats.date_format(
                timezone.localtime(retry_at), "DATETIME_FORMAT"
            ),
        }


class IndexRecoveredFormatter(LogFormatter):
    label = gettext_lazy("Indexing succeeded on a retry")

    def format_message(self, log_entry):
        return _("This imported record was indexed at attempt %(attempt)s.") % {
            "attempt": log_entry.data.get("attempt", 1)
        }


def register_import_log_actions(actions):
    actions.register_action(INDEX_FAILED)(IndexFailedFormatter)
    actions.register_action(INDEX_RECOVERED)(IndexRecoveredFormatter)

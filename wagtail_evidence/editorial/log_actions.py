"""How the history shows the package's log actions: each audited change, with
its reason, a scheduled publication the gate cancelled, and a purge of the
frontend cache that failed (wagtail_evidence.purge)."""

from django.apps import apps
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.log_actions import LogFormatter

from wagtail_evidence.editorial.verification import AUDITED_FIELDS
from wagtail_evidence.i18n import isolate, join_labels


class AuditedChangeFormatter(LogFormatter):
    """'Location status: Not checked → Confirmed. Reason: …' in the history."""

    def format_message(self, log_entry):
        data = log_entry.data
        # Looked up, not imported: the editorial rules sit under the models.
        field = apps.get_model("wagtail_evidence", "Evidence")._meta.get_field(
            data["field"]
        )
        label = AUDITED_FIELDS[data["field"]][1]
        return _("%(field)s: %(before)s → %(after)s") % {
            "field": label,
            "before": display_value(field, data["before"]),
            "after": display_value(field, data["after"]),
        }

    def format_comment(self, log_entry):
        # Isolated: Wagtail prints the comment inline, after its own label.
        return isolate(log_entry.data.get("reason", ""))


def display_value(field, value):
    if isinstance(value, list):
        labels = dict(field.choices_class.choices)
        return join_labels((labels.get(item, item) for item in value), html=False) or _(
            "none"
        )
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(dict(field.choices).get(value, value)) if field.choices else str(value)


class ScheduleRefusedFormatter(LogFormatter):
    label = gettext_lazy("Scheduled publication cancelled by the evidence gate")

    def format_message(self, log_entry):
        return _(
            "Scheduled publication cancelled: the article cites evidence readers must not see yet."
        )

    def format_comment(self, log_entry):
        return " ".join(log_entry.data.get("problems", []))


class PurgeFailedFormatter(LogFormatter):
    label = gettext_lazy("Cache purge failed")

    def format_message(self, log_entry):
        data = log_entry.data
        values = {
            "count": len(data.get("pages", [])),
            "attempt": data.get("attempt", 1),
            "error": data.get("error", ""),
        }
        retry_at = parse_datetime(data["retry_at"]) if data.get("retry_at") else None
        if retry_at is None:
            return (
                ngettext(
                    "The frontend cache purge of %(count)s article citing this record "
                    "failed (attempt %(attempt)s, %(error)s) and will not be retried. "
                    "Readers may see the old version until the cache expires; publish "
                    "the record again to purge it now.",
                    "The frontend cache purge of %(count)s articles citing this record "
                    "failed (attempt %(attempt)s, %(error)s) and will not be retried. "
                    "Readers may see the old version until the cache expires; publish "
                    "the record again to purge them now.",
                    values["count"],
                )
                % values
            )
        return ngettext(
            "The frontend cache purge of %(count)s article citing this record "
            "failed (attempt %(attempt)s, %(error)s). It will be retried at "
            "%(time)s.",
            "The frontend cache purge of %(count)s articles citing this record "
            "failed (attempt %(attempt)s, %(error)s). It will be retried at "
            "%(time)s.",
            values["count"],
        ) % {
            **values,
            "time": formats.date_format(
                timezone.localtime(retry_at), "DATETIME_FORMAT"
            ),
        }


class PurgeRecoveredFormatter(LogFormatter):
    label = gettext_lazy("Cache purge succeeded on a retry")

    def format_message(self, log_entry):
        data = log_entry.data
        count = len(data.get("pages", []))
        return ngettext(
            "The frontend cache purge of %(count)s article citing this record "
            "succeeded at attempt %(attempt)s.",
            "The frontend cache purge of %(count)s articles citing this record "
            "succeeded at attempt %(attempt)s.",
            count,
        ) % {"count": count, "attempt": data.get("attempt", 1)}


AUDITED_ACTIONS = (
    # Lazy: the registry keeps these labels for the life of the process.
    ("wagtail_evidence.facet_status", gettext_lazy("Change a facet status")),
    ("wagtail_evidence.verdict", gettext_lazy("Change the verdict")),
    ("wagtail_evidence.warning_level", gettext_lazy("Change the content warning")),
    (
        "wagtail_evidence.warning_categories",
        gettext_lazy("Change what the warning is for"),
    ),
    (
        "wagtail_evidence.withhold_coordinates",
        gettext_lazy("Withhold or release the coordinates"),
    ),
)


def register_log_actions(actions):
    for action, label in AUDITED_ACTIONS:
        actions.register_action(action)(
            type("Formatter", (AuditedChangeFormatter,), {"label": label})
        )
    actions.register_action("wagtail_evidence.schedule_refused")(
        ScheduleRefusedFormatter
    )
    actions.register_action("wagtail_evidence.purge_failed")(PurgeFailedFormatter)
    actions.register_action("wagtail_evidence.purge_recovered")(PurgeRecoveredFormatter)

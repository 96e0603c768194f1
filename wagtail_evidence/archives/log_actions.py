"""How the record's history shows archives, checks and the desk's source statuses."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.log_actions import LogFormatter

from wagtail_evidence.archives import tasks
from wagtail_evidence.archives.problems import describe
from wagtail_evidence.choices import SourceStatus


def status_label(value):
    try:
        return str(SourceStatus(value).label)
    except ValueError:
        return value


class ArchiveRequestedFormatter(LogFormatter):
    label = gettext_lazy("Archive of the sources requested")

    def format_message(self, log_entry):
        return _("Archiving of the media and appearance addresses requested.")


class CheckRequestedFormatter(LogFormatter):
    label = gettext_lazy("Check of the sources requested")

    def format_message(self, log_entry):
        return _("A check of the media and appearance addresses requested.")


def problems_comment(log_entry):
    return " ".join(
        f"{item['url']}: {item['message']}"
        + (f" ({item['detail']})" if item["detail"] else "")
        for item in map(describe, log_entry.data.get("problems", []))
    )


class ArchiveDoneFormatter(LogFormatter):
    label = gettext_lazy("Sources archived")

    def format_message(self, log_entry):
        data = log_entry.data
        count = data.get("new", 0)
        message = ngettext(
            "%(count)s new archived copy.", "%(count)s new archived copies.", count
        ) % {"count": count}
        failed = len(data.get("problems", []))
        if failed:
            message += " " + ngettext(
                "%(failed)s address could not be archived.",
                "%(failed)s addresses could not be archived.",
                failed,
            ) % {"failed": failed}
        return message

    def format_comment(self, log_entry):
        return problems_comment(log_entry)


class CheckDoneFormatter(LogFormatter):
    label = gettext_lazy("Sources checked")

    def format_message(self, log_entry):
        count = log_entry.data.get("new", 0)
        return ngettext(
            "%(count)s source status changed.",
            "%(count)s source statuses changed.",
            count,
        ) % {"count": count}

    def format_comment(self, log_entry):
        return problems_comment(log_entry)


# Copies an import brought (exchange.sources_writer): the history says where a
# record's archived copies came from, whether "Archive now" or a file.
COPIES_IMPORTED = "wagtail_evidence.copies_imported"


class CopiesImportedFormatter(LogFormatter):
    label = gettext_lazy("Archived copies imported")

    def format_message(self, log_entry):
        count = log_entry.data.get("new", 0)
        return ngettext(
            "%(count)s archived copy imported from a file.",
            "%(count)s archived copies imported from a file.",
            count,
        ) % {"count": count}

    def format_comment(self, log_entry):
        return " ".join(log_entry.data.get("copies", []))


# A file attached to a record whose SHA-256 came from the auto-archiver, kept
# although its own hash differs (admin.custody): the history keeps both.
ARCHIVER_HASH_REPLACED = "wagtail_evidence.archiver_hash_replaced"


class ArchiverHashReplacedFormatter(LogFormatter):
    label = gettext_lazy("Replace the auto-archiver's SHA-256")

    def format_message(self, log_entry):
        return _(
            "The original file attached has SHA-256 %(file)s; it replaces "
            "%(archived)s, which the auto-archiver recorded for the file it "
            "captured."
        ) % {
            "file": log_entry.data.get("file", ""),
            "archived": log_entry.data.get("archived", ""),
        }


class SourceStatusFormatter(LogFormatter):
    label = gettext_lazy("Change a source's status")

    def format_message(self, log_entry):
        data = log_entry.data
        values = {
            "url": data.get("url", ""),
            "before": status_label(data.get("before", "")),
            "after": status_label(data.get("after", "")),
        }
        if data.get("withdrawn"):
            return (
                _(
                    "Source status of %(url)s: %(before)s → not set by the desk "
                    "(now %(after)s)"
                )
                % values
            )
        return _("Source status of %(url)s: %(before)s → %(after)s") % values


def register_archive_log_actions(actions):
    for action, formatter in (
        (tasks.ARCHIVE_REQUESTED, ArchiveRequestedFormatter),
        (tasks.ARCHIVE_DONE, ArchiveDoneFormatter),
        (tasks.CHECK_REQUESTED, CheckRequestedFormatter),
        (tasks.CHECK_DONE, CheckDoneFormatter),
        (tasks.SOURCE_STATUS, SourceStatusFormatter),
        (COPIES_IMPORTED, CopiesImportedFormatter),
        (ARCHIVER_HASH_REPLACED, ArchiverHashReplacedFormatter),
    ):
        actions.register_action(action)(formatter)

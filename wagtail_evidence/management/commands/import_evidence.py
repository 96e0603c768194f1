"""Import Evidence records from a CSV or JSON file (docs/how-to/import-and-export.md)."""

import contextlib
import os
import sys
import tempfile

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from wagtail_evidence.exchange import FORMATS, guess_format, import_evidence


WOULD = {
    "created": "would be created",
    "updated": "would be updated",
    "unchanged": "unchanged",
}


class Command(BaseCommand):
    help = (
        "Import Evidence records from a CSV or JSON file, matched on their media "
        "address. Writes all rows or none; a row that changes nothing writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import, or - for standard input.")
        parser.add_argument(
            "--user",
            required=True,
            help="The username to act as: revisions and the history name them.",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="csv or json; by default, the file's extension.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change and write nothing.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish each record the import creates or changes (needs the publish permission). "
            "Without it, changes are saved as drafts.",
        )

    def handle(self, *args, **options):
        path = options["file"]
        file_format = options["format"] or guess_format(path)
        if file_format is None:
            raise CommandError(
                "Give --format csv or --format json: the file name does not say."
            )
        user = self.get_user(options["user"])
        with self.open(path) as content:
            self.import_file(content, path, file_format, user, options)

    def import_file(self, content, path, file_format, user, options):
        # The rows' outcomes go to a spool (64 KB in memory, then disk) and are
        # shown only once the import is known to have held (or on a dry run):
        # the report itself lists none.
        with tempfile.SpooledTemporaryFile(
            max_size=64 * 1024, mode="w+", encoding="utf-8"
        ) as listing:

            def list_row(row):
                action = WOULD[row.action] if options["dry_run"] else row.action
                changed = (
                    f": {', '.join(row.changed)}" if row.action == "updated" else ""
                )
                listing.write(
                    f"line {row.line}: {action} “{row.title}” <{row.media_url}>{changed}\n"
                )

            try:
                report = import_evidence(
                    content,
                    file_format,
                    user,
                    dry_run=options["dry_run"],
                    publish=options["publish"],
                    source=os.path.basename(path) if path != "-" else "standard input",
                    list_rows=0,
                    on_row=list_row,
                )
            except PermissionDenied as error:
                raise CommandError(str(error)) from None
            if report.written or report.dry_run:
                listing.seek(0)
                for line in listing:
                    self.stdout.write(line, ending="")
        for line in report.error_lines():
            self.stderr.write(line)
        if report.failure:
            raise CommandError(
                "Nothing was imported: the dry run failed."
                if report.dry_run
                else "Nothing was imported: writing failed and was undone."
            )
        if not report.ok:
            bad = report.bad_count
            what = (
                f"{bad} row{'s' if bad != 1 else ''} with errors"
                if bad
                else "the file cannot be read"
            )
            raise CommandError(f"Nothing was imported: {what}.")
        self.stdout.write(self.summary(report))

    def get_user(self, username):
        User = get_user_model()
        try:
            return User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user “{username}”.") from None

    def open(self, path):
        """The file, open for reading: the import reads it once, as it plans
        and writes, so standard input is read as it comes (and left open)."""
        if path == "-":
            return contextlib.nullcontext(sys.stdin.buffer)
        try:
            return open(path, "rb")  # closed by handle()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None

    def summary(self, report):
        created, updated, unchanged = (
            report.count(action) for action in ("created", "updated", "unchanged")
        )
        if not report.written:
            return f"Dry run: {created} would be created, {updated} would be updated, {unchanged} unchanged. Nothing was written."
        published = f" ({report.published} published)" if report.published else ""
        return (
            f"{created} created, {updated} updated, {unchanged} unchanged{published}."
        )

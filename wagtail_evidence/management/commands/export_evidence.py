"""Export every Evidence record to CSV or JSON, in the shape import_evidence reads."""

from django.core.management.base import BaseCommand, CommandError

from wagtail_evidence.exchange import FORMATS, export_evidence, guess_format


class Command(BaseCommand):
    help = (
        "Export every Evidence record (its latest version, as editors see it) to CSV "
        "or JSON, in the shape import_evidence reads."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="csv or json; by default the output file's extension, else csv.",
        )
        parser.add_argument(
            "--output", "-o", help="The file to write; standard output by default."
        )

    def handle(self, *args, **options):
        path = options["output"]
        file_format = (
            options["format"] or (guess_format(path) if path else None) or "csv"
        )
        export = export_evidence(file_format)
        if path:
            try:
                with open(path, "w", encoding="utf-8", newline="") as handle:
                    handle.write(export.content)
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
            self.stdout.write(
                f"Wrote {export.count} record{'s' if export.count != 1 else ''} to {path}."
            )
        else:
            self.stdout.write(export.content, ending="")
        if export.left_out:
            titles = ", ".join(f"“{title}”" for title in export.left_out)
            self.stderr.write(
                f"Left out {len(export.left_out)} record(s) with no media address: {titles}."
            )

"""Delete the stored evidence blocks no reader will be served (reader.stored_renders).

A record's outdated rows go when its token is renewed. Rows past
``STORED_RENDERS_MAX_AGE`` stay until their block is rendered again, and rows
of a deploy that changed the key's settings or translations are never read
again: this deletes the first and, once past their age, the second. Run it
from cron, or with ``--all`` after a deploy that changed what no key sees (a
storage's own settings): readers then render each block once again.
"""

from django.core.management.base import BaseCommand

from wagtail_evidence.reader import stored_renders


class Command(BaseCommand):
    help = (
        "Delete the stored evidence blocks no reader will be served: those past "
        "STORED_RENDERS_MAX_AGE and those of an outdated render token."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Delete every stored block; readers render each once again.",
        )

    def handle(self, *args, **options):
        deleted = stored_renders.prune(everything=options["all"])
        self.stdout.write(f"{deleted} stored evidence blocks deleted.")

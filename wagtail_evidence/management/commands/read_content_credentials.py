"""Read the Content Credentials (C2PA) of every record's files that have not
been read as they are now: after installing ``wagtail-evidence[c2pa]`` on a
site with records, or after changing ``C2PA_TRUST_ANCHORS``. Files already read
are skipped, so running it twice reads nothing the second time. Offline, as on
save (docs/how-to/content-credentials.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from wagtail_evidence.media.credentials import FILE_FIELDS, is_available
from wagtail_evidence.models import Evidence
from wagtail_evidence.models.credentials import refresh_content_credentials


class Command(BaseCommand):
    help = (
        "Read the Content Credentials of the records' original files, video files "
        "and posters not read as they are now."
    )

    def handle(self, *args, **options):
        if not is_available():
            raise CommandError(
                'The C2PA reader is not installed: pip install "wagtail-evidence[c2pa]".'
            )
        with_files = Q()
        for slot in FILE_FIELDS:
            with_files |= Q(**{f"{slot}__isnull": False})
        records = Evidence.objects.filter(with_files).order_by("pk")
        count = read = 0
        for record in records.iterator(chunk_size=200):
            count += 1
            read += refresh_content_credentials(record)
        self.stdout.write(f"{count} records with files; {read} files read.")

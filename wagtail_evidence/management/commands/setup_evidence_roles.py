from django.core.management.base import BaseCommand

from wagtail_evidence.editorial.roles import setup_roles


class Command(BaseCommand):
    help = (
        "Create the Editors, Moderators and Verification desk groups with their "
        "evidence permissions. Safe to run again: it only adds what is missing."
    )

    def handle(self, *args, **options):
        for name, group in setup_roles().items():
            codenames = sorted(
                group.permissions.filter(
                    content_type__app_label="wagtail_evidence"
                ).values_list("codename", flat=True)
            )
            self.stdout.write(f"{name}: {', '.join(codenames)}")

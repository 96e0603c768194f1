"""Wagtail's ``publish_scheduled``, made safe for articles the evidence gate refuses.

Wagtail's command stops at the first revision whose publish raises, so one
article citing unpublished evidence would hold back every publication scheduled
after it. This command runs Wagtail's; when the gate refuses an article, it
takes that article off the schedule (its draft is kept), says why on stderr and
in the article's history, and runs Wagtail's command again for the rest. The
gate is met at the moment of publication, after the same run's expiries and
earlier publications, exactly as Wagtail orders them.

It replaces Wagtail's when ``wagtail_evidence`` is listed before ``wagtail`` in
INSTALLED_APPS (system check wagtail_evidence.W001).
"""

from django.utils import timezone
from wagtail.log_actions import log
from wagtail.management.commands.publish_scheduled import (
    Command as WagtailPublishScheduled,
)
from wagtail.models import Revision

from wagtail_evidence.editorial.gate import EvidenceGateError, gate_publish
from wagtail_evidence.models import EvidenceArticleMixin


class Command(WagtailPublishScheduled):
    help = (
        "Publish scheduled pages and snippets, as Wagtail's command does, except that "
        "an article the evidence gate refuses is taken off the schedule and reported "
        "instead of stopping the publications after it."
    )

    def handle(self, *args, **options):
        if options["dryrun"]:
            self.report_refusals_ahead()
            return super().handle(*args, **options)
        while True:  # each pass either finishes or takes one article off the schedule
            try:
                return super().handle(*args, **options)
            except EvidenceGateError as refusal:
                if refusal.instance is None:
                    raise
                self.take_off_schedule(refusal.instance, refusal.messages)

    def due_revisions(self):
        return Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by(
            "approved_go_live_at"
        )

    def report_refusals_ahead(self):
        """For a dry run: what the gate would refuse if it ran now."""
        for revision in self.due_revisions():
            article = revision.as_object()
            if isinstance(article, EvidenceArticleMixin):
                try:
                    gate_publish(article)
                except EvidenceGateError as refusal:
                    self.report(article, refusal.messages, "would be taken")

    def take_off_schedule(self, article, problems):
        # Wagtail sets the revision it is publishing on the instance just before
        # the save the gate refused (and has already cleared its schedule).
        revision = article.live_revision
        if revision is None or revision.pk is None:
            raise EvidenceGateError(problems)
        Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
        self.report(article, problems, "was taken")
        log(
            article,
            "wagtail_evidence.schedule_refused",
            revision=revision,
            data={"problems": problems},
        )

    def report(self, article, problems, verb):
        self.stderr.write(f"“{article}” (page {article.pk}) {verb} off the schedule:")
        for problem in problems:
            self.stderr.write(f"  {problem}")

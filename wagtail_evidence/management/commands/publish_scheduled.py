"""Wagtail's ``publish_scheduled``, made safe for articles the evidence gate refuses.

Wagtail's command stops at the first revision whose publish raises, so one
article citing unpublished evidence would hold back every publication scheduled
after it. This command first takes such articles off the schedule (their draft
is kept), says why on stderr and in each article's history, then runs Wagtail's
command unchanged. It replaces Wagtail's when ``wagtail_evidence`` is listed
before ``wagtail`` in INSTALLED_APPS (system check wagtail_evidence.W001).
"""

from django.utils import timezone
from wagtail.log_actions import log
from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled
from wagtail.models import Revision

from wagtail_evidence.gate import EvidenceGateError, check_publishable
from wagtail_evidence.models import EvidenceArticleMixin


class Command(WagtailPublishScheduled):
    help = (
        "Publish scheduled pages and snippets, as Wagtail's command does, except that "
        "an article the evidence gate refuses is taken off the schedule and reported "
        "instead of stopping the publications after it."
    )

    def handle(self, *args, **options):
        self.hold_back_refused_articles(dryrun=options["dryrun"])
        super().handle(*args, **options)

    def hold_back_refused_articles(self, dryrun):
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by("approved_go_live_at")
        for revision in due:
            article = revision.as_object()
            if not isinstance(article, EvidenceArticleMixin):
                continue
            try:
                check_publishable(article)
            except EvidenceGateError as refusal:
                self.report(revision, article, refusal.messages, dryrun)

    def report(self, revision, article, problems, dryrun):
        verb = "would be taken" if dryrun else "was taken"
        self.stderr.write(f"“{article}” (page {article.pk}) {verb} off the schedule:")
        for problem in problems:
            self.stderr.write(f"  {problem}")
        if dryrun:
            return
        revision.approved_go_live_at = None
        revision.save(update_fields=["approved_go_live_at"])
        log(article, "wagtail_evidence.schedule_refused", revision=revision, data={"problems": problems})

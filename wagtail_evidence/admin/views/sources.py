"""A record's sources in the admin: their status, their archived copies, and
"Archive now" and "Check sources", on the record's own page, in bulk from the
Evidence listing, and as a column of the register.

Starting either is a POST with the CSRF token, never a GET; who may start it
(any user who may change the record) and who may set a status by hand (the
verification desk) is asked again on every POST, so a page opened before a
permission was withdrawn cannot act on it. A status form opened before someone
else changed that status is refused, as a stale Evidence form is.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import classproperty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.panels import Panel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from wagtail_evidence.admin.views.bulk_listing import record_ids_in_listing
from wagtail_evidence.archives import tasks
from wagtail_evidence.archives.problems import describe
from wagtail_evidence.choices import (
    SourceStatus,
    SourceTaskKind,
    SourceTaskState,
)
from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.models import Evidence, SourceCheck, SourceTask
from wagtail_evidence.reader.sources import record_sources


ACTIONS = {"archive": SourceTaskKind.ARCHIVE, "check": SourceTaskKind.CHECK}


def sources_url(evidence):
    return reverse("wagtail_evidence:sources", args=[evidence.pk])


def header_buttons(request, evidence):
    """The edit view's "Sources and archives" button, for whoever may see it."""
    if evidence.pk is None or not evidence_permission_policy.user_may_work_on_evidence(
        request.user
    ):
        return []
    return [
        Button(
            _("Sources and archives"),
            url=sources_url(evidence),
            icon_name="history",
            priority=30,
        )
    ]


def task_summary(row):
    """What the admin says about one archive or check: its state, its
    progress and its problems."""
    if row is None:
        return None
    return {
        "row": row,
        "state_label": SourceTaskState(row.state).label,
        "problems": [describe(problem) for problem in row.problems],
    }


class SourcesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_evidence/admin/sources.html"
    header_icon = "history"

    def dispatch(self, request, pk):
        self.evidence = get_object_or_404(Evidence, pk=pk)
        if not evidence_permission_policy.user_may_work_on_evidence(request.user):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Sources and archives")

    def get_page_subtitle(self):
        return self.evidence.title

    def get_breadcrumbs_items(self):
        edit_url = reverse(
            "wagtailsnippets_wagtail_evidence_evidence:edit", args=[self.evidence.pk]
        )
        return [
            {"url": edit_url, "label": self.evidence.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        latest = self.evidence.get_latest_revision_as_object()
        rows = {
            row.kind: row for row in SourceTask.objects.filter(evidence=self.evidence)
        }
        context.update(
            evidence=self.evidence,
            edit_url=reverse(
                "wagtailsnippets_wagtail_evidence_evidence:edit",
                args=[self.evidence.pk],
            ),
            sources=record_sources(self.evidence, latest),
            archive=task_summary(rows.get(SourceTaskKind.ARCHIVE)),
            check=task_summary(rows.get(SourceTaskKind.CHECK)),
            may_start=tasks.may_start(user, self.evidence),
            may_set_status=tasks.may_set_status(user),
            statuses=[(tasks.NOT_SET, _("Not set")), *SourceStatus.choices],
        )
        return context

    def post(self, request, pk):
        action = request.POST.get("action", "")
        if action in ACTIONS:
            self.start(ACTIONS[action])
        elif action == "status":
            self.set_status()
        else:
            messages.error(
                request, _("Nothing was done: the form is not one of this page's.")
            )
        return redirect(sources_url(self.evidence))

    def start(self, kind):
        if not tasks.may_start(self.request.user, self.evidence):
            raise PermissionDenied
        row = tasks.start(self.evidence, self.request.user, kind)
        if row is None:
            messages.warning(
                self.request,
                _("It is already under way: this page shows how far it is."),
            )
            return
        row.refresh_from_db()
        if row.state == SourceTaskState.QUEUED:
            messages.success(self.request, _("Started: this page shows how far it is."))
        elif row.state == SourceTaskState.DONE:
            messages.success(self.request, _("Done."))
        else:
            messages.error(self.request, _("Done, with problems: see below."))

    def set_status(self):
        if not tasks.may_set_status(self.request.user):
            raise PermissionDenied
        url = self.request.POST.get("url", "")
        status = self.request.POST.get("status", "")
        if status != tasks.NOT_SET and status not in SourceStatus.values:
            messages.error(self.request, _("Choose one of the statuses offered."))
            return
        current = SourceCheck.objects.filter(evidence=self.evidence, url=url).first()
        seen = current.updated_at.isoformat() if current else ""
        if self.request.POST.get("seen", "") != seen:
            messages.error(
                self.request,
                _(
                    "The status was not changed: it changed since you opened this "
                    "page. Here it is as it is now."
                ),
            )
            return
        try:
            changed = tasks.set_status(self.evidence, url, status, self.request.user)
        except ValueError:
            messages.error(
                self.request, _("That address is not one of this record's sources.")
            )
            return
        if changed and status == tasks.NOT_SET:
            messages.success(
                self.request,
                _(
                    "The desk's status is withdrawn: the last check's finding, "
                    "if any, stands."
                ),
            )
        elif changed:
            messages.success(self.request, _("Source status saved."))


# What each bulk action says beside its kind's own label ("Archive now",
# "Check sources"): the rest is the same for both.
BULK_TEXTS = {
    SourceTaskKind.ARCHIVE: {
        "aria_label": gettext_lazy("Archive the sources of the selected records"),
        "success": ngettext_lazy(
            "Archiving started for %(count)s record.",
            "Archiving started for %(count)s records.",
            "count",
        ),
    },
    SourceTaskKind.CHECK: {
        "aria_label": gettext_lazy("Check the sources of the selected records"),
        "success": ngettext_lazy(
            "A check of the sources started for %(count)s record.",
            "A check of the sources started for %(count)s records.",
            "count",
        ),
    },
}


# Each record is a task asking a rate-limited service (an archive) or every
# source (a check) once per address: a bulk start takes at most this many, so
# that "Select all in listing" on a large register cannot queue thousands.
MAX_RECORDS = 100


def too_many_message(count):
    return ngettext(
        "%(count)s record is selected; start this for at most %(max)s at a time. "
        "Narrow the listing with its search or filters, or select fewer.",
        "%(count)s records are selected; start this for at most %(max)s at a time. "
        "Narrow the listing with its search or filters, or select fewer.",
        count,
    ) % {"count": count, "max": MAX_RECORDS}


class SourcesBulkAction(SnippetBulkAction):
    """Start an archive or a check (``kind``) for each chosen record the user
    may change. Made for each kind by ``sources_bulk_action``."""

    kind = None
    success = None
    template_name = "wagtail_evidence/admin/confirm_bulk_sources.html"

    @classproperty
    def models(cls):
        return [Evidence]

    def dispatch(self, request, *args, **kwargs):
        if not evidence_permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, obj):
        return tasks.may_start(self.request.user, obj)

    def get_execution_context(self):
        return {"user": self.request.user, "kind": self.kind}

    @classmethod
    def execute_action(cls, objects, user=None, kind=None, **kwargs):
        started = sum(
            tasks.start(evidence, user, kind) is not None for evidence in objects
        )
        return started, 0

    def get_all_objects_in_listing_query(self, parent_id):
        return record_ids_in_listing(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        count = len(context["items"])
        return {
            **context,
            "action_label": self.display_name,
            "too_many": too_many_message(count) if count > MAX_RECORDS else "",
        }

    def prepare_action(self, objects, objects_without_access):
        # Asked again on the POST: the listing may have grown since the GET.
        if len(objects) > MAX_RECORDS:
            messages.error(self.request, too_many_message(len(objects)))
            return redirect(self.next_url)
        return None

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.success % {"count": num_parent_objects}


def sources_bulk_action(kind, priority):
    """The bulk action that starts ``kind``: its URL's action type is
    "<kind>_sources", its label the kind's own."""
    return type(
        f"{kind.value.capitalize()}SourcesBulkAction",
        (SourcesBulkAction,),
        {
            "__module__": __name__,
            "kind": kind,
            "action_type": f"{kind.value}_sources",
            "display_name": kind.label,
            "action_priority": priority,
            **BULK_TEXTS[kind],
        },
    )


ArchiveBulkAction = sources_bulk_action(SourceTaskKind.ARCHIVE, priority=60)
CheckSourcesBulkAction = sources_bulk_action(SourceTaskKind.CHECK, priority=61)


# The register's column and filter


NEVER_ARCHIVED = "never"


class ArchiveStateFilter(django_filters.ChoiceFilter):
    """Where a record's last archive stands, or that it was never archived:
    what a desk selects before "Archive now" in bulk."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Last archive"))
        super().__init__(
            choices=[
                (NEVER_ARCHIVED, gettext_lazy("Never archived")),
                *SourceTaskState.choices,
            ],
            method=self.filter_state,
            **kwargs,
        )

    @staticmethod
    def filter_state(queryset, name, value):
        archive = SourceTask.objects.filter(
            evidence=OuterRef("pk"), kind=SourceTaskKind.ARCHIVE
        )
        if value == NEVER_ARCHIVED:
            return queryset.filter(~Exists(archive))
        return queryset.filter(Exists(archive.filter(state=value)))


def source_annotations():
    """The last archive's state and the media's status, per row, as
    subqueries: the register's queries do not grow with its rows."""
    archive = SourceTask.objects.filter(
        evidence=OuterRef("pk"), kind=SourceTaskKind.ARCHIVE
    )
    media = SourceCheck.objects.filter(
        evidence=OuterRef("pk"), url=OuterRef("media_url")
    )
    return {
        "archive_state": Subquery(archive.values("state")[:1]),
        "media_source_status": Subquery(media.values("status")[:1]),
    }


class SourcesColumn(Column):
    cell_template_name = "wagtail_evidence/admin/sources_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        state = getattr(instance, "archive_state", None)
        status = getattr(instance, "media_source_status", None)
        context.update(
            sources_url=sources_url(instance),
            archive_label=SourceTaskState(state).label if state else "",
            archive_state=state or "",
            media_status_label=(
                SourceStatus(status).label
                if status and status != SourceStatus.UNKNOWN
                else ""
            ),
            media_gone=status
            in (SourceStatus.DELETED, SourceStatus.EMBEDDING_DISABLED),
        )
        return context


# The evidence form's panel, on the Sources tab


class SourcesPanel(Panel):
    """Read-only: where the last archive and check stand, the media's status
    and the number of archived copies, with the link to the page that acts."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Archives and source status"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "sources_and_archives"

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_evidence/admin/sources_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            evidence = self.instance
            if evidence.pk is None:
                return {**context, "saved": False}
            rows = {row.kind: row for row in evidence.source_tasks.all()}
            media = evidence.source_checks.filter(url=evidence.media_url).first()
            context.update(
                saved=True,
                sources_url=sources_url(evidence),
                archive=task_summary(rows.get(SourceTaskKind.ARCHIVE)),
                check=task_summary(rows.get(SourceTaskKind.CHECK)),
                media_status=media.get_status_display() if media else "",
                copies=evidence.archived_copies.count(),
            )
            return context

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from wagtail_evidence.i18n import isolate, join_labels
from wagtail_evidence.models import Evidence
from wagtail_evidence.verification import AUDITED_FIELDS, log_changes
from wagtail_evidence.viewsets import EvidenceViewSet


register_snippet(EvidenceViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    from wagtail_evidence import admin_urls

    return [path("evidence/", include(admin_urls, namespace="wagtail_evidence"))]


class RegisterMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtail_evidence.change_evidence")


@hooks.register("register_reports_menu_item")
def register_register_menu_item():
    return RegisterMenuItem(
        gettext_lazy("Evidence register"), reverse("wagtail_evidence:register"), name="evidence-register", icon_name="media", order=650
    )


class AuditedChangeFormatter(LogFormatter):
    """'Location status: Not checked → Confirmed. Reason: …' in the history."""

    def format_message(self, log_entry):
        data = log_entry.data
        field = Evidence._meta.get_field(data["field"])
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
        return join_labels((labels.get(item, item) for item in value), html=False) or _("none")
    return str(dict(field.choices).get(value, value)) if field.choices else str(value)


class ScheduleRefusedFormatter(LogFormatter):
    label = gettext_lazy("Scheduled publication cancelled by the evidence gate")

    def format_message(self, log_entry):
        return _("Scheduled publication cancelled: the article cites evidence readers must not see yet.")

    def format_comment(self, log_entry):
        return " ".join(log_entry.data.get("problems", []))


@hooks.register("register_log_actions")
def register_evidence_log_actions(actions):
    for action, label in (
        # Lazy: the registry keeps these labels for the life of the process.
        ("wagtail_evidence.facet_status", gettext_lazy("Change a facet status")),
        ("wagtail_evidence.verdict", gettext_lazy("Change the verdict")),
        ("wagtail_evidence.warning_level", gettext_lazy("Change the content warning")),
        ("wagtail_evidence.warning_categories", gettext_lazy("Change what the warning is for")),
    ):
        formatter = type("Formatter", (AuditedChangeFormatter,), {"label": label})
        actions.register_action(action)(formatter)
    actions.register_action("wagtail_evidence.schedule_refused")(ScheduleRefusedFormatter)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def log_audited_changes(request, instance):
    changes = getattr(instance, "_audit_changes", None)
    if isinstance(instance, Evidence) and changes:
        log_changes(instance, changes, user=request.user, reason=getattr(instance, "_audit_reason", ""))
        instance._audit_changes = {}


@hooks.register("construct_homepage_panels")
def add_evidence_panels(request, panels):
    from wagtail_evidence.panels_dashboard import AwaitingEvidenceCheckPanel, AwaitingVerificationPanel

    if request.user.has_perm("wagtail_evidence.change_evidence"):
        panels.append(AwaitingVerificationPanel())
    panels.append(AwaitingEvidenceCheckPanel())  # empty, so hidden, for non-moderators


# Last, after any hook that may still refuse the copy: this one answers the POST.
@hooks.register("before_copy_page", order=1000)
def gate_page_copies(request, page):
    if request.method == "POST":
        from wagtail_evidence.views.copy_page import gated_copy

        return gated_copy(request, page)
    return None

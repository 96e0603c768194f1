"""Wiring only: what the package adds to Wagtail's admin, each piece defined in
the module named beside it."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from wagtail_evidence.admin import assets, urls
from wagtail_evidence.admin.account import WarnedMediaSettingsPanel
from wagtail_evidence.admin.custody import log_replaced_archiver_hash
from wagtail_evidence.admin.dashboard import (
    AwaitingEvidenceCheckPanel,
    AwaitingVerificationPanel,
)
from wagtail_evidence.admin.menu import RegisterMenuItem
from wagtail_evidence.admin.near_duplicates import warn_of_near_duplicates
from wagtail_evidence.admin.publish_refusal import refuse_publish_keeping_the_draft
from wagtail_evidence.admin.views.copy_page import gated_copy
from wagtail_evidence.admin.views.create import one_page_per_create_form
from wagtail_evidence.admin.views.serial_saves import (
    one_save_of_a_record_at_a_time,
    one_save_of_an_article_at_a_time,
)
from wagtail_evidence.admin.views.sources import (
    ArchiveBulkAction,
    CheckSourcesBulkAction,
)
from wagtail_evidence.admin.viewsets import register_evidence_snippet
from wagtail_evidence.archives.log_actions import register_archive_log_actions
from wagtail_evidence.editorial.log_actions import register_log_actions
from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.editorial.verification import log_form_changes
from wagtail_evidence.exchange.log_actions import register_import_log_actions


register_evidence_snippet()
hooks.register("register_log_actions", register_log_actions)
hooks.register("register_log_actions", register_archive_log_actions)
hooks.register("register_log_actions", register_import_log_actions)
hooks.register("register_bulk_action", ArchiveBulkAction)
hooks.register("register_bulk_action", CheckSourcesBulkAction)
hooks.register("after_create_snippet", log_form_changes)
hooks.register("after_edit_snippet", log_form_changes)
hooks.register("after_create_snippet", log_replaced_archiver_hash)
hooks.register("after_edit_snippet", log_replaced_archiver_hash)
hooks.register("after_create_snippet", warn_of_near_duplicates)
hooks.register("after_edit_snippet", warn_of_near_duplicates)
# First: each runs its view again, where the other hooks then run once.
hooks.register("before_create_page", one_page_per_create_form, order=-1000)
hooks.register("before_edit_page", one_save_of_an_article_at_a_time, order=-1000)
hooks.register("before_edit_snippet", one_save_of_a_record_at_a_time, order=-1000)
hooks.register("before_publish_page", refuse_publish_keeping_the_draft)
hooks.register("insert_global_admin_css", assets.stylesheet)
hooks.register("insert_global_admin_js", assets.script)
hooks.register("register_account_settings_panel", WarnedMediaSettingsPanel)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("evidence/", include(urls, namespace="wagtail_evidence"))]


@hooks.register("register_reports_menu_item")
def register_register_menu_item():
    return RegisterMenuItem(
        _("Evidence register"),
        reverse("wagtail_evidence:register"),
        name="evidence-register",
        icon_name="media",
        order=650,
    )


@hooks.register("construct_homepage_panels")
def add_evidence_panels(request, panels):
    if evidence_permission_policy.user_has_permission(request.user, "change"):
        panels.append(AwaitingVerificationPanel())
    panels.append(AwaitingEvidenceCheckPanel())  # empty, so hidden, for non-moderators


# Last, after any hook that may still refuse the copy: this one answers the POST.
@hooks.register("before_copy_page", order=1000)
def gate_page_copies(request, page):
    return gated_copy(request, page) if request.method == "POST" else None

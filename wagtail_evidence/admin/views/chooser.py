"""The Evidence chooser, open only to users who hold an evidence permission.

Wagtail's snippet chooser asks for admin access alone, so anyone who can log
in to the admin could list every record, drafts included, with their titles.
Choosing evidence is part of working on it: the chooser's views (the list, its
search results, the chosen record) now ask for the same permissions as the
Evidence listing.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)

from wagtail_evidence.admin.views.columns import BadgeColumn
from wagtail_evidence.blocks.choosers import chosen_title
from wagtail_evidence.editorial.permissions import evidence_permission_policy


class EvidencePermissionRequired:
    def dispatch(self, request, *args, **kwargs):
        if not evidence_permission_policy.user_may_work_on_evidence(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EvidenceColumns:
    """The list shows each record's badge and warning beside its title, as the
    Evidence listing does: an editor chooses knowing what they cite."""

    @property
    def columns(self):
        title, *others = super().columns
        return [
            title,
            BadgeColumn("badge", label=_("Badge")),
            Column(
                "warning_level",
                label=_("Content warning"),
                accessor="get_warning_level_display",
            ),
            *others,
        ]


class ChosenTitle:
    """The chosen record named as the chooser widget names it (chosen_title)."""

    def get_display_title(self, instance):
        return chosen_title(instance)


class EvidenceChooseView(EvidencePermissionRequired, EvidenceColumns, ChooseView):
    pass


class EvidenceChooseResultsView(
    EvidencePermissionRequired, EvidenceColumns, ChooseResultsView
):
    pass


class EvidenceChosenView(EvidencePermissionRequired, ChosenTitle, SnippetChosenView):
    pass


class EvidenceChosenMultipleView(
    EvidencePermissionRequired, ChosenTitle, SnippetChosenMultipleView
):
    pass


class EvidenceChooserCreateView(SnippetCreateView):
    """Records are created from the Evidence menu, with the desk's rules; the
    chooser has no creation form, and Wagtail's view would fail on a POST."""

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class EvidenceChooserViewSet(SnippetChooserViewSet):
    choose_view_class = EvidenceChooseView
    choose_results_view_class = EvidenceChooseResultsView
    chosen_view_class = EvidenceChosenView
    chosen_multiple_view_class = EvidenceChosenMultipleView
    create_view_class = EvidenceChooserCreateView

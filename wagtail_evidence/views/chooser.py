"""The Evidence chooser, open only to users who hold an evidence permission.

Wagtail's snippet chooser asks for admin access alone, so anyone who can log
in to the admin could list every record, drafts included, with their titles.
Choosing evidence is part of working on it: the chooser's views (the list, its
search results, the chosen record) now ask for the same permissions as the
Evidence listing.
"""

from django.core.exceptions import PermissionDenied
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)

from wagtail_evidence.verification import has_any_evidence_permission


class EvidencePermissionRequired:
    def dispatch(self, request, *args, **kwargs):
        if not has_any_evidence_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EvidenceChooseView(EvidencePermissionRequired, ChooseView):
    pass


class EvidenceChooseResultsView(EvidencePermissionRequired, ChooseResultsView):
    pass


class EvidenceChosenView(EvidencePermissionRequired, SnippetChosenView):
    pass


class EvidenceChosenMultipleView(EvidencePermissionRequired, SnippetChosenMultipleView):
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

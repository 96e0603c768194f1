"""Deleting Evidence: confirmed, with the articles that cite the record named.

Deleting is never refused because articles cite the record: the desk may have
to take an item down at once. Readers of those articles then see that the item
was withdrawn, as they do when a record is unpublished, and the publish gate
(wagtail_evidence.editorial.gate) keeps any of them from going live again, draft or
republish, until an editor removes the item or chooses another record. The
single delete view and the bulk delete action show the same list.
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property, classproperty
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views.snippets import DeleteView

from wagtail_evidence.admin.citing import citing_articles
from wagtail_evidence.models import Evidence


def unpublish_url(request, record):
    """Where to unpublish the record instead, when the user may and it is live."""
    viewset = Evidence.snippet_viewset
    if record.live and viewset.permission_policy.user_has_permission(
        request.user, "publish"
    ):
        return reverse(viewset.get_url_name("unpublish"), args=[record.pk])
    return None


class EvidenceDeleteView(DeleteView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["citing_articles"] = citing_articles([self.object], self.request)[
            self.object.pk
        ]
        context["unpublish_url"] = unpublish_url(self.request, self.object)
        return context


class EvidenceDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete for snippets, listing the articles citing each record.
    Registered for Evidence only, by EvidenceViewSet.on_register()."""

    template_name = "wagtail_evidence/admin/confirm_bulk_delete.html"

    @classproperty
    def models(cls):
        return [Evidence]

    def dispatch(self, request, *args, **kwargs):
        # Wagtail lists records the user may not delete and deletes only the others:
        # with no delete permission at all, refuse the request outright instead.
        if not self.model.snippet_viewset.permission_policy.user_has_permission(
            request.user, "delete"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def citing(self):
        return citing_articles(self.get_actionable_objects()[0], self.request)

    def object_context(self, snippet):
        return {
            **super().object_context(snippet),
            "citing_articles": self.citing[snippet.pk],
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        citing = self.citing.values()
        context["citing_any"] = any(citing)
        context["read_by_readers"] = any(
            articles.read_by_readers for articles in citing
        )
        return context

"""The Evidence listing: Wagtail's, with the title isolated (views/columns.py)."""

from wagtail.snippets.views.snippets import IndexView

from wagtail_evidence.admin.views.columns import IsolatedTitleColumn


class EvidenceIndexView(IndexView):
    def _get_title_column(self, field_name, column_class=IsolatedTitleColumn, **kwargs):
        # Wagtail builds the title column (its link, row buttons and the id the
        # bulk checkbox names) here; only the class changes.
        return super()._get_title_column(field_name, column_class, **kwargs)

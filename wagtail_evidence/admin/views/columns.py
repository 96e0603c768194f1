"""Columns of the package's admin tables (the Evidence listing, the register).

Editor-written text is isolated in its own <bdi>, so that a right-to-left
override in a title cannot reorder its row, the badge beside it included.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn

from wagtail_evidence.i18n import isolate


class IsolatedColumn(Column):
    """Editor-written text, in its own <bdi>."""

    def get_value(self, instance):
        return isolate(super().get_value(instance))


class IsolatedTitleColumn(TitleColumn):
    """Wagtail's title column with the title in its own <bdi>."""

    def get_value(self, instance):
        return isolate(super().get_value(instance))


class BadgeColumn(Column):
    """The derived badge, as readers will see it: its label in its colour."""

    cell_template_name = "wagtail_evidence/admin/badge_cell.html"

    def get_value(self, instance):
        return instance.badge


def publication_status_column():
    # Not Wagtail's LiveStatusTagColumn: its status_string asks the workflow
    # tables about every row; publication_status reads the row alone.
    return StatusTagColumn(
        "publication_status", label=_("Status"), primary=lambda instance: instance.live
    )

"""The evidence form's read-only panel of Content Credentials (C2PA): what the
manifests of the record's files say, as read when they were attached
(media/credentials.py). The desk reads it; nothing in it can be edited, and it
sets no facet: the authenticity facet stays the desk's call."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from wagtail_evidence.media.credentials import (
    FILE_FIELDS,
    CredentialsFile,
    is_available,
    trust_list,
)
from wagtail_evidence.reader.content_credentials import credentials_for


def panel_context(instance):
    """Each attached file with what was read from it (None: not read yet)."""
    available = is_available()
    read = {row.file: row for row in credentials_for(instance)} if available else {}
    files = []
    for slot in FILE_FIELDS:
        if getattr(instance, f"{slot}_id"):
            files.append(
                {
                    "label": CredentialsFile(slot).label,
                    "attached": getattr(instance, slot),
                    "row": read.get(slot),
                }
            )
    return {
        "available": available,
        "files": files,
        "trust": trust_list() if available else None,
        "saved": instance.pk is not None,
    }


class ContentCredentialsPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Content Credentials"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "content_credentials"

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_evidence/admin/content_credentials_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(panel_context(self.instance))
            return context

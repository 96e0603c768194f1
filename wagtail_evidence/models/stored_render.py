"""Rendered evidence blocks kept in the database, as Wagtail keeps an embed's HTML.

Core EmbedBlock writes no HTML of its own on a page view: it reads the embed's
HTML from its ``Embed`` row. An evidence block's HTML is built from seven
tables, so it is kept the same way: each render is stored here under the render
cache's key (reader.render_cache), which names the record's render token, the
language, the time zone, what the article sets on the block and the catalogue
of words. A key therefore only ever matches what the record is now; an emptied
cache (a restart, an eviction, an expiry) costs readers one read, not a render.

Rows of a record go when its token is renewed (reader.stored_renders.forget),
and with the record. They are read by the reader's request and written by it
and by the warming after a change (wagtail_evidence.warming).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredRender(models.Model):
    key = models.CharField(_("key"), max_length=64, primary_key=True)
    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("evidence"),
    )
    html = models.TextField(_("HTML"))
    rendered_at = models.DateTimeField(_("rendered at"))

    class Meta:
        verbose_name = _("stored render")
        verbose_name_plural = _("stored renders")

    def __str__(self):
        return self.key

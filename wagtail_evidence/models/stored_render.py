"""Rendered evidence blocks kept in the database, as Wagtail keeps an embed's HTML.

Core EmbedBlock writes no HTML of its own on a page view: it reads the embed's
HTML from its ``Embed`` row. An evidence block's HTML is built from seven
tables, so it is kept the same way: each render is stored here under the render
cache's key (reader.render_cache), which names the record's render token, the
language, the time zone, what the article sets on the block and what the HTML
depends on besides. A key therefore only ever matches what the record is now;
an emptied cache (a restart, an eviction, an expiry) costs readers one read,
not a render.

Each row keeps the token it was rendered with, so that the rows of an older
token can be found and deleted (reader.stored_renders.forget). The foreign key
has no database constraint: a reader may store a block of a record deleted
since the request loaded it, and a deferred constraint would then fail the
reader's commit; Django's cascade still deletes a record's rows with it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredRender(models.Model):
    key = models.CharField(_("key"), max_length=64, primary_key=True)
    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
        verbose_name=_("evidence"),
    )
    render_token = models.CharField(_("render token"), max_length=32)
    html = models.TextField(_("HTML"))
    rendered_at = models.DateTimeField(_("rendered at"))

    class Meta:
        verbose_name = _("stored render")
        verbose_name_plural = _("stored renders")

    def __str__(self):
        return self.key

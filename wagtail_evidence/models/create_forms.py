"""Which record or page each create form made, so that one form makes one of
them (admin/views/create.py says why)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


# Long enough for any editor to finish a form; the rows are forgotten after.
KEPT_FOR = timedelta(days=2)


class CreateFormKey(models.Model):
    """A create form's key, claimed by the first save of that form to succeed."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("evidence"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )
    # The version that first save wrote: a later post of the form was made from it.
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revision"),
    )
    # What Wagtail's autosave answer would have told the form after that save
    # (the ids of the rows, comments included, it saved), so that a later post
    # of the form does not add them again.
    field_updates = models.JSONField(_("field updates"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("create form key")
        verbose_name_plural = _("create form keys")

    def __str__(self):
        return self.key

    @classmethod
    def forget_old(cls):
        cls.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()

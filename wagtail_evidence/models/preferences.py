"""Each admin user's own preferences for the package's admin."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_evidence.choices import WarnedMediaDefault


class AdminPreferences(models.Model):
    """A row for each user who changed a preference; the others have the defaults.
    Set in the user's account settings (admin/account.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="wagtail_evidence_preferences",
        verbose_name=_("user"),
    )
    warned_media = models.CharField(
        _("media behind a content warning"),
        max_length=8,
        choices=WarnedMediaDefault.choices,
        default=WarnedMediaDefault.BLUR,
        help_text=_(
            "How the admin first shows the posters of evidence with a content "
            "warning: blurred and in grayscale until you show each one, or as "
            "they are."
        ),
    )

    class Meta:
        verbose_name = _("evidence admin preferences")
        verbose_name_plural = _("evidence admin preferences")

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user):
        """The user's preferences, or unsaved defaults. Read once per request:
        several surfaces of one page ask, and request.user keeps the answer."""
        if user is None or not user.is_authenticated:
            return cls()
        kept = getattr(user, "_wagtail_evidence_preferences", None)
        if kept is None:
            kept = cls.objects.filter(user=user).first() or cls(user=user)
            user._wagtail_evidence_preferences = kept
        return kept

    @property
    def blurs_warned_media(self):
        return self.warned_media != WarnedMediaDefault.SHOW

"""The ordered children of an Evidence record: where it appeared, who to credit."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.models import Orderable

from wagtail_evidence.choices import CreditRole, Platform
from wagtail_evidence.media.weburls import safe_web_url
from wagtail_evidence.models.fields import WebURLField, date_precision_field
from wagtail_evidence.validators import validate_not_in_future, validate_web_url_lines


class Appearance(Orderable):
    """Where the media was posted or relayed: source attribution."""

    evidence = ParentalKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="appearances",
    )
    platform = models.CharField(
        _("platform"), max_length=32, choices=Platform.choices, default=Platform.OTHER
    )
    account = models.CharField(
        _("account or outlet"),
        max_length=255,
        blank=True,
        help_text=_("The channel, account or news site that posted it."),
    )
    url = WebURLField(_("address"))
    # The earliest date this posting is known to have been online (readers
    # read "online since"), not when the newsroom came across it.
    first_seen = models.DateField(
        _("online since"),
        null=True,
        blank=True,
        validators=[validate_not_in_future],
        help_text=_(
            "The earliest date this posting is known to have been online: the "
            "day it was posted, if you know it. Not the day the newsroom found it."
        ),
    )
    first_seen_precision = date_precision_field(_("precision of online since"))
    archive_urls = models.TextField(
        _("archived copies"),
        blank=True,
        validators=[validate_web_url_lines],
        help_text=_("Addresses of archived copies, one per line."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")

    def __str__(self):
        return self.account or self.get_platform_display()

    @property
    def platform_label(self):
        # Cheaper than get_platform_display(), which rebuilds the choices per call.
        return Platform(self.platform).label

    @property
    def archive_url_list(self):
        """The archived copies that pass the URL checks (the field validates on input;
        this holds for rows written by other paths too)."""
        return [url for url in map(safe_web_url, self.archive_urls.splitlines()) if url]

    @property
    def safe_url(self):
        return safe_web_url(self.url)


class Credit(Orderable):
    """Who geolocated, dated, identified, verified, translated or provided it."""

    evidence = ParentalKey(
        "wagtail_evidence.Evidence", on_delete=models.CASCADE, related_name="credits"
    )
    name = models.CharField(
        _("name or handle"),
        max_length=255,
        help_text=_(
            "A person, an online handle or a collective, e.g. “social media users”."
        ),
    )
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=CreditRole.choices)
    url = WebURLField(
        _("link to their work"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("credit")
        verbose_name_plural = _("credits")

    @property
    def safe_url(self):
        return safe_web_url(self.url)

    @property
    def role_label(self):
        return CreditRole(self.role).label

    def __str__(self):
        if self.organisation:
            return f"{self.name} ({self.organisation})"
        return self.name


class EvidenceTag(TaggedItemBase):
    content_object = ParentalKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="tagged_items",
    )

    class Meta:
        verbose_name = _("evidence tag")
        verbose_name_plural = _("evidence tags")

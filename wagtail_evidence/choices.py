"""The controlled vocabularies of the domain: facet statuses, verdicts, badges,
precisions, credit roles, platforms, warnings, and claims' stances and
assessments, as docs/explanation/verification-model.md explains them.

Kept in one module so that models, blocks, the badge function and templates speak
the same words, and so that each word is translated once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FacetStatus(models.TextChoices):
    """How sure the newsroom is about one facet of a piece of evidence."""

    UNCHECKED = "unchecked", _("Not checked")
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_ESTABLISHED = "not_established", _("Not established")
    DISPUTED = "disputed", _("Disputed")
    CONTRADICTED = "contradicted", _("Contradicted")


class Verdict(models.TextChoices):
    """The verification desk's overall sign-off on an Evidence record."""

    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified as described")
    MISLEADING = "misleading", _("False or misleading")


class Badge(models.TextChoices):
    """What the reader sees; always derived (see wagtail_evidence.badge)."""

    VERIFIED = "verified", _("Verified")
    PARTIALLY_VERIFIED = "partially_verified", _("Partially verified")
    UNVERIFIED = "unverified", _("Unverified")
    DISPUTED = "disputed", _("Disputed")
    FALSE_OR_MISLEADING = "false_or_misleading", _("False or misleading")


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact day")
    APPROXIMATE = "approximate", _("Approximate (around that day)")
    MONTH = "month", _("Month only")


class ClaimDatePrecision(models.TextChoices):
    """How precisely a claim is dated: a statement on a day, a report of a
    month or of a year ("a 2019 report")."""

    EXACT = "exact", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("Exact spot (within about 10 m)")
    VICINITY = "vicinity", _("Vicinity (within a few hundred metres, ±500 m)")
    LOCALITY = "locality", _("Locality (the village, town or area, ±5 km)")


# How far from the coordinates the spot may be, in metres, for each precision:
# the distances the desk's choices have always named, so that readers are never
# told of more precision than the desk claimed when it chose one.
LOCATION_RADIUS_METRES = {
    LocationPrecision.EXACT: 10,
    LocationPrecision.VICINITY: 500,
    LocationPrecision.LOCALITY: 5000,
}


class AuthenticityCategory(models.TextChoices):
    """schema.org MediaManipulationRatingEnumeration, for MediaReview."""

    UNASSESSED = "", _("Not assessed")
    ORIGINAL = "OriginalMediaContent", _("Original media, not edited")
    DECONTEXTUALIZED = "DecontextualizedContent", _("Decontextualised")
    EDITED_OR_CROPPED = "EditedOrCroppedContent", _("Edited or cropped")
    TRANSFORMED = "TransformedContent", _("Transformed")
    STAGED = "StagedContent", _("Staged")
    SATIRE_OR_PARODY = "SatireOrParodyContent", _("Satire or parody")


class CreditRole(models.TextChoices):
    GEOLOCATION = "geolocation", _("Geolocation")
    CHRONOLOCATION = "chronolocation", _("Chronolocation")
    IDENTIFICATION = "identification", _("Identification")
    VERIFICATION = "verification", _("Verification")
    TRANSLATION = "translation", _("Translation")
    PROVIDED_BY = "provided_by", _("Provided by")


class Platform(models.TextChoices):
    YOUTUBE = "youtube", _("YouTube")
    X_TWITTER = "x", _("X (Twitter)")
    TELEGRAM = "telegram", _("Telegram")
    FACEBOOK = "facebook", _("Facebook")
    VIMEO = "vimeo", _("Vimeo")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    NEWS_SITE = "news_site", _("News website")
    OTHER = "other", _("Other")


class WarningLevel(models.TextChoices):
    """Ordered from least to most severe; ``severity`` compares them."""

    NONE = "none", _("No warning")
    DISTURBING = "disturbing", _("Disturbing")
    GRAPHIC = "graphic", _("Graphic")


WARNING_SEVERITY = {
    WarningLevel.NONE: 0,
    WarningLevel.DISTURBING: 1,
    WarningLevel.GRAPHIC: 2,
}


def most_severe_warning(levels):
    """The most severe of the given warning levels (NONE for none)."""
    return max(levels, key=WARNING_SEVERITY.__getitem__, default=WarningLevel.NONE)


class WarnedMediaDefault(models.TextChoices):
    """How the admin first shows media behind a content warning, per user."""

    BLUR = "blur", _("Blur warned media (default)")
    SHOW = "show", _("Show warned media")


class WarningStyle(models.TextChoices):
    NOTICE = "notice", _("A notice; the article stays readable")
    INTERSTITIAL = (
        "interstitial",
        _("A full interstitial that covers the article until the reader goes on"),
    )


class WarningCategory(models.TextChoices):
    VIOLENCE = "violence", _("Violence")
    DEAD_OR_INJURED = "dead_or_injured", _("Dead or injured people")
    DISTRESS = "distress", _("Distress")
    # Photosensitivity: covered even when a reader chooses to see warned items,
    # since one flash can trigger a seizure (WCAG 2.3.1).
    FLASHING = "flashing", _("Flashing or strobing lights")
    OTHER = "other", _("Other distressing content")


class Display(models.TextChoices):
    """How media is shown. Ordered from most to least open; see ``strictest``."""

    EMBED_AFTER_CONSENT = "embed", _("Embed after the reader consents")
    LINK_ONLY = "link", _("Link only, never embedded")


DISPLAY_STRICTNESS = {Display.EMBED_AFTER_CONSENT: 0, Display.LINK_ONLY: 1}


def strictest_display(*displays):
    """The strictest of the given displays; an unknown stored value counts as
    link only, so bad data can never widen what readers are shown."""
    # DISPLAY_STRICTNESS, not Display.values: that list is rebuilt on every call,
    # and a reader's page asks here several times per block.
    known = [
        Display(d) if d in DISPLAY_STRICTNESS else Display.LINK_ONLY
        for d in displays
        if d
    ]
    return max(known, key=DISPLAY_STRICTNESS.__getitem__)


class Stance(models.TextChoices):
    ASSERTION = "assertion", _("Assertion")
    DENIAL = "denial", _("Denial")
    COUNTER_CLAIM = "counter_claim", _("Counter-claim")


class ClaimantKind(models.TextChoices):
    PERSON = "person", _("A person")
    GOVERNMENT = "government", _("A government or ministry")
    PARTY_TO_CONFLICT = "party", _("A party to the conflict")
    NGO = "ngo", _("An NGO or monitoring group")
    NEWS_OUTLET = "media", _("A news outlet")
    INTERNATIONAL_BODY = "international", _("An international organisation")
    OTHER = "other", _("Other")


# What readers read after a claimant's name: "Azerbaijani authorities (a party
# to the conflict)". None for "Other", which tells them nothing.
CLAIMANT_KIND_FOR_READERS = {
    ClaimantKind.PERSON: pgettext_lazy("kind of claimant, for readers", "a person"),
    ClaimantKind.GOVERNMENT: pgettext_lazy(
        "kind of claimant, for readers", "a government or ministry"
    ),
    ClaimantKind.PARTY_TO_CONFLICT: pgettext_lazy(
        "kind of claimant, for readers", "a party to the conflict"
    ),
    ClaimantKind.NGO: pgettext_lazy(
        "kind of claimant, for readers", "an NGO or monitoring group"
    ),
    ClaimantKind.NEWS_OUTLET: pgettext_lazy(
        "kind of claimant, for readers", "a news outlet"
    ),
    ClaimantKind.INTERNATIONAL_BODY: pgettext_lazy(
        "kind of claimant, for readers", "an international organisation"
    ),
}


class Assessment(models.TextChoices):
    NOT_INDEPENDENTLY_VERIFIED = "not_verified", _("Not independently verified")
    CONTRADICTED = "contradicted", _("Contradicted by evidence")
    CONSISTENT = "consistent", _("Consistent with evidence")
    CONFIRMED = "confirmed", _("Confirmed")


class SourceStatus(models.TextChoices):
    """What became of a source (an appearance's address, or the media's) since
    it was found: set by the desk, or by a check of what the address answers."""

    UNKNOWN = "unknown", _("Not known")
    AVAILABLE = "available", _("Available")
    DELETED = "deleted", _("Deleted by the source")
    GEO_BLOCKED = "geo_blocked", _("Geo-blocked")
    AGE_RESTRICTED = "age_restricted", _("Age-restricted")
    EMBEDDING_DISABLED = "embedding_disabled", _("Embedding disabled")


# Statuses under which the source's own player cannot show the media to
# readers: they get the archived copy instead.
SOURCE_GONE = {SourceStatus.DELETED, SourceStatus.EMBEDDING_DISABLED}


class SourceStatusOrigin(models.TextChoices):
    """Who set a source's status."""

    DESK = "desk", _("The verification desk")
    CHECK = "check", _("A check of the address")


class SourceTaskKind(models.TextChoices):
    ARCHIVE = "archive", _("Archive now")
    CHECK = "check", _("Check sources")


class SourceTaskState(models.TextChoices):
    """Where an archive or a check an editor started stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")

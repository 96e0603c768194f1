"""The Evidence record: one piece of media, its sources, facets, credits and warning."""

import re

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import Cast
from django.dispatch import Signal
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.models import ClusterableModel
from wagtail.documents import get_document_model_string
from wagtail.images import get_image_model_string
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from wagtail_evidence.badge import badge_expression, derive_badge
from wagtail_evidence.choices import (
    AuthenticityCategory,
    Display,
    FacetStatus,
    LocationPrecision,
    Platform,
    Verdict,
    WarningCategory,
    WarningLevel,
    strictest_display,
)
from wagtail_evidence.facets import FACET_STATUS_FIELDS, badge_summary, facets_of
from wagtail_evidence.media.providers import (
    UnsupportedMediaURL,
    get_provider,
    parse_media_url,
)
from wagtail_evidence.media.weburls import safe_web_url
from wagtail_evidence.models import custody
from wagtail_evidence.models.credentials import refresh_content_credentials
from wagtail_evidence.models.fields import (
    MultipleChoiceField,
    WebURLField,
    coordinate_field,
    date_precision_field,
    optional_link,
)
from wagtail_evidence.models.history import (
    public_state_before_publishing,
    record_public_changes,
)
from wagtail_evidence.models.indexes import CoveringIndex
from wagtail_evidence.models.search_index import index_records, touches_index
from wagtail_evidence.reader.render_cache import (
    announce_renewal,
    new_render_token,
    renew_render_token,
)
from wagtail_evidence.validators import (
    default_language_code,
    validate_language_code,
    validate_not_in_future,
)


# Sent when a draft withholds a live record's coordinates at once (see
# Evidence.withhold_at_once): the citing pages are purged from the CDN.
coordinates_withheld = Signal()


def facet_status_field(verbose_name):
    return models.CharField(
        verbose_name,
        max_length=16,
        choices=FacetStatus.choices,
        default=FacetStatus.UNCHECKED,
    )


def method_field(verbose_name):
    return models.TextField(
        verbose_name,
        blank=True,
        help_text=_("How the newsroom or the credited person established it."),
    )


# What Wagtail saves on its own to note a draft (RevisionMixin.save_revision)
# or a lock (the lock views, workflows): nothing a reader sees.
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_id",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "locked_by_id",
    }
)


class Evidence(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    ClusterableModel,
):
    # Wagtail's models start live; a record starts as a draft, whether the admin,
    # an import or code creates it: only publishing its revision makes it live.
    live = models.BooleanField(verbose_name=_("live"), default=False, editable=False)
    title = models.CharField(
        _("working title"),
        max_length=255,
        help_text=_(
            "How the desk refers to this item, e.g. “Convoy in Horadiz”. Readers see "
            "it when an article gives the item no heading of its own."
        ),
    )

    # Media
    media_url = WebURLField(
        _("media address"),
        help_text=_(
            "The post or video as published. Addresses the package cannot embed "
            "are accepted when Display is “Link only”."
        ),
    )
    provider = models.CharField(
        _("provider"), max_length=32, blank=True, editable=False
    )
    media_id = models.CharField(
        _("media id"), max_length=255, blank=True, editable=False
    )
    display = models.CharField(
        _("display"),
        max_length=16,
        choices=Display.choices,
        default=Display.EMBED_AFTER_CONSENT,
        help_text=_("“Link only” media is never embedded in an article."),
    )
    video_file = optional_link(get_document_model_string(), _("self-hosted video file"))
    captions_file = optional_link(
        get_document_model_string(),
        _("captions file"),
        help_text=_(
            "Captions of the self-hosted video, as a WebVTT file (.vtt). Readers "
            "see them in the video's own player."
        ),
    )
    captions_language = models.CharField(
        _("captions language"),
        max_length=16,
        blank=True,  # empty: the site's language
        default=default_language_code,
        validators=[validate_language_code],
        help_text=_("The language of the captions, as a code: en, fr, ar…"),
    )
    poster = optional_link(
        get_image_model_string(),
        _("poster image"),
        help_text=_("Our own still, shown before the reader asks for the media."),
    )
    description = models.TextField(
        _("safe description"),
        blank=True,
        help_text=_(
            "What the media shows, in words that are safe to read before it is "
            "revealed. Also the text alternative of the poster."
        ),
    )
    original_file = optional_link(
        get_document_model_string(), _("original file as captured")
    )
    original_file_sha256 = models.CharField(
        _("SHA-256 of the original file"), max_length=64, blank=True, editable=False
    )
    original_file_hashed_from = models.CharField(
        max_length=80, blank=True, editable=False
    )

    # Facet: where
    place = models.CharField(_("place"), max_length=255, blank=True)
    region = models.CharField(_("region"), max_length=255, blank=True)
    country = models.CharField(_("country"), max_length=255, blank=True)
    latitude = coordinate_field(_("latitude"), 90)
    longitude = coordinate_field(_("longitude"), 180)
    location_precision = models.CharField(
        _("precision of the location"),
        max_length=16,
        choices=LocationPrecision.choices,
        default=LocationPrecision.LOCALITY,
    )
    withhold_coordinates = models.BooleanField(
        _("withhold the coordinates"),
        default=False,
        help_text=_(
            "Readers, the API and the structured data get the place and its "
            "precision, never the latitude and longitude: for people on the "
            "ground whom an exact spot could put at risk."
        ),
    )
    location_status = facet_status_field(_("location status"))
    location_method = method_field(_("how it was geolocated"))

    # Facet: when
    filmed_on = models.DateField(
        _("date filmed"), null=True, blank=True, validators=[validate_not_in_future]
    )
    filmed_on_precision = date_precision_field(_("precision of the date filmed"))
    date_status = facet_status_field(_("date status"))
    date_method = method_field(_("how it was dated"))

    # Facet: who
    identified = models.CharField(
        _("who appears or filmed it"),
        max_length=255,
        blank=True,
        help_text=_("A person, unit or group identified in or behind the media."),
    )
    identity_status = facet_status_field(_("identification status"))
    identity_method = method_field(_("how they were identified"))

    # Facet: authenticity
    authenticity_category = models.CharField(
        _("authenticity"),
        max_length=32,
        choices=AuthenticityCategory.choices,
        default=AuthenticityCategory.UNASSESSED,
        blank=True,
    )
    authenticity_status = facet_status_field(_("authenticity status"))
    authenticity_method = method_field(_("how authenticity was checked"))

    verdict = models.CharField(
        _("verdict"), max_length=16, choices=Verdict.choices, default=Verdict.PENDING
    )
    verdict_note = models.TextField(_("note on the verdict"), blank=True)

    # Content warning
    warning_level = models.CharField(
        _("content warning"),
        max_length=16,
        choices=WarningLevel.choices,
        default=WarningLevel.NONE,
    )
    warning_categories = MultipleChoiceField(
        _("what the warning is for"), choices_class=WarningCategory
    )

    # Renewed on every save but one of BOOKKEEPING_FIELDS alone, so the render
    # cache never serves stale HTML (see wagtail_evidence.reader.render_cache);
    # random, so two concurrent saves never share one.
    render_token = models.CharField(max_length=32, blank=True, editable=False)

    tags = ClusterTaggableManager(
        through="wagtail_evidence.EvidenceTag",
        blank=True,
        help_text=_("Places, units, people, operations."),
    )

    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="evidence",
        for_concrete_model=False,
    )
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="evidence",
        for_concrete_model=False,
    )

    # The register searches the autocomplete fields (admin/views/register.py):
    # each word of a query matches a word of one of them, the last word also
    # its beginning ("hora" finds Horadiz).
    # Indexed by save() (models/search_index.py), not by Wagtail's post_save
    # handler, which would index each save twice, the first time without tags.
    search_auto_update = False
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.AutocompleteField("description"),
        index.SearchField("place"),
        index.AutocompleteField("place"),
        index.SearchField("region"),
        index.AutocompleteField("region"),
        index.SearchField("country"),
        index.AutocompleteField("country"),
        index.SearchField("identified"),
        index.AutocompleteField("identified"),
        index.SearchField("media_url"),
        index.AutocompleteField("media_address_words"),
        index.FilterField("live"),
        index.FilterField("warning_level"),
        index.FilterField("verdict"),
        index.RelatedFields(
            "tags", [index.SearchField("name"), index.AutocompleteField("name")]
        ),
        index.RelatedFields(
            "credits",
            [
                index.SearchField("name"),
                index.AutocompleteField("name"),
                index.AutocompleteField("organisation"),
            ],
        ),
    ]

    def media_address_words(self):
        """The media address as words, for search: full-text search reads an
        address as one token, so "observer" would not find
        https://x.com/observer/status/1 without them."""
        return " ".join(re.split(r"[^\w]+", self.media_url or "")).strip()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["title", "pk"]
        # The register's default order, and its badge filter in that order
        # (docs/how-to/use-the-register.md): pages of 50 read from the index.
        indexes = [
            models.Index(fields=["title", "id"], name="evidence_title_idx"),
            CoveringIndex(
                badge_expression(),
                F("title"),
                F("id"),
                name="evidence_badge_title_idx",
                # What the badge is computed from: PostgreSQL counts a badge's
                # records from the index alone (migration 0016).
                covering=["verdict", *FACET_STATUS_FIELDS],
            ),
            # Wagtail's search index names a record by its id as text: this
            # takes a search through Wagtail's backend (the chooser's, the
            # Evidence listing's, the register's on SQLite) from the few
            # matching entries to their records, instead of reading every
            # record's id.
            models.Index(
                Cast("id", output_field=models.CharField(max_length=50)),
                name="evidence_id_text_idx",
            ),
        ]
        permissions = [("verify_evidence", _("Can verify evidence"))]

    def __str__(self):
        return self.title

    def __init__(self, *args, **kwargs):
        if kwargs:
            super().__init__(*args, **kwargs)
        else:
            # A row from the database (Model.from_db passes values by position):
            # ClusterableModel.__init__ would list every relation of the model to
            # find child objects among keywords there are none of, at more than
            # half the cost of loading a record for a reader's page.
            models.Model.__init__(self, *args)

    # Validation: everything here holds for the admin, imports and code alike.

    def clean(self):
        super().clean()
        errors = {}
        if not self.media_url and not self.video_file_id:
            errors["media_url"] = ValidationError(
                _("Give the media's address, or a self-hosted video file."),
                code="missing_media",
            )
        elif (
            self.media_url
            and not self.video_file_id
            and self.display != Display.LINK_ONLY
        ):
            # With a video file, the file is what plays; the address is its source.
            try:
                parse_media_url(self.media_url)
            except UnsupportedMediaURL as error:
                errors["media_url"] = error
            except ValidationError:
                pass  # the field's own validator reports a malformed address
        if self.captions_file_id and self.captions_file.file_extension.lower() != "vtt":
            errors["captions_file"] = ValidationError(
                _(
                    "Captions must be a WebVTT file, ending in .vtt. Most subtitle "
                    "editors export one."
                ),
                code="not_webvtt",
            )
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Give both latitude and longitude, or neither."
            )
        if self.date_status == FacetStatus.CONFIRMED and not self.filmed_on:
            errors["filmed_on"] = _(
                "A confirmed date needs the date filmed. If it is unknown, set the "
                "date status to “Not established”."
            )
        if self.location_status == FacetStatus.CONFIRMED and not (
            self.place or self.latitude is not None
        ):
            errors["place"] = _("A confirmed location needs a place or coordinates.")
        if self.warning_categories and self.warning_level == WarningLevel.NONE:
            errors["warning_level"] = _(
                "Choose a warning level for what the warning is for, or clear those boxes."
            )
        if self.warning_level != WarningLevel.NONE and not self.description.strip():
            errors["description"] = _(
                "Media behind a warning needs a safe description: readers see it "
                "before they choose to reveal the media."
            )
        custody_problem = custody.custody_error(self)
        if custody_problem is not None:
            errors["original_file"] = custody_problem
        if errors:
            raise ValidationError(errors)

    # Saving

    def save(self, *args, update_fields=None, **kwargs):
        self.refresh_media_match()
        self.refresh_original_file_hash()
        # A save of Wagtail's bookkeeping alone (a draft noted, a lock) changes
        # nothing readers see: the blocks rendered under the token stay true.
        renews = update_fields is None or not set(update_fields) <= BOOKKEEPING_FIELDS
        if renews:
            self.render_token = new_render_token()
            if update_fields is not None:
                update_fields = {*update_fields, "render_token"}
        super().save(*args, update_fields=update_fields, **kwargs)
        if renews:
            announce_renewal([self.pk])
        refresh_content_credentials(self)  # after the row: it needs the pk
        # After ClusterableModel.save() has written the tags and credits the
        # register searches; once, as Wagtail's own handler is off (above).
        if touches_index(Evidence, update_fields):
            index_records(Evidence, [self.pk])

    def publish(self, revision, *args, **kwargs):
        # Every publish path of a snippet meets here (Revision.publish() calls it).
        # One transaction, so that no reader caches the new version without its
        # history, and purges (on commit) wait for both.
        with transaction.atomic():
            before = public_state_before_publishing(self)
            result = super().publish(revision, *args, **kwargs)
            if record_public_changes(self, before):
                renew_render_token(Evidence.objects.filter(pk=self.pk))
        return result

    def save_revision(self, *args, **kwargs):
        # Drafts of a live record are stored only in the revision: derive first.
        self.refresh_media_match()
        self.refresh_original_file_hash()
        revision = super().save_revision(*args, **kwargs)
        self.withhold_at_once()
        return revision

    def withhold_at_once(self):
        """Withholding protects people on the ground, so it cannot wait for a
        publication (or a workflow): a draft of a live record that withholds
        the coordinates withholds them from readers now. Releasing them waits
        for the desk to publish, as every other change does."""
        if not (self.live and self.withhold_coordinates):
            return
        if Evidence.objects.filter(pk=self.pk, withhold_coordinates=False).update(
            withhold_coordinates=True, render_token=new_render_token()
        ):
            announce_renewal([self.pk])
            coordinates_withheld.send(sender=Evidence, instance=self)

    def refresh_media_match(self):
        self.provider, self.media_id = "", ""
        if self.media_url:
            try:
                match = parse_media_url(self.media_url)
            except ValidationError:
                return  # kept as a link only; never embedded
            self.provider, self.media_id = match.provider, match.media_id

    def refresh_original_file_hash(self):
        custody.refresh_original_file_hash(self)

    @property
    def original_file_changed(self):
        """True when the attached document's file was replaced after it was hashed."""
        return custody.original_file_changed(self)

    # What readers see

    @property
    def facets(self):
        # Not cached: its words are in the language active when it is read.
        return facets_of(self)

    @cached_property
    def badge(self):
        return derive_badge(self.facet_statuses, self.verdict)

    @property
    def badge_summary(self):
        """'Confirmed: place and date; not established: who appears', in the
        active language."""
        return badge_summary(self.facets)

    @property
    def facet_statuses(self):
        return [getattr(self, name) for name in FACET_STATUS_FIELDS]

    @property
    def provider_object(self):
        """The provider whose player shows the media, or None. The provider and id
        were derived from the address when it was saved; an address written past
        validation since (QuerySet.update, loaddata) must not keep the old player,
        so the address is parsed again: no network, and cached renders skip it.
        A render asks several times; the answer is kept while the fields it
        depends on stay the same."""
        key = (self.provider, self.media_id, self.media_url, self.video_file_id)
        kept = self.__dict__.get("_provider_answer")
        if kept is None or kept[0] != key:
            kept = self.__dict__["_provider_answer"] = (key, self._find_provider())
        return kept[1]

    def _find_provider(self):
        if not self.provider or self.video_file_id:
            return get_provider(self.provider) if self.provider else None
        try:
            match = parse_media_url(self.media_url)
        except ValidationError:
            return None
        if (match.provider, match.media_id) != (self.provider, self.media_id):
            return None
        return get_provider(self.provider)

    @property
    def platform_label(self):
        """The platform's name for the admin's tables ("Telegram", not
        "telegram"); empty for media no provider plays."""
        if not self.provider:
            return ""
        provider = get_provider(self.provider)
        if provider is not None:
            return provider.label
        # A provider the settings no longer list: the built-in name, else the code.
        if self.provider in Platform.values:
            return Platform(self.provider).label
        return self.provider

    @property
    def is_embeddable(self):
        provider = self.provider_object
        return bool(
            self.video_file_id or (provider and provider.embed_url(self.media_id))
        )

    @property
    def effective_display(self):
        """The record's display, made link-only when there is nothing to embed."""
        if not self.is_embeddable:
            return Display.LINK_ONLY
        return strictest_display(self.display)

    @property
    def outbound_url(self):
        """Where readers can see the media itself, without tracking parameters."""
        provider = self.provider_object
        if provider is not None and provider.canonical_url(self.media_id):
            return provider.canonical_url(self.media_id)
        if self.media_url:
            return safe_web_url(self.media_url)
        if self.video_file_id:
            return self.video_file.url  # ours, served by Wagtail
        return ""

    @property
    def publication_status(self):
        """Live, live with a newer draft, or draft: from the row alone."""
        if not self.live:
            return _("draft")
        return _("live + draft") if self.has_unpublished_changes else _("live")

    @property
    def credits_text(self):
        """'Name (organisation), role; …' for exports; uses prefetched credits."""
        return "; ".join(
            f"{credit}, {credit.role_label}" for credit in self.credits.all()
        )

    @property
    def is_warned(self):
        return self.warning_level != WarningLevel.NONE

    @property
    def is_photosensitive(self):
        """Warned of flashing or strobing lights: kept covered even when the
        reader chose to see warned items."""
        return self.is_warned and WarningCategory.FLASHING in self.warning_categories

    def get_warning_categories_display(self):
        labels = dict(WarningCategory.choices)
        return [labels[value] for value in self.warning_categories if value in labels]

"""What one evidence block shows, worked out once per render for its template.

blocks/evidence.html renders a block in one pass: it prints what this module
prepares and makes no decision or look-up of its own beyond it. The fixed
words come from wagtail_evidence.reader.phrases (translated once per language),
the record's own words and addresses from here, each computed once per block:
a cold render of fifty blocks used to parse the same addresses, translate the
same labels and build the same facets hundreds of times.
"""

from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import SimpleNamespace

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from wagtail_evidence.choices import CreditRole, Platform
from wagtail_evidence.conf import get_setting
from wagtail_evidence.facets import badge_summary, facet_sentence
from wagtail_evidence.geo.location import place_name, place_parts
from wagtail_evidence.geo.locator_map import locator_map
from wagtail_evidence.i18n import format_list, isolate, join_labels, translated
from wagtail_evidence.media.outbound import outbound_for
from wagtail_evidence.media.players import aspect_class, poster_html
from wagtail_evidence.media.weburls import display_host
from wagtail_evidence.reader import block_html, card_html, media_html
from wagtail_evidence.reader.legend import legend_url
from wagtail_evidence.reader.loading import loaded
from wagtail_evidence.reader.overrides import package_template_in_use
from wagtail_evidence.reader.phrases import TRANSLATION_SETTINGS, fill, phrases


@dataclass
class FacetRow:
    status: str
    label: str
    value: str  # safe HTML: the status, what was found, who is credited
    method: str
    location: object = None  # geo.location.PublicLocation, for "where"
    precision: str = ""  # safe HTML: "Precision: locality, ±5 km"
    locator: object = None  # geo.locator_map's drawing, when it has one


@dataclass
class CreditRow:
    role: str
    role_label: str  # "Geolocation"
    role_text: str  # safe HTML: "Geolocation:"
    names: str  # safe HTML


@dataclass
class AppearanceRow:
    where: str  # safe HTML, linked to the appearance when it has an address
    date: str  # safe HTML, or ""
    note: str
    archives: list = field(default_factory=list)  # (address, "copy on <host>")


class EvidenceCard:
    """The block ``value`` of a live record ``item``, as its template prints it."""

    def __init__(self, value, item, dom_id):
        self.value = value
        self.item = item
        self.dom_id = dom_id
        self.phrases = phrases()

    # The media box: EvidenceValue decides, once per block here (the template
    # asks several times, and each answer walks the record's display and provider).

    @cached_property
    def link_only(self):
        return self.value.is_link_only

    @cached_property
    def covered(self):
        return self.value.is_covered

    @cached_property
    def shows_media(self):
        return self.value.shows_media

    @cached_property
    def player_html(self):
        return self.value.player_html

    @cached_property
    def plays_own_file(self):
        return self.value.plays_own_file

    @cached_property
    def loads_after_consent(self):
        return self.value.loads_after_consent

    @cached_property
    def can_hide(self):
        return self.value.can_hide

    @cached_property
    def description_id(self):
        return self.value.description_id

    @cached_property
    def outbound(self):
        """outbound_for's answer; its words, the same for every item of one
        platform, are translated once per language and platform."""
        item = self.item
        provider = item.provider_object
        if provider is None or (item.video_file_id and not item.media_url):
            return outbound_for(item)  # a link's own host, our own file: per item
        key = (
            translation.get_language(),
            type(provider),
            provider.name,
            provider.player_origin,
        )
        words = kept_words(_outbound_words, key)
        if words is None:
            words = _outbound_words[key] = outbound_for(item)
        return replace(words, url=item.outbound_url)

    @cached_property
    def aspect_class(self):
        return aspect_class(self.item)

    @cached_property
    def poster(self):
        item = self.item
        return poster_html(item.poster, alt=item.description) if item.poster_id else ""

    @cached_property
    def warning_title(self):
        if self.item.warning_level == "graphic":
            return self.phrases["warning_graphic"]
        return self.phrases["warning_disturbing"]

    @cached_property
    def warning_categories(self):
        labels = self.item.get_warning_categories_display()
        if not labels:
            return ""
        return fill(self.phrases["warning_categories"], categories=join_labels(labels))

    @cached_property
    def load_from(self):
        return fill(self.phrases["load_from"], platform=self.outbound.platform)

    @cached_property
    def connects_to(self):
        return fill(self.phrases["connects_to"], host=self.outbound.player_host)

    @cached_property
    def no_players(self):
        return fill(self.phrases["no_players"], platform=self.outbound.platform)

    # The badge and its facets

    @cached_property
    def badge_label(self):
        return translated(self.item.badge.label)

    @cached_property
    def facets(self):
        return self.item.facets

    @cached_property
    def badge_summary(self):
        statuses = tuple((facet.key, facet.status) for facet in self.facets)
        return _badge_summary(translation.get_language(), statuses)

    @cached_property
    def legend_url(self):
        return legend_url()

    @cached_property
    def facet_rows(self):
        rows = []
        for facet in self.facets:
            if not facet.is_checked:
                continue
            location = facet.location
            rows.append(
                FacetRow(
                    status=facet.status,
                    label=translated(facet.label),
                    value=self.facet_value(facet),
                    method=facet.method,
                    location=location,
                    precision=self.precision(location) if location else "",
                    locator=self.locator(location) if location else None,
                )
            )
        return rows

    def precision(self, location):
        """'Precision: locality, ±5 km', translated once per language and precision."""
        key = (translation.get_language(), location.precision, location.radius_metres)
        text = kept_words(_precision_words, key)
        if text is None:
            text = _precision_words[key] = fill(
                self.phrases["precision"], precision=location.precision_text
            )
        return text

    def facet_value(self, facet):
        """As the evidence_facet_value tag writes it, with its words translated once."""
        names = self.credit_names(facet.credits) if facet.credits else ""
        pattern, values = facet_sentence(facet, names)
        values["status"] = translated(values["status"])
        if facet.key == "where" and facet.summary:
            values["summary"] = join_labels(
                isolate(part) for part in place_parts(self.item)
            )
        else:
            values["summary"] = isolate(values["summary"])
        # Escaped as the phrases are: a translation adds no markup.
        return fill(conditional_escape(translated(pattern)), **values)

    def locator(self, location):
        return locator_map_for(self.item, location, self.dom_id)

    # Credits, appearances, history

    def credit_names(self, credits):
        """'A, B and C', each linked to their work where there is a link."""
        return format_list([self.credit_name(credit) for credit in credits])

    @staticmethod
    def credit_name(credit):
        name = (
            format_html("{} ({})", isolate(credit.name), isolate(credit.organisation))
            if credit.organisation
            else isolate(credit.name)
        )
        url = credit.safe_url
        if not url:
            return name
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow" '
            'referrerpolicy="no-referrer">{}</a>',
            url,
            name,
        )

    @cached_property
    def credit_rows(self):
        rows = []
        for credit in loaded(self.item, "credits"):
            label = translated(CreditRole(credit.role).label)
            rows.append(
                CreditRow(
                    role=credit.role,
                    role_label=label,
                    role_text=fill(self.phrases["credit_role"], role=label),
                    names=self.credit_name(credit),
                )
            )
        return rows

    @cached_property
    def appearance_rows(self):
        return [
            self.appearance_row(appearance)
            for appearance in loaded(self.item, "appearances")
        ]

    def appearance_row(self, appearance):
        platform = translated(Platform(appearance.platform).label)
        where = (
            fill(
                self.phrases["platform_account"],
                platform=platform,
                account=isolate(appearance.account),
            )
            if appearance.account
            else platform
        )
        url = appearance.safe_url
        if url:
            where = format_html(
                '<a href="{}" rel="noopener noreferrer nofollow" '
                'referrerpolicy="no-referrer">{}</a>',
                url,
                where,
            )
        return AppearanceRow(
            where=where,
            date=self.first_seen(appearance),
            note=appearance.note,
            archives=[
                (url, fill(self.phrases["archived_copy"], host=display_host(url)))
                for url in appearance.archive_url_list
            ],
        )

    def first_seen(self, appearance):
        if not appearance.first_seen:
            return ""
        if appearance.first_seen_precision == "month":
            pattern, date_form = "online_since_month", "YEAR_MONTH_FORMAT"
        elif appearance.first_seen_precision == "approximate":
            pattern, date_form = "online_since_around", "DATE_FORMAT"
        else:
            pattern, date_form = "online_since", "DATE_FORMAT"
        return fill(
            self.phrases[pattern], date=date_format(appearance.first_seen, date_form)
        )

    @cached_property
    def history(self):
        """The public history's lines, unless the history is turned off."""
        if not get_setting("VERIFICATION_HISTORY"):
            return []
        return [
            self.history_line(change) for change in loaded(self.item, "public_changes")
        ]

    def history_line(self, change):
        values = {
            "date": date_format(template_localtime(change.changed_at), "DATE_FORMAT"),
            "before": change.before_label,
            "after": change.after_label,
        }
        if change.aspect == "badge":
            return fill(self.phrases["history_badge"], **values)
        if change.is_facet:
            return fill(
                self.phrases["history_facet"], facet=change.facet_label, **values
            )
        return fill(self.phrases["history_warning"], **values)

    # The sections the package's template prints whole (reader.card_html): the
    # rows above are what they are built from, and what an override may loop over.

    @cached_property
    def facets_html(self):
        return card_html.facets_html(self)

    @cached_property
    def credits_html(self):
        return card_html.credits_html(self)

    @cached_property
    def appearances_html(self):
        return card_html.appearances_html(self)

    @cached_property
    def history_html(self):
        return card_html.history_html(self)

    # The media box, written in Python (reader.media_html) unless the site
    # overrides one of its templates: then the template prints the include.

    @property
    def writes_media(self):
        return all(package_template_in_use(name) for name in MEDIA_TEMPLATES)

    def writes_block(self, template):
        return writes_block(template)

    @cached_property
    def block_html(self):
        return block_html.block_html(self)

    @cached_property
    def media_html(self):
        return media_html.media_or_archive_html(self)


MEDIA_TEMPLATES = (
    "wagtail_evidence/includes/media_or_archive.html",
    "wagtail_evidence/includes/media.html",
)
BLOCK_TEMPLATE = "wagtail_evidence/blocks/evidence.html"
BLOCK_TEMPLATES = (BLOCK_TEMPLATE, block_html.CREDENTIALS_TEMPLATE, *MEDIA_TEMPLATES)


def writes_block(template):
    """Whether the whole block may be written in Python (reader.block_html):
    ``template``, the block's, is the package's and none of the templates it
    includes for a live record is overridden."""
    return template == BLOCK_TEMPLATE and all(
        package_template_in_use(name) for name in BLOCK_TEMPLATES
    )


# Words kept per language and what they describe (a platform, a precision):
# a few dozen entries on any site; cleared, not grown, past their bound.
WORDS_KEPT = 512
_outbound_words = {}
_precision_words = {}


def kept_words(kept, key):
    if len(kept) >= WORDS_KEPT:
        kept.clear()
    return kept.get(key)


@receiver(setting_changed)
def _forget_words(setting, **kwargs):
    if setting in TRANSLATION_SETTINGS:
        _outbound_words.clear()
        _precision_words.clear()


def locator_map_for(item, location, dom_id):
    """The tile-free locator map of a located item (geo.locator_map), or None."""
    if not (get_setting("LOCATOR_MAP") and location.has_coordinates):
        return None
    place = place_name(item)
    description = gettext(
        "A dot marks %(coordinates)s, in a ring that shows the precision (%(precision)s)."
    ) % {"coordinates": location.coordinates_text, "precision": location.precision_text}
    # Whether the ring is to scale, the figure's caption says to everyone.
    return locator_map(
        float(location.latitude),
        float(location.longitude),
        location.radius_metres,
        title=gettext("Locator map: %(place)s")
        % {"place": place or location.coordinates_text},
        description=description,
        # An override of blocks/evidence.html that calls the tag without the
        # block's dom_id (docs/how-to/override-templates.md) still gets ids.
        id_prefix=f"{dom_id or f'evidence-{item.pk}'}-map",
    )


@lru_cache(maxsize=256)
def _badge_summary(language, statuses):
    """The badge's one line for these (facet, status) pairs, in ``language``
    (the active one): the same few combinations recur on every page."""
    return badge_summary(
        [SimpleNamespace(key=key, status=status) for key, status in statuses]
    )

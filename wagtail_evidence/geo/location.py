"""Where an item was filmed, as readers, the API and the structured data get it.

One builder, ``public_location()``: the precision in words and numbers, the
coordinates rounded to what that precision carries (never more decimals than the
desk claimed), and links to open them in a map service the reader picks. The
links are plain links: nothing is requested before the reader clicks one. A
record whose coordinates the desk withholds gives its precision and says that
they are withheld; the numbers themselves never leave this module.
"""

import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wagtail_evidence.choices import LOCATION_RADIUS_METRES, LocationPrecision
from wagtail_evidence.conf import get_setting
from wagtail_evidence.i18n import join_labels
from wagtail_evidence.media.weburls import safe_web_url


# Decimals of a degree that a precision carries: 0.00001° is about 1 m,
# 0.001° about 110 m, 0.01° about 1.1 km.
DECIMALS = {
    LocationPrecision.EXACT: 5,
    LocationPrecision.VICINITY: 3,
    LocationPrecision.LOCALITY: 2,
}
# The zoom a map service opens at, for each precision.
MAP_ZOOM = {
    LocationPrecision.EXACT: 18,
    LocationPrecision.VICINITY: 15,
    LocationPrecision.LOCALITY: 12,
}


@dataclass(frozen=True)
class MapLink:
    name: str
    url: str


@dataclass(frozen=True)
class PublicLocation:
    precision: str  # a LocationPrecision value
    radius_metres: int
    withheld: bool  # the record has coordinates the desk withholds
    latitude: Decimal | None = None  # rounded; None when withheld or absent
    longitude: Decimal | None = None

    @property
    def has_coordinates(self):
        return self.latitude is not None

    @property
    def precision_text(self):
        """'locality, ±5 km': the precision in words and numbers."""
        words = {
            LocationPrecision.EXACT: pgettext("precision, for readers", "exact spot"),
            LocationPrecision.VICINITY: pgettext("precision, for readers", "vicinity"),
            LocationPrecision.LOCALITY: pgettext("precision, for readers", "locality"),
        }[self.precision]
        return _("%(precision)s, ±%(distance)s") % {
            "precision": words,
            "distance": distance_text(self.radius_metres),
        }

    @property
    def coordinates_text(self):
        """'36.55° N, 37.06° E', or "" when there are none to show."""
        if not self.has_coordinates:
            return ""
        north = left_to_right(pgettext("north latitude", "N"))
        south = left_to_right(pgettext("south latitude", "S"))
        east = left_to_right(pgettext("east longitude", "E"))
        west = left_to_right(pgettext("west longitude", "W"))
        return f"{abs(self.latitude)}° {north if self.latitude >= 0 else south}, {abs(self.longitude)}° {east if self.longitude >= 0 else west}"

    @property
    def map_links(self):
        if not self.has_coordinates:
            return []
        return map_links(self.latitude, self.longitude, MAP_ZOOM[self.precision])


def distance_text(metres):
    if metres >= 1000 and metres % 1000 == 0:
        return _("%(kilometres)s km") % {"kilometres": metres // 1000}
    return _("%(metres)s m") % {"metres": metres}


def rounded(value, precision):
    step = Decimal(1).scaleb(-DECIMALS[precision])
    return Decimal(value).quantize(step, rounding=ROUND_HALF_EVEN)


def left_to_right(letter):
    """A hemisphere's letter, followed by a left-to-right mark where it is
    written right to left (Arabic ش, ق): otherwise the number after it is
    read as part of a right-to-left run, and "36.545° ش، 37.055° ق" comes out
    scrambled even inside the coordinates' left-to-right isolate."""
    if any(unicodedata.bidirectional(char) in ("R", "AL") for char in letter):
        return f"{letter}\u200e"
    return letter


def place_parts(evidence):
    """Where it was filmed in words, from the most local: place, region,
    country, the blank ones left out. The facet, the map's title and the
    JSON-LD's Place all name it from here."""
    return [
        part for part in (evidence.place, evidence.region, evidence.country) if part
    ]


def place_name(evidence):
    """ "Hawar Kilis, Northern Aleppo, Syria", with the active language's comma."""
    return join_labels(place_parts(evidence), html=False)


def public_location(evidence):
    """What readers may know of where ``evidence`` was filmed, or None when the
    record says nothing of it (no place and no coordinates)."""
    has_coordinates = evidence.latitude is not None and evidence.longitude is not None
    if not (has_coordinates or evidence.place or evidence.region):
        return None
    precision = LocationPrecision(evidence.location_precision)
    shown = has_coordinates and not evidence.withhold_coordinates
    return PublicLocation(
        precision=precision,
        radius_metres=LOCATION_RADIUS_METRES[precision],
        withheld=has_coordinates and evidence.withhold_coordinates,
        latitude=rounded(evidence.latitude, precision) if shown else None,
        longitude=rounded(evidence.longitude, precision) if shown else None,
    )


def map_links(latitude, longitude, zoom):
    """The ``MAP_SERVICES`` setting's links for a point; an address that is not
    a strict web address once filled in is left out."""
    links = []
    for service in get_setting("MAP_SERVICES") or []:
        try:
            name, template = service["name"], service["url"]
        except (KeyError, TypeError):
            raise ImproperlyConfigured(
                'Each of WAGTAIL_EVIDENCE["MAP_SERVICES"] is a dict with the keys '
                '"name" and "url".'
            ) from None
        url = safe_web_url(
            template.format(latitude=latitude, longitude=longitude, zoom=zoom)
        )
        if url:
            links.append(MapLink(str(name), url))
    return links

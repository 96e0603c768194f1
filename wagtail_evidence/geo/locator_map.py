"""A tile-free locator map: an inline SVG of the countries around a point.

``locator_map(latitude, longitude, radius_m, *, title, description, id_prefix,
span_km=700)`` returns a ``LocatorMap``: ``svg``, a SafeString to put in the
page as it is, and ``ring_to_scale``, False when the precision ring is drawn
larger than ``radius_m`` at the map's scale (so the caller can say so).

The SVG draws, in a 320 x 200 view box, the water (``evidence-map__water``),
the land as one path (``evidence-map__land``), the borders between countries
(``evidence-map__borders``, coasts left to the land's edge), the precision ring
(``evidence-map__ring``, plus ``evidence-map__ring--not-to-scale`` when
enlarged) and the dot (``evidence-map__dot``). Its ``<title>`` and ``<desc>``
label it for screen readers. It has no ``style`` attribute (the site's CSP
forbids inline styles), only classes for the site's stylesheet and ``fill`` and
``stroke`` attributes so that it reads without one; ``width`` and ``height``
give it a size before CSS does. It asks for nothing over the network.

Projection: equirectangular, centred on the point, x scaled by the cosine of
the latitude, ``span_km`` across the view's width. Near a pole the cosine is
held at that of ``MAX_SCALED_LATITUDE`` and the view stops at the pole, so the
dot leaves the centre only within a couple of degrees of a pole. Every outline
is clipped to the view box (Sutherland-Hodgman for the land, Liang-Barsky for
the borders) and written with one decimal, so the same arguments always give
the same bytes: the map is cached with the rest of the block.
"""

import functools
import math
import re
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

from wagtail_evidence.geo.boundaries import boundaries, rings_in_view


WIDTH, HEIGHT = 320, 200
MIN_RING_RADIUS = 6.0  # px: smaller, a ring hides under the dot
DOT_RADIUS = 3.0
KM_PER_DEGREE = math.pi * 6371.0088 / 180  # along a meridian, on the mean sphere
# Past this the cosine nears zero and a view would span the whole globe.
MAX_SCALED_LATITUDE = 85.0
MIN_SPAN_KM, MAX_SPAN_KM = 1.0, 3000.0
ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Characters XML 1.0 forbids: the SVG must parse as XML, editors' text or not.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

WATER_FILL = "#dce8f0"
LAND_FILL = "#f1eee6"
BORDER_STROKE = "#8f8a80"
MARK_COLOUR = "#b3261e"


@dataclass(frozen=True)
class LocatorMap:
    svg: SafeString
    ring_to_scale: bool


@dataclass(frozen=True)
class View:
    """Where degrees land in the view box."""

    longitude: float
    latitude: float
    px_per_degree: float  # north-south
    px_per_degree_east: float  # east-west, the former times cos(latitude)

    @classmethod
    def around(cls, latitude, longitude, span_km):
        px_per_degree = WIDTH / span_km * KM_PER_DEGREE
        half_height = HEIGHT / 2 / px_per_degree
        # Never past a pole: nothing is there to draw, not even water.
        centre = min(max(latitude, -90 + half_height), 90 - half_height)
        scaled = min(abs(centre), MAX_SCALED_LATITUDE)
        return cls(
            longitude,
            centre,
            px_per_degree,
            px_per_degree * math.cos(math.radians(scaled)),
        )

    def x(self, longitude):
        return WIDTH / 2 + (longitude - self.longitude) * self.px_per_degree_east

    def y(self, latitude):
        return HEIGHT / 2 - (latitude - self.latitude) * self.px_per_degree

    def bounds(self):
        """West, south, east, north in degrees; west may be below -180, east above 180."""
        half_width = WIDTH / 2 / self.px_per_degree_east
        half_height = HEIGHT / 2 / self.px_per_degree
        return (
            self.longitude - half_width,
            self.latitude - half_height,
            self.longitude + half_width,
            self.latitude + half_height,
        )


def locator_map(
    latitude, longitude, radius_m, *, title, description, id_prefix, span_km=700
):
    """The map around (latitude, longitude), with a ring of ``radius_m`` metres.

    Numbers may be Decimals (as model fields hold them). Raises ValueError for
    a point off the globe, a negative radius, a span outside
    ``MIN_SPAN_KM``..``MAX_SPAN_KM`` or an ``id_prefix`` unfit for an id.
    """
    latitude, longitude = float(latitude), float(longitude)
    radius_m, span_km = float(radius_m), float(span_km)
    _check(latitude, longitude, radius_m, id_prefix, span_km)
    longitude = (longitude + 180) % 360 - 180
    view, land, borders = _outlines(latitude, longitude, span_km)
    # The view is span_km wide at its centre, the same scale both ways there.
    true_radius = radius_m / 1000 * WIDTH / span_km
    ring_to_scale = true_radius >= MIN_RING_RADIUS
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'width="{width}" height="{height}" role="img" '
        'aria-labelledby="{prefix}-title {prefix}-desc" class="evidence-map" '
        'focusable="false">'
        '<title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>'
        '<rect class="evidence-map__water" width="{width}" height="{height}" '
        'fill="{water}"/>'
        "{land}{borders}"
        '<circle class="evidence-map__ring{not_to_scale}" cx="{x}" cy="{y}" '
        'r="{radius}" fill="{mark}" fill-opacity="0.12" stroke="{mark}" '
        'stroke-width="1.5"/>'
        '<circle class="evidence-map__dot" cx="{x}" cy="{y}" r="{dot}" '
        'fill="{mark}" stroke="#fff" stroke-width="1"/>'
        "</svg>",
        width=WIDTH,
        height=HEIGHT,
        prefix=id_prefix,
        title=NOT_XML.sub("", str(title)),
        description=NOT_XML.sub("", str(description)),
        water=WATER_FILL,
        land=land,
        borders=borders,
        not_to_scale="" if ring_to_scale else " evidence-map__ring--not-to-scale",
        x=_number(view.x(longitude)),
        y=_number(view.y(latitude)),
        radius=_number(max(true_radius, MIN_RING_RADIUS)),
        dot=_number(DOT_RADIUS),
        mark=MARK_COLOUR,
    )
    return LocatorMap(svg=svg, ring_to_scale=ring_to_scale)


@functools.lru_cache(maxsize=512)
def _outlines(latitude, longitude, span_km):
    """The view and its land and border paths: the costly part (a few ms),
    kept per point, so that the same record drawn again after a save, or in
    another article, costs only the text around it."""
    view = View.around(latitude, longitude, span_km)
    scale = boundaries().scale
    drawn = [
        (placement.ring, _projected(view, placement, scale))
        for placement in rings_in_view(*view.bounds())
    ]
    return view, _land_path(_land(drawn)), _borders_path(_borders(drawn))


def _check(latitude, longitude, radius_m, id_prefix, span_km):
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise ValueError(f"latitude must be between -90 and 90, not {latitude!r}")
    if not math.isfinite(longitude):
        raise ValueError(f"longitude must be a finite number, not {longitude!r}")
    if not (math.isfinite(radius_m) and radius_m >= 0):
        raise ValueError(f"radius_m must be 0 or more, not {radius_m!r}")
    if not (math.isfinite(span_km) and MIN_SPAN_KM <= span_km <= MAX_SPAN_KM):
        raise ValueError(
            f"span_km must be between {MIN_SPAN_KM:g} and {MAX_SPAN_KM:g}, "
            f"not {span_km!r}"
        )
    # aria-labelledby is a list of ids split on spaces.
    if not ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(
            f"id_prefix must be a letter then [A-Za-z0-9_-], not {id_prefix!r}"
        )


def _land_path(data):
    if not data:
        return ""
    return format_html(
        '<path class="evidence-map__land" fill="{}" d="{}"/>', LAND_FILL, data
    )


def _borders_path(data):
    if not data:
        return ""
    return format_html(
        '<path class="evidence-map__borders" fill="none" stroke="{}" '
        'stroke-width="0.8" stroke-linejoin="round" stroke-linecap="round" '
        'd="{}"/>',
        BORDER_STROKE,
        data,
    )


def _projected(view, placement, scale):
    """The ring's points in the view box (file units to pixels)."""
    per_unit_east = view.px_per_degree_east / scale
    per_unit_north = view.px_per_degree / scale
    left = view.x(0) + placement.shift * per_unit_east
    top = view.y(0)
    return [
        (left + x * per_unit_east, top - y * per_unit_north)
        for x, y in placement.ring.points
    ]


def _land(drawn):
    """Path data for every ring's part inside the view box, as one path."""
    parts = []
    for _, projected in drawn:
        points = _rounded(_clip_polygon(projected))
        while len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) >= 3 and _has_area(points):
            parts.append(f"M{_coordinates(points)}Z")
    return "".join(parts)


def _borders(drawn):
    """Path data for the edges two countries share, each drawn once.

    prepare.py simplified each shared arc once, so neighbours hold the very
    same points along their border: an edge found in the rings of two
    countries is a border, and one in a single country's rings a coast (or a
    seam where two rings of a country meet), left undrawn.
    """
    walked = [
        (ring.country, list(_edges(ring.points, projected)))
        for ring, projected in drawn
    ]
    first_country = {}
    shared = set()
    for country, edges in walked:
        for edge, _, _ in edges:
            if edge and first_country.setdefault(edge, country) != country:
                shared.add(edge)
    lines = []
    for country, edges in walked:
        line = []
        for edge, start, end in edges:
            drawn_here = edge in shared and first_country[edge] == country
            segment = drawn_here and _clip_segment(start, end)
            if segment and line and line[-1] == segment[0]:
                line.append(segment[1])
                continue
            if line:
                lines.append(line)
            line = list(segment) if segment else []
        if line:
            lines.append(line)
    parts = []
    for line in lines:
        points = _rounded(line)
        if len(points) >= 2:
            parts.append(f"M{_coordinates(points)}")
    return "".join(parts)


def _edges(points, projected):
    """Each edge of the closed ring as (key, start, end): the key is the same
    whichever way the edge is walked, None when the edge is off the view."""
    count = len(points)
    for index in range(count):
        start, end = projected[index], projected[(index + 1) % count]
        if _off_view(start, end):
            yield None, start, end
            continue
        a, b = points[index], points[(index + 1) % count]
        yield (a, b) if a < b else (b, a), start, end


def _off_view(start, end):
    """Both ends beyond one side of the view box: no part of the edge shows."""
    return (
        (start[0] < 0 and end[0] < 0)
        or (start[0] > WIDTH and end[0] > WIDTH)
        or (start[1] < 0 and end[1] < 0)
        or (start[1] > HEIGHT and end[1] > HEIGHT)
    )


def _clip_polygon(points):
    """Sutherland-Hodgman: the polygon cut to the view box, edge by edge."""
    for inside, cross in (
        (lambda p: p[0] >= 0, lambda a, b: _at_x(a, b, 0)),
        (lambda p: p[0] <= WIDTH, lambda a, b: _at_x(a, b, WIDTH)),
        (lambda p: p[1] >= 0, lambda a, b: _at_y(a, b, 0)),
        (lambda p: p[1] <= HEIGHT, lambda a, b: _at_y(a, b, HEIGHT)),
    ):
        if not points:
            break
        clipped = []
        previous = points[-1]
        previous_inside = inside(previous)
        for point in points:
            point_inside = inside(point)
            if point_inside != previous_inside:
                clipped.append(cross(previous, point))
            if point_inside:
                clipped.append(point)
            previous, previous_inside = point, point_inside
        points = clipped
    return points


def _at_x(a, b, x):
    return (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))


def _at_y(a, b, y):
    return (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)


def _clip_segment(start, end):
    """Liang-Barsky: the part of the segment inside the view box, or None."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    enter, leave = 0.0, 1.0
    for step, room in ((-dx, x0), (dx, WIDTH - x0), (-dy, y0), (dy, HEIGHT - y0)):
        if step == 0:
            if room < 0:
                return None
            continue
        ratio = room / step
        if step < 0:
            enter = max(enter, ratio)
        else:
            leave = min(leave, ratio)
        if enter > leave:
            return None
    clipped_start = start if enter == 0 else (x0 + enter * dx, y0 + enter * dy)
    clipped_end = end if leave == 1 else (x0 + leave * dx, y0 + leave * dy)
    return clipped_start, clipped_end


def _rounded(points):
    """Points to one decimal, without the repeats rounding makes."""
    rounded = []
    for x, y in points:
        point = (round(x, 1), round(y, 1))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded


def _has_area(points):
    """More than a sliver: a quarter of a square pixel."""
    doubled_area = sum(
        x0 * y1 - x1 * y0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)
    )
    return abs(doubled_area) >= 0.5


def _coordinates(points):
    return " ".join(f"{_number(x)} {_number(y)}" for x, y in points)


def _number(value):
    """One decimal, the way SVG reads it: no locale, no trailing .0, no -0."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text

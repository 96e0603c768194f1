"""The locator map (wagtail_evidence.geo): an inline SVG drawn from the boundary
data shipped in the package, with nothing fetched, and the script that builds
that data from world-atlas's TopoJSON."""

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from wagtail_evidence.geo import prepare
from wagtail_evidence.geo.boundaries import boundaries
from wagtail_evidence.geo.locator_map import MIN_RING_RADIUS, locator_map


SVG_NAMESPACE = "http://www.w3.org/2000/svg"
NS = {"svg": SVG_NAMESPACE}
HORADIZ = (40.23, 47.08)  # Azerbaijan
NORTHERN_SYRIA = (36.53, 37.05)
CHUKOTKA = (65.0, 179.9)  # a step west of the antimeridian
FIJI = (-17.0, -179.9)  # a step east of it
NORTH_POLE = (89.5, 0.0)  # the Arctic Ocean
SOUTH_POLE = (-89.5, 30.0)  # Antarctica
NORTH_PACIFIC = (30.0, -150.0)  # 1,500 km from any coast
PLACES = [HORADIZ, NORTHERN_SYRIA, CHUKOTKA, FIJI, NORTH_POLE, SOUTH_POLE]


def draw(place, radius_m=500, **kwargs):
    kwargs = {
        "title": "Where the video was filmed",
        "description": "The place marked on a map of the region",
        "id_prefix": "map-1",
        **kwargs,
    }
    return locator_map(*place, radius_m, **kwargs)


def parse(result):
    return parse_svg(str(result.svg))


def parse_svg(text):
    return ET.fromstring(text)  # noqa: S314 - the SVG the test just drew


def view_box(root):
    left, top, width, height = map(float, root.get("viewBox").split())
    assert (left, top) == (0, 0)
    return width, height


def circle(root, class_name):
    (found,) = [
        element
        for element in root.iter(f"{{{SVG_NAMESPACE}}}circle")
        if class_name in element.get("class").split()
    ]
    return found


def path_data(root, class_name):
    paths = root.findall(f"svg:path[@class='{class_name}']", NS)
    assert len(paths) <= 1
    return paths[0].get("d") if paths else ""


def subpaths(data):
    """Each subpath of path data written as "Mx y x y ...[Z]", as (x, y) points."""
    assert re.fullmatch(r"(M[0-9. ]+Z?)*", data), data
    found = []
    for part in re.findall(r"M([0-9. ]+)", data):
        numbers = [float(number) for number in part.split()]
        assert len(numbers) % 2 == 0
        found.append(list(zip(numbers[::2], numbers[1::2], strict=True)))
    return found


def is_land(root, x, y):
    """Whether (x, y) is inside the land path, by its nonzero winding number."""
    winding = 0
    for points in subpaths(path_data(root, "evidence-map__land")):
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
            cross = (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0)
            if y0 <= y < y1 and cross > 0:
                winding += 1
            elif y1 <= y < y0 and cross < 0:
                winding -= 1
    return winding != 0


# The SVG as a page and its CSP take it


@pytest.mark.parametrize("place", PLACES)
def test_the_map_is_xml_labelled_by_its_title_and_description(place):
    root = parse(draw(place))
    assert root.tag == f"{{{SVG_NAMESPACE}}}svg"
    assert root.get("role") == "img"
    assert root.get("focusable") == "false"
    assert root.get("class") == "evidence-map"
    title_id, description_id = root.get("aria-labelledby").split()
    assert root.find(f"svg:title[@id='{title_id}']", NS).text == (
        "Where the video was filmed"
    )
    assert root.find(f"svg:desc[@id='{description_id}']", NS).text == (
        "The place marked on a map of the region"
    )


@pytest.mark.parametrize("place", PLACES)
def test_the_map_has_no_inline_style_and_names_no_address(place):
    svg = str(draw(place).svg)
    root = parse_svg(svg)
    assert [element.tag for element in root.iter() if "style" in element.attrib] == []
    assert root.find(".//svg:style", NS) is None
    assert re.findall(r"https?:", svg) == ["http:"]
    assert f'xmlns="{SVG_NAMESPACE}"' in svg
    assert "href" not in svg


def test_the_title_and_description_are_escaped():
    result = draw(
        HORADIZ,
        title='<script>alert("x")</script> & co',
        description="Tom & Jerry's <b>farm</b>\x0b",
    )
    svg = str(result.svg)
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&amp; co" in svg
    root = parse_svg(svg)  # the vertical tab, which XML forbids, is gone
    assert root.find("svg:title", NS).text == '<script>alert("x")</script> & co'
    assert root.find("svg:desc", NS).text == "Tom & Jerry's <b>farm</b>"


def test_lazy_translations_are_text_like_any_other():
    from django.utils.translation import gettext_lazy

    root = parse(draw(HORADIZ, title=gettext_lazy("Map"), description="A & B"))
    assert root.find("svg:title", NS).text == "Map"


@pytest.mark.parametrize("id_prefix", ["", "two words", '"x', "1st", "map\n"])
def test_an_id_prefix_unfit_for_an_id_is_refused(id_prefix):
    with pytest.raises(ValueError, match="id_prefix"):
        draw(HORADIZ, id_prefix=id_prefix)


@pytest.mark.parametrize(
    "latitude, longitude, radius_m, span_km",
    [
        (90.5, 0, 10, 700),
        (float("nan"), 0, 10, 700),
        (0, float("inf"), 10, 700),
        (0, 0, -1, 700),
        (0, 0, 10, 0),
        (0, 0, 10, 100_000),
    ],
)
def test_a_point_off_the_globe_or_a_silly_size_is_refused(
    latitude, longitude, radius_m, span_km
):
    with pytest.raises(ValueError):
        locator_map(
            latitude,
            longitude,
            radius_m,
            title="t",
            description="d",
            id_prefix="m",
            span_km=span_km,
        )


# The dot and the precision ring


def test_the_dot_is_at_the_centre():
    root = parse(draw(HORADIZ))
    width, height = view_box(root)
    dot = circle(root, "evidence-map__dot")
    assert (float(dot.get("cx")), float(dot.get("cy"))) == (width / 2, height / 2)
    ring = circle(root, "evidence-map__ring")
    assert (ring.get("cx"), ring.get("cy")) == (dot.get("cx"), dot.get("cy"))
    # The dot is drawn last, over the ring and the land.
    assert list(root)[-1] is dot


@pytest.mark.parametrize("span_km", [700, 300])
@pytest.mark.parametrize("radius_m", [15_000, 30_000, 60_000])
def test_a_ring_to_scale_has_the_true_radius(radius_m, span_km):
    result = draw(HORADIZ, radius_m=radius_m, span_km=span_km)
    root = parse(result)
    width, _ = view_box(root)
    expected = radius_m / 1000 * width / span_km
    assert expected > MIN_RING_RADIUS
    ring = circle(root, "evidence-map__ring")
    assert float(ring.get("r")) == pytest.approx(expected, abs=0.05)
    assert result.ring_to_scale is True
    assert "evidence-map__ring--not-to-scale" not in ring.get("class")


@pytest.mark.parametrize("radius_m", [0, 10, 2_000])
def test_a_ring_too_small_to_see_is_drawn_at_the_minimum_and_said_so(radius_m):
    result = draw(HORADIZ, radius_m=radius_m)
    root = parse(result)
    width, _ = view_box(root)
    assert radius_m / 1000 * width / 700 < MIN_RING_RADIUS
    ring = circle(root, "evidence-map__ring")
    assert float(ring.get("r")) == MIN_RING_RADIUS
    assert result.ring_to_scale is False
    assert "evidence-map__ring--not-to-scale" in ring.get("class").split()


def test_near_a_pole_the_view_stops_at_the_pole_and_the_dot_moves_up():
    root = parse(draw(NORTH_POLE))
    width, height = view_box(root)
    dot = circle(root, "evidence-map__dot")
    assert float(dot.get("cx")) == width / 2
    assert 0 < float(dot.get("cy")) < height / 2


# What the map draws


def test_a_place_in_azerbaijan_is_on_land_with_borders_and_the_caspian_to_the_east():
    root = parse(draw(HORADIZ))
    width, height = view_box(root)
    assert subpaths(path_data(root, "evidence-map__land"))
    assert subpaths(path_data(root, "evidence-map__borders"))
    assert is_land(root, width / 2, height / 2)
    assert not is_land(root, width - 5, height / 2)  # the Caspian Sea


def test_the_middle_of_the_ocean_is_water_and_still_a_valid_map():
    root = parse(draw(NORTH_PACIFIC))
    assert path_data(root, "evidence-map__land") == ""
    assert path_data(root, "evidence-map__borders") == ""
    assert circle(root, "evidence-map__dot") is not None


def test_coasts_are_not_drawn_as_borders():
    root = parse(draw(FIJI))  # islands of one country
    assert subpaths(path_data(root, "evidence-map__land"))
    assert path_data(root, "evidence-map__borders") == ""


def test_an_enclave_is_land_with_its_border_all_round():
    root = parse(draw((-29.5, 28.2)))  # Lesotho, within South Africa
    width, height = view_box(root)
    assert is_land(root, width / 2, height / 2)
    (border,) = subpaths(path_data(root, "evidence-map__borders"))
    assert border[0] == border[-1]
    assert len(border) > 10


@pytest.mark.parametrize("place", [*PLACES, NORTH_PACIFIC])
def test_every_point_drawn_is_inside_the_view_box(place):
    root = parse(draw(place))
    width, height = view_box(root)
    for class_name in ("evidence-map__land", "evidence-map__borders"):
        for points in subpaths(path_data(root, class_name)):
            assert len(points) >= (3 if class_name == "evidence-map__land" else 2)
            assert all(0 <= x <= width and 0 <= y <= height for x, y in points)


@pytest.mark.parametrize("place", [CHUKOTKA, (65.0, -179.9)])
def test_land_across_the_antimeridian_is_drawn_beside_the_near_side(place):
    # Chukotka spans 180 degrees, from either side of which the map must show
    # all of it: the far side at the view's edge, the Bering Sea below.
    root = parse(draw(place))
    width, height = view_box(root)
    assert is_land(root, 10, 10)
    assert is_land(root, width - 10, 10)
    assert not is_land(root, width / 2, height - 10)


def test_islands_across_the_antimeridian_are_drawn_to_the_west():
    root = parse(draw(FIJI))  # Viti Levu and Vanua Levu lie west of 180
    width, _ = view_box(root)
    islands = subpaths(path_data(root, "evidence-map__land"))
    assert any(max(x for x, _ in island) < width / 3 for island in islands)


def test_antarctica_is_land_right_up_to_the_pole():
    root = parse(draw(SOUTH_POLE))
    width, height = view_box(root)
    assert is_land(root, width / 2, height / 2)
    assert is_land(root, 5, 5) and is_land(root, width - 5, height - 5)


def test_the_same_place_draws_the_same_bytes():
    first = str(draw(HORADIZ).svg)
    boundaries.cache_clear()
    assert str(draw(HORADIZ).svg) == first
    assert str(draw((Decimal("40.23"), Decimal("47.08")), Decimal(500)).svg) == first


@pytest.mark.parametrize("place", [HORADIZ, NORTHERN_SYRIA])
def test_a_typical_map_is_small(place):
    assert len(str(draw(place).svg).encode()) < 8 * 1024


def test_coordinates_have_one_decimal_at_most():
    root = parse(draw(HORADIZ))
    numbers = [
        number
        for element in root.iter()
        for name in ("d", "cx", "cy", "r")
        for number in re.split(r"[MZ ]+", element.get(name, ""))
        if number
    ]
    assert len(numbers) > 100
    assert [n for n in numbers if not re.fullmatch(r"[0-9]+(\.[0-9])?", n)] == []


# The data shipped in the package


@pytest.mark.parametrize(
    "country, capital",
    [
        ("Azerbaijan", (40.41, 49.87)),  # Baku
        ("Syria", (33.51, 36.29)),  # Damascus
        ("France", (48.86, 2.35)),  # Paris
    ],
)
def test_the_data_holds_each_country_around_its_capital(country, capital):
    data = boundaries()
    west, south, east, north = data.country(country).bbox
    latitude, longitude = capital
    assert west <= longitude * data.scale <= east
    assert south <= latitude * data.scale <= north
    assert all(ring.country == country for ring in data.country(country).rings)


def test_the_data_is_whole():
    data = boundaries()
    assert data.scale == 100
    assert len(data.countries) > 200
    assert len({country.name for country in data.countries}) == len(data.countries)
    for country in data.countries:
        west, south, east, north = country.bbox
        for ring in country.rings:
            assert len(ring.points) >= 3
            assert west <= ring.west <= ring.east <= east
            assert south <= ring.south <= ring.north <= north
            assert -9000 <= ring.south and ring.north <= 9000


# prepare.py, the build step

# Two arcs closing one square, quantized: x = 10 + 0.5 * qx, y = 20 + 0.5 * qy,
# each arc's positions after its first as steps from the one before.
TINY_TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "arcs": [
        [[0, 0], [4, 0], [0, 4]],  # (10, 20) (12, 20) (12, 22)
        [[4, 4], [-4, 0], [0, -4]],  # (12, 22) (10, 22) (10, 20)
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "Q"}},
                # The same square walked the other way: arcs reversed (~i).
                {"type": "Polygon", "arcs": [[~1, ~0]], "properties": {"name": "P"}},
            ],
        }
    },
}


def test_prepare_decodes_quantized_delta_encoded_arcs():
    assert prepare.decode_arcs(TINY_TOPOLOGY) == [
        [(10, 20), (12, 20), (12, 22)],
        [(12, 22), (10, 22), (10, 20)],
    ]


def test_prepare_joins_arcs_into_rings_either_way_round():
    arcs = prepare.decode_arcs(TINY_TOPOLOGY)
    assert prepare.ring_from_arcs([0, 1], arcs) == [
        (10, 20),
        (12, 20),
        (12, 22),
        (10, 22),
        (10, 20),
    ]
    assert prepare.ring_from_arcs([~1, ~0], arcs) == [
        (10, 20),
        (10, 22),
        (12, 22),
        (12, 20),
        (10, 20),
    ]


def test_prepare_writes_each_country_in_hundredths_delta_encoded(tmp_path):
    source, output = tmp_path / "countries-50m.json", tmp_path / "countries.json"
    source.write_text(json.dumps(TINY_TOPOLOGY))
    prepare.main([str(source), str(output)])
    data = json.loads(output.read_text())
    assert data["scale"] == 100
    assert data["countries"] == [
        {
            "name": "P",
            "bbox": [1000, 2000, 1200, 2200],
            "rings": [[1000, 2000, 0, 200, 200, 0, 0, -200]],
        },
        {
            "name": "Q",
            "bbox": [1000, 2000, 1200, 2200],
            "rings": [[1000, 2000, 200, 0, 0, 200, -200, 0]],
        },
    ]
    assert len(output.read_text().splitlines()) == 4  # a country a line


def test_prepare_simplifies_with_douglas_peucker():
    wiggle = [(0, 0), (1, 0.01), (2, 0), (3, 0.01), (4, 0)]
    assert prepare.simplify(wiggle, 0.02) == [(0, 0), (4, 0)]
    assert prepare.simplify(wiggle, 0.001) == wiggle
    corner = [(0, 0), (1, 0.03), (2, 0)]
    assert prepare.simplify(corner, 0.02) == corner


def test_prepare_keeps_a_ring_across_the_antimeridian_in_one_piece():
    ring = [(179, 0), (-179, 0), (-179, 1), (179, 1), (179, 0)]
    assert prepare.unwrap(ring) == [(179, 0), (181, 0), (181, 1), (179, 1), (179, 0)]


def test_prepare_closes_a_ring_round_the_south_pole_along_the_pole():
    coast = [(-180, -70), (-60, -75), (60, -72), (179, -70), (-180, -70)]
    unwrapped = prepare.unwrap(coast)
    assert unwrapped[:4] == [(-180, -70), (-60, -75), (60, -72), (179, -70)]
    assert unwrapped[4:] == [(180, -70), (180, -90.0), (-180, -90.0)]

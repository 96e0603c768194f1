"""Build ``data/countries.json`` from world-atlas's ``countries-50m.json``.

Run by ``make boundaries`` (never imported at run time), with the standard
library only::

    python -m wagtail_evidence.geo.prepare PATH/countries-50m.json OUTPUT

world-atlas is Natural Earth's admin-0 countries as TopoJSON: each country's
rings are lists of indexes into shared arcs, and the arcs are quantized
integers, delta-encoded, turned back into degrees by the file's transform.
Each arc is simplified once (Douglas-Peucker, ``TOLERANCE`` degrees) before the
rings are assembled, so two neighbours keep the very same border points: the
locator map finds a border as an edge two countries share.

The output holds, per country, its English name, its bounding box and its rings
as integers in hundredths of a degree: each ring a flat list ``[x0, y0, dx1,
dy1, ...]``, the first point absolute and each next one as the step from the
one before, the closing point left out.
"""

import argparse
import json
import sys
from pathlib import Path


SCALE = 100  # integer units per degree: about 1.1 km, finer than a map pixel
TOLERANCE = 0.02  # degrees; about one pixel on a 700 km wide, 320 px map


def decode_arcs(topology):
    """The topology's arcs as lists of (longitude, latitude) in degrees."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (scale_x, scale_y), (translate_x, translate_y) = (
            transform["scale"],
            transform["translate"],
        )
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def ring_from_arcs(indexes, arcs):
    """A ring from its arc indexes; a negative index ``~i`` is arc ``i`` reversed.

    Consecutive arcs share their joining point, which is kept once.
    """
    points = []
    for index in indexes:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        points.extend(arc[1:] if points else arc)
    return points


def simplify(points, tolerance):
    """Douglas-Peucker: drop the points nearer than ``tolerance`` to the line
    between the points kept around them; the two ends always stay."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            offset = _distance_to_segment(points[index], points[first], points[last])
            if offset > distance:
                farthest, distance = index, offset
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _distance_to_segment(point, start, end):
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length_squared = dx * dx + dy * dy
    # A closed arc (an island drawn as one arc) starts and ends on one point.
    if length_squared == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    along = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length_squared))
    return ((px - ax - along * dx) ** 2 + (py - ay - along * dy) ** 2) ** 0.5


def unwrap(points):
    """The ring drawable on a flat map, in degrees.

    world-atlas draws for a sphere: a ring may cross the antimeridian in one
    step (179.9 to -180), and Antarctica's coast goes all the way round the
    pole. Each step is made the short way round, so longitudes run on past
    180 (or below -180) instead of jumping across the map; a ring that then
    ends 360 degrees from where it began circles a pole, and is closed along
    that pole's latitude: the pole on the side of the ring's points.
    """
    unwrapped = [points[0]]
    for (x0, _), (x1, y1) in zip(points, points[1:], strict=False):
        step = x1 - x0
        step -= 360 * round(step / 360)
        unwrapped.append((unwrapped[-1][0] + step, y1))
    (start_x, _), (end_x, _) = unwrapped[0], unwrapped[-1]
    if abs(end_x - start_x) > 180:
        pole = -90.0 if sum(y for _, y in points) < 0 else 90.0
        unwrapped += [(end_x, pole), (start_x, pole)]
    return unwrapped


def quantize(points):
    """Points in hundredths of a degree, without repeats or the closing point;
    None when nothing with an area is left."""
    ring = []
    for x, y in points:
        point = (round(x * SCALE), round(y * SCALE))
        if not ring or ring[-1] != point:
            ring.append(point)
    while len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring if len(ring) >= 3 and _doubled_area(ring) != 0 else None


def _doubled_area(ring):
    return sum(
        x0 * y1 - x1 * y0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def delta_encode(ring):
    flat = list(ring[0])
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        flat += [x1 - x0, y1 - y0]
    return flat


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def countries(topology, tolerance=TOLERANCE):
    """Each country of the topology: name, bounding box and encoded rings."""
    arcs = [simplify(arc, tolerance) for arc in decode_arcs(topology)]
    found = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        rings = [
            ring
            for polygon in polygons_of(geometry)
            for indexes in polygon
            if (ring := quantize(unwrap(ring_from_arcs(indexes, arcs))))
        ]
        if not rings:
            continue
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        found.append(
            {
                "name": geometry.get("properties", {}).get("name", ""),
                "bbox": [min(xs), min(ys), max(xs), max(ys)],
                "rings": [delta_encode(ring) for ring in rings],
            }
        )
    # Sorted by name, so a rebuild from the same source gives the same file.
    return sorted(found, key=lambda country: country["name"])


def source_of(path):
    """The npm package the file came from, when its package.json is beside it."""
    manifest = Path(path).with_name("package.json")
    if not manifest.exists():
        return Path(path).name
    package = json.loads(manifest.read_text(encoding="utf-8"))
    return f"{package['name']} {package['version']}, {Path(path).name}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="world-atlas's countries-50m.json")
    parser.add_argument("output", help="the JSON file to write")
    arguments = parser.parse_args(argv)
    topology = json.loads(Path(arguments.source).read_text(encoding="utf-8"))
    found = countries(topology)
    Path(arguments.output).write_text(
        serialize(source_of(arguments.source), found), encoding="utf-8"
    )
    size = Path(arguments.output).stat().st_size
    print(f"{arguments.output}: {len(found)} countries, {size} bytes")


def serialize(source, countries):
    """Compact JSON with one country a line, so a rebuild diffs by country."""
    header = {
        "source": source,
        "licence": "Natural Earth: public domain; world-atlas: ISC",
        "scale": SCALE,
        "tolerance": TOLERANCE,
    }

    def compact(value):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = ",\n".join(compact(country) for country in countries)
    return f'{compact(header)[:-1]},"countries":[\n{lines}\n]}}\n'


if __name__ == "__main__":
    sys.exit(main())

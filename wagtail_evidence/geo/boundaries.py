"""The country outlines shipped in ``data/countries.json``, and which lie in a view.

The file (built by ``prepare.py``, described in ``data/README.md``) is read once
per process, on first use. Coordinates stay integers in the file's units
(hundredths of a degree): the map projects only the few rings a view needs.
"""

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple


DATA_FILE = "data/countries.json"
FULL_TURN = 360  # degrees: a ring drawn one turn east or west lands on itself


@dataclass(frozen=True)
class Ring:
    """One closed outline: an island, a mainland or a hole (an enclave's outline)."""

    country: str
    points: tuple[tuple[int, int], ...]  # (longitude, latitude) in file units
    west: int
    south: int
    east: int
    north: int


@dataclass(frozen=True)
class Country:
    name: str
    bbox: tuple[int, int, int, int]  # west, south, east, north in file units
    rings: tuple[Ring, ...]


@dataclass(frozen=True)
class Boundaries:
    scale: int  # file units per degree
    countries: tuple[Country, ...]

    def country(self, name):
        return next(country for country in self.countries if country.name == name)


class Placement(NamedTuple):
    """A ring in a view: draw it ``shift`` file units east of where the file has it."""

    ring: Ring
    shift: int


def _decode(flat):
    """[x0, y0, dx1, dy1, ...] (prepare.delta_encode) to absolute points."""
    x, y = flat[0], flat[1]
    points = [(x, y)]
    for index in range(2, len(flat), 2):
        x += flat[index]
        y += flat[index + 1]
        points.append((x, y))
    return tuple(points)


def _ring(country, flat):
    points = _decode(flat)
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return Ring(country, points, min(xs), min(ys), max(xs), max(ys))


@functools.cache
def boundaries():
    """The whole file, decoded; read on first use and kept for the process."""
    text = resources.files(__package__).joinpath(DATA_FILE).read_text("utf-8")
    data = json.loads(text)
    return Boundaries(
        scale=data["scale"],
        countries=tuple(
            Country(
                name=country["name"],
                bbox=tuple(country["bbox"]),
                rings=tuple(_ring(country["name"], flat) for flat in country["rings"]),
            )
            for country in data["countries"]
        ),
    )


def rings_in_view(west, south, east, north):
    """The rings whose bounding box meets the view (bounds in degrees).

    The view may reach past the antimeridian (west below -180 or east above
    180): a ring is then also tried a turn east or west, so the coast on the
    far side is drawn next to the near one rather than across the world.
    """
    data = boundaries()
    turn = FULL_TURN * data.scale
    west, south = west * data.scale, south * data.scale
    east, north = east * data.scale, north * data.scale
    found = []
    for country in data.countries:
        country_west, country_south, country_east, country_north = country.bbox
        if country_south > north or country_north < south:
            continue
        for shift in (-turn, 0, turn):
            if country_west + shift > east or country_east + shift < west:
                continue
            found += [
                Placement(ring, shift)
                for ring in country.rings
                if ring.west + shift <= east
                and ring.east + shift >= west
                and ring.south <= north
                and ring.north >= south
            ]
    return found

#!/usr/bin/env python3
"""Build static/map/world-110m.svg, the base map under the partner-city points, from npm world-atlas.

    .venv/bin/python scripts/build_world_map.py

Reads node_modules/world-atlas/countries-110m.json (TopoJSON: Natural Earth 1:110m admin-0 countries,
quantized and delta-encoded), decodes it with the standard library only, projects it with
``core.worldmap.project`` (equirectangular, cropped below 63 S: no Antarctica) and writes one
<path> per country, coordinates rounded to 0.1 unit and written as relative moves.

world-atlas "stitches" shapes across the antimeridian (Russia's Chukotka, Fiji), so a ring may jump
from 180 to -180 degrees. Each ring is unwrapped into continuous longitudes (e.g. 170..190) and a shape
that sticks out past one edge is drawn a second time shifted by 360 degrees; the SVG viewport clips both
copies at the edge. No segment runs across the map, and the fill stays right.

The output is deterministic: rerunning on the same input gives the same bytes.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.worldmap import HEIGHT, LAT_BOTTOM, VIEWBOX, WIDTH, project  # noqa: E402

SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-110m.json"
PACKAGE = ROOT / "node_modules" / "world-atlas" / "package.json"
TARGET = ROOT / "static" / "map" / "world-110m.svg"
LICENSE = ROOT / "static" / "map" / "LICENSE.md"

LAND_FILL = "#d6dde6"  # between KRDS gray-10 (#e6e8ea) and secondary-10 (#d6e0eb)
BORDER = "#ffffff"
SKIP_IDS = {"010"}  # ISO 3166-1 numeric 010: Antarctica, below the crop


def decode_arcs(topology):
    """Absolute [lon, lat] points of every arc (TopoJSON quantized arcs are delta-encoded)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = []
        if transform:
            (scale_x, scale_y), (translate_x, translate_y) = transform["scale"], transform["translate"]
            x = y = 0
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        else:
            points = [(float(x), float(y)) for x, y in arc]
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    """The points of one ring: its arcs joined, reversed where the index is negative (~i)."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # each arc starts where the previous one ended
    return points


def unwrap(points):
    """Make longitudes continuous: a jump of more than 180 degrees becomes a step across the antimeridian."""
    result = []
    offset = 0.0
    previous = None
    for lon, lat in points:
        if previous is not None:
            step = lon + offset - previous
            if step > 180:
                offset -= 360
            elif step < -180:
                offset += 360
        previous = lon + offset
        result.append((previous, lat))
    return result


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def tenths(lon, lat):
    x, y = project(lat, lon)
    return round(x * 10), round(y * 10)


def fmt(value):
    """Tenths as the shortest decimal: 123 -> '12.3', -5 -> '-.5', 40 -> '4'."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    if tenth == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{tenth}" if whole else f"{sign}.{tenth}"


def ring_path(points):
    """'M x y l dx dy dx dy … z' in tenths of a unit, consecutive duplicates (after rounding) dropped."""
    cells = []
    for point in points:
        cell = tenths(*point)
        if not cells or cell != cells[-1]:
            cells.append(cell)
    if len(cells) > 1 and cells[0] == cells[-1]:
        cells.pop()
    if len(cells) < 3:
        return ""  # smaller than a tenth of a unit: nothing to see
    (x, y), numbers = cells[0], []
    for cx, cy in cells[1:]:
        numbers += [fmt(cx - x), fmt(cy - y)]
        x, y = cx, cy
    return f"M{fmt(cells[0][0])} {fmt(cells[0][1])}l" + " ".join(numbers).replace(" -", "-") + "z"


def country_path(geometry, arcs):
    pieces = []
    for polygon in polygons(geometry):
        rings = [unwrap(ring_points(ring, arcs)) for ring in polygon]
        if not rings or not rings[0]:
            continue
        # Holes follow their outer ring onto the same side of the antimeridian.
        outer_mid = (min(p[0] for p in rings[0]) + max(p[0] for p in rings[0])) / 2
        placed = [rings[0]]
        for hole in rings[1:]:
            mid = (min(p[0] for p in hole) + max(p[0] for p in hole)) / 2
            shift = 360 * round((outer_mid - mid) / 360)
            placed.append([(lon + shift, lat) for lon, lat in hole])
        low = min(p[0] for ring in placed for p in ring)
        high = max(p[0] for ring in placed for p in ring)
        shifts = [0]
        if low < -180:
            shifts.append(360)
        if high > 180:
            shifts.append(-360)
        for shift in shifts:
            for ring in placed:
                path = ring_path([(lon + shift, lat) for lon, lat in ring])
                if path:
                    pieces.append(path)
    return "".join(pieces)


def build():
    topology = json.loads(SOURCE.read_text(encoding="utf-8"))
    version = json.loads(PACKAGE.read_text(encoding="utf-8"))["version"]
    arcs = decode_arcs(topology)
    geometries = sorted(
        (g for g in topology["objects"]["countries"]["geometries"] if g.get("id") not in SKIP_IDS),
        key=lambda g: (g.get("properties", {}).get("name", ""), g.get("id", "")),
    )
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- Natural Earth 1:110m admin-0 countries (public domain) via world-atlas {version} "
        f"countries-110m.json (ISC). Equirectangular, cropped at {LAT_BOTTOM} degrees latitude. "
        "Built by scripts/build_world_map.py; see LICENSE.md. -->",
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{VIEWBOX}" width="{WIDTH}" height="{HEIGHT}">',
        f'<g fill="{LAND_FILL}" stroke="{BORDER}" stroke-width=".5" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    for geometry in geometries:
        path = country_path(geometry, arcs)
        if path:
            lines.append(f'<path d="{path}"/>')
    lines += ["</g>", "</svg>", ""]
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text("\n".join(lines), encoding="utf-8")
    LICENSE.write_text(license_text(version), encoding="utf-8")
    return TARGET.stat().st_size


def license_text(version):
    return f"""# static/map: where the base map comes from

`world-110m.svg` is drawn by `scripts/build_world_map.py` from
`node_modules/world-atlas/countries-110m.json` of the npm package **world-atlas {version}**
(<https://github.com/topojson/world-atlas>), projected (equirectangular, cropped below 63° S, so
without Antarctica) and simplified to 0.1 unit of a 1000-unit-wide map. Do not edit the SVG by
hand: change the script or `core/worldmap.py` and rerun it.

## Natural Earth: public domain

The country outlines are Natural Earth's 1:110m *Admin 0 – Countries*
(<https://www.naturalearthdata.com/>). Natural Earth is in the public domain: "No permission is
needed to use Natural Earth. Crediting the authors is unnecessary." We credit it anyway.
Boundaries are Natural Earth's de facto view and are shown for orientation only.

## world-atlas: ISC licence

Copyright 2013-2019 Michael Bostock

Permission to use, copy, modify, and/or distribute this software for any purpose
with or without fee is hereby granted, provided that the above copyright notice
and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH
REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND
FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT,
INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS
OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER
TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF
THIS SOFTWARE.
"""


if __name__ == "__main__":
    size = build()
    print(f"wrote {TARGET.relative_to(ROOT)} ({size:,} bytes) and {LICENSE.relative_to(ROOT)}")

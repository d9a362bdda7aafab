"""The partner-city map: projection, points, the shipped base map and the include that draws them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from core import worldmap
from core.worldmap import HEIGHT, VIEWBOX, WIDTH, map_points, project
from projects.models import Relationship

BASE_MAP = Path(settings.BASE_DIR) / "static" / "map" / "world-110m.svg"
TEMPLATE = Path(settings.BASE_DIR) / "templates" / "jinja2" / "includes" / "_world_map.html"  # drawn by Jinja2


# ---------- projection ----------


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        (90, -180, (0, 0)),
        (90, 180, (WIDTH, 0)),
        (worldmap.LAT_BOTTOM, -180, (0, HEIGHT)),
        (worldmap.LAT_BOTTOM, 180, (WIDTH, HEIGHT)),
        (0, 0, (WIDTH / 2, 90 * WIDTH / 360)),
    ],
)
def test_projection_corners(latitude, longitude, expected):
    x, y = project(latitude, longitude)
    assert x == pytest.approx(expected[0])
    assert y == pytest.approx(expected[1])


def test_viewbox_matches_the_crop():
    width, height = WIDTH, HEIGHT
    assert VIEWBOX.split() == ["0", "0", str(width), str(height)]
    assert height == pytest.approx((worldmap.LAT_TOP - worldmap.LAT_BOTTOM) * width / 360)


def test_seoul_lands_in_korea():
    x, y = project(37.5665, 126.978)
    assert (round(x, 1), round(y, 1)) == (852.7, 145.6)
    assert worldmap.seoul_point() == {"x": 852.7, "y": 145.6}


def test_projection_takes_decimals():
    from decimal import Decimal

    assert project(Decimal("13.76"), Decimal("100.5")) == pytest.approx(project(13.76, 100.5))


# ---------- points ----------


@pytest.mark.django_db
def test_map_points_skip_and_count_cities_without_coordinates(make_city, make_country, sister_city):
    make_city("nowhere", name="Nowhere")
    make_city("also-nowhere", name="Also nowhere", relationship=Relationship.FRIENDSHIP)
    lima = make_city(
        "lima",
        name="Lima",
        country=make_country("PE", "Peru"),
        latitude=-12.05,
        longitude=-77.04,
        coordinates_approximate=True,
    )
    points, missing = map_points([sister_city, lima] + list(type(lima).objects.filter(slug__contains="nowhere")))
    assert missing == 2
    assert [point["name"] for point in points] == ["Bangkok", "Lima"]  # sister cities first
    bangkok = points[0]
    x, y = project(13.76, 100.5)
    assert bangkok["x"] == round(x, 1) and bangkok["y"] == round(y, 1)
    assert bangkok["country"] == "Thailand"
    assert bangkok["url"] == sister_city.get_absolute_url()
    assert bangkok["relationship"] == "sister"
    assert bangkok["relationship_label"] == "Sister city"
    assert bangkok["label"] == "Bangkok, Thailand — Sister city (2006)"
    assert bangkok["approximate"] is False
    assert bangkok["case_count"] is None
    assert points[1]["approximate"] is True
    assert points[1]["label"] == "Lima, Peru — Partner (no formal tie); approximate location"


@pytest.mark.django_db
def test_map_points_carry_case_count_from_for_listing(make_case, sister_city):
    from projects.models import City

    make_case(cities=[sister_city])
    result = map_points(City.objects.for_listing())
    assert result.missing == 0
    assert result.points[0]["case_count"] == 1


def test_map_points_of_nothing():
    assert map_points([]) == ([], 0)


# ---------- the shipped base map ----------


def path_segments(d):
    """Every straight segment (x0, y0, x1, y1) of an SVG path using M/m, L/l, H/h, V/v and Z/z."""
    tokens = re.findall(r"[MmLlHhVvZz]|-?(?:\d+\.?\d*|\.\d+)", d)
    segments = []
    x = y = start_x = start_y = 0.0
    command = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                segments.append((x, y, start_x, start_y))
                x, y = start_x, start_y
            continue
        assert command is not None, "path data must start with a command"
        if command in "Hh":
            nx = float(token) + (x if command == "h" else 0)
            segments.append((x, y, nx, y))
            x = nx
            i += 1
            continue
        if command in "Vv":
            ny = float(token) + (y if command == "v" else 0)
            segments.append((x, y, x, ny))
            y = ny
            i += 1
            continue
        assert command in "MmLl", f"unexpected command {command}"
        dx, dy = float(tokens[i]), float(tokens[i + 1])
        i += 2
        nx, ny = (x + dx, y + dy) if command in "ml" else (dx, dy)
        if command in "Mm":
            start_x, start_y = nx, ny
            command = "l" if command == "m" else "L"  # further pairs after a move are line-tos
        else:
            segments.append((x, y, nx, ny))
        x, y = nx, ny
    return segments


def test_path_parser_understands_relative_and_absolute_commands():
    assert path_segments("M1 1l2 0 0 2z") == [(1, 1, 3, 1), (3, 1, 3, 3), (3, 3, 1, 1)]
    assert path_segments("M0 0L5 .5h-1v-.5Z") == [(0, 0, 5, 0.5), (5, 0.5, 4, 0.5), (4, 0.5, 4, 0), (4, 0, 0, 0)]


def test_base_map_is_small_standalone_and_local():
    text = BASE_MAP.read_text(encoding="utf-8")
    assert BASE_MAP.stat().st_size < 150_000
    assert f'viewBox="{VIEWBOX}"' in text
    assert text.count("http") == 1 and 'xmlns="http://www.w3.org/2000/svg"' in text
    for forbidden in ("<script", "style=", "href", "<image", "<foreignObject", "url("):
        assert forbidden not in text
    assert (BASE_MAP.parent / "LICENSE.md").exists()


def test_base_map_has_no_streaks_across_the_map():
    paths = re.findall(r'<path d="([^"]+)"', BASE_MAP.read_text(encoding="utf-8"))
    assert len(paths) > 150  # one per country
    widest = max(abs(x1 - x0) for d in paths for x0, _, x1, _ in path_segments(d))
    assert widest < 500
    # Every point sits within (or, for the copies drawn across the antimeridian, just beyond) the map.
    ys = [y for d in paths for _, y, _, _ in path_segments(d)]
    assert min(ys) >= 0 and max(ys) <= HEIGHT


def test_build_script_reproduces_the_shipped_map(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_world_map", settings.BASE_DIR / "scripts" / "build_world_map.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not module.SOURCE.exists():
        pytest.skip("node_modules/world-atlas is not installed")
    monkeypatch.setattr(module, "TARGET", tmp_path / "world.svg")
    monkeypatch.setattr(module, "LICENSE", tmp_path / "LICENSE.md")
    module.build()
    assert (tmp_path / "world.svg").read_bytes() == BASE_MAP.read_bytes()
    assert (tmp_path / "LICENSE.md").read_bytes() == (BASE_MAP.parent / "LICENSE.md").read_bytes()


# ---------- the include ----------


def test_include_uses_the_module_constants():
    template = TEMPLATE.read_text(encoding="utf-8")
    assert template.count(f'viewBox="{VIEWBOX}"') == 1
    assert f'width="{WIDTH}" height="{HEIGHT}"' in template
    assert "{% set seoul = seoul_point() %}" in template  # the star is placed by core.worldmap.seoul_point()


@pytest.mark.django_db
def test_seouls_star_is_drawn_where_the_module_puts_seoul(client):
    seoul = worldmap.seoul_point()
    html = client.get("/").content.decode()
    assert f'class="map-seoul" d="M{seoul["x"]:g} {seoul["y"]:g}m' in html


@pytest.mark.django_db
def test_include_renders_one_link_per_point_and_the_same_list(make_city, make_country, sister_city):
    make_city(
        "tokyo",
        name="Tokyo",
        country=make_country("JP", "Japan"),
        latitude=35.68,
        longitude=139.69,
        relationship=Relationship.SISTER,
        relationship_year=1988,
    )
    make_city(
        "hanoi",
        name="Hanoi",
        country=make_country("VN", "Viet Nam"),
        latitude=21.03,
        longitude=105.85,
        relationship=Relationship.FRIENDSHIP,
        relationship_year=2013,
    )
    make_city("lima", name="Lima", country=make_country("PE", "Peru"), latitude=-12.05, longitude=-77.04)
    make_city("nowhere", name="Nowhere")
    from projects.models import City

    points, missing = map_points(City.objects.for_listing())
    html = render_to_string(
        "includes/_world_map.html",
        {"points": points, "map_title": "Partner cities", "map_id": "partner-map", "map_missing": missing},
    )
    svg = html[html.index("<svg") : html.index("</svg>")]
    links = re.findall(r'<a href="([^"]+)" class="map-point">', svg)
    assert len(links) == len(points) == 4
    assert set(links) == {point["url"] for point in points}
    assert 'role="group"' in svg and 'aria-labelledby="partner-map-title"' in svg
    assert 'id="partner-map-title">Partner cities<' in html
    assert '<image href="/static/map/world-110m.svg"' in svg
    assert svg.index("<image") < svg.index("<a ")
    assert "<title>Tokyo, Japan — Sister city (1988)</title>" in svg
    assert svg.count("map-marker-sister") == 2 and svg.count("map-marker-friendship") == 1
    assert svg.count("map-marker-none") == 1

    details = html[html.index("<details") : html.index("</details>")]
    assert "The places on this map as a list" in details
    assert details.count("<li>") == len(points)
    assert all(f'href="{url}"' in details for url in links)
    assert "1 place without known coordinates is listed but not drawn." in html
    assert "style=" not in html
    assert "<script" not in html
    assert "http" not in html  # nothing from another host


def test_include_without_points():
    html = render_to_string("includes/_world_map.html", {"points": [], "map_title": "Map", "map_id": "m"})
    assert "<a href" not in html
    assert "No places to show." in html
    assert "without known coordinates" not in html


# ---------- places too close to tell apart (issue 13) ----------


def point(name, latitude, longitude, country="China", relationship="sister"):
    x, y = project(latitude, longitude)
    return {"x": round(x, 1), "y": round(y, 1), "name": name, "country": country, "url": f"/cities/{name.lower()}/",
            "relationship": relationship, "relationship_label": "Sister city", "relationship_year": None,
            "approximate": False, "case_count": None, "label": name}  # fmt: skip


def test_overlapping_markers_share_one_mark_and_every_place_is_in_exactly_one_mark():
    points = [
        point("Beijing", 39.9, 116.4),
        point("Tianjin", 39.1, 117.2),  # 1 degree from Beijing: their markers overlap
        point("Dhaka", 23.8, 90.4, country="Bangladesh"),
        point("Chittagong", 22.3, 91.8, country="Bangladesh"),
        point("Tokyo", 35.7, 139.7, country="Japan"),
        point("Lima", -12.0, -77.0, country="Peru"),
    ]
    marks = worldmap.map_marks(points)
    lone = [mark["point"]["name"] for mark in marks if "point" in mark]
    groups = [mark for mark in marks if "group" in mark]
    assert lone == ["Tokyo", "Lima"]
    assert [[member["name"] for member in group["members"]] for group in groups] == [
        ["Beijing", "Tianjin"],
        ["Chittagong", "Dhaka"],
    ]
    assert [group["group"] for group in groups] == [1, 2]
    assert groups[0]["heading"] == "2 places in China"
    assert groups[1]["label"] == "2 places in Bangladesh: Chittagong, Dhaka"
    assert sorted(lone + [m["name"] for g in groups for m in g["members"]]) == sorted(p["name"] for p in points)
    # What is left drawn alone overlaps nothing: no two marks' centres closer than the grouping distance.
    centres = [(m["point"]["x"], m["point"]["y"]) if "point" in m else (m["x"], m["y"]) for m in marks]
    for i, a in enumerate(centres):
        for b in centres[:i]:
            assert ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 >= worldmap.GROUP_DISTANCE


def test_places_in_several_countries_are_close_together():
    marks = worldmap.map_marks([point("A", 10, 10, country="X"), point("B", 10.5, 10.5, country="Y")])
    assert marks[0]["heading"] == "2 places close together"


def test_include_links_a_group_mark_to_its_places_under_the_map():
    points = [point("Beijing", 39.9, 116.4), point("Tianjin", 39.1, 117.2), point("Tokyo", 35.7, 139.7, "Japan")]
    html = render_to_string("includes/_world_map.html", {"points": points, "map_title": "Map", "map_id": "m"})
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert re.findall(r'<a href="([^"]+)" class="map-point', svg) == ["/cities/tokyo/", "#m-group-1"]
    assert "<title>2 places in China: Beijing, Tianjin</title>" in svg
    item = re.search(r'<li id="m-group-1" tabindex="-1">(.*?)</li>', html, re.S).group(1)
    assert "2 places in China:" in item
    assert re.findall(r'<a href="([^"]+)">', item) == ["/cities/beijing/", "/cities/tianjin/"]
    assert "Numbered circle: places too close to tell apart" in html
    # The text list keeps every place.
    details = html[html.index("<details") : html.index("</details>")]
    assert details.count("<li>") == 3

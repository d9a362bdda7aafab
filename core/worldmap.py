"""The partner-city world map: one projection shared by the base map and the points drawn on it.

``scripts/build_world_map.py`` draws ``static/map/world-110m.svg`` with :func:`project`; the include
``templates/includes/_world_map.html`` lays that file under the points from :func:`map_points`, in an
inline SVG with the same :data:`VIEWBOX`. Change a constant here and rebuild the map
(``.venv/bin/python scripts/build_world_map.py``), or the points drift off their places.

Equirectangular ("plate carrée") projection: x = (lon + 180) / 360 * WIDTH, y = (LAT_TOP - lat) * scale,
with the same scale on both axes (WIDTH / 360 units per degree). The map is cropped below LAT_BOTTOM,
which leaves out Antarctica and nothing else.
"""

import math
from functools import lru_cache
from typing import NamedTuple

from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from core.i18n import localized

WIDTH = 1000
LAT_TOP = 90
LAT_BOTTOM = -63  # 153 degrees * 1000/360 = 425 units exactly
UNITS_PER_DEGREE = WIDTH / 360
HEIGHT = round((LAT_TOP - LAT_BOTTOM) * UNITS_PER_DEGREE)
VIEWBOX = f"0 0 {WIDTH} {HEIGHT}"


def project(latitude, longitude):
    """(x, y) in the map's viewBox for a point in degrees (floats, ints or Decimals), unrounded.

    Longitudes outside -180..180 are not wrapped (the base-map builder relies on that to draw shapes that
    cross the antimeridian twice); latitudes below LAT_BOTTOM land below the visible map.
    """
    x = (float(longitude) + 180) * UNITS_PER_DEGREE
    y = (LAT_TOP - float(latitude)) * UNITS_PER_DEGREE
    return x, y


class MapPoints(NamedTuple):
    """What :func:`map_points` returns: the drawable points, and how many places had no coordinates."""

    points: list
    missing: int


# Draw order (and the legend's order): the largest symbols first, so that the smaller ones stay visible
# on top of them where places crowd together.
RELATIONSHIP_ORDER = {"sister": 0, "friendship": 1, "none": 2}


def country_suffix(country):
    """What follows a place's name in the map's list: ', Thailand' in English, '(태국)' in Korean."""
    if not country:
        return ""
    # Translators: after a place's name (a link) in the list of the map's places, e.g. "Bangkok, Thailand".
    return pgettext("after a place's name in the map list", ", %(country)s") % {"country": country}


def tie_label(relationship_label, year=None):
    """'Sister city (2006)' / '자매도시(2006년)'."""
    if not year:
        return str(relationship_label)
    return _("%(relationship)s (%(year)s)") % {"relationship": relationship_label, "year": year}


def point_label(name, country, relationship_label, year=None, approximate=False):
    """'Bangkok, Thailand — Sister city (2006)': the name a point's link gets."""
    place = name
    if country:
        # Translators: a place on the map: its name and country, e.g. "Bangkok, Thailand".
        place = _("%(name)s, %(country)s") % {"name": name, "country": country}
    tie = relationship_label
    if year:
        # Translators: a city's tie to Seoul and the year it was signed, e.g. "Sister city (2006)".
        tie = _("%(relationship)s (%(year)s)") % {"relationship": relationship_label, "year": year}
    label = f"{place} — {tie}"
    return _("%(label)s; approximate location") % {"label": label} if approximate else label


def map_points(cities):
    """Plain dicts for the map include, one per city that has coordinates, in drawing order.

    Works with City objects (``for_listing()`` adds ``case_count``; ``select_related("country")``
    avoids a query per city). Returns ``MapPoints(points, missing)``, which unpacks as a pair.
    """
    relationship_labels = {}  # Django's get_FOO_display() rebuilds the choices' dict at every call

    def places():
        for city in cities:
            if city.latitude is None or city.longitude is None:
                yield NOWHERE
                continue
            relationship = city.relationship or "none"
            if relationship not in relationship_labels:
                relationship_labels[relationship] = str(city.get_relationship_display())
            country_obj = getattr(city, "country", None)  # no country: RelatedObjectDoesNotExist, caught by getattr
            yield (
                city.latitude,
                city.longitude,
                localized(city, "name")[0],
                localized(country_obj, "name")[0] if country_obj is not None else "",
                city.get_absolute_url(),
                relationship,
                relationship_labels[relationship],
                getattr(city, "relationship_year", None),
                bool(getattr(city, "coordinates_approximate", False)),
                getattr(city, "case_count", None),
            )

    return draw_points(places())


# A place without coordinates, for draw_points: counted, not drawn.
NOWHERE = (None,) * 10


def draw_points(places):
    """``MapPoints`` from plain tuples, one per place: (latitude, longitude, name, country, url, relationship,
    relationship label, year, approximate, case count), names in the page's language. For a list whose rows
    are read as bare values (the map of /cities/: up to ``MAP_LIMIT`` places on every page), without a model
    instance per place."""
    points = []
    missing = 0
    language = get_language()
    for place in places:
        if place[0] is None or place[1] is None:
            missing += 1
            continue
        points.append(dict(drawn_point(language, *place)))  # a copy: the kept one is shared
    points.sort(key=_drawing_order)
    return MapPoints(points, missing)


def _drawing_order(point):
    return (RELATIONSHIP_ORDER.get(point["relationship"], 9), point["name"], point["url"])


@lru_cache(maxsize=4096)
def drawn_point(
    language, latitude, longitude, name, country, url, relationship, relationship_label, year, approximate, count
):
    """One point of :func:`map_points`, from the values it is drawn from (and the language its labels are
    in): kept for the next map that draws the same place the same way, since the labels' translations
    are most of a map's work and most maps draw the same places again."""
    x, y = project(latitude, longitude)
    return {
        "x": round(x, 1),
        "y": round(y, 1),
        "name": name,
        "country": country,
        "url": url,
        "relationship": relationship,
        "relationship_label": relationship_label,
        "relationship_year": year,
        "approximate": approximate,
        "case_count": count,
        "label": point_label(name, country, relationship_label, year, approximate),
        "country_suffix": country_suffix(country),
        "tie": tie_label(relationship_label, year),
    }


# Markers whose centres are closer than this (viewBox units; a sister city's circle is 10 across, so they
# would overlap and hide one another, e.g. Beijing and Tianjin, or Dhaka and Chittagong) are drawn as one
# numbered mark. Markers scale with the map, so what overlaps at one width overlaps at every width.
GROUP_DISTANCE = 8


def map_marks(points, distance=GROUP_DISTANCE):
    """What the map draws for ``points`` (from :func:`map_points`): one mark per point, except that points
    whose markers would overlap (a chain of centres each within ``distance`` of another) share one mark.

    Returns a list of dicts in drawing order: ``{"point": point}`` for a lone point, and for a group
    ``{"group": number (1, 2...), "x", "y" (the members' mean), "members": points by name, "heading"
    ("3 places in China"), "label" (the heading and the names)}``.
    A group's mark links to its line in the list under the map, which links to every member.
    """
    parent = list(range(len(points)))

    def root(index):
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, point in enumerate(points):
        for j in range(i):
            if math.dist((point["x"], point["y"]), (points[j]["x"], points[j]["y"])) < distance:
                parent[root(i)] = root(j)
    clusters = {}
    for index, point in enumerate(points):
        clusters.setdefault(root(index), []).append(point)  # members keep the drawing order
    marks, number = [], 0
    for members in clusters.values():
        if len(members) == 1:
            marks.append({"point": members[0]})
            continue
        number += 1
        members = sorted(members, key=lambda point: (point["name"], point["url"]))
        countries = {point["country"] for point in members}
        heading = group_heading(len(members), countries.pop() if len(countries) == 1 else "")
        marks.append(
            {
                "group": number,
                "x": round(sum(point["x"] for point in members) / len(members), 1),
                "y": round(sum(point["y"] for point in members) / len(members), 1),
                "members": members,
                "heading": heading,
                # "3 places in China: Beijing, Tianjin" (the same punctuation in both languages).
                "label": f"{heading}: {', '.join(point['name'] for point in members)}",
            }
        )
    # Lone points first, in their drawing order; the groups' bigger marks on top of them.
    return [mark for mark in marks if "point" in mark] + [mark for mark in marks if "group" in mark]


def group_heading(count, country=""):
    """'3 places in China' (all in one country) or '3 places close together'."""
    if country:
        # Translators: a numbered mark on the map that stands for several places too close to tell apart.
        return ngettext("%(count)s place in %(country)s", "%(count)s places in %(country)s", count) % {
            "count": count,
            "country": country,
        }
    return ngettext("%(count)s place close together", "%(count)s places close together", count) % {"count": count}


# Seoul itself, drawn as a reference mark (not a link): 37.5665 N, 126.9780 E.
SEOUL_LATITUDE = 37.5665
SEOUL_LONGITUDE = 126.978


def seoul_point():
    x, y = project(SEOUL_LATITUDE, SEOUL_LONGITUDE)
    return {"x": round(x, 1), "y": round(y, 1)}

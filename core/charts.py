"""Seoul's rank over the editions of one index, as plain data for the inline SVG of
``templates/includes/_rank_chart.html``; and the trend shown on ``/rankings/``.

Everything is computed here so that the template only prints numbers: no JavaScript, no chart library,
no request to another host. Rank 1 is at the top; editions sit on the x axis by year (a year without an
edition leaves a gap in the spacing, the line simply joins the neighbouring editions).
"""

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.i18n import ordinal_display

WIDTH = 640
HEIGHT = 320
MARGIN_LEFT = 56
MARGIN_RIGHT = 20
MARGIN_TOP = 40
MARGIN_BOTTOM = 44
INSET = 24  # keeps the first and last markers off the axes

# Minimum distance between two year labels, in viewBox units: desktop text is 13 units, phone text 26.
LABEL_GAP_WIDE = 44
LABEL_GAP_NARROW = 84

SCOPE_STYLES = {
    # Colour AND marker shape AND dash tell the series apart (readable in greyscale and for colour-blind readers).
    "world": {"css": "series-world", "marker": "circle", "order": 0},
    "asia": {"css": "series-asia", "marker": "square", "order": 1},
}
OTHER_STYLE = {"css": "series-other", "marker": "diamond", "order": 9}


def _scope_label(result):
    display = getattr(result, "get_scope_display", None)
    return str(display()) if display else str(result.scope).title()


def year_ranges(years):
    """[2012, 2013, 2014, 2015, 2024, 2025] -> '2012–2015, 2024, 2025' (runs of three or more joined)."""
    years = sorted(set(years))
    runs = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(year) for year in run)
    return ", ".join(parts)


def rank_ticks(worst_rank):
    """Tick ranks from 1 down to the worst rank rounded up: 13 -> [1, 5, 10, 15]; 45 -> [1, 10, ..., 50]."""
    worst_rank = max(int(worst_rank), 1)
    if worst_rank <= 5:
        return [1, 2, 3, 4, 5]
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        top = math.ceil(worst_rank / step) * step
        if top / step <= 6:
            break
    return [1, *range(step, top + 1, step)]


def _label_flags(xs, gap):
    """Which of the sorted x positions get a label without two labels coming closer than ``gap``.

    The first and the last always get one; in between, greedily from the left.
    """
    if not xs:
        return []
    shown = [False] * len(xs)
    shown[0] = True
    last = xs[0]
    for i in range(1, len(xs) - 1):
        if xs[i] - last >= gap and xs[-1] - xs[i] >= gap:
            shown[i] = True
            last = xs[i]
    if len(xs) > 1:
        shown[-1] = True
        if xs[-1] - xs[0] < gap:  # two labels would collide: keep the newest only
            shown[0] = False
    return shown


def _summary(index_name, series, first_year, last_year):
    parts = []
    for one in series:
        best = one["best"]
        latest = one["latest"]
        text = _("best %(best)s (%(best_editions)s), latest %(latest)s (%(latest_edition)s)") % {
            "best": ordinal_display(best["rank"]),
            "best_editions": year_ranges(best["editions"]),
            "latest": latest.rank_display,
            "latest_edition": latest.edition,
        }
        if len(series) > 1:
            text = _("%(scope)s ranking: %(ranks)s") % {"scope": one["label"], "ranks": text}
        parts.append(text)
    values = {"index": index_name, "year": first_year, "first": first_year, "last": last_year}
    values["ranks"] = "; ".join(parts)
    if index_name:
        if first_year == last_year:
            return _("Seoul's rank in the %(index)s in %(year)s: %(ranks)s") % values
        return _("Seoul's rank in the %(index)s from %(first)s to %(last)s: %(ranks)s") % values
    if first_year == last_year:
        return _("Seoul's rank in this index in %(year)s: %(ranks)s") % values
    return _("Seoul's rank in this index from %(first)s to %(last)s: %(ranks)s") % values


def rank_history_chart(results, index_name=None, chart_id=None):
    """Everything ``_rank_chart.html`` draws, for RankingResult objects of one index (any order, any scopes).

    Returns None when there is nothing to draw. ``index_name`` defaults to the first result's index name;
    ``chart_id`` (for the SVG's title and desc ids) to ``rank-chart-<index slug>``.
    """
    results = [result for result in results if result.rank]
    if not results:
        return None
    index = getattr(results[0], "index", None)
    if index_name is None and index is not None:
        index_name = index.name
    if chart_id is None:
        chart_id = f"rank-chart-{index.slug}" if index is not None else "rank-chart"

    years = sorted({result.edition for result in results})
    first_year, last_year = years[0], years[-1]
    left, right = MARGIN_LEFT + INSET, WIDTH - MARGIN_RIGHT - INSET
    top, bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM

    def x_of(year):
        if first_year == last_year:
            return round((left + right) / 2, 1)
        return round(left + (year - first_year) / (last_year - first_year) * (right - left), 1)

    ticks = rank_ticks(max(result.rank for result in results))
    worst = ticks[-1]

    def y_of(rank):
        return round(top + (rank - 1) / (worst - 1) * (bottom - top), 1)

    xs = [x_of(year) for year in years]
    wide = _label_flags(xs, LABEL_GAP_WIDE)
    # Phone labels: a subset of the desktop ones (the others are hidden by CSS below 768px).
    wide_xs = [x for x, show in zip(xs, wide, strict=True) if show]
    narrow_of = dict(zip(wide_xs, _label_flags(wide_xs, LABEL_GAP_NARROW), strict=True))
    narrow = [narrow_of.get(x, False) for x in xs]
    x_ticks = [
        {"year": year, "x": x, "label": str(year), "show": show_wide, "narrow": show_narrow}
        for year, x, show_wide, show_narrow in zip(years, xs, wide, narrow, strict=True)
    ]
    y_ticks = [{"rank": rank, "y": y_of(rank), "label": str(rank)} for rank in ticks]

    by_scope = {}
    for result in results:
        by_scope.setdefault(result.scope, []).append(result)
    series = []
    for scope, scope_results in by_scope.items():
        scope_results.sort(key=lambda result: result.edition)
        style = SCOPE_STYLES.get(scope, OTHER_STYLE)
        label = _scope_label(scope_results[0])
        markers = []
        for result in scope_results:
            x, y = x_of(result.edition), y_of(result.rank)
            markers.append(
                {
                    "x": x,
                    "y": y,
                    "edition": result.edition,
                    "edition_label": result.edition_label,
                    "rank": result.rank,
                    "rank_display": result.rank_display,
                    "scope": scope,
                    "scope_label": label,
                    "title": f"{result.edition}: {result.rank_display} ({label})",
                }
            )
        best_rank = min(result.rank for result in scope_results)
        series.append(
            {
                "scope": scope,
                "label": label,
                "css": style["css"],
                "marker": style["marker"],
                "order": style["order"],
                "points": " ".join(f"{m['x']:g},{m['y']:g}" for m in markers),
                "markers": markers,
                "best": {
                    "rank": best_rank,
                    "editions": [r.edition for r in scope_results if r.rank == best_rank],
                },
                "latest": scope_results[-1],
            }
        )
    series.sort(key=lambda one: (one["order"], one["scope"]))
    if index_name:
        title = _("Seoul's rank in the %(index)s, by edition") % {"index": index_name}
    else:
        title = _("Seoul's rank by edition")

    return {
        "id": chart_id,
        "title_id": f"{chart_id}-title",
        "desc_id": f"{chart_id}-desc",
        "title": title,
        "summary": _summary(index_name, series, first_year, last_year),
        "width": WIDTH,
        "height": HEIGHT,
        "view_box": f"0 0 {WIDTH} {HEIGHT}",
        "plot": {
            "left": MARGIN_LEFT,
            "right": WIDTH - MARGIN_RIGHT,
            "top": top,
            "bottom": bottom,
            "x_label_y": bottom + 26,
            "y_label_x": MARGIN_LEFT - 10,
            "axis_title_y": top - 14,
        },
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "series": series,
        "first_year": first_year,
        "last_year": last_year,
        "multiple_series": len(series) > 1,
    }


def rank_trend(results):
    """How the newest result compares with the previous edition of the same scope.

    Takes the newest world result (else the newest of any scope). Returns None without results, else a dict:
    ``direction`` "up" (better: a smaller rank number), "down", "same", or None when there is no earlier
    edition; ``previous_rank``, ``previous_edition``, ``places`` (how many places moved), ``latest`` and
    ``previous`` (the results) and ``text`` such as "up 2 places from 8th in 2023".
    """
    results = [result for result in results if result.rank]
    if not results:
        return None
    world = [result for result in results if result.scope == "world"]
    latest = max(world or results, key=lambda result: result.edition)
    earlier = [result for result in results if result.scope == latest.scope and result.edition < latest.edition]
    previous = max(earlier, key=lambda result: result.edition) if earlier else None
    trend = {
        "latest": latest,
        "previous": previous,
        "direction": None,
        "previous_rank": None,
        "previous_edition": None,
        "places": 0,
        "text": "",
    }
    if previous is None:
        return trend
    places = previous.rank - latest.rank
    direction = "up" if places > 0 else "down" if places < 0 else "same"
    moved = abs(places)
    values = {"places": moved, "rank": ordinal_display(previous.rank), "year": previous.edition}
    if direction == "same":
        text = _("same as %(rank)s in %(year)s") % values
    elif direction == "up":
        text = (
            ngettext(
                "up %(places)s place from %(rank)s in %(year)s", "up %(places)s places from %(rank)s in %(year)s", moved
            )
            % values
        )
    else:
        text = (
            ngettext(
                "down %(places)s place from %(rank)s in %(year)s",
                "down %(places)s places from %(rank)s in %(year)s",
                moved,
            )
            % values
        )
    trend.update(
        direction=direction,
        previous_rank=previous.rank,
        previous_edition=previous.edition,
        places=abs(places),
        text=text,
    )
    return trend

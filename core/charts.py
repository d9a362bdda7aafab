"""Seoul's rank over the editions of one index, as plain data for the inline SVG of
``templates/includes/_rank_chart.html``; and the trend shown on ``/rankings/``.

Everything is computed here so that the template only prints numbers: no JavaScript, no chart library,
no request to another host. Rank 1 is at the top; editions sit on the x axis by year. The line breaks
where an edition has no data: where two editions of a series lie further apart than the index's usual
step (the smallest step between its editions), the gap is left open. Every edition with data has its
year under the axis, turned upright where the years would otherwise run into each other.
"""

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.i18n import ordinal_display, year_display, year_ranges

WIDTH = 640
HEIGHT = 320
MARGIN_LEFT = 56
MARGIN_RIGHT = 20
MARGIN_TOP = 40
MARGIN_BOTTOM = 44
INSET = 24  # keeps the first and last markers off the axes

# Minimum distance between two year labels side by side, in viewBox units: phone text is 26 units high
# (desktop 13), so a four-digit year is about 60 units wide on a phone.
LABEL_GAP_NARROW = 84
# Upright labels need room below the axis: a four-digit year in phone text is about 62 units long, so the
# bottom margin grows to UPRIGHT_MARGIN_BOTTOM (and the chart with it); they start this far below the axis.
UPRIGHT_MARGIN_BOTTOM = 84
UPRIGHT_LABEL_OFFSET = 10

SCOPE_STYLES = {
    # Colour AND marker shape AND dash tell the series apart (readable in greyscale and for colour-blind readers).
    "world": {"css": "series-world", "marker": "circle", "order": 0},
    "asia": {"css": "series-asia", "marker": "square", "order": 1},
}
OTHER_STYLE = {"css": "series-other", "marker": "diamond", "order": 9}


def _scope_label(result):
    display = getattr(result, "get_scope_display", None)
    return str(display()) if display else str(result.scope).title()


def _crowded(years):
    """Whether the year labels of these editions would run into each other side by side."""
    if len(years) < 2:
        return False
    span = WIDTH - MARGIN_RIGHT - INSET - (MARGIN_LEFT + INSET)
    step = span / (years[-1] - years[0])
    return min(b - a for a, b in zip(years, years[1:], strict=False)) * step < LABEL_GAP_NARROW


def segments(editions, usual_step):
    """Runs of editions the line joins: a new run starts where the step exceeds ``usual_step``.

    [2015, 2016, 2018, 2019] with step 1 -> [[2015, 2016], [2018, 2019]].
    """
    runs = []
    for edition in editions:
        if runs and edition - runs[-1][-1] <= usual_step:
            runs[-1].append(edition)
        else:
            runs.append([edition])
    return runs


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


def _summary(index_name, series, first_year, last_year):
    parts = []
    for one in series:
        best = one["best"]
        latest = one["latest"]
        text = _("best %(best)s (%(best_editions)s), latest %(latest)s (%(latest_edition)s)") % {
            "best": ordinal_display(best["rank"]),
            "best_editions": year_ranges(best["editions"]),
            "latest": latest.rank_display,
            "latest_edition": year_display(latest.edition),
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
    upright = _crowded(years)
    margin_bottom = UPRIGHT_MARGIN_BOTTOM if upright else MARGIN_BOTTOM
    height = HEIGHT - MARGIN_BOTTOM + margin_bottom  # the plot keeps its height
    top, bottom = MARGIN_TOP, height - margin_bottom

    def x_of(year):
        if first_year == last_year:
            return round((left + right) / 2, 1)
        return round(left + (year - first_year) / (last_year - first_year) * (right - left), 1)

    ticks = rank_ticks(max(result.rank for result in results))
    worst = ticks[-1]

    def y_of(rank):
        return round(top + (rank - 1) / (worst - 1) * (bottom - top), 1)

    xs = [x_of(year) for year in years]
    # Every edition with data is labelled: side by side where the phone's larger text fits, else upright.
    label_y = bottom + (UPRIGHT_LABEL_OFFSET if upright else 26)
    x_ticks = [
        {
            "year": year,
            "x": x,
            "label": str(year),
            "show": True,
            "narrow": True,
            "upright": upright,
            "label_y": label_y,
        }
        for year, x in zip(years, xs, strict=True)
    ]
    y_ticks = [{"rank": rank, "y": y_of(rank), "label": str(rank)} for rank in ticks]

    usual_step = min((b - a for a, b in zip(years, years[1:], strict=False)), default=1)
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
                    "title": f"{year_display(result.edition)}: "
                    + _("%(rank)s (%(scope)s)") % {"rank": result.rank_display, "scope": label},
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
                "lines": [
                    " ".join(f"{m['x']:g},{m['y']:g}" for m in markers if m["edition"] in run)
                    for run in segments([m["edition"] for m in markers], usual_step)
                    if len(run) > 1
                ],
                "gaps": [
                    (a, b)
                    for a, b in zip([m["edition"] for m in markers], [m["edition"] for m in markers][1:], strict=False)
                    if b - a > usual_step
                ],
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
        "height": height,
        "view_box": f"0 0 {WIDTH} {height}",
        "plot": {
            "left": MARGIN_LEFT,
            "right": WIDTH - MARGIN_RIGHT,
            "top": top,
            "bottom": bottom,
            "x_label_y": x_ticks[0]["label_y"],
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
    ``previous`` (the results) and ``text`` such as "up 2 places from 8th in 2023, the previous edition with
    data" (which names the edition compared with, however far back it is).
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
    # The text names the edition it compares with: the previous one with data, which may be years back.
    if direction == "same":
        text = _("same as %(rank)s in %(year)s, the previous edition with data") % values
    elif direction == "up":
        text = (
            ngettext(
                "up %(places)s place from %(rank)s in %(year)s, the previous edition with data",
                "up %(places)s places from %(rank)s in %(year)s, the previous edition with data",
                moved,
            )
            % values
        )
    else:
        text = (
            ngettext(
                "down %(places)s place from %(rank)s in %(year)s, the previous edition with data",
                "down %(places)s places from %(rank)s in %(year)s, the previous edition with data",
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

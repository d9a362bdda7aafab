"""Rank history chart and trend: the numbers behind the inline SVG, and the include that draws it."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from core.charts import rank_history_chart, rank_ticks, rank_trend, year_ranges

GPCI = [  # edition, rank, cities ranked: the shipped GPCI results
    (2008, 13, 30), (2009, 12, 35), (2010, 8, 35), (2011, 7, 35), (2012, 6, 40), (2013, 6, 40),
    (2014, 6, 40), (2015, 6, 40), (2016, 6, 42), (2017, 6, 44), (2018, 7, 44), (2019, 7, 48),
    (2020, 8, None), (2021, 8, None), (2022, 7, 48), (2023, 7, None), (2024, 6, 48), (2025, 6, 48),
]  # fmt: skip


@pytest.fixture
def gpci(make_result):
    results = [make_result(edition=e, rank=r, cities_ranked=c) for e, r, c in reversed(GPCI)]
    index = results[0].index
    index.name = "Global Power City Index"
    index.save()
    return list(index.results.all())


@pytest.fixture
def two_scopes(make_result):
    return [
        make_result("coo", 2014, "world", 14, cities_ranked=30),
        make_result("coo", 2016, "asia", 3),
        make_result("coo", 2016, "world", 11, cities_ranked=30),
    ]


def test_year_ranges():
    assert year_ranges([2012, 2013, 2014, 2015, 2016, 2017, 2024, 2025]) == "2012–2017, 2024, 2025"
    assert year_ranges([2016]) == "2016"
    assert year_ranges([2010, 2012, 2014]) == "2010, 2012, 2014"


@pytest.mark.parametrize(
    ("worst", "ticks"),
    [(1, [1, 2, 3, 4, 5]), (5, [1, 2, 3, 4, 5]), (6, [1, 5, 10]), (13, [1, 5, 10, 15]),
     (30, [1, 5, 10, 15, 20, 25, 30]), (45, [1, 10, 20, 30, 40, 50]), (135, [1, 25, 50, 75, 100, 125, 150])],
)  # fmt: skip
def test_rank_ticks(worst, ticks):
    assert rank_ticks(worst) == ticks


def test_rank_one_is_at_the_top(gpci):
    chart = rank_history_chart(gpci)
    y = {tick["rank"]: tick["y"] for tick in chart["y_ticks"]}
    assert y[1] < y[5] < y[10] < y[15]
    assert y[1] == chart["plot"]["top"] and y[15] == chart["plot"]["bottom"]
    assert [tick["rank"] for tick in chart["y_ticks"]] == [1, 5, 10, 15]
    markers = chart["series"][0]["markers"]
    by_edition = {marker["edition"]: marker for marker in markers}
    assert by_edition[2012]["y"] < by_edition[2008]["y"]  # 6th is drawn above 13th


def test_editions_placed_by_year_left_to_right(gpci):
    chart = rank_history_chart(gpci)
    xs = [tick["x"] for tick in chart["x_ticks"]]
    assert [tick["year"] for tick in chart["x_ticks"]] == list(range(2008, 2026))
    assert xs == sorted(xs)
    steps = {round(b - a, 0) for a, b in zip(xs, xs[1:], strict=False)}
    assert len(steps) == 1  # evenly spaced by year
    assert all(chart["plot"]["left"] < x < chart["plot"]["right"] for x in xs)
    shown = [tick for tick in chart["x_ticks"] if tick["show"]]
    assert shown[0]["year"] == 2008 and shown[-1]["year"] == 2025
    assert all(tick["show"] for tick in chart["x_ticks"] if tick["narrow"])


def test_one_series_per_scope_and_one_point_per_result(two_scopes):
    chart = rank_history_chart(two_scopes)
    assert [series["scope"] for series in chart["series"]] == ["world", "asia"]
    for series in chart["series"]:
        count = sum(1 for result in two_scopes if result.scope == series["scope"])
        assert len(series["points"].split()) == count == len(series["markers"])
    world, asia = chart["series"]
    assert world["marker"] != asia["marker"] and world["css"] != asia["css"]
    assert world["markers"][0]["title"] == "2014: 14th of 30 (World)"
    assert asia["markers"][0]["title"] == "2016: 3rd (Asia)"
    assert asia["markers"][0]["x"] == world["markers"][1]["x"]  # same edition, same x


def test_summary_mentions_best_and_latest(gpci):
    chart = rank_history_chart(gpci)
    assert chart["summary"] == (
        "Seoul's rank in the Global Power City Index from 2008 to 2025: "
        "best 6th (2012–2017, 2024, 2025), latest 6th of 48 (2025)"
    )


def test_summary_names_each_scope(two_scopes):
    summary = rank_history_chart(two_scopes)["summary"]
    assert "World ranking: best 11th (2016), latest 11th of 30 (2016)" in summary
    assert "Asia ranking: best 3rd (2016), latest 3rd (2016)" in summary


def test_single_result_and_no_result(make_result):
    chart = rank_history_chart([make_result(edition=2016, rank=1)])
    assert chart["series"][0]["markers"][0]["x"] == pytest.approx((chart["plot"]["left"] + chart["plot"]["right"]) / 2)
    assert chart["y_ticks"][0]["rank"] == 1
    assert "in 2016: best 1st (2016), latest 1st (2016)" in chart["summary"]
    assert rank_history_chart([]) is None


def test_trend(make_result):
    make_result("a", 2020, rank=8)
    newest = make_result("a", 2022, rank=6, cities_ranked=40)
    make_result("a", 2024, "asia", rank=1)  # newest overall, but the world series comes first
    trend = rank_trend(newest.index.results.all())
    assert trend["direction"] == "up"
    assert trend["previous_rank"] == 8 and trend["previous_edition"] == 2020
    assert trend["latest"] == newest
    assert trend["text"] == "up 2 places from 8th in 2020, the previous edition with data"

    make_result("b", 2020, rank=3)
    down = make_result("b", 2021, rank=4)
    trend = rank_trend(down.index.results.all())
    assert (trend["direction"], trend["previous_rank"], trend["text"]) == (
        "down",
        3,
        "down 1 place from 3rd in 2020, the previous edition with data",
    )

    make_result("c", 2019, rank=5)
    same = make_result("c", 2021, rank=5)
    assert rank_trend(same.index.results.all())["direction"] == "same"

    only = make_result("d", 2021, "asia", rank=2)
    trend = rank_trend([only])
    assert trend["direction"] is None and trend["previous_rank"] is None and trend["latest"] == only
    assert rank_trend([]) is None


def test_include_renders_an_accessible_chart(two_scopes):
    chart = rank_history_chart(two_scopes)
    html = render_to_string("includes/_rank_chart.html", {"chart": chart})
    assert 'role="img"' in html
    assert f'aria-labelledby="{chart["title_id"]} {chart["desc_id"]}"' in html
    assert f'<title id="{chart["title_id"]}">' in html
    assert f'<desc id="{chart["desc_id"]}">{chart["summary"]}.</desc>' in html.replace("&#x27;", "'")
    assert html.count("<polyline") == 1  # the world line; Asia's single edition is a marker, no line
    assert html.count('class="chart-marker"') == 3 + 2  # three results, plus one symbol per legend item
    assert "<title>2016: 11th of 30 (World)</title>" in html
    assert "<figcaption" in html
    legend = html[html.index('<ul class="chart-legend"') :]
    assert "World ranking" in legend and "Asia ranking" in legend
    ticks = re.findall(r'<text x="[\d.]+" y="[\d.]+" dy="0.35em" text-anchor="end">(\d+)</text>', html)
    assert ticks[0] == "1"
    assert "style=" not in html
    assert "<script" not in html


def test_include_renders_nothing_without_a_chart():
    assert render_to_string("includes/_rank_chart.html", {"chart": None}).strip() == ""


def test_the_line_breaks_where_an_edition_has_no_data(make_result):
    # An annual index with no data for 2016, 2019 and 2021 (the shipped Kearney GCO).
    for edition, rank in ((2015, 11), (2017, 12), (2018, 9), (2020, 15), (2022, 20), (2023, 14), (2024, 13)):
        make_result("gco", edition, rank=rank)
    make_result("other", 2014, rank=3)
    chart = rank_history_chart(list(make_result("gco", 2025, rank=14).index.results.all()))
    world = chart["series"][0]
    drawn = [[float(point.split(",")[0]) for point in line.split()] for line in world["lines"]]
    x = {marker["edition"]: marker["x"] for marker in world["markers"]}
    # Each line joins consecutive years only: 2017-2018 and 2022-2025; 2015 and 2020 stand alone.
    assert drawn == [[x[2017], x[2018]], [x[2022], x[2023], x[2024], x[2025]]]
    assert world["gaps"] == [(2015, 2017), (2018, 2020), (2020, 2022)]
    html = render_to_string("includes/_rank_chart.html", {"chart": chart})
    assert html.count("<polyline") == 2
    assert html.count('class="chart-marker"') == 8 + 1  # every edition has its marker, plus the legend's


def test_a_biennial_index_is_one_line(make_result):
    results = [make_result("gci", edition, rank=8) for edition in (2008, 2010, 2012, 2014)]
    assert len(rank_history_chart(results)["series"][0]["lines"]) == 1


def test_every_edition_with_data_has_its_year_under_the_axis(gpci):
    chart = rank_history_chart(gpci)
    assert [tick["label"] for tick in chart["x_ticks"]] == [str(year) for year in range(2008, 2026)]
    html = render_to_string("includes/_rank_chart.html", {"chart": chart})
    labels = re.findall(r'<text class="chart-tick-label"[^>]*>(\d{4})</text>', html)
    assert labels == [str(year) for year in range(2008, 2026)]
    # Eighteen years side by side would overlap on a phone: they stand upright, and the chart grows for them.
    assert 'transform="rotate(-90' in html
    assert chart["height"] > 320 and chart["plot"]["bottom"] + 10 <= chart["x_ticks"][0]["label_y"]
    assert "chart-tick-label-wide" not in html  # none hidden on a phone


def test_few_editions_keep_their_years_level(two_scopes):
    html = render_to_string("includes/_rank_chart.html", {"chart": rank_history_chart(two_scopes)})
    assert "rotate(" not in html and html.count('class="chart-tick-label"') == 2


def test_a_trend_names_the_previous_edition_with_data_however_far_back(make_result):
    make_result("gpci", 2018, rank=12)
    latest = make_result("gpci", 2025, rank=12)
    trend = rank_trend(latest.index.results.all())
    assert trend["text"] == "same as 12th in 2018, the previous edition with data"
    with translation.override("ko"):
        assert rank_trend(latest.index.results.all())["text"] == "12위 유지(직전 자료 회차인 2018년과 같음)"


def test_the_chart_speaks_the_pages_language(gpci):
    with translation.override("ko"):
        chart = rank_history_chart(gpci, index_name="세계 도시 종합경쟁력 지수")
    assert chart["summary"] == (
        "2008~2025년 세계 도시 종합경쟁력 지수 서울 순위: "
        "최고 순위 6위(2012~2017년, 2024년, 2025년), 최근 순위 48개 도시 중 6위(2025년)"
    )
    assert chart["series"][0]["markers"][-1]["title"] == "2025년: 48개 도시 중 6위(세계)"

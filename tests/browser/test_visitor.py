"""Issue 3's visitor, in Chromium against the live server with the shipped data.

They filter the cases by two sectors and a country and see the counts change, page through with the
filters kept, open a case, follow its city on the map, come back and download exactly the rows the
page counted, as CSV and as JSON. And they can do it with the keyboard alone.
"""

import csv
import io
import json
import math
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from projects.models import Case, City, Country, Sector

pytestmark = pytest.mark.browser

SECTORS = ["transportation", "waterworks"]
COUNTRY = "TH"
# The shipped data has 20 cases, one page: this many more transportation cases in Thailand make three.
EXTRA_CASES = 45
COUNT_IN_LABEL = re.compile(r"^(?P<label>.+) \((?P<count>\d+)\)$")

# True when the focused element shows where the focus is: an outline or a box shadow. A control that is
# hidden visually (a filter chip's checkbox is 1 px, clipped) must show it on its label or its chip.
FOCUS_IS_VISIBLE = """() => {
  const element = document.activeElement;
  const shows = (box) => {
    const style = getComputedStyle(box);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  };
  const rect = element.getBoundingClientRect();
  const hidden = rect.width <= 1 || rect.height <= 1 || getComputedStyle(element).clip === "rect(0px, 0px, 0px, 0px)";
  const boxes = hidden ? [...(element.labels || []), element.closest(".krds-form-chip")].filter(Boolean) : [element];
  return boxes.some(shows);
}"""


@pytest.fixture
def many_cases(shipped_data, make_case):
    transportation = Sector.objects.get(slug="transportation")
    thailand = Country.objects.get(code=COUNTRY)
    bangkok = City.objects.get(slug="bangkok")
    for number in range(1, EXTRA_CASES + 1):
        make_case(
            f"bangkok-bus-route-study-{number:02d}",
            title=f"Bangkok bus route study {number:02d}",
            sector=transportation,
            country=thailand,
            cities=[bangkok],
            year_start=2010 + number % 7,
        )


def published_cases(sectors=(), countries=()):
    cases = Case.objects.published()
    if sectors:
        cases = cases.filter(sector__slug__in=sectors)
    if countries:
        cases = cases.filter(country__code__in=countries)
    return cases


def result_count(page):
    return int(page.locator("#result-count strong").inner_text())


def facet_counts(page, name):
    """{choice value: count} read from the labels of the filter chips of ``name``, e.g. "Waterworks (3)"."""
    chips = page.locator(f".krds-form-chip:has(input[name='{name}'])").evaluate_all(
        "chips => chips.map(chip => [chip.querySelector('input').value, chip.querySelector('label').textContent])"
    )
    counts = {}
    for value, label in chips:
        match = COUNT_IN_LABEL.match(label.strip())
        assert match, f"the {name} choice {value} has no count in its label: {label!r}"
        counts[value] = int(match["count"])
    return counts


def tick(page, name, value):
    """Tick a filter chip as a visitor does: by clicking its label (the checkbox itself is hidden)."""
    box = page.locator(f"input[name='{name}'][value='{value}']")
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def query(page):
    return parse_qs(urlsplit(page.url).query)


def download(page, label):
    """Click the page's export link ``label`` and return the downloaded text."""
    link = page.locator(".export-links").get_by_role("link", name=label, exact=True)
    with page.expect_download() as info:
        link.click()
    return info.value, info.value.path().read_text(encoding="utf-8-sig")


def test_visitor_filters_pages_opens_a_case_follows_the_map_and_downloads(page, site_url, many_cases):
    page.goto(site_url + "/cases/")
    total = published_cases().count()
    assert result_count(page) == total >= 40 + EXTRA_CASES  # the shipped record (40 or more) and the extra ones
    sectors_before, countries_before = facet_counts(page, "sector"), facet_counts(page, "country")
    assert sectors_before == {sector.slug: published_cases([sector.slug]).count() for sector in Sector.objects.all()}

    for sector in SECTORS:
        tick(page, "sector", sector)
    tick(page, "country", COUNTRY)
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]country=TH(&|$)"))
    assert query(page)["sector"] == SECTORS
    assert query(page)["country"] == [COUNTRY]

    # The result count is that of a direct query, and it changed.
    expected = published_cases(SECTORS, [COUNTRY]).count()
    expect(page.locator("#result-count")).to_contain_text(f"{expected} cases match")
    assert result_count(page) == expected == 1 + EXTRA_CASES
    assert expected != total

    # Each facet counts with the other facets' filters, not its own; a choice that gives nothing says (0).
    sectors_after, countries_after = facet_counts(page, "sector"), facet_counts(page, "country")
    assert sectors_after == {
        sector.slug: published_cases([sector.slug], [COUNTRY]).count() for sector in Sector.objects.all()
    }
    assert countries_after == {code: published_cases(SECTORS, [code]).count() for code in countries_before}
    assert sectors_after != sectors_before
    assert countries_after != countries_before
    assert sectors_after["waterworks"] == 0 < sectors_before["waterworks"]

    tags = page.locator(".active-filters .krds-btn-tag")
    expect(tags).to_have_count(3)
    for text in ("Sector: Transportation", "Sector: Waterworks", "Country: Thailand"):
        expect(tags.filter(has_text=text)).to_have_count(1)

    # Pages through, the filters kept on every page.
    pages = math.ceil(expected / settings.CASES_PER_PAGE)
    assert pages >= 3
    pagination = page.get_by_role("navigation", name="Pagination")
    seen = []
    for number in range(1, pages + 1):
        if number > 1:
            pagination.get_by_role("link", name="Next").click()
            expect(page).to_have_url(re.compile(rf"[?&]page={number}(&|$)"))
        assert query(page)["sector"] == SECTORS
        assert query(page)["country"] == [COUNTRY]
        expect(pagination.locator("[aria-current='page']")).to_have_text(re.compile(rf"\b{number}$"))
        for value in SECTORS:
            expect(page.locator(f"input[name='sector'][value='{value}']")).to_be_checked()
        expect(page.locator(f"input[name='country'][value='{COUNTRY}']")).to_be_checked()
        assert result_count(page) == expected
        seen += page.locator("table.case-table tbody th[scope='row'] a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
    expected_urls = {case.get_absolute_url() for case in published_cases(SECTORS, [COUNTRY])}
    assert len(seen) == expected
    assert set(seen) == expected_urls

    # Opens a case (the first on this page: every one here is in Bangkok) and follows its city on the map.
    list_url = page.url
    first = page.locator("table.case-table tbody th[scope='row'] a").first
    title, case_url = first.inner_text(), first.get_attribute("href")
    first.click()
    expect(page).to_have_url(site_url + case_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    point = page.locator("figure.world-map a.map-point")
    expect(point).to_have_count(1)
    assert point.get_attribute("href") == "/cities/bangkok/"
    point.click()
    expect(page).to_have_url(site_url + "/cities/bangkok/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bangkok")

    # Back to the list, which kept its filters, to download what it counted.
    page.go_back()
    expect(page).to_have_url(site_url + case_url)
    page.go_back()
    expect(page).to_have_url(list_url)
    assert result_count(page) == expected

    csv_download, text = download(page, "CSV")
    assert csv_download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == expected
    assert {row["slug"] for row in rows} == set(published_cases(SECTORS, [COUNTRY]).values_list("slug", flat=True))
    assert {row["sector"] for row in rows} <= set(SECTORS)
    assert {row["country_code"] for row in rows} == {COUNTRY}

    json_download, text = download(page, "JSON")
    assert json_download.suggested_filename.endswith(".json")
    data = json.loads(text)
    assert data["count"] == len(data["results"]) == expected
    # The form sends its empty fields too ("q=&region=&..."), and the export echoes them as given.
    assert {name: values for name, values in data["filters"].items() if any(values)} == {
        "sector": SECTORS,
        "country": [COUNTRY],
    }


def test_keyboard_alone_skip_link_filter_form_and_visible_focus(page, site_url, shipped_data):
    page.goto(site_url + "/cases/")

    # The first Tab reaches the skip link; Enter moves the focus to the main content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Go to main content")).to_be_focused()
    assert page.evaluate(FOCUS_IS_VISIBLE), "the focused skip link shows no outline or box shadow"
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()

    # Tab to a sector chip, tick it with Space, Tab to "Apply filters", press Enter.
    chip = page.locator("input[name='sector'][value='transportation']")
    tab_to(page, chip)
    page.keyboard.press("Space")
    expect(chip).to_be_checked()
    # The checkbox itself is visually hidden; its label must show the focus.
    assert page.evaluate(FOCUS_IS_VISIBLE), "the focused filter chip shows no outline or box shadow"
    apply = page.get_by_role("button", name="Apply filters")
    tab_to(page, apply)
    assert page.evaluate(FOCUS_IS_VISIBLE), "the focused Apply filters button shows no outline or box shadow"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]sector=transportation(&|$)"))
    expected = published_cases(["transportation"]).count()
    expect(page.locator("#result-count")).to_contain_text(f"{expected} cases match")

    # The filter tag is removed by keyboard too.
    tag = page.get_by_role("link", name="Remove filter Sector: Transportation")
    tab_to(page, tag)
    assert page.evaluate(FOCUS_IS_VISIBLE), "the focused filter tag shows no outline or box shadow"
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_contain_text(f"{published_cases().count()} cases match")
    expect(chip).not_to_be_checked()


def tab_to(page, locator, limit=80):
    """Press Tab until ``locator`` has the focus (at most ``limit`` times)."""
    element = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if element.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {locator}")


def test_switching_to_korean_keeps_the_filters_and_the_results(page, site_url, shipped_data):
    page.goto(site_url + "/cases/?sector=transportation")
    english_count = page.locator("#result-count strong").inner_text()
    english_rows = page.locator("table.case-table tbody tr").count()
    page.get_by_role("link", name="한국어").click()
    expect(page).to_have_url(site_url + "/ko/cases/?sector=transportation")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("#result-count strong")).to_have_text(english_count)
    expect(page.locator("table.case-table tbody tr")).to_have_count(english_rows)
    expect(page.get_by_role("heading", level=1)).to_have_text("정책 공유 사례")
    expect(page.get_by_role("link", name="방콕 교통카드 시스템 컨설팅")).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(site_url + "/cases/?sector=transportation")

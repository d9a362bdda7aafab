"""Issue 13 on a phone (360 px), in English and Korean: the results come before the filters, which sit
behind a disclosure that works without JavaScript; every table fits; no page scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, format_violations, reading_only, run_axe

pytestmark = pytest.mark.browser

LANGUAGES = {"en": "", "ko": "/ko"}

# One page of every public type.
PAGE_TYPES = {
    "home": "/",
    "cases": "/cases/",
    "case": "/cases/bangkok-transportation-card/",
    "sectors": "/sectors/",
    "sector": "/sectors/transportation/",
    "cities": "/cities/",
    "city": "/cities/bangkok/",
    "rankings": "/rankings/",
    "ranking": "/rankings/gpci/",
    "organizations": "/organizations/",
    "data": "/data/",
}

# The filtered lists: their path and the selector of their first result row.
LISTS = {
    "cases": ("/cases/", ".list-results tbody tr"),
    "cities": ("/cities/", ".list-results tbody tr"),
    "organizations": ("/organizations/", "main tbody tr"),
}

FIRST_RESULT_WITHIN = 1000  # px from the top of the page


site_url, context, page = reading_only()


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["cases", "cities"])
def test_first_result_starts_within_1000_px_with_the_filters_closed(phone, site_url, name, language):
    path, rows = LISTS[name]
    phone.goto(site_url + LANGUAGES[language] + path)
    disclosure = phone.locator("details.filter-disclosure")
    expect(disclosure).not_to_have_attribute("open", re.compile(".*"))
    box = phone.locator(rows).first.bounding_box()
    assert box is not None, f"no result row on {path}"
    assert box["y"] < FIRST_RESULT_WITHIN, f"the first result of {path} ({language}) starts at {box['y']:.0f} px"
    # The count is above the results.
    count = phone.locator("#result-count").bounding_box()
    assert count["y"] < box["y"]


@pytest.mark.parametrize("name", LISTS)
def test_the_filters_are_open_beside_the_results_on_a_wide_screen(page, site_url, name):
    page.set_viewport_size(DESKTOP)
    path, rows = LISTS[name]
    page.goto(site_url + path)
    expect(page.locator("details.filter-disclosure")).to_have_attribute("open", "")
    expect(page.locator(".filter-form")).to_be_visible()
    # Narrowing the window closes them, widening it opens them again.
    page.set_viewport_size(PHONE)
    expect(page.locator(".filter-form")).to_be_hidden()
    page.set_viewport_size(DESKTOP)
    expect(page.locator(".filter-form")).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_page_scrolls_sideways_at_360_px(phone, site_url, name, language):
    path = LANGUAGES[language] + PAGE_TYPES[name]
    response = phone.goto(site_url + path)
    assert response.status == 200
    # Open every disclosure (filters, the map's list): their content must fit too.
    phone.evaluate("() => document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide at {PHONE['width']} px"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_column_of_the_cases_table_is_shown_with_its_name(phone, site_url, language):
    phone.goto(site_url + LANGUAGES[language] + "/cases/")
    first = phone.locator(".case-table tbody tr").first
    labels = first.locator("td").evaluate_all(
        "(cells) => cells.map((cell) => getComputedStyle(cell, '::before').content)"
    )
    headers = phone.locator(".case-table thead th").all_inner_texts()
    assert [label.strip('"').rstrip(":") for label in labels] == [header.strip() for header in headers[1:]]
    for cell in first.locator("td").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "a cell is outside the screen"


def test_english_words_are_not_broken_and_korean_keeps_its_words(phone, site_url):
    phone.goto(site_url + "/")
    breaks = phone.evaluate(
        "() => [...document.querySelectorAll('.nuri-txt, #krds-footer .info-cs li')].map("
        "(element) => getComputedStyle(element).wordBreak)"
    )
    assert breaks and set(breaks) == {"normal"}, breaks
    phone.goto(site_url + "/ko/")
    breaks = phone.evaluate(
        "() => [...document.querySelectorAll('.nuri-txt, #krds-footer .info-cs li')].map("
        "(element) => getComputedStyle(element).wordBreak)"
    )
    assert breaks and set(breaks) == {"keep-all"}, breaks


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path", ["/cases/", "/cases/?sector=transportation&year_from=2000", "/cities/", "/organizations/"]
)
def test_no_axe_violations_with_the_filters_closed_and_open(phone, site_url, path, language):
    url = site_url + LANGUAGES[language] + path
    phone.goto(url)
    expect(phone.locator(".filter-form")).to_be_hidden()
    violations = run_axe(phone)
    assert not violations, f"axe-core, filters closed, on {url}:\n{format_violations(violations)}"
    phone.locator("summary.filter-summary").click()
    expect(phone.locator(".filter-form")).to_be_visible()
    violations = run_axe(phone)
    assert not violations, f"axe-core, filters open, on {url}:\n{format_violations(violations)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_filters_work_without_javascript(new_context, site_url, language):
    context = new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + LANGUAGES[language] + "/cases/")
    summary = page.locator("summary.filter-summary")
    before = page.locator("#result-count strong").inner_text()
    expect(page.locator(".filter-form")).to_be_hidden()
    summary.click()
    expect(page.locator(".filter-form")).to_be_visible()
    page.locator("label[for='id_sector_0']").click()  # the first sector chip
    page.locator(".filter-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"[?&]sector="))
    # The summary says one filter is applied; the chip and the new count are above the results.
    expect(summary).to_contain_text("1")
    expect(page.locator(".active-filters .krds-btn-tag")).to_have_count(1)
    assert page.locator("#result-count strong").inner_text() != before
    chips = page.locator(".active-filters").bounding_box()
    first = page.locator(".list-results tbody tr").first.bounding_box()
    assert chips["y"] < first["y"] < FIRST_RESULT_WITHIN


# The centre of each mark of the home map, and whether a pointer there lands on that mark's link.
MARKS_UNDER_POINTER = """() => [...document.querySelectorAll('#home-map a.map-point')].map((link) => {
  const box = link.querySelector('.map-marker').getBoundingClientRect();
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return {href: link.getAttribute('href'), reached: Boolean(hit) && hit.closest('a') === link};
})"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_partner_on_the_map_can_be_reached_by_pointer_and_keyboard(page, site_url, language):
    page.set_viewport_size(DESKTOP)
    prefix = LANGUAGES[language]
    page.goto(site_url + prefix + "/")
    page.locator("#home-map").scroll_into_view_if_needed()
    marks = page.evaluate(MARKS_UNDER_POINTER)
    hidden = [mark["href"] for mark in marks if not mark["reached"]]
    assert not hidden, f"marks covered by others: {hidden}"
    # Every place of the text list is reached: by its own mark, or through a numbered mark's line.
    listed = set(
        page.locator("#home-map details.map-list a").evaluate_all("(a) => a.map((l) => l.getAttribute('href'))")
    )
    alone = {mark["href"] for mark in marks if not mark["href"].startswith("#")}
    grouped = set(page.locator("#home-map .map-groups a").evaluate_all("(a) => a.map((l) => l.getAttribute('href'))"))
    assert alone | grouped == listed and not alone & grouped
    assert any(url.endswith("/cities/dhaka/") for url in grouped), "Dhaka's mark no longer overlaps: update the test"

    # Keyboard: the numbered mark for Bangladesh, Enter, then Tab reaches its first place.
    group = page.locator("#home-map a.map-group", has=page.locator("title", has_text="Dhaka" if not prefix else "다카"))
    target = group.get_attribute("href")
    group.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    first_member = page.locator(f"{target} a").first
    page.keyboard.press("Tab")
    expect(first_member).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cities/[^/#]+/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # And by pointer.
    page.go_back()
    page.go_back()
    group.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    page.locator(f"{target} a").last.click()
    page.wait_for_url(re.compile(r"/cities/[^/#]+/$"))

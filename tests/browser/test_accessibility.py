"""axe-core finds no WCAG 2.0/2.1 A or AA violation, nor any best-practice one, on any public page type,
at a phone's width (360 px) and a desktop's (1280 px)."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, PUBLIC_PAGES, format_violations, reading_only, run_axe

pytestmark = pytest.mark.browser

WIDTHS = {"360": PHONE, "1280": DESKTOP}


site_url, context, page = reading_only()

# Two animation frames: a change of width reaches the page's media-query listeners (the filter panel's
# script) when the browser next updates the rendering, after set_viewport_size has returned.
NEXT_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.mark.parametrize(
    ("path", "status"), [pytest.param(path, status, id=name) for name, path, status in PUBLIC_PAGES]
)
def test_no_axe_violations(page, site_url, path, status):
    """The page as loaded at a phone's width, then as it is after the window widens to a desktop's: the
    stylesheets' media queries and the filter panel's script (static/js/filters.js) follow the width as
    they do on a fresh load. One load and one injection of axe serve both widths."""
    found = {}
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        if not found:
            response = page.goto(site_url + path)
            assert response.status == status, f"{path} answered {response.status}"
        page.evaluate(NEXT_FRAMES)
        # Closed <details> (the map's list of places) hide content that axe would otherwise leave out.
        page.evaluate("() => document.querySelectorAll('details').forEach((details) => { details.open = true; })")
        found[width] = run_axe(page)
    assert found == {width: [] for width in WIDTHS}, "\n".join(
        f"axe-core found on {path} at {width} px:\n{format_violations(violations)}"
        for width, violations in found.items()
        if violations
    )


def test_the_check_reports_every_offending_element(page):
    """The check itself: on a page with two images without a text alternative, axe names both."""
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><img src="a.png"><img src="b.png"></main>')
    violations = {violation["id"]: violation for violation in run_axe(page)}
    assert [node["target"] for node in violations["image-alt"]["nodes"]] == [['img[src="a.png"]'], ['img[src="b.png"]']]


@pytest.mark.parametrize("path", ["/", "/cases/?sector=transportation", "/ko/cities/"])
def test_a_page_widened_to_a_desktop_is_the_page_loaded_there(page, site_url, path):
    """What lets ``test_no_axe_violations`` check both widths on one load: a page loaded at a phone's width
    and then widened holds the same document as one loaded at a desktop's (the filter panel opens)."""
    page.set_viewport_size(PHONE)
    page.goto(site_url + path)
    narrow = page.evaluate("() => document.documentElement.outerHTML")
    page.set_viewport_size(DESKTOP)
    page.evaluate(NEXT_FRAMES)
    widened = page.evaluate("() => document.documentElement.outerHTML")
    page.goto(site_url + path)
    assert widened == page.evaluate("() => document.documentElement.outerHTML")
    if "/cases/" in path or "/cities/" in path:
        assert widened != narrow  # the filter panel, closed on a phone, is open

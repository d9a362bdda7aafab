"""axe-core finds no WCAG 2.0/2.1 A or AA violation, nor any best-practice one, on any public page type,
at a phone's width (360 px) and a desktop's (1280 px)."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, PUBLIC_PAGES, format_violations, reading_only, run_axe

pytestmark = pytest.mark.browser

WIDTHS = {"360": PHONE, "1280": DESKTOP}


site_url, context, page = reading_only()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("path", "status"), [pytest.param(path, status, id=name) for name, path, status in PUBLIC_PAGES]
)
def test_no_axe_violations(page, site_url, path, status, width):
    page.set_viewport_size(WIDTHS[width])
    response = page.goto(site_url + path)
    assert response.status == status, f"{path} answered {response.status}"
    # Closed <details> (the map's list of places) hide content that axe would otherwise leave out.
    page.evaluate("() => document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    violations = run_axe(page)
    assert not violations, f"axe-core found on {path} at {width} px:\n{format_violations(violations)}"


def test_the_check_reports_every_offending_element(page):
    """The check itself: on a page with two images without a text alternative, axe names both."""
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><img src="a.png"><img src="b.png"></main>')
    violations = {violation["id"]: violation for violation in run_axe(page)}
    assert [node["target"] for node in violations["image-alt"]["nodes"]] == [['img[src="a.png"]'], ['img[src="b.png"]']]

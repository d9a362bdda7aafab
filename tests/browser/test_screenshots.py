"""The README's screenshots: home, a filtered case list and a ranking, on a desktop and a phone.

Not part of the test run (marked "screenshots", which pyproject.toml deselects): ``scripts/screenshots.sh``
runs it, with the browser tests' set-up (the live server and the shipped data), and writes
docs/screenshots/<page>-<device>.png.
"""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.screenshots]

OUTPUT = ROOT / "docs" / "screenshots"
DEVICES = {"desktop": DESKTOP, "phone": PHONE}
PAGES = {
    "home": "/",
    "cases-filtered": "/cases/?sector=transportation&sector=waterworks",
    "ranking": "/rankings/gpci/",
}
# A full-page screenshot larger than this is cut to its first MAX_HEIGHT pixels, to keep the repository small.
MAX_BYTES = 600_000
MAX_HEIGHT = 2000


@pytest.mark.parametrize("name", PAGES)
def test_screenshot(page, site_url, shipped_data, name):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for device, viewport in DEVICES.items():
        page.set_viewport_size(viewport)
        response = page.goto(site_url + PAGES[name])
        assert response.ok, f"{PAGES[name]} answered {response.status}"
        page.evaluate("() => document.fonts.ready")
        path = OUTPUT / f"{name}-{device}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")
        if path.stat().st_size > MAX_BYTES:
            clip = {"x": 0, "y": 0, "width": viewport["width"], "height": MAX_HEIGHT}
            page.screenshot(path=path, full_page=True, clip=clip, animations="disabled")
        assert path.stat().st_size > 0

"""The admin staff use, at 1280 px: axe-core finds no WCAG 2.1 A/AA (or best-practice) violation on any
page staff use, the review queue and a revision's diff included; the status column is on screen."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from core.models import Revision
from projects.models import Case
from tests.browser.conftest import DESKTOP, format_violations, run_axe
from tests.browser.test_editor_workflow import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def publisher(django_user_model, shipped_data, role):
    from tests.browser.test_editor_workflow import PASSWORD

    user = django_user_model.objects.create_user("publisher", password=PASSWORD, is_staff=True)
    user.groups.add(role("Publishers"))
    return user


def admin_pages():
    case = Case.objects.published().order_by("slug").first()
    revision = Revision.objects.create(
        target=case,
        data={"title": case.title + " (proposed)", "title_ko": "제안"},
        author=get_user_model().objects.get(username="publisher"),
        reason="A clearer title",
    )
    return [
        "/admin/",
        "/admin/projects/case/",
        "/admin/rankings/rankingresult/",
        f"/admin/projects/case/{case.pk}/change/",
        "/admin/projects/case/add/",
        f"/admin/projects/case/{case.pk}/history/",
        "/admin/core/revision/?state__exact=pending",
        f"/admin/core/revision/{revision.pk}/change/",
    ]


def test_admin_pages_have_no_axe_violations(page, site_url, publisher, browser_log):
    page.set_viewport_size(DESKTOP)
    log_in(page, site_url, "publisher")
    found = {}
    for path in admin_pages():
        response = page.goto(site_url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        before = len(browser_log.errors)
        violations = run_axe(page)
        # axe itself sets inline styles on select2's markup while it measures colours; the policy refuses
        # them (rightly). Those are the tool's, not the page's: the page's own errors are all kept above.
        browser_log.errors[before:] = [error for error in browser_log.errors[before:] if "inline style" not in error]
        if violations:
            found[path] = format_violations(violations)
    assert not found, "\n".join(f"{path}:\n{text}" for path, text in found.items())


@pytest.mark.parametrize("path", ["/admin/projects/case/", "/admin/rankings/rankingresult/"])
def test_the_status_column_is_on_screen_at_1280_px(page, site_url, publisher, path):
    page.set_viewport_size(DESKTOP)
    log_in(page, site_url, "publisher")
    page.goto(site_url + path)
    header = page.locator("#result_list thead th.column-status")
    expect(header).to_be_visible()
    box = header.bounding_box()
    assert box["x"] + box["width"] <= DESKTOP["width"], box

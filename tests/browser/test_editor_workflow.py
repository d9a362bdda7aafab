"""Issue 4's staff workflow, in Chromium against the live server with the shipped data.

An editor adds a case as a draft in the admin; the public cannot see it; a publisher publishes it; it
appears in /cases/ with the right counts; its history shows the changes; the editor's revert of the
published case waits for review (public page, CSV and feed unchanged) until the publisher publishes it
from the review queue with a reason. And the reject path: the editor reads the comment, amends, resubmits.
"""

import re

import pytest
from playwright.sync_api import expect

from core.content import Status
from projects.models import Case

pytestmark = pytest.mark.browser

PASSWORD = "a long test password, never reused"
SLUG = "hanoi-bus-rapid-transit-advice"
TITLE = "Hanoi Bus Rapid Transit Advice"
FIRST_SUMMARY = "Advice to Hanoi on its first bus rapid transit line, from Seoul's own median bus lanes."
SECOND_SUMMARY = "Advice to Hanoi on two bus rapid transit lines and their fares."
SOURCE = "Seoul Metropolitan Government, City Diplomacy page (test)"


@pytest.fixture
def staff(django_user_model, shipped_data, role):

    def make(username, group):
        user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(role(group))
        return user

    return {"editor": make("editor", "Editors"), "publisher": make("publisher", "Publishers")}


def log_in(page, site_url, username):
    """Log in through the admin's login form, with the right password (django-axes counts failures)."""
    page.goto(site_url + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(site_url + "/admin/")


def pick(page, field, term, option):
    """Choose ``option`` in the admin's autocomplete (select2) widget of ``field``, typing ``term``."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(term)
    page.locator(".select2-results__option", has_text=option).first.click()
    expect(page.locator(f"#select2-id_{field}-container")).to_contain_text(option)


def public_count(page, site_url):
    """The result count and the sector facet counts /cases/ shows to the public."""
    page.goto(site_url + "/cases/")
    count = int(page.locator("#result-count strong").inner_text())
    labels = page.locator(".krds-form-chip:has(input[name='sector'])").evaluate_all(
        "chips => chips.map(chip => [chip.querySelector('input').value, chip.querySelector('label').textContent])"
    )
    sectors = {value: int(re.search(r"\((\d+)\)\s*$", label)[1]) for value, label in labels}
    return count, sectors


def test_editor_drafts_publisher_publishes_history_and_revert(page, new_context, site_url, staff):
    public = new_context().new_page()
    count_before, sectors_before = public_count(public, site_url)

    # The editor adds a case. The slug is filled in from the title; the status is not theirs to set.
    log_in(page, site_url, "editor")
    page.goto(site_url + "/admin/projects/case/add/")
    page.get_by_label("Title:", exact=True).press_sequentially(TITLE)  # the admin fills the slug on each key
    expect(page.get_by_label("Slug")).to_have_value(SLUG)
    page.get_by_label("Summary:", exact=True).fill(FIRST_SUMMARY)
    expect(page.locator("select[name='status']")).to_have_count(0)
    expect(page.locator(".field-status .readonly")).to_have_text("Draft")
    pick(page, "sector", "Transp", "Transportation")
    page.get_by_label("Kind of work").select_option(label="Consulting")
    pick(page, "country", "Viet", "Vietnam")
    page.get_by_label("Source:", exact=True).fill(SOURCE)
    page.get_by_label("As of").fill("2024-05-01")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    case = Case.objects.get(slug=SLUG)
    assert case.status == Status.DRAFT
    assert case.summary == FIRST_SUMMARY

    # They correct the summary: the first version is now the earlier text.
    page.goto(site_url + f"/admin/projects/case/{case.pk}/change/")
    page.get_by_label("Summary:", exact=True).fill(SECOND_SUMMARY)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    case.refresh_from_db()
    assert (case.summary, case.status) == (SECOND_SUMMARY, Status.DRAFT)

    # The public sees nothing of the draft.
    response = public.goto(site_url + f"/cases/{SLUG}/")
    assert response.status == 404
    assert public_count(public, site_url) == (count_before, sectors_before)
    public.goto(site_url + "/cases/?q=Hanoi+Bus")
    expect(public.locator("#result-count")).to_contain_text("0 cases match")

    # The editor cannot publish: the change list offers them no such action.
    page.goto(site_url + "/admin/projects/case/")
    expect(page.locator("select[name='action'] option", has_text="Publish the selected rows")).to_have_count(0)

    # A publisher publishes it with the change list's bulk action.
    publisher = new_context().new_page()
    log_in(publisher, site_url, "publisher")
    publisher.goto(site_url + "/admin/projects/case/?status__exact=draft")
    publisher.get_by_role("row").filter(has_text=TITLE).get_by_role("checkbox").check()
    publisher.locator("select[name='action']").select_option(label="Publish the selected rows")
    publisher.get_by_role("button", name="Go").click()
    expect(publisher.locator(".messagelist")).to_contain_text("1 row published")
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED

    # It appears in /cases/ with the right counts, and its page opens.
    count_after, sectors_after = public_count(public, site_url)
    assert count_after == count_before + 1
    assert sectors_after == {**sectors_before, "transportation": sectors_before["transportation"] + 1}
    public.goto(site_url + f"/cases/{SLUG}/")
    expect(public.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(public.locator(".case-summary")).to_have_text(SECOND_SUMMARY)

    # Its history, from the change form's History button, shows who made each change.
    page.goto(site_url + f"/admin/projects/case/{case.pk}/change/")
    page.get_by_role("link", name="History").click()
    history = page.locator("#change-history tbody tr")
    expect(history).to_have_count(3)  # newest first: published, summary changed, added
    expect(history.nth(0)).to_contain_text("publisher")
    expect(history.nth(0)).to_contain_text("Bulk action: published")
    expect(history.nth(1)).to_contain_text("editor")
    expect(history.nth(1)).to_contain_text("Changed")
    expect(history.nth(2)).to_contain_text("editor")
    expect(history.nth(2)).to_contain_text("Created")

    # The editor reverts to the first version. The case is published, so the revert waits for review
    # (with its reason) and the public still reads the published summary, on the page, in the CSV and feed.
    history.nth(2).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Revert")
    expect(page.get_by_label("Summary:", exact=True)).to_have_value(FIRST_SUMMARY)
    page.get_by_label("Reason:").fill("The first summary was right")
    page.get_by_role("button", name="Revert").click()
    expect(page.locator(".messagelist")).to_contain_text("awaits a publisher's review")
    case.refresh_from_db()
    assert (case.summary, case.status) == (SECOND_SUMMARY, Status.PUBLISHED)
    assert case.history.count() == 3
    public.goto(site_url + f"/cases/{SLUG}/")
    expect(public.locator(".case-summary")).to_have_text(SECOND_SUMMARY)
    csv = public.request.get(site_url + "/cases/?format=csv").text()
    assert SECOND_SUMMARY in csv and FIRST_SUMMARY not in csv
    feed = public.request.get(site_url + "/cases/feed/").text()
    assert SECOND_SUMMARY in feed and FIRST_SUMMARY not in feed

    # The publisher finds it from the admin home, reads the diff, and publishes it with a reason.
    publisher.goto(site_url + "/admin/")
    expect(publisher.locator("#review-count")).to_have_text("1")
    publisher.locator("#review-module a").click()
    publisher.get_by_role("link", name=TITLE).first.click()
    diff = publisher.locator("#revision-diff")
    expect(diff.locator("del")).to_contain_text(SECOND_SUMMARY)
    expect(diff.locator("ins")).to_contain_text(FIRST_SUMMARY)
    expect(publisher.get_by_label("Reason")).to_have_attribute("required", "")  # no publishing without a reason
    publisher.get_by_label("Reason").fill("Checked against the source")
    publisher.get_by_role("button", name="Publish").click()
    expect(publisher.locator(".messagelist")).to_contain_text("The change is published")
    case.refresh_from_db()
    assert case.summary == FIRST_SUMMARY and case.status == Status.PUBLISHED
    public.goto(site_url + f"/cases/{SLUG}/")
    expect(public.locator(".case-summary")).to_have_text(FIRST_SUMMARY)
    assert FIRST_SUMMARY in public.request.get(site_url + "/cases/feed/").text()

    # The history shows both, with their reasons.
    publisher.goto(site_url + f"/admin/projects/case/{case.pk}/history/")
    newest = publisher.locator("#change-history tbody tr").nth(0)
    expect(newest).to_contain_text("Revision published")
    expect(newest).to_contain_text("Checked against the source")
    expect(newest).to_contain_text("The first summary was right")


def test_a_rejected_change_reaches_the_editor_who_amends_and_resubmits(page, new_context, site_url, staff):
    case = Case.objects.published().order_by("slug").first()
    live_title = case.title

    log_in(page, site_url, "editor")
    page.goto(site_url + f"/admin/projects/case/{case.pk}/change/")
    page.get_by_label("Title:", exact=True).fill(live_title + " (proposed)")
    page.get_by_label("Reason:").fill("A clearer title")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("awaits a publisher's review")

    publisher = new_context().new_page()
    log_in(publisher, site_url, "publisher")
    publisher.goto(site_url + "/admin/core/revision/")
    publisher.get_by_role("link", name=live_title).first.click()
    publisher.get_by_label("Reason").fill("The source does not say so")
    publisher.get_by_role("button", name="Reject").click()
    expect(publisher.locator(".messagelist")).to_contain_text("rejected")

    page.goto(site_url + "/admin/core/revision/?state__exact=rejected")
    page.get_by_role("link", name=live_title).first.click()
    expect(page.locator(".review-comment")).to_have_text("The source does not say so")
    page.get_by_role("link", name="Amend and submit again").click()
    expect(page.get_by_label("Title:", exact=True)).to_have_value(live_title + " (proposed)")
    page.get_by_label("Title:", exact=True).fill(live_title + " (amended)")
    page.get_by_label("Reason:").fill("As the source says")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".revision-state")).to_have_text("Awaiting review")
    case.refresh_from_db()
    assert case.title == live_title

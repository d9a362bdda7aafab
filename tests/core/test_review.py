"""Changes to live content are revisions: an Editor's edit of a published row waits for a Publisher, the
public sees the published version until then, and the review queue shows who, when, why and what."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.timezone import localtime

from core.cache import content_changed
from core.content import Status
from core.models import Revision, RevisionState
from tests.conftest import ROLES, restore_roles
from tests.core.test_admin_publishing import case_form


@pytest.fixture
def editor(django_user_model, role):
    user = django_user_model.objects.create_user("editor", password="pw-editor-123456", is_staff=True)
    user.groups.add(role("Editors"))
    return user


@pytest.fixture
def publisher(django_user_model, role):
    user = django_user_model.objects.create_user("publisher", password="pw-publisher-12345", is_staff=True)
    user.groups.add(role("Publishers"))
    return user


@pytest.fixture
def live_case(make_case, make_city):
    case = make_case("bangkok-card", title="Bangkok transit card", title_ko="방콕 교통카드", summary="Live summary")
    case.cities.set([make_city("bangkok", name="Bangkok")])
    return case


def public_views(client, case):
    """What the public reads of ``case``: its page, the list, the CSV, the JSON, the sitemap."""
    pages = [
        case.get_absolute_url(),
        reverse("projects:case_list"),
        reverse("projects:case_list") + "?format=csv",
        reverse("projects:case_list") + "?format=json",
        case.get_absolute_url() + "?format=json",
        "/sitemap.xml",
        reverse("projects:case_list") + "?q=Proposed",
    ]
    client.logout()
    return {url: text(client.get(url)) for url in pages}


def text(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def submit(client, editor, case, **changes):
    client.force_login(editor)
    changes.setdefault("change_reason", "Clearer title")
    return client.post(reverse("admin:projects_case_change", args=[case.pk]), case_form(case, **changes))


def test_an_editors_change_to_a_published_case_waits_and_leaks_nowhere(client, editor, live_case, make_city):
    seoul = make_city("seoul", name="Seoul")
    before = public_views(client, live_case)
    records = live_case.history.count()
    assert "Bangkok transit card" in before[live_case.get_absolute_url()]
    response = submit(client, editor, live_case, title="Proposed title", cities=[seoul.pk])
    revision = Revision.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:core_revision_change", args=[revision.pk]
    )
    live_case.refresh_from_db()
    assert live_case.title == "Bangkok transit card" and list(live_case.cities.all()) != [seoul]
    assert live_case.history.count() == records  # nothing written to the live row
    assert revision.author == editor and revision.reason == "Clearer title" and revision.is_pending
    assert public_views(client, live_case) == before


def test_a_change_to_a_draft_is_saved_at_once(client, editor, make_case):
    draft = make_case("draft", status=Status.DRAFT)
    submit(client, editor, draft, title="Better draft")
    draft.refresh_from_db()
    assert draft.title == "Better draft" and not Revision.objects.exists()
    assert draft.history.first().history_change_reason == "Clearer title"


def test_the_queue_shows_the_count_and_a_diff_with_english_and_korean_side_by_side(
    client, editor, publisher, live_case, make_city
):
    seoul = make_city("seoul", name="Seoul")
    submit(client, editor, live_case, title="Proposed title", title_ko="제안된 제목", cities=[seoul.pk])
    revision = Revision.objects.get()
    client.force_login(publisher)
    home = client.get(reverse("admin:index")).content.decode()
    assert "Awaiting review" in home and 'id="review-count">1<' in home
    queue = client.get(reverse("admin:core_revision_changelist"), follow=True).content.decode()
    assert "Bangkok transit card" in queue and "editor" in queue and "Clearer title" in queue
    review = client.get(reverse("admin:core_revision_change", args=[revision.pk])).content.decode()
    assert "<del>Bangkok transit card</del> → <ins>Proposed title</ins>" in review
    assert "<del>방콕 교통카드</del> → <ins>제안된 제목</ins>" in review
    assert "<del>Bangkok, Country TH</del> → <ins>Seoul, Country TH</ins>" in review  # relations by name
    assert "Summary" not in review  # unchanged fields are left out
    assert 'value="Publish"' in review and 'value="Reject"' in review


def test_publishing_needs_a_reason_then_makes_the_change_public_with_history(client, editor, publisher, live_case):
    submit(client, editor, live_case, title="Proposed title")
    revision = Revision.objects.get()
    first_published = live_case.first_published_at
    client.force_login(publisher)
    url = reverse("admin:core_revision_publish", args=[revision.pk])
    assert client.post(url, {"comment": ""}).status_code == 400
    live_case.refresh_from_db()
    assert live_case.title == "Bangkok transit card"
    assert client.post(url, {"comment": "Checked against the source"}).status_code == 302
    live_case.refresh_from_db()
    revision.refresh_from_db()
    assert live_case.title == "Proposed title" and live_case.status == Status.PUBLISHED
    assert revision.state == RevisionState.PUBLISHED and revision.reviewer == publisher
    assert live_case.first_published_at == first_published and live_case.last_published_at > first_published
    record = live_case.history.first()
    assert record.history_user == publisher and "Checked against the source" in record.history_change_reason
    history = client.get(reverse("admin:projects_case_history", args=[live_case.pk])).content.decode()
    assert "Revision published" in history and "Checked against the source" in history
    client.logout()
    assert "Proposed title" in client.get(live_case.get_absolute_url()).content.decode()


def test_a_rejection_reaches_the_editor_who_amends_and_resubmits(client, editor, publisher, live_case):
    submit(client, editor, live_case, title="Proposed title")
    revision = Revision.objects.get()
    client.force_login(publisher)
    client.post(reverse("admin:core_revision_reject", args=[revision.pk]), {"comment": "Source says otherwise"})
    live_case.refresh_from_db()
    assert live_case.title == "Bangkok transit card"
    client.force_login(editor)
    mine = client.get(reverse("admin:core_revision_changelist") + "?state__exact=rejected").content.decode()
    assert "Bangkok transit card" in mine
    page = client.get(reverse("admin:core_revision_change", args=[revision.pk])).content.decode()
    assert "Source says otherwise" in page and "Amend and submit again" in page
    amend = client.get(reverse("admin:projects_case_change", args=[live_case.pk]) + f"?amend={revision.pk}")
    assert 'value="Proposed title"' in amend.content.decode()
    submit(client, editor, live_case, title="Amended title", change_reason="As the source says")
    newest = Revision.objects.pending().get()
    assert newest.data["title"] == "Amended title" and newest.reason == "As the source says"


def test_the_newer_of_two_pending_revisions_supersedes_the_older(client, editor, django_user_model, live_case):
    other = django_user_model.objects.create_user("other", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    submit(client, editor, live_case, title="First proposal")
    submit(client, other, live_case, title="Second proposal")
    older, newer = Revision.objects.order_by("pk")
    assert older.state == RevisionState.SUPERSEDED and newer.is_pending
    assert Revision.objects.pending().count() == 1


def test_an_editor_withdraws_their_own_change_but_not_anothers(client, editor, django_user_model, live_case):
    submit(client, editor, live_case, title="Proposed title")
    revision = Revision.objects.get()
    other = django_user_model.objects.create_user("other", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    client.force_login(other)
    assert client.post(reverse("admin:core_revision_withdraw", args=[revision.pk])).status_code == 403
    assert client.get(reverse("admin:core_revision_change", args=[revision.pk])).status_code == 403
    client.force_login(editor)
    assert client.post(reverse("admin:core_revision_withdraw", args=[revision.pk])).status_code == 302
    revision.refresh_from_db()
    assert revision.state == RevisionState.WITHDRAWN


def test_an_editor_cannot_publish_a_revision(client, editor, live_case):
    submit(client, editor, live_case, title="Proposed title")
    revision = Revision.objects.get()
    response = client.post(reverse("admin:core_revision_publish", args=[revision.pk]), {"comment": "me"})
    assert response.status_code == 403
    live_case.refresh_from_db()
    assert live_case.title == "Bangkok transit card"


def test_staff_preview_a_pending_revision_on_the_public_design(client, editor, live_case, make_city):
    seoul = make_city("seoul", name="Seoul")
    submit(client, editor, live_case, title="Proposed title", cities=[seoul.pk])
    revision = Revision.objects.get()
    url = reverse("projects:case_preview", args=[live_case.slug]) + f"?revision={revision.pk}"
    html = client.get(url).content.decode()
    assert "Proposed title" in html and "Seoul" in html and f"revision #{revision.pk}" in html
    client.logout()
    assert client.get(url).status_code == 302  # to the admin login
    assert "Proposed title" not in client.get(live_case.get_absolute_url()).content.decode()


def test_reference_data_is_for_publishers_only(client, editor, publisher, make_sector):
    sector = make_sector("transportation")
    url = reverse("admin:projects_sector_change", args=[sector.pk])
    client.force_login(editor)
    assert client.get(url).status_code == 200  # editors still read it
    assert client.post(url, {"name": "Renamed"}).status_code == 403
    assert publisher.has_perm("projects.change_sector") and not editor.has_perm("projects.change_country")


def test_the_roles_made_again_after_a_browser_test_emptied_the_database_are_the_migrated_ones(role):
    """``restore_roles`` (after a transactional test's flush) gives each role exactly the permissions that
    ``migrate`` gave it: replaying the first roles migration alone let Editors change sectors again, and
    the test above failed whenever it ran after a browser test in the same process."""
    migrated = {name: set(role(name).permissions.values_list("codename", flat=True)) for name in ROLES}
    assert "change_sector" in migrated["Publishers"] and "change_sector" not in migrated["Editors"]
    Group.objects.filter(name__in=ROLES).delete()
    restore_roles()
    assert {name: set(role(name).permissions.values_list("codename", flat=True)) for name in ROLES} == migrated


def test_publishing_stamps_the_dates_and_the_case_page_shows_them(client, make_case):
    """The page gives the dates in Seoul's time (TIME_ZONE), the day SMG published on: from 15:00 UTC that
    is already the next day."""
    case = make_case("draft", status=Status.DRAFT)
    assert case.first_published_at is None
    case.status = Status.PUBLISHED
    case.save()
    assert case.first_published_at == case.last_published_at is not None
    html = client.get(case.get_absolute_url()).content.decode()
    assert f"Published {localtime(case.first_published_at):%-d %B %Y}</p>" in html
    case.last_published_at += datetime.timedelta(days=3)
    case.save()
    html = client.get(case.get_absolute_url()).content.decode()
    first, last = localtime(case.first_published_at), localtime(case.last_published_at)
    assert f"Published {first:%-d %B %Y}, updated {last:%-d %B %Y}</p>" in html


def test_the_publication_date_is_seouls_day(client, make_case):
    case = make_case("late", status=Status.DRAFT)
    case.status = Status.PUBLISHED
    case.save()
    evening_in_utc = datetime.datetime(2026, 12, 7, 16, 30, tzinfo=datetime.UTC)  # 01:30 on the 8th in Seoul
    type(case).objects.filter(pk=case.pk).update(first_published_at=evening_in_utc, last_published_at=evening_in_utc)
    content_changed()
    assert "Published 8 December 2026</p>" in client.get(case.get_absolute_url()).content.decode()

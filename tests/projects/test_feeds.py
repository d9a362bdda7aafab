"""Atom feeds of published cases: parsed as Atom, the list's filters honoured, both languages, dated by
publication; drafts and pending revisions never appear."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from core.content import Status
from core.models import Revision

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "published": entry.findtext(f"{ATOM}published"),
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


@pytest.fixture
def cases(make_case, make_sector):
    transport = make_sector("transportation")
    water = make_sector("water")
    bus = make_case("bus", title="Bus advice", title_ko="버스 자문", sector=transport)
    pipes = make_case("pipes", title="Pipe advice", title_ko="", sector=water)  # no Korean title: English shows
    make_case("draft", title="Draft advice", sector=transport, status=Status.DRAFT)
    earlier = timezone.now() - datetime.timedelta(days=10)
    type(pipes).objects.filter(pk=pipes.pk).update(first_published_at=earlier, last_published_at=earlier)
    return bus, pipes


def test_the_feed_lists_published_cases_newest_publication_first(client, cases):
    bus, pipes = cases
    found = entries(client.get("/cases/feed/"))
    assert [entry["title"] for entry in found] == ["Bus advice", "Pipe advice"]
    assert found[0]["link"] == "http://testserver/cases/bus/"
    bus.refresh_from_db()
    assert datetime.datetime.fromisoformat(found[0]["published"]) == bus.first_published_at
    assert datetime.datetime.fromisoformat(found[0]["updated"]) == bus.last_published_at


def test_the_feed_honours_the_lists_filters_and_refuses_bad_ones(client, cases):
    assert [entry["title"] for entry in entries(client.get("/cases/feed/?sector=transportation"))] == ["Bus advice"]
    response = client.get("/cases/feed/?sector=no-such-sector")
    assert response.status_code == 400 and b"sector" in response.content


def test_the_korean_feed_is_in_korean(client, cases):
    titles = [entry["title"] for entry in entries(client.get("/ko/cases/feed/"))]
    assert titles == ["버스 자문", "Pipe advice"]
    assert entries(client.get("/ko/cases/feed/"))[0]["link"] == "http://testserver/ko/cases/bus/"


def test_a_pending_revision_never_reaches_the_feed_until_published(client, cases, django_user_model, role):
    bus, _ = cases
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.groups.add(role("Editors"))
    Revision.objects.create(target=bus, data={"title": "Proposed bus advice"}, author=editor, reason="r")
    assert "Proposed bus advice" not in client.get("/cases/feed/").content.decode()


def test_the_case_list_links_its_feed_with_the_same_filters(client, cases):
    html = client.get(reverse("projects:case_list") + "?sector=transportation").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/cases/feed/?sector=transportation"' in html

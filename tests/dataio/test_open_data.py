"""The open-data page, the sitemap, and what crawlers and link previews read."""

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from core.content import Status
from dataio.layout import FIXTURE_NAMES
from dataio.open_data import TABLES
from projects.models import Case


def test_data_page_offers_every_table_and_fixture_with_licence_and_dataset_metadata(client, shipped_data):
    response = client.get(reverse("data"))
    assert response.status_code == 200
    html = response.content.decode()
    for table in TABLES:
        assert f'href="/data/{table}.csv"' in html and f'href="/data/{table}.json"' in html
    for name in FIXTURE_NAMES:
        assert f'href="/data/fixtures/{name}.json"' in html
    assert 'rel="license"' in html
    metadata = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert metadata["@type"] == "Dataset"
    assert metadata["dateModified"]
    assert len(metadata["distribution"]) == 2 * len(TABLES)


@pytest.mark.parametrize("table", list(TABLES))
def test_each_table_downloads_as_csv_and_json_with_the_same_rows(client, shipped_data, table):
    csv_response = client.get(reverse("data_table_csv", args=[table]))
    assert csv_response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig"))))
    data = client.get(reverse("data_table_json", args=[table])).json()
    assert len(rows) == len(data["results"]) > 0
    assert list(rows[0]) == data["columns"] == TABLES[table].columns


def test_tables_hold_only_published_rows(client, shipped_data, make_case):
    make_case("secret-draft", title="Secret draft", status=Status.DRAFT)
    data = client.get(reverse("data_table_json", args=["cases"])).json()
    assert "secret-draft" not in {row["slug"] for row in data["results"]}
    assert len(data["results"]) == Case.objects.published().count() >= 40


def test_unknown_table_and_fixture_are_404(client, db):
    assert client.get("/data/passwords.csv").status_code == 404
    assert client.get("/data/fixtures/settings.json").status_code == 404


def test_fixture_download_is_the_shipped_file(client, db, settings):
    from pathlib import Path

    response = client.get(reverse("data_fixture", args=["sectors"]))
    assert response.status_code == 200
    shipped = (Path(settings.FIXTURE_DIRS[0]) / "sectors.json").read_bytes()
    assert b"".join(response.streaming_content) == shipped


def every_sitemap(client):
    """The sitemaps /sitemap.xml names (it is an index of sections), one after the other."""
    index = client.get("/sitemap.xml").content.decode()
    addresses = re.findall(r"<sitemap>\s*<loc>http://testserver([^<]+)</loc>", index)
    assert addresses
    return "".join(client.get(address).content.decode() for address in addresses)


def test_sitemap_lists_public_pages_and_no_drafts(client, make_case, make_city):
    make_case("public-case")
    make_case("draft-case", status=Status.DRAFT)
    make_city("draft-city", status=Status.DRAFT)
    xml = every_sitemap(client)
    assert "<loc>http://testserver/cases/public-case/</loc>" in xml
    assert "/cases/draft-case/" not in xml and "/cities/draft-city/" not in xml
    for path in ["/", "/cases/", "/sectors/", "/cities/", "/rankings/", "/organizations/", "/data/"]:
        assert f"<loc>http://testserver{path}</loc>" in xml


def test_robots_txt_names_the_sitemap(client, db):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_pages_have_canonical_open_graph_and_description(client, make_case):
    case = make_case("bangkok-card", title="Bangkok card", summary="Seoul's card system, adapted for Bangkok.")
    html = client.get(case.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="http://testserver/cases/bangkok-card/">' in html
    assert '<meta property="og:title" content="Bangkok card">' in html
    assert '<meta property="og:description" content="Seoul&#x27;s card system, adapted for Bangkok.">' in html
    assert '<meta name="description" content="Seoul&#x27;s card system, adapted for Bangkok.">' in html
    assert '<link rel="alternate" type="application/json" href="?format=json">' in html


def test_canonical_of_a_filtered_list_keeps_filters_not_paging(client, make_case):
    make_case("one")
    html = client.get("/cases/?sector=transportation&ordering=title&page=1").content.decode()
    assert '<link rel="canonical" href="http://testserver/cases/?sector=transportation">' in html


def test_server_error_page_is_in_the_site_design(db, settings):
    settings.ROOT_URLCONF = "tests.urls_error"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Go to main content" in html and "krds.css" in html


def test_favicon_ico_leads_to_the_site_s_icon(client, db):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): no 404 there."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)

"""The open-data page, the sitemap, and what crawlers and link previews read."""

import csv
import io
import json
import re
import zipfile

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
    assert len(metadata["distribution"]) == 2 * len(TABLES) + 1  # and the archive of everything


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


def test_fixture_download_is_the_published_data_now(client, make_case):
    """Behaviour changed on purpose (issue 12): the fixtures are built from the database, published rows
    only, so a re-user gets what staff published since the release."""
    case = make_case("published-case", title="Old title")
    make_case("draft-case", title="A draft", status=Status.DRAFT)
    response = client.get(reverse("data_fixture", args=["cases"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    records = json.loads(response.content)
    assert [record["fields"]["slug"] for record in records] == ["published-case"]
    case.title = "New title"
    case.save()
    records = json.loads(client.get(reverse("data_fixture", args=["cases"])).content)
    assert records[0]["fields"]["title"] == "New title"


def test_published_fixtures_are_the_shipped_files_when_nothing_changed(client, shipped_data, settings):
    """Same layout and format as fixtures/: with the shipped data loaded and no draft among it, the
    download is byte for byte the shipped file."""
    from pathlib import Path

    from projects.models import Case, City

    for name in FIXTURE_NAMES:
        if name in ("cases", "cities") and (
            Case.objects.exclude(status=Status.PUBLISHED).exists()
            or City.objects.exclude(status=Status.PUBLISHED).exists()
        ):
            continue
        shipped = (Path(settings.FIXTURE_DIRS[0]) / f"{name}.json").read_bytes()
        assert client.get(reverse("data_fixture", args=[name])).content == shipped, name


@pytest.fixture
def secret_drafts(make_case, make_city, make_organization, make_result, make_country, sister_city):
    """Published rows, and drafts whose every text holds the word "zzsecret"."""
    make_case("bangkok-card", title="Bangkok card", country=sister_city.country, cities=[sister_city])
    draft_city = make_city("zzsecret-city", name="Zzsecret City", status=Status.DRAFT)
    make_case("published-with-draft-city", title="Published", cities=[sister_city, draft_city])
    make_case("zzsecret-case", title="Zzsecret case", cities=[sister_city], status=Status.DRAFT)
    make_organization("zzsecret-org", name="Zzsecret organization", status=Status.DRAFT)
    make_organization("citynet", name="CITYNET")
    make_result(edition=2016, rank=6)
    make_result(edition=2017, rank=7, note="zzsecret result", status=Status.DRAFT)


def open_data_files(client):
    """{name: bytes} of every open-data file: tables, fixtures, dictionary, and the archive's members."""
    files = {}
    for table in TABLES.values():
        files[f"{table.slug}.csv"] = client.get(reverse("data_table_csv", args=[table.slug])).getvalue()
        files[f"{table.slug}.json"] = client.get(reverse("data_table_json", args=[table.slug])).content
    for name in FIXTURE_NAMES:
        files[f"fixtures/{name}.json"] = client.get(reverse("data_fixture", args=[name])).content
    files["dictionary.csv"] = client.get(reverse("data_dictionary_csv")).getvalue()
    files["dictionary.json"] = client.get(reverse("data_dictionary_json")).content
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("data_archive")).content))
    files.update({f"zip:{name}": archive.read(name) for name in archive.namelist()})
    return files


def test_a_draft_never_appears_in_any_open_data_file(client, secret_drafts):
    files = open_data_files(client)
    assert len(files) > 30
    leaks = [name for name, content in files.items() if b"zzsecret" in content.lower()]
    assert leaks == []
    cases = {record["fields"]["slug"]: record for record in json.loads(files["fixtures/cases.json"])}
    # The published case that names a draft city keeps only its published city.
    assert cases["published-with-draft-city"]["fields"]["cities"] == [["bangkok"]]


def test_the_archive_holds_every_table_fixture_the_dictionary_and_a_readme(client, secret_drafts):
    response = client.get(reverse("data_archive"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="seoul-city-diplomacy.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    expected = {f"seoul-city-diplomacy/tables/{table}.{fmt}" for table in TABLES for fmt in ("csv", "json")}
    expected |= {f"seoul-city-diplomacy/fixtures/{name}.json" for name in FIXTURE_NAMES}
    expected |= {f"seoul-city-diplomacy/data-dictionary.{fmt}" for fmt in ("csv", "json")}
    expected |= {"seoul-city-diplomacy/README.txt"}
    assert set(archive.namelist()) == expected
    readme = archive.read("seoul-city-diplomacy/README.txt").decode()
    assert "https://www.kogl.or.kr/info/licenseType1.do" in readme and "Newest fact: 2017-03-31" in readme
    table = json.loads(archive.read("seoul-city-diplomacy/tables/cases.json"))
    assert table == client.get(reverse("data_table_json", args=["cases"])).json()
    fixture = archive.read("seoul-city-diplomacy/fixtures/cities.json")
    assert fixture == client.get(reverse("data_fixture", args=["cities"])).content


def test_the_dictionary_describes_every_column_of_every_table_in_both_languages(client, shipped_data):
    rows = client.get(reverse("data_dictionary_json")).json()["results"]
    described = {(row["table"], row["column"]): row for row in rows}
    expected = {(table.slug, column) for table in TABLES.values() for column in table.columns}
    assert set(described) == expected
    for key, row in described.items():
        assert row["meaning_en"] and row["type_en"], key
        assert row["meaning_ko"] and row["meaning_ko"] != row["meaning_en"], key  # translated
        assert re.search("[가-힣]", row["type_ko"]), key
        assert bool(row["unit_en"]) == bool(row["unit_ko"]), key
    assert described[("cities", "latitude")]["unit_en"] == "degrees north (WGS 84)"
    assert described[("cases", "slug")]["example"]  # an example from the data
    csv_rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("data_dictionary_csv")).getvalue().decode("utf-8-sig")))
    )
    assert len(csv_rows) == len(rows)


def test_the_data_page_shows_the_dictionary_and_the_archive(client, shipped_data):
    html = client.get(reverse("data")).content.decode()
    assert 'href="/data/seoul-city-diplomacy.zip"' in html
    for table in TABLES.values():
        assert f'id="dictionary-{table.slug}"' in html
    assert "<code>relationship_year</code>" in html
    korean = client.get("/ko/data/").content.decode()
    assert "자료 사전" in korean


@pytest.mark.parametrize(
    "path",
    [
        "/data/cases.csv",
        "/data/cases.json",
        "/data/fixtures/cases.json",
        "/data/dictionary.csv",
        "/data/dictionary.json",
        "/data/seoul-city-diplomacy.zip",
        "/cases/?format=csv",
        "/cases/?format=json",
        "/ko/cases/?sector=transportation&format=csv",
        "/cities/?format=csv",
        "/cities/?format=json",
        "/organizations/?format=csv",
        "/organizations/?format=json",
        "/cases/bangkok-card/?format=json",
        "/cities/bangkok/?format=json",
        "/sectors/transportation/?format=json",
        "/countries/?format=json",
        "/countries/TH/?format=json",
        "/rankings/gpci/?format=json",
        "/cases/?format=xml",
    ],
)
def test_every_csv_and_json_answer_may_be_read_from_any_origin(client, secret_drafts, path):
    response = client.get(path, HTTP_ORIGIN="https://example.org")
    assert response.status_code in (200, 400), path
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_html_pages_do_not_allow_other_origins(client, secret_drafts):
    assert "Access-Control-Allow-Origin" not in client.get("/cases/")


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
    for path in ["/", "/cases/", "/sectors/", "/cities/", "/countries/", "/rankings/", "/organizations/", "/data/"]:
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

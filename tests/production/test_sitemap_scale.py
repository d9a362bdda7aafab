"""The sitemap at scale: /sitemap.xml is an index of sections, and no sitemap lists more than 50,000
addresses (sitemaps.org's limit), even at 100,000 cases in two languages."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.content import Status
from pages import sitemaps
from projects.models import Case, WorkKind
from tests.conftest import provenance

SITEMAP_LIMIT = 50_000  # addresses in one sitemap file, sitemaps.org
LOC = re.compile(r"<url>\s*<loc>([^<]+)</loc>")


def many_cases(count, make_sector, make_country, status=Status.PUBLISHED, prefix="case"):
    """``count`` cases named ``{prefix}-0``, ``{prefix}-1``, …, inserted by one INSERT … SELECT (100,000 rows
    in a second or two, where ``bulk_create`` takes a minute on a busy machine)."""
    values = {
        "sector": make_sector("transportation").pk,
        "country": make_country().pk,
        "kind": WorkKind.CONSULTING,
        "status": status,
        **provenance(),
    }
    columns, expressions, params = [], [], []
    for field in Case._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in ("slug", "title"):
            expressions.append("%s || n.x")
            params.append(f"{prefix}-" if field.name == "slug" else "Case ")
        else:
            expressions.append("%s")
            params.append(field.get_db_prep_save(values.get(field.name, field.get_default()), connection))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one long statement, past DJANGO_DB_STATEMENT_TIMEOUT_MS
            cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(Case._meta.db_table)} ({', '.join(columns)}) "
            "WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < %s) "
            f"SELECT {', '.join(expressions)} FROM n",
            [count - 1, *params],
        )
    assert Case.objects.filter(slug__startswith=f"{prefix}-").count() == count


def index_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    xml = response.content.decode()
    assert "<sitemapindex" in xml
    return re.findall(r"<sitemap>\s*<loc>http://testserver([^<]+)</loc>", xml)


def section_urls(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return LOC.findall(response.content.decode())


def test_the_index_names_every_section_and_every_page_holds_at_most_the_limit(
    client, make_sector, make_country, monkeypatch
):
    monkeypatch.setattr(sitemaps.BilingualSitemap, "limit", 500)
    many_cases(1_050, make_sector, make_country)
    many_cases(3, make_sector, make_country, status=Status.DRAFT, prefix="draft")
    entries = index_entries(client)
    cases = [entry for entry in entries if entry.startswith("/sitemap-cases.xml")]
    # 1,050 cases in two languages: 2,100 addresses, 5 pages of 500 at most.
    assert cases == ["/sitemap-cases.xml", *(f"/sitemap-cases.xml?p={page}" for page in range(2, 6))]
    for section in ["pages", "cities", "sectors", "rankings"]:
        assert f"/sitemap-{section}.xml" in entries
    listed = []
    for address in cases:
        urls = section_urls(client, address)
        assert 0 < len(urls) <= 500, address
        listed += urls
    assert len(listed) == len(set(listed)) == 2_100
    assert "http://testserver/cases/case-0/" in listed and "http://testserver/ko/cases/case-999/" in listed
    assert not [url for url in listed if "/draft-" in url]
    assert client.get("/sitemap-cases.xml?p=6").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_sitemap_page_reads_only_its_own_rows(client, make_sector, make_country, monkeypatch):
    monkeypatch.setattr(sitemaps.BilingualSitemap, "limit", 100)
    many_cases(1_000, make_sector, make_country)
    with CaptureQueriesContext(connection) as queries:
        urls = section_urls(client, "/sitemap-cases.xml?p=7")
    # Page 7 of 100 addresses: the 301st to 350th cases by slug, each in both languages.
    slug = sorted(f"case-{number}" for number in range(1_000))[300]
    assert urls[:2] == [f"http://testserver/cases/{slug}/", f"http://testserver/ko/cases/{slug}/"]
    assert len(urls) == 100
    reads = [query["sql"] for query in queries if 'FROM "projects_case"' in query["sql"]]
    assert any("LIMIT 50 OFFSET 300" in sql for sql in reads), reads


def test_one_hundred_thousand_cases_in_two_languages_fit_the_limit(client, make_sector, make_country):
    assert sitemaps.URLS_PER_SITEMAP <= SITEMAP_LIMIT
    many_cases(100_000, make_sector, make_country)
    cases = [entry for entry in index_entries(client) if entry.startswith("/sitemap-cases.xml")]
    assert len(cases) == 200_000 // sitemaps.URLS_PER_SITEMAP
    last = section_urls(client, cases[-1])
    assert len(last) == sitemaps.URLS_PER_SITEMAP <= SITEMAP_LIMIT
    assert last[-1] == "http://testserver/ko/cases/case-99999/"  # the last slug in order

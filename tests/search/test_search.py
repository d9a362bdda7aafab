"""The site's search: /search/ and the list pages' ``q`` (core.search, search/)."""

import re

import pytest
from django.core.management import call_command

from core import search
from core.content import Status
from dataio import synthetic
from dataio.importer import import_fixtures
from dataio.layout import FIXTURE_NAMES
from projects.models import Case, City, Sector
from rankings.models import HostedOrganization, RankingIndex

SEARCH = "/search/"


def found(response, kind):
    """The link texts of the results of ``kind`` ("cases", "cities"...) on a search page."""
    html = response.content.decode()
    section = re.search(rf'<section class="search-group" aria-labelledby="results-{kind}">(.*?)</section>', html, re.S)
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', section.group(1)) if section else []


def count_of(response, kind):
    match = re.search(rf'id="results-{kind}">[^<]*<span class="search-count">\((\d+)\)', response.content.decode())
    return int(match.group(1)) if match else 0


def listed(response):
    """The slugs of the rows of a list page (/cases/, /cities/), in their order."""
    kind = "cities" if "/cities/" in response.request["PATH_INFO"] else "cases"
    return re.findall(rf'<a href="/(?:ko/)?{kind}/([\w-]+)/"', response.content.decode())


# --- normalising ---------------------------------------------------------------------------------------


def test_normalise_takes_off_accents_and_case_and_keeps_hangul_whole():
    assert search.normalise("  São   PAULO ") == "sao paulo"
    assert search.normalise("Bogotá, Türkiye, Zürich") == "bogota, turkiye, zurich"
    assert search.normalise("서울특별시") == "서울특별시"  # NFKD would split the syllables; they come back whole


def test_a_document_holds_words_and_the_endings_of_korean_words():
    text = search.document(names=["서울시의 교통카드"], body=["A 100% e-Government portal."])
    # every Korean word inside a longer one starts one of these: 교통 (교통카드), 울시 (울시의), 카드 (카드)
    assert text.startswith(" 서울시의 울시의 시의 교통카드 통카드 카드 \n ")
    assert " a 100 e-government e government portal \t " in text  # punctuation is not a word
    assert search.terms("  Sao  Paulo ") == ["sao", "paulo"]
    assert search.terms("100% _ %") == ["100"]


def test_a_query_word_finds_words_that_start_with_it(client, make_case, make_sector):
    sector = make_sector("others", name="Others", name_ko="기타")
    make_case("card", title="Transportation card", summary="Run by the metropolitan government", sector=sector)
    make_case("port", title="Port authority", sector=sector)
    assert listed(client.get("/cases/?q=transport")) == ["card"]
    assert listed(client.get("/cases/?q=government")) == ["card"]
    assert listed(client.get("/cases/?q=port")) == ["port"]  # not inside "transportation"


# --- the list pages' q -----------------------------------------------------------------------------------


def test_english_search_ignores_accents_and_case(client, make_city, make_country):
    colombia = make_country("CO", "Colombia")
    make_city("bogota", name="Bogotá", country=colombia)
    make_city("sao-paulo", name="São Paulo", country=make_country("BR", "Brazil"))
    make_city("lima", name="Lima", country=make_country("PE", "Peru"))
    assert listed(client.get("/cities/?q=Bogota")) == ["bogota"]
    assert listed(client.get("/cities/?q=BOGOTÁ")) == ["bogota"]
    assert listed(client.get("/cities/?q=sao paulo")) == ["sao-paulo"]
    assert listed(client.get("/cities/?q=Paulo São")) == ["sao-paulo"]  # every word, in any order
    assert found(client.get(SEARCH + "?q=Sao+Paulo"), "cities") == ["São Paulo, Brazil"]


def test_a_sectors_or_categorys_name_finds_its_cases(client, make_case, make_sector, make_category):
    egov = make_sector("e-government", name="e-Government", name_ko="전자정부")
    other = make_sector("waterworks", name="Waterworks")
    procurement = make_category("e-procurement", sector=egov, name="Electronic procurement")
    make_case("portal", title="Open data portal", sector=egov)
    make_case("koneps", title="KONEPS for Tunisia", sector=egov, category=procurement)
    make_case("pipes", title="Pipes", sector=other, summary="Nothing about government here")
    assert sorted(listed(client.get("/cases/?q=e-government"))) == ["koneps", "portal"]
    assert listed(client.get("/cases/?q=electronic+procurement")) == ["koneps"]
    assert sorted(listed(client.get("/ko/cases/?q=전자정부"))) == ["koneps", "portal"]


def test_korean_finds_two_syllable_words_inside_longer_ones(client, make_case, make_sector, make_city):
    water = make_sector("waterworks", name="Waterworks", name_ko="상수도관리")
    make_case("meters", title="Water meters", title_ko="스마트 수도계량기", sector=water)
    make_case("card", title="Transport card", title_ko="서울시의 교통카드 시스템")
    make_case("other", title="Other", title_ko="도시계획 자문")
    assert listed(client.get("/ko/cases/?q=상수도")) == ["meters"]  # inside 상수도관리, the sector's name
    assert listed(client.get("/ko/cases/?q=교통")) == ["card"]  # inside 교통카드
    assert listed(client.get("/ko/cases/?q=서울")) == ["card"]  # inside 서울시의
    assert listed(client.get("/ko/cases/?q=수도")) == ["meters"]  # in 수도계량기 and 상수도관리: one case
    make_city("ulsan", name="Ulsan", name_ko="울산광역시")
    assert listed(client.get("/ko/cities/?q=광역")) == ["ulsan"]


def test_title_matches_come_before_summary_matches_then_the_rest(make_case, make_country):
    from projects.filters import CaseFilter

    peru = make_country("PE", "Peru")
    make_case("a-summary", title="Aaa water plant", summary="A bus card was studied", country=peru)
    make_case("b-title", title="Zzz bus card", country=peru)
    make_case("c-place", title="Mmm plant", country=make_country("TT", "Bus Land"))
    assert [case.slug for case in CaseFilter({"q": "bus"}).qs] == ["b-title", "a-summary", "c-place"]


def test_the_organization_list_searches_too(client, make_organization):
    make_organization("gggi", name="Global Green Growth Institute", acronym="GGGI", name_ko="글로벌녹색성장연구소")
    make_organization("iclei", name="ICLEI Korea Office")
    make_organization("draft", name="Green Draft", status=Status.DRAFT)
    html = client.get("/organizations/?q=green").content.decode()
    assert 'id="gggi"' in html and 'id="iclei"' not in html and 'id="draft"' not in html
    assert 'id="gggi"' in client.get("/ko/organizations/?q=녹색").content.decode()
    assert client.get("/organizations/?q=" + "x" * 101).status_code == 400


# --- kept current -----------------------------------------------------------------------------------------


def test_renaming_a_sector_country_or_city_updates_the_search_of_what_names_it(
    make_case, make_sector, make_city, make_country
):
    sector = make_sector("roads", name="Roads", name_ko="")
    country = make_country("KE", "Kenya")
    nairobi = make_city("nairobi", name="Nairobi", country=country)
    case = make_case("case", title="Plan", sector=sector, country=country, cities=[nairobi])
    assert "nairobi" in Case.objects.get(pk=case.pk).search_text
    sector.name = "Highways"
    sector.save()
    country.name_ko = "케냐"
    country.save()
    nairobi.name = "Nairobi City"
    nairobi.save()
    text = Case.objects.get(pk=case.pk).search_text
    assert "highways" in text and "케냐" in text and "nairobi city" in text and "roads" not in text
    assert "케냐" in City.objects.get(pk=nairobi.pk).search_text
    case.cities.remove(nairobi)
    assert "nairobi" not in Case.objects.get(pk=case.pk).search_text


def test_a_draft_citys_name_does_not_find_a_published_case(client, make_case, make_city):
    secret = make_city("secret", name="Secretville", status=Status.DRAFT)
    make_case("case", title="Plan", cities=[secret])
    assert listed(client.get("/cases/?q=secretville")) == []
    secret.status = Status.PUBLISHED
    secret.save()
    assert listed(client.get("/cases/?q=secretville")) == ["case"]


def test_the_shipped_data_loaded_raw_is_searchable(client, shipped_data):
    """loaddata bypasses save(): the signals fill the column. The issue's examples, on the real data."""
    assert "bogota" in listed(client.get("/cities/?q=Bogota"))
    egov = Case.objects.published().filter(sector__slug="e-government")
    assert len(egov) >= 4
    # every case of the sector, and cases that name e-government in their own text
    assert {case.slug for case in egov} <= set(listed(client.get("/cases/?q=e-government")))
    waterworks = Case.objects.published().filter(sector__slug="waterworks")
    assert sorted(listed(client.get("/ko/cases/?q=상수도"))) == sorted(case.slug for case in waterworks)
    assert not Case.objects.filter(search_text="").exists()
    assert not City.objects.filter(search_text="").exists()


def test_imported_rows_are_searchable(db, settings):
    paths = [settings.BASE_DIR / "fixtures" / f"{name}.json" for name in FIXTURE_NAMES]
    report = import_fixtures(paths)
    assert not report.problems
    for model in (Case, City, Sector, HostedOrganization, RankingIndex):
        assert model.objects.exists() and not model.objects.filter(search_text="").exists(), model
    assert City.objects.get(name="Bogotá").search_text.startswith(" bogota ")


def test_synthetic_rows_get_their_search_text(db):
    synthetic.generate(cases=30, cities=6)
    case = Case.objects.select_related("country", "sector").prefetch_related("cities").first()
    assert case.search_text == case.search_document()
    assert case.country.name.lower() in case.search_text
    assert not City.objects.filter(search_text="").exists()


def test_rebuild_search_text_command_rewrites_stale_rows(make_case):
    case = make_case("case", title="Ferry terminal")
    Case.objects.filter(pk=case.pk).update(search_text="")
    call_command("rebuild_search_text", verbosity=0)
    assert "ferry terminal" in Case.objects.get(pk=case.pk).search_text


# --- /search/ ---------------------------------------------------------------------------------------------


@pytest.fixture
def site(make_case, make_city, make_country, make_sector, make_organization):
    korea = make_country("KR", "Korea, Republic of", name_ko="대한민국", region="east-asia")
    transport = make_sector("transportation", name="Transportation", name_ko="교통")
    busan = make_city("busan", name="Busan", name_ko="부산", country=korea)
    make_case("bus-busan", title="Bus reform in Busan", title_ko="부산 버스 개혁", sector=transport, country=korea)
    make_case("draft-bus", title="Bus draft", sector=transport, country=korea, status=Status.DRAFT)
    make_city("bus-draft-city", name="Busville", country=korea, status=Status.DRAFT)
    make_organization("bus-org", name="Bus Operators Network", name_ko="버스 운영자 네트워크")
    make_organization("bus-org-draft", name="Bus Draft Network", status=Status.DRAFT)
    RankingIndex.objects.create(slug="bus-index", name="Bus Index", publisher="Bus Institute")
    return busan


def test_search_finds_every_kind_grouped_with_counts_and_no_drafts(client, site):
    response = client.get(SEARCH + "?q=bus")
    assert response.status_code == 200
    assert found(response, "cases") == ["Bus reform in Busan"]
    assert found(response, "cities") == ["Busan, Korea, Republic of"]
    assert found(response, "organizations") == ["Bus Operators Network"]
    assert found(response, "rankings") == ["Bus Index"]
    assert (count_of(response, "cases"), count_of(response, "cities"), count_of(response, "sectors")) == (1, 1, 0)
    html = response.content.decode()
    assert "Bus draft" not in html and "Busville" not in html and "Bus Draft Network" not in html
    assert "<strong>4</strong> results for “bus”" in html
    assert '<meta name="robots" content="noindex">' in html


def test_search_finds_countries_and_sectors_in_korean(client, site):
    response = client.get("/ko/search/?q=대한민국")
    assert found(response, "countries") == ["대한민국"]
    assert found(response, "cases") == ["부산 버스 개혁"]  # its country's name
    assert found(response, "sectors") == []
    assert found(client.get("/ko/search/?q=교통"), "sectors") == ["교통"]


def test_kind_filter_is_kept_in_the_url_and_paginates(client, make_case, make_sector, settings):
    settings.SEARCH_RESULTS_PER_PAGE = 5
    sector = make_sector("waterworks", name="Waterworks")
    for number in range(12):
        make_case(f"pipe-{number:02d}", title=f"Pipe {number:02d}", sector=sector)
    overview = client.get(SEARCH + "?q=pipe")
    assert len(found(overview, "cases")) == 5 and count_of(overview, "cases") == 12
    assert 'href="?kind=cases&amp;q=pipe"' in overview.content.decode()  # "All 12 results: Cases"
    first = client.get(SEARCH + "?q=pipe&kind=cases")
    assert found(first, "cases") == [f"Pipe {number:02d}" for number in range(5)]
    assert 'href="?kind=cases&amp;page=2&amp;q=pipe"' in first.content.decode()  # pagination keeps q and kind
    last = client.get(SEARCH + "?q=pipe&kind=cases&page=3")
    assert found(last, "cases") == ["Pipe 10", "Pipe 11"]
    assert found(client.get(SEARCH + "?q=pipe&kind=cities"), "cases") == []


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("?q=" + "x" * 101, 400, "at most 100 characters"),
        ("?q=bus&kind=planets", 400, "Select a valid choice"),
        ("?q=pipe&kind=cases&page=9", 404, "page 9 is past the end"),
        ("?q=pipe&kind=cases&page=abc", 404, "is not a page number"),
    ],
)
def test_bad_input_is_a_4xx_that_says_what_is_wrong(client, make_case, query, status, says):
    make_case("pipe", title="Pipe")
    response = client.get(SEARCH + query)
    assert response.status_code == status
    assert says in response.content.decode()


def test_wildcards_and_an_empty_query_are_plain(client, make_case):
    make_case("pct", title="100% renewable")
    make_case("plain", title="Renewable")
    assert found(client.get(SEARCH + "?q=100%25"), "cases") == ["100% renewable"]
    assert found(client.get(SEARCH + "?q=_"), "cases") == []
    empty = client.get(SEARCH + "?q=++")
    assert empty.status_code == 200 and "results for" not in empty.content.decode()


@pytest.mark.parametrize("prefix", ["", "/ko"])
def test_every_page_has_the_search_box_in_its_header(client, make_case, prefix):
    make_case("case")
    for path in ["/", "/cases/", "/cases/case/", "/data/", "/search/?q=x"]:
        html = client.get(prefix + path).content.decode()
        assert f'<form class="header-search" role="search" method="get" action="{prefix}/search/">' in html, path
        assert '<label for="site-search-q" class="sr-only">' in html and 'id="site-search-q" name="q"' in html

"""The Korean site: every public page in both languages, switchable, with Korean content where there is some."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from projects.models import Case

PAGES = [
    "/",
    "/cases/",
    "/cases/?sector=transportation",
    "/cases/bangkok-transportation-card/",
    "/sectors/",
    "/sectors/transportation/",
    "/cities/",
    "/cities/bangkok/",
    "/rankings/",
    "/rankings/gpci/",
    "/organizations/",
    "/data/",
]


def korean(path):
    return "/ko" + path


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', html))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_in_both_languages_with_lang_and_hreflang(client, shipped_data, path):
    for url, language in ((path, "en"), (korean(path), "ko")):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        canonical_path = path.split("?")[0] + (("?" + path.split("?")[1]) if "?" in path else "")
        assert alternates(html) == {
            "en": f"http://testserver{canonical_path}",
            "ko": f"http://testserver{korean(canonical_path)}",
            "x-default": f"http://testserver{canonical_path}",
        }, url


@pytest.mark.parametrize("path", PAGES)
def test_korean_pages_speak_korean(client, shipped_data, path):
    html = client.get(korean(path)).content.decode()
    assert "본문 바로가기" in html  # the skip link
    assert "서울 도시외교" in html  # the site's name
    assert "Go to main content" not in html


def test_korean_content_shows_where_the_fixtures_have_it(client, shipped_data):
    html = client.get("/ko/cases/bangkok-transportation-card/").content.decode()
    assert '<h1 class="page-title">방콕 교통카드 시스템 컨설팅</h1>' in html
    assert "태국" in html and "방콕" in html and "교통" in html
    sector = client.get("/ko/sectors/transportation/").content.decode()
    assert "다른 도시와 공유한 교통카드 시스템" in sector
    ranking = client.get("/ko/rankings/gpci/").content.decode()
    assert "48개 도시 중 6위" in ranking


def test_missing_korean_text_shows_the_english_marked_as_english(client, shipped_data):
    Case.objects.filter(slug="bangkok-transportation-card").update(title_ko="")
    html = client.get("/ko/cases/bangkok-transportation-card/").content.decode()
    assert (
        '<span lang="en" class="untranslated">Consulting on Bangkok&#x27;s Transportation Card System</span> '
        '<span class="untranslated-note">(영문)</span>'
    ) in html
    english = client.get("/cases/bangkok-transportation-card/").content.decode()
    assert "untranslated" not in english


def test_the_language_switcher_keeps_the_page_and_its_filters(client, shipped_data):
    html = client.get("/cases/?sector=transportation&page=1").content.decode()
    assert 'href="/ko/cases/?sector=transportation&amp;page=1" lang="ko" hreflang="ko"' in html
    korean_html = client.get("/ko/cases/?sector=transportation").content.decode()
    assert 'href="/cases/?sector=transportation" lang="en" hreflang="en"' in korean_html
    assert 'aria-current="true">한국어</a>' in korean_html


def test_english_and_korean_lists_give_the_same_results(client, shipped_data):
    query = "?sector=waterworks&sector=urban-planning"  # one page: each language sorts by its own titles
    english = client.get("/cases/" + query)
    korean_response = client.get("/ko/cases/" + query)
    assert english.context["paginator"].num_pages == 1
    assert [case.slug for case in english.context["object_list"]] != []
    assert {case.slug for case in english.context["object_list"]} == {
        case.slug for case in korean_response.context["object_list"]
    }


def test_korean_search_finds_korean_titles(client, shipped_data):
    response = client.get("/ko/cases/", {"q": "교통"})
    slugs = {case.slug for case in response.context["object_list"]}
    assert {
        "bangkok-transportation-card",
        "colombo-transportation-advice",
        "manila-intelligent-transportation-system",
    } <= slugs
    for case in response.context["object_list"]:  # in its own text, or its sector's or category's name
        names = [case.title_ko, case.summary_ko, case.sector.name_ko, case.category.name_ko if case.category else ""]
        assert any("교통" in text for text in names), case.slug
    assert client.get("/ko/cities/", {"q": "방콕"}).context["object_list"][0].slug == "bangkok"


def test_sorting_by_name_on_korean_pages_follows_korean_order(client, shipped_data):
    response = client.get("/ko/cities/", {"ordering": "name", "relationship": "sister"})
    names = [city.name_ko for city in response.context["object_list"]]
    assert names == sorted(names)
    english = client.get("/cities/", {"ordering": "name", "relationship": "sister"}).context["object_list"]
    assert [city.name for city in english] == sorted(city.name for city in english)
    assert names != [city.name_ko for city in english]


def test_dates_and_numbers_follow_the_language(client, shipped_data):
    korean_html = client.get("/ko/cases/bangkok-transportation-card/").content.decode()
    assert "2017년 3월 31일" in korean_html
    english_html = client.get("/cases/bangkok-transportation-card/").content.decode()
    assert "31 March 2017" in english_html


def test_the_sitemap_lists_both_languages(client, shipped_data):
    xml = client.get("/sitemap-cases.xml").content.decode()  # the cases' section of the index /sitemap.xml
    assert "<loc>http://testserver/cases/bangkok-transportation-card/</loc>" in xml
    assert "<loc>http://testserver/ko/cases/bangkok-transportation-card/</loc>" in xml
    assert 'hreflang="ko" href="http://testserver/ko/cases/bangkok-transportation-card/"' in xml


def test_english_urls_keep_working_and_reverse_unprefixed(db):
    with translation.override("en"):
        assert reverse("projects:case_list") == "/cases/"
    with translation.override("ko"):
        assert reverse("projects:case_list") == "/ko/cases/"


def test_staff_edit_both_languages_side_by_side(admin_client, shipped_data):
    case = Case.objects.get(slug="bangkok-transportation-card")
    html = admin_client.get(reverse("admin:projects_case_change", args=[case.pk])).content.decode()
    assert 'name="title"' in html and 'name="title_ko"' in html
    assert 'name="summary_ko"' in html
    # Both in one row of the form.
    assert re.search(r'field-title[^"]*".*?name="title".*?name="title_ko"', html, re.S)


def test_the_fixtures_carry_korean_names_and_titles(shipped_data):
    from projects.models import CaseCategory, City, Country, Sector
    from rankings.models import HostedOrganization, RankingIndex

    for model in (Country, City, Sector, CaseCategory, RankingIndex, HostedOrganization):
        missing = list(model.objects.filter(name_ko="").values_list("name", flat=True))
        assert missing == [], (model.__name__, missing)
    assert list(Case.objects.filter(title_ko="").values_list("slug", flat=True)) == []


@pytest.mark.parametrize("path", ["/cases/", "/cities/"])
def test_country_filters_list_their_choices_in_the_page_s_language_order(client, shipped_data, path):
    def countries(url):
        html = client.get(url).content.decode()
        return re.findall(r'name="country" value="[A-Z]{2}"[^>]*>\s*<label[^>]*>([^<(]+?) \(\d+\)</label>', html)

    korean, english = countries("/ko" + path), countries(path)
    assert len(korean) == len(english) > 10
    assert korean == sorted(korean) and english == sorted(english)
    assert korean != english and all(re.match(r"[가-힣]", name) for name in korean)

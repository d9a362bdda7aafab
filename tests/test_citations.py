"""Citations: parsed in one place (core/citations.py) and shown as outlet, title, date and link."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from core.citations import Citation, parse, parse_line, script_language, split_shared
from projects.models import Case
from rankings.models import RankingIndex


def test_a_line_in_the_citation_form_is_parsed():
    citation = parse_line(
        "Korea JoongAng Daily | Seoul builds waterworks for 120,000 in central Peru | 2017-09-13 | "
        "https://koreajoongangdaily.joins.com/2017/09/13/socialAffairs/x/3038369.html"
    )
    assert citation == Citation(
        outlet="Korea JoongAng Daily",
        title="Seoul builds waterworks for 120,000 in central Peru",
        date="2017-09-13",
        url="https://koreajoongangdaily.joins.com/2017/09/13/socialAffairs/x/3038369.html",
    )
    assert parse_line("MBN | [Consulting] | 2017") == Citation(outlet="MBN", title="[Consulting]", date="2017")
    assert parse_line("Naeil | [Signals] | n.d. | https://www.naeil.com/news/read/564872").iso_date == ""


@pytest.mark.parametrize(
    "line",
    [
        "Seoul Metropolitan Government, City Diplomacy page",  # no fields
        "Outlet | Title | March 2017",  # a date in no known form
        "Outlet | Title | 2017 | not an address",
        " | Title | 2017",  # no outlet
    ],
)
def test_a_line_not_in_the_form_is_kept_as_plain_text(line):
    citation = parse_line(line)
    assert not citation.is_structured and citation.text == line.strip()


def test_a_field_is_read_line_by_line_and_blank_lines_are_skipped():
    assert [c.outlet for c in parse("A | T | 2017\n\n  \nB | U | 2018-02\n")] == ["A", "B"]
    assert parse("") == [] and parse(None) == []


def test_the_script_tells_the_language():
    assert script_language("세계일보") == "ko"
    assert script_language("Korea Herald") == "en"
    assert script_language("KBS 월드") == "ko"
    assert script_language("2017 | 48") == ""


@pytest.mark.parametrize(
    ("date", "english", "korean"),
    [
        ("2017-09-13", "13 September 2017", "2017년 9월 13일"),
        ("2017-03", "March 2017", "2017년 3월"),
        ("2013", "2013", "2013년"),
        ("n.d.", "n.d.", "날짜 미상"),
    ],
)
def test_a_date_is_written_for_the_pages_language(date, english, korean):
    citation = Citation(outlet="O", title="T", date=date)
    with translation.override("en"):
        assert citation.date_display() == english
    with translation.override("ko"):
        assert citation.date_display() == korean


class Sourced:
    def __init__(self, source, source_ko=""):
        self.source, self.source_ko = source, source_ko


def render(obj, language):
    with translation.override(language):
        return Template("{% load site_tags %}{% citations obj %}").render(Context({"obj": obj}))


def test_a_citation_shows_outlet_title_with_its_language_date_and_a_link_to_the_article():
    record = Sourced(
        "Segye Ilbo | 서울, 세계 6위 | 2025-12-17 | https://www.segye.com/newsView/20251217511780\n"
        "Newsstep | [Cities ranked] | n.d.",
        "세계일보 | 서울, 세계 6위 | 2025-12-17 | https://www.segye.com/newsView/20251217511780\n"
        "뉴스스텝 | [Cities ranked] | n.d.",
    )
    english = render(record, "en")
    assert '<span class="citation-outlet">Segye Ilbo</span>' in english
    assert (
        '<a href="https://www.segye.com/newsView/20251217511780" class="citation-title" lang="ko">서울, 세계 6위</a>'
        in english
    )  # a Hangul title on an English page
    assert '<time datetime="2025-12-17" class="citation-date">17 December 2025</time>' in english
    assert '<cite class="citation-title">[Cities ranked]</cite>, <span class="citation-date">n.d.</span>' in english
    korean = render(record, "ko")
    assert '<span class="citation-outlet">세계일보</span>' in korean  # source_ko on Korean pages
    assert '<cite class="citation-title" lang="en">[Cities ranked]</cite>' in korean  # a Latin title marked
    assert "2025년 12월 17일" in korean and "날짜 미상" in korean
    assert "(영문)" not in korean


def test_a_korean_page_without_source_ko_shows_the_english_marked_as_english():
    korean = render(Sourced("Seoul Metropolitan Government | Seoul shares policies | 2014-02"), "ko")
    assert '<span class="citation-outlet" lang="en">Seoul Metropolitan Government</span>' in korean
    assert '<cite class="citation-title" lang="en">Seoul shares policies</cite>' in korean
    assert '<span class="untranslated-note">(영문)</span>' in korean


def test_a_line_out_of_the_form_is_shown_whole_with_its_address_linked():
    html = render(Sourced("See https://example.org/a/very/long/address/of/an/article for more"), "en")
    assert '<a href="https://example.org/a/very/long/address/of/an/article"' in html
    assert "…" not in html and "for more" in html


def test_citations_several_rows_share_are_split_out_once():
    rows = [
        Sourced("A | Own of 2024 | 2024\nB | Shared | 2020\nC | Also shared | n.d."),
        Sourced("B | Shared | 2020\nC | Also shared | n.d."),
        Sourced("D | Own of 2022 | 2022\nB | Shared | 2020"),
    ]
    own, shared = split_shared(rows)
    assert [[c.title for c in own[i]] for i in range(3)] == [["Own of 2024"], [], ["Own of 2022"]]
    assert [(entry.citation.title, len(entry.records)) for entry in shared] == [("Shared", 3), ("Also shared", 2)]


def test_every_source_on_a_ranking_page_is_shown_once(client, shipped_data):
    html = client.get("/rankings/gpci/").content.decode()
    results = RankingIndex.objects.get(slug="gpci").results.published()
    distinct = {citation.key for result in results for citation in parse(result.source)}
    links = re.findall(r'<a href="([^"]+)" class="citation-title"', html)
    assert len(links) == len(set(links))  # no article linked twice
    assert html.count('class="citation"') == len(distinct)  # each citation once: in its row or in the shared list
    assert html.count('id="shared-sources"') == 1
    # A row names the shared sources it rests on, by number, each number a link to the source.
    row = html[html.index('id="edition-2025-world"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r'Sources shared with other editions: <a href="#source-1">1</a>, <a href="#source-2">2</a>', row)
    numbers = re.findall(r'href="#source-(\d+)"', html)
    assert all(f'id="source-{number}"' in html for number in numbers)
    shared = html[html.index('id="shared-sources"') :]
    assert "(editions 2008–2019, 2022, 2024, 2025)" in shared  # the "cities ranked" source and its editions
    korean = client.get("/ko/rankings/gpci/").content.decode()
    assert "(해당 회차: 2008~2019년, 2022년, 2024년, 2025년)" in korean


def test_case_home_and_organization_pages_show_citations_not_raw_lines(client, shipped_data):
    case = Case.objects.get(slug="ulaanbaatar-water-quality")
    for path in ("/", case.get_absolute_url(), "/organizations/", "/ko/", "/ko/organizations/"):
        html = client.get(path).content.decode()
        assert 'class="citation-list' in html, path
        assert " | " not in re.sub(r"<title>.*?</title>", "", html, flags=re.S), path  # no raw field shows

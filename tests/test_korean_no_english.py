"""No unmarked English on a Korean page: every page type under /ko/, with the shipped data loaded.

A run of three or more Latin-script words outside an element with ``lang="en"`` fails (a proper name of
one or two words, an acronym or a unit may stand in Korean text). Text inside <script>, <style> and
<code> and attribute values are not read. The Korean CSV and JSON exports are held to the same rule
for their headers and labels.
"""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

# A word: Latin letters, maybe with an apostrophe, hyphen or inner dot (don't, GPCI, e.g).
LATIN_WORD = r"[A-Za-z][A-Za-z'’.\-]*"
# Three or more such words separated only by spaces and light punctuation.
ENGLISH_RUN = re.compile(rf"{LATIN_WORD}(?:[\s,:;&/]+{LATIN_WORD}){{2,}}")
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+")
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}  # fmt: skip
IGNORED = {"script", "style", "code"}


class LanguageRuns(HTMLParser):
    """Collects the runs of English words in text whose nearest ``lang`` is not English."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, lang or None, ignored)
        self.runs = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        lang = dict(attrs).get("lang")
        self.stack.append((tag, lang, tag in IGNORED))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for position in range(len(self.stack) - 1, -1, -1):
            if self.stack[position][0] == tag:
                del self.stack[position:]
                return

    def current_language(self):
        for _tag, lang, _ignored in reversed(self.stack):
            if lang:
                return lang.split("-")[0].lower()
        return ""

    def handle_data(self, data):
        if any(ignored for _tag, _lang, ignored in self.stack):
            return
        if self.current_language() == "en":
            return
        data = WEB_ADDRESS.sub(" ", data)  # an address is not English prose
        self.runs.extend(match.group(0) for match in ENGLISH_RUN.finditer(data))


def english_runs(html):
    parser = LanguageRuns()
    parser.feed(html)
    parser.close()
    return parser.runs


def test_the_walker_finds_unmarked_english_and_passes_marked_english():
    assert english_runs("<p>세계 도시 Global Power City Index 순위</p>") == ["Global Power City Index"]
    assert english_runs('<p>세계 <span lang="en">Global Power City Index</span> 순위</p>') == []
    assert english_runs('<div lang="en"><p>one two three</p></div><p>four five six</p>') == ["four five six"]
    assert english_runs("<p>GPCI 2025 서울 Seoul</p>") == []  # two words and a number: not a run
    assert english_runs('<p title="three English words">한국어</p>') == []  # attribute values
    assert english_runs("<script>var one = two three;</script><code>one two three</code>") == []
    assert english_runs("<p>a<br>b c d</p>") == ["b c d"]  # a void element does not swallow the stack
    assert english_runs("<p>누리집 https://english.seoul.go.kr/policy/city-diplomacy/ 참고</p>") == []


def routes():
    """Every page type under /ko/: lists and one of each detail; country pages where the routes exist."""
    pages = [
        ("home", []),
        ("projects:case_list", []),
        ("projects:case_detail", ["ulaanbaatar-water-quality"]),
        ("projects:case_detail", ["bangkok-transportation-card"]),
        ("projects:sector_list", []),
        ("projects:sector_detail", ["waterworks"]),
        ("projects:city_list", []),
        ("projects:city_detail", ["manila"]),
        ("rankings:index_list", []),
        ("rankings:index_detail", ["gpci"]),
        ("rankings:index_detail", ["uia-meetings"]),
        ("rankings:organization_list", []),
        ("data", []),
        ("projects:country_list", []),
        ("projects:country_detail", ["TH"]),
        ("countries:country_list", []),
        ("countries:country_detail", ["TH"]),
    ]
    found = []
    with translation.override("ko"):
        for name, args in pages:
            try:
                found.append(reverse(name, args=args))
            except NoReverseMatch:
                continue  # the country pages come from another branch
    return found


@pytest.mark.django_db
def test_the_walk_covers_every_page_type():
    paths = routes()
    assert all(path.startswith("/ko/") for path in paths)
    assert len(paths) >= 13


def test_every_korean_page_has_no_unmarked_english(client, shipped_data):
    leaks = {}
    for path in routes():
        response = client.get(path)
        assert response.status_code == 200, path
        runs = english_runs(response.content.decode())
        if runs:
            leaks[path] = runs
    assert leaks == {}, "\n".join(f"{path}: {runs}" for path, runs in leaks.items())


EXPORTS = [
    "/ko/cases/?format=csv",
    "/ko/cities/?format=csv",
    "/ko/organizations/?format=csv",
]


@pytest.mark.parametrize("path", EXPORTS)
def test_korean_csv_headers_and_labels_are_korean(client, shipped_data, path):
    text = b"".join(client.get(path).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert not [name for name in header if re.fullmatch(r"[a-z_]+", name)], header  # no bare machine keys
    assert all(re.search("[가-힣]", name) for name in header), header
    label_columns = [i for i, name in enumerate(header) if name.endswith("(이름)") or name.endswith("(명칭)")]
    for row in rows[1:]:
        for i in label_columns:
            assert not ENGLISH_RUN.search(row[i]), (header[i], row[i])


def test_korean_json_keeps_machine_keys_and_adds_korean_labels(client, shipped_data):
    payload = json.loads(client.get("/ko/cases/?format=json").content)
    case = next(row for row in payload["results"] if row["slug"] == "ulaanbaatar-water-quality")
    assert case["sector"] == "waterworks"  # the machine key stays
    assert case["country_code"] == "MN"
    assert case["sector_name"] == "상수도"  # the Korean name beside it
    assert case["kind_label"] and re.search("[가-힣]", case["kind_label"])
    assert payload["columns"] == json.loads(client.get("/cases/?format=json").content)["columns"]
    assert payload["column_labels"]["sector"] == "분야(슬러그)"
    detail = json.loads(client.get("/ko/rankings/gpci/?format=json").content)
    assert detail["slug"] == "gpci"
    assert detail["results"][0]["scope_label"] in {"세계", "아시아"}


def test_korean_titles_and_descriptions_use_the_korean_names(client, shipped_data):
    """Attribute values are not walked above: the <title> and meta description are checked here."""
    sector = client.get("/ko/sectors/waterworks/").content.decode()
    assert "<title>상수도" in sector
    description = re.search(r'<meta name="description" content="([^"]*)">', sector).group(1)
    assert re.search("[가-힣]", description) and not ENGLISH_RUN.search(description)
    case = client.get("/ko/cases/ulaanbaatar-water-quality/").content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)">', case).group(1)
    assert re.search("[가-힣]", description) and not ENGLISH_RUN.search(description)
    city = client.get("/ko/cities/manila/").content.decode()
    assert "세계 지도에 표시한 마닐라" in city and "마닐라 관련 사례" in city
    ranking = client.get("/ko/rankings/gpci/").content.decode()
    assert re.search(r"<title>세계 도시 종합경쟁력 지수", ranking)
    home = client.get("/ko/").content.decode()
    assert '<span class="stat-number">45</span><span class="stat-unit">건</span>' in home  # 45건, not 45 건
    assert "6위(세계)" in home and "6위 (세계)" not in home
    assert "2020 meetings" not in home and re.search(r"<td[^>]*>2020년</td>", home)

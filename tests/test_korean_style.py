"""The Korean text follows docs/korean-style.md: the interface catalogue and the fixtures' ``*_ko`` fields.

Plain file reads, no database: the terminology table is read from the style guide itself, so the
guide and this test cannot drift apart. What is checked:

- numbers are attached to their units (45건, 36개 도시, 84%, 6위, 2017년, 3곳);
- ranges in Korean text use "~", never an en dash between numbers;
- no sentence ends with a colon or puts one after a finite ending;
- no 은(는)/이(가)-style particle fallbacks;
- no form that the terminology table rejects;
- every filled English content field in the fixtures has a filled Korean twin;
- every citation is ``outlet | title | date | address``, and ``source_ko`` has the same lines with
  only the outlet changed; nothing is cut short with "…".
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
STYLE_GUIDE = ROOT / "docs" / "korean-style.md"
FIXTURES = sorted((ROOT / "fixtures").glob("*.json"))

# English content fields and their Korean twins.
TWINS = ("title", "summary", "note", "source", "description", "measures", "name", "label", "unit")

UNIT_SPACED = re.compile(r"\d\s+(?:건|개|위|%|년|곳)")
DASHED_RANGE = re.compile(r"(?:\d|%\([a-z_]+\)s)\s*[–—]\s*(?:\d|%\([a-z_]+\)s)")
COLON_AFTER_FINITE_ENDING = re.compile(r"(?:다|오|요|까)[.!?]?\s*:")
PARTICLE_FALLBACK = re.compile(
    r"은\(는\)|는\(은\)|이\(가\)|가\(이\)|을\(를\)|를\(을\)|와\(과\)|과\(와\)|\(으\)로|\(이\)라"
)
DATE = r"(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|n\.d\.)"
CITATION = re.compile(
    r"^(?P<outlet>[^|]+?) \| (?P<title>[^|]+?) \| (?P<date>" + DATE + r")(?: \| (?P<url>https?://\S+))?$"
)


def _unquote(text):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def catalogue_entries():
    """(msgid, [msgstr, ...]) for every entry of the Korean catalogue but the header."""
    entries = []
    for block in CATALOGUE.read_text(encoding="utf-8").strip().split("\n\n"):
        msgid, msgstrs, key = "", {}, None
        for line in block.splitlines():
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key, value = match.group(1), _unquote(match.group(2))
            elif line.startswith('"') and key:
                value = _unquote(line[1:-1])
            else:
                continue
            if key == "msgid":
                msgid += value
            elif key.startswith("msgstr"):
                msgstrs[key] = msgstrs.get(key, "") + value
        if msgid:
            entries.append((msgid, list(msgstrs.values())))
    return entries


def fixture_records():
    for path in FIXTURES:
        for record in json.loads(path.read_text(encoding="utf-8")):
            yield path.name, record


def korean_texts(include_sources=True):
    """(where, text) for every msgstr and every filled ``*_ko`` fixture field."""
    for msgid, msgstrs in catalogue_entries():
        for msgstr in msgstrs:
            yield f"msgstr of {msgid!r}", msgstr
    for name, record in fixture_records():
        for field, value in record["fields"].items():
            if field.endswith("_ko") and isinstance(value, str) and value:
                if field == "source_ko" and not include_sources:
                    continue
                yield f"{name} {record['model']} {record['fields'].get('slug', '')} {field}", value


def rejected_forms():
    """The "Not used" column of the style guide's terminology table: {form: the Korean to use}."""
    text = STYLE_GUIDE.read_text(encoding="utf-8")
    section = text.split("## Terminology", 1)[1].split("\n## ", 1)[0]
    rejected = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("English", "---"):
            continue
        for form in re.findall(r"`([^`]+)`", cells[2]):
            rejected[form] = cells[1]
    return rejected


def test_the_style_guide_has_a_terminology_table():
    rejected = rejected_forms()
    assert {"교류 도시", "마스터플랜", "국제 순위", "서울에 있는 국제기구"} <= set(rejected)


def test_numbers_are_attached_to_their_units():
    found = [f"{where}: {text}" for where, text in korean_texts() if UNIT_SPACED.search(text)]
    assert not found, "\n".join(found)


def test_ranges_use_a_tilde_not_a_dash():
    # Citation titles stay in their own language, so source_ko is left out here.
    found = [f"{where}: {text}" for where, text in korean_texts(include_sources=False) if DASHED_RANGE.search(text)]
    assert not found, "\n".join(found)


def test_no_sentence_ends_with_a_colon():
    found = [f"{where}: {text}" for where, text in korean_texts() if COLON_AFTER_FINITE_ENDING.search(text)]
    assert not found, "\n".join(found)


def test_every_colon_ended_msgstr_is_a_noun_label():
    for _msgid, msgstrs in catalogue_entries():
        for msgstr in msgstrs:
            if msgstr.rstrip().endswith(":"):
                assert len(msgstr) < 40 and not re.search(r"[.!?]", msgstr), msgstr


def test_no_particle_fallbacks():
    found = [f"{where}: {text}" for where, text in korean_texts() if PARTICLE_FALLBACK.search(text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("form", sorted(rejected_forms()))
def test_rejected_terms_do_not_appear(form):
    use = rejected_forms()[form]
    # Citation titles stay in their own language (a press title may say 호치민), so source_ko is left out.
    found = [f"{where}: {text}" for where, text in korean_texts(include_sources=False) if form in text]
    assert not found, f"“{form}” is not used (write {use}):\n" + "\n".join(found)


def test_every_filled_english_content_field_has_a_korean_twin():
    missing = []
    for name, record in fixture_records():
        fields = record["fields"]
        for field in TWINS:
            filled = f"{field}_ko" in fields and str(fields.get(field) or "").strip()
            if filled and not str(fields[f"{field}_ko"] or "").strip():
                missing.append(f"{name} {record['model']} {fields.get('slug', '')}: {field}_ko")
    assert not missing, "\n".join(missing)


def test_no_text_in_the_data_is_cut_short():
    cut = [
        f"{name} {record['model']} {field}"
        for name, record in fixture_records()
        for field, value in record["fields"].items()
        if isinstance(value, str) and ("…" in value or "..." in value)
    ]
    assert not cut, "\n".join(cut)


def test_citations_are_outlet_title_date_address_and_the_korean_lines_match():
    problems = []
    for name, record in fixture_records():
        fields = record["fields"]
        if "source" not in fields:
            continue
        where = f"{name} {record['model']} {fields.get('slug', '')}"
        english = fields["source"].split("\n")
        korean = fields.get("source_ko", "").split("\n")
        if len(english) != len(korean):
            problems.append(f"{where}: {len(english)} source lines but {len(korean)} source_ko lines")
            continue
        for line, line_ko in zip(english, korean, strict=True):
            match, match_ko = CITATION.match(line), CITATION.match(line_ko)
            if not match or not match_ko:
                problems.append(f"{where}: not outlet | title | date | address: {line if not match else line_ko}")
                continue
            for part in ("title", "date", "url"):
                if match.group(part) != match_ko.group(part):
                    problems.append(f"{where}: the {part} differs between source and source_ko: {line}")
    assert not problems, "\n".join(problems)


def test_key_figure_units_in_korean_have_no_number_and_no_spaces_around():
    for _name, record in fixture_records():
        if record["model"] == "projects.keyfigure" and record["fields"].get("unit_ko"):
            unit = record["fields"]["unit_ko"]
            assert unit == unit.strip() and not re.search(r"\d", unit), unit


# The review's catalogue items (docs/korean-style.md, "The December 2026 review"): the fixed wording stays.
REVIEWED = {
    "Korean label": "항목명(한국어)",
    "e.g. policies, cities, %": "예: policies, cities, %",
    "edition year": "회차 연도",
    "documented (published) cases": "공개된 수록 사례 수",
    "same as %(rank)s in %(year)s, the previous edition with data": "%(rank)s 유지(직전 자료 회차인 %(year)s년과 같음)",
    "Seoul's partner cities": "서울의 협력도시",
    "Documented here": "이 누리집 수록",
    "In Seoul since": "서울 사무소 개소 연도",
    "UN associations": "유엔협회",
    "Law and justice": "법률·사법",
    "Rankings": "국제 도시 순위",
}


@pytest.mark.parametrize("msgid", sorted(REVIEWED))
def test_reviewed_catalogue_entries_keep_their_fixed_wording(msgid):
    msgstrs = dict(catalogue_entries())[msgid]
    assert REVIEWED[msgid] in msgstrs

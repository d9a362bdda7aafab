"""The Korean interface catalogue: complete, in step with the source, and used when rendering in Korean.

- Every entry of ``locale/ko/LC_MESSAGES/django.po`` is translated, none is fuzzy, and it compiles.
- ``makemessages`` run over the source finds no string that the committed catalogue lacks, so a new
  interface string cannot reach the site untranslated. When it fails, update the catalogue with
  ``.venv/bin/python manage.py makemessages -l ko --ignore=.venv --ignore=node_modules
  --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete`` and translate the new entries.
- Pages rendered in Korean with the compiled catalogue say Korean things; in English they say what
  they always said, with plurals right.

The catalogue is compiled into a temporary folder here, so these tests do not depend on a ``.mo``
file being built or on ``LOCALE_PATHS`` pointing anywhere in particular.
"""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from core.i18n import ordinal_display, rank_display

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
# Folders makemessages leaves out (the same as the documented makemessages command).
IGNORED = {".venv", "node_modules", "staticfiles", "tests", "bench", "locale"}
HANGUL = re.compile("[\uac00-\ud7a3]")
# Translations that are pure punctuation or markup around placeholders, rightly without Hangul.
NO_HANGUL_NEEDED = {
    "%(name)s, %(country)s",
    ", %(country)s",  # after a place's name: "(태국)"
    "%(rank)s (%(scope)s)",  # "6위(세계)"
    'CSV<span class="sr-only"> of %(title)s</span>',
    'JSON<span class="sr-only"> of %(title)s</span>',
}


def _unquote(text):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path):
    """The entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr (a list) and flags."""
    entries = []
    for block in Path(path).read_text(encoding="utf-8").strip().split("\n\n"):
        entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [], "flags": set(), "obsolete": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if key == "msgstr":
                    entry["msgstr"][-1] += _unquote(line)
                else:
                    entry[key] += _unquote(line)
            else:
                match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
                assert match, f"cannot read this line of {path}: {line!r}"
                key, value = match.groups()
                if key.startswith("msgstr"):
                    key = "msgstr"
                    entry["msgstr"].append(_unquote(value))
                else:
                    entry[key] = _unquote(value)
        entries.append(entry)
    return entries


def messages(entries):
    """The translatable entries (the header, whose msgid is empty, left out)."""
    return [entry for entry in entries if entry["msgid"]]


def key(entry):
    return (entry["msgctxt"], entry["msgid"], entry["msgid_plural"])


def describe(keys):
    return "\n".join(f"  {msgid!r}" + (f" (context {ctx!r})" if ctx else "") for ctx, msgid, _ in sorted(keys, key=str))


@pytest.fixture(scope="module")
def catalogue():
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing"
    return parse_po(CATALOGUE)


def test_the_header_names_korean_with_its_single_plural_form(catalogue):
    header = catalogue[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: ko\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"][0]


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    entries = messages(catalogue)
    assert len(entries) > 300
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    empty = [entry["msgid"] for entry in entries if not entry["msgstr"] or not all(entry["msgstr"])]
    obsolete = [entry["msgid"] for entry in entries if entry["obsolete"]]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not empty, f"untranslated entries: {empty}"
    assert not obsolete, f"obsolete entries (run makemessages with --no-obsolete): {obsolete}"
    plural_forms = {len(entry["msgstr"]) for entry in entries if entry["msgid_plural"]}
    assert plural_forms == {1}, "Korean has a single plural form: msgstr[0] only"


def test_every_translation_is_korean(catalogue):
    """A msgstr copied from its msgid is not a translation."""
    not_korean = [
        entry["msgid"]
        for entry in messages(catalogue)
        if entry["msgid"] not in NO_HANGUL_NEEDED and not all(HANGUL.search(text) for text in entry["msgstr"])
    ]
    assert not not_korean, f"translations without Korean: {not_korean}"


def test_every_translation_keeps_the_placeholders_and_markup(catalogue):
    for entry in messages(catalogue):
        for text in entry["msgstr"]:
            source = entry["msgid_plural"] or entry["msgid"]
            assert sorted(re.findall(r"%\(\w+\)[sd]", text)) == sorted(re.findall(r"%\(\w+\)[sd]", source)), entry
            assert sorted(re.findall(r"</?\w+", text)) == sorted(re.findall(r"</?\w+", source)), entry


@pytest.fixture
def compiled_locale(tmp_path, settings, monkeypatch):
    """The committed catalogue compiled (with msgfmt's format checks) into a temporary LOCALE_PATHS.

    compilemessages compiles every ``locale`` folder under the current one, so it runs in the
    temporary folder (never in the repository). Changing LOCALE_PATHS resets Django's translation
    caches, here and again when the settings fixture restores it.
    """
    locale = tmp_path / "locale"
    (locale / "ko" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE, locale / "ko" / "LC_MESSAGES" / "django.po")
    settings.LOCALE_PATHS = [str(locale)]
    with monkeypatch.context() as patch:
        patch.chdir(tmp_path)
        call_command("compilemessages", locale=["ko"], verbosity=0)
    assert (locale / "ko" / "LC_MESSAGES" / "django.mo").exists()
    return locale


def test_makemessages_finds_nothing_new(tmp_path, settings, monkeypatch):
    """makemessages over a mirror of the source (symlinks), into a copy of the catalogue: no new msgid."""
    mirror = tmp_path / "source"
    mirror.mkdir()
    for item in ROOT.iterdir():
        if item.name not in IGNORED and not item.name.startswith("."):
            (mirror / item.name).symlink_to(item, target_is_directory=item.is_dir())
    (mirror / "locale" / "ko" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE, mirror / "locale" / "ko" / "LC_MESSAGES" / "django.po")
    settings.LOCALE_PATHS = [str(mirror / "locale")]
    monkeypatch.chdir(mirror)
    call_command("makemessages", locale=["ko"], symlinks=True, no_obsolete=True, verbosity=0)

    committed = {key(entry) for entry in messages(parse_po(CATALOGUE))}
    found = {key(entry) for entry in messages(parse_po(mirror / "locale" / "ko" / "LC_MESSAGES" / "django.po"))}
    assert len(found) > 300, "makemessages found too few strings: did it scan the source?"
    new = found - committed
    assert not new, (
        "Strings marked for translation that locale/ko/LC_MESSAGES/django.po lacks; run makemessages "
        "(the command is in this module's docstring) and translate them:\n" + describe(new)
    )


def render_page(template_name, **context):
    request = RequestFactory().get("/nowhere/")
    return render_to_string(template_name, {"request_path": "/nowhere/", **context}, request=request)


@pytest.mark.django_db
def test_pages_render_in_korean_with_the_catalogue(compiled_locale):
    with translation.override("ko"):
        html = render_page("404.html")
        server_error = render_to_string("500.html")
    for text in (
        "본문 바로가기",
        "이 누리집은 서울특별시 공식 누리집입니다.",
        "페이지를 찾을 수 없습니다",
        "서울 도시외교",
        ">사례</a>",  # the main menu
        "공공데이터",
        "(04524) 서울특별시 중구 세종대로 110 서울특별시청",
    ):
        assert text in html, text
    assert "Go to main content" not in html and "Page not found" not in html
    assert "서버에 문제가 발생했습니다" in server_error


@pytest.mark.django_db
def test_pages_stay_english_in_english(compiled_locale):
    with translation.override("en"):
        html = render_page("404.html")
    assert "Go to main content" in html and "Page not found" in html and "본문" not in html


def list_status(language, **context):
    """The include above every filtered list, rendered on its own, whitespace squeezed."""
    context = {"noun": "case", "result_count": 0, "clear_url": "/cases/", "unknown_parameters": [], **context}
    with translation.override(language):
        html = Template('{% include "includes/_list_status.html" %}').render(Context(context))
    return re.sub(r"\s+", " ", html)


@pytest.mark.parametrize(
    ("noun", "count", "text"),
    [
        ("case", 1, "<strong>1</strong> case matches."),
        ("case", 0, "<strong>0</strong> cases match."),
        ("case", 12, "<strong>12</strong> cases match."),
        ("city", 1, "<strong>1</strong> city matches."),
        ("city", 3, "<strong>3</strong> cities match."),
        ("organization", 2, "<strong>2</strong> organizations match."),
    ],
)
def test_result_counts_agree_with_their_number_in_english(noun, count, text):
    assert text in list_status("en", noun=noun, result_count=count)


def test_unknown_parameters_agree_with_their_number_in_english():
    assert "Ignored 1 unknown parameter: <code>x</code>." in list_status("en", unknown_parameters=["x"])
    assert "Ignored 2 unknown parameters: <code>x</code>, <code>y</code>." in list_status(
        "en", unknown_parameters=["x", "y"]
    )


def test_result_counts_in_korean(compiled_locale):
    assert "사례 <strong>12</strong>건이 검색되었습니다." in list_status("ko", result_count=12)
    assert "도시 <strong>1</strong>곳이 검색되었습니다." in list_status("ko", noun="city", result_count=1)
    assert "알 수 없어 무시한 매개변수 2개: <code>x</code>, <code>y</code>." in list_status(
        "ko", unknown_parameters=["x", "y"]
    )


def test_ranks_read_as_each_language_writes_them(compiled_locale):
    with translation.override("en"):
        assert [ordinal_display(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
            "1st",
            "2nd",
            "3rd",
            "4th",
            "11th",
            "12th",
            "13th",
            "21st",
            "22nd",
            "101st",
            "111th",
        ]
        assert rank_display(6, 42) == "6th of 42"
        assert rank_display(6) == "6th"
    with translation.override("ko"):
        assert ordinal_display(6) == "6위"
        assert rank_display(6, 42) == "42개 도시 중 6위"
        assert rank_display(6) == "6위"

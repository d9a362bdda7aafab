"""Pretendard GOV in unicode-range slices (scripts/build_fonts.py): a page downloads only the glyphs it shows.

A browser fetches a slice when the page has a character in its unicode-range. These tests read the same
@font-face rules the browser does and check that they are complete, that the text the site ships falls in
the small slices (a new Korean string without a re-run of the script would fall in the big "rest" one),
and that pages need a small part of the 530 KB the two whole font files were.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "static"
FACE_RE = re.compile(r"@font-face\s*\{([^}]*)\}")
WHOLE_FONTS = ["PretendardGOV-Regular.subset.woff2", "PretendardGOV-Bold.subset.woff2"]


def faces():
    """[(family, weight, file name, set of code points)] of static/css/site-krds.css, the sheet pages link."""
    css = (STATIC / "css" / "site-krds.css").read_text(encoding="utf-8")
    result = []
    for body in FACE_RE.findall(css):
        family = re.search(r'font-family:\s*"([^"]+)"', body).group(1)
        weight = re.search(r"font-weight:\s*(\d+)", body)
        src = re.search(r"url\(\.\./fonts/([^)]+)\)", body)
        codepoints = set()
        for part in re.search(r"unicode-range:\s*([^;]+);", body).group(1).split(","):
            low, _, high = part.strip().removeprefix("U+").partition("-")
            codepoints.update(range(int(low, 16), int(high or low, 16) + 1))
        result.append((family, weight and int(weight.group(1)), src and src.group(1), codepoints))
    return result


def slices(weight):
    return [(name, cps) for family, w, name, cps in faces() if family == "Pretendard GOV" and w == weight]


def needed(text, weight):
    """The slice files a browser fetches for ``text`` in ``weight``, with their sizes."""
    chars = {ord(ch) for ch in text}
    return {name: (STATIC / "fonts" / name).stat().st_size for name, cps in slices(weight) if chars & cps}


class TextOf(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in {"script", "style"}
        self.parts += [value for key, value in attrs if key in {"alt", "title", "placeholder", "value"} and value]

    def handle_endtag(self, tag):
        self.skip -= tag in {"script", "style"}

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(html):
    parser = TextOf()
    parser.feed(html)
    return "".join(parser.parts)


@pytest.mark.parametrize("weight", [400, 700])
def test_slices_cover_the_whole_font_without_overlapping(weight):
    from fontTools.ttLib import TTFont

    whole = set(TTFont(STATIC / "krds" / "fonts" / WHOLE_FONTS[weight == 700]).getBestCmap())
    seen = set()
    for name, codepoints in slices(weight):
        assert (STATIC / "fonts" / name).is_file(), name
        assert not seen & codepoints, f"{name} overlaps another slice: the browser could fetch both"
        seen |= codepoints
    assert seen == whole


def test_the_sites_text_is_in_the_small_slices():
    catalogue = (Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    text = "".join(re.findall(r'^msgstr(?:\[\d\])? "(.*)"', catalogue, flags=re.M))
    for path in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"):
        text += json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)

    for weight in (400, 700):
        assert not any("rest" in name for name in needed(text, weight)), "re-run scripts/build_fonts.py"


@pytest.mark.parametrize(("url", "most_bytes"), [("/", 30_000), ("/cases/", 60_000), ("/ko/", 80_000)])
def test_a_page_needs_a_small_part_of_the_font(client, shipped_data, url, most_bytes):
    """The regular weight a page needs, against the 263 KB of the whole regular font file."""
    regular = needed(page_text(client.get(url).content.decode()), 400)

    assert sum(regular.values()) <= most_bytes, regular


def test_text_before_the_font_takes_the_same_room():
    css = (STATIC / "css" / "site-krds.css").read_text(encoding="utf-8")
    web_fonts = [body for body in FACE_RE.findall(css) if '"Pretendard GOV"' in body]
    fallbacks = [body for body in FACE_RE.findall(css) if '"Pretendard GOV Fallback"' in body]

    assert web_fonts and all("font-display: optional" in body for body in web_fonts)  # never swapped later
    assert fallbacks and all("size-adjust" in body and "local(" in body for body in fallbacks)
    assert re.search(r'--krds-typo-font-type:\s*"Pretendard GOV", "Pretendard GOV Fallback"', css)
    assert (STATIC / "css" / "fonts.css").read_text(encoding="utf-8") in css  # site-krds.css is up to date

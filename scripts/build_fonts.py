"""Slice the vendored Pretendard GOV fonts by unicode-range, so that a page downloads only the glyphs it uses.

Usage: .venv/bin/python scripts/build_fonts.py   (fontTools and brotli: the project's dev dependencies)

Reads static/krds/fonts/PretendardGOV-{Regular,Bold}.subset.woff2 (as scripts/vendor_krds.sh left them:
3,728 characters, 2,780 of them Hangul syllables, 263 KB and 267 KB) and writes, for each weight:

- ``latin``: Basic Latin, Latin-1 and general punctuation (Google Fonts' "latin" range): every English page.
- ``ko-0``: the Hangul of the language switcher (settings.LANGUAGES: "한국어"), shown on every page.
- ``ko-1`` ... ``ko-N``: the other characters the site's text uses (the Korean interface catalogue, the
  shipped fixtures, Hangul in templates and code), most frequent first (the interface's counted 20 times,
  since every Korean page shows it), ``CHUNK`` to a slice (two today): a Korean page needs both, an
  English page naming a Korean city one or both. Not smaller: every font file that arrives makes the
  browser lay the page out again, and with slices of 100 a Korean page fetched 18 files and spent
  300-1,300 ms of Lighthouse's total blocking time doing so (bench/README.md, Lighthouse).
- ``rest``: every other character the font has, for text staff write later: loaded only by a page that
  has one of them.

The ranges do not overlap, so a browser downloads exactly the slices whose characters are on the page.
Writes the slices to static/fonts/ and their @font-face rules to static/css/fonts.css, with
``font-display: optional`` (never a swap after the first paint: no layout shift from fonts) and a
"Pretendard GOV Fallback" family whose size-adjust and ascent/descent overrides make the phone's own
fonts take the same room as Pretendard GOV while it loads or if it does not come in time.
Re-run after changing the catalogue or the fixtures; the output is deterministic.
"""

import ast
import json
import re
import sys
from collections import Counter
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "krds" / "fonts"
FONTS = {400: "PretendardGOV-Regular.subset.woff2", 700: "PretendardGOV-Bold.subset.woff2"}
OUT_FONTS = ROOT / "static" / "fonts"
OUT_CSS = ROOT / "static" / "css" / "fonts.css"
CHUNK = 300
FAMILY = "Pretendard GOV"

# Google Fonts' "latin" unicode-range.
LATIN = [(0x0000, 0x00FF), (0x0131, 0x0131), (0x0152, 0x0153), (0x02BB, 0x02BC), (0x02C6, 0x02C6)]
LATIN += [(0x02DA, 0x02DA), (0x02DC, 0x02DC), (0x0304, 0x0304), (0x0308, 0x0308), (0x0329, 0x0329)]
LATIN += [(0x2000, 0x206F), (0x20AC, 0x20AC), (0x2122, 0x2122), (0x2191, 0x2191), (0x2193, 0x2193)]
LATIN += [(0x2212, 0x2212), (0x2215, 0x2215), (0xFEFF, 0xFEFF), (0xFFFD, 0xFFFD)]

# Fallback metrics. Pretendard GOV's Hangul syllables advance 1770/2048 em; Noto Sans CJK KR's (Android)
# and Noto Sans KR's 920/1000 em (by design, notofonts/noto-cjk#129), Apple SD Gothic Neo's about the same.
# Its Latin is measured against Liberation Sans, metric-compatible with Arial (and close to Helvetica and
# Roboto), over English letter frequencies.
HANGUL_FALLBACK = ["Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic"]
HANGUL_FALLBACK_ADVANCE = 0.92
LATIN_FALLBACK = ["Arial", "Helvetica Neue", "Helvetica", "Roboto", "Liberation Sans"]
LATIN_REFERENCE = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
ENGLISH = "etaoinshrdlcumwfgypbvkjxqz"  # most frequent first
ENGLISH_WEIGHTS = [12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0, 2.0]
ENGLISH_WEIGHTS += [1.9, 1.5, 1.0, 0.8, 0.2, 0.2, 0.1, 0.1]


def in_ranges(codepoint, ranges):
    return any(low <= codepoint <= high for low, high in ranges)


def site_text():
    """Character counts of what the site shows: interface strings (weighted), fixtures, templates, code."""
    counts = Counter()
    catalogue = (ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', catalogue, flags=re.M)
    for block in msgstrs:
        for _ in range(20):
            counts.update("".join(ast.literal_eval(line) for line in block.split("\n") if line))
    for path in sorted((ROOT / "fixtures").glob("*.json")):
        counts.update(json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False))
    code = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/jinja2/**/*.html")]
    for app in ("core", "listing", "projects", "rankings", "pages", "dataio", "search", "seoul_diplomacy"):
        code += [p for p in (ROOT / app).glob("**/*.py") if "migrations" not in p.parts]
    for path in sorted(code):
        counts.update(path.read_text(encoding="utf-8"))
    return counts


def switcher_text():
    settings = (ROOT / "seoul_diplomacy" / "settings" / "base.py").read_text(encoding="utf-8")
    languages = re.search(r"^LANGUAGES = (\[.*\])$", settings, flags=re.M)
    return "".join(name for _, name in ast.literal_eval(languages.group(1)))


def slices(cmap):
    """[(name, sorted code points)] for the font's ``cmap``, disjoint, covering all of it."""
    available = set(cmap)
    latin = sorted(c for c in available if in_ranges(c, LATIN))
    taken = set(latin)
    result = [("latin", latin)]
    ko0 = sorted({ord(ch) for ch in switcher_text()} & available - taken)
    taken |= set(ko0)
    result.append(("ko-0", ko0))
    counts = site_text()
    used = [ord(ch) for ch, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    used = [c for c in used if c in available and c not in taken]
    for start in range(0, len(used), CHUNK):
        result.append((f"ko-{start // CHUNK + 1}", sorted(used[start : start + CHUNK])))
    taken |= set(used)
    result.append(("rest", sorted(available - taken)))
    return result


def unicode_range(codepoints):
    spans, start, prev = [], None, None
    for c in codepoints:
        if start is None:
            start = prev = c
        elif c == prev + 1:
            prev = c
        else:
            spans.append((start, prev))
            start = prev = c
    if start is not None:
        spans.append((start, prev))
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)


def subset_font(source, codepoints, target):
    options = subset.Options()
    options.flavor = "woff2"
    # fontTools' default features (kerning, marks, contextual forms, fractions, tabular figures...): no
    # stylistic sets or character variants, which the CSS never asks for and which pull in extra glyphs.
    options.layout_features += ["tnum"]
    options.name_IDs = ["*"]  # the licence and copyright notices stay with the glyphs
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(source, recalcTimestamp=False)  # the same bytes on every run
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(target)


def average_latin_advance(font):
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    total = sum(w * hmtx[cmap[ord(ch)]][0] for ch, w in zip(ENGLISH, ENGLISH_WEIGHTS, strict=True))
    return total / sum(ENGLISH_WEIGHTS) / upm


def fallback_faces(regular):
    cmap, hmtx, upm = regular.getBestCmap(), regular["hmtx"], regular["head"].unitsPerEm
    hhea = regular["hhea"]
    hangul = [hmtx[cmap[c]][0] for c in cmap if 0xAC00 <= c <= 0xD7A3]
    hangul_adjust = sum(hangul) / len(hangul) / upm / HANGUL_FALLBACK_ADVANCE
    faces = []
    ranges = [(hangul_adjust, HANGUL_FALLBACK, "U+1100-11FF, U+3130-318F, U+AC00-D7A3")]
    if LATIN_REFERENCE.is_file():
        latin_adjust = average_latin_advance(regular) / average_latin_advance(TTFont(LATIN_REFERENCE))
        ranges.append((latin_adjust, LATIN_FALLBACK, unicode_range(sorted(c for c in cmap if in_ranges(c, LATIN)))))
    else:
        sys.exit(f"{LATIN_REFERENCE} is missing (Debian: fonts-liberation): needed to measure the Latin fallback")
    for adjust, families, codepoints in ranges:
        sources = ", ".join(f'local("{name}")' for name in families)
        faces.append(
            "@font-face {\n"
            f'  font-family: "{FAMILY} Fallback";\n'
            f"  src: {sources};\n"
            f"  size-adjust: {adjust * 100:.2f}%;\n"
            f"  ascent-override: {hhea.ascent / upm / adjust * 100:.2f}%;\n"
            f"  descent-override: {-hhea.descent / upm / adjust * 100:.2f}%;\n"
            f"  line-gap-override: {hhea.lineGap / upm / adjust * 100:.2f}%;\n"
            f"  unicode-range: {codepoints};\n"
            "}"
        )
    return faces


def main():
    OUT_FONTS.mkdir(parents=True, exist_ok=True)
    for old in OUT_FONTS.glob("pretendard-gov-*.woff2"):
        old.unlink()
    regular = TTFont(SOURCE / FONTS[400])
    plan = slices(regular.getBestCmap())
    faces, sizes = [], {}
    for weight, name in FONTS.items():
        for slice_name, codepoints in plan:
            target = OUT_FONTS / f"pretendard-gov-{weight}-{slice_name}.woff2"
            subset_font(SOURCE / name, codepoints, target)
            sizes[target.name] = target.stat().st_size
            faces.append(
                "@font-face {\n"
                f'  font-family: "{FAMILY}";\n'
                "  font-style: normal;\n"
                f"  font-weight: {weight};\n"
                "  font-display: optional;\n"
                f'  src: url(../fonts/{target.name}) format("woff2");\n'
                f"  unicode-range: {unicode_range(codepoints)};\n"
                "}"
            )
    header = (
        "/* Pretendard GOV 1.309 (SIL Open Font License 1.1), sliced by unicode-range."
        " Generated by scripts/build_fonts.py: do not edit, re-run it. */"
    )
    OUT_CSS.write_text("\n".join([header, *faces, *fallback_faces(regular)]) + "\n", encoding="utf-8")
    for slice_name, codepoints in plan:
        row = ", ".join(f"{sizes[f'pretendard-gov-{w}-{slice_name}.woff2']:,} B" for w in FONTS)
        print(f"{slice_name:8} {len(codepoints):5} characters: {row}")
    print(f"{OUT_CSS.relative_to(ROOT)}: {OUT_CSS.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

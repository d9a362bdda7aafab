"""Language-aware pieces of text that gettext alone cannot build: ranks as ordinals.

English says "6th" and "6th of 42"; Korean says "6위" and "42개 도시 중 6위". The ordinal is not a
catalogue string (English needs a suffix chosen by the number's last digits), so it is built here for
the active language; the "of" phrase is a catalogue string.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def ordinal_en(number):
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th..."""
    number = int(number)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def ordinal_display(number):
    """A rank as the active language writes it: '6th' in English, '6위' in Korean."""
    return f"{int(number)}위" if is_korean() else ordinal_en(number)


def rank_display(rank, cities_ranked=None):
    """'6th of 42' where the number of cities ranked is known, else '6th' (in the active language)."""
    ordinal = ordinal_display(rank)
    if not cities_ranked:
        return ordinal
    # Translators: a city's rank among the cities an index ranked, e.g. "6th of 42"; ordinal is "6th".
    return _("%(ordinal)s of %(count)s") % {"ordinal": ordinal, "count": cities_ranked}


def year_display(year):
    """A year as the active language writes it alone: '2017' in English, '2017년' in Korean."""
    return f"{int(year)}년" if is_korean() else str(int(year))


def year_ranges(years):
    """[2012, 2013, 2014, 2015, 2024, 2025] -> '2012–2015, 2024, 2025' in English and
    '2012~2015년, 2024년, 2025년' in Korean (runs of three or more joined)."""
    years = sorted(set(years))
    runs = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    korean = is_korean()
    suffix = "년" if korean else ""
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}{'~' if korean else '–'}{run[-1]}{suffix}")
        else:
            parts.extend(f"{year}{suffix}" for year in run)
    return ", ".join(parts)


def is_korean():
    return (get_language() or "en").split("-")[0].lower() == "ko"


def localized(obj, field):
    """``obj.<field>_ko`` on Korean pages when it has a text, else ``obj.<field>``.

    Returns (text, fallback): ``fallback`` is True when a Korean page shows the English text because
    the Korean one is missing, so that the page can mark it as English.
    """
    english = getattr(obj, field, "") or ""
    if not is_korean():
        return english, False
    korean = getattr(obj, f"{field}_ko", "") or ""
    if korean:
        return korean, False
    return english, bool(english)

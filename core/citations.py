"""Citations: the ``source`` and ``source_ko`` fields of every record, read in one place.

A field holds one citation per line: ``Outlet | Title | Date | URL``. The date is YYYY-MM-DD, YYYY-MM,
YYYY or ``n.d.``; the URL (the article itself) is optional. ``source_ko`` has the same lines with the
outlet in Korean; titles stay in their original language. A line not in this form is kept as it is
(``Citation.text``) and shown as plain text.

Which language a piece of text is in is read from its script: Hangul makes it Korean, Latin letters
without Hangul make it English. The page marks text in the other language with ``lang``.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import pgettext

from core.i18n import is_korean

DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
NO_DATE = "n.d."
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
LATIN = re.compile(r"[A-Za-z]")


def script_language(text):
    """'ko' for text with Hangul, 'en' for Latin letters without Hangul, '' for neither (numbers, signs)."""
    if HANGUL.search(text or ""):
        return "ko"
    if LATIN.search(text or ""):
        return "en"
    return ""


def lang_attribute(text, page_language):
    """The ``lang`` a piece of text needs on a page in ``page_language``: '' when it is the page's own."""
    language = script_language(text)
    return language if language and language != page_language else ""


@dataclass(frozen=True)
class Citation:
    outlet: str = ""
    title: str = ""
    date: str = ""  # as written: 2017-03-31, 2017-03, 2017 or n.d.
    url: str = ""
    text: str = ""  # a line not in the citation form, as written

    @property
    def is_structured(self):
        return not self.text

    @property
    def key(self):
        """What makes two citations the same one, whatever the language of the outlet."""
        return (self.title, self.date, self.url) if self.is_structured else (self.text,)

    @property
    def iso_date(self):
        """The date for a ``<time datetime>``: '' for n.d."""
        return self.date if DATE.match(self.date) else ""

    def date_display(self):
        """The date as the active language writes it: '13 September 2017' / '2017년 9월 13일'."""
        match = DATE.match(self.date)
        if not match:
            if self.date.lower() == NO_DATE:
                return pgettext("a citation without a date", "n.d.")
            return self.date
        year, month, day = (int(part) if part else None for part in match.group("year", "month", "day"))
        try:
            if day:
                value = datetime.date(year, month, day)
                return date_format(value, pgettext("Django date format: day month year", "j F Y"))
            if month:
                value = datetime.date(year, month, 1)
                return date_format(value, pgettext("Django date format: month year", "F Y"))
        except ValueError:
            return self.date
        return pgettext("a citation's date: a year alone", "%(year)s") % {"year": year}


def parse_line(line):
    """One line as a Citation: structured when it has an outlet, a title and a known date form."""
    line = line.strip()
    parts = [part.strip() for part in line.split("|")]
    if len(parts) in (3, 4) and parts[0] and parts[1] and (DATE.match(parts[2]) or parts[2].lower() == NO_DATE):
        url = parts[3] if len(parts) == 4 else ""
        if not url or re.match(r"^https?://\S+$", url):
            return Citation(outlet=parts[0], title=parts[1], date=parts[2], url=url)
    return Citation(text=line)


def parse(text):
    """Every non-empty line of a source field as a Citation, in order."""
    return [parse_line(line) for line in (text or "").splitlines() if line.strip()]


def for_page(obj, field="source"):
    """(citations, fallback) in the active language: ``<field>_ko`` on Korean pages where it is filled.

    ``fallback`` is True when a Korean page shows the English field because the Korean one is empty.
    """
    english = getattr(obj, field, "") or ""
    if not is_korean():
        return parse(english), False
    korean = getattr(obj, f"{field}_ko", "") or ""
    if korean.strip():
        return parse(korean), False
    return parse(english), bool(english.strip())


@dataclass
class SharedCitation:
    citation: Citation
    records: list  # the records it supports, in the order given


def split_shared(records, field="source", minimum=2):
    """Sources of a table's rows, each shown once: ``(own, shared)``.

    ``own`` maps each record's index in ``records`` to the citations only it (or fewer than ``minimum``
    rows) cites; ``shared`` lists the citations that ``minimum`` or more rows cite, each once, in the
    order first met, with the records it supports. Citations are read in the page's language.
    """
    parsed = [for_page(record, field)[0] for record in records]
    counts = {}
    for citations in parsed:
        for key in {citation.key for citation in citations}:
            counts[key] = counts.get(key, 0) + 1
    shared = {}
    own = {}
    for position, (record, citations) in enumerate(zip(records, parsed, strict=True)):
        own[position] = []
        for citation in citations:
            if counts[citation.key] >= minimum:
                entry = shared.setdefault(citation.key, SharedCitation(citation, []))
                if record not in entry.records:
                    entry.records.append(record)
            else:
                own[position].append(citation)
    return own, list(shared.values())

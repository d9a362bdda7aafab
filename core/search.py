"""The site's text search: one normalised search column per searchable model, and how a query matches it.

A row's ``search_text`` holds its words, lowercased and without accents ("Bogotá," → "bogota"), English and
Korean, one space between each, in three sections: its own names (a case's titles, a city's names), its
description (a case's summary), then the names of what it belongs to (a case's sector, category, country
and cities). The sections are separated by characters a word never holds ("\\n", "\\t"), so a match can be
ranked by the section it falls in. A word is a run of letters and digits ("100%" → "100"), hyphens kept
inside it ("e-government", followed by its parts "e" and "government"). A Korean word is followed by every
ending of it two syllables or longer ("서울시의" gives "서울시의 울시의 시의"), so that a Korean word found
anywhere inside a longer one is found at the start of one of them.

A query is split into words the same way; a row matches when, for every query word, one of its words starts
with it: "transport" finds "transportation", "bogota" finds "Bogotá", "교통" finds "서울시의 교통카드" (through
"교통카드"), "상수도" finds "상수도관리" and "수도" finds it too (through "수도관리").

On PostgreSQL the words are read through a GIN index on a ``search_words`` column (a ``tsvector`` made from
``search_text`` by PostgreSQL itself, see ``WordIndex``), where every word of the names and of the description
is also present tagged with its section ("~n" + word, "~b" + word): a query asks for ``'word':*``; the best
matches are read a score at a time (``ordered_keys``), without ranking every row that holds a common word;
a count above 1,000 is the planner's estimate (``count``). A model may also keep a narrow table beside it
(``NarrowWords``: its sort keys and the words of its names), from which a level of the names is sorted, reading
many narrow rows to a page rather than a few wide ones; the words of its names in each of its list's orders
(``NamesInOrder``, ``WordsInOrder``: a row for each word with the sort keys, in a B-tree; the English pages'
title order, the Korean pages' Korean title order), from which a level of the names of one word is read a page
at a time; and it may name what its rows belong to (``register``: ``parents``), whose indexes give the rows
that hold a word only in those names in the list's order (where the model's own indexes are in another order,
a words-in-order table holding each row's parents as words gives them: ``parents_in_order``).
SQLite (``make run``) reads the same column with ``LIKE '% word%'``: the same matches, no index.

Models keep the column current in ``save()`` (``Searchable``); bulk writers (the importer, the synthetic data)
call ``refresh()`` or ``changed()``. The words column follows ``search_text`` by itself (a generated column).
"""

import contextlib
import copy
import json
import re
import string
import unicodedata

from django.core.exceptions import FieldError
from django.db import connections, models, transaction
from django.db.migrations.operations.base import Operation
from django.db.models.expressions import Col, RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import LessThan

NAME_END = "\n"  # after the names section
BODY_END = "\t"  # after the description section
SEARCH_MAX_LENGTH = 100
WORD_MAX_LENGTH = 32  # a longer word (in a text or a query) is kept as its first 32 characters
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
SPACES = re.compile(r"\s+")
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # letters and digits, with hyphens inside

# PostgreSQL: the function (created by ``WordIndex``) that makes a row's words a tsvector, the tags of the
# words of its names and of its description, and the most query words ranked a section at a time.
WORDS_FUNCTION = "search_words_v1"
WORDS_COLUMN = "search_words"
NAME_TAG = "~n"
BODY_TAG = "~b"
NARROW_WORDS_FUNCTION = "search_name_words_v1"
RANKED_WORDS_MAX = 3


def normalise(text):
    """Lowercase, accents taken off, whitespace collapsed: "  São  Paulo" → "sao paulo". Hangul is kept whole
    (NFKD splits a syllable into its letters; NFC puts them back together)."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return SPACES.sub(" ", unicodedata.normalize("NFC", stripped).casefold()).strip()


def words(text):
    """The words of ``text``, normalised, in order: "Seoul's e-Government" → ["seoul", "s", "e-government"]."""
    return [word[:WORD_MAX_LENGTH] for word in WORD.findall(normalise(text))]


def indexed_words(text):
    """The words of ``text`` as a document holds them: each word, then the parts of a hyphenated one, then
    the endings of a Korean one (two syllables or longer), so that a query word found inside finds it."""
    found = []
    for word in words(text):
        found.append(word)
        if "-" in word:
            found += word.split("-")
        for run in HANGUL.findall(word):
            start = 0 if not word.startswith(run) else 1
            found += [run[position:] for position in range(start, len(run) - 1)]
    return found


def document(names=(), body=(), related=()):
    """The ``search_text`` of a row from its names, its description and the names of what it belongs to."""
    sections = [
        " ".join(word for text in part if text for word in indexed_words(text)) for part in (names, body, related)
    ]
    return f" {sections[0]} {NAME_END} {sections[1]} {BODY_END} {sections[2]} "


def in_each_language(text):
    """What ``text()`` (e.g. ``obj.get_field_display``) says in each of the site's languages."""
    from django.conf import settings
    from django.utils import translation

    said = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            said.append(str(text()))
    return said


def terms(query):
    """The words of a query, normalised, each once: punctuation and LIKE's wildcards are not words."""
    return list(dict.fromkeys(words(query)))


def term_filter(term, field="search_text"):
    """A row holds a word starting with ``term`` (SQLite; PostgreSQL reads ``WordsMatch``)."""
    return models.Q(**{f"{field}__contains": f" {term}"})


class WordsMatch(models.Expression):
    """PostgreSQL: the row's words (its ``search_words`` column) match ``tsquery``, e.g. ``'bus':* & 'card':*``:
    the condition the GIN index serves."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, tsquery, field="search_text"):
        super().__init__()
        self.tsquery = tsquery
        self.column = models.F(field) if isinstance(field, str) else field

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        if isinstance(self.column, Col):  # the stored column beside it: ``words_column``
            words_ = f"{compiler.quote_name_unless_alias(self.column.alias)}.{connection.ops.quote_name(WORDS_COLUMN)}"
            return f"{words_} @@ %s::tsquery", [self.tsquery]
        column, params = compiler.compile(self.column)
        return f"{WORDS_FUNCTION}({column}) @@ %s::tsquery", [*params, self.tsquery]


def lexeme(word, tag=""):
    """A tsquery prefix term: ``'word':*`` (words hold letters, digits and hyphens only: nothing to escape)."""
    return f"'{tag}{word}':*"


def every_word(words_):
    return " & ".join(lexeme(word) for word in words_)


def uses_word_index(connection):
    return connection.vendor == "postgresql"


class Relevance(models.ExpressionWrapper):
    """3 points for each word found among the names, 2 in the description, 1 elsewhere: the best first.
    It remembers its words, so that ``ordered_keys`` can read a page of the best matches a section at a time."""

    def __init__(self, words_, field="search_text"):
        score = models.Value(0)
        column = models.F(field)
        for word in words_:
            position = StrIndex(column, models.Value(f" {word}"))  # > 0: the row holds it (search() filters so)
            score = score + models.Case(
                models.When(LessThan(position, StrIndex(column, models.Value(NAME_END))), then=3),
                models.When(LessThan(position, StrIndex(column, models.Value(BODY_END))), then=2),
                default=1,
                output_field=models.IntegerField(),
            )
        super().__init__(score, output_field=models.IntegerField())
        self.words = tuple(words_)
        self.column = field


def relevance(words_, field="search_text"):
    return Relevance(words_, field)


def search(queryset, query, *, annotate_as="relevance"):
    """The rows of ``queryset`` holding every word of ``query``, with ``annotate_as`` their relevance score
    (higher is better); ``queryset`` itself when the query has no word, none when it has only punctuation."""
    if not normalise(query):
        return queryset
    words_ = terms(query)
    if not words_:
        return queryset.none().annotate(**{annotate_as: models.Value(0, output_field=models.IntegerField())})
    if uses_word_index(connections[queryset.db]):
        condition = WordsMatch(every_word(words_))
    else:
        condition = models.Q()
        for word in words_:
            condition &= term_filter(word)
    return queryset.filter(condition).annotate(**{annotate_as: relevance(words_)})


# --- a page of the best matches, on PostgreSQL ------------------------------------------------------------

SECTION_POINTS = (3, 2, 1)  # names, description, elsewhere


def in_section(word, points):
    """``word`` first found in the section worth ``points`` (a tsquery)."""
    names, body, anywhere = lexeme(word, NAME_TAG), lexeme(word, BODY_TAG), lexeme(word)
    if points == 3:
        return names
    if points == 2:
        return f"{body} & !{names}"
    return f"{anywhere} & !{names} & !{body}"


def score_levels(words_):
    """For each score a row can have, best first, the tsquery of the rows that have it: with one word, its
    rows with it in their names, then in their description (not their names), then the rest."""
    combinations = [((), 0)]
    for word in words_:
        combinations = [
            (chosen + ((word, points),), total + points) for chosen, total in combinations for points in SECTION_POINTS
        ]
    levels = {}
    for chosen, total in combinations:
        condition = " & ".join(f"({in_section(word, points)})" for word, points in chosen)
        levels.setdefault(total, []).append(f"({condition})")
    return [" | ".join(levels[total]) for total in sorted(levels, reverse=True)]


def ranking_of(queryset):
    """(the ``Relevance`` the queryset is ordered by first, the rest of its order) or None."""
    order = list(queryset.query.order_by)
    if not order or not isinstance(order[0], str) or not order[0].startswith("-"):
        return None
    annotation = queryset.query.annotations.get(order[0][1:])
    if not isinstance(annotation, Relevance):
        return None
    return annotation, order[1:]


WINDOW = 1000  # the first rows of the list's order, where every score level is looked for first


def ordered_keys(queryset, item, count=None):
    """The primary keys of ``queryset[item]`` (a slice), in its order (``count``: its rows, where known).

    A search's order (relevance first) needs, read plainly, every matching row: a common word's thousands
    of rows each scored and sorted for a page of 20. On PostgreSQL with up to ``RANKED_WORDS_MAX`` words the
    page is read a score at a time instead (``score_levels``), best first, until the slice is full; the
    levels past it are not read at all (with ``WINDOW`` matches or fewer, all of them are ranked at once).
    A level (``level_keys``) is looked for among the first ``WINDOW`` rows of the list in the rest of its
    order (e.g. title, then slug), read once for every level from that order's index (``FirstRows``): a
    level that holds many rows (every case has "seoul" in its summary) fills a page there. A level that
    does not is read otherwise, without walking the title order (the rows of "상수도" are the waterworks
    cases, whose titles all sort late: looking for them in title order would read half the table): the level
    of the names from the model's words in order or its narrow table (``narrow_keys``); the level of a word
    only in the names of what the rows belong to (the sector named 상수도), parent by parent in the list's
    order (``parent_keys``); any other level, or where the model has neither, from the word index, sorted.
    For one word the first two of these are tried before the first rows are read, and so is the word index
    for a level of the description the planner expects to be small: each is a few index entries, where the
    first rows are a thousand."""
    start, stop = item.start or 0, item.stop
    ranking = ranking_of(queryset) if stop is not None else None
    if ranking is None or not uses_word_index(connections[queryset.db]) or len(ranking[0].words) > RANKED_WORDS_MAX:
        return list(queryset.values_list("pk", flat=True)[item])
    annotation = ranking[0]
    expected = {}  # score total -> the planner's estimate of that level's rows, where it was asked
    if count is not None:  # known (e.g. from the list's facet counts)
        few = count < WINDOW  # (the search page gives WINDOW for an estimated count: read by levels)
    else:
        guess, expected = expected_rows(queryset, annotation)
        few = guess < surely_more(annotation.words) * WINDOW and capped_count(queryset, WINDOW) <= WINDOW
    if few or without_words(queryset) is None:
        # few matches (or a condition the levels cannot replace): rank them all at once
        return list(queryset.values_list("pk", flat=True)[item])
    first_rows = FirstRows(queryset, expected)
    keys = []
    for total, level in zip(score_totals(annotation.words), score_levels(annotation.words), strict=True):
        if len(keys) >= stop:
            break
        keys += level_keys(queryset, first_rows, total, level, stop - len(keys))
    return keys[start:stop]


def expected_rows(queryset, annotation):
    """The planner's estimate of the rows of ``queryset`` (a search) and, for one word, of its level of the
    description and of the list it searches (``level_keys``: ``first_rows_hold_few``), asked together: one
    statement, not three."""
    words_ = annotation.words
    if len(words_) != 1 or words_condition(queryset.query.where) is None:
        return estimate(queryset), {}
    middle = SECTION_POINTS[1]
    level = narrowed(queryset, in_section(words_[0], middle), annotation.column)
    guess, in_level, in_list = estimates(queryset, level, without_words(queryset))
    return guess, {middle: (in_level, in_list)}


def surely_more(words_):
    """How many times ``WINDOW`` the planner's estimate of a search's rows must be for them to be read by
    levels without counting them first: for one word, once (its estimate is the word statistics' own,
    close, and were it high, the levels would still give the page, in at most three); for more, the
    estimate multiplies the words' frequencies as if unrelated, and a few matches read by levels could
    each be looked for in every one of up to nine levels."""
    return 1 if len(words_) == 1 else SURELY_MORE


def score_totals(words_):
    return list(range(3 * len(words_), len(words_) - 1, -1))


def level_keys(queryset, first_rows, total, level, wanted):
    """The first ``wanted`` keys, in the list's order, of the rows of ``queryset`` whose score is ``total``
    (``level``: the tsquery of those rows): for the level of the names, from the model's side tables
    (``narrow_keys``); for the level of what the rows belong to, parent by parent (``parent_keys``), where
    the model has them; else from the list's first rows when they hold that many (unless, for one word,
    the planner expects them not to: ``first_rows_hold_few``); else from the word index, sorted."""
    words_ = first_rows.annotation.words
    keys = None
    if total == SECTION_POINTS[0] * len(words_):  # every word in the names
        keys = narrow_keys(queryset, first_rows, level, wanted)
    elif total == SECTION_POINTS[-1] * len(words_):  # every word only among the names of what the row belongs to
        keys = parent_keys(queryset, first_rows, level, wanted)
    elif len(words_) == 1 and first_rows.scored is None:
        rows = narrowed(queryset, level, first_rows.annotation.column)
        in_level, in_list = first_rows.expected.get(total) or estimates(rows, first_rows.every_row)
        if first_rows_hold_few(in_level, in_list, wanted):
            # From the word index, sorted: off the title index, which the planner may still walk for a page,
            # taking the level's few rows to be spread evenly through the titles; its estimate of a level
            # (a word and not the same word in the names) can be far off: 472 rows expected, 6 there.
            with planner_without(queryset.db, "indexscan", "seqscan"):
                return list(rows.order_by(*first_rows.rest).values_list("pk", flat=True)[:wanted])
    if keys is not None:
        return keys
    keys = first_rows.keys(total)
    if len(keys) >= wanted:
        return keys[:wanted]
    # Off the title index: the planner would walk it, taking the level's rows to be spread evenly through
    # the titles, and off the sequential scan, which it takes for a level it guesses large.
    with planner_without(queryset.db, "indexscan", "seqscan"):
        rows = narrowed(queryset, level, first_rows.annotation.column)
        return list(rows.order_by(*first_rows.rest).values_list("pk", flat=True)[:wanted])


def first_rows_hold_few(in_level, in_list, wanted):
    """Whether the list's first ``WINDOW`` rows are expected to hold fewer than ``wanted`` rows of a level, the
    planner expecting ``in_level`` rows in it and ``in_list`` in the list (the level spread evenly through
    the list): then the level of one word's description is read from the word index and sorted, without
    reading the first rows for it (a Korean sector's name, in a few descriptions: none of the first 1,000)."""
    return in_level * WINDOW < wanted * in_list


def narrow_keys(queryset, first_rows, level, wanted):
    """``level_keys`` of the level of the names (``level``: every word in the names): from the model's names'
    words in order where they serve (``in_order_keys``: a few index entries, read before the list's first
    rows, which this level then need not read); else from those first rows when they hold the level's
    first ``wanted``; else from the model's narrow table (``NarrowWords``). None when it has neither, or
    they cannot sort in the list's order, or their first rows hold too few of the list's own.

    The narrow table's rows holding every word in their names are sorted in the list's order (many narrow
    rows to a page are read, not as many wide ones: a common word's names are thousands of rows), and the
    first of them are checked against the list itself (its filters: published rows, a sector...). The
    level's rows are all among the narrow table's, so the rows that pass, in that order, are its first."""
    keys = in_order_keys(queryset, first_rows, level, wanted)
    if keys is not None:
        return keys
    side = _narrow.get(queryset.model)
    if side is None or not first_rows.rest:  # (no order after relevance: nothing to sort the candidates by)
        return None
    keys = first_rows.keys(SECTION_POINTS[0] * len(first_rows.annotation.words))
    if len(keys) >= wanted:
        return keys[:wanted]
    read = 2 * wanted + NARROW_SPARE
    try:
        candidates = side.objects.using(queryset.db).filter(WordsMatch(every_word(first_rows.annotation.words), "pk"))
        with planner_without(queryset.db, "seqscan"):
            candidates = list(candidates.order_by(*first_rows.rest).values_list("pk", flat=True)[:read])
    except FieldError:  # the list's order names a field the narrow table does not have
        return None
    return checked(queryset, first_rows, level, candidates, wanted, read)


def checked(queryset, first_rows, level, candidates, wanted, read):
    """The first ``wanted`` of ``candidates`` (keys in the list's order, the first ``read`` of a side table's
    rows of the level) that are rows of the list at ``level``, or None when too few of them are and the
    side table has more (``narrow_keys``)."""
    if not candidates:
        return []
    rows = narrowed(queryset, level, first_rows.annotation.column).filter(pk__in=candidates).order_by()
    passed = set(rows.values_list("pk", flat=True))
    return passing([(key, key in passed) for key in candidates], wanted, read)


def passing(candidates, wanted, read):
    """The first ``wanted`` keys of ``candidates`` ((key, whether it is a row of the list at the level), the
    first ``read`` of a side table's rows of the level, in the list's order) that are rows of the list, or
    None when too few are and the side table has more."""
    keys = [key for key, among in candidates if among]
    if len(keys) < wanted and len(candidates) == read:  # more candidates than were read: not settled here
        return None
    return keys[:wanted]


NARROW_SPARE = 20  # candidates read from a narrow table beyond twice the rows wanted (drafts, other filters)


def in_order_keys(queryset, first_rows, level, wanted):
    """``level_keys`` of the level of the names of a one-word search from the model's words in order
    (``WordsInOrder``), or None when it has none, the list is in another order, or the word starts too many
    of its words.

    The level's rows are those with a word of their names starting with the query word; the table gives
    each such word's rows in the list's order, from its B-tree, so the first of them are read without
    reading the rest (a common word's names are thousands of rows, which the narrow table's word index
    would give unordered, each read to be sorted). They are checked against the list (its filters: published
    rows, a sector...) in the same statement, by key."""
    side = words_in_order(queryset.model, first_rows.rest)
    words_ = first_rows.annotation.words
    if side is None or len(words_) != 1:
        return None
    read = 2 * wanted + NARROW_SPARE
    candidates = side.first_keys(narrowed(queryset, level, first_rows.annotation.column), words_[0], read)
    if candidates is None:
        return None
    return passing(candidates, wanted, read)


def parent_keys(queryset, first_rows, level, wanted):
    """``level_keys`` of the level of a one-word search whose word is only among the names of what a row
    belongs to (a case's sector, country...), read parent by parent, or None where the model names no
    parents (``register``) or the word names too many.

    Such a level is most often one parent's rows (the sector whose name is the word: thousands of cases),
    which its own index gives in the list's order, a page's worth read and no more. Each parent whose
    names hold the word gives its first ``wanted`` rows of the level, in the list's order; the level's first
    rows are among them (every row of the level names one of these parents), and are sorted out of them."""
    parents = _parents.get(queryset.model)
    words_ = first_rows.annotation.words
    if parents is None or len(words_) != 1 or not first_rows.rest:
        return None
    conditions = parents(words_[0], queryset.db)
    if len(conditions) > PARENTS_MAX:
        return None
    if not conditions:
        return []
    rows = narrowed(queryset, level, first_rows.annotation.column)
    keys = parents_in_order(queryset.model, first_rows, rows, conditions, wanted)
    if keys is not None:
        return keys
    each = [
        rows.filter(condition).order_by(*first_rows.rest).values_list("pk", flat=True)[:wanted]
        for condition in conditions
    ]
    if len(each) == 1:
        return list(each[0])
    found = each[0].union(*each[1:], all=True)  # each parent's first rows, sorted together: one statement
    return list(rows.filter(pk__in=found).order_by(*first_rows.rest).values_list("pk", flat=True)[:wanted])


def parents_in_order(model, first_rows, rows, conditions, wanted):
    """``parent_keys`` from the model's words in the list's order, where they hold every one of these parents
    (``WordsInOrder.parents``), or None: each parent's first rows read from their B-tree, merged and checked
    against ``rows`` (the list at the level) in one statement.

    Why: a parent's rows are thousands (the waterworks sector's), and where the model's own indexes are in
    another order than the list's (a Korean page: the Korean title first), each parent's rows would all be
    read and sorted, or the list's whole order walked, for a page. None too when too few of the rows read
    are the list's (its other filters), to be read as before."""
    side = words_in_order(model, first_rows.rest)
    if side is None or not side.parents:
        return None
    words_ = [side.parent_word(condition) for condition in conditions]
    if None in words_:  # (a parent the table does not hold: the cities)
        return None
    read = 2 * wanted + NARROW_SPARE
    return passing(side.first_keys_of(rows, words_, read), wanted, read)


PARENTS_MAX = 6  # parents read one by one; a word naming more has its level read from the word index instead


class FirstRows:
    """The search's rows among the first ``WINDOW`` rows of its list in the rest of its order (after
    relevance), with their scores: one walk of that order's index, read once for every score level."""

    def __init__(self, queryset, expected=None):
        self.annotation, self.rest = ranking_of(queryset)
        self.every_row = without_words(queryset)  # the list without the search's condition
        self.scored = None  # [(key, score)] of the rows holding every word, in order, once read
        self.expected = expected or {}  # score total -> the planner's estimate of that level's rows, if asked

    def keys(self, total):
        """The keys of the rows scoring ``total`` among the first ``WINDOW`` rows, in order."""
        if self.scored is None:
            self.scored = self.read()
        return [key for key, score in self.scored if score == total]

    def read(self):
        # Every row of the window comes back, scored 0 unless it holds every word: the words are checked on
        # the rows the walk reads, rather than on the window's rows read a second time by key.
        words_, column = self.annotation.words, self.annotation.column
        score = models.Case(models.When(has_every_word(self.annotation), then=Relevance(words_, column)), default=0)
        window = self.every_row.order_by(*self.rest).annotate(search_score=score)
        return [(key, score) for key, score in window.values_list("pk", "search_score")[:WINDOW] if score]


@contextlib.contextmanager
def planner_without(using, *methods):
    """A transaction in which PostgreSQL's planner does not use ``methods`` ("seqscan", "indexscan"...). Inside
    another transaction (a test's, or any caller's) it is a savepoint, and a setting made for the transaction
    outlives the savepoint: they are set back as they were when the block ends."""
    names = [f"enable_{method}" for method in methods]
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        # (a target list is computed in order: each setting read before it is changed)
        reads = ", ".join(["current_setting(%s)"] * len(names))
        changes = ", ".join(["set_config(%s, 'off', true)"] * len(names))
        cursor.execute(f"SELECT {reads}, {changes}", [*names, *names])
        before = cursor.fetchone()[: len(names)]
        yield
        cursor.execute(
            "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
            [value for pair in zip(names, before, strict=True) for value in pair],
        )


def has_every_word(annotation):
    condition = models.Q()
    for word in annotation.words:
        condition &= term_filter(word, annotation.column)
    return condition


def words_condition(where):
    """The position of the search's ``WordsMatch`` among the conditions ANDed in ``where``, or None."""
    if where.connector != "AND" or where.negated:
        return None
    for position, child in enumerate(where.children):
        if isinstance(child, WordsMatch) or isinstance(getattr(child, "lhs", None), WordsMatch):
            return position
    return None


def without_words(queryset):
    """``queryset`` without the search's condition (the rows every other filter leaves), or None."""
    clone = queryset.all()
    where = clone.query.where.clone()
    position = words_condition(where)
    if position is None:
        return None
    del where.children[position]
    clone.query.where = where
    return clone


def narrowed(queryset, tsquery, column):
    """``queryset`` with its words condition (``WordsMatch``) replaced by ``tsquery``, which implies it: the
    words of a row are made once per row, not once for each condition. Its rows are read by key, in an order
    given again (``unranked``)."""
    clone = unranked(queryset)
    where = clone.query.where.clone()
    position = words_condition(where)
    if position is None:
        return clone.filter(WordsMatch(tsquery, column))
    child = where.children[position]
    replacement = copy.copy(child.lhs if not isinstance(child, WordsMatch) else child)
    replacement.tsquery = tsquery
    where.children[position] = replacement
    clone.query.where = where
    return clone


def unranked(queryset):
    """``queryset`` without its relevance scores and its order: a level's rows are all of one score, and a
    query read inside another (``parent_keys``, ``WordsInOrder``) has each of its expressions copied."""
    clone = queryset.all()
    query = clone.query
    scores = {name for name, annotation in query.annotations.items() if isinstance(annotation, Relevance)}
    query.annotations = {name: annotation for name, annotation in query.annotations.items() if name not in scores}
    if query.annotation_select_mask is not None:
        query.set_annotation_mask(set(query.annotation_select_mask) - scores)
    query.clear_ordering(force=True)
    return clone


EXACT_UP_TO = 1000


def capped_count(queryset, cap):
    """How many rows ``queryset`` has, counting no further than ``cap`` + 1. On PostgreSQL from the word index
    (a bitmap of the matches, then rows read until the cap): a plan that reads the table in its own order
    until it has met ``cap`` matches reads most of it when the matches lie late (the cases holding "교통"
    were 90 ms that way at 100,000 cases)."""
    capped = queryset.order_by()[: cap + 1]
    if not uses_word_index(connections[queryset.db]) or words_condition(queryset.query.where) is None:
        return capped.count()
    with planner_without(queryset.db, "seqscan", "indexscan"):
        return capped.count()


def count(queryset, exact_up_to=None):
    """(how many rows, whether that is an estimate): exact up to ``exact_up_to``; above, on PostgreSQL, the
    planner's estimate (from the word index's statistics), since counting every row holding a common word
    reads them all (95,000 rows at 100,000 cases: about 100 ms)."""
    exact_up_to = EXACT_UP_TO if exact_up_to is None else exact_up_to
    if not uses_word_index(connections[queryset.db]) or words_condition(queryset.query.where) is None:
        return queryset.count(), False
    guess = estimate(queryset)
    if guess >= SURELY_MORE * exact_up_to:  # far more than can be counted quickly: not counted at all
        return guess, True
    counted = capped_count(queryset, exact_up_to)
    return (max(counted, guess), True) if counted > exact_up_to else (counted, False)


SURELY_MORE = 10  # an estimate this many times the cap is taken as it is (the words' statistics are close)


def estimate(queryset):
    """The planner's estimate of how many rows ``queryset`` has (PostgreSQL; from the statistics of the words,
    which ANALYZE keeps for the GIN-indexed column): one EXPLAIN, no row read."""
    return estimates(queryset)[0]


def estimates(*querysets):
    """``estimate`` of each of ``querysets`` (of one model), from one EXPLAIN of them all: each part of a
    UNION ALL is planned as it would be alone."""
    if not uses_word_index(connections[querysets[0].db]):
        return [0] * len(querysets)
    if len(querysets) == 1:
        if querysets[0].query.is_empty():  # (``none()``: nothing to ask)
            return [0]
        plan = json.loads(querysets[0].order_by().values("pk").explain(format="json"))
        return [int(plan[0]["Plan"]["Plan Rows"])]
    parts = [queryset.order_by().values("pk") for queryset in querysets]
    each = []
    if not any(part.query.is_empty() for part in parts):
        plan = json.loads(parts[0].union(*parts[1:], all=True).explain(format="json"))[0]["Plan"]
        if plan["Node Type"] == "Gather":  # (run by parallel workers: each part whole in one, if none is split)
            plan = plan["Plans"][0]
        each = plan.get("Plans", []) if plan["Node Type"] in ("Append", "Parallel Append") else []
    if len(each) != len(parts) or any(part.get("Parallel Aware") for part in each):
        return [estimate(queryset) for queryset in querysets]  # (a part left out or split among workers)
    return [int(part["Plan Rows"]) for part in each]


class Searchable(models.Model):
    """A model with a ``search_text`` column, rebuilt from ``search_document()`` on every save."""

    # Not in the fixtures, the exports or the history (serialize=False, ``excluded_fields``): it is derived.
    search_text = models.TextField(editable=False, blank=True, default="", serialize=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.search_document()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def search_document(self):  # pragma: no cover - every searchable model defines it
        raise NotImplementedError


# model -> (its rows by primary key, ready for ``search_document()``; the rows whose text names it)
_registry = {}
_narrow = {}  # model -> the model of its narrow table (``NarrowWords``), where it has one
_parents = {}  # model -> its ``parents`` function, where it has one
_in_order = {}  # model -> its names' words in its list's orders (``WordsInOrder``s), where it keeps them
CHUNK = 1000


def words_in_order(model, order):
    """The ``WordsInOrder`` of ``model`` in the list's ``order`` (its ``order_by`` terms after relevance), or None."""
    return next((side for side in _in_order.get(model, ()) if side.serves(order)), None)


def register(model, rows, dependents=None, narrow=None, parents=None, in_order=()):
    """``rows(pks)``: a queryset of ``model``'s rows with what ``search_document()`` reads prefetched;
    ``dependents(pks)``: querysets (made by other ``rows`` functions) of the rows whose text holds these
    rows' names, e.g. a country's cities and cases; ``narrow``: the (unmanaged) model of its narrow table,
    read on PostgreSQL only (``NarrowWords`` keeps it); ``parents(word, using)``: conditions on ``model``'s
    rows (``Q``), one for each row it belongs to whose names hold a word starting with ``word``, such that
    every row holding ``word`` among the names of what it belongs to meets one of them (``parent_keys``);
    ``in_order``: the ``WordsInOrder`` of its names, one for each of its list's orders that has them
    (PostgreSQL only: ``NamesInOrder`` keeps the tables)."""
    _registry[model] = (rows, dependents or (lambda pks: []))
    if in_order:
        _in_order[model] = tuple(in_order)
    if narrow is not None:
        _narrow[model] = narrow
    if parents is not None:
        _parents[model] = parents


def changed(model, pks, *, itself=True):
    """Rebuild the search text of ``model``'s rows ``pks`` (unless ``itself`` is False: a ``save()`` did) and
    of every row whose text names them. For writes that bypass ``save()``: bulk writes, ``loaddata``."""
    if model not in _registry:
        return
    rows, dependents = _registry[model]
    pks = list(pks)
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        for queryset in [rows(chunk)] * itself + list(dependents(chunk)):
            refresh(queryset)


def refresh(rows, batch_size=CHUNK):
    """Rebuild ``search_text`` for ``rows`` (a queryset, with what ``search_document()`` reads prefetched)
    and write the ones that changed, in bulk; returns how many changed."""
    changed = []
    model = rows.model
    for row in rows.iterator(chunk_size=batch_size):
        fresh = row.search_document()
        if fresh != row.search_text:
            row.search_text = fresh
            changed.append(row)
    if changed:
        model._base_manager.bulk_update(changed, ["search_text"], batch_size=batch_size)
    return len(changed)


def fill_missing(sender=None, **kwargs):
    """Give every row of the migrated app without a search text one (post_migrate: the rows that existed
    before the column did, and any written by a migration)."""
    for model, (rows, _dependents) in _registry.items():
        fields = {field.name for field in model._meta.concrete_fields}
        if "search_text" in fields and (sender is None or model._meta.app_label == sender.label):
            refresh(rows(model._base_manager.filter(search_text="").values("pk")))


def rebuild_all():
    """Rebuild every row's search text (``manage.py rebuild_search_text``); returns how many changed."""
    total = 0
    for model, (rows, _dependents) in _registry.items():
        if any(field.name == "search_text" for field in model._meta.concrete_fields):
            total += refresh(rows(model._base_manager.values("pk")))
    return total


class PostgresOnlyOperation(Operation):
    """A migration operation on a model's table that does its work on PostgreSQL only (``forwards``,
    ``backwards``) and leaves the model state as it is: SQLite has no GIN, and the site runs on SQLite too
    (``make run``). With the state unchanged, ``makemigrations`` sees nothing to do on either database."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name, name):
        self.model_name = model_name
        self.name = name

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.forwards(schema_editor, to_state.apps.get_model(app_label, self.model_name))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.backwards(schema_editor, from_state.apps.get_model(app_label, self.model_name))

    def forwards(self, schema_editor, model):  # pragma: no cover - every operation defines it
        raise NotImplementedError

    def backwards(self, schema_editor, model):  # pragma: no cover - every operation defines it
        raise NotImplementedError

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "name": self.name}


class TrigramIndex(PostgresOnlyOperation):
    """A GIN trigram index on a model's ``search_text`` (with the pg_trgm extension) on PostgreSQL only: a
    migration operation rather than a ``GinIndex`` in ``Meta.indexes``, which SQLite could not build."""

    def forwards(self, schema_editor, model):
        quote = schema_editor.quote_name
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX {quote(self.name)} ON {quote(model._meta.db_table)} "
            f"USING gin ({quote('search_text')} gin_trgm_ops)"
        )

    def backwards(self, schema_editor, model):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Trigram index {self.name} on {self.model_name}.search_text (PostgreSQL only)"


# The words of a ``search_text`` as a tsvector: every word, and the words of the names and of the description
# once more with their section's tag. Plain string functions only (no text search parser, no locale): the
# words are already split and normalised. The section is what lies before "\n", or between "\n" and "\t".
WORDS_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {WORDS_FUNCTION}(text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(array_remove(
    string_to_array(translate($1, E'\\n\\t', '  '), ' ')
    || string_to_array(replace(split_part($1, E'\\n', 1), ' ', ' {NAME_TAG}'), ' ')
    || string_to_array(replace(split_part(split_part($1, E'\\t', 1), E'\\n', 2), ' ', ' {BODY_TAG}'), ' '),
    ''))
$$
"""


class WordIndex(PostgresOnlyOperation):
    """On PostgreSQL only: a ``search_words`` column, ``search_words_v1(search_text)`` stored (a generated
    column: PostgreSQL keeps it current on every write of ``search_text``, bulk ones included), with a GIN
    index. Stored rather than an index on the expression: making the words costs some 30 µs a row, which a
    query that checks rows one by one (a page read in title order) would pay for each. Nothing on SQLite,
    which has no GIN (``make run``); Django never reads the column."""

    def forwards(self, schema_editor, model):
        quote = schema_editor.quote_name
        table, column = quote(model._meta.db_table), quote(WORDS_COLUMN)
        schema_editor.execute(WORDS_FUNCTION_SQL)
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} tsvector "
            f"GENERATED ALWAYS AS ({WORDS_FUNCTION}({quote('search_text')})) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {quote(self.name)} ON {table} USING gin ({column})")

    def backwards(self, schema_editor, model):
        quote = schema_editor.quote_name
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(self.name)}")
        schema_editor.execute(f"ALTER TABLE {quote(model._meta.db_table)} DROP COLUMN IF EXISTS {quote(WORDS_COLUMN)}")

    def describe(self):
        return f"Word column and index {self.name} on {self.model_name} (PostgreSQL only)"


# The words of a ``search_text`` that a narrow table holds: those of its names (before "\n"), untagged.
NARROW_WORDS_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {NARROW_WORDS_FUNCTION}(text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(array_remove(string_to_array(split_part($1, E'\\n', 1), ' '), ''))
$$
"""


class NarrowWords(PostgresOnlyOperation):
    """On PostgreSQL only: the table of the unmanaged model ``name`` beside ``model_name``'s, one row per row
    (same primary key), holding the model's columns of the same names as the narrow model's fields (its
    sort keys: title, Korean title, slug) and ``search_words``: the words of its names
    (``NARROW_WORDS_FUNCTION``), with a GIN index. Triggers keep it current on every write of the
    model's table, bulk ones, ``loaddata`` and deletes included (and empty it when that table is truncated),
    so no writer has to know of it.

    Why: the level of the names of a common word (the cases with "water" in their titles) is thousands of
    rows, which the word index finds but which must be read to be sorted, and the model's rows are wide (the
    description, the sources, the search text and its words): a few to a page, so that nearly every row read
    is a page read. The narrow rows are many to a page. ``search_words`` is a plain column written by the
    trigger rather than a generated one: the narrow table has no ``search_text``."""

    def create(self, schema_editor, model, narrow):
        quote = schema_editor.quote_name
        table, main = quote(narrow._meta.db_table), quote(model._meta.db_table)
        key, main_key = quote(narrow._meta.pk.column), quote(model._meta.pk.column)
        fields = [field for field in narrow._meta.concrete_fields if not field.primary_key]
        columns = [quote(field.column) for field in fields]
        definitions = [
            f"{key} {narrow._meta.pk.db_type(schema_editor.connection)} PRIMARY KEY",
            *(f"{quote(field.column)} {field.db_type(schema_editor.connection)} NOT NULL" for field in fields),
            f"{quote(WORDS_COLUMN)} tsvector NOT NULL",
        ]
        values = ", ".join([f"NEW.{main_key}", *(f"NEW.{column}" for column in columns)])
        copied = ", ".join(f"{column} = EXCLUDED.{column}" for column in [*columns, quote(WORDS_COLUMN)])
        words = f"{NARROW_WORDS_FUNCTION}(NEW.{quote('search_text')})"
        function = trigger = self.copy_function(schema_editor, narrow)
        schema_editor.execute(NARROW_WORDS_FUNCTION_SQL)
        schema_editor.execute(f"CREATE TABLE {table} ({', '.join(definitions)})")
        schema_editor.execute(
            f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE {table};
              ELSIF TG_OP = 'DELETE' THEN
                DELETE FROM {table} WHERE {key} = OLD.{main_key};
              ELSE
                INSERT INTO {table} ({key}, {", ".join(columns)}, {quote(WORDS_COLUMN)})
                VALUES ({values}, {words})
                ON CONFLICT ({key}) DO UPDATE SET {copied};
              END IF;
              RETURN NULL;
            END $$"""
        )
        watched = ", ".join([*columns, quote("search_text")])
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} AFTER INSERT OR DELETE OR UPDATE OF {watched} ON {main} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {quote(narrow._meta.db_table + '_empty')} AFTER TRUNCATE ON {main} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
        schema_editor.execute(
            f"INSERT INTO {table} ({key}, {', '.join(columns)}, {quote(WORDS_COLUMN)}) "
            f"SELECT {main_key}, {', '.join(columns)}, {NARROW_WORDS_FUNCTION}({quote('search_text')}) FROM {main}"
        )
        # (the index made after the rows are written: in one build, not entry by entry)
        index = quote(f"{narrow._meta.db_table}_words")
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin ({quote(WORDS_COLUMN)})")

    def drop(self, schema_editor, model, narrow):
        quote = schema_editor.quote_name
        function = trigger = self.copy_function(schema_editor, narrow)
        main = quote(model._meta.db_table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {main}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(narrow._meta.db_table + '_empty')} ON {main}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        schema_editor.execute(f"DROP TABLE IF EXISTS {quote(narrow._meta.db_table)}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {NARROW_WORDS_FUNCTION}(text)")

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.create(schema_editor, *self.models(to_state.apps, app_label))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.drop(schema_editor, *self.models(from_state.apps, app_label))

    def models(self, apps, app_label):
        return apps.get_model(app_label, self.model_name), apps.get_model(app_label, self.name)

    @staticmethod
    def copy_function(schema_editor, narrow):
        return schema_editor.quote_name(f"{narrow._meta.db_table}_copy")

    def describe(self):
        return f"Narrow word table {self.name} beside {self.model_name}, kept by triggers (PostgreSQL only)"


def prefix_end(word):
    """The first string after every string that starts with ``word``, in code point (and so UTF-8 byte)
    order: ``word`` with its last character the next one ("water" → "wates")."""
    following = ord(word[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # (surrogates are not characters: the next one is U+E000)
        following = 0xE000
    return word[:-1] + chr(following)


class WordsInOrder:
    """A model's names' words in one of its list's orders, on PostgreSQL (the table ``NamesInOrder`` makes and
    keeps): ``table`` has a row for each word of each row's names (``word``, in byte order), with the row's
    sort keys (its columns ``columns``, e.g. title then slug) and primary key (``key``), and a B-tree on
    (word, the sort keys): each word's rows in the list's order. ``order``: the list's order those columns
    give (``order_by`` terms; the columns themselves unless given). ``parents``: the fields of what a row
    belongs to (its sector...) whose values the table also holds as words of their own (``parent_word``),
    so that a parent's rows are read in that order too."""

    FORMS_MAX = 40  # the words a query word may start (e.g. "water", "waterworks"), each read from the B-tree

    def __init__(self, table, columns, order=None, parents=()):
        self.table = table
        self.columns = tuple(columns)
        self.order = tuple(order) if order is not None else self.columns
        self.parents = tuple(parents)

    def serves(self, order):
        return tuple(order) == self.order

    def parent_word(self, condition):
        """The table's word for the rows of a parent (``condition``: ``Q(sector=7)``, as ``register``'s
        ``parents`` gives them), or None when the table does not hold that kind of parent."""
        if not isinstance(condition, models.Q) or condition.negated or len(condition.children) != 1:
            return None
        field, value = condition.children[0] if isinstance(condition.children[0], tuple) else (None, None)
        return parent_word(field, value) if field in self.parents and isinstance(value, int) else None

    def first_keys(self, rows, word, count):
        """The keys of the first ``count`` rows, in the order, with a word of their names starting with
        ``word``, each with whether it is among ``rows`` (a queryset of the model: the list at a level);
        None when more than ``FORMS_MAX`` words start with ``word``.

        One statement: the words starting with ``word`` found one after the other (each the B-tree's next
        word, not every entry of the one before), each word's first ``count`` rows read in the order, those
        merged (a row whose names hold two of the words comes once), and each of them looked up in ``rows``
        by its key."""
        table = connections[rows.db].ops.quote_name(self.table)
        forms = f"""WITH RECURSIVE forms (word, step) AS (
              (SELECT s.word, 1 FROM {table} s WHERE s.word >= %s AND s.word < %s ORDER BY s.word LIMIT 1)
              UNION ALL
              SELECT (SELECT s.word FROM {table} s WHERE s.word > forms.word AND s.word < %s
                      ORDER BY s.word LIMIT 1), forms.step + 1
              FROM forms WHERE forms.word IS NOT NULL AND forms.step <= %s
            )"""
        high = prefix_end(word)
        found = self.merged(rows, forms, [word, high, high, self.FORMS_MAX], self.FORMS_MAX, count)
        if found and found[0][1] > self.FORMS_MAX:
            return None
        return [(key, among) for key, _forms, among in found]

    def first_keys_of(self, rows, words_, count):
        """``first_keys`` for the rows holding one of ``words_`` exactly (``parent_word``s: the rows of each
        of these parents), in one statement too."""
        forms = "WITH forms (word, step) AS (SELECT unnest(%s::text[]), 1)"
        return [(key, among) for key, _forms, among in self.merged(rows, forms, [list(words_)], 1, count)]

    def merged(self, rows, forms, forms_parameters, forms_max, count):
        """(key, how many words ``forms`` found, whether the row is among ``rows``) of the first ``count`` rows
        holding one of the words of ``forms`` (a ``WITH`` query of (word, step)), in the order: each word's
        first ``count`` rows read from the B-tree, those merged, each looked up in ``rows`` by its key."""
        connection = connections[rows.db]
        quote = connection.ops.quote_name
        table = quote(self.table)
        order = ", ".join(f"x.{quote(column)}" for column in self.columns)
        columns = ", ".join(f"s.{quote(column)}" for column in self.columns)
        among = rows.filter(pk=RawSQL("found.key", ())).order_by().values("pk")
        among_sql, among_parameters = among.query.get_compiler(rows.db).as_sql()
        sql = f"""
            {forms}
            SELECT found.key, (SELECT count(word) FROM forms), EXISTS ({among_sql}) FROM (
              SELECT DISTINCT ON ({order}) x.key, {order}
              FROM forms, LATERAL (
                SELECT s.key, {columns} FROM {table} s WHERE s.word = forms.word ORDER BY {columns} LIMIT %s
              ) x
              WHERE forms.step <= %s
              ORDER BY {order} LIMIT %s
            ) found ORDER BY {", ".join(f"found.{quote(column)}" for column in self.columns)}"""
        parameters = [*forms_parameters, *among_parameters, count, forms_max, count]
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return cursor.fetchall()


def parent_word(field, value):
    """The word standing for a parent's rows in a ``WordsInOrder`` table: "~sector:7". A word of a text never
    holds "~" (``WORD``), so no query word starts one."""
    return f"~{field}:{value}"


class NamesInOrder(PostgresOnlyOperation):
    """On PostgreSQL only: the table ``name`` of the words of ``model_name``'s names in one of its list's orders
    (``WordsInOrder``): (word, the sort keys ``order``, key) for each word of each row's names
    (``NARROW_WORDS_FUNCTION``), with a B-tree on (word, ``order``) that holds the key too, so that a
    word's first rows in that order are read from the index alone. Triggers on the model's table keep it
    on every insert, update of the columns it reads or of ``search_text``, delete and truncate, as
    ``NarrowWords`` does.

    ``order``: each sort key a field's name (its column is copied) or a pair (a column name, an SQL expression
    of the model's fields written ``{field}``: a Korean page's "COALESCE(NULLIF({title_ko}, ''), {title})").
    ``parents``: foreign keys whose values are kept as words too (``parent_word``: "~sector:7"), so that
    the rows of one parent are read in the order from the same B-tree.

    Why: the level of the names of a common word ("water": thousands of cases) is needed in the list's
    order, a page at a time; the narrow table's word index gives every one of its rows, unordered, to be
    read and sorted. The same for the rows of a parent whose names hold the word (the sector named 상수도),
    where the model's own indexes do not give the order (a Korean page's)."""

    def __init__(self, model_name, name, order, parents=()):
        super().__init__(model_name, name)
        self.order = [key if isinstance(key, str) else list(key) for key in order]
        self.parents = list(parents)

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "name": self.name, "order": self.order}
        if self.parents:
            kwargs["parents"] = self.parents
        return self.__class__.__name__, [], kwargs

    def sort_keys(self, schema_editor, model):
        """(column, its type, the SQL of its value for a row of the model, the fields it reads) of each key."""
        quote = schema_editor.quote_name
        keys = []
        for key in self.order:
            if isinstance(key, str):
                field = model._meta.get_field(key)
                value = f"{{row}}.{quote(field.column)}"
                keys.append((quote(field.column), field.db_type(schema_editor.connection), value, [field]))
                continue
            column, expression = key
            names = [name for _text, name, _spec, _conversion in string.Formatter().parse(expression) if name]
            fields = [model._meta.get_field(name) for name in dict.fromkeys(names)]
            value = expression.format(**{field.name: f"{{row}}.{quote(field.column)}" for field in fields})
            keys.append((quote(column), "text", value, fields))
        return keys

    def forwards(self, schema_editor, model):
        quote = schema_editor.quote_name
        connection = schema_editor.connection
        table, main, index = quote(self.name), quote(model._meta.db_table), quote(f"{self.name}_order")
        keys = self.sort_keys(schema_editor, model)
        columns = [column for column, _type, _value, _fields in keys]
        parents = [model._meta.get_field(name) for name in self.parents]
        key = quote(model._meta.pk.column)
        definitions = [
            'word text COLLATE "C" NOT NULL',
            *(f"{column} {type_} NOT NULL" for column, type_, _value, _fields in keys),
            f"key {model._meta.pk.db_type(connection)} NOT NULL",
        ]

        def values(row):
            return [value.format(row=row) for _column, _type, value, _fields in keys]

        def words(row):
            names = f"tsvector_to_array({NARROW_WORDS_FUNCTION}({row}.{quote('search_text')}))"
            tags = [f"'{parent_word(parent.name, '')}' || {row}.{quote(parent.column)}" for parent in parents]
            return f"{names} || ARRAY[{', '.join(tags)}]::text[]" if tags else names

        same_row = " AND ".join(f"{column} = {value}" for column, value in zip(columns, values("OLD"), strict=True))
        schema_editor.execute(NARROW_WORDS_FUNCTION_SQL)
        schema_editor.execute(f"CREATE TABLE {table} ({', '.join(definitions)})")
        schema_editor.execute(
            f"""CREATE FUNCTION {self.function(schema_editor)}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE {table};
                RETURN NULL;
              END IF;
              IF TG_OP IN ('UPDATE', 'DELETE') THEN
                DELETE FROM {table}
                WHERE word = ANY({words("OLD")}) AND {same_row} AND key = OLD.{key};
              END IF;
              IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO {table} (word, {", ".join(columns)}, key)
                SELECT names.word, {", ".join(values("NEW"))}, NEW.{key}
                FROM unnest({words("NEW")}) AS names (word) WHERE names.word IS NOT NULL;
              END IF;
              RETURN NULL;
            END $$"""
        )
        read = [field for _column, _type, _value, fields in keys for field in fields] + parents
        watched = [*dict.fromkeys(quote(field.column) for field in read), quote("search_text")]
        changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in watched)
        for event, condition in (("INSERT", ""), ("DELETE", ""), (f"UPDATE OF {', '.join(watched)}", changed)):
            schema_editor.execute(
                f"CREATE TRIGGER {self.trigger(schema_editor, event)} AFTER {event} ON {main} FOR EACH ROW "
                f"{f'WHEN ({condition}) ' if condition else ''}EXECUTE FUNCTION {self.function(schema_editor)}()"
            )
        schema_editor.execute(
            f"CREATE TRIGGER {self.trigger(schema_editor, 'TRUNCATE')} AFTER TRUNCATE ON {main} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {self.function(schema_editor)}()"
        )
        schema_editor.execute(
            f"INSERT INTO {table} (word, {', '.join(columns)}, key) "
            f"SELECT names.word, {', '.join(values(main))}, {key} FROM {main}, unnest({words(main)}) AS names (word) "
            "WHERE names.word IS NOT NULL"
        )
        # (the index made after the rows are written: in one build, not entry by entry)
        schema_editor.execute(f"CREATE INDEX {index} ON {table} (word, {', '.join(columns)}) INCLUDE (key)")

    def backwards(self, schema_editor, model):
        quote = schema_editor.quote_name
        main = quote(model._meta.db_table)
        for event in ("INSERT", "DELETE", "UPDATE", "TRUNCATE"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.trigger(schema_editor, event)} ON {main}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {self.function(schema_editor)}()")
        schema_editor.execute(f"DROP TABLE IF EXISTS {quote(self.name)}")

    def function(self, schema_editor):
        return schema_editor.quote_name(f"{self.name}_copy")

    def trigger(self, schema_editor, event):
        return schema_editor.quote_name(f"{self.name}_{event.split()[0].lower()}")

    def describe(self):
        order = ", ".join(key if isinstance(key, str) else key[0] for key in self.order)
        parents = f" with its {', '.join(self.parents)}" if self.parents else ""
        return f"Words of {self.model_name}'s names{parents} in the order {order}, kept by triggers (PostgreSQL only)"


class DropTrigramIndex(TrigramIndex):
    """The trigram index of migration 0010 taken away again (the search reads ``WordIndex`` now)."""

    def forwards(self, schema_editor, model):
        super().backwards(schema_editor, model)

    def backwards(self, schema_editor, model):
        super().forwards(schema_editor, model)

    def describe(self):
        return f"Drop trigram index {self.name} on {self.model_name}.search_text (PostgreSQL only)"


class RebuildSearchText(Operation):
    """Empty every ``search_text`` of the model, so that ``fill_missing`` (post_migrate) writes it again in
    the current form: for a migration after which the texts are written differently."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        model._base_manager.using(schema_editor.connection.alias).update(search_text="")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Empty {self.model_name}.search_text, to be written again after migrating"

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name}

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

On PostgreSQL the words are read through a GIN index on ``search_words(search_text)`` (a ``tsvector``, see
``WordIndex``), where every word of the names and of the description is also present tagged with its section
("~n" + word, "~b" + word): a query asks for ``'word':*``, and the best matches are read a section at a time
(``ordered_keys``), each in the list's order, from an index, without ranking every row that holds a common
word. SQLite (``make run``) reads the same column with ``LIKE '% word%'``: the same matches, no index.

Models keep the column current in ``save()`` (``Searchable``); bulk writers (the importer, the synthetic data)
call ``refresh()`` or ``changed()``. The index follows the column by itself: it is an expression over it.
"""

import copy
import re
import unicodedata

from django.db import connections, models
from django.db.migrations.operations.base import Operation
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
NAME_TAG = "~n"
BODY_TAG = "~b"
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
    """PostgreSQL: the row's words (``search_words(field)``) match ``tsquery``, e.g. ``'bus':* & 'card':*``:
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


def ordered_keys(queryset, item):
    """The primary keys of ``queryset[item]`` (a slice), in its order.

    A search's order (relevance first) needs, read plainly, every matching row: a common word's thousands
    of rows each scored and sorted for a page of 20. On PostgreSQL with up to ``RANKED_WORDS_MAX`` words the
    page is read a score at a time instead (``score_levels``), best first, each in the rest of the order
    (e.g. title, then slug), until the slice is full: a level whose rows are many reads the first of them
    from the order's index, one whose rows are few from the GIN index; the levels past the page are not
    read at all."""
    start, stop = item.start or 0, item.stop
    ranking = ranking_of(queryset) if stop is not None else None
    if ranking is None or not uses_word_index(connections[queryset.db]) or len(ranking[0].words) > RANKED_WORDS_MAX:
        return list(queryset.values_list("pk", flat=True)[item])
    annotation, rest = ranking
    keys = []
    for level in score_levels(annotation.words):
        if len(keys) >= stop:
            break
        rows = narrowed(queryset, level, annotation.column).order_by(*rest)
        keys += rows.values_list("pk", flat=True)[: stop - len(keys)]
    return keys[start:stop]


def narrowed(queryset, tsquery, column):
    """``queryset`` with its words condition (``WordsMatch``) replaced by ``tsquery``, which implies it: the
    words of a row are read once per row, not once for each condition."""
    clone = queryset.all()
    where = clone.query.where.clone()
    for position, child in enumerate(where.children):
        if isinstance(child, WordsMatch) and where.connector == "AND" and not where.negated:
            replacement = copy.copy(child)
            replacement.tsquery = tsquery
            where.children[position] = replacement
            clone.query.where = where
            return clone
    return queryset.filter(WordsMatch(tsquery, column))


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
CHUNK = 1000


def register(model, rows, dependents=None):
    """``rows(pks)``: a queryset of ``model``'s rows with what ``search_document()`` reads prefetched;
    ``dependents(pks)``: querysets (made by other ``rows`` functions) of the rows whose text holds these
    rows' names, e.g. a country's cities and cases."""
    _registry[model] = (rows, dependents or (lambda pks: []))


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


class TrigramIndex(Operation):
    """A GIN trigram index on a model's ``search_text`` (with the pg_trgm extension) on PostgreSQL only.

    A migration operation rather than a ``GinIndex`` in ``Meta.indexes``: SQLite has no GIN, and the
    site runs on SQLite too (``make run``). The model state does not change, so ``makemigrations`` sees
    nothing to do on either database.
    """

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name, name):
        self.model_name = model_name
        self.name = name

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX {quote(self.name)} ON {quote(model._meta.db_table)} "
            f"USING gin ({quote('search_text')} gin_trgm_ops)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Trigram index {self.name} on {self.model_name}.search_text (PostgreSQL only)"

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "name": self.name}


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


class WordIndex(Operation):
    """A GIN index on ``search_words(search_text)`` (the function created if need be) on PostgreSQL only;
    nothing on SQLite, which has no GIN (``make run``). The model state does not change, so
    ``makemigrations`` sees nothing to do on either database."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name, name):
        self.model_name = model_name
        self.name = name

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        schema_editor.execute(WORDS_FUNCTION_SQL)
        schema_editor.execute(
            f"CREATE INDEX {quote(self.name)} ON {quote(model._meta.db_table)} "
            f"USING gin ({WORDS_FUNCTION}({quote('search_text')}))"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Word index {self.name} on {self.model_name}.search_text (PostgreSQL only)"

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "name": self.name}


class DropTrigramIndex(TrigramIndex):
    """The trigram index of migration 0010 taken away again (the search reads ``WordIndex`` now)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, from_state, to_state)

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

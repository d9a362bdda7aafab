"""The site's text search: one normalised search column per searchable model, and how a query matches it.

A row's ``search_text`` holds its words lowercased and without accents ("bogotá" → "bogota"), English
and Korean, in three sections: its own names (a case's titles, a city's names), its description (a
case's summary), then the names of what it belongs to (a case's sector, category, country and cities).
The sections are separated by characters a normalised text never holds ("\\n", "\\t"), so a match can be
ranked by the section it falls in. At the end come the Hangul bigrams of every Korean word, each as a
token between spaces ("서울시의" gives " 서울 울시 시의 "): a trigram index (PostgreSQL's pg_trgm, see
docs/deployment.md) can find a three-character substring, but not a two-syllable Korean word inside a
longer one, which the token " 교통 " (a space each side) lets it find.

A query is normalised the same way and split into words; a row matches when it holds every word. Models
keep the column current in ``save()`` (``Searchable``); bulk writers (the importer, the synthetic data)
call ``refresh()``.
"""

import re
import unicodedata

from django.db import models
from django.db.migrations.operations.base import Operation
from django.db.models.functions import StrIndex
from django.db.models.lookups import LessThan

NAME_END = "\n"  # after the names section
BODY_END = "\t"  # after the description section
SEARCH_MAX_LENGTH = 100
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
SPACES = re.compile(r"\s+")


def normalise(text):
    """Lowercase, accents taken off, whitespace collapsed: "  São  Paulo" → "sao paulo". Hangul is kept whole
    (NFKD splits a syllable into its letters; NFC puts them back together)."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return SPACES.sub(" ", unicodedata.normalize("NFC", stripped).casefold()).strip()


def hangul_bigrams(text):
    """Every two-syllable piece of every Korean word in ``text``, in order, each once."""
    seen = {}
    for run in HANGUL.findall(text):
        for start in range(len(run) - 1):
            seen.setdefault(run[start : start + 2], None)
    return list(seen)


def document(names=(), body=(), related=()):
    """The ``search_text`` of a row from its names, its description and the names of what it belongs to."""
    sections = [" ".join(normalise(text) for text in part if text) for part in (names, body, related)]
    bigrams = hangul_bigrams(" ".join(sections))
    return f" {sections[0]} {NAME_END} {sections[1]} {BODY_END} {sections[2]}  {' '.join(bigrams)} "


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
    """The words of a query, normalised; the section separators and LIKE's wildcards stay plain characters."""
    return [term for term in normalise(query).split(" ") if term]


def is_korean_pair(term):
    return len(term) == 2 and HANGUL.fullmatch(term) is not None


def term_filter(term, field="search_text"):
    """A row holds ``term``: as a substring, or, for a two-syllable Korean word, as its bigram token
    (which a trigram index can serve: " 교통 " has three-character pieces, "교통" alone has none)."""
    needle = f" {term} " if is_korean_pair(term) else term
    return models.Q(**{f"{field}__contains": needle})


def relevance(words, field="search_text"):
    """3 points for each word found among the names, 2 in the description, 1 elsewhere: the best first."""
    score = models.Value(0)
    column = models.F(field)
    for word in words:
        position = StrIndex(column, models.Value(word))  # > 0: the row holds every word (search() filters so)
        score = score + models.Case(
            models.When(LessThan(position, StrIndex(column, models.Value(NAME_END))), then=3),
            models.When(LessThan(position, StrIndex(column, models.Value(BODY_END))), then=2),
            default=1,
            output_field=models.IntegerField(),
        )
    return score


def search(queryset, query, *, annotate_as="relevance"):
    """The rows of ``queryset`` holding every word of ``query``, with ``annotate_as`` their relevance score
    (higher is better); ``queryset`` itself when the query has no word."""
    words = terms(query)
    if not words:
        return queryset
    condition = models.Q()
    for word in words:
        condition &= term_filter(word)
    return queryset.filter(condition).annotate(**{annotate_as: relevance(words)})


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

"""Facet counts: for each choice of a filter, how many results it would give (one query for them all).

Each app's FilterSet declares its facets (``facets = {"sector": "sector__slug", ...}``); the counting,
and the cache that keeps its cells under the content generation, are here.
"""

import functools
import hashlib
import json
import logging

import django_filters
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Model

from core.cache import FragmentCache, generation, request_generation
from core.redis_cache import CacheUnavailable
from listing.forms import RowsReadOnce, choice_rows

logger = logging.getLogger(__name__)

# How long facet counts stay in the cache, unless settings.FACET_CACHE_SECONDS says otherwise.
FACET_CACHE_SECONDS = 600
# Caches each process keeps to itself: a change made in another process (another gunicorn worker, a
# management command) could not bump their generation, so facet counts are not kept there by default.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def facet_cache_seconds():
    """``settings.FACET_CACHE_SECONDS`` if set (0: off); else 10 minutes with a shared cache, off without."""
    seconds = getattr(settings, "FACET_CACHE_SECONDS", None)
    if seconds is None:
        shared = settings.CACHES[DEFAULT_CACHE_ALIAS]["BACKEND"] not in PROCESS_LOCAL_CACHES
        seconds = FACET_CACHE_SECONDS if shared else 0
    return seconds


def normalised(value, key="pk"):
    """A filter's cleaned value as a sorted list of strings: rows by ``key`` (their primary key unless
    told, e.g. "slug"), choices as they are; nothing for no value."""
    if value is None or isinstance(value, str):
        items = [] if value in (None, "") else [value]
    elif isinstance(value, Model):
        items = [getattr(value, key)]
    elif hasattr(value, "model") or isinstance(value, (list, tuple, set)):
        items = [getattr(item, key) if isinstance(item, Model) else item for item in value]
    else:
        items = [value]
    return sorted(str(item) for item in items)


class FacetTally:
    """The counts a faceted list shows, summed from cells: one cell per combination of facet values
    among the rows the other filters leave, with its number of rows.

    Every facet filter is an equality (a row matches when its value for the facet is among the chosen
    ones), so each count is a sum of cells: a facet's counts sum the cells that match every *other*
    active facet filter, grouped by the facet's own value; the total sums the cells that match them
    all. One pass over the cells makes every count: a cell that fails no filter counts everywhere, one
    that fails a single filter counts only in that facet's counts.

    ``counts``: {facet: {value: rows under the other active filters}}; ``selected``: {facet: {value:
    rows under every active filter}}; ``total``: rows under every active filter.
    """

    def __init__(self, counts, selected, total):
        self.counts, self.selected, self.total = counts, selected, total

    @classmethod
    def from_cells(cls, names, cells, chosen):
        """``cells``: [(values in ``names`` order, rows)]; ``chosen``: {facet: set of chosen values as strings}."""
        names = list(names)
        tests = [(names.index(name), name, allowed) for name, allowed in chosen.items()]
        counts = {name: {} for name in names}
        selected = {name: {} for name in names}
        total = 0
        for values, rows in cells:
            failed = [name for position, name, allowed in tests if str(values[position]) not in allowed]
            if len(failed) > 1:
                continue
            for position, name in enumerate(names):
                if not failed or failed[0] == name:
                    counts[name][values[position]] = counts[name].get(values[position], 0) + rows
                if not failed:
                    selected[name][values[position]] = selected[name].get(values[position], 0) + rows
            if not failed:
                total += rows
        return cls(counts, selected, total)


class FacetCells:
    """A list's cells with an index from each facet value to the cells that hold it, so that a tally under
    some facet filters reads only the cells those filters leave (``FacetTally.from_cells`` reads them all,
    thousands at 100,000 cases, for every request). Kept in each process per cache key, and so per content
    generation (``kept_cells``), as the cells are in the shared cache.
    """

    def __init__(self, names, cells):
        self.names = list(names)
        self.cells = cells
        self.index = [{} for _ in self.names]  # per facet: {value as a string: [cell numbers, ascending]}
        for number, (values, _rows) in enumerate(cells):
            for position, value in enumerate(values):
                self.index[position].setdefault(str(value), []).append(number)

    def __len__(self):
        return len(self.cells)

    def matching(self, name, allowed):
        """The numbers of the cells whose value for facet ``name`` is one of ``allowed`` (strings)."""
        index = self.index[self.names.index(name)]
        found = set()
        for value in allowed:
            found.update(index.get(value, ()))
        return found

    def tally(self, chosen):
        """The ``FacetTally`` of ``chosen`` ({facet: set of chosen values as strings}), as
        ``FacetTally.from_cells`` counts it (the same counts, in the same order of keys)."""
        if not chosen:
            return FacetTally.from_cells(self.names, self.cells, {})
        passing = {name: self.matching(name, allowed) for name, allowed in chosen.items()}
        everywhere = set.intersection(*passing.values())  # the cells that fail no filter
        counts, selected = {}, {}
        for position, name in enumerate(self.names):
            if name in passing:  # its own choice left out: the cells that fail no *other* filter
                others = [cells for other, cells in passing.items() if other != name]
                counted = set.intersection(*others) if others else range(len(self.cells))
            else:
                counted = everywhere
            counts[name] = self.sum_by(position, counted)
            selected[name] = self.sum_by(position, everywhere)
        total = sum(self.cells[number][1] for number in everywhere)
        return FacetTally(counts, selected, total)

    def sum_by(self, position, numbers):
        """{value of the facet at ``position``: rows} over the cells ``numbers``, in the cells' order."""
        sums = {}
        cells = self.cells
        for number in sorted(numbers):
            values, rows = cells[number]
            value = values[position]
            sums[value] = sums.get(value, 0) + rows
        return sums


# The cells (indexed) and the tallies read or counted under the shared cache, kept in each process: a list
# page reads neither from the cache again for the same filters in the same content generation. Bounded by
# cells (about 20 MB a process) and by tallies.
kept_cells = FragmentCache(max_chars=50_000)
kept_tallies = FragmentCache(max_chars=2_000, size=lambda tally: 1)


def rows_of(queryset):
    """The rows a queryset reads, not its columns: the SQL of its FROM and WHERE (its selected columns,
    related rows and annotations left out, whose compiling cost as much as the rest of the tally). For an
    unchanged copy of a list's kept queryset (``listing.views.FilteredListView.kept_queryset``: ``kept_from``),
    worked out once for the kept one."""
    kept = getattr(queryset, "kept_from", None)
    if kept is not None:
        if not hasattr(kept, "rows_sql"):
            kept.rows_sql = rows_of(kept)
        return kept.rows_sql
    query = queryset.query.clone()
    query.clear_select_clause()
    query.clear_ordering(force=True)
    query.select_related = False
    try:
        return str(query)
    except EmptyResultSet:  # .none()
        return ""


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet that counts, for each facet choice, the results it would give.

    The usual faceted-search rule: a facet's count applies every *other* active filter, so
    choosing a sector does not shrink the counts of the other sectors. ``facets`` maps a filter name to
    the field path its values are on; each facet filter must be an equality on that path (one value, or
    any of several) and a row must have one value per facet (no many-to-many path), so that rows are
    counted once. Then one query counts them all, whatever the data size and the facet filters: it
    applies the other filters and groups the rows by every facet path at once (``FacetTally``); the
    counts of every facet, and the number of results, are sums over its cells.

    The cells are kept in the default cache (``facet_cache_seconds()``), under the filter set's class,
    its base queryset, the values of its other filters and the content generation
    (``core.cache``): any change to content makes them stale at once, as it does the cached
    pages, and every combination of facet filters shares the entry. A hit runs no query; a miss runs
    the one query, as without the cache; an invalid form is never counted, so never cached.
    """

    facets = {}

    def queryset_for_cells(self):
        """The base queryset with every filter applied but the facets' (and the order's)."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name not in self.facets and name != "ordering":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def count_cells(self):
        """[(facet values in ``facets`` order, rows)], grouped on the counted table's own columns.

        A facet on a related row's field ("sector__slug") is grouped by the foreign key ("sector") and
        the keys translated afterwards, one small query per related table: joining them first would make
        the database carry their columns through the grouping of every row (bench/README.md, "Design choices").
        """
        model = self.queryset.model
        columns = {}  # facet: (column grouped by, field of the related row or None)
        for name, path in self.facets.items():
            head, _, rest = path.partition("__")
            related = rest and model._meta.get_field(head).is_relation
            columns[name] = (head, rest) if related else (path, None)
        grouped = list(dict.fromkeys(column for column, _ in columns.values()))
        rows = list(self.queryset_for_cells().order_by().values_list(*grouped).annotate(count=Count("pk")))
        translations = {}  # column: {foreign key: {related field: value}}
        for position, column in enumerate(grouped):
            fields = sorted({rest for grouped_by, rest in columns.values() if grouped_by == column and rest})
            keys = {row[position] for row in rows} - {None}
            if fields and keys:
                related_model = model._meta.get_field(column).related_model
                known = self.rows_read(column, related_model)
                if known is not None and keys <= known.keys():
                    translations[column] = {pk: {field: getattr(known[pk], field) for field in fields} for pk in keys}
                    continue
                targets = related_model._base_manager.filter(pk__in=keys)
                translations[column] = {
                    pk: dict(zip(fields, values, strict=True)) for pk, *values in targets.values_list("pk", *fields)
                }
        positions = {column: position for position, column in enumerate(grouped)}
        cells = []
        for row in rows:
            values = []
            for column, rest in columns.values():
                value = row[positions[column]]
                values.append(translations[column][value][rest] if rest and value is not None else value)
            cells.append((tuple(values), row[-1]))
        return cells

    def rows_read(self, column, related_model):
        """{primary key: row} of ``related_model`` as a facet's form field on ``column`` already read it
        (``RowsReadOnce``), or None: the page then reads the table once, not once more to count."""
        for name, path in self.facets.items():
            field = self.form.fields.get(name)
            on_column = path.partition("__")[0] == column and isinstance(field, RowsReadOnce)
            if on_column and field.queryset.model is related_model:
                return {obj.pk: obj for obj in choice_rows(field)}
        return None

    def facet_cache_key(self):
        """What the cells depend on: the class, the rows it counts in (the base queryset's SQL, without its
        order) and the value of every filter but the facets and the order (sorted, as strings). The
        content generation is added by ``tally``."""
        cls = type(self)
        values = {
            name: normalised(value)
            for name, value in sorted(self.form.cleaned_data.items())
            if name not in self.facets and name != "ordering"  # neither changes the cells
        }
        digest = hashlib.sha256(json.dumps([rows_of(self.queryset), values], sort_keys=True).encode()).hexdigest()
        return f"facet-cells:{cls.__module__}.{cls.__qualname__}:{digest}"

    def chosen_values(self):
        """{facet: set of chosen values, as strings, in the facet's keys (slug, code...)} for each facet
        filter with a value."""
        chosen = {}
        for name in self.facets:
            key = getattr(self.form.fields[name], "to_field_name", None) or "pk"
            values = set(normalised(self.form.cleaned_data.get(name), key))
            if values:
                chosen[name] = values
        return chosen

    def count_tallies(self, chosen):
        """(the tally, the cells, the tally of no facet filter): what a miss counts and stores."""
        cells = self.count_cells()
        unfiltered = FacetTally.from_cells(self.facets, cells, {})
        return (FacetTally.from_cells(self.facets, cells, chosen) if chosen else unfiltered), cells, unfiltered

    def tally(self):
        """The ``FacetTally`` of a valid form (None for an invalid one), counted once per filter set.

        Two cache entries per set of other filters: the cells, and the tally with no facet filter (the
        common case, read without summing the cells again).
        """
        if not self.is_valid():
            return None
        if hasattr(self, "_tally"):
            return self._tally
        chosen = self.chosen_values()
        seconds = facet_cache_seconds()
        if not seconds:
            self._tally = self.count_tallies(chosen)[0]
            return self._tally
        try:
            # The generation is read before counting: cells counted while content changes are stored
            # under the old number, where no one will look for them.
            # The request's own reading when there is one (the page cache made it already): one round trip less.
            current = request_generation(self.request) if self.request is not None else generation()
            key = f"{self.facet_cache_key()}:{current}"
            chosen_key = (key, tuple(sorted((name, tuple(sorted(values))) for name, values in chosen.items())))
            self._tally = kept_tallies.get(chosen_key)
            if self._tally is not None:
                return self._tally
            if not chosen:
                stored = cache.get(f"{key}:unfiltered")
            else:
                stored = kept_cells.get(key)
                if stored is None:
                    cells = cache.get(f"{key}:cells")
                    if cells is not None:
                        stored = FacetCells(self.facets, cells)
                        kept_cells.set(key, stored)
        except CacheUnavailable:  # logged once by the backend when it failed (core.redis_cache)
            self._tally = self.count_tallies(chosen)[0]
            return self._tally
        except Exception:
            logger.exception("Facet cache unreachable; counting without it.")
            self._tally = self.count_tallies(chosen)[0]
            return self._tally
        if stored is not None:
            self._tally = stored.tally(chosen) if chosen else stored
            kept_tallies.set(chosen_key, self._tally)
            return self._tally
        self._tally, cells, unfiltered = self.count_tallies(chosen)
        kept_cells.set(key, FacetCells(self.facets, cells))
        kept_tallies.set(chosen_key, self._tally)
        try:
            cache.set_many({f"{key}:cells": cells, f"{key}:unfiltered": unfiltered}, seconds)
        except CacheUnavailable:
            pass
        except Exception:
            logger.exception("Facet cache unreachable; counts not stored.")
        return self._tally

    def facet_counts(self):
        """{facet: {value: results with that value, under every other active filter}}; {} if invalid."""
        tally = self.tally()
        return tally.counts if tally else {}

    def label_choices_with_counts(self):
        """Put each choice's count in its label, e.g. "Transportation (3)"; a choice with none says (0)."""
        for name, counts in self.facet_counts().items():
            field = self.form.fields[name]
            if isinstance(field, RowsReadOnce):
                field.counts = counts
            else:
                # Labelled when listed (a callable's choices are read when they are iterated): drawing a form
                # the page keeps as a fragment, or an applied choice's tag, not on every page.
                field.choices = functools.partial(with_counts, field.choices, counts)


def with_counts(choices, counts):
    """``choices`` with each one's count after its label ("East Asia (3)"), without the empty choice: the field
    adds its own ("Any region") on top of whatever it is given."""
    return [(value, f"{label} ({counts.get(value, 0)})") for value, label in choices if value != ""]

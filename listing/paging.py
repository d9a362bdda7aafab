"""Paging: a paginator told its count, and a list in the order of its groups without sorting every row."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property

from core import search


class CountedPaginator(Paginator):
    """A Paginator given the number of rows when it is already known (the facet counts sum to it), so
    that it does not ask the database again; without ``count`` it counts as Django's does."""

    def __init__(self, object_list, per_page, *args, count=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        return super().count if self.known_count is None else self.known_count


class GroupedResults:
    """A queryset in the order of its groups (e.g. sectors in display order), then ``order`` within each
    group, that returns a page without sorting every row.

    The groups' order is on another table, so the database would sort all the matching rows to find one
    page of them. Knowing how many rows each group holds (from the ``FacetTally``), a slice reads only
    the groups it spans: from one group, rows in ``order`` (an index on (group, order) serves it); from
    several, the groups' order written out as a CASE over just their rows. Any slice is one query.
    Paginator asks only ``count()`` and slices.
    """

    def __init__(self, queryset, field, groups, order):
        self.queryset = queryset
        self.field = field  # the column of the group, e.g. "sector" (its primary key)
        self.groups = [(key, size) for key, size in groups if size]  # [(group key, rows)] in group order
        self.order = tuple(order)

    def count(self):
        return sum(size for _, size in self.groups)

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("GroupedResults can only be sliced, e.g. results[20:40].")
        start, stop = item.start or 0, self.count() if item.stop is None else item.stop
        spanned, offset, first_row = [], 0, 0
        for key, size in self.groups:
            if first_row + size > start and first_row < stop:
                if not spanned:
                    offset = start - first_row
                spanned.append(key)
            first_row += size
        if not spanned or stop <= start:
            return self.queryset.none()
        if len(spanned) == 1:
            rows = self.queryset.filter(**{self.field: spanned[0]}).order_by(*self.order)
        else:
            group_order = models.Case(
                *(models.When(**{self.field: key}, then=rank) for rank, key in enumerate(spanned)),
                output_field=models.IntegerField(),
            )
            rows = self.queryset.filter(**{f"{self.field}__in": spanned}).order_by(group_order, *self.order)
        return rows[offset : offset + stop - start]


class LazySlices:
    """A list (``GroupedResults``) whose slices are read, and their query built, only when first used: a page's
    rows are drawn only where its fragment is not kept (``core.cache.fragment``), so a page drawn from kept
    fragments builds no query for them. Paginator asks only ``count()`` and slices."""

    def __init__(self, results):
        self.results = results

    def count(self):
        return self.results.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return Rows(lambda: self.results[item])


class Rows:
    """The rows ``read()`` gives, read when first iterated, counted or indexed."""

    def __init__(self, read):
        self.read = read

    @cached_property
    def rows(self):
        return list(self.read())

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, item):
        return self.rows[item]


class KeysFirst:
    """A queryset whose page is read in two steps: the page's primary keys in the queryset's order, then
    those rows with everything the page shows (``select_related``, ``prefetch_related``).

    For orders that need every matching row, such as a search's relevance: sorting the bare rows and
    joining the 20 kept was 3× faster at 100,000 cases than joining every match before the sort
    (bench/README.md, the search). Paginator asks only ``count()`` and slices; ``count`` may be given.
    """

    def __init__(self, queryset, count=None):
        self.queryset = queryset
        self._count = count

    def count(self):
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("KeysFirst can only be sliced, e.g. results[20:40].")
        keys = search.ordered_keys(self.queryset, item, self._count)  # a search's best matches, not every match
        rows = self.queryset.order_by().filter(pk__in=keys).in_bulk() if keys else {}
        return [rows[key] for key in keys if key in rows]

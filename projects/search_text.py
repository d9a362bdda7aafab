"""What each projects model's search text reads, and which rows' texts a change must rebuild (core.search).

A case's text holds its sector's, category's, country's and published cities' names, a city's its
country's, a sector's its categories': renaming one rebuilds the others. ``save()`` rebuilds a row's
own text; the signals here rebuild the rows that name it, and the row itself where ``save()`` was
bypassed (``loaddata`` saves raw). The importer calls ``core.search.changed()`` after its bulk writes.
"""

from django.db.models import CharField, F, Q, Value
from django.db.models.signals import m2m_changed, post_save

from core import search
from listing.filters import korean_first
from projects.models import Case, CaseCategory, CaseWords, City, Country, Sector

Link = Case.cities.through
# The words of the cases' names in the list's order (migration 0018): the English pages' title, then slug.
CASE_NAMES_IN_ORDER = search.WordsInOrder("projects_case_name_words", ("title", "slug"))
# The same in the Korean pages' order (migration 0019: the Korean title where there is one), with each case's
# sector, category and country as words too: a parent's cases in that order, which no index of the cases gives.
CASE_NAMES_IN_KOREAN_ORDER = search.WordsInOrder(
    "projects_case_name_words_ko",
    ("korean_title", "slug"),
    order=(korean_first("title").asc(), "slug"),
    parents=("sector", "category", "country"),
)


def cases(pks):
    return Case.objects.filter(pk__in=pks).select_related("sector", "category", "country").prefetch_related("cities")


def cities(pks):
    return City.objects.filter(pk__in=pks).select_related("country")


def countries(pks):
    return Country.objects.filter(pk__in=pks)


def sectors(pks):
    return Sector.objects.filter(pk__in=pks).prefetch_related("categories")


def case_parents(word, using):
    """The conditions on cases, one for each sector, category and country whose names hold a word starting
    with ``word`` and one for the cities that do: a case holding ``word`` among the names of what it belongs
    to (``Case.search_document``) meets one of them (core.search.parent_keys). Read on PostgreSQL in one
    statement: the sectors, countries and cities from their own word columns, and every category with its
    names (a category has no word column: its names are matched here; there are a few dozen)."""
    named = search.WordsMatch(search.lexeme(word, search.NAME_TAG))
    no_name = Value("", output_field=CharField())
    parents = [
        model.objects.using(using)
        .filter(named)
        .order_by()
        .annotate(kind=Value(kind), names=no_name, names_ko=no_name)
        .values_list("kind", "pk", "names", "names_ko")
        for kind, model in (("sector", Sector), ("country", Country), ("city", City))
    ]
    categories = (
        CaseCategory.objects.using(using)
        .order_by()
        .annotate(kind=Value("category"), names=F("name"), names_ko=F("name_ko"))
        .values_list("kind", "pk", "names", "names_ko")
    )
    found = {"sector": [], "country": [], "city": [], "category": []}
    for kind, pk, name, name_ko in parents[0].union(*parents[1:], categories, all=True):
        if kind != "category" or any(each.startswith(word) for each in search.indexed_words(f"{name} {name_ko}")):
            found[kind].append(pk)
    conditions = [Q(sector=pk) for pk in found["sector"]] + [Q(country=pk) for pk in found["country"]]
    conditions += [Q(category=pk) for pk in found["category"]]
    if found["city"]:
        conditions.append(Q(pk__in=Link.objects.using(using).filter(city__in=found["city"]).values("case")))
    return conditions


def register():
    search.register(
        Country,
        countries,
        lambda pks: [
            cities(City.objects.filter(country__in=pks).values("pk")),
            cases(Case.objects.filter(country__in=pks).values("pk")),
        ],
    )
    search.register(Sector, sectors, lambda pks: [cases(Case.objects.filter(sector__in=pks).values("pk"))])
    search.register(
        CaseCategory,
        lambda pks: CaseCategory.objects.none(),
        lambda pks: [
            sectors(CaseCategory.objects.filter(pk__in=pks).values("sector")),
            cases(Case.objects.filter(category__in=pks).values("pk")),
        ],
    )
    search.register(City, cities, lambda pks: [cases(Link.objects.filter(city__in=pks).values("case"))])
    search.register(
        Case, cases, narrow=CaseWords, parents=case_parents, in_order=[CASE_NAMES_IN_ORDER, CASE_NAMES_IN_KOREAN_ORDER]
    )
    for model in (Country, Sector, CaseCategory, City, Case):
        post_save.connect(saved, sender=model, dispatch_uid=f"search:{model._meta.label}")
    m2m_changed.connect(cities_changed, sender=Link, dispatch_uid="search:case-cities")


def saved(sender, instance, raw=False, **kwargs):
    search.changed(sender, [instance.pk], itself=raw)


def cities_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        search.changed(Case, [instance.pk])
    elif pk_set:  # city.cases.add(...) or .remove(...): the cases named
        search.changed(Case, pk_set)
    # city.cases.clear() (no code of the site calls it) names no case: their texts keep the city's name.

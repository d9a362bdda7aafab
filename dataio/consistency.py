"""What does not add up in the data: the checks behind ``check_data`` and the admin's consistency page.

Each check is a small function yielding ``Problem``s: a sentence for a person, and the admin change
page of the row to fix. Checks read the data set as it is (drafts included), in a fixed handful of
queries, and say nothing about facts the data records on purpose: a case whose place is unconfirmed
has no city at all, which is not a city without coordinates.
"""

from dataclasses import dataclass, field

from django.db.models import F, Q, Sum
from django.urls import reverse

from core.content import Provenance, Status, content_models
from projects.models import Case, CaseCategory, City, Sector


@dataclass(frozen=True)
class Check:
    title: str
    description: str
    run: object = field(compare=False, repr=False)
    # A note says what a reader should know but no one needs to fix: it never fails ``check_data --fail``.
    note: bool = False


@dataclass(frozen=True)
class Problem:
    check: Check
    message: str
    url: str  # the admin change page of the row to fix

    def __str__(self):
        return f"{self.message} {self.url}"


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def documented_over_declared():
    """A sector or category whose published cases outnumber the cases it declares."""
    for model in (Sector, CaseCategory):
        rows = (
            model.objects.with_documented_counts()
            .filter(declared_case_count__isnull=False, documented_count__gt=F("declared_case_count"))
            .select_related(*(["sector"] if model is CaseCategory else []))
        )
        for row in rows:
            yield (
                f"{model._meta.verbose_name.capitalize()} “{row}” documents {row.documented_count} published "
                f"cases but declares {row.declared_case_count}.",
                row,
            )


def categories_over_sector():
    """Categories that together declare more cases than their sector (fewer is fine: not every case has one)."""
    sectors = (
        Sector.objects.filter(declared_case_count__isnull=False)
        .annotate(category_total=Sum("categories__declared_case_count"))
        .filter(category_total__gt=F("declared_case_count"))
    )
    for sector in sectors:
        yield (
            f"The categories of sector “{sector}” declare {sector.category_total} cases between them, "
            f"more than the sector's {sector.declared_case_count}.",
            sector,
        )


def cities_without_coordinates():
    cities = City.objects.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True)).select_related("country")
    for city in cities:
        draft = " (a draft)" if city.status == Status.DRAFT else ""
        yield f"City “{city}”{draft} has no coordinates, so it cannot appear on a map.", city


def published_cases_with_draft_cities():
    links = (
        Case.cities.through.objects.filter(case__status=Status.PUBLISHED, city__status=Status.DRAFT)
        .select_related("case", "city__country")
        .order_by("case__title", "city__name")
    )
    for link in links:
        yield (
            f"Published case “{link.case}” names the draft city “{link.city}”: publish the city or remove it "
            "from the case.",
            link.case,
        )


def published_cases_in_another_sectors_category():
    cases = (
        Case.objects.published()
        .filter(category__isnull=False)
        .exclude(category__sector=F("sector"))
        .select_related("sector", "category__sector")
    )
    for case in cases:
        yield (
            f"Published case “{case}” is in sector “{case.sector}” but its category “{case.category.name}” "
            f"belongs to “{case.category.sector}”.",
            case,
        )


def rows_without_source():
    """Every row that says where its facts come from must name a source: results, cases, cities..."""
    for model in content_models():
        if not issubclass(model, Provenance):
            continue
        for row in model._default_manager.filter(source__regex=r"^\s*$").select_related():
            yield f"{model._meta.verbose_name.capitalize()} “{row}” has no source.", row


# Content fields with a Korean twin (``<field>_ko``): the English one filled, the Korean one must be too.
TWIN_FIELDS = ("title", "summary", "note", "source", "description", "name", "label", "measures")
BLANK = r"^\s*$"


def english_without_korean():
    """A row whose English content field has a text and whose Korean twin is empty: one query per model."""
    for model in content_models():
        names = {field.name for field in model._meta.get_fields()}
        pairs = [name for name in TWIN_FIELDS if name in names and f"{name}_ko" in names]
        if not pairs:
            continue
        missing = Q()
        for name in pairs:
            missing |= ~Q(**{f"{name}__regex": BLANK}) & Q(**{f"{name}_ko__regex": BLANK})
        for row in model._default_manager.filter(missing).select_related().order_by("pk"):
            for name in pairs:
                english = (getattr(row, name) or "").strip()
                korean = (getattr(row, f"{name}_ko") or "").strip()
                if english and not korean:
                    label = model._meta.get_field(name).verbose_name
                    yield (
                        f"{model._meta.verbose_name.capitalize()} “{row}” has an English {label} but no Korean "
                        f"one ({name}_ko is empty).",
                        row,
                    )


CHECKS = [
    Check(
        "Documented cases exceed the declared count",
        "A sector or category whose published cases outnumber the cases SMG declared for it (as of its date): "
        "the record also holds cases SMG's count leaves out (before 2012, after the count, or counted as one "
        "policy). Check that each case is in the right sector; the declared figure stays SMG's.",
        documented_over_declared,
        note=True,
    ),
    Check(
        "Category counts exceed their sector's",
        "Categories whose declared counts add up to more than their sector's declared count.",
        categories_over_sector,
    ),
    Check("Cities without coordinates", "Cities with no latitude and longitude.", cities_without_coordinates),
    Check(
        "Published cases with a draft city",
        "A published case names a city the public cannot see.",
        published_cases_with_draft_cities,
    ),
    Check(
        "Published cases in another sector's category",
        "A published case whose category belongs to a different sector than the case.",
        published_cases_in_another_sectors_category,
    ),
    Check(
        "Rows without a source",
        "Ranking results, cases, cities, sectors, key figures and organizations must say where their facts come from.",
        rows_without_source,
    ),
    Check(
        "English text without its Korean twin",
        "A title, summary, note, source, description, name, label, measure or unit filled in English whose "
        "Korean field is empty: the Korean page shows the English, marked as English.",
        english_without_korean,
    ),
]


def findings(notes=False):
    """What the checks find, check by check: the problems, or with ``notes`` the notes."""
    return [
        Problem(check, message, change_url(row))
        for check in CHECKS
        if check.note == notes
        for message, row in check.run()
    ]


def find_problems():
    """Every problem of every check that is not a note, check by check."""
    return findings()


def find_notes():
    return findings(notes=True)


def problems_by_check():
    """[(check, [problems])] for every check, those without problems included."""
    problems = find_problems() + find_notes()
    return [(check, [problem for problem in problems if problem.check == check]) for check in CHECKS]

"""The shipped fixtures: what they hold, and that they load cleanly and idempotently.

The figures asserted here come from the SMG City Diplomacy page (March 2017) and from
the checked facts in the project's shared data notes; see fixtures/README.md.
"""

import json
import re
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from core.content import content_models
from dataio.layout import FIXTURE_NAMES
from projects.models import Case, CaseCategory, City, Country, KeyFigure, Relationship, Sector
from rankings.models import RankingIndex, RankingResult

FIXTURE_DIR = Path(settings.FIXTURE_DIRS[0])

PAGE_INDICES = ["gpci", "kearney-gco", "pwc-cities-of-opportunity", "arcadis-sci", "uia-meetings"]


def fixture_records():
    """(file name, record) for every record of every shipped fixture file."""
    for name in FIXTURE_NAMES:
        with open(FIXTURE_DIR / f"{name}.json", encoding="utf-8") as fh:
            for record in json.load(fh):
                yield name, record


def load():
    call_command("loaddata", *FIXTURE_NAMES, verbosity=0)


def dump():
    out = StringIO()
    call_command(
        "dumpdata",
        *(model._meta.label for model in content_models()),
        natural_foreign=True,
        natural_primary=True,
        indent=1,
        stdout=out,
    )
    return out.getvalue()


def row_counts():
    return {model._meta.label_lower: model._default_manager.count() for model in content_models()}


@pytest.fixture
def loaded(shipped_data):
    """The shipped data as loading it gives it (the tests of loading itself call ``load()``)."""


# --- the files themselves -------------------------------------------------------------------------


def test_every_fixture_file_exists_and_is_non_empty():
    for name in FIXTURE_NAMES:
        with open(FIXTURE_DIR / f"{name}.json", encoding="utf-8") as fh:
            assert json.load(fh), f"{name}.json holds no records"


def test_no_record_carries_a_database_id():
    for name, record in fixture_records():
        assert "pk" not in record, f"{name}.json: {record['model']} record carries a pk"
        assert set(record) == {"model", "fields"}, f"{name}.json: unexpected keys {sorted(record)}"


def test_every_record_with_a_source_field_has_a_non_empty_source():
    checked = 0
    for name, record in fixture_records():
        model = apps.get_model(record["model"])
        if any(field.name == "source" for field in model._meta.fields):
            assert record["fields"].get("source", "").strip(), f"{name}.json: {record['model']} without a source"
            checked += 1
    assert checked > 100  # cities, sectors, cases, key figures, results and organizations all carry one


def test_content_records_are_published():
    for name, record in fixture_records():
        if "status" in record["fields"]:
            assert record["fields"]["status"] == "published", f"{name}.json: {record['fields']} is not published"


def natural_key_of(record):
    fields = record["fields"]
    if record["model"] == "projects.country":
        return (fields["code"],)
    if record["model"] == "rankings.rankingresult":
        return (*fields["index"], fields["edition"], fields["scope"])
    return (fields["slug"],)


def test_records_are_sorted_by_natural_key_within_each_model():
    by_file_and_model = {}
    for name, record in fixture_records():
        by_file_and_model.setdefault((name, record["model"]), []).append(natural_key_of(record))
    for (name, model), keys in by_file_and_model.items():
        assert keys == sorted(keys), f"{name}.json: {model} records are not sorted by natural key"
        assert len(keys) == len(set(keys)), f"{name}.json: {model} has a natural key twice"


# --- loading --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_creates_one_row_per_record(shipped_rows):
    load()
    expected = Counter(record["model"] for _, record in fixture_records())
    counts = row_counts()
    for model, number in expected.items():
        assert counts[model] == number, f"{model}: {counts[model]} rows for {number} records"
    # The rows the other tests share (tests/conftest.py: shipped_rows, their search texts rebuilt once at the
    # end of the load) have the search texts that loading gives.
    searchable = [(model, rows) for model, rows in shipped_rows if hasattr(model, "search_text")]
    assert searchable
    for model, rows in searchable:
        loaded = {row.natural_key(): row.search_text for row in model._base_manager.all()}
        assert loaded == {row.natural_key(): row.search_text for row in rows}, model._meta.label


@pytest.mark.long
@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_duplicates_nothing(loaded):
    counts, rows = row_counts(), dump()  # the first load's rows (``loaded``)
    load()
    assert row_counts() == counts
    assert dump() == rows


@pytest.mark.django_db
def test_every_row_passes_model_validation(loaded):
    checked = 0
    for model in content_models():
        for obj in model._default_manager.all():
            obj.full_clean()
            checked += 1
    assert checked == sum(row_counts().values())


# --- content --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seven_sectors_with_the_declared_counts_in_page_order(loaded):
    sectors = list(Sector.objects.order_by("order"))
    assert [s.slug for s in sectors] == [
        "transportation",
        "waterworks",
        "e-government",
        "urban-railway",
        "urban-planning",
        "environment",
        "others",
    ]
    assert [s.order for s in sectors] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.declared_case_count for s in sectors] == [22, 5, 5, 6, 2, 2, 3]
    assert sum(s.declared_case_count for s in sectors) == 45  # the page's "45 policies"


@pytest.mark.django_db
def test_category_counts_given_by_the_page(loaded):
    categories = {c.slug: (c.sector.slug, c.declared_case_count) for c in CaseCategory.objects.all()}
    assert categories == {
        "transportation-card": ("transportation", 13),
        "transportation-information-center": ("transportation", 3),
        "transportation-plan": ("transportation", 6),
        "waterworks-facility-improvement": ("waterworks", 3),
        "waterworks-facility-construction": ("waterworks", 1),
        "water-quality-management": ("waterworks", 1),
        "e-government": ("e-government", 2),
        "railway-facility-improvement": ("urban-railway", 2),
        "financial-procurement": ("urban-railway", 2),
        "light-rail-consulting": ("urban-railway", 2),
    }
    for sector in Sector.objects.all():
        declared = sum(c.declared_case_count for c in sector.categories.all())
        assert declared <= sector.declared_case_count, sector.slug


# The 20 cases the page names, with their country and (where the page gives one) category.
EXPECTED_CASES = {
    "bangkok-transportation-card": ("TH", "transportation", "transportation-card"),
    "manila-intelligent-transportation-system": ("PH", "transportation", "transportation-information-center"),
    "colombo-transportation-advice": ("LK", "transportation", "transportation-plan"),
    "chanchamayo-water-supply-plant": ("PE", "waterworks", "waterworks-facility-improvement"),
    "pmb-infrastructure-consulting": ("BN", "waterworks", "waterworks-facility-construction"),
    "ulaanbaatar-water-quality": ("MN", "waterworks", "water-quality-management"),
    "maputo-e-government-feasibility-study": ("MZ", "e-government", "e-government"),
    "mumbai-citizen-participation-system": ("IN", "e-government", None),
    "colombia-big-data-disaster-prevention": ("CO", "e-government", None),
    "buenos-aires-commercial-district-analysis": ("AR", "e-government", None),
    "chittagong-chinki-astana-railway-signal": ("BD", "urban-railway", "railway-facility-improvement"),
    "ho-chi-minh-city-ppp-policy-advice": ("VN", "urban-railway", "financial-procurement"),
    "manila-mrt-3-consulting": ("PH", "urban-railway", "light-rail-consulting"),
    "da-nang-urban-development-strategy": ("VN", "urban-planning", None),
    "hanthawaddy-yangon-master-plan": ("MM", "urban-planning", None),
    "hunan-henan-river-restoration": ("CN", "environment", None),
    "manila-led-streetlights": ("PH", "environment", None),
    "bangladesh-fire-service-emergency-management": ("BD", "others", None),
    "addis-ababa-hr-capability-building": ("ET", "others", None),
    "india-smart-city-ict": ("IN", "others", None),
}


@pytest.mark.django_db
def test_the_page_s_twenty_cases_each_with_its_country_sector_and_category(loaded):
    cases = Case.objects.select_related("country", "sector", "category").filter(slug__in=EXPECTED_CASES)
    found = {c.slug: (c.country.code, c.sector.slug, c.category.slug if c.category else None) for c in cases}
    assert found == EXPECTED_CASES


@pytest.mark.django_db
def test_at_least_forty_cases_each_with_a_source_that_names_outlet_and_date(loaded):
    """The page's 20 cases and the exports the public record documents (fixtures/README.md)."""
    cases = Case.objects.published()
    assert cases.count() >= 40
    for case in cases:
        for line in case.source.splitlines():
            outlet, title, date, *address = [part.strip() for part in line.split(" | ")]
            assert outlet and title and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?|n\.d\.", date), (case.slug, line)
            assert all(url.startswith(("https://", "http://")) for url in address), (case.slug, line)


@pytest.mark.django_db
def test_cases_whose_place_is_unconfirmed_have_no_city_and_the_others_do(loaded):
    without_city = set(Case.objects.filter(cities__isnull=True).values_list("slug", flat=True))
    assert without_city == {
        "colombia-big-data-disaster-prevention",
        "hunan-henan-river-restoration",
        "india-smart-city-ict",
        # national projects, with no city of their own
        "ghana-nationwide-water-supply-advice",
        "thailand-clean-construction-system",
        "ukraine-clean-construction-system",
        "philippines-clean-construction-system",
    }
    signal = Case.objects.get(slug="chittagong-chinki-astana-railway-signal")
    assert set(signal.cities.values_list("slug", flat=True)) == {"chittagong", "chinki-astana"}


@pytest.mark.django_db
def test_page_corrections_are_kept_in_the_case_notes(loaded):
    mrt = Case.objects.get(slug="manila-mrt-3-consulting")
    assert "MRT-3" in mrt.title and "Light Rail Transit" in mrt.note
    assert "Pulau Muara Besar" in Case.objects.get(slug="pmb-infrastructure-consulting").title
    assert "Columbia" in Case.objects.get(slug="colombia-big-data-disaster-prevention").note


@pytest.mark.django_db
def test_twenty_three_sister_cities(loaded):
    sisters = City.objects.filter(relationship=Relationship.SISTER)
    assert sisters.count() == 23
    assert {"taipei", "tashkent", "rome", "new-south-wales", "washington-dc"} <= set(
        sisters.values_list("slug", flat=True)
    )
    assert City.objects.get(slug="rome").relationship_year is None  # year unconfirmed
    assert City.objects.get(slug="taipei").relationship_year == 1968
    assert not City.objects.filter(slug__in=["guam", "prague", "seoul"]).exists()


@pytest.mark.django_db
def test_every_country_is_used_by_a_city_or_a_case(loaded):
    for country in Country.objects.all():
        assert country.cities.exists() or country.cases.exists(), country.code


@pytest.mark.django_db
def test_each_page_index_has_exactly_one_result_carrying_the_page_claim(loaded):
    claims = RankingResult.objects.exclude(page_claim="")
    per_index = Counter(claims.values_list("index__slug", flat=True))
    assert per_index == Counter(PAGE_INDICES)
    by_index = {r.index.slug: r for r in claims.select_related("index")}
    assert (by_index["gpci"].edition, by_index["gpci"].page_claim) == (2016, "Ranked 6th for 4 consecutive years")
    assert (by_index["kearney-gco"].edition, by_index["kearney-gco"].scope, by_index["kearney-gco"].rank) == (
        2015,
        "world",
        10,
    )
    assert by_index["pwc-cities-of-opportunity"].edition == 2016
    assert by_index["arcadis-sci"].edition == 2016
    assert by_index["uia-meetings"].edition == 2015
    assert set(RankingIndex.objects.values_list("slug", flat=True)) == {*PAGE_INDICES, "kearney-gci"}


@pytest.mark.django_db
def test_results_keep_the_cited_figures_where_the_page_differs(loaded):
    def result(index, edition, scope="world"):
        return RankingResult.objects.get(index__slug=index, edition=edition, scope=scope)

    uia = result("uia-meetings", 2015)
    assert uia.rank == 3 and uia.page_claim == "Ranked 11th in the world" and uia.note
    arcadis = result("arcadis-sci", 2016)
    assert (arcadis.rank, arcadis.cities_ranked) == (7, 100) and "11th" in arcadis.page_claim and arcadis.note
    gpci = RankingResult.objects.filter(index__slug="gpci", edition__range=(2012, 2016), scope="world")
    assert sorted(gpci.values_list("edition", "rank")) == [(year, 6) for year in range(2012, 2017)]
    assert "five" in result("gpci", 2016).note
    assert result("kearney-gco", 2015, "asia").rank == 1
    assert (result("kearney-gci", 2016).rank, result("kearney-gci", 2016).cities_ranked) == (11, 125)
    assert result("pwc-cities-of-opportunity", 2016).rank == 11


@pytest.mark.django_db
def test_five_headline_figures(loaded):
    figures = list(KeyFigure.objects.order_by("order")[:5])
    assert [(f.slug, int(f.value), f.unit) for f in figures] == [
        ("policies-shared", 45, "policies"),
        ("cities", 36, "cities"),
        ("countries", 25, "countries"),
        ("projects-exported", 36, "projects"),
        ("export-share", 84, "%"),
    ]

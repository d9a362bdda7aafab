"""manage.py generate_synthetic: valid, clearly marked, reusing what exists, removable."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from core.cache import generation
from core.content import Status
from dataio import synthetic
from projects.models import Case, CaseCategory, City, Country, Sector


def run(*args, **options):
    out = io.StringIO()
    call_command("generate_synthetic", *args, stdout=out, **options)
    return out.getvalue()


def test_an_empty_database_gets_countries_sectors_cities_and_cases(db):
    output = run(cases=200, cities=30)
    assert "200 cases" in output and "30 cities" in output
    assert Country.objects.count() == len(synthetic.COUNTRIES)
    assert Sector.objects.count() == len(synthetic.SECTORS)
    assert all(slug.startswith("synthetic-") for slug in Sector.objects.values_list("slug", flat=True))
    assert City.objects.count() == 30 and Case.objects.count() == 200


def test_every_row_is_valid_and_marked(db):
    synthetic.generate(cases=150, cities=20)
    for row in [*City.objects.all(), *Case.objects.all(), *Sector.objects.all(), *CaseCategory.objects.all()]:
        row.full_clean()
        assert row.slug.startswith(synthetic.PREFIX)
    for row in [*City.objects.all(), *Case.objects.all(), *Sector.objects.all()]:
        assert row.note == "Synthetic data for benchmarks"


def test_cases_link_to_cities_of_their_own_country(db):
    synthetic.generate(cases=150, cities=20)
    links = Case.cities.through.objects.select_related("case", "city")
    assert links.count() >= 150 * 0.9
    assert all(link.case.country_id == link.city.country_id for link in links)
    assert all(case.category is None or case.category.sector_id == case.sector_id for case in Case.objects.all())


def test_most_rows_are_published_some_are_drafts(db):
    synthetic.generate(cases=1000, cities=100)
    drafts = Case.objects.filter(status=Status.DRAFT).count()
    assert 10 < drafts < 150


def test_existing_countries_and_sectors_are_reused(make_sector, make_country, make_category):
    sector = make_sector("transportation")
    make_category("transportation-card", sector=sector)
    country = make_country("TH", "Thailand")
    synthetic.generate(cases=50, cities=10)
    assert list(Sector.objects.all()) == [sector]
    assert list(Country.objects.all()) == [country]
    assert set(Case.objects.values_list("sector", flat=True)) == {sector.pk}


def test_the_public_pages_render_the_synthetic_data(client, db):
    synthetic.generate(cases=100, cities=20)
    case = Case.objects.published().first()
    city = case.cities.filter(status=Status.PUBLISHED).first() or City.objects.published().first()
    for url in [reverse("home"), reverse("projects:case_list"), case.get_absolute_url(), city.get_absolute_url()]:
        assert client.get(url).status_code == 200, url


def test_a_second_run_adds_more_without_clashing(db):
    synthetic.generate(cases=30, cities=5)
    synthetic.generate(cases=30, cities=5, seed=1)
    assert Case.objects.count() == 60 and City.objects.count() == 10
    assert Case.objects.order_by("-slug").first().slug == "synthetic-case-0000060"


def test_the_same_seed_gives_the_same_data(db):
    synthetic.generate(cases=20, cities=5, seed=7)
    first = list(Case.objects.order_by("slug").values_list("title", "country__code", "year_start"))
    synthetic.clear()
    synthetic.generate(cases=20, cities=5, seed=7)
    assert list(Case.objects.order_by("slug").values_list("title", "country__code", "year_start")) == first


def test_clear_removes_synthetic_rows_only(make_case):
    real = make_case("real-case")
    synthetic.generate(cases=40, cities=10)
    Case.objects.filter(slug__startswith="synthetic-").first().cities.add(*City.objects.all()[:1])
    output = run(clear=True)
    assert "40 cases" in output
    assert list(Case.objects.all()) == [real]
    assert not City.objects.filter(slug__startswith="synthetic-").exists()
    assert str(synthetic.counts()) == "0 countries, 0 sectors, 0 categories, 0 cities, 0 cases, 0 links"


def test_dry_run_changes_nothing(db):
    output = run(cases=10, cities=2, dry_run=True)
    assert "Would add 2 cities and 10 cases" in output
    assert not Case.objects.exists()


def test_negative_counts_are_refused(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        run(cases=-1)


def test_the_page_cache_is_bumped(db):
    before = generation()
    synthetic.generate(cases=10, cities=2)
    assert generation() > before


def test_synthetic_data_never_reaches_the_fixtures():
    for path in settings.FIXTURE_DIRS[0].glob("*.json"):
        assert synthetic.PREFIX not in path.read_text(encoding="utf-8"), path

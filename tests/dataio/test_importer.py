"""``import_fixtures``: validates like the admin, reports the diff, writes all or nothing, records history."""

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.content import content_models
from dataio import importer as fixtures_io
from projects.models import Case, City, Country, Sector
from rankings.models import RankingResult
from tests.dataio.conftest import SHIPPED_FILES, fail, run, snapshot
from tests.dataio.exported import export_texts

BAD_DIR = Path(__file__).parent / "bad_fixtures"

# Every file of the corpus: (record, field, message) of the one line it must give.
BAD = {
    "broken.json": ("-", "-", "Expecting ',' delimiter: line 3 column 3"),
    "broken.yaml": ("-", "-", "found unexpected end of stream: line 6 column 1"),
    "empty.json": ("-", "-", "the file is empty"),
    "empty.yaml": ("-", "-", "the file is empty"),
    "not_a_list.json": ("-", "-", "the top level must be a list of records, not an object"),
    "record_not_an_object.json": ("#1", "-", "a record must be an object, not a list"),
    "unknown_format.csv": ("-", "-", "unknown format '.csv': name the file .json, .yaml or .yml"),
    "unknown_model.json": ("projects.spaceport #1", "model", "unknown model 'projects.spaceport'"),
    "historical_model.json": (
        "projects.historicalcountry #1",
        "model",
        "projects.historicalcountry is not content that fixtures hold; expected one of: projects.case, "
        "projects.casecategory, projects.city, projects.country, projects.keyfigure, projects.sector, "
        "rankings.hostedorganization, rankings.rankingindex, rankings.rankingresult",
    ),
    "unknown_field.json": ("projects.country ZZ", "capital", "unknown field of projects.country"),
    "record_with_pk.json": (
        "projects.country #1",
        "pk",
        "fixtures must use natural keys: remove the pk (a database id)",
    ),
    "id_as_reference.json": (
        "projects.city atlantis",
        "country",
        '1 is not a natural key: fixtures must use natural keys, a list such as ["..."], not database ids',
    ),
    "missing_reference.json": (
        "projects.city atlantis",
        "country",
        'no projects.country with natural key ["XX"] in the files or the database',
    ),
    "city_not_found_in_cities.json": (
        "projects.case atlantis-ferry",
        "cities",
        'no projects.city with natural key ["atlantis"] in the files or the database',
    ),
    "duplicate_natural_key.json": (
        "projects.country ZZ",
        "-",
        f"the natural key appears twice: also record #1 of {BAD_DIR / 'duplicate_natural_key.json'}",
    ),
    "unique_name_taken.json": (
        "projects.country ZZ",
        "name",
        "another projects.country has the same name: TH (in the database)",
    ),
    "country_code_lowercase.json": (
        "projects.country zz",
        "code",
        "Enter the two capital letters of ISO 3166-1 alpha-2.",
    ),
    "rank_zero.json": (
        "rankings.rankingresult gpci/2030/world",
        "rank",
        "A rank starts at 1 (first place); 0 is not a rank.",
    ),
    "rank_wrong_type.json": ("rankings.rankingresult gpci/2030/world", "rank", "“sixth” value must be an integer."),
    "cities_ranked_below_rank.json": (
        "rankings.rankingresult gpci/2030/world",
        "rank",
        "Rank 50 cannot be lower than the 42 cities ranked.",
    ),
    "year_3017.yaml": ("projects.case seoul-mars-metro", "year_start", "Enter a year between 1900 and 2100."),
    "years_reversed.json": (
        "projects.case backwards-consulting",
        "year_end",
        "The last year (2014) is before the first year (2016).",
    ),
    "category_of_another_sector.json": (
        "projects.case bangkok-water-card",
        "category",
        "The category “Transportation card” belongs to another sector than “Waterworks”.",
    ),
    "kind_not_a_choice.yaml": ("projects.case bangkok-mural", "kind", "Value 'painting' is not a valid choice."),
    "title_missing.json": ("projects.case untitled-case", "title", "This field cannot be blank."),
    "note_null.json": ("projects.case null-note-case", "note", "This field cannot be null."),
    "latitude_200.json": ("projects.city far-north", "latitude", "Ensure this value is less than or equal to 90."),
    "latitude_without_longitude.json": (
        "projects.city half-placed",
        "longitude",
        "Give both latitude and longitude, or neither.",
    ),
    "year_without_relationship.json": (
        "projects.city no-tie-town",
        "relationship_year",
        "A year signed only makes sense for a sister or friendship city; choose the relationship first.",
    ),
    "update_bangkok_latitude_95.json": (
        "projects.city bangkok",
        "latitude",
        "Ensure this value is less than or equal to 90.",
    ),
    "date_invalid.json": (
        "projects.keyfigure leap-figure",
        "as_of",
        "“2017-02-30” value has the correct format (YYYY-MM-DD) but it is an invalid date.",
    ),
    # Hostile files: each refused before anything is built, in a fraction of a second.
    "billion_laughs.yaml": ("-", "-", "YAML anchors and aliases (&name, *name) are not accepted: line 2 column 11"),
    "python_tag.yaml": (
        "-",
        "-",
        "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system': "
        "line 3 column 11",
    ),
    "duplicate_key.json": ("-", "-", "the key 'name' appears twice in one object"),
    "duplicate_key.yaml": ("-", "-", "the key 'name' appears twice in one mapping: line 6 column 5"),
    "lone_surrogate.json": ("#1", "name", "not Unicode text: a lone surrogate \\ud800"),
    "not_utf8.json": ("-", "-", "not UTF-8 text: invalid start byte at byte 71"),
    "nested_5000_levels.json": ("-", "-", "nested deeper than 20 levels (FIXTURE_MAX_DEPTH)"),
    "nested_too_deep.json": ("#1", "name", "nested deeper than 20 levels (FIXTURE_MAX_DEPTH)"),
    "nested_too_deep.yaml": ("-", "-", "nested deeper than 20 levels (FIXTURE_MAX_DEPTH): line 1 column 22"),
    "text_too_long.json": ("#1", "summary", "a text of 100,001 characters, longer than 100,000 (FIXTURE_MAX_TEXT)"),
    "title_too_long.json": (
        "projects.case long-title",
        "title",
        "Ensure this value has at most 250 characters (it has 1000).",
    ),
    # Under smaller limits (LIMITS), so that the files stay small.
    "too_many_records.json": ("-", "-", "4 records, more than 3 (FIXTURE_MAX_RECORDS)"),
    "too_large.json": ("-", "-", "the file is larger than 1,000 bytes (FIXTURE_MAX_BYTES)"),
}
# Settings the corpus test lowers for a file; every other file is read under the defaults.
LIMITS = {
    "too_many_records.json": {"FIXTURE_MAX_RECORDS": 3},
    "too_large.json": {"FIXTURE_MAX_BYTES": 1000},
}


def write_json(path, records):
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def read_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def summary_lines(output):
    """{model label: 'N created, N updated, N published, N unpublished, N unchanged'} from the command's output."""
    return dict(line.split(": ", 1) for line in output.splitlines() if line.startswith(("projects.", "rankings.")))


def shipped_counts():
    return Counter(record["model"] for path in SHIPPED_FILES for record in read_json(path))


def all_unchanged():
    return {
        model: f"0 created, 0 updated, 0 published, 0 unpublished, {count} unchanged"
        for model, count in shipped_counts().items()
    }


def country(code, name, region="europe"):
    return {"model": "projects.country", "fields": {"code": code, "name": name, "region": region}}


def city(slug, country_code, **fields):
    return {
        "model": "projects.city",
        "fields": {
            "source": "Test source",
            "as_of": "2017-03-31",
            "status": "published",
            "slug": slug,
            "name": slug.title(),
            "country": [country_code],
            **fields,
        },
    }


def case(slug, **fields):
    return {
        "model": "projects.case",
        "fields": {
            "source": "Test source",
            "as_of": "2017-03-31",
            "status": "published",
            "slug": slug,
            "title": slug.replace("-", " ").capitalize(),
            "sector": ["transportation"],
            "country": ["TH"],
            "kind": "consulting",
            **fields,
        },
    }


# --- the corpus of bad files ------------------------------------------------------------------------


def test_the_corpus_holds_at_least_15_bad_files_and_the_table_names_each_one():
    files = sorted(path.name for path in BAD_DIR.iterdir() if path.is_file())
    assert files == sorted(BAD)
    assert len(files) >= 15


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_gives_one_clear_line_and_leaves_the_database_as_it_was(shipped_snapshot, settings, name):
    for setting, value in LIMITS.get(name, {}).items():
        setattr(settings, setting, value)
    path = BAD_DIR / name
    before = shipped_snapshot
    started = time.monotonic()
    lines, error = fail("import_fixtures", str(path))
    assert time.monotonic() - started < 3
    record, field, message = BAD[name]
    assert lines == [f"{path}: {record}: {field}: {message}"]
    assert error == "1 problem found; nothing was imported."
    assert snapshot() == before


def test_the_shipped_snapshot_is_what_a_snapshot_of_the_shipped_data_reads(shipped_snapshot):
    """The tests above compare with a snapshot taken once per process (``shipped_snapshot``)."""
    assert snapshot() == shipped_snapshot


def test_the_limits_default_to_those_documented(settings):
    assert settings.FIXTURE_MAX_BYTES == 50 * 1024 * 1024
    assert settings.FIXTURE_MAX_RECORDS == 500_000
    assert settings.FIXTURE_MAX_DEPTH == 20
    assert settings.FIXTURE_MAX_TEXT == 100_000


def test_a_file_over_the_default_size_is_refused_unread(db, tmp_path):
    """A 60 MB file (sparse: it costs no disk) is refused after reading 50 MB, without parsing it."""
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(60 * 1024 * 1024)
    started = time.monotonic()
    lines, _ = fail("import_fixtures", str(path))
    assert time.monotonic() - started < 3
    assert lines == [f"{path}: -: -: the file is larger than 52,428,800 bytes (FIXTURE_MAX_BYTES)"]


def test_files_at_the_limits_are_accepted(db, tmp_path, settings):
    """The limits refuse only what is over them: a record count, a depth and a text right at each."""
    settings.FIXTURE_MAX_RECORDS = 2
    settings.FIXTURE_MAX_DEPTH = 4  # the list, a record, its fields, a natural key
    text = "x" * settings.FIXTURE_MAX_TEXT
    sector = {
        "model": "projects.sector",
        "fields": {"slug": "long", "name": "Long", "description": text, "source": "Test", "as_of": "2017-03-31"},
    }
    records = [country("ZZ", "Zedland"), city("zed-city", "ZZ")]
    path = write_json(tmp_path / "at_limits.json", records)
    settings.FIXTURE_MAX_BYTES = path.stat().st_size
    run("import_fixtures", str(path))
    assert City.objects.get(slug="zed-city").country.code == "ZZ"
    settings.FIXTURE_MAX_BYTES = 50 * 1024 * 1024
    run("import_fixtures", str(write_json(tmp_path / "long.json", [sector])))
    assert Sector.objects.get(slug="long").description == text


@pytest.mark.parametrize("name", ["rank_zero.json", "broken.json", "category_of_another_sector.json"])
def test_a_valid_file_and_a_bad_one_in_the_same_call_load_nothing(shipped_snapshot, tmp_path, name):
    valid = write_json(tmp_path / "new.json", [country("ZZ", "Zedland"), city("zed-city", "ZZ")])
    before = shipped_snapshot
    lines, _ = fail("import_fixtures", str(valid), str(BAD_DIR / name))
    assert len(lines) == 1 and lines[0].startswith(f"{BAD_DIR / name}: ")
    assert not Country.objects.filter(code="ZZ").exists()
    assert not City.objects.filter(slug="zed-city").exists()
    assert snapshot() == before


def test_every_problem_of_every_file_is_reported_in_file_order(shipped_data):
    names = ["rank_zero.json", "latitude_200.json", "empty.json", "unknown_field.json"]
    lines, error = fail("import_fixtures", *(str(BAD_DIR / name) for name in names))
    assert [line.split(": ", 1)[0] for line in lines] == [str(BAD_DIR / name) for name in names]
    assert error == "4 problems found; nothing was imported."


def test_a_record_with_several_problems_gives_a_line_for_each(db, tmp_path):
    path = write_json(tmp_path / "cities.json", [city("bad-place", "XX", latitude=95, longitude="east", colour="blue")])
    lines, _ = fail("import_fixtures", str(path))
    assert sorted(line.split(": ")[2] for line in lines) == ["colour", "country", "latitude", "longitude"]
    assert not City.objects.exists()


def test_the_exit_status_is_non_zero(tmp_path):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "seoul_diplomacy.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_fixtures", str(BAD_DIR / "broken.json")],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"{BAD_DIR / 'broken.json'}: -: -: Expecting ',' delimiter: line 3 column 3" in result.stderr.splitlines()


def test_a_category_created_in_the_same_files_is_checked_against_the_case_sector(shipped_data, tmp_path):
    """The category is new, so Case.clean() can only compare sectors once the category has its sector."""
    records = [
        {
            "model": "projects.casecategory",
            "fields": {"sector": ["waterworks"], "slug": "desalination", "name": "Desalination"},
        },
        case("gulf-desalination", sector=["transportation"], category=["desalination"]),
    ]
    lines, _ = fail("import_fixtures", str(write_json(tmp_path / "new.json", records)))
    assert lines == [
        f"{tmp_path / 'new.json'}: projects.case gulf-desalination: category: "
        "The category “Desalination” belongs to another sector than “Transportation”."
    ]


def test_a_unique_name_taken_by_another_file_of_the_same_call_is_refused(db, tmp_path):
    first = write_json(tmp_path / "a.json", [country("ZY", "Zedland")])
    second = write_json(tmp_path / "b.json", [country("ZZ", "Zedland")])
    lines, _ = fail("import_fixtures", str(first), str(second))
    assert lines == [
        f"{first}: projects.country ZY: name: another projects.country has the same name: ZZ (in {second})",
        f"{second}: projects.country ZZ: name: another projects.country has the same name: ZY (in {first})",
    ]
    assert not Country.objects.exists()


# --- the dry run and the report -----------------------------------------------------------------------


def edit_two_titles_add_a_case_and_a_city(folder):
    cases = read_json(folder / "cases.json")
    cases[0]["fields"]["title"] += " (revised)"
    cases[1]["fields"]["title"] += " (revised)"
    cases.append(case("vientiane-bus-consulting", country=["LA"], cities=[["vientiane"]]))
    write_json(folder / "cases.json", cases)
    cities = read_json(folder / "cities.json")
    cities.append(city("vientiane", "LA", latitude="17.97570", longitude="102.63310"))
    write_json(folder / "cities.json", cities)
    countries = read_json(folder / "countries.json")
    if not any(record["fields"]["code"] == "LA" for record in countries):
        countries.append(country("LA", "Laos", "southeast-asia"))
        write_json(folder / "countries.json", countries)
    return [cases[0]["fields"]["slug"], cases[1]["fields"]["slug"]]


def test_dry_run_reports_exactly_the_edit_and_changes_nothing(shipped_snapshot, shipped_copy):
    retitled = edit_two_titles_add_a_case_and_a_city(shipped_copy)
    counts = shipped_counts()
    before = shipped_snapshot

    out, _ = run("import_fixtures", str(shipped_copy), dry_run=True, verbosity=2)

    expected = all_unchanged()
    expected["projects.country"] = (
        f"1 created, 0 updated, 0 published, 0 unpublished, {counts['projects.country']} unchanged"
    )
    expected["projects.city"] = f"1 created, 0 updated, 0 published, 0 unpublished, {counts['projects.city']} unchanged"
    expected["projects.case"] = (
        f"1 created, 2 updated, 0 published, 0 unpublished, {counts['projects.case'] - 2} unchanged"
    )
    assert summary_lines(out) == expected
    detail = [line.strip() for line in out.splitlines() if line.startswith("  ") and not line.startswith("    ")]
    values = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    assert len(values) == 2 and all(line.startswith("title: ") and line.endswith(" (revised)") for line in values)
    assert detail == [
        "created projects.country LA",
        "created projects.city vientiane",
        "created projects.case vientiane-bus-consulting",
        f"updated projects.case {retitled[0]}: title",
        f"updated projects.case {retitled[1]}: title",
    ]
    assert out.splitlines()[0] == "Dry run: what the import would do (nothing was written)."
    assert snapshot() == before


def test_the_real_import_then_does_what_the_dry_run_said(shipped_data, shipped_copy):
    retitled = edit_two_titles_add_a_case_and_a_city(shipped_copy)
    dry, _ = run("import_fixtures", str(shipped_copy), dry_run=True)
    real, _ = run("import_fixtures", str(shipped_copy))
    assert summary_lines(real) == summary_lines(dry)
    assert real.splitlines()[-1] == "Imported."
    assert Case.objects.get(slug=retitled[0]).title.endswith(" (revised)")
    new_case = Case.objects.get(slug="vientiane-bus-consulting")
    assert list(new_case.cities.values_list("slug", flat=True)) == ["vientiane"]
    again, _ = run("import_fixtures", str(shipped_copy), dry_run=True)
    assert set(summary_lines(again).values()) == {
        value for value in summary_lines(again).values() if value.startswith("0 created, 0 updated")
    }


def test_reimporting_the_shipped_fixtures_reports_everything_unchanged_and_writes_nothing(shipped_snapshot):
    before = shipped_snapshot
    out, _ = run("import_fixtures", *map(str, SHIPPED_FILES))
    assert summary_lines(out) == all_unchanged()
    assert out.splitlines()[-1] == "Nothing to change."
    assert snapshot() == before


def test_verbosity_zero_prints_nothing(shipped_data):
    out, _ = run("import_fixtures", *map(str, SHIPPED_FILES), verbosity=0)
    assert out == ""


# --- what an import writes ------------------------------------------------------------------------------


def test_an_import_into_an_empty_database_creates_every_record_with_history(db):
    out, _ = run("import_fixtures", *map(str, SHIPPED_FILES))
    assert summary_lines(out) == {
        model: f"{count} created, 0 updated, 0 published, 0 unpublished, 0 unchanged"
        for model, count in shipped_counts().items()
    }
    for model in content_models():
        rows = model._default_manager.count()
        history = model.history.all()
        assert history.count() == rows, model
        assert set(history.values_list("history_type", flat=True)) <= {"+"}
    file_of = {"projects.case": "cases.json", "rankings.rankingresult": "rankings.json", "projects.city": "cities.json"}
    for label, file_name in file_of.items():
        reasons = set(
            next(m for m in content_models() if m._meta.label_lower == label)
            .history.values_list("history_change_reason", flat=True)
            .distinct()
        )
        assert reasons == {f"import_fixtures: {file_name}"}
    signal = Case.objects.get(slug="chittagong-chinki-astana-railway-signal")
    record = signal.history.get()
    assert sorted(record.cities.values_list("city__slug", flat=True)) == ["chinki-astana", "chittagong"]


def test_an_update_adds_one_history_entry_to_the_changed_rows_only(shipped_data, shipped_copy):
    cases = read_json(shipped_copy / "cases.json")
    slug = cases[0]["fields"]["slug"]
    old_title = cases[0]["fields"]["title"]
    cases[0]["fields"]["title"] = "A better title"
    cases[0]["fields"]["cities"] = [["bangkok"], ["manila"]]
    write_json(shipped_copy / "cases.json", cases)
    history_before = {model: model.history.count() for model in content_models()}

    run("import_fixtures", str(shipped_copy))

    for model in content_models():
        assert model.history.count() == history_before[model] + (1 if model is Case else 0), model
    latest = Case.objects.get(slug=slug).history.first()
    assert (latest.history_type, latest.history_change_reason, latest.title) == (
        "~",
        "import_fixtures: cases.json",
        "A better title",
    )
    assert sorted(latest.cities.values_list("city__slug", flat=True)) == ["bangkok", "manila"]
    assert latest.prev_record.title == old_title  # so the admin can revert to it


def test_a_record_that_leaves_fields_out_updates_only_the_fields_it_gives(shipped_data, tmp_path):
    bangkok = City.objects.get(slug="bangkok")
    path = write_json(
        tmp_path / "cities.json", [{"model": "projects.city", "fields": {"slug": "bangkok", "name_ko": "방콕!"}}]
    )
    out, _ = run("import_fixtures", str(path), verbosity=2)
    assert "updated projects.city bangkok: name_ko" in out
    updated = City.objects.get(slug="bangkok")
    assert updated.name_ko == "방콕!"
    assert (updated.latitude, updated.country_id, updated.source) == (
        bangkok.latitude,
        bangkok.country_id,
        bangkok.source,
    )


def test_cities_given_in_the_files_replace_the_case_cities(shipped_data, tmp_path):
    signal = "chittagong-chinki-astana-railway-signal"
    path = write_json(
        tmp_path / "cases.json", [{"model": "projects.case", "fields": {"slug": signal, "cities": [["chittagong"]]}}]
    )
    out, _ = run("import_fixtures", str(path), verbosity=2)
    assert f"updated projects.case {signal}: cities" in out
    assert list(Case.objects.get(slug=signal).cities.values_list("slug", flat=True)) == ["chittagong"]
    write_json(path, [{"model": "projects.case", "fields": {"slug": signal, "cities": []}}])
    run("import_fixtures", str(path))
    assert not Case.objects.get(slug=signal).cities.exists()


def test_records_may_refer_to_records_in_another_file_of_the_same_call(db, tmp_path):
    cities = write_json(tmp_path / "cities.json", [city("zed-city", "ZZ")])
    countries = write_json(tmp_path / "countries.json", [country("ZZ", "Zedland")])
    run("import_fixtures", str(cities), str(countries))
    assert City.objects.get(slug="zed-city").country.code == "ZZ"


def test_yaml_fixtures_import_like_json(db, tmp_path):
    for path in SHIPPED_FILES:
        (tmp_path / f"{path.stem}.yaml").write_text(
            yaml.safe_dump(read_json(path), allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    run("import_fixtures", str(tmp_path))
    assert export_texts() == {path.name: path.read_text(encoding="utf-8") for path in SHIPPED_FILES}


def test_a_ranking_result_is_found_by_its_three_part_natural_key(shipped_data, tmp_path):
    result = RankingResult.objects.get(index__slug="gpci", edition=2016, scope="world")
    record = {
        "model": "rankings.rankingresult",
        "fields": {"index": ["gpci"], "edition": 2016, "scope": "world", "note": "Checked again."},
    }
    out, _ = run("import_fixtures", str(write_json(tmp_path / "rankings.json", [record])), verbosity=2)
    assert "updated rankings.rankingresult gpci/2016/world: note" in out
    result.refresh_from_db()
    assert result.note == "Checked again."


# --- the site cache and speed ---------------------------------------------------------------------------


@pytest.fixture
def cache_clears(monkeypatch):
    calls = []
    monkeypatch.setattr(fixtures_io, "content_changed", lambda: calls.append(True))
    return calls


def test_a_real_import_that_changes_content_tells_the_site(db, cache_clears):
    run("import_fixtures", *map(str, SHIPPED_FILES))
    assert cache_clears == [True]


def test_a_dry_run_a_failed_import_or_a_no_op_leaves_the_cache_alone(shipped_data, cache_clears):
    run("import_fixtures", *map(str, SHIPPED_FILES), dry_run=True)
    run("import_fixtures", *map(str, SHIPPED_FILES))
    fail("import_fixtures", str(BAD_DIR / "rank_zero.json"))
    assert cache_clears == []


def many_cases(count):
    records = [
        country("ZZ", "Zedland"),
        {"model": "projects.sector", "fields": {"source": "Test", "as_of": "2017-03-31", "slug": "s", "name": "S"}},
        {"model": "projects.casecategory", "fields": {"sector": ["s"], "slug": "c", "name": "C"}},
        city("zed-city", "ZZ"),
    ]
    records += [
        case(f"case-{number}", sector=["s"], category=["c"], country=["ZZ"], cities=[["zed-city"]])
        for number in range(count)
    ]
    return records


def queries_to_import(tmp_path, count):
    path = write_json(tmp_path / f"cases-{count}.json", many_cases(count))
    with CaptureQueriesContext(connection) as queries:
        fixtures_io.import_fixtures([path], dry_run=True)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_records(db, tmp_path):
    few, many = queries_to_import(tmp_path, 10), queries_to_import(tmp_path, 400)
    # Only the bulk inserts grow, one statement per batch of rows (SQLite takes 999 parameters).
    assert many <= few + 20, (few, many)


def test_what_validation_misses_the_database_refuses_and_the_record_is_still_named(shipped_snapshot, monkeypatch):
    monkeypatch.setattr(RankingResult, "clean", lambda self: None)  # let rank 0 through to the database
    before = shipped_snapshot
    lines, _ = fail("import_fixtures", str(BAD_DIR / "rank_zero.json"))
    assert lines == [
        f"{BAD_DIR / 'rank_zero.json'}: rankings.rankingresult gpci/2030/world: -: "
        "Constraint “result_rank_at_least_1” is violated."
    ]
    assert snapshot() == before

"""``export_fixtures``: the data set in the layout of fixtures/, readable in a diff, and a lossless round trip."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.serializers import sort_dependencies

from core.content import Status, content_models
from dataio.layout import FIXTURE_LAYOUT, FIXTURE_NAMES
from dataio.management.commands.export_fixtures import Command as ExportCommand
from projects.models import Case, CaseCategory
from tests.dataio.conftest import SHIPPED_FILES, run
from tests.dataio.exported import export_texts


def export_to(folder):
    run("export_fixtures", output=folder, allow_empty=True)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def empty_the_database():
    """Delete every content row and its history, children first."""
    for model in reversed(sort_dependencies([(None, content_models())])):
        model._default_manager.all().delete()
        model.history.all().delete()
    assert not any(model._default_manager.exists() for model in content_models())


@pytest.fixture
def drafts_and_edge_cases(shipped_data, make_case, make_city, make_country, make_category):
    """Rows the shipped data lacks: drafts, a city without coordinates, cities given out of order."""
    country = make_country("ZZ", "Zedland")
    second = make_city("zz-b-city", country=country, status=Status.DRAFT, latitude="-33.86785", longitude="151.20732")
    first = make_city("zz-a-city", country=country, status=Status.DRAFT, name_ko="첫째 도시")
    category = CaseCategory.objects.get(slug="transportation-card")
    make_case(
        "zz-draft-case",
        sector=category.sector,
        category=category,
        country=country,
        cities=[second, first],
        status=Status.DRAFT,
        summary="Line one.\nLine two — with “quotes” and 한국어.",
        year_start=2015,
        year_end=2016,
    )


def test_the_shipped_fixtures_are_exactly_what_export_writes(shipped_data, tmp_path):
    exported = export_to(tmp_path / "export")
    assert sorted(exported) == sorted(f"{name}.json" for name in FIXTURE_NAMES)
    for path in SHIPPED_FILES:
        assert exported[path.name] == path.read_bytes(), f"{path.name} differs from what export_fixtures writes"


def test_export_then_import_into_an_empty_database_then_export_is_byte_identical(drafts_and_edge_cases, tmp_path):
    first = export_to(tmp_path / "first")
    empty_the_database()
    run("import_fixtures", str(tmp_path / "first"))
    second = export_to(tmp_path / "second")
    assert second == first
    assert b"zz-draft-case" in first["cases.json"]


def test_an_empty_database_exports_empty_files_that_import_cleanly(db, tmp_path):
    exported = export_to(tmp_path / "empty")
    assert set(exported.values()) == {b"[\n]\n"}
    out, _ = run("import_fixtures", str(tmp_path / "empty"))
    assert out.strip() == "Nothing to change."


def test_drafts_are_exported_with_their_status(drafts_and_edge_cases):
    cases = json.loads(export_texts()["cases.json"])
    draft = next(record for record in cases if record["fields"]["slug"] == "zz-draft-case")
    assert draft["fields"]["status"] == "draft"
    cities = json.loads(export_texts()["cities.json"])
    assert {r["fields"]["slug"] for r in cities if r["fields"]["status"] == "draft"} == {"zz-a-city", "zz-b-city"}


def test_the_files_read_well_in_a_diff(drafts_and_edge_cases):
    for name, text in export_texts().items():
        assert text.endswith("}\n]\n") and not text.endswith("\n\n"), name
        assert text.startswith('[\n{\n  "model": '), name
        records = json.loads(text)
        assert all(set(record) == {"model", "fields"} for record in records), f"{name}: a record carries a pk"
        assert not any("historical" in record["model"] for record in records)
    sectors = export_texts()["sectors.json"]
    assert '"name_ko": "전자정부"' in sectors  # UTF-8 as is, not \uXXXX
    assert '\n    "slug": "e-government",\n' in sectors  # indented by two spaces per level
    case = next(r for r in json.loads(export_texts()["cases.json"]) if r["fields"]["slug"] == "zz-draft-case")
    assert case["fields"]["cities"] == [["zz-a-city"], ["zz-b-city"]]  # sorted by natural key, not as added
    assert case["fields"]["category"] == ["transportation-card"]


def test_records_are_sorted_by_natural_key_and_grouped_by_model_in_layout_order(drafts_and_edge_cases):
    by_label = {model._meta.label_lower: model for model in content_models()}
    for file_name, text in export_texts().items():
        records = json.loads(text)
        labels = [record["model"] for record in records]
        layout = FIXTURE_LAYOUT[Path(file_name).stem]
        assert labels == sorted(labels, key=layout.index), file_name
        for label in layout:
            model = by_label[label]
            exported = [r for r in records if r["model"] == label]
            rows = sorted(model._default_manager.all(), key=lambda row: row.natural_key())
            assert len(exported) == len(rows), label
            keys = [row.natural_key() for row in rows]
            assert keys == sorted(keys)
            if label == "projects.case":
                assert [r["fields"]["slug"] for r in exported] == [key[0] for key in keys]


def test_the_layout_places_every_content_model_in_exactly_one_file():
    assert tuple(FIXTURE_LAYOUT) == FIXTURE_NAMES
    placed = [label for labels in FIXTURE_LAYOUT.values() for label in labels]
    assert sorted(placed) == sorted(model._meta.label_lower for model in content_models())


def test_the_default_output_is_the_fixtures_folder():
    parser = ExportCommand().create_parser("manage.py", "export_fixtures")
    assert parser.parse_args([]).output == Path(settings.FIXTURE_DIRS[0])


def test_export_creates_the_output_folder_and_says_what_it_wrote(shipped_data, tmp_path):
    out, _ = run("export_fixtures", output=tmp_path / "new" / "edition")
    assert f"{tmp_path / 'new' / 'edition' / 'cases.json'}: {Case.objects.count()} records" in out.splitlines()


def test_exporting_an_empty_database_refuses_and_keeps_the_files(db, tmp_path):
    import pytest
    from django.core.management import CommandError, call_command

    kept = tmp_path / "cases.json"
    kept.write_text("[]\n", encoding="utf-8")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    with pytest.raises(CommandError, match="holds no content"):
        call_command("export_fixtures", output=tmp_path)
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before
    call_command("export_fixtures", output=tmp_path, allow_empty=True, verbosity=0)
    assert (tmp_path / "countries.json").read_text(encoding="utf-8") == "[\n]\n"

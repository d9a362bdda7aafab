"""``import_fixtures`` speaks up: publications and unpublications counted apart from edits, old → new at
``-v 2``, each change to a live row in the history with the import as its reason, publication stamped."""

import pytest

from core.content import Status
from projects.models import Case
from tests.dataio.conftest import run
from tests.dataio.test_importer import case, write_json


@pytest.fixture
def three_cases(make_case, make_sector, make_country):
    make_sector("transportation")
    make_country("TH")
    make_case("to-publish", title="To publish", status=Status.DRAFT)
    make_case("to-unpublish", title="To unpublish")
    make_case("to-edit", title="Old title")
    make_case("left-alone", title="Left alone")


@pytest.fixture
def edition(tmp_path):
    return write_json(
        tmp_path / "cases.json",
        [
            case("to-publish", title="To publish"),
            case("to-unpublish", title="To unpublish", status="draft"),
            case("to-edit", title="New title"),
            case("left-alone", title="Left alone"),
        ],
    )


def test_the_report_counts_publications_apart_from_edits(three_cases, edition):
    out, _ = run("import_fixtures", str(edition))
    assert "projects.case: 0 created, 1 updated, 1 published, 1 unpublished, 1 unchanged" in out.splitlines()


def test_a_dry_run_at_verbosity_2_shows_old_and_new_values(three_cases, edition):
    out, _ = run("import_fixtures", str(edition), dry_run=True, verbosity=2)
    lines = [line.rstrip() for line in out.splitlines()]
    assert "  updated projects.case to-edit: title" in lines
    assert "    title: Old title → New title" in lines
    assert "  unpublished projects.case to-unpublish: status" in lines
    assert "    status: published → draft" in lines
    assert "  published projects.case to-publish: status, first_published_at, last_published_at" in lines
    assert Case.objects.get(slug="to-edit").title == "Old title"  # a dry run writes nothing


def test_imported_changes_are_in_the_history_and_publication_is_stamped(three_cases, edition):
    run("import_fixtures", str(edition))
    edited = Case.objects.get(slug="to-edit")
    assert edited.history.first().history_change_reason == "import_fixtures: cases.json"
    published = Case.objects.get(slug="to-publish")
    assert published.is_published and published.first_published_at is not None
    assert published.last_published_at == published.first_published_at
    assert Case.objects.get(slug="to-unpublish").status == Status.DRAFT

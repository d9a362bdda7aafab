"""The migrated SQLite test database kept between runs (tests/migrated_database.py) is named by everything
that decides what ``migrate`` writes, so a copy is only ever used for the migrations it was made from.
SQLite only: on PostgreSQL this module is not collected (tests/conftest.py)."""

import contextlib
import sqlite3
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests import migrated_database

ROOT = Path(__file__).resolve().parent.parent


def test_the_name_reads_every_migration_the_modules_they_import_and_each_apps_py():
    inputs = set(migrated_database.inputs())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = set(ROOT.glob("*/migrations/0*.py"))
    assert ours and ours <= inputs
    assert len([path for path in inputs if path.parent.name == "migrations"]) == len(loader.disk_migrations)
    assert ROOT / "core" / "search.py" in inputs  # the custom operations the migrations use
    assert {ROOT / "core" / "apps.py", ROOT / "projects" / "apps.py"} <= inputs  # post_migrate receivers


def test_a_changed_input_gives_another_name(tmp_path, monkeypatch):
    migration = tmp_path / "0001_initial.py"
    monkeypatch.setattr(migrated_database, "inputs", lambda: [migration])
    migration.write_text("operations = []\n")
    before = migrated_database.digest()
    assert migrated_database.digest() == before
    migration.write_text("operations = [1]\n")
    assert migrated_database.digest() != before


def test_this_process_database_is_the_kept_one_for_its_name(db):
    """Whether this process migrated or copied, the database the tests use holds what the kept copy holds:
    the same tables, indexes and triggers, and the migrations recorded as applied."""
    kept = migrated_database.FOLDER / f"{migrated_database.digest()}.sqlite3"
    assert kept.exists()
    schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    applied = "SELECT app, name FROM django_migrations ORDER BY app, name"
    with contextlib.closing(sqlite3.connect(kept)) as copy, connection.cursor() as cursor:
        for query in (schema, applied):
            cursor.execute(query)
            assert copy.execute(query).fetchall() == [tuple(row) for row in cursor.fetchall()]

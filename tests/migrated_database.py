"""The migrated SQLite test database, kept between test runs.

Each pytest(-xdist) process makes its own in-memory test database, and migrating it runs every migration
of every app (about three seconds of a processor; most of it is Django rendering the models' states, not
SQL). ``start()`` makes ``migrate`` keep a copy of the migrated database in ``.test-databases/`` (ignored by git), named
by a digest of everything that decides what ``migrate`` writes: each app's migration files, the project
modules they import (custom operations) and what those import, each app's ``apps.py`` (post_migrate
receivers), the installed packages' versions, Python's and SQLite's. A later process whose digest
matches copies it into its own database with SQLite's backup API instead of migrating; any change to
those files gives another name, so a copy is never used for migrations it was not made from.

Only the default alias on SQLite in memory; PostgreSQL's test database is migrated every time.
"""

import ast
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

ROOT = Path(settings.BASE_DIR)
FOLDER = ROOT / ".test-databases"
KEPT = 4  # copies for other digests (other branches) are kept up to this many, the newest


def project_imports(path):
    """The files of the project's own modules that the module at ``path`` imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        else:
            continue
        for name in names:
            with contextlib.suppress(ImportError, ValueError):
                spec = importlib.util.find_spec(name)
                if spec and spec.origin and Path(spec.origin).is_relative_to(ROOT) and ".venv" not in spec.origin:
                    found.add(Path(spec.origin))
    return found


def inputs():
    """Every file whose content decides what ``migrate`` writes, as far as the project can tell."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    files = {Path(sys.modules[migration.__module__].__file__) for migration in loader.disk_migrations.values()}
    files |= {path for config in apps.get_app_configs() if (path := Path(config.path) / "apps.py").exists()}
    pending = [path for path in files if path.is_relative_to(ROOT)]
    while pending:
        for imported in project_imports(pending.pop()) - files:
            files.add(imported)
            pending.append(imported)
    return sorted(files)


def digest():
    hashed = hashlib.sha256()
    for path in inputs():
        hashed.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).encode() + b"\0")
        hashed.update(path.read_bytes() + b"\0")
    packages = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
    hashed.update("\n".join([*packages, sys.version, sqlite3.sqlite_version]).encode())
    return hashed.hexdigest()[:20]


def in_memory_sqlite(connection):
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


ORIGINAL = migrate.Command.handle


def handle(self, *args, **options):
    """``migrate``, for the default alias of an in-memory SQLite database: the kept database for this digest
    copied if there is one, else the migrations run and a copy of their result kept."""
    connection = connections[options["database"]]
    if options["database"] != DEFAULT_DB_ALIAS or not in_memory_sqlite(connection):
        return ORIGINAL(self, *args, **options)
    kept = FOLDER / f"{digest()}.sqlite3"
    connection.ensure_connection()
    if kept.exists():
        with contextlib.closing(sqlite3.connect(kept)) as source:
            source.backup(connection.connection)
        return None
    result = ORIGINAL(self, *args, **options)
    keep(connection, kept)
    return result


def start():
    """From here until ``stop()`` (pytest-django creating the test databases), ``migrate`` is ``handle``."""
    migrate.Command.handle = handle


def stop():
    migrate.Command.handle = ORIGINAL


def keep(connection, kept):
    """Write a copy of ``connection``'s database to ``kept``, whole or not at all (two processes may both
    write it: each writes its own file, then renames it into place), and drop the oldest other copies."""
    FOLDER.mkdir(exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=FOLDER, suffix=".partial")
    os.close(handle)
    try:
        with contextlib.closing(sqlite3.connect(temporary)) as copy:
            connection.connection.backup(copy)
        os.replace(temporary, kept)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    others = sorted(FOLDER.glob("*.sqlite3"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in others[KEPT:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()

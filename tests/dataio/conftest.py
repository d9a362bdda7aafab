"""Helpers for the data-maintenance commands: run them, and take a snapshot of the whole database."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from simple_history.utils import get_history_model_for_model

from core.content import content_models
from tests.dataio.exported import export_texts

FIXTURE_DIR = Path(settings.FIXTURE_DIRS[0])
SHIPPED_FILES = sorted(FIXTURE_DIR.glob("*.json"))


def run(command, *args, **options):
    """Run a command; returns (stdout, stderr). A CommandError propagates."""
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def fail(command, *args, **options):
    """Run a command that must fail; returns (its stderr lines, the CommandError message)."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(command, *args, stdout=out, stderr=err, **options)
    return err.getvalue().splitlines(), str(failure.value)


def snapshot():
    """Everything the database holds about the content: a full export plus the history row counts."""
    history = {model._meta.label: get_history_model_for_model(model).objects.count() for model in content_models()}
    return export_texts(), history


TAKEN = []  # the snapshot of the shipped data, once taken in this test process


@pytest.fixture
def shipped_snapshot(shipped_data):
    """``snapshot()`` of the database as ``shipped_data`` writes it: the same rows in every test, so it is
    taken once per test process (``test_importer.py`` checks that it is what a snapshot then reads)."""
    if not TAKEN:
        TAKEN.append(snapshot())
    return TAKEN[0]


@pytest.fixture
def shipped_copy(tmp_path):
    """A copy of the shipped fixture files in a temporary folder, to edit."""
    folder = tmp_path / "edition"
    folder.mkdir()
    for path in SHIPPED_FILES:
        shutil.copy(path, folder / path.name)
    return folder

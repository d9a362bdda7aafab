"""Writing the data set as fixture files in the layout of ``fixtures/`` (SPEC §5).

``export_fixtures(directory)`` writes every content row, drafts included, sorted by natural key, indented
as ``dumpdata --indent 2`` writes it, so that two editions diff cleanly and export → import → export gives
identical files. ``export_records(published_only=True)`` is the public edition the open-data page offers:
published rows only, and no many-to-many link to a row that is not published.
"""

import json
from pathlib import Path

from django.core import serializers
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder

from core.content import Publishable, Status
from dataio.importer import importable_models
from dataio.layout import FIXTURE_LAYOUT, FIXTURE_NAMES

PUBLICATION_DATES = ("first_published_at", "last_published_at", "go_live_at")


def layout_models():
    """{file name: [models]} for every fixture file, checked against the content models."""
    by_label = importable_models()
    layout = {name: [by_label[label] for label in FIXTURE_LAYOUT[name]] for name in FIXTURE_NAMES}
    placed = [model for file_models in layout.values() for model in file_models]
    missing = [label for label, model in by_label.items() if model not in placed]
    if missing or len(placed) != len(set(placed)):
        raise ImproperlyConfigured(
            f"FIXTURE_LAYOUT must place every content model in exactly one file; not placed: {missing}"
        )
    return layout


def is_publishable(model):
    return issubclass(model, Publishable)


def natural_records(model, published_only=False):
    """Every row of a model as a fixture record, natural keys throughout, sorted by natural key.

    ``published_only``: the published rows of a publishable model, and in every many-to-many field only
    the links to published rows (a published case that names a draft city does not name it here).
    """
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    many = [f.name for f in model._meta.many_to_many]
    rows = model._base_manager.select_related(*relations).prefetch_related(*many).order_by()
    if published_only and is_publishable(model):
        rows = rows.filter(status=Status.PUBLISHED)
    rows = sorted(rows, key=lambda row: row.natural_key())
    records = serializers.serialize("python", rows, use_natural_foreign_keys=True, use_natural_primary_keys=True)
    hidden = {}
    if published_only:
        for field in model._meta.many_to_many:
            target = field.remote_field.model
            if is_publishable(target):
                drafts = target._base_manager.exclude(status=Status.PUBLISHED)
                hidden[field.name] = {tuple(row.natural_key()) for row in drafts}
    for record in records:
        for name in many:
            keys = record["fields"][name]
            if name in hidden:
                keys = [key for key in keys if tuple(key) not in hidden[name]]
            record["fields"][name] = sorted(keys)
        for name in PUBLICATION_DATES:  # left out until set, so that files from before the dates stay as they were
            if name in record["fields"] and record["fields"][name] is None:
                del record["fields"][name]
    return records


def render_json(records):
    """JSON as ``dumpdata --indent 2`` writes it, with a trailing newline and UTF-8 kept as is."""
    if not records:
        return "[\n]\n"
    dumped = (
        json.dumps(record, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ": "))
        for record in records
    )
    return "[\n" + ",\n".join(dumped) + "\n]\n"


def export_records(published_only=False):
    """{file name: records} of the whole data set (or its published rows), in the layout of fixtures/."""
    return {
        f"{name}.json": [record for model in file_models for record in natural_records(model, published_only)]
        for name, file_models in layout_models().items()
    }


def export_fixtures(directory):
    """Write every fixture file into ``directory``; returns {path: number of records}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for file_name, records in export_records().items():
        path = directory / file_name
        path.write_text(render_json(records), encoding="utf-8", newline="\n")
        written[path] = len(records)
    return written

"""Reading, checking, importing and exporting the fixture files (SPEC §5).

Two entry points, each called by a thin management command:

- ``import_fixtures(paths, dry_run=False)`` reads JSON and YAML fixtures (Django's serialization
  format with natural keys, no ``pk``), validates every record as the admin would, and writes all
  of it in one transaction, or none of it when anything is wrong. It returns an ``ImportReport``:
  per model what was (or would be) created, updated or left unchanged, and the problems found.
- ``export_fixtures(directory)`` writes every content row, drafts included, in the layout of
  ``fixtures/`` (``FIXTURE_LAYOUT``), sorted by natural key, so that two editions diff cleanly.

How an import works, model by model in dependency order (countries before cities before cases):

1. each record is turned into an unsaved instance: values through ``field.to_python``, references
   resolved by natural key against the records of the files and the rows of the database (one query
   per model, kept in dicts), the related objects assigned so that ``clean()`` reads them without a
   query;
2. ``full_clean(validate_unique=False, validate_constraints=False)`` runs field validation and
   ``clean()``; uniqueness (natural keys and unique fields) is checked here in memory against the
   files and the database together, since Django's own checks cost a query per record;
3. the model's new and changed rows are written with ``bulk_create``/``bulk_update``, with one
   historical row each (change reason ``import_fixtures: <file name>``), and its many-to-many rows
   are replaced with bulk inserts and deletes. Writing as we go gives the rows of the next model
   real foreign keys to validate against; the database's own constraints are the last check.

Everything runs inside one ``transaction.atomic()``, rolled back when a problem was found or when
it is a dry run, so a dry run reports exactly what a real run would do and leaves nothing behind.
"""

import functools
import inspect
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as default
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

from core import search
from core.cache import content_changed
from core.content import content_models

FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}

CHANGE_REASON = "import_fixtures: {file}"

SEARCH_FIELD = "search_text"  # core.search.Searchable: derived, written by the importer as save() would

# Rows per IN (...) list when deleting many-to-many rows: under every database's parameter limit.
DELETE_BATCH = 500

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# --- what an import reports -------------------------------------------------------------------------


def one_line(text):
    return re.sub(r"\s+", " ", str(text)).strip()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the files: printed as ``FILE: MODEL NATURAL_KEY: FIELD: message``."""

    file: str
    record: str = "-"
    field: str = "-"
    message: str = ""
    position: tuple = default(default=(), compare=False, repr=False)

    def __str__(self):
        return f"{self.file}: {self.record}: {self.field}: {one_line(self.message)}"


@dataclass
class ModelChanges:
    created: list = default(default_factory=list)  # record labels
    updated: list = default(default_factory=list)  # (record label, [changed field names])
    unchanged: int = 0
    published: list = default(default_factory=list)  # labels of rows that go public (or public again)
    unpublished: list = default(default_factory=list)  # labels of rows that go back to draft
    values: dict = default(default_factory=dict)  # record label -> {field name: (old, new)}, as text

    @property
    def edited(self):
        """The updated rows whose status stays as it was."""
        moved = {*self.published, *self.unpublished}
        return [entry for entry in self.updated if entry[0] not in moved]


@dataclass
class ImportReport:
    dry_run: bool
    changes: dict = default(default_factory=dict)  # model label -> ModelChanges, in import order
    problems: list = default(default_factory=list)

    @property
    def changed(self):
        return any(change.created or change.updated for change in self.changes.values())


# --- reading the files ------------------------------------------------------------------------------


@dataclass
class Record:
    file: str
    number: int  # 1-based position in its file
    model: type
    fields: dict
    position: tuple  # (file number, record number): the order problems are printed in
    label: str = ""
    natural_key: tuple | None = None


def fixture_paths(paths):
    """The files to read: each path as given, a directory standing for its fixture files."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix.lower() in FORMATS and p.is_file())
        else:
            yield path


class FixtureError(ValueError):
    """A file that cannot be imported, with the record and field to blame when there is one."""

    def __init__(self, message, record="-", field="-"):
        super().__init__(message)
        self.record, self.field = record, field


class FixtureLoader(YAML_LOADER):
    """The safe loader (plain data only: no Python tags), refusing a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key_node.value!r} appears twice in one mapping", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def unique_keys(pairs):
    """A JSON object, refusing a key given twice (json.loads would keep the last one silently)."""
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise FixtureError(f"the key {ascii(key)} appears twice in one object")
        obj[key] = value
    return obj


def read_limited(path):
    """The file's bytes, refusing it unread past ``FIXTURE_MAX_BYTES``."""
    limit = settings.FIXTURE_MAX_BYTES
    with path.open("rb") as file:
        raw = file.read(limit + 1)
    if len(raw) > limit:
        raise FixtureError(f"the file is larger than {limit:,} bytes (FIXTURE_MAX_BYTES)")
    return raw


def check_yaml_events(text):
    """Refuse anchors and aliases (an alias bomb expands 754 bytes into billions of values) and nesting
    deeper than ``FIXTURE_MAX_DEPTH``, from the parser's events, before anything is built."""
    limit = settings.FIXTURE_MAX_DEPTH
    depth = 0
    for event in yaml.parse(text, Loader=YAML_LOADER):
        mark = event.start_mark
        where = f": line {mark.line + 1} column {mark.column + 1}"
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise FixtureError(f"YAML anchors and aliases (&name, *name) are not accepted{where}")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limit:
                raise FixtureError(f"nested deeper than {limit} levels (FIXTURE_MAX_DEPTH){where}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def check_values(data):
    """Refuse more than ``FIXTURE_MAX_RECORDS`` records, nesting deeper than ``FIXTURE_MAX_DEPTH``, a
    text longer than ``FIXTURE_MAX_TEXT`` characters and text that is not Unicode (a lone surrogate
    such as "\\ud800", which JSON allows and no database stores)."""
    max_records, max_depth, max_text = (
        settings.FIXTURE_MAX_RECORDS,
        settings.FIXTURE_MAX_DEPTH,
        settings.FIXTURE_MAX_TEXT,
    )
    if len(data) > max_records:
        raise FixtureError(f"{len(data):,} records, more than {max_records:,} (FIXTURE_MAX_RECORDS)")
    for number, item in enumerate(data, start=1):
        record = f"#{number}"
        stack = [(item, 2, "-")]  # the top-level list is the first level
        while stack:
            value, depth, field_name = stack.pop()
            if isinstance(value, str):
                check_text(value, record, field_name, max_text)
            elif isinstance(value, dict | list):
                if depth > max_depth:
                    raise FixtureError(f"nested deeper than {max_depth} levels (FIXTURE_MAX_DEPTH)", record, field_name)
                if isinstance(value, list):
                    stack.extend((element, depth + 1, field_name) for element in value)
                    continue
                for key, element in value.items():
                    check_text(key, record, field_name, max_text)
                    # The record's "fields" object is the third level: its keys name the fields.
                    stack.append((element, depth + 1, key if depth == 3 else field_name))


def check_text(text, record, field_name, limit):
    if len(text) > limit:
        message = f"a text of {len(text):,} characters, longer than {limit:,} (FIXTURE_MAX_TEXT)"
        raise FixtureError(message, record, field_name)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            character = ascii(text[exc.start]).strip("'")
            raise FixtureError(f"not Unicode text: a lone surrogate {character}", record, field_name) from None


def parse_fixture(path):
    """The records of one file, as plain data; raises ``ValueError`` with a one-line message.

    A file over the limits of settings/base.py (size, records, nesting, text length), a YAML anchor or
    alias, a key given twice in one object and text that is not Unicode are refused here, each in one line.
    """
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(f"unknown format {path.suffix!r}: name the file .json, .yaml or .yml")
    try:
        text = read_limited(path).decode("utf-8-sig")
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    if not text.strip():
        raise ValueError("the file is empty")
    if kind == "json":
        try:
            data = json.loads(text, object_pairs_hook=unique_keys)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{exc.msg}: line {exc.lineno} column {exc.colno}") from None
        except RecursionError:
            raise FixtureError(f"nested deeper than {settings.FIXTURE_MAX_DEPTH} levels (FIXTURE_MAX_DEPTH)") from None
    else:
        try:
            check_yaml_events(text)
            data = yaml.load(text, Loader=FixtureLoader)  # a safe loader: plain data only
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f": line {mark.line + 1} column {mark.column + 1}" if mark else ""
            raise ValueError(f"{exc.problem or exc.context}{where}") from None
        except yaml.YAMLError as exc:
            raise ValueError(one_line(exc)) from None
        except RecursionError:
            raise FixtureError(f"nested deeper than {settings.FIXTURE_MAX_DEPTH} levels (FIXTURE_MAX_DEPTH)") from None
        if data is None:
            raise ValueError("the file is empty")
    if not isinstance(data, list):
        raise ValueError(f"the top level must be a list of records, not {type_name(data)}")
    check_values(data)
    return data


def type_name(value):
    names = {dict: "an object", str: "a string", bool: "true or false", int: "a number", float: "a number"}
    return names.get(type(value), "a list" if isinstance(value, list) else type(value).__name__)


def importable_models():
    return {model._meta.label_lower: model for model in content_models()}


def read_records(paths, problems):
    """Every well-formed record of every file; what is malformed goes to ``problems``."""
    models_by_label = importable_models()
    records = []
    for file_number, path in enumerate(fixture_paths(paths), start=1):
        name = str(path)
        try:
            data = parse_fixture(path)
        except ValueError as exc:
            record, field_name = getattr(exc, "record", "-"), getattr(exc, "field", "-")
            problems.append(Problem(name, record, field_name, str(exc), (file_number, 0)))
            continue
        for number, item in enumerate(data, start=1):
            position = (file_number, number)
            if not isinstance(item, dict):
                problems.append(
                    Problem(
                        name,
                        f"#{number}",
                        message=f"a record must be an object, not {type_name(item)}",
                        position=position,
                    )
                )
                continue
            label = item.get("model")
            if not isinstance(label, str) or not label:
                problems.append(Problem(name, f"#{number}", "model", "the record names no model", position))
                continue
            record_label = f"{label} #{number}"
            model = models_by_label.get(label.lower())
            if model is None:
                problems.append(Problem(name, record_label, "model", unknown_model_message(label), position))
                continue
            if "pk" in item:
                problems.append(
                    Problem(
                        name,
                        record_label,
                        "pk",
                        "fixtures must use natural keys: remove the pk (a database id)",
                        position,
                    )
                )
                continue
            extra = sorted(set(item) - {"model", "fields"})
            fields = item.get("fields", {})
            if extra:
                message = f"unknown key {', '.join(map(repr, extra))}: a record has only model and fields"
                problems.append(Problem(name, record_label, "-", message, position))
            elif not isinstance(fields, dict):
                problems.append(
                    Problem(name, record_label, "fields", f"must be an object, not {type_name(fields)}", position)
                )
            else:
                records.append(Record(name, number, model, fields, position))
    return records


def unknown_model_message(label):
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return f"unknown model {label!r}"
    return f"{label} is not content that fixtures hold; expected one of: {', '.join(sorted(importable_models()))}"


# --- validating and writing -------------------------------------------------------------------------

FAILED = object()  # a reference to a record that did not validate: reported there, not again here
MISSING = object()  # a reference that could not be resolved: reported on the referring record


def import_order():
    return serializers.sort_dependencies([(None, content_models())])


def record_label(model, key, number):
    if key is None or any(part in (None, "") for part in key):
        return f"{model._meta.label_lower} #{number}"
    return f"{model._meta.label_lower} {'/'.join(str(part) for part in key)}"


def as_json(value):
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def messages_of(error):
    """(field name or '-', message) pairs of a ValidationError."""
    if hasattr(error, "error_dict"):
        return [
            ("-" if name == "__all__" else name, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [("-", message) for message in error.messages]


@dataclass(frozen=True)
class ModelFields:
    concrete: list  # every concrete field but the primary key
    relations: list  # the foreign keys among them
    many: list  # many-to-many fields
    by_name: dict  # the fields a record may give, by name


@functools.cache
def searched_many_to_many(model):
    """The many-to-many fields whose rows ``model.search_document()`` takes as arguments (a case's cities:
    unsaved rows have none to read)."""
    parameters = inspect.signature(model.search_document).parameters
    return [f for f in model._meta.many_to_many if f.name in parameters]


@functools.cache
def ordering_key(model):
    """Sorts rows of ``model`` as its ``Meta.ordering`` does in SQLite (ascending fields only)."""
    names = [name for name in model._meta.ordering if isinstance(name, str) and not name.startswith("-")]
    return lambda row: tuple(getattr(row, name) for name in names)


@functools.cache
def model_fields(model):
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    many = list(model._meta.many_to_many)
    by_name = {f.name: f for f in [*concrete, *many]}
    return ModelFields(concrete, [f for f in concrete if f.is_relation], many, by_name)


class Importer:
    """One import: holds what is known by natural key, model after model."""

    def __init__(self, records, problems, progress=None):
        self.problems = problems
        self.progress = progress  # called with (model label, records, ModelChanges) as each model is done
        self.records = defaultdict(list)
        for record in records:
            self.records[record.model].append(record)
        self.database = {}  # model -> {natural key: row as it is in the database}
        self.current = {}  # model -> {natural key: instance as it will be after the import}
        self.by_pk = {}  # model -> {pk: instance as it will be after the import}
        self.failed = defaultdict(set)  # model -> natural keys of records that did not validate
        self.changes = {}
        self.old_values = {}  # record label -> {field name: (old, new)}
        self.now = timezone.now()

    def run(self):
        for model in import_order():
            if self.records.get(model):
                self.import_model(model, self.records[model])
                if self.progress:
                    label = model._meta.label_lower
                    self.progress(label, len(self.records[model]), self.changes[label])
        return self.changes

    def report(self, record, field_name, message):
        self.problems.append(Problem(record.file, record.label, field_name, message, record.position))

    # Rows already in the database, one query per model.

    def load(self, model):
        if model not in self.database:
            rows = list(model._base_manager.select_related().order_by())
            self.database[model] = {row.natural_key(): row for row in rows}
            self.current[model] = dict(self.database[model])
            self.by_pk[model] = {row.pk: row for row in rows}
        return self.database[model]

    def resolve(self, field, value, errors):
        """The instance a natural key in the files points at, FAILED or MISSING."""
        target = field.related_model
        if not isinstance(value, list | tuple):
            errors.append(
                (
                    field.name,
                    f"{as_json(value)} is not a natural key: fixtures must use natural keys, "
                    f'a list such as ["..."], not database ids',
                )
            )
            return MISSING
        key = tuple(value)
        try:
            hash(key)
        except TypeError:
            errors.append((field.name, f"{as_json(value)} is not a natural key of {target._meta.label_lower}"))
            return MISSING
        self.load(target)
        if key in self.failed[target]:
            return FAILED
        instance = self.current[target].get(key)
        if instance is None:
            errors.append(
                (
                    field.name,
                    f"no {target._meta.label_lower} with natural key {as_json(value)} in the files or the database",
                )
            )
            return MISSING
        return instance

    def build(self, model, record, fields_by_name):
        """The unsaved instance a record describes, its many-to-many targets and its errors."""
        instance = model()
        m2m = {}
        errors = []
        excluded = set()
        pk_name = model._meta.pk.name
        for name, value in record.fields.items():
            model_field = fields_by_name.get(name)
            if model_field is None:
                message = (
                    "fixtures must use natural keys: remove the database id"
                    if name in (pk_name, "pk")
                    else f"unknown field of {model._meta.label_lower}"
                )
                errors.append((name, message))
            elif model_field.many_to_many:
                m2m[name] = self.resolve_many(model_field, value, errors)
                if m2m[name] is FAILED or m2m[name] is MISSING:
                    excluded.add(name)
            elif model_field.is_relation:
                if value is None:
                    setattr(instance, model_field.name, None)
                    continue
                related = self.resolve(model_field, value, errors)
                if related is FAILED or related is MISSING:
                    excluded.add(name)
                else:
                    setattr(instance, model_field.name, related)
            elif value is None and not model_field.null:
                errors.append((name, model_field.error_messages["null"]))
                excluded.add(name)
            else:
                try:
                    setattr(instance, model_field.attname, model_field.to_python(value))
                except ValidationError as error:
                    errors.extend((name, message) for message in error.messages)
                    excluded.add(name)
        return instance, m2m, errors, excluded

    def resolve_many(self, model_field, value, errors):
        if not isinstance(value, list):
            errors.append((model_field.name, f"must be a list of natural keys, not {type_name(value)}"))
            return MISSING
        targets = {}
        for item in value:
            related = self.resolve(model_field, item, errors)
            if related is FAILED or related is MISSING:
                return related
            targets[related.pk] = related
        return targets

    def import_model(self, model, records):
        """Check every record of one model, then write the model's new and changed rows."""
        opts = model._meta
        self.load(model)
        many = list(opts.many_to_many)
        through_rows = {f.name: self.through_rows(f) for f in many}
        built = {}  # natural key -> (record, instance or None when invalid, m2m, changed fields or None when new)
        for record in records:
            self.check_record(model, record, built, through_rows)
        self.check_unique(model, built)

        valid = {key: entry for key, entry in built.items() if entry[1] is not None and key not in self.failed[model]}
        created = [entry for entry in valid.values() if entry[3] is None]
        updated = [entry for entry in valid.values() if entry[3]]
        self.changes[opts.label_lower] = ModelChanges(
            created=[record.label for record, *_ in created],
            updated=[(record.label, changed) for record, _, _, changed in updated],
            unchanged=len(valid) - len(created) - len(updated),
            **publication_changes(model, updated, self.old_values),
        )
        try:
            with transaction.atomic():
                self.write(model, created, updated, through_rows)
        except DatabaseError as error:
            self.database_refused(model, records, created, updated, error)
            return
        for key, (_, instance, _, _) in valid.items():
            self.current[model][key] = instance
            self.by_pk[model][instance.pk] = instance

    def check_record(self, model, record, built, through_rows):
        """Validate one record as the admin would; adds it to ``built`` under its natural key."""
        fields = model_fields(model)
        instance, m2m, errors, excluded = self.build(model, record, fields.by_name)
        try:
            key = instance.natural_key()
        except (ObjectDoesNotExist, AttributeError, TypeError):  # a part of it could not be read or resolved
            key = None
        if key is not None and any(part in (None, "") for part in key):
            key = None
        record.natural_key = key
        record.label = record_label(model, key, record.number)
        if key is not None and key in built:
            first = built[key][0]
            self.report(record, "-", f"the natural key appears twice: also record #{first.number} of {first.file}")
            return

        existing = self.database[model].get(key) if key is not None else None
        if existing is not None:
            self.take_missing_values(instance, existing, record, fields.concrete)
        for relation in fields.relations:
            if relation.name not in excluded and getattr(instance, relation.attname) is None and not relation.null:
                errors.append((relation.name, relation.error_messages["null"]))
        try:
            instance.full_clean(
                # References were resolved above; ForeignKey.validate() would query once per record.
                exclude=excluded | {f.name for f in [*fields.relations, *fields.many]},
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            # A field already reported (unreadable value, unknown reference) is not reported again by clean().
            errors.extend((name, message) for name, message in messages_of(error) if name not in excluded)
        if key is None and not errors:
            errors.append(("-", "the record does not give its natural key"))

        if errors:
            for field_name, message in errors:
                self.report(record, field_name, message)
            if key is not None:
                self.failed[model].add(key)
                built[key] = (record, None, None, None)
            return
        changed = None
        if existing is not None:
            changed = [f.name for f in fields.concrete if getattr(instance, f.attname) != getattr(existing, f.attname)]
            changed += [
                name
                for name, targets in m2m.items()
                if targets.keys() != through_rows[name].get(existing.pk, {}).keys()
            ]
            if changed:
                self.old_values[record.label] = self.describe(existing, instance, changed, m2m, through_rows)
                stamp_publication(existing, instance, record, changed)
        built[key] = (record, instance, m2m, changed)

    def describe(self, existing, instance, changed, m2m, through_rows):
        """{field name: (old, new)} of a changed row, as text, for the report (``-v 2``)."""
        fields = model_fields(type(instance)).by_name
        described = {}
        for name in changed:
            field = fields[name]
            if field.many_to_many:
                self.load(field.related_model)
                rows = self.by_pk[field.related_model]
                old = through_rows[name].get(existing.pk, {}).keys()
                described[name] = tuple(sorted(str(rows.get(pk, pk)) for pk in pks) for pks in (old, m2m[name].keys()))
            else:
                described[name] = (getattr(existing, field.attname), getattr(instance, field.attname))
        return described

    def take_missing_values(self, instance, existing, record, concrete):
        """An update keeps the database's value of every field the record leaves out."""
        instance.pk = existing.pk
        instance._state.adding = False
        instance._state.db = existing._state.db
        for model_field in concrete:
            if model_field.name in record.fields:
                continue
            value = getattr(existing, model_field.attname)
            if model_field.is_relation and value is not None:
                target = model_field.related_model
                self.load(target)
                related = self.by_pk[target].get(value)
                if related is not None:  # assigned as an object, so that clean() reads it without a query
                    setattr(instance, model_field.name, related)
                    continue
            setattr(instance, model_field.attname, value)

    def through_rows(self, model_field):
        """{source pk: {target pk: through row pk}} for a many-to-many field, in one query."""
        through = model_field.remote_field.through
        source = through._meta.get_field(model_field.m2m_field_name()).attname
        target = through._meta.get_field(model_field.m2m_reverse_field_name()).attname
        rows = defaultdict(dict)
        for pk, source_pk, target_pk in through._base_manager.values_list("pk", source, target):
            rows[source_pk][target_pk] = pk
        return rows

    def check_unique(self, model, built):
        """Unique fields and constraints, over the database and the files together, in memory."""
        opts = model._meta
        unique_sets = [(f,) for f in opts.concrete_fields if f.unique and not f.primary_key]
        unique_sets += [tuple(opts.get_field(name) for name in names) for names in opts.unique_together]
        unique_sets += [
            tuple(opts.get_field(name) for name in constraint.fields) for constraint in opts.total_unique_constraints
        ]
        final = dict(self.database[model])  # natural key -> the row as it will be
        from_files = {}
        for key, (record, instance, _, _) in built.items():
            if instance is not None:
                final[key] = instance
                from_files[key] = record

        def where(key):
            origin = from_files[key].file if key in from_files else "the database"
            return f"{'/'.join(map(str, key))} (in {origin})"

        for unique_set in unique_sets:
            holders = defaultdict(list)
            for key, instance in final.items():
                value = tuple(getattr(instance, f.attname) for f in unique_set)
                if None not in value:
                    holders[value].append(key)
            names = " and ".join(f.name for f in unique_set)
            for keys in holders.values():
                for key in keys if len(keys) > 1 else ():
                    if key in from_files:
                        others = ", ".join(where(other) for other in keys if other != key)
                        self.report(
                            from_files[key],
                            unique_set[-1].name,
                            f"another {opts.label_lower} has the same {names}: {others}",
                        )
                        self.failed[model].add(key)

    def write(self, model, created, updated, through_rows):
        manager = model._default_manager
        for record, instance, _, _ in created + updated:
            instance._change_reason = CHANGE_REASON.format(file=Path(record.file).name)
        retexted = self.fill_search_text(model, created + updated, through_rows)
        new = [instance for _, instance, _, _ in created]
        manager.bulk_create(new)
        concrete_names = {f.name for f in model._meta.concrete_fields}
        changed_fields = sorted({name for *_, changed in updated for name in changed if name in concrete_names})
        if retexted:
            changed_fields.append(SEARCH_FIELD)
        if changed_fields:
            manager.bulk_update(
                [
                    instance
                    for *_, instance, _, changed in updated
                    if concrete_names.intersection(changed) or id(instance) in retexted
                ],
                changed_fields,
            )
        final_rows = self.write_many_to_many(model, created + updated, through_rows)
        # Bulk writes bypass save(): these rows got their search text above, as save() gives it; rebuild the
        # texts of the rows that name them.
        search.changed(model, [instance.pk for _, instance, _, _ in created + updated], itself=False)
        self.write_history(model, new, [instance for _, instance, _, _ in updated], final_rows)

    def fill_search_text(self, model, entries, through_rows):
        """Give each row its search text before it is written, as ``save()`` would, from the rows as they
        will be after the import, so that no row is read back and written a second time. Returns the ids of
        the updated instances whose text changes.

        A case's cities are passed in their ``Meta.ordering`` as Python sorts it: the order the database
        gives them on SQLite; on PostgreSQL a locale's collation may order two accented names otherwise,
        which changes the order of words in the text and not what a search finds."""
        if SEARCH_FIELD not in {f.name for f in model._meta.concrete_fields}:
            return set()
        many = searched_many_to_many(model)
        for model_field in many:
            self.load(model_field.related_model)
        retexted = set()
        for _, instance, m2m, _ in entries:
            related = {}
            for model_field in many:
                name, rows = model_field.name, self.by_pk[model_field.related_model]
                if name in m2m:
                    targets = list(m2m[name].values())
                else:
                    targets = [rows[pk] for pk in through_rows[name].get(instance.pk, {}) if pk in rows]
                # In the order the refresh reads them (the related model's ordering; SQLite and C collation).
                related[name] = sorted(targets, key=ordering_key(model_field.related_model))
            text = instance.search_document(**related)
            if not instance._state.adding and text != instance.search_text:
                retexted.add(id(instance))
            instance.search_text = text
        return retexted

    def write_many_to_many(self, model, entries, through_rows):
        """Replace the many-to-many rows the records give; returns {field: {pk: {target pk: row pk}}}."""
        final = {}
        for model_field in model._meta.many_to_many:
            name = model_field.name
            through = model_field.remote_field.through
            source = through._meta.get_field(model_field.m2m_field_name()).attname
            target = through._meta.get_field(model_field.m2m_reverse_field_name()).attname
            rows = {}
            stale, fresh = [], []
            for _, instance, m2m, _ in entries:
                current = dict(through_rows[name].get(instance.pk, {}))
                if name in m2m:
                    wanted = m2m[name]
                    stale += [row for target_pk, row in current.items() if target_pk not in wanted]
                    fresh += [
                        through(**{source: instance.pk, target: target_pk})
                        for target_pk in wanted
                        if target_pk not in current
                    ]
                    current = {target_pk: row for target_pk, row in current.items() if target_pk in wanted}
                rows[instance.pk] = current
            for start in range(0, len(stale), DELETE_BATCH):
                through._base_manager.filter(pk__in=stale[start : start + DELETE_BATCH]).delete()
            for row in through._base_manager.bulk_create(fresh):
                rows[getattr(row, source)][getattr(row, target)] = row.pk
            final[name] = rows
        return final

    def write_history(self, model, created, updated, final_rows):
        """One historical row per created or updated object, with its many-to-many rows, in bulk."""
        try:
            history = get_history_manager_for_model(model)
        except NotHistoricalModelError:
            return
        historical = []
        if created:
            historical += history.bulk_history_create(created, default_date=self.now)
        if updated:
            historical += history.bulk_history_create(updated, update=True, default_date=self.now)
        if historical and historical[0].pk is None:
            raise ImproperlyConfigured("import_fixtures needs a database that returns ids from bulk inserts.")
        history_model = history.model
        pk_name = model._meta.pk.attname
        for model_field in getattr(history_model, "_history_m2m_fields", []):
            m2m_history = getattr(history_model, model_field.name).model
            through = model_field.remote_field.through
            source = through._meta.get_field(model_field.m2m_field_name()).attname
            target = through._meta.get_field(model_field.m2m_reverse_field_name()).attname
            rows = final_rows.get(model_field.name, {})
            m2m_history._base_manager.bulk_create(
                m2m_history(history_id=entry.pk, **{"id": row_pk, source: getattr(entry, pk_name), target: target_pk})
                for entry in historical
                for target_pk, row_pk in rows.get(getattr(entry, pk_name), {}).items()
            )

    def database_refused(self, model, records, created, updated, error):
        """The database refused a write that validation let through: find the records to blame.

        The slow path, taken only after a failure: Django's per-record constraint checks.
        """
        for _, instance, _, _ in created:
            instance.pk = None
            instance._state.adding = True
        blamed = False
        for record, instance, _, _ in created + updated:
            try:
                instance.validate_constraints()
                instance.validate_unique()
            except ValidationError as exc:
                for field_name, message in messages_of(exc):
                    self.report(record, field_name, message)
                blamed = True
        if not blamed:
            first_of_file = {}
            for record in records:
                first_of_file.setdefault(record.file, record)
            for file, record in first_of_file.items():
                message = f"the database refused these records: {error}"
                self.problems.append(Problem(file, model._meta.label_lower, "-", message, record.position))
        for record in records:
            if record.natural_key is not None:
                self.failed[model].add(record.natural_key)


def stamp_publication(existing, instance, record, changed):
    """A row the import makes public again (draft → published) is stamped as published now, unless the
    record carries its own dates. New rows keep what their file carries, so that a round trip is exact."""
    if "status" not in changed or not hasattr(instance, "mark_published") or not instance.is_published:
        return
    if "last_published_at" in record.fields:
        return
    instance.mark_published()
    changed.extend(name for name in ("first_published_at", "last_published_at") if name not in changed)


def publication_changes(model, updated, old_values):
    """The updated rows that change status, by direction, and the old → new values of every updated row."""
    published, unpublished = [], []
    for record, instance, _, changed in updated:
        if "status" in changed and hasattr(instance, "is_published"):
            (published if instance.is_published else unpublished).append(record.label)
    values = {record.label: old_values.get(record.label, {}) for record, *_ in updated}
    return {"published": published, "unpublished": unpublished, "values": values}


def import_fixtures(paths, *, dry_run=False, progress=None):
    """Validate the fixture files and write all of them, or nothing; see the module docstring.

    ``progress``, if given, is called as each model is done, with its label, its number of records and
    its ``ModelChanges`` (the command passes one on a terminal)."""
    problems = []
    report = ImportReport(dry_run=dry_run, problems=problems)
    records = read_records(paths, problems)
    with transaction.atomic():
        report.changes = Importer(records, problems, progress).run()
        if problems or dry_run:
            transaction.set_rollback(True)
    problems.sort(key=lambda problem: problem.position)
    if not problems and not dry_run and report.changed:
        content_changed()
    return report

"""Shared test fixtures: small factories for most tests; the shipped fixtures only where a test is about them."""

import contextlib
import datetime
import functools
import itertools
import re
import weakref

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.backends.signals import connection_created
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from core import search
from core.cache import content_changed
from core.content import Status
from dataio.layout import FIXTURE_NAMES
from projects.models import Case, CaseCategory, City, Country, Region, Relationship, Sector, WorkKind
from rankings.models import HostedOrganization, OrganizationField, RankingIndex, RankingResult
from tests import migrated_database

# The replica router is tested against a real streaming replica on PostgreSQL (test_replica.py starts
# one) and against a second database standing in for one on SQLite (test_router.py): each needs its engine.
ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
collect_ignore = ["production/test_replica.py"] if ON_SQLITE else ["production/test_router.py"]
# The migrated database kept between runs is SQLite's alone (tests/migrated_database.py).
if not ON_SQLITE:
    collect_ignore.append("test_migrated_database.py")


# Every connection this test process opens. Django keeps one per thread and per context (asgiref's Local),
# and Playwright's sync API runs a browser test in a context of its own, so a connection opened there is not
# the one pytest-django closes before dropping the test database: it would be left open ("being accessed by
# other users"). ``django_db_setup`` below closes them all first.
OPENED = weakref.WeakSet()
connection_created.connect(lambda sender, connection, **kwargs: OPENED.add(connection), weak=False)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """Runs just before pytest-django creates the test databases (``django_db_setup``): from here until they
    are made, migrating SQLite's reuses a database migrated by an earlier run (tests/migrated_database.py)."""
    migrated_database.start()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases (``migrate`` as Django has it again once they are made), with every
    connection the test thread opened closed before they are dropped."""
    migrated_database.stop()
    yield
    for opened in list(OPENED):
        with contextlib.suppress(DatabaseError):  # another thread's (a live server's): that thread closes it
            opened.close()


def pytest_collection_modifyitems(items):
    """The tests marked ``long`` start first. pytest-xdist hands tests out in this order and pytest-django
    puts the tests without a database last, so a long one there would leave the other worker idle while
    it ran alone at the end. The sort is stable: the rest keep pytest-django's order. None of them is
    transactional, so every test with the database still runs before the transactional ones."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


AS_OF = datetime.date(2017, 3, 31)
# The data migrations that shape the staff roles, in order: the groups, then reference data for Publishers only.
ROLES_MIGRATIONS = [("projects", "0004_roles"), ("projects", "0012_reference_data_for_publishers")]
ROLES = ("Editors", "Publishers")
_sequence = itertools.count(1)


def labelled_counts(html, name):
    """{choice value: count shown in its label} for the checkboxes of filter ``name`` in a list page's HTML."""
    pattern = rf'name="{name}" value="([^"]+)"[^>]*>\s*<label[^>]*>[^<(]*\((\d+)\)</label>'
    return {value: int(count) for value, count in re.findall(pattern, html)}


def provenance(**overrides):
    """Provenance fields, the Korean source included (check_data reports an English field without its twin)."""
    return {"source": "Test source", "source_ko": "시험 출처", "as_of": AS_OF, **overrides}


def korean_twin(fields, field):
    """Give ``fields`` a Korean ``<field>_ko`` unless the test set one (even an empty one)."""
    if fields.get(field):
        fields.setdefault(f"{field}_ko", f"{fields[field]} (한국어)")
    return fields


@pytest.fixture(scope="session")
def shipped_rows(django_db_setup, django_db_blocker):
    """Every row that loading the shipped fixtures writes, read once per test process: ``loaddata`` parses
    the files and resolves their natural keys (and django-simple-history records each row) inside a
    transaction that is then rolled back; the rows of every table of the content apps are kept, primary
    keys included. Foreign keys are checked when a test's transaction ends, so the order is free. The search
    texts are rebuilt once, after the load (``search_text_rebuilt_once``): the same texts as the load's own
    rebuild after every saved row (test_shipped_fixtures.py compares them), in a few bulk queries."""
    with django_db_blocker.unblock(), transaction.atomic():
        with search_text_rebuilt_once():
            call_command("loaddata", *FIXTURE_NAMES, verbosity=0)
        models = [  # (not an unmanaged model's: a table the database keeps from another, e.g. by triggers)
            model
            for label in settings.CONTENT_APPS
            for model in apps.get_app_config(label).get_models()
            if model._meta.managed
        ]
        models += [field.remote_field.through for model in models for field in model._meta.local_many_to_many]
        rows = [(model, list(model._base_manager.order_by("pk"))) for model in dict.fromkeys(models)]
        transaction.set_rollback(True)
    return ShippedRows((model, table) for model, table in rows if table)


@contextlib.contextmanager
def search_text_rebuilt_once():
    """Collect the rows that saves ask ``core.search.changed()`` to rebuild, and rebuild each of them once when
    the block ends: the texts are read from the rows as they are then, so they are the ones a rebuild after
    every save leaves."""
    asked = {}

    def collect(model, pks, *, itself=True):
        asked.setdefault((model, itself), {}).update(dict.fromkeys(pks))

    changed = search.changed
    search.changed = collect
    try:
        yield
    finally:
        search.changed = changed
    for (model, itself), pks in asked.items():
        changed(model, pks, itself=itself)


def write_rows(shipped_rows):
    """Write the rows read by ``shipped_rows``: per table, one INSERT run for all its rows, with the values as
    the rows hold them (as ``loaddata``'s raw saves write them). The statements and their values are prepared
    once per test process (``ShippedRows.inserts``): preparing them is most of what ``bulk_create`` spent here."""
    with connection.cursor() as cursor:
        for sql, values in shipped_rows.inserts:
            cursor.executemany(sql, values)
    content_changed()  # as loaddata's saves would: what was cached for other data is stale
    statements = connection.ops.sequence_reset_sql(no_style(), [model for model, _ in shipped_rows])
    if statements:  # PostgreSQL: rows created later must not collide with the primary keys written here
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


class ShippedRows(list):
    """[(model, [its rows])], as ``shipped_rows`` reads them, with the statements that write them."""

    @functools.cached_property
    def inserts(self):
        """[(INSERT statement, [values of each row])], one for each table, prepared once."""
        quote = connection.ops.quote_name
        statements = []
        for model, rows in self:
            fields = [field for field in model._meta.concrete_fields if not field.generated]  # as bulk_create
            columns = ", ".join(quote(field.column) for field in fields)
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
            values = [
                tuple(field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields)
                for row in rows
            ]
            statements.append((sql, values))
        return statements


def delete_rows(shipped_rows):
    """Empty the tables ``write_rows`` wrote (the last written first), leaving every other table as it was."""
    with transaction.atomic(), connection.cursor() as cursor:
        for model, _rows in reversed(shipped_rows):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    content_changed()


@pytest.fixture
def shipped_data(db, shipped_rows):
    """The whole shipped data set, as ``loaddata`` of the fixtures gives it (raw rows, no history), written
    with one bulk insert per table from the rows read once per test process (``shipped_rows``)."""
    write_rows(shipped_rows)


# Factories: plain functions, so that data a module's tests share can be written once (``module_transaction``);
# each is also a fixture, ``make_<name>``, which gives a test database access.


def create_country(code="TH", name=None, region=Region.SOUTHEAST_ASIA, **fields):
    country, _ = Country.objects.get_or_create(
        code=code,
        defaults=korean_twin({"name": name or f"Country {code}", "region": region, **fields}, "name"),
    )
    return country


def create_sector(slug=None, **fields):
    number = next(_sequence)
    slug = slug or f"sector-{number}"
    defaults = {"name": slug.replace("-", " ").title(), "order": number, **provenance(), **fields}
    korean_twin(defaults, "name")
    return Sector.objects.get_or_create(slug=slug, defaults=defaults)[0]


def create_category(slug=None, sector=None, **fields):
    slug = slug or f"category-{next(_sequence)}"
    fields.setdefault("name", slug.replace("-", " ").title())
    korean_twin(fields, "name")
    return CaseCategory.objects.create(slug=slug, sector=sector or create_sector(), **fields)


def create_city(slug=None, country=None, status=Status.PUBLISHED, **fields):
    slug = slug or f"city-{next(_sequence)}"
    fields.setdefault("name", slug.replace("-", " ").title())
    korean_twin(fields, "name")
    return City.objects.create(slug=slug, country=country or create_country(), status=status, **provenance(**fields))


def create_case(slug=None, sector=None, country=None, cities=(), status=Status.PUBLISHED, **fields):
    slug = slug or f"case-{next(_sequence)}"
    fields.setdefault("title", slug.replace("-", " ").title())
    fields.setdefault("kind", WorkKind.CONSULTING)
    korean_twin(fields, "title")
    case = Case.objects.create(
        slug=slug,
        sector=sector or create_sector("transportation"),
        country=country or create_country(),
        status=status,
        **provenance(**fields),
    )
    case.cities.set(cities)
    return case


def create_result(index_slug="gpci", edition=2016, scope="world", rank=6, status=Status.PUBLISHED, **fields):
    index, _ = RankingIndex.objects.get_or_create(
        slug=index_slug,
        defaults={"name": f"Index {index_slug}", "name_ko": f"지수 {index_slug}", "publisher": "Publisher"},
    )
    return RankingResult.objects.create(
        index=index, edition=edition, scope=scope, rank=rank, status=status, **provenance(**fields)
    )


def create_organization(slug=None, field=OrganizationField.CITY_NETWORKS, status=Status.PUBLISHED, **fields):
    slug = slug or f"org-{next(_sequence)}"
    fields.setdefault("name", slug.upper())
    korean_twin(fields, "name")
    return HostedOrganization.objects.create(slug=slug, field=field, status=status, **provenance(**fields))


@pytest.fixture
def make_country(db):
    return create_country


@pytest.fixture
def make_sector(db):
    return create_sector


@pytest.fixture
def make_category(db):
    return create_category


@pytest.fixture
def make_city(db):
    return create_city


@pytest.fixture
def make_case(db):
    return create_case


@pytest.fixture
def make_result(db):
    return create_result


@pytest.fixture
def make_organization(db):
    return create_organization


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """Data that the tests of a module share, as Django's ``setUpTestData``: a fixture written through this
    one (module-scoped, under ``django_db_blocker.unblock()``) writes inside a transaction that stays open
    while the module's tests run and is rolled back after the last; each test (``db``) runs in a savepoint
    inside it. Not for tests that need transactional access (``live_server``, ``transactional_db``)."""
    with django_db_blocker.unblock():
        opened = connections[DEFAULT_DB_ALIAS]
        atomic = transaction.atomic()
        atomic.__enter__()
    yield
    # Django keeps a connection per thread *and context* (asgiref's Local): exiting through another object
    # than the one entered would leave this transaction open, its locks blocking every later flush.
    assert connections[DEFAULT_DB_ALIAS] is opened, "the module's transaction ends in another context than it began"
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def sister_city(make_city, make_country):
    return make_city(
        "bangkok",
        country=make_country("TH", "Thailand"),
        name="Bangkok",
        relationship=Relationship.SISTER,
        relationship_year=2006,
        latitude=13.76,
        longitude=100.5,
    )


def restore_roles():
    """The Editors and Publishers groups, as the data migration projects/0004_roles makes them.

    A live-server test ends by emptying the database (pytest-django flushes it after each transactional
    test), and the rows made by data migrations go with it: after an earlier browser test in the same
    process the groups are gone. Then every migration that shapes the roles runs its function again, in
    order, each on the models as they were at that migration, as ``migrate`` runs them (replaying the
    first alone gave Editors back the reference data that a later one took from them). (``serialized_rollback``
    cannot do this: it fails to reload the content types that the flush of an earlier test has recreated
    with new ids.)
    """
    if Group.objects.filter(name__in=ROLES).count() == len(ROLES):
        return
    loader = MigrationLoader(connection)
    for key in ROLES_MIGRATIONS:
        state = loader.project_state(key, at_end=False)
        for operation in loader.get_migration(*key).operations:
            operation.code(state.apps, None)
    assert Group.objects.filter(name__in=ROLES).count() == len(ROLES)


@pytest.fixture
def role(db):
    """The group of a staff role by name ("Editors", "Publishers"), made again first if an earlier
    transactional test in this process emptied the database (``restore_roles``)."""
    restore_roles()
    return lambda name: Group.objects.get(name=name)


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a request to a /ko/ page leaves Korean active in the thread
    (LocaleMiddleware activates a language and never resets it), which would leak into the next test."""
    translation.activate("en")
    yield
    translation.activate("en")

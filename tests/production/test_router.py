"""Public reads go to the replica, writes and staff to the primary (seoul_diplomacy.db_routers).

On SQLite (tests/conftest.py leaves this module out on PostgreSQL, where test_replica.py runs the router
against a real streaming replica): the test settings define a second, separate database, ``replica``;
here it holds a copy of a case whose title differs from the primary's, so each page shows which
database it read.
"""

import pytest
from django.db import connections, transaction
from django.urls import reverse

from core.content import Status
from projects.models import Case, Country, Sector, WorkKind
from seoul_diplomacy.db_routers import REPLICA, ReplicaRouter, public_reads

if connections["default"].vendor != "sqlite":  # only when this file is named on the command line
    pytest.skip("the stand-in replica is SQLite's; on PostgreSQL, test_replica.py runs", allow_module_level=True)

# Outside a transaction, as requests run: inside one, the router reads from the primary (on purpose).
pytestmark = pytest.mark.django_db(databases=["default", REPLICA], transaction=True)

PRIMARY_TITLE = "Title on the primary"
REPLICA_TITLE = "Title on the replica"


@pytest.fixture
def router(settings):
    settings.DATABASE_ROUTERS = ["seoul_diplomacy.db_routers.ReplicaRouter"]


@pytest.fixture
def case(make_case):
    """One case on the primary, and its copy on the replica under another title."""
    case = make_case("bangkok-card", title=PRIMARY_TITLE)
    for row in (case.country, case.sector):
        row.save(using=REPLICA, force_insert=True)
    copy = Case.objects.get(pk=case.pk)
    copy.title = REPLICA_TITLE
    copy.save(using=REPLICA, force_insert=True)
    return case


def test_anonymous_public_pages_read_from_the_replica(client, router, case):
    assert REPLICA_TITLE.encode() in client.get(case.get_absolute_url()).content
    assert REPLICA_TITLE.encode() in client.get(reverse("projects:case_list")).content


def test_staff_and_the_admin_read_from_the_primary(admin_client, router, case):
    page = admin_client.get(case.get_absolute_url()).content
    assert PRIMARY_TITLE.encode() in page and REPLICA_TITLE.encode() not in page
    assert PRIMARY_TITLE.encode() in admin_client.get(reverse("admin:projects_case_changelist")).content


def test_writes_go_to_the_primary_even_during_a_public_request(router, case):
    with public_reads():
        assert Case.objects.get(pk=case.pk).title == REPLICA_TITLE
        with transaction.atomic():  # reads inside a transaction see its own writes: the primary
            assert Case.objects.get(pk=case.pk).title == PRIMARY_TITLE
        Country.objects.create(code="VN", name="Viet Nam", region="southeast-asia")
        # After a write, the rest of the request reads what it wrote: the primary.
        assert Case.objects.get(pk=case.pk).title == PRIMARY_TITLE
    assert Country.objects.using("default").filter(code="VN").exists()
    assert not Country.objects.using(REPLICA).filter(code="VN").exists()


def test_code_outside_a_public_request_reads_the_primary(router, case):
    """Management commands, the shell, background work: always the primary."""
    assert Case.objects.get(pk=case.pk).title == PRIMARY_TITLE


def test_an_object_read_from_the_replica_is_saved_to_the_primary(router, case):
    with public_reads():
        copy = Case.objects.get(pk=case.pk)
    copy.summary = "Edited"
    copy.save()
    assert Case.objects.using("default").get(pk=case.pk).summary == "Edited"


def test_without_a_replica_everything_uses_the_primary(router, settings, case, monkeypatch):
    monkeypatch.delitem(settings.DATABASES, REPLICA)
    with public_reads():
        assert ReplicaRouter().db_for_read(Case) == "default"


def test_migrations_never_run_on_the_replica():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "projects") is False
    assert router.allow_migrate("default", "projects") is True


def test_relations_between_the_two_are_allowed(router, case):
    with public_reads():
        replica_sector = Sector.objects.get(pk=case.sector_id)
    primary_case = Case(
        slug="new", title="New", sector=replica_sector, country=case.country, kind=WorkKind.DESIGN,
        status=Status.PUBLISHED, source="s", as_of=case.as_of,
    )  # fmt: skip
    primary_case.save()
    assert primary_case._state.db == "default"

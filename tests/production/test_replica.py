"""The read-replica router against a real streaming replica (PostgreSQL only; tests/conftest.py leaves
this module out on SQLite, where test_router.py covers the router against a stand-in database).

``streaming_replica`` starts a second PostgreSQL cluster on 127.0.0.1, on a free port and in a temporary
data directory, as a hot standby of the test run's server (scripts/replica.sh: pg_basebackup -R), waits
until it streams, points the ``replica`` alias at it (the test settings make that alias a mirror of the
test database, which the replica receives by replication), and stops and removes it afterwards. If it
cannot start, every test here fails: none is skipped.

The tests run outside a test transaction (``transaction=True``): a row in an uncommitted transaction
never reaches a replica. To show where a page read from, replay on the replica is paused and the primary
changed: the replica then still has the old row.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import DatabaseError, OperationalError, close_old_connections, connections
from django.urls import reverse

from projects.models import Case, Country
from seoul_diplomacy.db_routers import LAG_SQL, REPLICA, health, public_reads
from tests.production.test_cache import admin_form_data
from tests.production.test_fail_fast import BlackHole

if connections["default"].vendor != "postgresql":  # only when this file is named on the command line
    pytest.skip("a streaming replica needs PostgreSQL: DATABASE_URL=postgres://...", allow_module_level=True)

pytestmark = pytest.mark.django_db(databases=["default", REPLICA], transaction=True)

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "replica.sh"
OLD_TITLE = "Bangkok transportation card"
NEW_TITLE = "Bangkok smart card"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StreamingReplica:
    def __init__(self):
        primary = connections["default"].settings_dict
        self.env = {
            **os.environ,
            "PRIMARY_HOST": primary["HOST"] or "127.0.0.1",
            "PRIMARY_PORT": str(primary["PORT"] or 5432),
        }
        self.port = free_port()
        self.parent = tempfile.mkdtemp(prefix="seoul-diplomacy-replica-")
        if os.getuid() == 0:  # PostgreSQL runs as postgres, never as root (scripts/replica.sh)
            shutil.chown(self.parent, "postgres")
        self.datadir = os.path.join(self.parent, "data")

    def script(self, command):
        done = subprocess.run(
            [SCRIPT, command, str(self.port), self.datadir], env=self.env, capture_output=True, text=True, timeout=120
        )
        if done.returncode:
            pytest.fail(f"scripts/replica.sh {command} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def start(self):
        self.script("start")

    def stop(self):
        self.script("stop")

    def remove(self):
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.parent, ignore_errors=True)

    def query(self, sql, alias=REPLICA):
        with connections[alias].cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def wait_for_replay(self, timeout=30):
        """Until the replica has replayed everything the primary has written so far."""
        lsn = self.query("SELECT pg_current_wal_lsn()", alias="default")
        deadline = time.monotonic() + timeout
        while not self.query(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"):
            assert time.monotonic() < deadline, f"the replica did not replay up to {lsn} within {timeout} s"
            time.sleep(0.02)

    def pause(self):
        """Stop applying WAL: the replica keeps what it has, and falls behind every later commit."""
        self.wait_for_replay()
        self.query("SELECT pg_wal_replay_pause()::text")

    def resume(self):
        self.query("SELECT pg_wal_replay_resume()::text")
        self.wait_for_replay()


@pytest.fixture(scope="module")
def streaming_replica(django_db_setup):
    replica = StreamingReplica()
    alias = connections[REPLICA]
    saved = {key: alias.settings_dict[key] for key in ("HOST", "PORT")}
    try:
        replica.start()
        alias.close()
        alias.settings_dict.update(HOST="127.0.0.1", PORT=str(replica.port))
        yield replica
    finally:
        alias.close()
        alias.settings_dict.update(saved)
        replica.remove()


@pytest.fixture
def router(settings, streaming_replica):
    """The router on, checking the replica before every read; replay paused by a test is not lag unless
    the test lowers the bound."""
    settings.DATABASE_ROUTERS = ["seoul_diplomacy.db_routers.ReplicaRouter"]
    settings.REPLICA_CHECK_SECONDS = 0
    settings.REPLICA_MAX_LAG_SECONDS = 3600
    health.forget()
    yield streaming_replica
    streaming_replica.resume()
    health.forget()


@pytest.fixture
def queries():
    """The statements each alias answered, as (alias, sql) in order."""
    seen = []
    with contextlib.ExitStack() as stack:
        for alias in ("default", REPLICA):

            def record(execute, sql, params, many, context, alias=alias):
                result = execute(sql, params, many, context)
                seen.append((alias, sql))
                return result

            stack.enter_context(connections[alias].execute_wrapper(record))
        yield seen


def on(seen, alias):
    return [sql for name, sql in seen if name == alias]


@pytest.fixture
def case(make_case, make_city, make_country):
    city = make_city("bangkok", country=make_country("TH", "Thailand"), name="Bangkok")
    return make_case("bangkok-card", title=OLD_TITLE, cities=[city])


def timed_get(client, url):
    started = time.monotonic()
    page = client.get(url)
    return page, time.monotonic() - started


def rename_on_the_primary(case, title=NEW_TITLE):
    Case.objects.filter(pk=case.pk).update(title=title)


def test_the_replica_is_a_streaming_hot_standby_of_the_test_database(streaming_replica, case):
    assert streaming_replica.query("SELECT pg_is_in_recovery()") is True
    assert streaming_replica.query("SELECT pg_is_in_recovery()", alias="default") is False
    assert streaming_replica.query("SELECT status FROM pg_stat_wal_receiver") == "streaming"
    assert streaming_replica.query("SELECT inet_server_port()") == streaming_replica.port
    assert streaming_replica.query("SELECT current_database()") == connections["default"].settings_dict["NAME"]
    streaming_replica.wait_for_replay()
    assert Case.objects.using(REPLICA).get(pk=case.pk).title == OLD_TITLE  # written on the primary only
    with pytest.raises(DatabaseError, match="read-only transaction"):
        Country.objects.using(REPLICA).create(code="VN", name="Viet Nam", region="southeast-asia")


def test_anonymous_pages_read_from_the_replica(client, router, case, queries):
    router.pause()
    rename_on_the_primary(case)
    queries.clear()
    for url in (case.get_absolute_url(), reverse("projects:case_list")):
        page = client.get(url)
        assert page.status_code == 200
        assert OLD_TITLE.encode() in page.content and NEW_TITLE.encode() not in page.content
    assert on(queries, REPLICA) and not on(queries, "default")
    router.resume()
    assert NEW_TITLE.encode() in client.get(case.get_absolute_url()).content


def test_staff_read_their_own_write_right_after_saving(client, admin_client, router, case, queries):
    router.pause()
    data = admin_form_data(admin_client, case)
    data["title"] = NEW_TITLE
    response = admin_client.post(reverse("admin:projects_case_change", args=[case.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    queries.clear()
    staff_page = admin_client.get(case.get_absolute_url()).content
    assert NEW_TITLE.encode() in staff_page and OLD_TITLE.encode() not in staff_page
    assert NEW_TITLE.encode() in admin_client.get(reverse("projects:case_list")).content
    assert on(queries, "default") and not on(queries, REPLICA)
    # Meanwhile the replica (replay paused) still has the old title, and anonymous visitors see it.
    assert OLD_TITLE.encode() in client.get(case.get_absolute_url()).content
    router.resume()
    assert NEW_TITLE.encode() in client.get(case.get_absolute_url()).content


def test_writes_and_the_reads_after_them_in_a_request_go_to_the_primary(router, case):
    router.pause()
    with public_reads():  # what an anonymous GET runs in
        Country.objects.create(code="VN", name="Viet Nam", region="southeast-asia")
        assert Country.objects.filter(code="VN").exists()  # its own write, read from the primary
    assert Country.objects.using("default").filter(code="VN").exists()
    with public_reads():  # the next request reads the replica again, which has not replayed the write
        assert not Country.objects.filter(code="VN").exists()
    router.resume()
    with public_reads():
        assert Country.objects.filter(code="VN").exists()


def test_with_the_replica_down_pages_are_served_from_the_primary(client, router, settings, case, queries):
    # The router trusts its last check for a minute: the replica's going away is noticed when its
    # connection is found dead (a query on it fails; seoul_diplomacy.resilience runs the page once more,
    # and the router, having marked the replica down, sends it to the primary), not at the next check.
    settings.REPLICA_CHECK_SECONDS = 60
    router.wait_for_replay()
    queries.clear()
    assert client.get(case.get_absolute_url()).status_code == 200
    assert on(queries, REPLICA) and not on(queries, "default")
    router.stop()
    try:
        queries.clear()
        timed = [timed_get(client, url) for url in (case.get_absolute_url(), reverse("projects:case_list"), "/")]
        assert [page.status_code for page, _ in timed] == [200, 200, 200]
        assert OLD_TITLE.encode() in timed[0][0].content
        assert on(queries, "default") and not on(queries, REPLICA)
        # A refused connection costs milliseconds: no page waits anything like a connect timeout (3 s).
        assert max(took for _, took in timed) < 2, [round(took, 2) for _, took in timed]
    finally:
        router.start()
    health.forget()  # the next check finds it back
    queries.clear()
    assert client.get(case.get_absolute_url()).status_code == 200
    assert on(queries, REPLICA) and not on(queries, "default")


def test_a_server_finds_the_stopped_replica_before_reading_from_it(client, router, settings, case, caplog):
    """As gunicorn runs requests: each starts with Django's check of its persistent connections (the
    test client leaves it out), so the dead replica connection is found before any read, without the
    retry of the page that the test above needs."""
    settings.REPLICA_CHECK_SECONDS = 60
    router.wait_for_replay()
    assert client.get(case.get_absolute_url()).status_code == 200
    router.stop()
    try:
        close_old_connections()  # what a real request's request_started signal runs
        page = client.get(case.get_absolute_url())
        assert page.status_code == 200 and OLD_TITLE.encode() in page.content
        assert "running it once more" not in caplog.text  # no read failed: seoul_diplomacy.resilience
        assert "The read replica is unavailable" in caplog.text
    finally:
        router.start()


def test_a_hung_replica_costs_one_connect_timeout_per_check(client, router, settings, case):
    hole = BlackHole()
    alias = connections[REPLICA]
    saved = alias.settings_dict.copy()
    alias.close()
    alias.settings_dict.update(PORT=str(hole.port), OPTIONS={**saved["OPTIONS"], "connect_timeout": 2})
    settings.REPLICA_CHECK_SECONDS = 60
    try:
        timed = [timed_get(client, case.get_absolute_url()) for _ in range(6)]
    finally:
        alias.close()
        alias.settings_dict.clear()
        alias.settings_dict.update(saved)
        hole.close()
    assert [page.status_code for page, _ in timed] == [200] * 6
    took = [round(took, 2) for _, took in timed]
    assert 2 <= took[0] < 5, took  # the check waits libpq's connect_timeout (2 s) once, then gives up
    assert max(took[1:]) < 2, took  # and the replica is not asked again until the next check


def test_a_replica_connection_lost_mid_request_sends_the_next_reads_to_the_primary(router, settings, case):
    settings.REPLICA_CHECK_SECONDS = 60
    router.pause()
    rename_on_the_primary(case)
    with public_reads():
        assert Case.objects.get(pk=case.pk).title == OLD_TITLE  # the replica
        killer = connections[REPLICA].copy()
        try:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [connections[REPLICA].connection.info.backend_pid])
        finally:
            killer.close()
        with pytest.raises(OperationalError):  # seoul_diplomacy.resilience runs a GET once more after this
            Case.objects.get(pk=case.pk)
        connections[REPLICA].close()  # as resilience does before that retry
    with public_reads():  # the retry, or the next request, reads the primary
        assert Case.objects.get(pk=case.pk).title == NEW_TITLE


def test_a_replica_lagging_beyond_the_bound_sends_pages_to_the_primary(client, router, settings, case, queries):
    settings.REPLICA_MAX_LAG_SECONDS = 1
    router.wait_for_replay()
    queries.clear()
    assert OLD_TITLE.encode() in client.get(case.get_absolute_url()).content
    assert on(queries, REPLICA) and not on(queries, "default")
    router.pause()
    rename_on_the_primary(case)
    time.sleep(1.5)  # the replica's last replayed commit is now older than the bound
    queries.clear()
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200 and NEW_TITLE.encode() in page.content
    assert on(queries, "default")
    assert Case.objects.using(REPLICA).get(pk=case.pk).title == OLD_TITLE  # the replica is behind
    router.resume()  # caught up: a check sends public reads back to it (the next, unless WAL keeps coming)
    deadline = time.monotonic() + 10
    while True:
        queries.clear()
        assert NEW_TITLE.encode() in client.get(case.get_absolute_url()).content
        if on(queries, REPLICA) and not on(queries, "default"):
            break
        assert time.monotonic() < deadline, f"still reading from the primary, the replica {health.lag} s behind"
        time.sleep(0.1)


def test_the_replica_is_checked_once_per_interval_not_per_request(client, router, settings, case, queries):
    settings.REPLICA_CHECK_SECONDS = 60
    router.wait_for_replay()
    queries.clear()
    for _ in range(5):
        assert client.get(case.get_absolute_url()).status_code == 200
    checks = [sql for sql in on(queries, REPLICA) if sql == LAG_SQL]
    assert len(checks) == 1
    assert len(on(queries, REPLICA)) > 5 and not on(queries, "default")

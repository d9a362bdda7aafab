"""A hung or dead PostgreSQL or Redis: the site answers fast (503 for the database, uncached pages for the
cache) instead of hanging until gunicorn kills the worker.

"Hung" is a black hole: a socket on 127.0.0.1 that accepts connections and never answers, which is what
a frozen server (or a firewall dropping packets after the handshake) looks like to a client. The
PostgreSQL tests need no PostgreSQL: they point the default connection at the black hole. The retry and
statement-timeout tests need a real PostgreSQL (DATABASE_URL=postgres://..., as CI runs them).
"""

import socket
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import translation

from core.redis_cache import CacheUnavailable, FailFastRedisCache, reset_breakers
from seoul_diplomacy import env
from seoul_diplomacy.settings import base
from seoul_diplomacy.urls import urlpatterns as site_urlpatterns


class BlackHole:
    """A TCP listener on 127.0.0.1 that accepts every connection and never sends a byte."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.accepted = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(conn)

    def close(self):
        self.stopped.set()
        self.thread.join()
        self.listener.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def black_hole():
    hole = BlackHole()
    yield hole
    hole.close()


def closed_port():
    """A port on 127.0.0.1 where nothing listens (connections are refused at once)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


# --- PostgreSQL ------------------------------------------------------------------------------------


# The hung-database tests give up connecting after libpq's shortest timeout rather than production's 3 s
# (DJANGO_DB_CONNECT_TIMEOUT, whose default the first test below checks): the same answer, a second sooner.
# Each answer must come within the same margin of its timeout as production's within five seconds.
CONNECT_TIMEOUT = 2
MARGIN = 5 - 3


@pytest.fixture
def hung_database(db, black_hole, monkeypatch):
    """The default connection, configured as production configures it (settings.base.database) with the
    connect timeout at ``CONNECT_TIMEOUT``, pointed at the black hole for the length of the test."""
    monkeypatch.setattr(env, "DB_CONNECT_TIMEOUT", CONNECT_TIMEOUT)
    config = base.database(f"postgres://postgres@127.0.0.1:{black_hole.port}/seoul_diplomacy")
    config = connections.configure_settings({"default": config})["default"]
    original = connections["default"]
    connections["default"] = DatabaseWrapper(config, "default")
    yield black_hole
    connections["default"].close()
    connections["default"] = original


def test_production_connections_give_up_and_cancel_statements_by_default():
    config = base.database("postgres://seoul@db.internal:5432/seoul_diplomacy")
    assert config["OPTIONS"]["connect_timeout"] == env.DB_CONNECT_TIMEOUT == 3
    assert config["OPTIONS"]["options"] == "-c statement_timeout=5000"
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is False


def test_the_timeouts_and_pgbouncer_switch_come_from_the_environment(monkeypatch):
    monkeypatch.setattr(env, "DB_CONNECT_TIMEOUT", 0)
    monkeypatch.setattr(env, "DB_STATEMENT_TIMEOUT_MS", 0)
    monkeypatch.setattr(env, "DB_DISABLE_SERVER_SIDE_CURSORS", True)
    config = base.database("postgres://seoul@pgbouncer.internal:6432/seoul_diplomacy")
    assert "connect_timeout" not in config["OPTIONS"]
    assert "options" not in config["OPTIONS"]  # PgBouncer refuses the startup option
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_healthz_answers_503_within_five_seconds_when_the_database_hangs(client, hung_database):
    response, elapsed = timed(client.get, reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "OperationalError", "cache": "ok"}
    assert hung_database.accepted, "the check never reached the black hole"
    assert elapsed < CONNECT_TIMEOUT + MARGIN, f"/healthz took {elapsed:.1f} s"


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "The site is briefly unavailable"), ("ko", "사이트를 잠시 이용할 수 없습니다")]
)
def test_a_page_answers_the_503_page_within_five_seconds_when_the_database_hangs(
    client, hung_database, language, heading
):
    with translation.override(language):
        url = reverse("projects:case_list")
    response, elapsed = timed(client.get, url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert heading in html
    assert 'class="krds' in html or "krds.css" in html  # the site's design, not a bare error
    assert len(hung_database.accepted) == 1, "a new connection that timed out must not be retried"
    assert elapsed < CONNECT_TIMEOUT + MARGIN, f"the page took {elapsed:.1f} s"


# A view that loses its connection mid-query the first time it runs (the backend is ended under it, as
# an operator's pg_terminate_backend, a PostgreSQL restart or PgBouncer would end it).
runs = []


def loses_its_connection_once(request):
    runs.append(request.method)
    with connection.cursor() as cursor:
        if len(runs) == 1:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        cursor.execute("SELECT 1")
    return HttpResponse("read")


def slow_read(request):
    runs.append(request.method)
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 200")
        try:
            cursor.execute("SELECT pg_sleep(3)")
        finally:
            cursor.execute("RESET statement_timeout")
    return HttpResponse("slow")


urlpatterns = [
    path("test/lost/", loses_its_connection_once),
    path("test/slow/", slow_read),
    *site_urlpatterns,
]

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="LOSING A CONNECTION MID-QUERY NEEDS POSTGRESQL: run with DATABASE_URL=postgres://... (CI does).",
)


@pytest.fixture
def fresh_runs():
    runs.clear()
    yield runs
    runs.clear()


@needs_postgresql
@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_read_that_loses_its_connection_is_run_once_more(client, fresh_runs):
    response = client.get("/test/lost/")
    assert (response.status_code, response.content) == (200, b"read")
    assert fresh_runs == ["GET", "GET"]


@needs_postgresql
@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_write_that_loses_its_connection_is_not_run_again(client, fresh_runs):
    response = client.post("/test/lost/")
    assert response.status_code == 503
    assert fresh_runs == ["POST"]
    assert client.get(reverse("healthz")).status_code == 200  # the next request connects afresh


@needs_postgresql
@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_cancelled_statement_answers_503_at_once_without_a_retry(client, fresh_runs):
    response, elapsed = timed(client.get, "/test/slow/")
    assert response.status_code == 503
    assert fresh_runs == ["GET"]
    assert elapsed < 2


@needs_postgresql
def test_postgresql_cancels_a_statement_after_the_configured_time(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "5s"


# --- Redis -----------------------------------------------------------------------------------------


@pytest.fixture
def redis_at(settings):
    """Points the cache at a Redis address, configured as production configures it (settings.base.redis_cache)."""
    reset_breakers()

    def point(port, **options):
        config = base.redis_cache(f"redis://127.0.0.1:{port}/0", key_prefix="fail-fast")
        config["OPTIONS"].update(options)
        settings.CACHES = {"default": config}
        settings.PAGE_CACHE_SECONDS = 60

    yield point
    reset_breakers()


@pytest.fixture
def case(make_case):
    return make_case("bangkok-card", title="Bangkok transportation card")


def test_a_hung_redis_costs_one_call_fifty_milliseconds_then_nothing(redis_at, black_hole):
    redis_at(black_hole.port)
    start = time.perf_counter()
    with pytest.raises(CacheUnavailable):
        cache.get("anything")
    first = time.perf_counter() - start
    assert env.CACHE_TIMEOUT_MS == 50
    assert len(black_hole.accepted) == 1
    start = time.perf_counter()
    for _ in range(100):
        with pytest.raises(CacheUnavailable):
            cache.set("anything", 1)
    later = (time.perf_counter() - start) / 100
    assert len(black_hole.accepted) == 1, "the breaker is open: Redis is not asked again"
    assert first < 0.12 and later < 0.002, (first, later)


def test_the_breaker_tries_redis_again_after_a_while(redis_at, black_hole):
    redis_at(black_hole.port, retry_after=0.2)
    with pytest.raises(CacheUnavailable):
        cache.get("anything")
    with pytest.raises(CacheUnavailable):
        cache.get("anything")
    assert len(black_hole.accepted) == 1
    time.sleep(0.25)
    with pytest.raises(CacheUnavailable):
        cache.get("anything")
    assert len(black_hole.accepted) == 2


@pytest.fixture
def cache_time(monkeypatch):
    """Seconds spent in cache calls (connecting, waiting, giving up), request by request."""
    spent = []
    guarded = FailFastRedisCache._guarded

    def timed_guarded(self, name, *args, **kwargs):
        start = time.perf_counter()
        try:
            return guarded(self, name, *args, **kwargs)
        finally:
            spent[-1] += time.perf_counter() - start

    monkeypatch.setattr(FailFastRedisCache, "_guarded", timed_guarded)
    return spent


@pytest.mark.parametrize("failure", ["hung", "dead"])
def test_pages_are_served_uncached_and_the_cache_costs_one_request_fifty_milliseconds(
    client, redis_at, black_hole, case, cache_time, failure
):
    redis_at(black_hole.port if failure == "hung" else closed_port())
    url = case.get_absolute_url()
    for _ in range(6):
        cache_time.append(0.0)
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response  # served uncached
        assert b"Bangkok transportation card" in response.content
    first, *others = cache_time
    # The first request waits for Redis once (50 ms when it hangs, at once when nothing listens), then
    # the breaker is open: the next requests do not wait for it at all.
    assert first < 0.12, f"the first request spent {first:.3f} s on the cache"
    assert max(others) < 0.005, others
    assert len(black_hole.accepted) == (1 if failure == "hung" else 0)


def test_saves_still_work_while_redis_hangs(client, redis_at, black_hole, case):
    redis_at(black_hole.port)
    case.title = "Saved while Redis hangs"
    _, elapsed = timed(case.save)
    assert elapsed < 0.5
    assert b"Saved while Redis hangs" in client.get(case.get_absolute_url()).content


@pytest.mark.parametrize("failure", ["hung", "dead"])
def test_healthz_reports_a_failed_cache_as_degraded_and_still_answers_200(client, db, redis_at, black_hole, failure):
    redis_at(black_hole.port if failure == "hung" else closed_port())
    response, elapsed = timed(client.get, reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "degraded"}
    assert elapsed < 0.5

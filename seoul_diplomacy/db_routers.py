"""Public reads to a read replica, everything else to the primary.

Configured only when ``DATABASE_REPLICA_URL`` is set (settings/base.py adds the ``replica`` alias and
this router). ``seoul_diplomacy.middleware.PublicReadsMiddleware`` marks the requests that may read
from the replica: GET and HEAD by anonymous visitors outside the admin. Everything else reads from and
writes to ``default``: staff and the admin (so they read their own writes at once), every write,
every read inside a transaction, every read after a write in the same request, management commands,
the shell.

The replica is used only while it is healthy, which each process checks at most once every
``REPLICA_CHECK_SECONDS`` (one short query on the replica connection, never a query per request):

- **down** (no connection, or a connection lost mid-query): reads go to the primary until the next
  check. A refused connection costs milliseconds, a hung replica one ``DJANGO_DB_CONNECT_TIMEOUT`` per
  process per check; a read that lost its connection is run once more on the primary
  (seoul_diplomacy.resilience retries it, and this module has marked the replica down by then);
- **lagging** more than ``REPLICA_MAX_LAG_SECONDS`` behind: reads go to the primary until a check
  finds it caught up. The lag is measured on the replica: 0 when it has replayed all the WAL it
  received, or when it has replayed 50 ms later all it had received then (it keeps up with WAL that
  holds no commit yet: a long transaction on the primary); else the age of the last transaction it
  replayed (so it errs towards the primary).

Within that bound an anonymous visitor may see a change later than staff do.
"""

import contextlib
import contextvars
import logging
import time

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

REPLICA = "replica"

# Seconds the replica is behind: 0 when it has replayed everything it received (or is no standby at
# all); else how long ago the last transaction it replayed committed; infinite when it has replayed none.
# And what it has received so far.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 'Infinity')
END, pg_last_wal_receive_lsn()::text
"""
# Whether the replica has since replayed what it had received then.
REPLAYED_SQL = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"

# Seconds after which a lag that looked too long is looked at once more (see ReplicaHealth.check).
RECHECK_DELAY = 0.05


class _PublicRequest:
    wrote = False  # after a write, the rest of the request reads what it wrote: the primary


_public_reads = contextvars.ContextVar("seoul_diplomacy_public_reads", default=None)


@contextlib.contextmanager
def public_reads():
    """Within this block, reads outside a transaction and before any write go to the replica (when one
    is configured and healthy)."""
    token = _public_reads.set(_PublicRequest())
    try:
        yield
    finally:
        _public_reads.reset(token)


class ReplicaHealth:
    """Whether this process may read from the replica, as its last check found (per process, shared by
    its threads; each thread has its own connection)."""

    def __init__(self):
        self.state = "unchecked"  # then "usable", "lagging" or "down"
        self.lag = None  # seconds, as the last check measured
        self.checked_until = 0.0  # time.monotonic() until which the last check holds

    @property
    def usable(self):
        return self.state == "usable"

    def forget(self):
        """Check again before the next replica read."""
        self.checked_until = 0.0

    def is_usable(self):
        if time.monotonic() >= self.checked_until:
            self.check()
        elif self.usable:
            # A connection is opened (or found dead and reopened) here rather than in the query, so that
            # a replica that went away since the check sends this read to the primary, not to a 503.
            connection = connections[REPLICA]
            try:
                connection.close_if_health_check_failed()
                connection.ensure_connection()
            except DatabaseError as error:
                self.mark_down(error)
        return self.usable

    def check(self):
        connection = connections[REPLICA]
        try:
            if connection.vendor == "postgresql":
                lag = self.measure(connection)
            else:
                connection.ensure_connection()
                lag = 0.0
        except DatabaseError as error:
            self.mark_down(error)
            return
        max_lag = settings.REPLICA_MAX_LAG_SECONDS
        self.lag = lag
        if lag <= max_lag:
            self.set_state("usable", "The read replica is usable (%.1f s behind).", lag)
        else:
            self.set_state(
                "lagging", "The read replica is %.1f s behind (more than %s s): reading from the primary.", lag, max_lag
            )

    @staticmethod
    def measure(connection):
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            lag, received = cursor.fetchone()
            if lag > settings.REPLICA_MAX_LAG_SECONDS and received is not None:
                # WAL that holds no commit (a long transaction still running on the primary, a
                # checkpoint) makes a replica that keeps up look as far behind as its last replayed commit
                # is old. One that replays, a moment later, all it had received is keeping up.
                time.sleep(RECHECK_DELAY)
                cursor.execute(REPLAYED_SQL, [received])
                if cursor.fetchone()[0]:
                    lag = 0
        return float(lag)

    def mark_down(self, error, *, close=True):
        self.lag = None
        self.set_state("down", "The read replica is unavailable (%s): reading from the primary.", error)
        if close:
            with contextlib.suppress(DatabaseError):
                connections[REPLICA].close()

    def set_state(self, state, message, *args):
        if state != self.state:
            logger.log(logging.INFO if state == "usable" else logging.WARNING, message, *args)
        self.state = state
        self.checked_until = time.monotonic() + settings.REPLICA_CHECK_SECONDS


health = ReplicaHealth()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        request = _public_reads.get()
        if (
            request is not None
            and not request.wrote
            and REPLICA in settings.DATABASES
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and health.is_usable()
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        request = _public_reads.get()
        if request is not None:
            request.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica gets its tables by replication from the primary, never from migrate.
        return db != REPLICA


def _mark_down_on_lost_connection(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except (OperationalError, InterfaceError) as error:
        if not context["connection"].is_usable():  # lost, not merely a cancelled statement
            health.mark_down(error, close=False)  # seoul_diplomacy.resilience closes it, then retries
        raise


def _watch_replica(sender, connection, **kwargs):
    if connection.alias == REPLICA and _mark_down_on_lost_connection not in connection.execute_wrappers:
        connection.execute_wrappers.append(_mark_down_on_lost_connection)


def _recheck_on_setting_change(setting, **kwargs):
    if setting in {"DATABASES", "REPLICA_MAX_LAG_SECONDS", "REPLICA_CHECK_SECONDS"}:
        health.forget()


connection_created.connect(_watch_replica, dispatch_uid="seoul_diplomacy.db_routers.watch_replica")
setting_changed.connect(_recheck_on_setting_change, dispatch_uid="seoul_diplomacy.db_routers.recheck")

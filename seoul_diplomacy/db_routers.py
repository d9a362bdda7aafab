"""Public reads to a read replica, everything else to the primary.

Configured only when ``DATABASE_REPLICA_URL`` is set (settings/base.py adds the ``replica`` alias and
this router). ``seoul_diplomacy.middleware.PublicReadsMiddleware`` marks the requests that may read
from the replica: GET and HEAD by anonymous visitors outside the admin. Everything else reads from and
writes to ``default``: staff and the admin (so they read their own writes at once), every write,
every read inside a transaction, management commands, the shell.

A replica lags the primary by its replication delay (usually well under a second): an anonymous
visitor may see a change that much later than staff do.
"""

import contextlib
import contextvars

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_public_reads = contextvars.ContextVar("seoul_diplomacy_public_reads", default=False)


@contextlib.contextmanager
def public_reads():
    """Within this block, reads outside a transaction go to the replica (when one is configured)."""
    token = _public_reads.set(True)
    try:
        yield
    finally:
        _public_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_reads.get() and REPLICA in settings.DATABASES and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica gets its tables by replication from the primary, never from migrate.
        return db != REPLICA

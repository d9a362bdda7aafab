"""Django's own Redis cache backend, made to fail fast: a hung or dead Redis costs little and briefly.

The cache only ever saves work (``core.cache``, the page cache, the facet counts), so when Redis does not
answer the site renders without it. Two things keep that cheap:

- short socket timeouts (``socket_connect_timeout`` and ``socket_timeout`` in ``OPTIONS``; settings/base.py
  sets both from ``DJANGO_CACHE_TIMEOUT_MS``, 50 ms by default) and no retries, so one call waits that
  long at most;
- a circuit breaker: once a call fails to reach Redis, every call for the next ``retry_after`` seconds
  (``OPTIONS``, from ``DJANGO_CACHE_RETRY_SECONDS``, 5 by default) raises ``CacheUnavailable`` at once,
  without touching the network. So a request pays the timeout at most once, and only the first request
  of each window in each process pays it at all; the others are served uncached at full speed.

``CacheUnavailable`` is raised both in place of the connection error that opens the breaker (logged once,
as a warning) and while it is open; callers that can do without the cache catch it and log nothing more.
The breaker is shared by every thread of a process and keyed by the server's address.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 5.0
# What opens the breaker: Redis not reachable or not answering (BusyLoadingError is a ConnectionError).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

_open_until = {}  # server address -> time.monotonic() until which the cache is skipped
_lock = threading.Lock()


class CacheUnavailable(Exception):
    """The cache was not reached, or was skipped because it was not reached a moment ago."""


def reset_breakers():
    """Close every breaker (for tests)."""
    with _lock:
        _open_until.clear()


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one ``redis.Redis`` per connection pool instead of a new one per call
    (building one registers its ~170 response callbacks: an eighth of a page cache hit). A ``redis.Redis``
    is safe to share between threads: each command takes a connection from the pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class FailFastRedisCache(RedisCache):
    """``RedisCache`` with no retries and a circuit breaker in front of every call that reaches Redis."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", DEFAULT_RETRY_AFTER))
        # redis-py retries a failed command by default: each retry would wait the timeout again.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self.breaker_key = ",".join(self._servers)

    def is_skipped(self):
        """Whether the breaker is open: the cache failed less than ``retry_after`` seconds ago."""
        return _open_until.get(self.breaker_key, 0.0) > time.monotonic()

    def _guarded(self, name, *args, **kwargs):
        return self._call_guarded(getattr(super(), name), *args, **kwargs)

    def _call_guarded(self, call, *args, **kwargs):
        if self.is_skipped():
            raise CacheUnavailable(f"Redis at {self.breaker_key} failed less than {self.retry_after:g} s ago")
        try:
            return call(*args, **kwargs)
        except UNREACHABLE as error:
            with _lock:
                _open_until[self.breaker_key] = time.monotonic() + self.retry_after
            logger.warning(
                "Redis cache at %s unreachable (%s: %s); serving without it for %g s.",
                self.breaker_key,
                error.__class__.__name__,
                error,
                self.retry_after,
            )
            raise CacheUnavailable(f"Redis at {self.breaker_key} unreachable: {error}") from error

    def add(self, *args, **kwargs):
        return self._guarded("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._guarded("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._guarded("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guarded("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guarded("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._guarded("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guarded("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._guarded("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._guarded("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guarded("delete_many", *args, **kwargs)

    def clear(self, *args, **kwargs):
        return self._guarded("clear", *args, **kwargs)

    def get_values(self, keys):
        """The values of ``keys`` in their order, ``None`` for a missing one: one ``MGET`` (one ``GET`` for
        one key) behind the breaker.

        For keys the code makes itself (constants, hex digests): ``get_many`` checks each key for what
        memcached would refuse, character by character, and builds two dicts, on the page cache's lookup that
        every anonymous page makes (bench/README.md, Throughput).
        """
        return self._call_guarded(self._get_values, keys)

    def _get_values(self, keys):
        client = self._cache.get_client()
        if len(keys) == 1:
            raw = [client.get(self.make_key(keys[0]))]
        else:
            raw = client.mget([self.make_key(key) for key in keys])
        loads = self._cache._serializer.loads
        return [None if value is None else loads(value) for value in raw]

"""What keeps the anonymous page cache correct: one number, the content generation.

Every cached page's key holds the generation current when the page was rendered
(``seoul_diplomacy.middleware.PageCacheMiddleware``). Any change to content bumps the generation, so no
page cached before the change is ever served again: the next request renders afresh, and the old
entries simply expire.

The trade-off: one change makes *every* page stale, not only the pages that show the changed row. In
exchange nothing has to know which pages show what (a city's new name appears on its page, on every
case that names it, on /cities/, on the filters of /cases/ and on the home page), so no page can be
forgotten, and a bump is one Redis INCR whatever the number of pages. Staff change content a few times a
day and each page costs one render to refill, so the hit rate stays high. What it costs is one more
cache read per request (the generation) and, right after a change, a burst of renders.

The same number keys the template fragments cached in each process (``fragment()``, the ``{% fragment %}``
tag of core/templatetags/fragment_cache.py): parts of a page that depend only on the content and the
language (the map, the charts, a case's body), rendered once per generation instead of once per request.

Every save or delete of a content model (``core.content.content_models()``), and every change
of their many-to-many relations, sends a signal that bumps the generation: admin edits, history
reverts (they save), ``loaddata``. Bulk writes (``bulk_create``, ``update()``, raw SQL) send no signals:
code that makes them calls ``content_changed()`` once it is done.
"""

import contextlib
import contextvars
import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

from core.redis_cache import CacheUnavailable

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
# The request attribute where a view lists the query parameters it reads (understands()).
UNDERSTOOD_PARAMETERS = "understood_parameters"

# The request attribute holding the generation read for it (request_generation()).
REQUEST_GENERATION = "content_generation"

_batching = contextvars.ContextVar("seoul_diplomacy_cache_batching", default=False)


def _fresh_generation():
    """A starting value above any the counter has held: the clock in microseconds.

    The counter is created on first use and again if the cache lost it (a Redis restart, an eviction);
    starting from zero again would bring pages cached under old numbers back to life.
    """
    return time.time_ns() // 1000


def understands(request, names):
    """Declare the query parameters the view answering ``request`` reads.

    The page cache stores a page only when every parameter of its request is one of these (none, for a
    view that declares nothing): a parameter the view ignores (``?utm_source=``, a scanner's junk) would
    otherwise store the same page again under a new key for each value.
    """
    setattr(request, UNDERSTOOD_PARAMETERS, frozenset(names))


def generation():
    """The current content generation (creating it on first use)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def remember_generation(request, value):
    """Keep the generation read for ``request`` (the page cache reads it first), for the fragments to share."""
    setattr(request, REQUEST_GENERATION, value)


def request_generation(request):
    """The generation as of the start of ``request``: read once per request, whoever asks first."""
    value = getattr(request, REQUEST_GENERATION, None)
    if value is None:
        value = generation()
        remember_generation(request, value)
    return value


def content_changed():
    """Make every cached page stale. Call it after writes that send no signals (bulk inserts, ``update()``).

    Never raises: a change to content must not fail because the cache is unreachable. Pages cached before
    then may be served until they expire (``PAGE_CACHE_SECONDS``), and the error is logged.
    """
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no counter yet, or the cache lost it
            cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)
    except CacheUnavailable:
        logger.warning("Cache unreachable: the page cache generation was not bumped; cached pages may be stale.")
    except Exception:
        logger.exception("Could not bump the page cache generation; cached pages may be stale until they expire.")


@contextlib.contextmanager
def bulk_changes():
    """Bump once at the end instead of once per row, for code that saves or deletes many rows at a time."""
    token = _batching.set(True)
    try:
        yield
    finally:
        _batching.reset(token)
        content_changed()
        transaction.on_commit(content_changed)  # at once when no transaction is open


def _content_signal(sender, using=DEFAULT_DB_ALIAS, action=None, **kwargs):
    if _batching.get() or (action is not None and action.startswith("pre_")):
        return
    # Now, so this process's next request renders afresh even inside a long transaction; and again once
    # the transaction commits, so that no page rendered from the old rows meanwhile survives it.
    content_changed()
    transaction.on_commit(content_changed, using=using)


def connect_signals():
    """Connect every content model, and its many-to-many tables, to the generation bump."""
    from core.content import content_models

    for model in content_models():
        uid = f"core.cache:{model._meta.label}"
        post_save.connect(_content_signal, sender=model, dispatch_uid=uid)
        post_delete.connect(_content_signal, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_content_signal, sender=field.remote_field.through, dispatch_uid=uid)


class FragmentCache:
    """Rendered template fragments in this process's memory, the least recently used dropped once they
    hold more than ``max_chars`` characters in all (or of what ``size`` counts: the page cache's copies
    of stored pages count their bytes).

    Keyed by the content generation among the rest, so a stale fragment is never served: after a change
    no request asks for the old keys and they age out. Kept in each process (no network, no pickling):
    a worker renders each fragment once per generation. A crawler walking every filter combination
    only cycles the least used entries, within the bound.
    """

    def __init__(self, max_chars, size=len):
        self.max_chars = max_chars
        self.size = size
        self.chars = 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def set(self, key, value):
        with self.lock:
            previous = self.entries.pop(key, None)
            if previous is not None:
                self.chars -= self.size(previous)
            self.entries[key] = value
            self.chars += self.size(value)
            while self.chars > self.max_chars and len(self.entries) > 1:
                _, dropped = self.entries.popitem(last=False)
                self.chars -= self.size(dropped)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.chars = 0


# About 16 MB of text per process: every page type's fragments in both languages many times over.
fragments = FragmentCache(max_chars=8_000_000)


# Rows read for a page's own use that depend on the content and the language alone (a filter's choices):
# up to 20,000 rows per process, kept as fragments are.
kept_rows = FragmentCache(max_chars=20_000)


def keeps_fragments(request):
    """Whether ``fragment()`` may keep what it renders for ``request``: a read without a session, while
    ``FRAGMENT_CACHE`` is on."""
    return bool(
        settings.FRAGMENT_CACHE
        and request is not None
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def fragment(request, key, render, store=fragments):
    """``render()``'s result for ``key`` (a tuple) in the current language and content generation, from
    this process's memory when it has it (``FRAGMENT_CACHE``): ``store``, the template fragments unless told
    (``kept_rows`` for lists of rows). Only for requests that could get a cached page (reads without a
    session: staff see drafts and previews); the others, and every request while the cache is off or
    unreachable, get ``render()`` itself."""
    if not keeps_fragments(request):
        return render()
    try:
        current = request_generation(request)
    except CacheUnavailable:
        return render()
    except Exception:
        logger.exception("Cache unreachable; fragment rendered without it.")
        return render()
    full_key = (current, translation.get_language(), *key)
    value = store.get(full_key)
    if value is None:
        value = render()
        store.set(full_key, value)
    return value

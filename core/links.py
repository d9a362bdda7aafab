"""Links to the site's pages, reversed once per page language and then kept.

A list page links to dozens of cases, sectors and cities, and Django's ``reverse()`` of each (through
the language prefix of ``i18n_patterns``) took a tenth of its rendering time. The result of a reverse
depends only on the route, its arguments, the active language, the URLconf and the script prefix, so
the cache is keyed by all five; it is emptied when a test changes ``ROOT_URLCONF``.
"""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, override

CACHED_LINKS = 20_000  # about 2 MB per process


@lru_cache(maxsize=CACHED_LINKS)
def _reverse(viewname, args, language, urlconf, script_prefix):
    with override(language):
        return reverse(viewname, urlconf=urlconf, args=args)


def cached_reverse(viewname, *args):
    """``reverse(viewname, args=args)`` for the active language, from the cache when it was asked before."""
    return _reverse(viewname, args, get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=CACHED_LINKS)
def _reverse_with_kwargs(viewname, args, kwargs, language, urlconf, script_prefix):
    with override(language):
        return reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs))


def reverse_in_language(language, viewname, args=(), kwargs=None):
    """``reverse(viewname, args=args, kwargs=kwargs)`` in ``language`` (a page's address in each language: the
    language switcher and the ``hreflang`` links of every page), from the cache when it was asked before."""
    return _reverse_with_kwargs(
        viewname,
        tuple(args),
        tuple(sorted((kwargs or {}).items())),
        language,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


def links_to(viewname):
    """A function of the route's arguments giving ``cached_reverse(viewname, *args)``, with the language, the
    URLconf and the script prefix read once: for a loop that links to hundreds of rows (a map's places)."""
    language, urlconf, script_prefix = get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    return lambda *args: _reverse(viewname, args, language, urlconf, script_prefix)


@receiver(setting_changed)
def forget_links(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"):
        _reverse.cache_clear()
        _reverse_with_kwargs.cache_clear()


def absolute_url(path):
    """``path`` (``/cases/...``) as a full address on the configured site (``SITE_URL``).

    Every absolute link the site writes is made here, never from the Host or the path a request sent:
    a request for ``//evil.example/`` still gets links to the site itself.
    """
    if not path.startswith("/"):
        raise ValueError(f"A site path starts with a slash: {path!r}")
    return settings.SITE_URL + path

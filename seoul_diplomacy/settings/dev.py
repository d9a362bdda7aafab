"""Local development: ``make run``. Debug on, an insecure key that never leaves this machine."""

from seoul_diplomacy import env

from .base import *  # noqa: F403

DEBUG = env.get_bool("DJANGO_DEBUG", True)
SECRET_KEY = env.SECRET_KEY or "dev-only-insecure-key-never-used-in-production"
ALLOWED_HOSTS = env.ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
# Templates change under a developer's hands: no page cache unless asked for.
PAGE_CACHE_SECONDS = env.get_int("DJANGO_PAGE_CACHE_SECONDS", 0)

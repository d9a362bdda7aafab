"""The one place where the environment is read.

Every setting that can change between machines comes from a ``DJANGO_``-prefixed
variable (or the conventional ``DATABASE_URL`` / ``REDIS_URL``), read here and
nowhere else, so a reader can see every knob in one file.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def get(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value in (None, ""):
        if required:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def get_bool(name, default=False):
    value = get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def get_list(name, default=()):
    value = get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = get("DJANGO_SECRET_KEY")
DEBUG = get_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = get_list("DJANGO_ALLOWED_HOSTS")
DATABASE_URL = get("DATABASE_URL")
REDIS_URL = get("REDIS_URL")
SQLITE_PATH = get("DJANGO_SQLITE_PATH")

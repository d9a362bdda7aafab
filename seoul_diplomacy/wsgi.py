"""
WSGI config for seoul_diplomacy project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seoul_diplomacy.settings.production")

django_application = get_wsgi_application()

# The page cache's hits on pages this process keeps a copy of are answered in front of Django's handler
# (seoul_diplomacy.middleware.PageCacheHits); everything else goes to Django.
from seoul_diplomacy.middleware import PageCacheHits  # noqa: E402 (needs the settings get_wsgi_application set up)

application = PageCacheHits(django_application)

"""The bare view's WSGI application (bench/bare_settings.py), for gunicorn in bench/throughput.sh."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare_settings"

application = get_wsgi_application()

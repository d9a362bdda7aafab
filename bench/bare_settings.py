"""The floor for bench/throughput.sh: Django with one view returning a short HttpResponse, no middleware,
no database, no template, served by gunicorn with the site's own worker count beside the site."""

SECRET_KEY = "bench-only-secret-key-not-for-any-real-site-0123456789abcdefghijklmnop"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
ROOT_URLCONF = "bench.bare_urls"
MIDDLEWARE = []
INSTALLED_APPS = []
DATABASES = {}
USE_I18N = False
LOGGING_CONFIG = None

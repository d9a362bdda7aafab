"""The static files storage of production: whitenoise's compressed, fingerprinted files, each file's URL
worked out once per process.

Every page names a dozen static files (``{% static %}``: fonts, style sheets, scripts), and each name was
cleaned, hashed, looked up in the manifest and joined to ``STATIC_URL`` again on every request, for a
page that otherwise comes from fragments (bench/README.md). The manifest is read when the storage is
made and does not change while the process runs, so neither does a name's URL.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class KeptURLsStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_urls = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:  # DEBUG serves the names unhashed
            return super().url(name, force)
        url = self.kept_urls.get(name)
        if url is None:
            url = self.kept_urls[name] = super().url(name)
        return url

    def post_process(self, *args, **kwargs):  # collectstatic: a new manifest
        self.kept_urls.clear()
        yield from super().post_process(*args, **kwargs)
        self.kept_urls.clear()

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("STATIC_URL", "STATIC_ROOT", "DEBUG"):
            self.kept_urls.clear()

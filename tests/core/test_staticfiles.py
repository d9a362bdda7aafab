"""Production's static files storage keeps each file's URL for the process (core.staticfiles)."""

import json

from django.test import override_settings

from core.staticfiles import KeptURLsStorage


def storage_with_manifest(tmp_path, paths):
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1", "hash": "0"}))
    return KeptURLsStorage(location=str(tmp_path), base_url="/static/")


def test_a_file_s_url_is_its_fingerprinted_name_and_is_kept(tmp_path):
    storage = storage_with_manifest(tmp_path, {"css/site.css": "css/site.0123abcd.css"})
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert storage.kept_urls == {"css/site.css": "/static/css/site.0123abcd.css"}
    storage.hashed_files = {}  # what the manifest said is not read again
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"


def test_debug_and_forced_urls_are_not_kept(tmp_path):
    storage = storage_with_manifest(tmp_path, {"css/site.css": "css/site.0123abcd.css"})
    with override_settings(DEBUG=True):
        assert storage.url("css/site.css") == "/static/css/site.css"
    assert storage.url("css/site.css", force=True) == "/static/css/site.0123abcd.css"
    assert storage.kept_urls == {}


def test_a_changed_setting_forgets_the_kept_urls(tmp_path):
    storage = storage_with_manifest(tmp_path, {"css/site.css": "css/site.0123abcd.css"})
    storage.url("css/site.css")
    with override_settings(STATIC_URL="/elsewhere/"):
        assert storage.kept_urls == {}

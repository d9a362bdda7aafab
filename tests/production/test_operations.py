"""What operators get: a request id on every response and log line, JSON logs as an option, and error
reports to a Sentry-compatible service only when SENTRY_DSN is set."""

import gzip
import io
import json
import logging
import re
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from seoul_diplomacy import observability
from tests.production.test_deploy_check import PRODUCTION_ENV, run

GENERATED = re.compile(r"[0-9a-f]{32}")


# --- the request id --------------------------------------------------------------------------------


def test_every_response_carries_a_new_request_id(client, db):
    first, second = client.get("/robots.txt"), client.get("/robots.txt")
    assert GENERATED.fullmatch(first["X-Request-ID"]) and GENERATED.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    for response in (client.get("/nowhere/"), client.get("/static/css/site.css"), client.get("/healthz")):
        assert GENERATED.fullmatch(response["X-Request-ID"]), response


def test_a_request_id_set_by_the_proxy_in_front_is_kept(client, db):
    for incoming in ["0f8fad5b-d9cb-469f-a165-70867728950e", "a" * 32, "lb.req_2026-12-02"]:
        response = client.get("/robots.txt", headers={"X-Request-ID": incoming})
        assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["short", "x" * 65, "spaces are not ids", "id\r\nSet-Cookie: x=1", '"><script>', "-leading-dash", "éèé-unicode"],
)
def test_anything_else_in_x_request_id_is_replaced(client, db, incoming):
    response = client.get("/robots.txt", headers={"X-Request-ID": incoming})
    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_a_cached_page_gets_its_own_request_id(client, settings, make_case):
    settings.PAGE_CACHE_SECONDS = 60
    case = make_case("bangkok-card")
    miss, hit = client.get(case.get_absolute_url()), client.get(case.get_absolute_url())
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert miss["X-Request-ID"] != hit["X-Request-ID"]


# --- log lines -------------------------------------------------------------------------------------


@pytest.fixture
def json_log():
    """The root logger's records as production's JSON handler writes them (observability.logging_config)."""
    config = observability.logging_config("json")
    assert config["handlers"]["console"] == {
        "class": "logging.StreamHandler",
        "filters": ["request_id"],
        "formatter": "json",
    }
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(observability.RequestIdFilter())
    handler.setFormatter(observability.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_json_log_lines_carry_the_request_id(client, db, json_log):
    response = client.get("/nowhere/", headers={"X-Request-ID": "probe-0123456789"})
    assert response.status_code == 404
    lines = [line for line in json_log() if line["logger"] == "django.request"]
    assert lines and lines[0]["message"] == "Not Found: /nowhere/"
    assert lines[0]["request_id"] == "probe-0123456789"
    assert lines[0]["level"] == "WARNING"
    assert set(lines[0]) == {"time", "level", "logger", "message", "request_id"}
    logging.getLogger("seoul_diplomacy").warning("outside a request")
    assert json_log()[-1]["request_id"] == "-"


def test_a_traceback_stays_inside_its_json_line(json_log):
    try:
        raise ValueError("broken\nacross lines")
    except ValueError:
        logging.getLogger("seoul_diplomacy").exception("it failed")
    (line,) = json_log()
    assert line["message"] == "it failed" and "ValueError: broken" in line["exc_info"]


def test_an_unknown_log_format_stops_the_start(tmp_path):
    result = run(["-c", "import seoul_diplomacy.env"], {"DJANGO_LOG_FORMAT": "xml"}, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be text or json, not 'xml'." in result.stderr


# --- error reports ---------------------------------------------------------------------------------

# A request that fails under the production settings, in a fresh process, printed as JSON.
FAILING_REQUEST = """
import json, sys
import django
from django.conf import settings
from django.test import Client

django.setup()
settings.ROOT_URLCONF = "tests.urls_error"  # the site's URLs and /boom/, which raises
# Plain static storage for the 500 page's style sheets: there is no collectstatic output here.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}}
client = Client(HTTP_HOST="diplomacy.example.org", raise_request_exception=False)
response = client.get("/boom/", headers={"X-Request-ID": "probe-request-0001"})
loaded = "sentry_sdk" in sys.modules
if loaded:
    import sentry_sdk
    sentry_sdk.flush(timeout=10)
print(json.dumps({"status": response.status_code, "request_id": response["X-Request-ID"], "sentry_loaded": loaded}))
"""


class Collector(BaseHTTPRequestHandler):
    """Stands in for Sentry: keeps what is posted to it."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":  # sentry-sdk compresses with brotli where it is installed (a dev dependency)
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_stand_in():
    Collector.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], Collector.received
    server.shutdown()
    server.server_close()


def production(environ, tmp_path):
    env = {**PRODUCTION_ENV, "DJANGO_SECURE_SSL_REDIRECT": "false", **environ}
    # No static files were collected here: whitenoise warns so (a warning, not a log line).
    result = run(["-W", "ignore::UserWarning", "-c", FAILING_REQUEST], env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1]), result.stderr


def test_without_sentry_dsn_nothing_is_loaded_or_sent(tmp_path, sentry_stand_in):
    _, received = sentry_stand_in
    answer, _ = production({}, tmp_path)
    assert answer == {"status": 500, "request_id": "probe-request-0001", "sentry_loaded": False}
    assert received == []


def test_with_sentry_dsn_an_error_is_reported_with_its_request_id(tmp_path, sentry_stand_in):
    port, received = sentry_stand_in
    answer, _ = production({"SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/1"}, tmp_path)
    assert answer == {"status": 500, "request_id": "probe-request-0001", "sentry_loaded": True}
    reports = b"".join(received)
    assert b"A test failure" in reports  # the exception /boom/ raised
    assert b"probe-request-0001" in reports
    assert b"REMOTE_ADDR" not in reports and b"127.0.0.1" not in reports.replace(f"127.0.0.1:{port}".encode(), b"")


def test_production_json_logs_in_a_fresh_process(tmp_path):
    _, stderr = production({"DJANGO_LOG_FORMAT": "json"}, tmp_path)
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    (error,) = [line for line in lines if line["message"] == "Internal Server Error: /boom/"]
    assert error["level"] == "ERROR" and error["request_id"] == "probe-request-0001"
    assert "RuntimeError: A test failure" in error["exc_info"]
    assert all(line.startswith("{") for line in stderr.splitlines() if line.strip()), stderr


def test_gunicorn_writes_an_access_log_with_the_request_id_in_make_serve():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert serve.rstrip().endswith("scripts/serve.sh")  # make serve and the container start the same script
    script = (settings.BASE_DIR / "scripts" / "serve.sh").read_text()
    assert '--access-logfile - --access-logformat "$ACCESS_LOG_FORMAT"' in script
    assert "%({x-request-id}o)s" in re.search(r"^ACCESS_LOG_FORMAT='(.*)'$", script, re.MULTILINE)[1]

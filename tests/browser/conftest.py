"""Browser tests: Playwright for Python drives Debian's Chromium against pytest-django's live server.

- One Chromium per pytest(-xdist) worker (pytest-playwright's session-scoped ``browser``), launched
  from /usr/bin/chromium: never ``playwright install``.
- Every test that uses ``page`` (or a context made with ``new_context``) records each request the
  browser makes and fails at teardown if one went anywhere but the live server (no request leaves
  the site), or if a page violated the Content Security Policy or threw a JavaScript error.
- ``run_axe(page)`` injects the npm axe-core shipped in node_modules/ and returns its violations;
  ``format_violations()`` makes them readable in an assertion message.

Data: ``live_server`` makes pytest-django use transactional database access (the server thread must
see committed rows), so each test loads what it needs (the ``shipped_data`` fixture of tests/conftest.py
works) and the database is emptied after it, rows made by data migrations included (see
the ``role`` fixture of tests/conftest.py for the Editors and Publishers groups). A module whose tests only
read the shipped data (accessibility, the phone layout) calls ``reading_only()`` instead: ``site_url`` becomes
``published_site_url``, ``context`` becomes ``shared_context`` and ``page`` becomes ``shared_page``, so the
data is written once for the module and served by a second live server, and the module's tests share one
browser context and navigate one page.
"""

import functools
import os
from pathlib import Path

import pytest
from pytest_django.live_server_helper import LiveServer

from tests.conftest import delete_rows, write_rows

# Playwright's sync API runs an asyncio event loop in the test's thread, and Django then refuses ORM
# calls made from that thread (SynchronousOnlyOperation). The tests make them between browser actions,
# never concurrently with them, so allowing it is safe. This is set for the test run only.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# Phone and desktop widths every public page is checked at.
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's, for a context made without one

# Where a shared page waits between two tests (``reading_only``): a short text document of the site itself.
BETWEEN_TESTS = "/robots.txt"

# Schemes a page may load without a request to any host.
LOCAL_SCHEMES = ("data:", "about:", "blob:")


def pytest_configure(config):
    # pytest-playwright 0.10 defines its fallback ``base_url`` fixture as a method, which pytest 9 deprecates:
    # the plugin's own warning, with nothing to change on this side.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning",
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, quiet: no background requests to Google, no GPU, no first-run work."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing. "
            "Install it with `apt-get install chromium` (or run `make test`, which installs it).",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-gpu",
            "--no-first-run",
        ],
    }


class BrowserLog:
    """What the browser did that a test must not allow: requests to another host, and errors in the
    page (a Content Security Policy violation, an uncaught JavaScript exception)."""

    def __init__(self, site_url):
        self.site_url = site_url.rstrip("/") + "/"
        self.urls = []
        self.errors = []
        self.listeners = {}  # id(context) -> (context, [(event, handler)])

    def watch(self, context):
        """Record every request and page error of ``context`` (a BrowserContext: all its pages) until
        ``unwatch()``."""
        if id(context) not in self.listeners:
            listeners = [
                ("request", lambda request: self.urls.append(request.url)),
                ("console", self.console),
                ("weberror", lambda error: self.errors.append(f"uncaught exception: {error.error}")),
            ]
            for event, handler in listeners:
                context.on(event, handler)
            self.listeners[id(context)] = (context, listeners)
        return context

    def unwatch(self):
        """Stop recording: a context shared by the tests of a module (``shared_context``) outlives the test."""
        for context, listeners in self.listeners.values():
            for event, handler in listeners:
                context.remove_listener(event, handler)
        self.listeners.clear()

    def console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def outside(self):
        return [url for url in self.urls if not (url.startswith(self.site_url) or url.startswith(LOCAL_SCHEMES))]


@pytest.fixture
def browser_log(site_url):
    """Checked when the test ends: no request left the site, and no page broke its policy or threw."""
    log = BrowserLog(site_url)
    yield log
    log.unwatch()
    outside = log.outside()
    assert not outside, "No request may leave the site, but the browser asked for:\n" + "\n".join(
        f"  {url}" for url in dict.fromkeys(outside)
    )
    assert not log.errors, "The pages reported errors:\n" + "\n".join(f"  {error}" for error in log.errors)


@pytest.fixture
def new_context(new_context, browser_log):
    """pytest-playwright's context factory; what each context does is recorded and checked."""

    def make(**kwargs):
        return browser_log.watch(new_context(**kwargs))

    return make


@pytest.fixture
def page(page, browser_log):
    """pytest-playwright's page, its requests recorded (it comes from ``new_context`` above; watching
    its context again here keeps the check when a test overrides ``context``), closed after the test."""
    browser_log.watch(page.context)
    yield page
    page.close()


@pytest.fixture
def site_url(live_server):
    """The live server's address without the trailing slash; paths are appended to it. A module whose tests
    only read the shipped data overrides it (``reading_only``)."""
    return live_server.url.rstrip("/")


@pytest.fixture(scope="session")
def reading_server(django_db_setup):
    """A second live server, for the modules whose tests only read: unlike ``live_server`` it does not make
    each test empty the database afterwards (pytest-django's transactional access)."""
    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def published_site(reading_server, shipped_rows, django_db_blocker):
    """The shipped data, committed once for the whole module and served by ``reading_server``; the tables
    are emptied when the module ends. Each test still runs in a transaction that is rolled back (``db``)."""
    with django_db_blocker.unblock():
        write_rows(shipped_rows)
    yield reading_server.url.rstrip("/")
    with django_db_blocker.unblock():
        delete_rows(shipped_rows)


@pytest.fixture
def published_site_url(published_site, db):
    """``site_url`` for a module whose tests only read the shipped data (see ``published_site``)."""
    return published_site


def reading_only():
    """For a module whose tests only read the shipped data: ``site_url, context, page = reading_only()`` at its
    top level gives its tests ``published_site_url`` as ``site_url``, ``shared_context`` as ``context`` and
    ``shared_page`` as ``page``."""

    @pytest.fixture(name="site_url")
    def site_url(published_site_url):
        return published_site_url

    @pytest.fixture(name="context")
    def context(shared_context):
        return shared_context

    @pytest.fixture(name="page")
    def page(shared_page, browser_log, browser_context_args, published_site_url):
        """The module's page, at the context's own viewport when the test starts; when it ends the page
        leaves the test's document (its requests and errors are in the test's log, and only there) and
        the pointer goes back to the corner where a new page has it.

        It leaves for a plain text document of the same site, not for about:blank: Chromium gives a page a
        new renderer process each time it moves between about:blank and the site, so each test would start
        one, with nothing parsed or cached (axe-core included)."""
        browser_log.watch(shared_page.context)
        shared_page.set_viewport_size(browser_context_args.get("viewport") or DEFAULT_VIEWPORT)
        yield shared_page
        shared_page.goto(published_site_url + BETWEEN_TESTS)
        shared_page.mouse.move(0, 0)

    return site_url, context, page


@pytest.fixture(scope="module")
def shared_context(browser, browser_context_args):
    """One browser context for the tests of a module that only read: the static files the first page
    fetched come from the browser's cache afterwards, as for a visitor."""
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


@pytest.fixture(scope="module")
def shared_page(shared_context):
    """One page for the tests of a module that only read, each test navigating it to its own address: a
    new page costs a renderer of its own, about as long as loading the page and running axe on it."""
    return shared_context.new_page()


@functools.cache
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm ci` in {ROOT}.", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page, context="document"):
    """Run axe-core on the page (WCAG 2.0/2.1 A and AA and best practices) and return its violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Not page.add_script_tag(path=...): that adds an inline <script>, which the site's Content
        # Security Policy (script-src 'self') rightly blocks, and the tests keep the policy on. A script
        # evaluated through the DevTools protocol is not subject to it.
        page.evaluate(f"() => {{\n{axe_source()}\n}}")
    # Every violation in full; of the other results (passes, incomplete, inapplicable), which the tests do not
    # read, axe keeps one node each instead of every one (resultTypes).
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate(f"async (options) => (await axe.run({context}, options)).violations", options)


def format_violations(violations):
    """axe-core violations as text: the rule, its impact and help, then each offending element."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


# One page of every public type, with the shipped data loaded: (test id, path, expected status).
PUBLIC_PAGES = [
    ("home", "/", 200),
    ("cases", "/cases/", 200),
    ("cases-filtered", "/cases/?sector=transportation", 200),
    ("cases-error", "/cases/?year_from=abc", 400),
    ("case", "/cases/bangkok-transportation-card/", 200),
    ("sectors", "/sectors/", 200),
    ("sector", "/sectors/transportation/", 200),
    ("cities", "/cities/", 200),
    ("city", "/cities/bangkok/", 200),
    ("countries", "/countries/", 200),
    ("country", "/countries/TH/", 200),
    ("rankings", "/rankings/", 200),
    ("ranking", "/rankings/gpci/", 200),
    ("organizations", "/organizations/", 200),
    ("data", "/data/", 200),
    ("not-found", "/no-such-page/", 404),
    ("search", "/search/?q=bus", 200),
    ("search-kind", "/search/?q=seoul&kind=cases", 200),
    ("search-error", "/search/?q=bus&kind=planets", 400),
    ("ko-search", "/ko/search/?q=교통", 200),
    ("ko-home", "/ko/", 200),
    ("ko-cases-filtered", "/ko/cases/?sector=transportation", 200),
    ("ko-case", "/ko/cases/bangkok-transportation-card/", 200),
    ("ko-ranking", "/ko/rankings/gpci/", 200),
    ("ko-countries", "/ko/countries/", 200),
    ("ko-country", "/ko/countries/TH/", 200),
    ("ko-data", "/ko/data/", 200),
    ("ko-rankings", "/ko/rankings/", 200),
    ("ko-city", "/ko/cities/manila/", 200),
    ("ko-sector", "/ko/sectors/waterworks/", 200),
    ("ko-organizations", "/ko/organizations/", 200),
]

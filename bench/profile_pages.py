"""Where a page's time goes: cProfile over the whole request (every middleware, the view, the template),
in one process, under the production settings, on the benchmark database, page cache off (or on).

    .venv/bin/python -m bench.profile_pages --database-url postgres://postgres@127.0.0.1:5432/bench_seoul
    .venv/bin/python -m bench.profile_pages --page-cache 600 --repeat 2000 --wsgi

Prints the top functions by their own time ("tottime") and the share of the total each takes, over
``--repeat`` requests to each page (after two warm-up requests), Redis as the cache (REDIS_URL, default
redis://127.0.0.1:6379/0), as make serve has it. By default through Django's test client (which also
records each template rendered and its context); ``--wsgi`` calls the WSGI application gunicorn serves
(``seoul_diplomacy.wsgi.application``, the page cache's front included) with a request as gunicorn builds
it, and first times the same requests without the profiler: wall and CPU time a request, and the Redis
commands this process sent a request.

``--per-page`` times each page on its own instead (wall and CPU time a request, the CPU time of the
PostgreSQL backend serving this process, Python function calls a request) and prints no profile. With
``--miss`` every request starts with this process's fragment cache emptied (``core.cache.fragments``), as
for an address, a filter combination or a language nobody has asked for since the content last changed:
what a miss costs beside what a repeated request costs (the facet cells, links and map points stay warm).

    .venv/bin/python -m bench.profile_pages --wsgi --per-page --repeat 50
    .venv/bin/python -m bench.profile_pages --wsgi --per-page --miss --repeat 20
"""

import argparse
import cProfile
import io
import os
import pstats
import time

from bench.queries import DEFAULT_DATABASE_URL

PAGES = ["/", "/cases/", "/cases/?sector=transportation&country=PH", "/cities/", None, "/rankings/gpci/"]


def production_environment(database_url, **extra):
    """The environment ``make serve`` gives the site (production settings, Redis), on ``database_url``, plus
    ``extra``; set before Django is set up."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="seoul_diplomacy.settings.production",
        DJANGO_SECRET_KEY="bench-only-secret-key-not-for-any-real-site-0123456789abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        DJANGO_SITE_URL="http://127.0.0.1",
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        **extra,
    )
    os.environ.pop("DATABASE_REPLICA_URL", None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--page-cache", type=int, default=0, help="PAGE_CACHE_SECONDS (0: off)")
    parser.add_argument("--repeat", type=int, default=20, help="requests to each page")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--wsgi", action="store_true", help="call the WSGI application as gunicorn does")
    parser.add_argument("--per-page", action="store_true", help="time each page on its own; no profile")
    parser.add_argument("--miss", action="store_true", help="empty the fragment cache before every request")
    args = parser.parse_args()
    # on a database bench.queries (or throughput.sh) prepared
    production_environment(args.database_url, DJANGO_PAGE_CACHE_SECONDS=str(args.page_cache))
    import django

    django.setup()
    from django.test import Client

    from projects.models import Case

    case = Case.objects.published().order_by("slug").first().get_absolute_url()
    pages = [page or case for page in PAGES]
    pages += ["/ko" + page for page in pages]
    get = wsgi_get() if args.wsgi else Client(headers={"host": "localhost", "x-forwarded-proto": "https"}).get
    if args.miss:
        get = missing_fragments(get)
    if args.per_page:
        return time_each_page(get, pages, args.repeat)
    for page in pages:
        for _ in range(2):  # the second fills this process's copies of the cached pages
            assert get(page).status_code == 200, page
    requests = args.repeat * len(pages)
    through = "the WSGI application" if args.wsgi else "the test client"
    if args.wsgi:
        commands = count_redis_commands()
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(args.repeat):
            for page in pages:
                get(page)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        print(
            f"{requests} requests to {len(pages)} pages through {through}, page cache {args.page_cache or 'off'}: "
            f"{elapsed / requests * 1e6:.0f} µs a request, {cpu / requests * 1e6:.0f} µs of CPU, "
            f"{commands() / requests:.2f} Redis commands"
        )
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(args.repeat):
        for page in pages:
            get(page)
    profile.disable()
    elapsed = time.perf_counter() - started
    print(
        f"{requests} requests to {len(pages)} pages through {through}, page cache {args.page_cache or 'off'}: "
        f"{elapsed / requests * 1000:.2f} ms a request under the profiler"
    )
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats(args.sort).print_stats(args.top)
    total = stats.total_tt
    print(f"Top {args.top} by {args.sort} (share of {total:.2f} s profiled):")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2 if args.sort == "tottime" else 3], reverse=True)
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in rows[: args.top]:
        where = filename.split("site-packages/")[-1].replace(os.getcwd() + "/", "")
        value = tottime if args.sort == "tottime" else cumtime
        print(f"| {value / total:6.1%} | {calls / requests:8.1f} | {where}:{line}({name}) |")


def missing_fragments(get):
    """``get`` with this process's fragment cache emptied before each request."""
    from core.cache import fragments

    def get_missing(path):
        fragments.clear()
        return get(path)

    return get_missing


def time_each_page(get, pages, repeat):
    """Per page: wall and CPU time a request, the PostgreSQL backend's CPU time a request, function calls."""
    from django.db import connection

    clock_ticks = os.sysconf("SC_CLK_TCK")

    def backend_cpu():  # seconds of CPU the backend serving this process has used (utime + stime)
        if connection.vendor != "postgresql":
            return 0.0
        connection.ensure_connection()
        with open(f"/proc/{connection.connection.info.backend_pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / clock_ticks

    print(f"{'page':50} | {'wall ms':>8} | {'CPU ms':>7} | {'database CPU ms':>15} | {'calls':>8}")
    for page in pages:
        for _ in range(2):
            get(page)
        profile = cProfile.Profile()
        profile.enable()
        get(page)
        profile.disable()
        calls = sum(entry[1] for entry in pstats.Stats(profile).stats.values())
        database = backend_cpu()
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(repeat):
            get(page)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        database = backend_cpu() - database
        print(
            f"{page:50} | {elapsed / repeat * 1000:8.2f} | {cpu / repeat * 1000:7.2f} | "
            f"{database / repeat * 1000:15.2f} | {calls:8,}"
        )


class Answer:
    def __init__(self, status, body):
        self.status_code = int(status.split()[0])
        self.content = body


def wsgi_get():
    """A GET of a path through ``seoul_diplomacy.wsgi.application``, with the environ gunicorn gives it."""
    import sys

    from seoul_diplomacy.wsgi import application

    def get(path):
        path_info, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "RAW_URI": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8100",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "REMOTE_PORT": "40000",
            "HTTP_HOST": "localhost",
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_USER_AGENT": "wrk",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        sent = []
        result = application(environ, lambda status, headers, exc_info=None: sent.append(status))
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return Answer(sent[0], body)

    return get


def count_redis_commands():
    """A function that returns how many commands this process has sent to Redis since this was called (the
    server's own count includes every other client's)."""
    from redis.connection import AbstractConnection

    sent = [0]
    send = AbstractConnection.send_packed_command

    def counted(self, command, *args, **kwargs):
        sent[0] += 1
        return send(self, command, *args, **kwargs)

    AbstractConnection.send_packed_command = counted
    return lambda: sent[0]


if __name__ == "__main__":
    main()

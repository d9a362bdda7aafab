"""Where a page's time goes: cProfile over the whole request (every middleware, the view, the template),
in one process, under the production settings, on the benchmark database, page cache off (or on).

    .venv/bin/python -m bench.profile_pages --database-url postgres://postgres@127.0.0.1:5432/bench_seoul
    .venv/bin/python -m bench.profile_pages --page-cache 600 --repeat 2000

Prints the top functions by their own time ("tottime") and the share of the total each takes, over
``--repeat`` requests to each page (after one warm-up request), Redis as the cache (REDIS_URL, default
redis://127.0.0.1:6379/0), as make serve has it.
"""

import argparse
import cProfile
import io
import os
import pstats
import time

from bench.queries import DEFAULT_DATABASE_URL

PAGES = ["/", "/cases/", "/cases/?sector=transportation&country=PH", "/cities/", None, "/rankings/gpci/"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--page-cache", type=int, default=0, help="PAGE_CACHE_SECONDS (0: off)")
    parser.add_argument("--repeat", type=int, default=20, help="requests to each page")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    args = parser.parse_args()
    # As make serve has it (and bench/throughput.sh): production settings, Redis, on a database
    # bench.queries (or throughput.sh) prepared.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="seoul_diplomacy.settings.production",
        DJANGO_SECRET_KEY="bench-only-secret-key-not-for-any-real-site-0123456789abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        DJANGO_SITE_URL="http://127.0.0.1",
        DATABASE_URL=args.database_url,
        DJANGO_PAGE_CACHE_SECONDS=str(args.page_cache),
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    os.environ.pop("DATABASE_REPLICA_URL", None)
    import django

    django.setup()
    from django.test import Client

    from projects.models import Case

    case = Case.objects.published().order_by("slug").first().get_absolute_url()
    pages = [page or case for page in PAGES]
    pages += ["/ko" + page for page in pages]
    client = Client(headers={"host": "localhost", "x-forwarded-proto": "https"})
    for page in pages:
        assert client.get(page).status_code == 200, page
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(args.repeat):
        for page in pages:
            client.get(page)
    profile.disable()
    elapsed = time.perf_counter() - started
    requests = args.repeat * len(pages)
    print(
        f"{requests} requests to {len(pages)} pages, page cache {args.page_cache or 'off'}: "
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


if __name__ == "__main__":
    main()

"""Median and 95th-percentile latency of the main pages, as ratios to a bare Django view in the same run.

    .venv/bin/python -m bench.latency                                  # SQLite file in the temp folder
    .venv/bin/python -m bench.latency --database-url postgres://postgres@127.0.0.1:5432/bench_seoul

Pages: /, /cases/, /cases/?sector=…&country=…&q=…, /cases/<slug>/ and /cities/, at 1,000 and 100,000
cases, in three modes (below). The bare view (bench/urls.py: same middleware, no database, no template)
is measured in the same rounds, so each ratio compares like with like on a machine whose speed drifts;
so are, for scale, the site's frame alone (base.html with an empty content block) and its simplest real
page (/sectors/). After resizing, the content tables are compacted (``compact``). Requests go through Django's
WSGI handler in this process (no network, no HTTP parsing), as an anonymous visitor behind the TLS
proxy, under the production settings. Rounds are interleaved: each round requests every page once.
The modes:

- page cache off, facet cache off: every request renders the page and runs every query (the cold case:
  the first request after a content change);
- page cache off, facet cache warm: every request renders the page, but the facet counts of /cases/ and
  /cities/ come from the cache (listing.facets), filled by the warm-up rounds;
- page cache on: the anonymous page cache (and so the facet cache) warm.

The caches are in Redis (REDIS_URL, default redis://127.0.0.1:6379/0) or, when Redis cannot be reached,
in local memory (the table says which).
"""

import argparse
import sys
import time
import uuid

from bench.queries import DEFAULT_DATABASE_URL, client, machine, median, percentile, resize, sample_pages, setup, table

SIZES = (1_000, 100_000)
PAGES = ("home", "case list", "case list, filtered", "case", "city list")
# For scale: the site's frame with nothing in it, and its simplest real page (seven sectors).
REFERENCES = ("empty page (frame only)", "sector list")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def cache_settings(redis_url):
    """The cache (pages, facet counts) in Redis if reachable: (CACHES, description)."""
    import redis

    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
        return {"default": backend}, "local memory (Redis unreachable)"
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": prefix}
    return {"default": backend}, f"Redis {redis_url}"


def compact():
    """PostgreSQL: rewrite the content tables without the rows ``resize`` deleted, and refresh the statistics.

    Going from 100,000 cases to 1,000 and back deletes and re-inserts nearly every case; the dead rows
    stay in the files until a vacuum (and autovacuum may be off, or not have run yet), so every whole-table
    scan would read them too, and the times would depend on how many runs came before. ``VACUUM FULL``
    gives the tables a database of that size would have; the plain ``VACUUM`` after it, their visibility map.
    """
    from django.db import connection

    from projects.models import Case, CaseCategory, City, Country, Sector

    if connection.vendor != "postgresql":
        return
    models = (Country, Sector, CaseCategory, City, Case, Case.cities.through)
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM FULL ANALYZE {tables}")
        # VACUUM FULL leaves the visibility map empty, so no index-only scan could skip the table;
        # a plain VACUUM fills it, as autovacuum would on a server that has it on.
        cursor.execute(f"VACUUM {tables}")


def measure(urls, rounds, warmup=3):
    """Seconds per request for each URL, ``rounds`` samples each, interleaved."""
    browser = client()
    samples = {name: [] for name in urls}
    for _ in range(warmup):
        for url in urls.values():
            browser.get(url)
    for _ in range(rounds):
        for name, url in urls.items():
            start = time.perf_counter()
            response = browser.get(url)
            samples[name].append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
    return samples


def report(title, samples, rounds):
    bare_median, bare_p95 = median(samples["bare view"]), percentile(samples["bare view"], 0.95)
    rows = []
    for name, values in samples.items():
        page_median, page_p95 = median(values), percentile(values, 0.95)
        rows.append(
            [
                name,
                f"{page_median * 1000:.2f}",
                f"{page_p95 * 1000:.2f}",
                f"{page_median / bare_median:.1f}x",
                f"{page_p95 / bare_p95:.1f}x",
            ]
        )
    print(f"\n{title} ({rounds} requests per page)")
    print(table(["page", "median ms", "p95 ms", "median / bare", "p95 / bare"], rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="numbers of cases")
    parser.add_argument("--rounds", type=int, default=60, help="requests per page, page cache off (on: 5 times more)")
    args = parser.parse_args()
    setup(args.database_url, urlconf="bench.urls")
    from django.db import connection
    from django.test.utils import override_settings

    from bench.urls import BARE_URL, EMPTY_PAGE_URL

    caches, cache_description = cache_settings(args.redis_url)
    print(f"Machine: {machine()}")
    print(f"Database: {connection.vendor} ({args.database_url}); production settings; in-process WSGI requests")
    for size in sorted(args.sizes):
        print(f"resizing to {size:,} cases ...", file=sys.stderr)
        resize(size)
        compact()
        pages = sample_pages()
        pages["empty page (frame only)"] = EMPTY_PAGE_URL
        urls = {"bare view": BARE_URL, **{name: pages[name] for name in REFERENCES + PAGES}}
        print(f"\nPages: {', '.join(f'{name} = {url}' for name, url in urls.items())}")
        with override_settings(PAGE_CACHE_SECONDS=0, FACET_CACHE_SECONDS=0):
            report(f"{size:,} cases, page cache off, facet cache off", measure(urls, args.rounds), args.rounds)
        with override_settings(CACHES=caches, PAGE_CACHE_SECONDS=0, FACET_CACHE_SECONDS=600):
            title = f"{size:,} cases, page cache off, facet cache warm: {cache_description}"
            report(title, measure(urls, args.rounds), args.rounds)
        with override_settings(CACHES=caches, PAGE_CACHE_SECONDS=600, FACET_CACHE_SECONDS=600):
            rounds = args.rounds * 5
            report(f"{size:,} cases, page cache on: {cache_description}", measure(urls, rounds), rounds)
    print(f"\nMachine after the run: {machine()}")


if __name__ == "__main__":
    main()

"""Queries per request for every public page type at 100, 10,000 and 100,000 cases: they must be equal.

    .venv/bin/python -m bench.queries                                  # SQLite file in the temp folder
    .venv/bin/python -m bench.queries --database-url postgres://postgres@127.0.0.1:5432/bench_seoul

It runs the production settings against its own database (never db.sqlite3; a PostgreSQL database is
created if missing), loads the shipped fixtures, then tops the cases up with
``generate_synthetic`` to each size and counts the SQL queries of one anonymous request per page,
page cache off. On PostgreSQL it also prints which index the filters of /cases/ use at the largest
size (EXPLAIN ANALYZE). Exit status 1 if a page's count changes with the size.

Also the helpers bench/latency.py shares: the database set-up, resizing, the pages, the tables.
"""

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = f"sqlite:///{Path(tempfile.gettempdir()) / 'seoul_diplomacy_bench.sqlite3'}"
SIZES = (100, 10_000, 100_000)
CASES_PER_CITY = 50  # synthetic cities grow with the cases: 2,000 cities at 100,000 cases
HOST = "localhost"
HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS-terminating proxy in front of production sends


def machine():
    """One line about the machine the numbers come from."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}, load average {load}"


def create_postgres_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def setup(database_url, urlconf="seoul_diplomacy.urls"):
    """Django under the production settings, on the benchmark database, migrated, fixtures loaded."""
    if database_url.startswith(("postgres://", "postgresql://")):
        create_postgres_database(database_url)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="seoul_diplomacy.settings.production",
        DJANGO_SECRET_KEY="bench-only-secret-key-not-for-any-real-site-0123456789abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        DJANGO_SITE_URL=f"http://{HOST}",
        DATABASE_URL=database_url,
        DJANGO_PAGE_CACHE_SECONDS="0",
        # Topping up or clearing 100,000 synthetic cases takes statements longer than production allows.
        DJANGO_DB_STATEMENT_TIMEOUT_MS="0",
    )
    os.environ.pop("REDIS_URL", None)  # cache: local memory unless a benchmark points it at Redis
    os.environ.pop("DATABASE_REPLICA_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ROOT_URLCONF = urlconf
    settings.LOGGING_CONFIG = None
    call_command("migrate", verbosity=0)
    call_command("load_initial_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest {% static %} needs


def resize(total_cases, *, verbose=True):
    """Top the published and draft cases up to ``total_cases`` with synthetic ones (and their cities)."""
    from dataio import synthetic
    from projects.models import Case, City

    current = Case.objects.count()
    if current > total_cases:
        synthetic.clear()
        current = Case.objects.count()
    wanted_cities = max(10, total_cases // CASES_PER_CITY)
    cities = max(0, wanted_cities - City.objects.filter(slug__startswith=synthetic.PREFIX).count())
    if total_cases > current:
        summary = synthetic.generate(cases=total_cases - current, cities=cities, seed=total_cases)
        if verbose:
            print(f"  added {summary}", file=sys.stderr)
    synthetic.analyze()


def sample_pages():
    """One URL of every public page type, on rows that exist at every size (the first synthetic ones)."""
    from django.urls import reverse

    from dataio.synthetic import PREFIX
    from projects.models import Case
    from rankings.models import RankingIndex

    case = Case.objects.published().filter(slug__startswith=PREFIX).order_by("slug").first()
    city = case.cities.published().order_by("slug").first()
    word = case.title.split()[0].lower()
    filtered = {"sector": case.sector.slug, "country": case.country.code, "q": word}
    return {
        "home": reverse("home"),
        "case list": reverse("projects:case_list"),
        "case list, filtered": reverse("projects:case_list") + "?" + urlencode(filtered),
        "case": case.get_absolute_url(),
        "sector list": reverse("projects:sector_list"),
        "sector": case.sector.get_absolute_url(),
        "city list": reverse("projects:city_list"),
        "city": city.get_absolute_url(),
        "ranking list": reverse("rankings:index_list"),
        "ranking": RankingIndex.objects.order_by("slug").first().get_absolute_url(),
        "organization list": reverse("rankings:organization_list"),
        "open data": reverse("data"),
        "robots.txt": reverse("robots_txt"),
    }


def client():
    from django.test import Client

    return Client(HTTP_HOST=HOST, headers=HTTPS)


def count_queries(url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = client()
    browser.get(url)  # warm: the first request of a process runs queries no later one does
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def table(headers, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = [" | ".join(str(cell).ljust(width) for cell, width in zip(headers, widths, strict=True))]
    lines.append("-|-".join("-" * width for width in widths))
    for row in rows:
        cells = [
            str(cell).rjust(width) if i else str(cell).ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def median(samples):
    return statistics.median(samples)


# The filters of /cases/ and the index each should use at scale (PostgreSQL only).
EXPLAINED_FILTERS = {
    "?sector=": lambda case: {"sector": [case.sector.slug]},
    "?country=": lambda case: {"country": [case.country.code]},
    "?kind=": lambda case: {"kind": case.kind},
    "?category=": lambda case: {"category": case.category.slug} if case.category else {},
    "?region=": lambda case: {"region": case.country.region},
    "?city=": lambda case: {"city": case.cities.first().slug},
    "?year_from=": lambda case: {"year_from": 2023},
    "?year_to=": lambda case: {"year_to": 2000},
    "?ordering=title": lambda case: {"ordering": "title"},
    "?ordering=year": lambda case: {"ordering": "year"},
    "?q=": lambda case: {"q": case.title.split()[0]},
}


def page_query(url):
    """The SQL of the query that reads the page's rows of /cases/, as the view runs it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    pages = [q["sql"] for q in queries if q["sql"].startswith('SELECT "projects_case"."id"') and "LIMIT" in q["sql"]]
    assert len(pages) == 1, (url, pages)
    return pages[0]


def explain_filters():
    """For each filter of /cases/: the indexes PostgreSQL's plan reads for the page's rows, and the time."""
    from django.db import connection
    from django.urls import reverse

    from dataio.synthetic import PREFIX
    from projects.models import Case

    if connection.vendor != "postgresql":
        print("\n(EXPLAIN of the filters: PostgreSQL only; tests/production/test_indexes.py does it in CI.)")
        return
    case = Case.objects.published().filter(slug__startswith=PREFIX, category__isnull=False).order_by("slug").first()
    rows = []
    for name, params in {"(none)": lambda case: {}, **EXPLAINED_FILTERS}.items():
        url = reverse("projects:case_list") + "?" + urlencode(params(case), doseq=True)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + page_query(url))
            plan = "\n".join(row[0] for row in cursor.fetchall())
        used = sorted(set(re.findall(r"(?:Index Only Scan using|Index Scan using|Bitmap Index Scan on) (\w+)", plan)))
        time = re.search(r"Execution Time: ([\d.]+) ms", plan)[1]
        rows.append((name, ", ".join(name for name in used if "pkey" not in name) or "(none: whole-table scan)", time))
    print("\nIndexes the page query of /cases/ reads (as the view runs it, default order), by filter")
    print("(EXPLAIN ANALYZE, largest size):")
    print(table(["filter", "indexes used (primary keys left out)", "ms"], rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="numbers of cases")
    parser.add_argument("--prepare-only", action="store_true", help="only bring the database to the (last) size")
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection

    if args.prepare_only:
        from projects.models import Case

        resize(sorted(args.sizes)[-1])
        print(f"{Case.objects.count():,} cases ({Case.objects.published().count():,} published)")
        return

    print(f"Machine: {machine()}")
    print(f"Database: {connection.vendor} ({args.database_url}); production settings, page cache off")
    counts = {}
    for size in sorted(args.sizes):
        print(f"resizing to {size:,} cases ...", file=sys.stderr)
        resize(size)
        counts[size] = {name: count_queries(url) for name, url in sample_pages().items()}
    pages = list(counts[min(counts)])
    rows = [
        [
            page,
            *(counts[size][page] for size in sorted(counts)),
            "yes" if len({c[page] for c in counts.values()}) == 1 else "NO",
        ]
        for page in pages
    ]
    print("\nSQL queries per anonymous request:")
    print(table(["page", *(f"{size:,} cases" for size in sorted(counts)), "equal"], rows))
    explain_filters()
    unequal = [row[0] for row in rows if row[-1] != "yes"]
    if unequal:
        print(f"\nNOT EQUAL: {', '.join(unequal)}")
        sys.exit(1)
    print("\nEvery page runs the same number of queries at every size.")


if __name__ == "__main__":
    main()

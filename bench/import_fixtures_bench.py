"""Import speed: ``import_fixtures`` against plain ``loaddata`` on one generated file of 20,000 cases.

Run from the project folder:

    .venv/bin/python -m bench.import_fixtures_bench            # 20,000 cases
    .venv/bin/python -m bench.import_fixtures_bench --cases 2000

It writes a clearly synthetic fixture file (countries "Synthetic country XA"..., sectors, categories,
cities and the cases that reference them; natural keys, no pks) into a temporary folder, never into
fixtures/. Then it imports that same file twice, each time into a fresh, empty, migrated SQLite
database in the temporary folder: once with ``import_fixtures``, once with ``loaddata``, both with
DEBUG off. ``import_fixtures`` also validates every record and writes a history entry for every row;
``loaddata`` validates nothing and, saving raw rows, leaves history only for the cases whose cities it
sets, so the comparison does not favour ``import_fixtures``. It prints records, seconds and records
per second for each, and the ratio. The environment's DATABASE_URL is ignored: the benchmark only ever touches
its own temporary SQLite file, which it deletes at the end.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

SECTORS = 5
CATEGORIES_PER_SECTOR = 3
COUNTRIES = 40
CITIES = 500
KINDS = ["consulting", "feasibility-study", "technical-advice", "design", "construction", "capacity-building"]
SOURCE = "Synthetic benchmark data (bench/import_fixtures_bench.py); not a real record"
AS_OF = "2017-03-31"


def provenance():
    return {"source": SOURCE, "as_of": AS_OF, "note": ""}


def country_codes():
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [first + second for first in "XQ" for second in letters][:COUNTRIES]


def generate(cases):
    """The records of the synthetic data set, in the order loaddata needs them."""
    codes = country_codes()
    records = [
        {
            "model": "projects.country",
            "fields": {"code": code, "name": f"Synthetic country {code}", "name_ko": "", "region": "europe"},
        }
        for code in codes
    ]
    categories = []
    for s in range(SECTORS):
        sector = f"synthetic-sector-{s}"
        records.append(
            {
                "model": "projects.sector",
                "fields": {
                    **provenance(),
                    "slug": sector,
                    "name": f"Synthetic sector {s}",
                    "order": 100 + s,
                    "declared_case_count": None,
                },
            }
        )
        for c in range(CATEGORIES_PER_SECTOR):
            slug = f"synthetic-category-{s}-{c}"
            categories.append((sector, slug))
            records.append(
                {
                    "model": "projects.casecategory",
                    "fields": {"sector": [sector], "slug": slug, "name": f"Synthetic category {s}.{c}", "order": c},
                }
            )
    for i in range(CITIES):
        records.append(
            {
                "model": "projects.city",
                "fields": {
                    **provenance(),
                    "status": "published",
                    "slug": f"synthetic-city-{i}",
                    "name": f"Synthetic city {i}",
                    "country": [codes[i % COUNTRIES]],
                    "latitude": f"{(i % 170) - 85}.12345",
                    "longitude": f"{(i % 350) - 175}.54321",
                },
            }
        )
    for i in range(cases):
        sector, category = categories[i % len(categories)]
        city = i % CITIES
        records.append(
            {
                "model": "projects.case",
                "fields": {
                    **provenance(),
                    "status": "published" if i % 10 else "draft",
                    "slug": f"synthetic-case-{i}",
                    "title": f"Synthetic case {i}",
                    "summary": f"Generated for the import benchmark; case number {i}.",
                    "sector": [sector],
                    "category": [category] if i % 4 else None,
                    "country": [codes[city % COUNTRIES]],
                    "kind": KINDS[i % len(KINDS)],
                    "year_start": 2000 + i % 17,
                    "year_end": 2000 + i % 17 + i % 3,
                    "verification": "unconfirmed",
                    "cities": [[f"synthetic-city-{city}"]]
                    + ([[f"synthetic-city-{(city + 1) % CITIES}"]] if i % 3 == 0 else []),
                },
            }
        )
    return records


def setup_django(folder):
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "seoul_diplomacy.settings.dev"
    os.environ["DJANGO_SQLITE_PATH"] = str(folder / "bench.sqlite3")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()


def timed(command, fixture, database, empty_database):
    """Seconds ``command`` takes to load ``fixture`` into a fresh copy of the empty database."""
    from django.core.management import call_command
    from django.db import connections

    from projects.models import Case

    connections.close_all()
    shutil.copyfile(empty_database, database)
    started = time.perf_counter()
    call_command(command, str(fixture), verbosity=0)
    seconds = time.perf_counter() - started
    return seconds, Case.objects.count()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="How many cases to generate (default 20,000).")
    options = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="import-fixtures-bench-"))
    try:
        setup_django(folder)
        from django.core.management import call_command
        from django.db import connections

        records = generate(options.cases)
        fixture = folder / "synthetic.json"
        fixture.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
        database = folder / "bench.sqlite3"
        call_command("migrate", verbosity=0)
        connections.close_all()
        empty_database = folder / "empty.sqlite3"
        shutil.copyfile(database, empty_database)

        results = {}
        for command in ("import_fixtures", "loaddata"):
            seconds, cases = timed(command, fixture, database, empty_database)
            if cases != options.cases:
                sys.exit(f"{command} loaded {cases} cases, not {options.cases}")
            results[command] = seconds
        connections.close_all()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"{len(records):,} records ({options.cases:,} cases with their countries, sectors, categories and cities)")
    print(f"{'method':<16} {'records':>8} {'seconds':>9} {'records/s':>10}")
    for command, seconds in results.items():
        print(f"{command:<16} {len(records):>8,} {seconds:>9.2f} {len(records) / seconds:>10,.0f}")
    ratio = results["loaddata"] / results["import_fixtures"]
    print(f"import_fixtures is {ratio:.1f}x as fast as loaddata (aim: at least 10x)")


if __name__ == "__main__":
    main()

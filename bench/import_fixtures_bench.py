"""Import speed and memory: ``import_fixtures`` against plain ``loaddata`` at 10,000 and 100,000 cases.

Run from the project folder:

    .venv/bin/python -m bench.import_fixtures_bench                     # 10,000 and 100,000 cases
    .venv/bin/python -m bench.import_fixtures_bench --cases 2000 20000  # any sizes

For each size it writes clearly synthetic fixture files (countries "Synthetic country XA"..., sectors,
categories, cities and the cases that reference them; natural keys, no pks) into a temporary folder,
never into fixtures/: one file of the reference rows and one file per 25,000 cases, each under
``FIXTURE_MAX_BYTES``. Then it imports those same files twice, each time into a fresh, empty, migrated
SQLite database in the temporary folder and in a process of its own: once with ``import_fixtures``,
once with ``loaddata``, both with DEBUG off. ``import_fixtures`` also validates every record and writes
a history entry for every row; ``loaddata`` validates nothing and, saving raw rows, leaves history only
for the cases whose cities it sets, so the comparison does not favour ``import_fixtures``.

It prints, for each size and command: records, seconds, records per second, microseconds per record,
its CPU seconds (steadier than the wall clock on a shared machine), the process's peak resident memory
(``VmHWM``), the part of it the command added (peak less the memory before the command) and that part
per record; then the ratio to ``loaddata`` at each size, and
how the time and the memory per record of ``import_fixtures`` grew from the smallest size to the
largest (1.0: linear). ``--import-only`` leaves ``loaddata`` out (about 19 minutes at 100,000 cases).
The environment's DATABASE_URL is ignored: the benchmark only ever touches its own temporary SQLite
files, which it deletes at the end.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
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


CASES_PER_FILE = 25_000  # 25,000 cases: about 17 MB of JSON, under FIXTURE_MAX_BYTES (50 MB)
COMMANDS = ("import_fixtures", "loaddata")


def write_files(records, folder):
    """The records as fixture files: the reference rows, then the cases ``CASES_PER_FILE`` at a time."""
    reference = [record for record in records if record["model"] != "projects.case"]
    cases = [record for record in records if record["model"] == "projects.case"]
    parts = [reference] + [cases[start : start + CASES_PER_FILE] for start in range(0, len(cases), CASES_PER_FILE)]
    paths = []
    for number, part in enumerate(parts):
        path = folder / f"synthetic-{number:02}.json"
        path.write_text(json.dumps(part, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths


def setup_django(database):
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "seoul_diplomacy.settings.dev"
    os.environ["DJANGO_SQLITE_PATH"] = str(database)
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()


def megabytes(line):
    """A line of /proc/self/status in MB: "VmRSS" (resident now), "VmHWM" (the peak of resident memory).

    Not ``ru_maxrss``: Linux carries it over an exec, so a child would report its parent's peak."""
    for text in Path("/proc/self/status").read_text().splitlines():
        if text.startswith(f"{line}:"):
            return int(text.split()[1]) / 1024  # kB
    raise LookupError(line)


def run_one(command, database, paths):
    """In this process (a child of ``main``): run ``command`` on ``paths`` into ``database``; print JSON."""
    setup_django(database)
    from django.core.management import call_command

    from projects.models import Case

    Case.objects.exists()  # the connection and the models loaded before the measure starts
    before = megabytes("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    call_command(command, *map(str, paths), verbosity=0)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    result = {"seconds": seconds, "cpu": cpu, "before_mb": before, "peak_mb": megabytes("VmHWM")}
    print(json.dumps({**result, "cases": Case.objects.count()}))


def measure(command, paths, database, empty_database):
    """Seconds and memory of ``command`` loading ``paths`` into a fresh copy of the empty database, in a
    process of its own so that its peak memory is its own."""
    shutil.copyfile(empty_database, database)
    child = [sys.executable, "-m", "bench.import_fixtures_bench", "--run", command, "--database", str(database)]
    done = subprocess.run([*child, *map(str, paths)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{command} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases", type=int, nargs="+", default=[10_000, 100_000], help="Sizes to measure (default 10,000 100,000)."
    )
    parser.add_argument("--import-only", action="store_true", help="Leave loaddata out.")
    parser.add_argument("--run", choices=COMMANDS, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.run:
        run_one(options.run, options.database, options.paths)
        return

    commands = COMMANDS[:1] if options.import_only else COMMANDS
    folder = Path(tempfile.mkdtemp(prefix="import-fixtures-bench-"))
    rows = []
    try:
        empty_database = folder / "empty.sqlite3"
        setup_django(empty_database)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        connections.close_all()
        print(f"{platform.node()}: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; SQLite")
        header = (
            f"{'cases':>8} {'method':<16} {'records':>8} {'seconds':>9} {'cpu s':>8} {'records/s':>10} "
            f"{'us/record':>10} {'peak MB':>8} {'added MB':>9} {'kB/record':>10}"
        )
        print(header)
        print("-" * len(header), flush=True)
        for cases in options.cases:
            records = generate(cases)
            paths = write_files(records, folder)
            for command in commands:
                result = measure(command, paths, folder / "bench.sqlite3", empty_database)
                if result["cases"] != cases:
                    sys.exit(f"{command} loaded {result['cases']} cases, not {cases}")
                rows.append((cases, len(records), command, result))
                added = result["peak_mb"] - result["before_mb"]
                print(
                    f"{cases:>8,} {command:<16} {len(records):>8,} {result['seconds']:>9.2f} {result['cpu']:>8.2f} "
                    f"{len(records) / result['seconds']:>10,.0f} {result['seconds'] / len(records) * 1e6:>10,.0f} "
                    f"{result['peak_mb']:>8,.0f} {added:>9,.0f} {added * 1024 / len(records):>10.2f}",
                    flush=True,
                )
            for path in paths:
                path.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    by_size = {(cases, command): (records, result) for cases, records, command, result in rows}
    for cases in options.cases:
        if (cases, "loaddata") in by_size:
            loaddata, imported = by_size[cases, "loaddata"][1], by_size[cases, "import_fixtures"][1]
            ratio, cpu_ratio = loaddata["seconds"] / imported["seconds"], loaddata["cpu"] / imported["cpu"]
            print(
                f"{cases:>8,} cases: import_fixtures is {ratio:.1f}x as fast as loaddata (aim: at least 10x); "
                f"in CPU time {cpu_ratio:.1f}x"
            )
    if len(options.cases) > 1:
        small, large = min(options.cases), max(options.cases)
        (small_records, small_result), (large_records, large_result) = (
            by_size[small, "import_fixtures"],
            by_size[large, "import_fixtures"],
        )

        def per_record(records, result):
            return (
                result["seconds"] / records,
                result["cpu"] / records,
                (result["peak_mb"] - result["before_mb"]) / records,
            )

        growth = [
            large / small
            for small, large in zip(
                per_record(small_records, small_result), per_record(large_records, large_result), strict=True
            )
        ]
        print(
            f"import_fixtures from {small:,} to {large:,} cases, per record: time x{growth[0]:.2f}, "
            f"CPU time x{growth[1]:.2f}, memory added x{growth[2]:.2f} (1.00: linear)"
        )


if __name__ == "__main__":
    main()

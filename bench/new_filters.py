"""What a new filter combination costs with the page cache off: an address of /cases/ or /cities/ never asked
before in this process, while the rest of the content generation is warm (the list pages, their facet cells, the
kept rows), as for a crawler walking filter combinations. Function calls a request (exact) and CPU time under
cProfile (moves with the load), twelve addresses a list in each language; production settings, Redis.

    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python -m bench.new_filters \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_seoul
"""

import argparse
import cProfile
import os
import pstats
import time

from bench.profile_pages import production_environment, wsgi_get
from bench.queries import DEFAULT_DATABASE_URL

KINDS = ["consulting", "feasibility-study", "technical-advice", "policy-advice", "design", "construction"]
REGIONS = [
    "east-asia",
    "southeast-asia",
    "south-asia",
    "central-asia",
    "middle-east",
    "africa",
    "europe",
    "north-america",
    "latin-america",
    "oceania",
]
RELATIONSHIPS = ["sister", "friendship", "none"]
LISTS = {
    "/cases/?kind=…&region=…": [f"/cases/?kind={kind}&region={region}" for kind in KINDS for region in REGIONS][:12],
    "/cities/?relationship=…&region=…": [
        f"/cities/?relationship={relationship}&region={region}" for relationship in RELATIONSHIPS for region in REGIONS
    ][:12],
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    production_environment(
        args.database_url,
        DJANGO_PAGE_CACHE_SECONDS="0",
        # A loaded machine's Redis may answer later than production's 50 ms: no "cache unreachable" mid-run.
        DJANGO_CACHE_TIMEOUT_MS=os.environ.get("DJANGO_CACHE_TIMEOUT_MS", "2000"),
    )
    import django

    django.setup()

    get = wsgi_get()
    for prefix in ("", "/ko"):
        for path in ("/", "/cases/", "/cities/"):
            get(prefix + path)
            get(prefix + path)
    for prefix in ("", "/ko"):
        for name, paths in LISTS.items():
            calls = cpu = 0
            for path in paths:
                profile = cProfile.Profile()
                started = time.process_time()
                profile.enable()
                answer = get(prefix + path)
                profile.disable()
                cpu += time.process_time() - started
                assert answer.status_code == 200, (path, answer.status_code)
                calls += sum(entry[1] for entry in pstats.Stats(profile).stats.values())
            print(f"{prefix + name:40} | {calls / len(paths):10,.0f} calls | {cpu / len(paths) * 1000:7.2f} ms CPU")


if __name__ == "__main__":
    main()

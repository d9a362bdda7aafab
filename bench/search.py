"""The site search at 100,000 cases: each search query's time against a plain indexed lookup, same run.

    .venv/bin/python -m bench.search --database-url postgres://postgres@127.0.0.1:5432/bench_search

Production settings on its own database (bench.queries.setup: migrated, fixtures loaded), cases topped
up to ``--cases`` with ``generate_synthetic`` (their search column filled as they are inserted), then,
in interleaved rounds, the median time of:

- the plain lookup: one case by its slug (a unique B-tree index), the reference;
- for each query word: the keys of the 20 best matches (``core.search.ordered_keys``: a score level at a
  time), the 20 rows of ``/cases/?q=`` (those keys, then those rows with their sector, country and cities,
  as the page reads them), the count ``/search/`` shows (``core.search.count``: exact up to 1,000, else the
  planner's estimate), the exact count for comparison, and ``/search/?q=`` as a whole (every kind's count
  and first results, rendered), in-process, page cache off; and the keys, the page and ``/search/?q=`` again
  as a Korean page reads them (``/ko/cases/?q=``, ``/ko/search/?q=``: the levels in the Korean title order).

The words: a rare one (a synthetic city's name: a few dozen cases), common English ones (a country: about
1 case in 45; "transport", which starts a sector's name and some titles: 1 case in 7; "water", in the titles
of 1 case in 7; "seoul", in every synthetic summary: every case), three-syllable and two-syllable Korean
sector names (상수도, 교통: about 1 case in 7, found inside longer words), and a word nothing holds. The
tables are compacted (VACUUM ANALYZE) after loading. On PostgreSQL it prints the plan of each capped
count query and how many queries a page's keys took, and times the capped count query inside the database
too (the "Execution Time" of EXPLAIN ANALYZE, against the lookup's own), and the statements of each word's
page keys (English and Korean pages), each replayed under EXPLAIN ANALYZE, summed (and how many: each is a
round trip). Target: under 20 ms per query.
"""

import argparse
import re
import sys
import time

from bench.queries import DEFAULT_DATABASE_URL, client, machine, median, resize, setup, table

ROUNDS = 15


def timed(function):
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def words():
    from dataio.synthetic import PREFIX
    from projects.models import Case, City

    city = City.objects.published().filter(slug__startswith=PREFIX, cases__isnull=False).order_by("slug").first()
    country = Case.objects.filter(slug__startswith=PREFIX).order_by("slug").first().country
    return {
        "rare: a city's name": city.name,
        "common: a country": country.name,
        "common: a sector's word": "transport",
        "common: in titles": "water",
        "common: in every summary": "seoul",
        "Korean, 3 syllables": "상수도",
        "Korean, 2 syllables": "교통",
        "no match": "zzqx",
    }


def compact():
    """VACUUM ANALYZE the content tables (autovacuum may be off): the dead rows of a rebuild or a resize
    would be read by every scan, and a GIN index's pending entries by every search."""
    from django.db import connection

    from core import search
    from projects.models import Case, City, Country, Sector

    if connection.vendor != "postgresql":
        return
    narrow = list(getattr(search, "_narrow", {}).values())  # the narrow tables beside (core.search.NarrowWords)
    tables = [model._meta.db_table for model in (Country, Sector, City, Case, *narrow, Case.cities.through)]
    in_order = getattr(search, "_in_order", {}).values()  # (core.search.NamesInOrder)
    tables += [side.table for sides in in_order for side in (sides if isinstance(sides, tuple) else [sides])]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")


def in_language(language, function, *args):
    """``function(*args)``, to be called as a page in ``language`` calls it (a Korean page: its lists in the
    Korean title order)."""
    from django.utils import translation

    def called():
        with translation.override(language):
            return function(*args)

    return called


def server_side_queries(queries, slug):
    from core import search
    from projects.filters import CaseFilter
    from projects.models import Case

    found = {"plain lookup, in the database": Case.objects.filter(slug=slug)}
    for label, word in queries.items():
        capped = CaseFilter({"q": word}).qs.order_by().values("pk")[: search.EXACT_UP_TO + 1]
        found[f"{label} ({word}): count query (capped), in the database"] = capped
    return found


def execution_ms(queryset, *settings):
    """The "Execution Time" of EXPLAIN ANALYZE, with ``settings`` off as the site's query has them."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        explained = queryset.explain(analyze=True)
    return float(re.search(r"Execution Time: ([\d.]+) ms", explained).group(1))


CAPPED_COUNT_SETTINGS = ("enable_seqscan", "enable_indexscan")  # core.search.capped_count
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SELECT set_config(", "EXPLAIN")
CONTROL = TRANSACTION[:-1]  # (an EXPLAIN is a statement of its own: the planner's estimate)


def statements_ms(function):
    """The database's own time for the statements ``function`` runs: each statement replayed in order under
    EXPLAIN ANALYZE (its "Execution Time"), with the transactions and planner settings it ran in, summed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    total = 0.0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if query["sql"].startswith(TRANSACTION):  # (the planner's estimate is an EXPLAIN: nothing executed)
                cursor.execute(query["sql"])
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
            total += cursor.fetchone()[0][0]["Execution Time"]
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    setup(args.database_url)
    resize(args.cases)
    compact()

    from django.db import connection

    from core import search
    from listing.paging import KeysFirst
    from projects.filters import CaseFilter
    from projects.models import Case

    slug = Case.objects.published().order_by("-slug").values_list("slug", flat=True).first()
    queries = words()
    browser = client()

    def lookup():
        Case.objects.get(slug=slug)

    def page_keys(word):
        return search.ordered_keys(CaseFilter({"q": word}, queryset=Case.objects.published()).qs, slice(0, 20))

    def cases_page(word):
        return KeysFirst(CaseFilter({"q": word}, queryset=Case.objects.published().for_listing()).qs)[:20]

    # Each measure in its page's language, set for it: a request through the test client leaves its own active.
    measures = {"plain lookup: a case by slug": in_language("en", lookup)}
    for label, word in queries.items():
        measures[f"{label} ({word}): page keys (score levels)"] = in_language("en", page_keys, word)
        measures[f"{label} ({word}): page of /cases/?q="] = in_language("en", cases_page, word)
        measures[f"{label} ({word}): count as /search/ shows it"] = in_language(
            "en", lambda word=word: search.count(CaseFilter({"q": word}).qs)
        )
        measures[f"{label} ({word}): exact count (no page uses it)"] = in_language(
            "en", lambda word=word: CaseFilter({"q": word}).qs.count()
        )
        measures[f"{label} ({word}): /search/?q= whole page"] = in_language("en", browser.get, "/search/", {"q": word})
        measures[f"{label} ({word}): Korean page keys (score levels)"] = in_language("ko", page_keys, word)
        measures[f"{label} ({word}): page of /ko/cases/?q="] = in_language("ko", cases_page, word)
        measures[f"{label} ({word}): /ko/search/?q= whole page"] = in_language(
            "ko", browser.get, "/ko/search/", {"q": word}
        )
    samples = {name: [] for name in measures}
    for function in measures.values():  # warm
        function()
    for _ in range(args.rounds):
        for name, function in measures.items():
            samples[name].append(timed(function))
    if connection.vendor == "postgresql":  # the database's own time (EXPLAIN ANALYZE), without Python's share
        for name, queryset in server_side_queries(queries, slug).items():
            settings = CAPPED_COUNT_SETTINGS if "capped" in name else ()
            samples[name] = [execution_ms(queryset, *settings) for _ in range(args.rounds)]
        for label, word in queries.items():
            for page in ("", "Korean "):
                keys = measures[f"{label} ({word}): {page}page keys (score levels)"]
                samples[f"{label} ({word}): {page}page keys' statements, in the database"] = [
                    statements_ms(keys) for _ in range(args.rounds)
                ]
    reference = median(samples["plain lookup: a case by slug"])
    counts = {word: CaseFilter({"q": word}).qs.count() for word in queries.values()}
    rows = []
    for name, values in samples.items():
        if name == "plain lookup, in the database":
            reference = median(values)  # the database rows compare with the database's own lookup
        word = next((word for word in queries.values() if f"({word})" in name), None)
        rows.append(
            [
                name,
                f"{counts[word]:,}" if word is not None else "1",
                f"{median(values):.1f}",
                f"{max(values):.1f}",
                f"{median(values) / reference:.0f}×",
            ]
        )
    total = Case.objects.count()
    print(f"{connection.vendor}, {total:,} cases, {args.rounds} rounds; {machine()}")
    print(table(["query", "cases matching", "median ms", "max ms", "ratio to lookup"], rows))
    print("Ratios: the Python rows to the plain lookup through the ORM, the database rows to its EXPLAIN ANALYZE.")
    if connection.vendor == "postgresql":
        from django.db import transaction
        from django.test.utils import CaptureQueriesContext

        for label, word in queries.items():
            queryset = CaseFilter({"q": word}).qs.order_by().values("pk")[: search.EXACT_UP_TO + 1]
            with transaction.atomic(), connection.cursor() as cursor:
                for setting in CAPPED_COUNT_SETTINGS:
                    cursor.execute(f"SET LOCAL {setting} = off")
                explained = queryset.explain(analyze=True)
            print(f"\n{label} ({word}): the capped count query's plan\n{explained}")
            for page, language in (("", "en"), ("Korean ", "ko")):
                with CaptureQueriesContext(connection) as queries_run:
                    in_language(language, page_keys, word)()
                statements = [query["sql"] for query in queries_run.captured_queries]
                control = [sql for sql in statements if sql.startswith(CONTROL)]
                print(
                    f"the {page}page's keys: {len(statements) - len(control)} statements "
                    f"(and {len(control)} of transaction control and planner settings)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

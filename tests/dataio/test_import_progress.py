"""``import_fixtures`` on a terminal: a line per model as it is done, with its counts, so that a long import
shows it is moving; nothing of the kind in a pipe or a log, where the final report says it all."""

import json
import re
from collections import Counter
from io import StringIO

from django.core.management import call_command

from dataio.importer import import_order
from tests.dataio.conftest import SHIPPED_FILES, run

PROGRESS = re.compile(
    r"… ([a-z_]+\.[a-z]+): ([\d,]+) records? checked \(([\d,]+) new, ([\d,]+) changed, ([\d,]+) unchanged\), \d+\.\d s"
)


class Terminal(StringIO):
    """What the command writes to when run by hand in a terminal."""

    def isatty(self):
        return True


def shipped_records():
    counts = Counter()
    for path in SHIPPED_FILES:
        counts.update(record["model"] for record in json.loads(path.read_text(encoding="utf-8")))
    return counts


def test_on_a_terminal_each_model_gets_a_line_with_its_counts_as_it_is_done(db):
    out = Terminal()
    call_command("import_fixtures", *map(str, SHIPPED_FILES), stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    progress = [PROGRESS.fullmatch(line) for line in lines if line.startswith("…")]
    assert all(progress), lines
    records = shipped_records()
    in_order = [model._meta.label_lower for model in import_order() if records[model._meta.label_lower]]
    assert [match[1] for match in progress] == in_order
    for match in progress:
        count = records[match[1]]
        assert [int(group.replace(",", "")) for group in match.groups()[1:]] == [count, count, 0, 0]
    assert lines.index(progress[-1][0]) < lines.index("Imported.")  # before the report, not after


def test_a_second_import_shows_everything_unchanged(db):
    call_command("import_fixtures", *map(str, SHIPPED_FILES), stdout=StringIO())
    out = Terminal()
    call_command("import_fixtures", *map(str, SHIPPED_FILES), stdout=out)
    case = next(line for line in out.getvalue().splitlines() if line.startswith("… projects.case:"))
    count = shipped_records()["projects.case"]
    assert f"({0} new, 0 changed, {count:,} unchanged)" in case


def test_in_a_pipe_or_a_log_there_are_no_progress_lines(db):
    out, _ = run("import_fixtures", *map(str, SHIPPED_FILES))
    assert out.strip()  # the report is there
    assert not [line for line in out.splitlines() if line.startswith("…")]


def test_quiet_on_a_terminal_too_when_asked(db):
    out = Terminal()
    call_command("import_fixtures", *map(str, SHIPPED_FILES), stdout=out, verbosity=0)
    assert out.getvalue() == ""

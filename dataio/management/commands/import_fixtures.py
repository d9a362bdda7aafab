import time

from django.core.management.base import BaseCommand, CommandError

from dataio.importer import import_fixtures


def shown(value):
    """A value in the report: short, on one line, empty as an em dash."""
    if isinstance(value, list):
        value = ", ".join(value)
    text = " ".join(str(value).split()) if value not in (None, "") else "—"
    return text if len(text) <= 120 else text[:119] + "…"


class Command(BaseCommand):
    help = (
        "Validate fixture files (JSON or YAML, natural keys, no pk) as the admin would, report per model what "
        "is created, updated, published, unpublished or unchanged (with -v 2 each row, old → new for every "
        "changed field), and load all of it in one transaction, or none of it when anything "
        "is wrong: then every problem is printed as FILE: MODEL NATURAL_KEY: FIELD: message and the exit "
        "status is 1. See docs/data-maintenance.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="Fixture files (.json, .yaml, .yml), or folders holding them."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report what would change, but write nothing."
        )

    def handle(self, *args, paths, dry_run=False, verbosity=1, **options):
        # On a terminal, a line per model as it is done: a long import shows it is moving. Not in a pipe
        # or a log, where the report below says it all.
        progress = self.show_progress if verbosity >= 1 and self.stdout.isatty() else None
        self.started = time.monotonic()
        report = import_fixtures(paths, dry_run=dry_run, progress=progress)
        if report.problems:
            for problem in report.problems:
                self.stderr.write(str(problem))
            count = len(report.problems)
            raise CommandError(f"{count} problem{'s' if count != 1 else ''} found; nothing was imported.")
        if verbosity < 1:
            return
        if dry_run:
            self.stdout.write("Dry run: what the import would do (nothing was written).")
        for label, changes in report.changes.items():
            self.stdout.write(
                f"{label}: {len(changes.created)} created, {len(changes.edited)} updated, "
                f"{len(changes.published)} published, {len(changes.unpublished)} unpublished, "
                f"{changes.unchanged} unchanged"
            )
            if verbosity >= 2:
                for record in changes.created:
                    self.stdout.write(f"  created {record}")
                for record, fields in changes.updated:
                    verb = (
                        "published"
                        if record in changes.published
                        else "unpublished"
                        if record in changes.unpublished
                        else "updated"
                    )
                    self.stdout.write(f"  {verb} {record}: {', '.join(fields)}")
                    for name, (old, new) in changes.values.get(record, {}).items():
                        self.stdout.write(f"    {name}: {shown(old)} → {shown(new)}")
        if not dry_run:
            self.stdout.write("Imported." if report.changed else "Nothing to change.")

    def show_progress(self, label, records, changes):
        elapsed = time.monotonic() - self.started
        self.stdout.write(
            f"… {label}: {records:,} record{'s' if records != 1 else ''} checked "
            f"({len(changes.created):,} new, {len(changes.updated):,} changed, {changes.unchanged:,} unchanged), "
            f"{elapsed:.1f} s"
        )

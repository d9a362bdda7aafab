from django.core.management.base import BaseCommand, CommandError

from dataio.consistency import find_notes, find_problems


class Command(BaseCommand):
    help = (
        "List what does not add up in the data (cities without coordinates, published cases pointing at drafts, "
        "rows without a source...), each with the admin page to fix it; with -v 2 also the notes (e.g. sectors "
        "documenting more cases than SMG declared). Exits 0 unless --fail is given and problems are found."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fail", action="store_true", help="Exit with status 1 when any problem is found.")

    def handle(self, *args, fail=False, verbosity=1, **options):
        problems = find_problems()
        self.write_findings(problems, "Fix")
        if verbosity >= 2:
            self.write_findings(find_notes(), "See")
        if not problems:
            self.stdout.write("No problems found.")
            return
        summary = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found."
        if fail:
            raise CommandError(summary)
        self.stdout.write(summary)

    def write_findings(self, findings, verb):
        check = None
        for finding in findings:
            if finding.check != check:
                check = finding.check
                self.stdout.write(f"{check.title}{' (note)' if check.note else ''}")
            self.stdout.write(f"  {finding.message} {verb}: {finding.url}")

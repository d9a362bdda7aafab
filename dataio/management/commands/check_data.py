from django.core.management.base import BaseCommand, CommandError

from dataio.consistency import find_problems


class Command(BaseCommand):
    help = (
        "List what does not add up in the data (declared versus documented counts, cities without coordinates, "
        "published cases pointing at drafts, rows without a source...), each with the admin page to fix it. "
        "Exits 0 unless --fail is given and problems are found."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fail", action="store_true", help="Exit with status 1 when any problem is found.")

    def handle(self, *args, fail=False, **options):
        problems = find_problems()
        if not problems:
            self.stdout.write("No problems found.")
            return
        check = None
        for problem in problems:
            if problem.check != check:
                check = problem.check
                self.stdout.write(check.title)
            self.stdout.write(f"  {problem.message} Fix: {problem.url}")
        summary = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found."
        if fail:
            raise CommandError(summary)
        self.stdout.write(summary)

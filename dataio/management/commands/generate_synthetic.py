from django.core.management.base import BaseCommand, CommandError

from dataio import synthetic


class Command(BaseCommand):
    help = (
        "Fill the database with realistic, valid synthetic cities and cases for benchmarks and scale tests. "
        f"Their slugs start with '{synthetic.PREFIX}' and their note says '{synthetic.NOTE}'; "
        "existing countries and sectors are reused. Never run it against the production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=0, help="How many cases to add.")
        parser.add_argument("--cities", type=int, default=0, help="How many cities to add (cases link to them).")
        parser.add_argument("--seed", type=int, default=0, help="Seed of the random choices (same seed, same data).")
        parser.add_argument("--clear", action="store_true", help="First delete every synthetic row.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done; change nothing.")

    def handle(self, *args, cases, cities, seed, clear, dry_run, verbosity, **options):
        if cases < 0 or cities < 0:
            raise CommandError("--cases and --cities must be 0 or more.")
        if dry_run:
            self.stdout.write(f"The database holds {synthetic.counts()} (synthetic).")
            if clear:
                self.stdout.write("Would delete every synthetic row.")
            self.stdout.write(f"Would add {cities:,} cities and {cases:,} cases. Nothing changed (--dry-run).")
            return
        if clear:
            removed = synthetic.clear()
            if verbosity:
                self.stdout.write(f"Deleted {removed} (synthetic).")
        if cases or cities:
            added = synthetic.generate(cases, cities, seed=seed)
            if verbosity:
                self.stdout.write(self.style.SUCCESS(f"Added {added} (synthetic)."))

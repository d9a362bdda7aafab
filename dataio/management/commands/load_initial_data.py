from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.content import content_models
from dataio.layout import FIXTURE_NAMES


class Command(BaseCommand):
    help = (
        "Load the shipped fixtures into a database that holds no content yet, through import_fixtures "
        "(validated, all or nothing, with a history entry per row). A database with any content is left "
        "alone, so nothing staff edited is overwritten; use --force to import over it (rows with the same "
        "natural key are updated)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Import even when the database has content.")

    def handle(self, *args, force=False, verbosity=1, **options):
        populated = [model._meta.verbose_name_plural for model in content_models() if model.objects.exists()]
        if populated and not force:
            self.stdout.write(
                f"The database already has content ({', '.join(map(str, populated))}); fixtures not loaded. "
                "Use --force to load them over it."
            )
            return
        directory = Path(settings.FIXTURE_DIRS[0])
        paths = [str(directory / f"{name}.json") for name in FIXTURE_NAMES]
        call_command("import_fixtures", *paths, verbosity=verbosity)

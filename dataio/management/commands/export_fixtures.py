from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.content import content_models
from dataio.exporter import export_fixtures


class Command(BaseCommand):
    help = (
        "Write the whole data set, drafts included, as fixture files in the layout of fixtures/: natural keys, "
        "no pk, sorted by natural key, indented, so that two editions diff cleanly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="DIR",
            type=Path,
            default=Path(settings.FIXTURE_DIRS[0]),
            help="The folder to write into (default: fixtures/). Files there with the same names are replaced.",
        )
        parser.add_argument(
            "--allow-empty",
            action="store_true",
            help="Write even when the database holds no content (which empties the files).",
        )

    def handle(self, *args, output, allow_empty=False, verbosity=1, **options):
        if not allow_empty and not any(model._default_manager.exists() for model in content_models()):
            # Exporting an empty database over fixtures/ would empty every file: the data set lost at a keystroke.
            raise CommandError(
                "The database holds no content, so the export would empty the fixture files; nothing was written. "
                "Check DATABASE_URL / DJANGO_SQLITE_PATH, or pass --allow-empty if an empty data set is meant."
            )
        for path, count in export_fixtures(output).items():
            if verbosity >= 1:
                self.stdout.write(f"{path}: {count} records")

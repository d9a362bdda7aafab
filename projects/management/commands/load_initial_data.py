from django.core.management import call_command
from django.core.management.base import BaseCommand

from projects.models import Case, City, Country, KeyFigure, Sector
from rankings.models import HostedOrganization, RankingIndex
from seoul_diplomacy.content import FIXTURE_NAMES

CONTENT_MODELS = [Country, City, Sector, Case, KeyFigure, RankingIndex, HostedOrganization]


class Command(BaseCommand):
    help = (
        "Load the shipped fixtures into a database that holds no content yet. "
        "A database with any content is left alone, so nothing staff edited is overwritten; "
        "use --force to load over it (fixture records replace rows with the same natural key)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even when the database has content.")

    def handle(self, *args, force=False, verbosity=1, **options):
        populated = [model._meta.verbose_name_plural for model in CONTENT_MODELS if model.objects.exists()]
        if populated and not force:
            self.stdout.write(
                f"The database already has content ({', '.join(map(str, populated))}); fixtures not loaded. "
                "Use --force to load them over it."
            )
            return
        call_command("loaddata", *FIXTURE_NAMES, verbosity=verbosity)

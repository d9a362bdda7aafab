from django.core.management.base import BaseCommand

from core import search
from core.cache import content_changed


class Command(BaseCommand):
    help = (
        "Rebuild the search column (search_text) of every searchable row: after writing rows with raw SQL or "
        "update(), which bypass what keeps it current. Writes only the rows whose text changed."
    )

    def handle(self, *args, **options):
        changed = search.rebuild_all()
        if changed:
            content_changed()
        self.stdout.write(f"{changed} rows rebuilt.")

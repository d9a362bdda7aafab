from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.content import Publishable, Status, content_models

REASON = "Scheduled publication"


def due_drafts(now):
    """(model, rows) for every publishable model: its drafts whose scheduled time has come."""
    for model in content_models():
        if issubclass(model, Publishable):
            rows = list(
                model._base_manager.filter(status=Status.DRAFT, go_live_at__lte=now).order_by("go_live_at", "pk")
            )
            if rows:
                yield model, rows


class Command(BaseCommand):
    help = (
        "Publish the drafts whose scheduled time (go live at) has come, as a publisher scheduled them. Run it "
        "from a timer, e.g. every five minutes; each publication is in the row's history."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be published; write nothing.")

    def handle(self, *args, dry_run=False, **options):
        published = 0
        with transaction.atomic():
            for model, rows in due_drafts(timezone.now()):
                for row in rows:
                    scheduled = row.go_live_at
                    if not dry_run:
                        row.status = Status.PUBLISHED
                        row._change_reason = REASON
                        row.save()  # stamps the publication dates and clears the schedule
                    self.stdout.write(
                        f"{model._meta.verbose_name}: {row} (scheduled for {scheduled:%Y-%m-%d %H:%M %Z})"
                    )
                    published += 1
        verb = "would be published" if dry_run else "published"
        self.stdout.write(f"{published} scheduled row{'s' * (published != 1)} {verb}.")

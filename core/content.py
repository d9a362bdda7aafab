"""Building blocks shared by the content models of every content app.

- ``Status`` and ``PublishableQuerySet``: visibility is one queryset method,
  ``published()``, that every public view starts from.
- ``Provenance``: where a record comes from and as of when.
- Year and coordinate bounds, used by both the database constraints and the
  validators so that the two never drift apart.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

YEAR_MIN = 1900
YEAR_MAX = 2100
YEAR_VALIDATORS = [
    MinValueValidator(YEAR_MIN, _("Enter a year between 1900 and 2100.")),
    MaxValueValidator(YEAR_MAX, _("Enter a year between 1900 and 2100.")),
]


def year_in_range(field):
    """A Q object true when ``field`` is null or a year in the sane range."""
    return models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX})


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Provenance(models.Model):
    """Where a record's facts come from. Every public figure says this."""

    source = models.TextField(
        _("source"),
        help_text=_(
            "Where the facts come from, one citation per line: outlet | title | date (YYYY-MM-DD, YYYY-MM, YYYY "
            "or n.d.) | web address of the article itself (optional)."
        ),
    )
    source_ko = models.TextField(
        _("Korean source"),
        blank=True,
        help_text=_("The same citations, line for line, with the outlet in Korean; titles stay in their language."),
    )
    as_of = models.DateField(_("as of"), help_text=_("The date the facts were true."))
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Corrections, caveats and what the source page claimed where it differs."),
    )
    note_ko = models.TextField(_("Korean note"), blank=True)

    class Meta:
        abstract = True


PUBLICATION_FIELDS = ("first_published_at", "last_published_at", "go_live_at")


class Publishable(models.Model):
    """A row the public sees once published. Publishing stamps the dates: ``first_published_at`` once, when
        the row first goes public; ``last_published_at`` each time it goes public again or a revision of it is
        published (core.revisions). Loading fixtures (a raw save) keeps the dates the files carry. A publisher may
    schedule a draft instead (``go_live_at``): ``manage.py publish_scheduled``, run from a timer, publishes it then."""

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    last_published_at = models.DateTimeField(_("last published"), null=True, blank=True, editable=False)
    go_live_at = models.DateTimeField(
        _("go live at"),
        null=True,
        blank=True,
        help_text=_(
            "For a draft: it is published at this time, as reviewed now. Set by a publisher; "
            "an editor's later change to the draft cancels it."
        ),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        going_public = self.is_published and getattr(self, "_loaded_status", None) != Status.PUBLISHED
        if going_public:
            self.mark_published(self.last_published_at if self._state.adding and self.last_published_at else None)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], *PUBLICATION_FIELDS}
        if self.is_published:
            self.go_live_at = None  # live: nothing left to schedule (written with the dates when it goes public)
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def mark_published(self, when=None):
        when = when or timezone.now()
        if self.first_published_at is None:
            self.first_published_at = when
        self.last_published_at = when


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def content_models():
    """The models that hold the site's content (their history models left out, and the unmanaged ones: a
    table the database keeps from another, such as a search's narrow table), in the order of
    ``settings.CONTENT_APPS``: the apps are named by the wiring, so this module imports none of them."""
    from django.apps import apps
    from django.conf import settings
    from simple_history.models import HistoricalChanges

    return [
        model
        for label in settings.CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges) and model._meta.managed
    ]


def content_history(*, searchable=False, **options):
    """The change history every content model keeps (django-simple-history): reasons of any length, and
    the search column (core.search) left out of the history of the models that have one."""
    from simple_history.models import HistoricalRecords

    if searchable:
        options["excluded_fields"] = ["search_text"]
    return HistoricalRecords(history_change_reason_field=models.TextField(null=True), **options)

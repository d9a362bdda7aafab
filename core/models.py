"""Pending changes to live content: revisions an Editor proposes and a Publisher publishes or rejects.

A revision names its row through the content types framework, so this kernel imports no content app.
``data`` is a snapshot of the edited row's fields as the form left them ({field name: value}, relations
by primary key, many-to-many as lists of primary keys); the live row is not touched until it is published.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class RevisionState(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUPERSEDED = "superseded", _("Superseded by a newer revision")


class RevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=RevisionState.PENDING)

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Revision(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind of content"))
    object_id = models.PositiveBigIntegerField(_("row"))
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("proposed values"), encoder=DjangoJSONEncoder)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="revisions",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=RevisionState.choices, default=RevisionState.PENDING, db_index=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_revisions",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "state"])]

    def __str__(self):
        return f"#{self.pk} {self.target}"

    @property
    def is_pending(self):
        return self.state == RevisionState.PENDING

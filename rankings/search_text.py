"""What each rankings model's search text reads (core.search); no other row's text names them."""

from django.db.models.signals import post_save

from core import search
from rankings.models import HostedOrganization, RankingIndex


def register():
    search.register(RankingIndex, lambda pks: RankingIndex.objects.filter(pk__in=pks))
    search.register(HostedOrganization, lambda pks: HostedOrganization.objects.filter(pk__in=pks))
    for model in (RankingIndex, HostedOrganization):
        post_save.connect(saved, sender=model, dispatch_uid=f"search:{model._meta.label}")


def saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata bypasses save()
        search.changed(sender, [instance.pk])

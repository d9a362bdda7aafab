"""Seoul's standing in international city indices, and the international organizations it hosts."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import i18n, search
from core.content import (
    YEAR_VALIDATORS,
    Provenance,
    Publishable,
    PublishableQuerySet,
    SlugQuerySet,
    Status,
    content_history,
    year_in_range,
)
from core.links import cached_reverse


class RankingIndex(search.Searchable):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=160, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True, help_text=_("e.g. GPCI"))
    name_ko = models.CharField(_("Korean name"), max_length=160, blank=True)
    publisher = models.CharField(_("publisher"), max_length=160)
    url = models.URLField(_("web address"), blank=True)
    measures = models.TextField(_("what it measures"), blank=True)
    measures_ko = models.TextField(_("what it measures, in Korean"), blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = SlugQuerySet.as_manager()
    history = content_history(searchable=True)

    class Meta:
        verbose_name = _("ranking index")
        verbose_name_plural = _("ranking indices")
        ordering = ["order", "name"]

    def __str__(self):
        return i18n.localized(self, "name")[0]

    def search_document(self):
        return search.document(
            names=(self.name, self.name_ko, self.short_name),
            body=(self.measures, self.measures_ko),
            related=(self.publisher,),
        )

    def get_absolute_url(self):
        return cached_reverse("rankings:index_detail", self.slug)

    def natural_key(self):
        return (self.slug,)


class Scope(models.TextChoices):
    WORLD = "world", _("World")
    ASIA = "asia", _("Asia")


class RankingResultQuerySet(PublishableQuerySet):
    def get_by_natural_key(self, index_slug, edition, scope):
        return self.get(index__slug=index_slug, edition=edition, scope=scope)


class RankingResult(Publishable, Provenance):
    index = models.ForeignKey(RankingIndex, on_delete=models.CASCADE, related_name="results", verbose_name=_("index"))
    edition = models.PositiveSmallIntegerField(
        _("edition year"), validators=YEAR_VALIDATORS, help_text=_("The year the edition names (or the data year).")
    )
    edition_label = models.CharField(_("edition label"), max_length=60, blank=True, help_text=_("e.g. CoO 7"))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.WORLD)
    rank = models.PositiveSmallIntegerField(_("rank"))
    cities_ranked = models.PositiveSmallIntegerField(
        _("cities ranked"), null=True, blank=True, help_text=_("How many cities the edition ranked, if known.")
    )
    page_claim = models.CharField(
        _("SMG page's claim"),
        max_length=200,
        blank=True,
        help_text=_("What the SMG City Diplomacy page (March 2017) says for this result, word for word."),
    )

    objects = RankingResultQuerySet.as_manager()
    history = content_history()

    class Meta:
        verbose_name = _("ranking result")
        verbose_name_plural = _("ranking results")
        permissions = [("publish_rankingresult", _("Can publish and unpublish ranking results"))]
        ordering = ["index__order", "index__name", "-edition", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["index", "edition", "scope"], name="result_unique_per_edition_scope"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="result_rank_at_least_1"),
            models.CheckConstraint(condition=year_in_range("edition"), name="result_edition_year_range"),
            models.CheckConstraint(
                condition=Q(cities_ranked__isnull=True) | Q(cities_ranked__gte=models.F("rank")),
                name="result_rank_within_cities_ranked",
            ),
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="result_scope_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="result_status_valid"),
        ]

    def __str__(self):
        return f"{self.index.short_name or self.index.name} {self.edition} ({self.get_scope_display()}): {self.rank}"

    def get_absolute_url(self):
        return reverse("rankings:index_detail", args=[self.index.slug]) + f"#edition-{self.edition}-{self.scope}"

    def natural_key(self):
        return (*self.index.natural_key(), self.edition, self.scope)

    natural_key.dependencies = ["rankings.rankingindex"]

    def clean(self):
        if self.rank is not None and self.rank < 1:
            raise ValidationError(
                {"rank": _("A rank starts at 1 (first place); %(rank)s is not a rank.") % {"rank": self.rank}}
            )
        if self.rank and self.cities_ranked and self.rank > self.cities_ranked:
            raise ValidationError(
                {
                    "rank": _("Rank %(rank)s cannot be lower than the %(count)s cities ranked.")
                    % {"rank": self.rank, "count": self.cities_ranked}
                }
            )

    @property
    def edition_display(self):
        """The edition's name in the active language: its label where it is a name ("GPCI 2025", "CoO 7"),
        else the year as the language writes it ("2020", "2020년") where the label is English words
        ("2020 meetings")."""
        label = self.edition_label
        if label and not (i18n.is_korean() and re.search(r"\b[a-z]{2,}\b", label)):
            return label
        return i18n.year_display(self.edition)

    @property
    def rank_display(self):
        """'6th of 42' where the number of cities ranked is known, else '6th' (in the active language)."""
        return i18n.rank_display(self.rank, self.cities_ranked)


class OrganizationField(models.TextChoices):
    CITY_NETWORKS = "city-networks", _("City networks and local government")
    ENVIRONMENT = "environment", _("Environment and green growth")
    DEVELOPMENT = "development", _("Development cooperation")
    SOCIAL_ECONOMY = "social-economy", _("Social economy")
    HUMANITARIAN = "humanitarian", _("Human rights, children and refugees")
    LAW = "law", _("Law and justice")
    INDUSTRY = "industry", _("Industry and investment")
    UN_ASSOCIATIONS = "un-associations", _("UN associations")


class HostedOrganizationQuerySet(PublishableQuerySet, SlugQuerySet):
    pass


class HostedOrganization(Publishable, Provenance, search.Searchable):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=250)
    name_ko = models.CharField(_("Korean name"), max_length=250, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    field = models.CharField(_("field"), max_length=20, choices=OrganizationField.choices)
    year_in_seoul = models.PositiveSmallIntegerField(
        _("year it came to Seoul"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    url = models.URLField(_("web address"), blank=True)

    objects = HostedOrganizationQuerySet.as_manager()
    history = content_history(searchable=True)

    class Meta:
        verbose_name = _("hosted organization")
        verbose_name_plural = _("hosted organizations")
        permissions = [("publish_hostedorganization", _("Can publish and unpublish organizations"))]
        ordering = ["name", "slug"]
        constraints = [
            models.CheckConstraint(condition=year_in_range("year_in_seoul"), name="organization_year_range"),
            models.CheckConstraint(condition=Q(field__in=OrganizationField.values), name="organization_field_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="organization_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "field"]),  # /organizations/?field=
            models.Index(fields=["status", "name", "slug"]),  # its order
        ]

    def __str__(self):
        name = i18n.localized(self, "name")[0]
        return f"{name} ({self.acronym})" if self.acronym else name

    def search_document(self):
        return search.document(
            names=(self.name, self.name_ko, self.acronym), related=search.in_each_language(self.get_field_display)
        )

    def get_absolute_url(self):
        return reverse("rankings:organization_list") + f"#{self.slug}"

    def natural_key(self):
        return (self.slug,)

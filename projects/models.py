"""Seoul's shared urban policies: sectors, their categories, cases, and the places involved."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, NullIf
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


class Region(models.TextChoices):
    EAST_ASIA = "east-asia", _("East Asia")
    SOUTHEAST_ASIA = "southeast-asia", _("Southeast Asia")
    SOUTH_ASIA = "south-asia", _("South Asia")
    CENTRAL_ASIA = "central-asia", _("Central Asia")
    MIDDLE_EAST = "middle-east", _("Middle East")
    AFRICA = "africa", _("Africa")
    EUROPE = "europe", _("Europe")
    NORTH_AMERICA = "north-america", _("North America")
    LATIN_AMERICA = "latin-america", _("Latin America")
    OCEANIA = "oceania", _("Oceania")


def choice_label(choices, value):
    """The label of ``value`` among ``choices`` (a ``TextChoices``), else the value itself, as Django's
    ``get_FOO_display()`` gives it, which rebuilds a dict of every choice each time it is called."""
    try:
        return choices(value).label
    except ValueError:
        return value


class Relationship(models.TextChoices):
    NONE = "none", _("Partner (no formal tie)")
    SISTER = "sister", _("Sister city")
    FRIENDSHIP = "friendship", _("Friendship city")


class PlaceType(models.TextChoices):
    CITY = "city", _("City")
    PROVINCE = "province", _("Province, state or region")


class WorkKind(models.TextChoices):
    CONSULTING = "consulting", _("Consulting")
    FEASIBILITY_STUDY = "feasibility-study", _("Feasibility study")
    TECHNICAL_ADVICE = "technical-advice", _("Technical advice")
    POLICY_ADVICE = "policy-advice", _("Policy advice")
    DESIGN = "design", _("Design")
    CONSTRUCTION = "construction", _("Construction")
    INSTALLATION = "installation", _("Installation")
    SYSTEM_DEVELOPMENT = "system-development", _("System development")
    CAPACITY_BUILDING = "capacity-building", _("Capacity building")
    MASTER_PLANNING = "master-planning", _("Master planning")


class Verification(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed by a cited source")
    UNCONFIRMED = "unconfirmed", _("Stated by SMG only; not confirmed elsewhere")


def name_in_page_language(obj):
    """``obj.name_ko`` on Korean pages where there is one, else ``obj.name``: what a choice or a link says."""
    return i18n.localized(obj, "name")[0]


def row_count(rows):
    """How many rows ``rows`` (a queryset with an ``OuterRef``) holds, as a correlated subquery, 0 if none.

    COUNT(*) as a plain function, not an aggregate: no GROUP BY in the subquery, which PostgreSQL then
    answers from an index where it can, where a GROUP BY reads the table rows too. Run for the rows
    fetched only.
    """
    counted = rows.order_by().annotate(count=models.Func(template="COUNT(*)", output_field=models.IntegerField()))
    return Coalesce(Subquery(counted.values("count"), output_field=models.IntegerField()), 0)


def published_case_count(field):
    """How many published cases point at the row through ``field`` ("sector", "category"): the
    'documented' count the site shows; a join and GROUP BY would read every case of every sector first."""
    return row_count(Case.objects.filter(**{field: OuterRef("pk")}, status=Status.PUBLISHED))


def bound_check(name, field, low, high):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=name,
        violation_error_message=_("%(field)s must be between %(low)s and %(high)s.")
        % {"field": field, "low": low, "high": high},
    )


class CountryQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def with_counts(self):
        """Annotate the published cities of each relationship and the published cases of each country:
        ``sister_count``, ``friendship_count``, ``place_count`` (places with no formal tie),
        ``case_count``. Correlated subqueries, run for the countries fetched only."""
        cities = City.objects.filter(country=OuterRef("pk"), status=Status.PUBLISHED)
        return self.annotate(
            sister_count=row_count(cities.filter(relationship=Relationship.SISTER)),
            friendship_count=row_count(cities.filter(relationship=Relationship.FRIENDSHIP)),
            place_count=row_count(cities.filter(relationship=Relationship.NONE)),
            case_count=row_count(Case.objects.filter(country=OuterRef("pk"), status=Status.PUBLISHED)),
        )

    def with_published_content(self):
        """Countries with a published city or a published case: those that have a page."""
        return self.filter(
            Exists(City.objects.filter(country=OuterRef("pk"), status=Status.PUBLISHED))
            | Exists(Case.objects.filter(country=OuterRef("pk"), status=Status.PUBLISHED))
        )


class Country(search.Searchable):
    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Enter the two capital letters of ISO 3166-1 alpha-2."))],
        help_text=_("ISO 3166-1 alpha-2, e.g. TH for Thailand."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)

    objects = CountryQuerySet.as_manager()
    history = content_history(searchable=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso_alpha2"),
            models.CheckConstraint(condition=Q(region__in=Region.values), name="country_region_valid"),
        ]
        indexes = [models.Index(fields=["region"])]  # /cases/?region=

    def __str__(self):
        return name_in_page_language(self)

    def search_document(self):
        return search.document(names=(self.name, self.name_ko), related=(self.code,))

    def get_absolute_url(self):
        return cached_reverse("projects:country_detail", self.code)

    def natural_key(self):
        return (self.code,)

    @property
    def city_count(self):
        """Published cities of every relationship (after ``with_counts()``)."""
        return self.sister_count + self.friendship_count + self.place_count


class CityQuerySet(PublishableQuerySet, SlugQuerySet):
    def partners(self):
        return self.exclude(relationship=Relationship.NONE)

    def case_places(self):
        """Places with no formal tie to Seoul where a published case took place.

        Kept apart from ``partners()``: "a partner OR a place with a published case" in one query makes
        PostgreSQL hash every case link first; alone, the EXISTS is a semi-join that reads the links of
        the cities it returns.
        """
        published_case = Case.cities.through.objects.filter(city=OuterRef("pk"), case__status=Status.PUBLISHED)
        return self.filter(relationship=Relationship.NONE).filter(Exists(published_case))

    def for_listing(self):
        """With the country and ``case_count``, the number of published cases that name the city.

        The count is a correlated subquery, run for the rows fetched only: a page of /cities/ reads the
        links of its 20 cities, where a GROUP BY over the join reads every link of every city first, and
        the paginator's and the facets' queries do not join the cases. It costs a little for each city
        fetched, so a query that needs them all without the counts (the map of /cities/) leaves
        ``for_listing()`` out.
        """
        # (case, city) is unique: each link is one case, no DISTINCT needed.
        published_links = Case.cities.through.objects.filter(city=OuterRef("pk"), case__status=Status.PUBLISHED)
        return (
            self.select_related("country")
            .annotate(case_count=row_count(published_links))
            .order_by(*City._meta.ordering)  # explicit, as every list's order is
        )


class City(Publishable, Provenance, search.Searchable):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ko = models.CharField(_("Korean name"), max_length=120, blank=True)
    place_type = models.CharField(_("type of place"), max_length=10, choices=PlaceType.choices, default=PlaceType.CITY)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cities", verbose_name=_("country"))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    coordinates_approximate = models.BooleanField(
        _("coordinates approximate"),
        default=False,
        help_text=_("Tick when the point stands in for an unknown or wider place."),
    )
    relationship = models.CharField(
        _("relationship with Seoul"), max_length=12, choices=Relationship.choices, default=Relationship.NONE
    )
    relationship_year = models.PositiveSmallIntegerField(
        _("year signed"), null=True, blank=True, validators=YEAR_VALIDATORS
    )

    objects = CityQuerySet.as_manager()
    history = content_history(searchable=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        permissions = [("publish_city", _("Can publish and unpublish cities"))]
        ordering = ["name", "slug"]
        constraints = [
            bound_check("city_latitude_range", "latitude", -90, 90),
            bound_check("city_longitude_range", "longitude", -180, 180),
            models.CheckConstraint(condition=year_in_range("relationship_year"), name="city_relationship_year_range"),
            models.CheckConstraint(
                condition=~Q(relationship=Relationship.NONE) | Q(relationship_year__isnull=True),
                name="city_year_needs_relationship",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="city_coordinates_both_or_neither",
            ),
            models.CheckConstraint(condition=Q(relationship__in=Relationship.values), name="city_relationship_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="city_status_valid"),
        ]
        # /cities/?relationship= (tests/production/test_indexes.py); ?country= uses the FK's own index.
        # With ?relationship= the name sort reads this index too (case counts are a subquery, not a GROUP BY).
        indexes = [models.Index(fields=["relationship", "name"])]

    def __str__(self):
        name = name_in_page_language(self)
        return f"{name}, {self.country}" if self.country_id else name

    def search_document(self):
        country = self.country if self.country_id else None
        related = (country.name, country.name_ko) if country else ()
        return search.document(names=(self.name, self.name_ko), related=related)

    def get_absolute_url(self):
        return cached_reverse("projects:city_detail", self.slug)

    @property
    def relationship_label(self):
        """What ``get_relationship_display()`` says, for a list's rows (``choice_label``)."""
        return choice_label(Relationship, self.relationship)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            message = _("Give both latitude and longitude, or neither.")
            errors["latitude" if self.latitude is None else "longitude"] = message
        if self.relationship == Relationship.NONE and self.relationship_year is not None:
            errors["relationship_year"] = _(
                "A year signed only makes sense for a sister or friendship city; choose the relationship first."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


class SectorQuerySet(SlugQuerySet):
    def with_documented_counts(self):
        """Annotate ``documented_count``: the published cases the database holds."""
        return self.annotate(documented_count=published_case_count("sector")).order_by(*Sector._meta.ordering)


class Sector(Provenance, search.Searchable):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_ko = models.TextField(_("Korean description"), blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    declared_case_count = models.PositiveIntegerField(
        _("declared number of cases"),
        null=True,
        blank=True,
        help_text=_("The number of cases SMG declares for this sector (e.g. 22 for Transportation)."),
    )

    objects = SectorQuerySet.as_manager()
    history = content_history(searchable=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["order", "slug"]

    def __str__(self):
        return name_in_page_language(self)

    def get_absolute_url(self):
        return cached_reverse("projects:sector_detail", self.slug)

    def search_document(self):
        categories = self.categories.all() if self.pk else ()
        return search.document(
            names=(self.name, self.name_ko),
            body=(self.description, self.description_ko),
            related=[text for category in categories for text in (category.name, category.name_ko)],
        )

    def natural_key(self):
        return (self.slug,)


class CaseCategoryQuerySet(SlugQuerySet):
    def with_documented_counts(self):
        return self.annotate(documented_count=published_case_count("category")).order_by(*CaseCategory._meta.ordering)


class CaseCategory(models.Model):
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="categories", verbose_name=_("sector"))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ko = models.CharField(_("Korean name"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    declared_case_count = models.PositiveIntegerField(_("declared number of cases"), null=True, blank=True)

    objects = CaseCategoryQuerySet.as_manager()
    history = content_history()

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["sector__order", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "name"], name="category_name_unique_in_sector"),
        ]

    def __str__(self):
        return f"{self.sector}: {name_in_page_language(self)}"

    def get_absolute_url(self):
        return reverse("projects:case_list") + f"?category={self.slug}"

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["projects.sector"]


# The newest cases first: by start year, those without one last, then the most recently checked. The
# year is COALESCEd rather than sorted NULLS LAST because SQLite cannot index NULLS LAST; the index
# ``case_newest_idx`` holds these very expressions, so the home page reads its few cases from it.
NEWEST_FIRST = (Coalesce("year_start", models.Value(0)).desc(), F("as_of").desc(), F("title").asc())


class CaseQuerySet(PublishableQuerySet, SlugQuerySet):
    def for_listing(self):
        return self.select_related("sector", "category", "country").prefetch_related("cities")

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)


class Case(Publishable, Provenance, search.Searchable):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    title_ko = models.CharField(_("Korean title"), max_length=250, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_ko = models.TextField(_("Korean summary"), blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="cases", verbose_name=_("sector"))
    category = models.ForeignKey(
        CaseCategory,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        verbose_name=_("category"),
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cases", verbose_name=_("country"))
    cities = models.ManyToManyField(City, related_name="cases", blank=True, verbose_name=_("cities"))
    kind = models.CharField(_("kind of work"), max_length=20, choices=WorkKind.choices)
    year_start = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    year_end = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    verification = models.CharField(
        _("verification"), max_length=12, choices=Verification.choices, default=Verification.UNCONFIRMED
    )

    objects = CaseQuerySet.as_manager()
    history = content_history(searchable=True, m2m_fields=[cities])

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("publish_case", _("Can publish and unpublish cases"))]
        ordering = ["sector__order", "title", "slug"]
        constraints = [
            models.CheckConstraint(condition=year_in_range("year_start"), name="case_year_start_range"),
            models.CheckConstraint(condition=year_in_range("year_end"), name="case_year_end_range"),
            models.CheckConstraint(
                condition=Q(year_start__isnull=True)
                | Q(year_end__isnull=True)
                | Q(year_end__gte=models.F("year_start")),
                name="case_years_in_order",
            ),
            models.CheckConstraint(condition=Q(kind__in=WorkKind.values), name="case_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
        ]
        # Every filter and sort of /cases/ on published() rows (tests/production/test_indexes.py).
        # Category: the FK's own index; city: the cities table's (case, city) and city indexes. The text
        # search reads the GIN index of ``search_words`` on PostgreSQL (migration 0013, core.search).
        indexes = [
            # ?sector=, sector pages, and a page of /cases/ in its default order (views.CaseListView)
            models.Index(fields=["status", "sector", "title", "slug"]),
            # ?country=, and a search's cases that name the word only in their country's or category's name,
            # read a country or category at a time in title order (core.search.parent_keys)
            models.Index(fields=["status", "country", "title", "slug"]),
            models.Index(fields=["status", "category", "title", "slug"]),
            models.Index(fields=["status", "kind"]),  # ?kind=
            models.Index(fields=["status", "title", "slug"]),  # ?ordering=title
            models.Index(fields=["status", "year_start", "slug"]),  # ?ordering=year
            models.Index(F("status"), *NEWEST_FIRST, name="case_newest_idx"),  # the home page's newest cases
            # Korean pages' title order (listing.filters.in_page_language): a search's score levels (core.search)
            # and ?ordering=title read it in order
            models.Index(
                F("status"),
                Coalesce(NullIf("title_ko", models.Value("")), "title"),
                F("slug"),
                name="case_korean_title_idx",
            ),
            models.Index(fields=["year_start", "year_end"]),  # ?year_to=
            models.Index(fields=["year_end", "year_start"]),  # ?year_from=
        ]

    def __str__(self):
        return i18n.localized(self, "title")[0]

    def search_document(self, cities=None):
        """Its titles, its summaries, then its sector's, category's, country's and published cities' names
        (``cities``: the case's cities where they are not saved yet, as in a bulk insert)."""
        related = []
        for parent in (
            self.sector if self.sector_id else None,
            self.category,
            self.country if self.country_id else None,
        ):
            if parent is not None:
                related += [parent.name, parent.name_ko]
        if cities is None:
            cities = self.cities.all() if self.pk else ()
        related += [text for city in cities if city.is_published for text in (city.name, city.name_ko)]
        return search.document(names=(self.title, self.title_ko), body=(self.summary, self.summary_ko), related=related)

    def get_absolute_url(self):
        return cached_reverse("projects:case_detail", self.slug)

    @property
    def kind_label(self):
        """What ``get_kind_display()`` says, for a list's rows (``choice_label``)."""
        return choice_label(WorkKind, self.kind)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["projects.sector", "projects.casecategory", "projects.country", "projects.city"]

    def clean(self):
        errors = {}
        if self.category_id and self.sector_id and self.category.sector_id != self.sector_id:
            errors["category"] = _("The category “%(category)s” belongs to another sector than “%(sector)s”.") % {
                "category": self.category.name,
                "sector": self.sector.name,
            }
        if self.year_start and self.year_end and self.year_end < self.year_start:
            errors["year_end"] = _("The last year (%(end)s) is before the first year (%(start)s).") % {
                "end": self.year_end,
                "start": self.year_start,
            }
        if errors:
            raise ValidationError(errors)

    @property
    def years_display(self):
        """'2012–2017' in English, '2012~2017년' in Korean; one year alone as the language writes it."""
        if self.year_start and self.year_end and self.year_end != self.year_start:
            if i18n.is_korean():
                return f"{self.year_start}~{self.year_end}년"
            return f"{self.year_start}–{self.year_end}"
        year = self.year_start or self.year_end
        return i18n.year_display(year) if year else ""


class CaseWords(models.Model):
    """A case's sort keys and the words of its names and of what it belongs to, in a narrow table of their
    own (PostgreSQL only: migration 0016, ``core.search.NarrowWords``, whose triggers keep it; nothing writes
    it through Django). A score level of a common word is sorted from here (``core.search.narrow_keys``):
    the same rows as the case table's, a few times as many to a page. Its primary key is the case's; its
    fields are the case's columns of the same names, so that the case list's order reads the same here."""

    id = models.BigIntegerField(primary_key=True, db_column="case_id")
    title = models.CharField(max_length=250)
    title_ko = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120)

    class Meta:
        managed = False
        db_table = "projects_case_words"
        default_permissions = ()

    def __str__(self):
        return self.title


class KeyFigure(Provenance):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=160)
    label_ko = models.CharField(_("Korean label"), max_length=160, blank=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. policies, cities, %"))
    unit_ko = models.CharField(_("Korean unit"), max_length=40, blank=True, help_text=_("e.g. 건, 개 도시, %"))
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = SlugQuerySet.as_manager()
    history = content_history()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["order", "slug"]

    def __str__(self):
        return f"{self.label}: {self.value_display}"

    def get_absolute_url(self):
        return reverse("home") + f"#figure-{self.slug}"

    def natural_key(self):
        return (self.slug,)

    @property
    def number_display(self):
        """The value without trailing zeros, with thousands separators: 45, 84, 1,200, 12.5."""
        return f"{self.value:,f}".rstrip("0").rstrip(".")

    @property
    def value_display(self):
        return f"{self.number_display} %" if self.unit == "%" else f"{self.number_display} {self.unit}".strip()

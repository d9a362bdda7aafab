from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import PROVENANCE_FIELDSET, ContentAdmin, PublishableAdmin
from projects.models import Case, CaseCategory, City, Country, KeyFigure, Sector


@admin.register(Country)
class CountryAdmin(ContentAdmin):
    list_display = ["name", "code", "name_ko", "region"]
    list_filter = ["region"]
    search_fields = ["name", "name_ko", "code"]
    ordering = ["name"]


@admin.register(City)
class CityAdmin(PublishableAdmin):
    preview_url_name = "projects:city_preview"
    list_display = ["name", "country", "relationship", "relationship_year", "place_type", "status", "has_coordinates"]
    list_filter = ["status", "relationship", "place_type", "country__region", "coordinates_approximate"]
    list_select_related = ["country"]
    search_fields = ["name", "name_ko", "slug", "country__name"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": (("name", "name_ko"), "slug", "place_type", "country", "status", "go_live_at")}),
        (_("Relationship with Seoul"), {"fields": ("relationship", "relationship_year")}),
        (_("Location"), {"fields": ("latitude", "longitude", "coordinates_approximate")}),
        PROVENANCE_FIELDSET,
    ]

    @admin.display(boolean=True, description=_("coordinates"))
    def has_coordinates(self, city):
        return city.has_coordinates


class CaseCategoryInline(admin.TabularInline):
    model = CaseCategory
    fields = ["name", "name_ko", "slug", "order", "declared_case_count"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


@admin.register(Sector)
class SectorAdmin(ContentAdmin):
    list_display = ["name", "name_ko", "order", "declared_case_count", "documented_count"]
    list_editable = ["order"]
    search_fields = ["name", "name_ko", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CaseCategoryInline]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    ("name", "name_ko"),
                    "slug",
                    ("description", "description_ko"),
                    "order",
                    "declared_case_count",
                )
            },
        ),
        PROVENANCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_documented_counts()

    @admin.display(description=_("documented (published) cases"), ordering="documented_count")
    def documented_count(self, sector):
        return sector.documented_count


@admin.register(CaseCategory)
class CaseCategoryAdmin(ContentAdmin):
    list_display = ["name", "sector", "declared_case_count"]
    list_filter = ["sector"]
    list_select_related = ["sector"]
    search_fields = ["name", "name_ko", "slug"]
    autocomplete_fields = ["sector"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Case)
class CaseAdmin(PublishableAdmin):
    preview_url_name = "projects:case_preview"
    list_display = ["title", "status", "sector", "country", "kind", "years", "verification"]
    list_filter = ["status", "sector", "kind", "verification", "country__region"]
    list_select_related = ["sector", "country"]
    search_fields = ["title", "title_ko", "summary", "slug", "country__name", "cities__name"]
    search_help_text = _("Title, summary, slug, country or city name")
    autocomplete_fields = ["country", "cities", "category", "sector"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "as_of"
    fieldsets = [
        (None, {"fields": (("title", "title_ko"), "slug", ("summary", "summary_ko"), "status", "go_live_at")}),
        (_("Classification"), {"fields": ("sector", "category", "kind", "verification")}),
        (_("Where and when"), {"fields": ("country", "cities", "year_start", "year_end")}),
        PROVENANCE_FIELDSET,
    ]

    @admin.display(description=_("years"), ordering="year_start")
    def years(self, case):
        return case.years_display or "—"


@admin.register(KeyFigure)
class KeyFigureAdmin(ContentAdmin):
    list_display = ["label", "value", "unit", "order", "as_of"]
    list_editable = ["order"]
    search_fields = ["label", "slug"]
    prepopulated_fields = {"slug": ["label"]}

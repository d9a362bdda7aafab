from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.admin import PROVENANCE_FIELDSET, ContentAdmin, PublishableAdmin, StatusGuard
from rankings.models import HostedOrganization, RankingIndex, RankingResult

# A web address typed without a scheme is taken as https:// (Django 6's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class RankingResultInline(StatusGuard, admin.TabularInline):
    model = RankingResult
    fields = ["edition", "edition_label", "scope", "rank", "cities_ranked", "status", "page_claim", "source", "as_of"]
    extra = 0
    ordering = ["-edition", "scope"]


@admin.register(RankingIndex)
class RankingIndexAdmin(ContentAdmin):
    list_display = ["name", "short_name", "publisher", "order"]
    formfield_overrides = HTTPS_URLS
    list_editable = ["order"]
    search_fields = ["name", "short_name", "name_ko", "publisher"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [RankingResultInline]


@admin.register(RankingResult)
class RankingResultAdmin(PublishableAdmin):
    list_display = ["index", "status", "edition", "scope", "rank", "cities_ranked", "has_page_claim"]
    list_filter = ["status", "index", "scope"]
    list_select_related = ["index"]
    search_fields = ["index__name", "index__short_name", "note", "page_claim"]
    autocomplete_fields = ["index"]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "index",
                    "edition",
                    "edition_label",
                    "scope",
                    "rank",
                    "cities_ranked",
                    "status",
                    "go_live_at",
                )
            },
        ),
        (_("What the SMG page says"), {"fields": ("page_claim",)}),
        PROVENANCE_FIELDSET,
    ]

    @admin.display(boolean=True, description=_("cited on SMG page"))
    def has_page_claim(self, result):
        return bool(result.page_claim)


@admin.register(HostedOrganization)
class HostedOrganizationAdmin(PublishableAdmin):
    list_display = ["name", "acronym", "field", "year_in_seoul", "status"]
    formfield_overrides = HTTPS_URLS
    list_filter = ["status", "field"]
    search_fields = ["name", "name_ko", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "name",
                    "name_ko",
                    "acronym",
                    "slug",
                    "field",
                    "year_in_seoul",
                    "url",
                    "status",
                    "go_live_at",
                )
            },
        ),
        PROVENANCE_FIELDSET,
    ]

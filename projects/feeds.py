"""Atom feeds of published cases, at /cases/feed/ and /ko/cases/feed/, with the filters of /cases/.

``/cases/feed/?sector=transportation`` holds only transportation cases: the query string goes through the
list's own ``CaseFilter``, and filters that are not valid answer 400, as the list does. Entries are the
published cases (drafts and pending revisions never: the live rows only), newest publication first, dated
by their publication timestamps, in the page's language.
"""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core import i18n
from projects.filters import CaseFilter
from projects.models import Case

FEED_ENTRIES = 50


class CaseFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        filterset = CaseFilter(request.GET, queryset=Case.objects.published().for_listing(), request=request)
        if not filterset.is_valid():
            errors = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in filterset.form.errors.items())
            return HttpResponseBadRequest(_("Some filters are not valid.") + " " + errors, content_type="text/plain")
        self.queryset = filterset.qs
        self.query = request.GET.urlencode()
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("Seoul City Diplomacy: shared policy cases")

    def subtitle(self):
        return _("Cases as they are published and updated.")

    def link(self):
        return reverse("projects:case_list") + (f"?{self.query}" if self.query else "")

    def feed_url(self):
        return reverse("projects:case_feed") + (f"?{self.query}" if self.query else "")

    def items(self):
        newest = F("last_published_at").desc(nulls_last=True)
        return self.queryset.order_by(newest, F("first_published_at").desc(nulls_last=True), "slug")[:FEED_ENTRIES]

    def item_title(self, case):
        return i18n.localized(case, "title")[0]

    def item_description(self, case):
        return i18n.localized(case, "summary")[0]

    def item_link(self, case):
        return case.get_absolute_url()

    def item_guid(self, case):
        return f"tag:seoul-city-diplomacy,2026:case:{case.slug}"

    item_guid_is_permalink = False

    def item_pubdate(self, case):
        return case.first_published_at

    def item_updateddate(self, case):
        return case.last_published_at or case.first_published_at

    def item_categories(self, case):
        return [i18n.localized(case.sector, "name")[0]]

"""/search/: the site's search page. Results grouped by kind with their counts; ``kind=`` shows one kind,
paginated. A bad query (too long, an unknown kind) is a 400 that says what is wrong; a page past the
end a 404."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import search
from listing.paging import KeysFirst
from search.engine import BY_KEY, KINDS
from search.forms import SearchForm

PREVIEW = 5  # results of each kind on the page of every kind


def results(request):
    form = SearchForm(request.GET)
    context = {"form": form, "nav_section": None, "groups": [], "query": "", "kind": None, "page_obj": None}
    if not form.is_valid():
        return render(request, "search/results.html", {**context, "errors": form.errors}, status=400)
    query, kind = form.cleaned_data["q"].strip(), BY_KEY.get(form.cleaned_data["kind"])
    context.update(query=query, kind=kind)
    if not query:
        return render(request, "search/results.html", context)
    # (count, estimated): a common word's count is the planner's estimate, shown as "about" (core.search.count)
    counted = {entry.key: search.count(entry.matches(query)) for entry in KINDS}
    counts = {key: value for key, (value, _estimated) in counted.items()}
    estimated = {key for key, (_value, guess) in counted.items() if guess}
    context.update(
        counts=[(entry, counts[entry.key]) for entry in KINDS],
        total=sum(counts.values()),
        estimated=estimated,
        exact_up_to=search.EXACT_UP_TO,
    )
    if kind is not None:
        # past the first EXACT_UP_TO results of an estimated count, no page: their number is not known exactly
        reachable = search.EXACT_UP_TO if kind.key in estimated else counts[kind.key]
        paginator = Paginator(KeysFirst(kind.matches(query), reachable), settings.SEARCH_RESULTS_PER_PAGE)
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except PageNotAnInteger as error:
            raise Http404(_("page “%(page)s” is not a page number") % {"page": request.GET.get("page")}) from error
        except EmptyPage as error:
            raise Http404(
                _("page %(page)s is past the end (the results have %(count)s pages)")
                % {"page": request.GET.get("page"), "count": paginator.num_pages}
            ) from error
        context.update(page_obj=page, groups=[group(kind, counts[kind.key], page.object_list, kind.key in estimated)])
    else:
        context["groups"] = [
            group(entry, counts[entry.key], KeysFirst(entry.matches(query))[:PREVIEW], entry.key in estimated)
            for entry in KINDS
            if counts[entry.key]
        ]
    return render(request, "search/results.html", context)


def group(kind, count, rows, estimated=False):
    return {
        "kind": kind,
        "count": count,
        "estimated": estimated,
        "results": [{"object": row, "url": row.get_absolute_url(), "line": kind.describe(row)} for row in rows],
    }

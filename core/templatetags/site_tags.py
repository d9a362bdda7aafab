"""Template tags shared by every page."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_noop, pgettext
from django.utils.translation import gettext as _

from core import citations as core_citations
from core import i18n, worldmap
from core.citations import lang_attribute
from core.i18n import ordinal_display
from core.links import absolute_url, cached_reverse, reverse_in_language

register = template.Library()


@register.filter
def map_marks(points):
    """The marks of the world map: lone points, and numbered groups of points too close to tell apart."""
    return worldmap.map_marks(points)


@register.filter
def map_groups(marks):
    return [mark for mark in marks if "group" in mark]


@register.filter
def ordinal(number):
    """A rank as the active language writes it: '6th' in English, '6위' in Korean."""
    return ordinal_display(int(number))


@register.simple_tag
def trail(*items):
    """Breadcrumbs: Home, then (label, url) pairs, then the current page's label without a link.

    ``{% trail "Cases" cases_url case.title as crumbs %}``
    """
    crumbs = [(_("Home"), cached_reverse("home"))]
    items = list(items)
    while len(items) >= 2:
        crumbs.append((items.pop(0), items.pop(0)))
    if items:
        crumbs.append((items.pop(0), None))
    return crumbs


# Labels marked with gettext_noop, so that makemessages finds them; main_menu translates them when it renders.
MAIN_MENU = [
    ("home", gettext_noop("Home"), "home"),
    ("cases", gettext_noop("Cases"), "projects:case_list"),
    ("sectors", gettext_noop("Sectors"), "projects:sector_list"),
    ("cities", gettext_noop("Cities"), "projects:city_list"),
    ("rankings", gettext_noop("Rankings"), "rankings:index_list"),
    ("organizations", gettext_noop("Organizations"), "rankings:organization_list"),
    ("data", gettext_noop("Open data"), "data"),
]


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu's items; the current section's item carries aria-current.

    aria-current is "page" on the section's own page and "true" on the pages below it.
    """
    request = context.get("request")
    section = context.get("nav_section")
    items = []
    for key, label, url_name in MAIN_MENU:
        url = reverse(url_name)
        current = None
        if key == section:
            current = "page" if request is not None and request.path == url else "true"
        items.append({"label": _(label), "url": url, "current": current})
    return items


# Query parameters that change what a list shows (and so belong in its canonical address).
NON_CANONICAL_PARAMETERS = {"page", "ordering", "format"}


def site_path(request):
    """The request's path as a path on this site. One that starts with two slashes (``//evil.example/``)
    would read as another host in a link, so it stands for the home page."""
    return reverse("home") if request.path.startswith("//") else iri_to_uri(request.path)


def canonical_path(request):
    """The page's path and query: its filters kept (sorted), paging, sorting and format left out."""
    kept = ((key, values) for key, values in request.GET.lists() if key and key not in NON_CANONICAL_PARAMETERS)
    encoded = urlencode(sorted(kept), doseq=True)  # the request's parameters read, not copied
    return site_path(request) + (f"?{encoded}" if encoded else "")


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's absolute address on the configured site (``SITE_URL``, never the request's Host)."""
    request = context.get("request")
    if request is None or context.get("error_page"):  # error pages have no canonical address
        return ""
    return absolute_url(canonical_path(request))


class CaptureNode(template.Node):
    """Renders its content once into a context variable (and outputs nothing)."""

    child_nodelists = ("nodelist",)  # so that a {% block %} inside it is still a block of the page

    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        context[self.name] = self.nodelist.render(context)
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as page_title %}{% block title %}{% endblock %}{% endcapture %}``: the rendered block
    in ``page_title``, to say the page's title twice (``<title>`` and Open Graph) without writing it twice."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as NAME %}...{% endcapture %}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag
def localized(obj, field):
    """``obj``'s ``field`` in the page's language: the Korean text (``<field>_ko``) on Korean pages.

    Where the Korean text is missing, the English shows, marked as English: ``lang="en"`` for
    screen readers and a visible "(English)" note.
    """
    text, fallback = i18n.localized(obj, field)
    if not fallback:
        return text
    return format_html(
        '<span lang="en" class="untranslated">{}</span> <span class="untranslated-note">{}</span>',
        text,
        pgettext("marks an English text shown on a Korean page", "(English)"),
    )


@register.filter
def localized_text(obj, field):
    """The same as ``localized``, as plain text without the mark: for attributes and <title>."""
    return i18n.localized(obj, field)[0]


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each language: for the language switcher (the whole query kept) and for the
    ``hreflang`` links (absolute on ``SITE_URL``, filters kept, paging and sorting left out, like the
    canonical link).

    base.html asks once, in the <head>; the header's switcher reads the same ``versions``.

    On an error page (``error_page`` in the context) each language's home page, and no hreflang links:
    nothing a bad request sent (its host, its path, its query) goes into a link.
    """
    request = context.get("request")
    if context.get("error_page"):
        return [
            {"code": code, "name": name, "url": translate_url(reverse("home"), code), "absolute_url": None}
            for code, name in settings.LANGUAGES
        ]
    if request is None:
        return []
    current = get_language()
    canonical = canonical_path(request)
    page = reverse("home") if request.path.startswith("//") else request.get_full_path()
    versions = []
    for code, name in settings.LANGUAGES:
        path = path_in_language(request, code)
        versions.append(
            {
                "code": code,
                "name": name,
                "url": in_language(page, path, code),
                "absolute_url": absolute_url(in_language(canonical, path, code)),
                "current": code == current,
            }
        )
    return versions


def path_in_language(request, code):
    """The request's page's path in the language ``code``, reversed from the URL pattern the request was
    resolved to (what ``translate_url`` does after resolving the path once more); None where it cannot be
    (a path that matched no pattern, ``//`` paths)."""
    match = request.resolver_match
    if match is None or not match.url_name or request.path.startswith("//"):
        return None
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    try:
        return reverse_in_language(code, name, match.args, match.kwargs)
    except NoReverseMatch:
        return None


def in_language(url, path, code):
    """``url`` (a path and query on this site) with its path put in the language ``code``: ``path`` if known,
    else ``translate_url``'s answer."""
    if path is None:
        return translate_url(url, code)
    query = url.partition("?")[2]
    return f"{path}?{query}" if query else path


@register.simple_tag
def pending_review_count(user):
    """The admin home's count of revisions awaiting review (core.revisions.pending_count)."""
    from core.revisions import pending_count

    return pending_count(user)


def citation_items(citations, page_language):
    """Plain dicts for ``includes/_citations.html``: each part with the ``lang`` it needs on the page."""
    items = []
    for citation in citations:
        if citation.is_structured:
            items.append(
                {
                    "structured": True,
                    "outlet": citation.outlet,
                    "outlet_lang": lang_attribute(citation.outlet, page_language),
                    "title": citation.title,
                    "title_lang": lang_attribute(citation.title, page_language),
                    "date": citation.date_display(),
                    "iso_date": citation.iso_date,
                    "url": citation.url,
                }
            )
        else:
            items.append(
                {"structured": False, "text": citation.text, "text_lang": lang_attribute(citation.text, page_language)}
            )
    return items


@register.inclusion_tag("includes/_citations.html")
def citations(obj, field="source", css_class=""):
    """``obj``'s sources as a list of citations in the page's language (``source_ko`` on Korean pages;
    the English ones, marked as English, where it is empty). Parsed by core.citations."""
    found, fallback = core_citations.for_page(obj, field)
    page_language = "ko" if i18n.is_korean() else "en"
    return {"items": citation_items(found, page_language), "fallback": fallback, "css_class": css_class}


@register.inclusion_tag("includes/_citations.html")
def citation_list(found, css_class=""):
    """A list of already parsed Citation objects (e.g. those several rows share), as ``citations`` renders."""
    page_language = "ko" if i18n.is_korean() else "en"
    return {"items": citation_items(found, page_language), "fallback": False, "css_class": css_class}


@register.inclusion_tag("includes/_citations.html")
def shared_citation_list(shared):
    """The citations several rows share (core.citations.split_shared), once each, numbered
    (``entry.number``, the target of ``#source-<number>``) with the editions (``entry.editions``) they support."""
    page_language = "ko" if i18n.is_korean() else "en"
    items = citation_items([entry.citation for entry in shared], page_language)
    for item, entry in zip(items, shared, strict=True):
        item["editions"] = getattr(entry, "editions", "")
        item["number"] = getattr(entry, "number", None)
    return {"items": items, "fallback": False, "css_class": "shared-citations", "ordered": True}


@register.simple_tag
def lang_for(text):
    """The ``lang`` attribute (with its leading space) that ``text`` needs on this page, or ''."""
    language = lang_attribute(str(text), "ko" if i18n.is_korean() else "en")
    return format_html(' lang="{}"', language) if language else ""


@register.simple_tag
def in_page_language(text):
    """``text`` wrapped in ``<span lang="…">`` when its script is not the page's language (a proper name
    with no Korean form on a Korean page), else as it is."""
    language = lang_attribute(str(text), "ko" if i18n.is_korean() else "en")
    return format_html('<span lang="{}">{}</span>', language, text) if language else text


@register.simple_tag
def seoul_point():
    """Where Seoul's star goes on the world map (core.worldmap.seoul_point): {"x": …, "y": …}."""
    return worldmap.seoul_point()

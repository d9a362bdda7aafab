"""The Jinja2 environment of the public pages' frame and lists (``TEMPLATES``' second backend, templates in
``templates/jinja2/``): the same output as the Django templates they replaced, drawn with far fewer steps.

What the Django templates had, in Jinja2's words, and drawn as Django draws it:

- translations from the same Korean catalogue: ``{{ _("…") }}`` and ``{{ pgettext("context", "…") }}`` as
  ``{% translate %}``, ``{% trans trimmed name=value %}…{% pluralize %}…{% endtrans %}`` as ``{% blocktranslate
  trimmed count name=value %}`` (the text is formatted only when it names a value, so keep ``%`` out of a
  block without one);
- autoescaping with Django's ``escape`` and ``localize`` (``&#x27;`` for a quote, not markupsafe's ``&#39;``),
  for ``{{ value }}`` and for the values in a translated text;
- ``static()``, ``url()`` (kept reverses: ``core.links``), ``striptags`` as Django strips;
- ``{% call fragment("name", value, …) %}…{% endcall %}``: a part kept per content generation
  (``core.cache.fragment``), as ``{% fragment %}`` keeps one.

Django templates draw a Jinja2 template with ``{% jinja "name" %}`` (core/templatetags/jinja.py).
"""

import functools
import html

import jinja2
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.test.signals import template_rendered
from django.utils import translation
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape, strip_tags
from jinja2 import Environment, Undefined, pass_context
from markupsafe import Markup

from core.cache import fragment
from core.links import cached_reverse
from core.templatetags import site_tags
from listing.templatetags import listing_tags
from pages.templatetags import reconcile_tags


def drawn(value):
    """``value`` as the Django engine outputs a variable: localized, then escaped unless already safe (Django's
    ``escape`` is ``html.escape``; a lazy text is made first, as it may be safe)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value
    if isinstance(value, Undefined):
        return ""
    return Markup(html.escape(value if isinstance(value, str) else str(localize(value))))


def formatted(text, values):
    return Markup(text % {name: drawn(value) for name, value in values.items()} if values else text)


@functools.cache
def translations(language):
    """``_``, ``gettext`` and ``pgettext`` in ``language``, each text translated once per process: a template's
    first render in a language binds them (``Template.new_context``), so that a page's forty-odd texts are each
    a lookup, not a trip through the active language's catalogue and Jinja2's ``_`` alias."""
    texts = {}

    def translated(context, message):
        text = texts.get((context, message))
        if text is None:
            with translation.override(language):
                text = translation.pgettext(context, message) if context else translation.gettext(message)
            texts[(context, message)] = text
        return text

    def gettext(message, **values):
        return formatted(translated(None, message), values)

    def pgettext(context, message, **values):
        return formatted(translated(context, message), values)

    return {"_": gettext, "gettext": gettext, "pgettext": pgettext}


@receiver(setting_changed)
def forget_translations(*, setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):  # those that make Django read its catalogues again
        translations.cache_clear()


def ngettext(singular, plural, number, **values):
    return formatted(translation.ngettext(singular, plural, number), values)


def npgettext(context, singular, plural, number, **values):
    return formatted(translation.npgettext(context, singular, plural, number), values)


def static(path):
    """A static file's URL: what ``{% static %}`` asks the storage, without checking on each call that the staticfiles
    app is installed."""
    return staticfiles_storage.url(path)


def striptags(value):
    """Django's ``striptags``: the tags removed, entities and spaces left as they are."""
    stripped = strip_tags(value)
    return Markup(stripped) if hasattr(value, "__html__") else stripped


def join(values, separator):
    """Django's ``join``: each value and the separator escaped as Django escapes."""
    return Markup(conditional_escape(separator).join(conditional_escape(value) for value in values))


@pass_context
def kept(context, name, *values, caller):
    """``caller()`` (the body of a ``{% call %}`` block) kept for its name and values (``core.cache.fragment``)."""
    key = (name, *(str(value) for value in values))
    return Markup(fragment(context.get("request"), key, caller))


def citations(obj):
    """``{% citations obj %}``: ``obj``'s sources, drawn by the Django include the other pages draw them with."""
    return Markup(render_to_string("includes/_citations.html", site_tags.citations(obj), using="django"))


def with_context(function):
    """A template tag function that takes a Django context, given the Jinja2 one (both answer ``get()`` and
    ``[]``)."""
    return pass_context(lambda context, *args, **kwargs: function(context, *args, **kwargs))


class Template(jinja2.Template):
    def new_context(self, vars=None, shared=False, locals=None):
        if vars is None or "_" not in vars:  # a page's first template, not one it includes or extends
            vars = {**(vars or {}), **translations(translation.get_language())}
        return super().new_context(vars, shared, locals)

    def render(self, *args, **kwargs):
        """The template drawn, after telling the test client (``template_rendered``, which it alone listens to), as
        the Django engine does under the test runner: a test reads the page's context and templates alike."""
        if template_rendered.receivers:
            template_rendered.send(sender=self, template=self, context=dict(*args, **kwargs))
        return super().render(*args, **kwargs)


def environment(**options):
    # As the Django engine draws: a template's last line break is output, and a missing variable is empty (Django's
    # backend would have DEBUG print it).
    options.update(keep_trailing_newline=True, undefined=Undefined, finalize=drawn)
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.template_class = Template
    env.newstyle_gettext = True  # {% trans %} passes its values to gettext(), which formats them
    env.globals.update(
        ngettext=ngettext,
        npgettext=npgettext,
        get_language=translation.get_language,
        static=static,
        url=cached_reverse,
        fragment=kept,
        canonical_url=with_context(site_tags.canonical_url),
        language_versions=with_context(site_tags.language_versions),
        main_menu=with_context(site_tags.main_menu),
        localized=site_tags.localized,
        lang_for=site_tags.lang_for,
        seoul_point=site_tags.seoul_point,
        citations=citations,
        declared_figures=reconcile_tags.declared_figures,
        trail=site_tags.trail,
        query_url=with_context(listing_tags.query_url),
    )
    env.filters.update(
        striptags=striptags,
        join=join,
        g=lambda number: f"{number:g}",  # Django's stringformat:"g"
        map_marks=site_tags.map_marks,
        figure_value=reconcile_tags.figure_value,
        map_groups=site_tags.map_groups,
        elided_pages=listing_tags.elided_pages,
        get_field_label=listing_tags.get_field_label,
    )
    return env

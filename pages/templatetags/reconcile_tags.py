"""``{% declared_figures "organizations" as rows %}``: SMG's declared figures beside the documented counts
(pages/reconcile.py), for the home page and the list pages of organizations, cities and countries."""

from django import template

from core import i18n
from pages.reconcile import reconcile

register = template.Library()


@register.simple_tag
def declared_figures(*keys):
    return reconcile(*keys)


@register.filter
def figure_value(figure):
    """A key figure's value with its unit in the page's language: "30 organizations", "30개 기구"."""
    unit = i18n.localized(figure, "unit")[0].strip()
    if not unit:
        return figure.number_display
    # Korean writes the unit against the number (docs/korean-style.md): "30개 기구", "84%".
    joiner = "" if i18n.is_korean() else " "
    return f"{figure.number_display}{joiner}{unit}"

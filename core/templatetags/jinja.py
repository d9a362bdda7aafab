"""``{% jinja "name" %}``: a template of the Jinja2 backend (seoul_diplomacy/jinja2.py) drawn inside a Django
template, with the Django template's context, so that a Django page and a Jinja2 page share one markup (base.html
draws the frame of every page from ``layout.html``; a moved include leaves a Django one that draws it so)."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, name, **values):
    drawn = engines["jinja2"].get_template(name).template.render({**context.flatten(), **values})
    return mark_safe(drawn)  # escaped by Jinja2 where needed

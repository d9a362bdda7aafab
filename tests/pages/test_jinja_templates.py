"""The pages drawn by Jinja2 (templates/jinja2/: the frame of every page, the case and city lists and the includes
they share with the Django pages) give the bytes the Django templates gave, and translate only what the Korean
catalogue holds.

``DRAWN`` holds, for each address, the SHA-256 and length of the page the Django templates drew with the shipped
data (commit ccbb65f, before the move), in each language. A page meant to change is drawn again into it with
``UPDATE_DRAWN=1 .venv/bin/pytest tests/pages/test_jinja_templates.py``.
"""

import hashlib
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from jinja2.ext import babel_extract

from tests.test_translations import CATALOGUE, parse_po

DRAWN = Path(__file__).with_name("jinja_templates_drawn.json")
JINJA_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "jinja2"

ADDRESSES = [
    "/",
    "/cases/",
    "/cases/?sector=transportation&country=PH",
    "/cases/?page=2",
    "/cases/?page=3&ordering=title",
    "/cases/?sector=bogus",
    "/cases/?utm=1&sector=transportation",
    "/cases/?year_from=2010&year_to=2015",
    "/cases/?year_from=2010&undated=1",
    "/cases/?q=transport",
    "/cases/?q=zzzzqqq",
    "/cases/?year_from=abc",
    "/cities/",
    "/cities/?relationship=sister",
    "/cities/?page=2",
    "/cities/?region=bogus",
    "/cities/?relationship=none&region=africa",
    "/cities/ulaanbaatar/",
    "/countries/",
    "/countries/PH/",
    "/sectors/transportation/",
    "/organizations/",
    "/search/?q=seoul",
    "/nope/",
]


def drawn(response):
    return {
        "status": response.status_code,
        "sha256": hashlib.sha256(response.content).hexdigest(),
        "length": len(response.content),
    }


@pytest.mark.parametrize("prefix", ["", "/ko"])
def test_pages_are_drawn_as_the_django_templates_drew_them(client, shipped_data, prefix):
    pages = {prefix + address: drawn(client.get(prefix + address)) for address in ADDRESSES}
    expected = json.loads(DRAWN.read_text(encoding="utf-8")) if DRAWN.exists() else {}
    if os.environ.get("UPDATE_DRAWN"):
        DRAWN.write_text(json.dumps({**expected, **pages}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    changed = [address for address, page in pages.items() if expected.get(address) != page]
    assert changed == []


def jinja_messages():
    """(msgctxt or None, msgid, msgid_plural or None) for every text the Jinja2 templates translate."""
    for path in sorted(JINJA_TEMPLATES.rglob("*.html")):
        with path.open("rb") as source:
            for _line, function, message, _comments in babel_extract(
                source, ("_", "gettext", "pgettext", "ngettext"), [], {"trimmed": "false"}
            ):
                strings = (message,) if isinstance(message, str) else message
                if function == "pgettext":
                    yield strings[0], strings[1], None
                else:
                    yield None, strings[0], strings[1] if len(strings) > 1 else None


def test_every_text_the_jinja_templates_translate_is_in_the_catalogue():
    """makemessages reads Django templates only: a text that a Jinja2 template alone translates would not be
    found by it, and ``--no-obsolete`` would drop it. Each is checked here instead."""
    catalogue = {(entry["msgctxt"], entry["msgid"]): entry for entry in parse_po(CATALOGUE) if not entry["obsolete"]}
    messages = list(jinja_messages())
    assert len(messages) > 100, "too few texts found: did the extraction read the templates?"
    missing = [(context, message) for context, message, _plural in messages if (context, message) not in catalogue]
    assert missing == []
    wrong_plural = [
        message
        for context, message, plural in messages
        if plural and catalogue[(context, message)]["msgid_plural"] != plural
    ]
    assert wrong_plural == []


def test_a_translated_text_escapes_its_values_as_django_does():
    template = engines["jinja2"].from_string("{% trans name=name %}Remove filter {{ name }}{% endtrans %} {{ name }}")
    with translation.override("en"):
        assert template.render({"name": "Seoul's <b>"}) == "Remove filter Seoul&#x27;s &lt;b&gt; Seoul&#x27;s &lt;b&gt;"


def test_a_value_is_drawn_as_django_draws_it():
    """Escaped as Django escapes (a lazy text made first: a translated template literal is safe), numbers localized."""
    template = engines["jinja2"].from_string("{{ safe }} {{ text }} {{ lazy }} {{ number }} {{ missing }}.")
    values = {
        "safe": mark_safe("<b>Seoul's</b>"),
        "text": "Seoul's <b>",
        "lazy": gettext_lazy(mark_safe("Seoul's")),
        "number": 1.5,
    }
    with translation.override("ko"):
        assert template.render(values) == "<b>Seoul's</b> Seoul&#x27;s &lt;b&gt; Seoul's 1.5 ."

"""CSV and JSON answers: the same rows for list exports, detail twins and the open-data tables.

Column keys are stable machine names in every language (``sector``, ``country_code``): a re-user's
code reads the same keys from /cases/?format=json and /ko/cases/?format=json. What changes with the
language is for people: the CSV header row (Korean labels on /ko/, the keys on English pages), the
``column_labels`` of a JSON list, and the label values (sector names, kinds, relationships) beside
the machine values. The labels are registered by the apps in ``COLUMN_LABELS``.

CSV is safe to open in a spreadsheet: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is prefixed with an apostrophe, so no formula runs. Numbers stay numbers.

Every CSV and JSON answer carries ``Access-Control-Allow-Origin: *``: they are public, carry no
credentials and set no cookie, so a browser application on another site may read them.
"""

import csv
import datetime
import decimal
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.cache import understands
from core.i18n import is_korean

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "json")
CHUNK_SIZE = 2000


def neutralise(value):
    """A cell value safe for spreadsheets."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, decimal.Decimal, datetime.date)):
        return value
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


# {column key: lazy label}, filled by the apps' exports modules (projects.exports, rankings.exports).
COLUMN_LABELS = {}


def column_labels(columns):
    """{key: label in the active language} for ``columns`` (the key itself where none is registered)."""
    return {column: str(COLUMN_LABELS.get(column, column)) for column in columns}


def header_row(columns):
    """The CSV header: the machine keys on English pages, their Korean labels on Korean pages."""
    if not is_korean():
        return list(columns)
    labels = column_labels(columns)
    return [labels[column] for column in columns]


class _Echo:
    def write(self, value):
        return value


def allow_any_origin(response):
    """Let a browser application on any site read ``response`` (public data, no credentials)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def csv_lines(rows, columns):
    """The lines of a CSV file with a header row of ``columns``; ``rows`` is an iterable of dicts."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark so that spreadsheets read the file as UTF-8
    yield writer.writerow(header_row(columns))
    for row in rows:
        yield writer.writerow([neutralise(row.get(column)) for column in columns])


def csv_response(rows, columns, filename):
    """A streamed CSV file with a header row of ``columns``; ``rows`` is an iterable of dicts."""
    response = StreamingHttpResponse(csv_lines(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return allow_any_origin(response)


def json_text(payload):
    """``payload`` as the JSON answers write it (UTF-8 kept as is)."""
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)


def json_response(payload, filename=None, status=200):
    response = JsonResponse(
        payload, status=status, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False}
    )
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return allow_any_origin(response)


def json_error(message, status=400, **details):
    return json_response({"error": message, **details}, status=status)


def requested_format(request):
    """'html' when no format is asked for; the asked format otherwise (maybe one we do not offer)."""
    return (request.GET.get("format") or "html").strip().lower()


def unknown_format_error(fmt):
    return json_error(
        _("Unknown format “%(format)s”: use format=csv or format=json, or leave it out for the web page.")
        % {"format": fmt}
    )


def iterate(queryset):
    """Rows of a large queryset without holding them all in memory (prefetches still apply)."""
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def page_or_json(request, template_name, context, payload):
    """A detail page, or its JSON twin with ``?format=json``; ``payload`` builds the JSON lazily."""
    understands(request, {"format"})
    fmt = requested_format(request)
    if fmt == "html":
        return render(request, template_name, {**context, "json_url": "?format=json"})
    if fmt == "json":
        return json_response(payload())
    return unknown_format_error(fmt)


def attributes(obj, names):
    """{name: obj.<name>} for the columns that are plain attributes (None where an annotation is absent)."""
    return {name: getattr(obj, name, None) for name in names}

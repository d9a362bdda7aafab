"""The open-data pages: the data set's tables as CSV and JSON, its fixture files, and their metadata."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.links import absolute_url
from dataio import dictionary, open_data
from dataio.layout import FIXTURE_NAMES
from listing import exports


def dataset_metadata(request, as_of):
    """schema.org Dataset metadata, as Korea's public data portal gives for its data sets."""
    distributions = [
        {
            "@type": "DataDownload",
            "name": f"{table.title} ({fmt.upper()})",
            "encodingFormat": "text/csv" if fmt == "csv" else "application/json",
            "contentUrl": absolute_url(reverse("data_table_" + fmt, args=[table.slug])),
        }
        for table in open_data.TABLES.values()
        for fmt in exports.EXPORT_FORMATS
    ]
    distributions.append(
        {
            "@type": "DataDownload",
            "name": _("Download everything (.zip)"),
            "encodingFormat": "application/zip",
            "contentUrl": absolute_url(reverse("data_archive")),
        }
    )
    metadata = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": _("Seoul City Diplomacy"),
        "description": _(
            "Urban policies the Seoul Metropolitan Government has shared with other cities, its sister "
            "and friendship cities, the international organizations in Seoul, and Seoul's rank in international "
            "city indices, each with its source."
        ),
        "url": absolute_url(reverse("data")),
        "license": open_data.LICENCE_URL,
        "creator": {"@type": "GovernmentOrganization", "name": _("Seoul Metropolitan Government")},
        "isAccessibleForFree": True,
        "inLanguage": "en",
        "spatialCoverage": "Worldwide",
        "distribution": distributions,
    }
    if as_of:
        metadata["dateModified"] = as_of.isoformat()
    # Escaped like json_script, so the JSON cannot close the <script> element it sits in.
    text = json.dumps(metadata, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def data_page(request):
    as_of = open_data.latest_as_of()
    dictionary_rows = open_data.data_dictionary(absolute_url)
    return render(
        request,
        "data.html",
        {
            "tables": open_data.TABLES.values(),
            "fixture_names": FIXTURE_NAMES,
            "as_of": as_of,
            "licence_name": open_data.LICENCE_NAME,
            "licence_url": open_data.LICENCE_URL,
            "attribution": open_data.ATTRIBUTION,
            "dataset_json": dataset_metadata(request, as_of),
            "dictionary": [
                (table, [row for row in dictionary_rows if row["table"] == table.slug])
                for table in open_data.TABLES.values()
            ],
            "nav_section": "data",
        },
    )


def data_table(request, table, fmt):
    try:
        table = open_data.TABLES[table]
    except KeyError:
        raise Http404(_("There is no table “%(name)s”.") % {"name": table}) from None
    rows = table.rows(absolute_url)
    filename = f"seoul-city-diplomacy-{table.slug}.{fmt}"
    if fmt == "csv":
        return exports.csv_response(rows, table.columns, filename)
    return exports.json_response(
        {"table": table.slug, "licence": open_data.LICENCE_URL, "columns": table.columns, "results": list(rows)},
        filename=filename,
    )


def fixture_file(request, name):
    """A fixture file of the published data, built from the database in the layout of ``fixtures/``."""
    if name not in FIXTURE_NAMES:
        raise Http404(_("There is no fixture “%(name)s”.") % {"name": name})
    text = open_data.published_fixtures()[f"{name}.json"]
    response = HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return exports.allow_any_origin(response)


def data_dictionary(request, fmt):
    """Every column of every table: meaning, type, unit and an example, in English and Korean."""
    rows = open_data.data_dictionary(absolute_url)
    filename = f"seoul-city-diplomacy-data-dictionary.{fmt}"
    if fmt == "csv":
        return exports.csv_response(rows, dictionary.DICTIONARY_COLUMNS, filename)
    return exports.json_response(open_data.dictionary_payload(rows), filename=filename)


def data_archive(request):
    """Everything in one .zip: tables as CSV and JSON, the published fixtures, the dictionary, a README."""
    response = HttpResponse(open_data.archive_bytes(absolute_url), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{open_data.ARCHIVE_NAME}.zip"'
    return exports.allow_any_origin(response)

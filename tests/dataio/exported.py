"""The data set as ``export_fixtures`` would write it, read in memory: what the round-trip tests compare."""

from dataio.exporter import export_records, render_json


def export_texts():
    """{file name: JSON text} of the whole data set, exactly as ``export_fixtures`` writes it."""
    return {file_name: render_json(records) for file_name, records in export_records().items()}

"""Django's error report (the debug page of ``make run``), for a request Django refused as well."""

from django.core.exceptions import SuspiciousOperation
from django.views.debug import ExceptionReporter


class RefusedRequestReporter(ExceptionReporter):
    """Django's debug page reads the request's query and files again; for a request Django refused for them
    (more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields) that raises again, and the refusal's 400 became a 500.
    Such a request is reported without its request data."""

    def get_traceback_data(self):
        try:
            return super().get_traceback_data()
        except SuspiciousOperation:
            self.request = None
            return super().get_traceback_data()

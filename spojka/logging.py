"""Nothing personal in logs or error reports.

What a resident or a worker types ends up in query strings (a search for "exekuce Kyjov
Nováková") and in request bodies (a help request, a person's record). So:

- `NoPersonalDataFilter` (on the request loggers and the console handler, see
  `settings.LOGGING`) cuts the query string off every path or URL in a log message and
  drops the `request` object that Django attaches to request log records, so that no
  handler (an e-mail to ADMINS, an error tracker) can read the body, cookies or query
  from it. Request bodies are never logged anywhere in Spojka.
- `NoPersonalDataExceptionReporterFilter` hides every submitted value from the
  technical error page (DEBUG only) and from error reports.
- With `DEBUG=False` the 404 page is an ordinary page with no data, and the 500 page
  (`templates/500.html`) is static: rendered without a request context, it shows nothing
  of the failed request.
- Tracebacks stay in the log (they are what makes a 500 fixable); they hold code, not
  submitted values, as long as exception messages do not quote user input.

The web server in front of Spojka keeps its own access log: configure it without query
strings too (gunicorn: `--access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s'`, where
`%(U)s` is the path without the query; nginx: `$uri` instead of `$request`).
"""

from __future__ import annotations

import logging
import re

from django.views.debug import SafeExceptionReporterFilter

# A path ("/hledat/?q=…") or an absolute URL followed by a query string; the query is cut.
_QUERY_AFTER_PATH = re.compile(r"((?:https?://[^\s?#\"']+|(?<![\w/])/[^\s?#\"']*))\?[^\s\"']*")


def strip_query_strings(text: str) -> str:
    """'"GET /hledat/?q=dluhy HTTP/1.1"' -> '"GET /hledat/ HTTP/1.1"'."""
    return _QUERY_AFTER_PATH.sub(r"\1", text)


class NoPersonalDataFilter(logging.Filter):
    """Cut query strings out of log messages and drop the request attached to the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request and django.server put the request (or the socket) into the record;
        # a handler that renders it would show the POST body and the query.
        record.__dict__.pop("request", None)
        if isinstance(record.msg, str):
            record.msg = strip_query_strings(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                strip_query_strings(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


class NoPersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error pages and reports list which fields were submitted, never their values."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

"""HTTP helpers of the public APIs: JSON bodies, validators with conditional GET, CORS.

- `json_response` renders the body once, sets a strong `ETag` (a hash of the body) and
  `Last-Modified` (the newest change among the rows shown), and answers `304 Not
  Modified` to `If-None-Match` / `If-Modified-Since` as RFC 9110 says (Django's
  `get_conditional_response`: `If-None-Match` wins when both are sent).
- `with_cors` wraps a view: every answer allows any origin, and an `OPTIONS` preflight
  gets its answer without reaching the view. The public APIs are read-only and need no
  credentials, so `*` is safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

JSON = "application/json"
NDJSON = "application/x-ndjson"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
DEFAULT_ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since"
# Short enough that capacity changes show within a minute; clients revalidate with ETag.
CACHE_CONTROL = "public, max-age=60"
_HEADER_LIST = re.compile(r"^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$")


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def json_response(
    request: HttpRequest,
    data: Any,
    *,
    last_modified: datetime | None = None,
    status: int = 200,
) -> HttpResponseBase:
    """A JSON answer with ETag and Last-Modified, or 304 when the client has it already."""
    body = dumps(data)
    response = HttpResponse(body, status=status, content_type=JSON)
    if status != 200:
        return response
    etag = etag_of(body)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    timestamp = None
    if last_modified is not None:
        timestamp = int(last_modified.timestamp())
        response["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def error_response(status: int, error: str, message: str, **extra: Any) -> HttpResponse:
    """A JSON error: a machine code, a sentence for people, and details such as the parameter."""
    return HttpResponse(
        dumps({"error": error, "message": message, **extra}), status=status, content_type=JSON
    )


def ndjson_response(lines: Iterable[Any]) -> StreamingHttpResponse:
    """Stream one JSON object per line."""
    response = StreamingHttpResponse((dumps(item) + b"\n" for item in lines), content_type=NDJSON)
    response["Cache-Control"] = "no-cache"
    return response


def add_cors_headers(response: HttpResponseBase) -> HttpResponseBase:
    response["Access-Control-Allow-Origin"] = "*"
    # Last-Modified is readable by scripts anyway; ETag must be exposed explicitly.
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def preflight_response(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    requested = request.headers.get("Access-Control-Request-Headers", "").strip()
    allowed = requested if requested and _HEADER_LIST.match(requested) else None
    response["Access-Control-Allow-Headers"] = allowed or DEFAULT_ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = "86400"
    add_cors_headers(response)
    return response


def with_cors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Open CORS for a read-only view: answer preflights, treat HEAD as GET."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            return preflight_response(request)
        if request.method == "HEAD":
            # The views know GET only; the handler drops the body of a HEAD answer.
            request.method = "GET"
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.method = "HEAD"
        else:
            response = view(request, *args, **kwargs)
        return add_cors_headers(response)

    return wrapper

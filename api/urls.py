"""URLs of the APIs: /api/hsds/ (public, Open Referral HSDS 3.0, read-only, open CORS) and
/api/v1/ (private, token-authenticated; /api/v1/events.ics is a plain view in spojka/urls)."""

import functools

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import path, re_path
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

from api.hsds import api as hsds_api
from api.http import dumps, error_response, with_cors
from api.v1 import api as v1_api


def _with_cors(urls: tuple) -> tuple:
    """Ninja's URL patterns with every view (the OpenAPI document too) open to CORS."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = with_cors(pattern.callback)
    return patterns, app_name, namespace


@with_cors
def hsds_unknown(request: HttpRequest, rest: str = ""):
    return error_response(
        404, "not_found", f"No endpoint /api/hsds/{rest}; see /api/hsds/openapi.json."
    )


def _v1_error(status: int, code: str, detail: str) -> HttpResponse:
    """The private API's error shape (api.v1_schemas.Error), for answers outside ninja."""
    body = dumps({"detail": detail, "code": code, "field": None})
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def _private(view):
    """A view of the private API: never cached (answers hold personal data), and ninja's
    bare 405 for a wrong method in the API's error shape."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _v1_error(
                405, "method_not_allowed", f"Method {request.method} is not allowed; use {allowed}."
            )
            response["Allow"] = allowed
        add_never_cache_headers(response)
        return response

    return wrapper


def _v1_urls(urls: tuple) -> tuple:
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = _private(pattern.callback)
    return patterns, app_name, namespace


@csrf_exempt  # a POST to a path that does not exist gets the same JSON 404, not a CSRF page
def v1_unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return _v1_error(404, "not_found", f"No endpoint /api/v1/{rest}; see /api/v1/openapi.json.")


urlpatterns = [
    path("hsds/", _with_cors(hsds_api.urls)),
    re_path(r"^hsds/(?P<rest>.*)$", hsds_unknown),
    path("v1/", _v1_urls(v1_api.urls)),
    re_path(r"^v1/(?P<rest>.*)$", v1_unknown),
]

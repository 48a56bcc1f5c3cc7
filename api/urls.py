"""URLs of the APIs: /api/hsds/ (public, Open Referral HSDS 3.0, read-only, open CORS)."""

from django.http import HttpRequest
from django.urls import path, re_path

from api.hsds import api as hsds_api
from api.http import error_response, with_cors


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


urlpatterns = [
    path("hsds/", _with_cors(hsds_api.urls)),
    re_path(r"^hsds/(?P<rest>.*)$", hsds_unknown),
]

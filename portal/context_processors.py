"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "tile_url": settings.SPOJKA_TILE_URL,
        "tile_attribution": settings.SPOJKA_TILE_ATTRIBUTION,
    }

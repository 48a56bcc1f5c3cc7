"""Views of the public portal: parse the request, ask the directory, render.

Everything here is public data, so there is no per-user access rule; services are read
only through `Service.objects.public()`, and addresses only through
`Location.public_address` / `Location.public_point`, which hide shelters' streets.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from catalog.models import LifeSituation
from directory.models import (
    CapacityReport,
    Location,
    Organization,
    Service,
    ServiceArea,
)
from directory.search import Hit, search_services
from portal.forms import SearchForm, parse_page, territory_municipality_choices
from territory.models import Territory, distance_km

HOME_FREE_PLACES = 6
CAPACITY_HISTORY = 5
# Up to this many obce are listed as links on the home page; bigger territories are
# reached through the search form's municipality select.
HOME_MUNICIPALITY_LINKS = 300


def _territory(slug: str) -> Territory:
    return get_object_or_404(Territory, slug=slug)


def _fresh_since():
    return timezone.now() - timedelta(days=settings.SPOJKA_CAPACITY_STALE_DAYS)


def index(request: HttpRequest) -> HttpResponse:
    territories = Territory.objects.order_by("name")
    return render(request, "portal/index.html", {"territories": territories})


def home(request: HttpRequest, territory: str) -> HttpResponse:
    territory = _territory(territory)
    with_room = (
        Service.objects.public()
        .in_territory(territory)
        .filter(
            latest_capacity__free_places__gt=0,
            latest_capacity__reported_at__gte=_fresh_since(),
        )
        .for_cards()
        .order_by("-latest_capacity__reported_at", "name")[:HOME_FREE_PLACES]
    )
    municipalities = territory_municipality_choices(territory)
    return render(
        request,
        "portal/home.html",
        {
            "territory": territory,
            "situations": LifeSituation.objects.all(),
            "with_room": [Hit(service=s, score=0.0) for s in with_room],
            "municipalities": municipalities,
            "stale_days": settings.SPOJKA_CAPACITY_STALE_DAYS,
            "municipality_links": municipalities
            if len(municipalities) <= HOME_MUNICIPALITY_LINKS
            else [],
        },
    )


def search(request: HttpRequest, territory: str) -> HttpResponse:
    territory = _territory(territory)
    form = SearchForm(request.GET, territory=territory)
    form.is_valid()  # invalid fields are reported and left out; the rest still searches
    page = parse_page(request.GET.get("strana"))
    arguments = {
        "territory": territory,
        "query": form.query(),
        "filters": form.filters(),
        "page_size": settings.SPOJKA_PAGE_SIZE,
    }
    result = search_services(page=page, **arguments)
    if result.total and page > result.num_pages:
        # An old link past the end: show the last page rather than an empty one.
        result = search_services(page=result.num_pages, **arguments)
    is_map = form.is_map()
    filters = form.filters()
    context = {
        "territory": territory,
        "form": form,
        "query": form.query(),
        "result": result,
        "active_filters": form.active_filters(request.path),
        "municipality_label": form.municipality_label(),
        "municipality_code": filters.municipality,
        "is_map": is_map,
        "situations": form.situations,
        "live": not is_map,
    }
    if is_map:
        context["map_data"] = _map_data(territory, [hit.service for hit in result.hits])
    return render(request, "portal/search.html", context)


def _map_data(territory: Territory, services: list[Service]) -> dict:
    """Points for the map view: public points only, never a hidden address."""
    points = []
    for service in services:
        url = reverse("portal:service", kwargs={"territory": territory.slug, "pk": service.pk})
        for location in service.locations.all():
            point = location.public_point
            if point is None:
                continue
            points.append(
                {
                    "lat": point[0],
                    "lon": point[1],
                    "name": service.name,
                    "url": url,
                    "address": location.public_address,
                }
            )
    centre = territory.centre() if not points else None
    return {
        "points": points,
        "centre": list(centre) if centre else [49.8, 15.5],
        "tileUrl": settings.SPOJKA_TILE_URL,
        "attribution": settings.SPOJKA_TILE_ATTRIBUTION,
    }


def service(request: HttpRequest, territory: str, pk) -> HttpResponse:
    territory = _territory(territory)
    service = get_object_or_404(
        Service.objects.public()
        .select_related("organization", "service_type", "latest_capacity")
        .prefetch_related(
            "forms",
            "target_groups",
            "age_groups",
            "schedules",
            "contacts",
            Prefetch(
                "locations",
                queryset=Location.objects.select_related("municipality__district"),
            ),
            Prefetch(
                "areas",
                queryset=ServiceArea.objects.select_related(
                    "municipality", "orp", "district", "region"
                ),
            ),
            "registered_capacities__form",
            "registered_capacities__capacity_type",
        ),
        pk=pk,
    )
    history = list(
        CapacityReport.objects.filter(service=service).order_by("-reported_at")[:CAPACITY_HISTORY]
    )
    locations = list(service.locations.all())
    territory_codes = set(territory.municipalities.values_list("code", flat=True))
    points = [
        {
            "lat": loc.public_point[0],
            "lon": loc.public_point[1],
            "name": service.name,
            "address": loc.public_address,
        }
        for loc in locations
        if loc.public_point is not None
    ]
    return render(
        request,
        "portal/service.html",
        {
            "territory": territory,
            "service": service,
            "organization_url": reverse(
                "portal:organization",
                kwargs={"territory": territory.slug, "pk": service.organization_id},
            ),
            "capacity": service.latest_capacity,
            "history": history,
            "locations": locations,
            "areas": service.areas.all(),
            "serves_territory": Service.objects.filter(pk=service.pk)
            .in_territory(territory)
            .exists(),
            "territory_codes": territory_codes,
            "map_data": {
                "points": points,
                "centre": [points[0]["lat"], points[0]["lon"]] if points else [49.8, 15.5],
                "tileUrl": settings.SPOJKA_TILE_URL,
                "attribution": settings.SPOJKA_TILE_ATTRIBUTION,
            }
            if points
            else None,
        },
    )


def organization(request: HttpRequest, territory: str, pk) -> HttpResponse:
    territory = _territory(territory)
    # An organisation without any public service has nothing to show the public.
    org = get_object_or_404(
        Organization.objects.filter(services__status=Service.Status.ACTIVE).distinct(), pk=pk
    )
    services = list(Service.objects.public().filter(organization=org).for_cards())
    local_ids = set(
        Service.objects.public()
        .filter(organization=org)
        .in_territory(territory)
        .values_list("id", flat=True)
    )
    return render(
        request,
        "portal/organization.html",
        {
            "territory": territory,
            "organization": org,
            "local": [Hit(service=s, score=0.0) for s in services if s.pk in local_ids],
            "elsewhere": [Hit(service=s, score=0.0) for s in services if s.pk not in local_ids],
        },
    )


def municipality(request: HttpRequest, territory: str, code: int) -> HttpResponse:
    territory = _territory(territory)
    muni = get_object_or_404(territory.municipalities.select_related("district"), code=code)
    services = (
        Service.objects.public()
        .covering(muni.code)
        .for_cards()
        .order_by("service_type__order", "service_type__name", "name")
    )
    hits = [_hit_for_municipality(s, muni) for s in services]
    groups = [
        (service_type, list(items))
        for service_type, items in groupby(hits, key=lambda hit: hit.service.service_type)
    ]
    search_url = reverse("portal:search", kwargs={"territory": territory.slug})
    return render(
        request,
        "portal/municipality.html",
        {
            "territory": territory,
            "municipality": muni,
            "groups": groups,
            "total": len(hits),
            "search_url": f"{search_url}?{urlencode({'obec': muni.code})}",
        },
    )


def _hit_for_municipality(service: Service, muni) -> Hit:
    """A card for the municipality page: here, how far, or "comes to you"."""
    locations = list(service.locations.all())
    here = any(loc.municipality_id == muni.code for loc in locations)
    distances = []
    for loc in locations:
        # A hidden address is measured from its obec, so the distance gives nothing away.
        point = loc.public_point or (loc.municipality.latitude, loc.municipality.longitude)
        distances.append(distance_km(muni.latitude, muni.longitude, *point))
    return Hit(
        service=service,
        score=0.0,
        distance_km=min(distances) if distances else None,
        covers_municipality=True,
        comes_to_you=not here and service.is_field_service,
    )


def situation(request: HttpRequest, territory: str, slug: str) -> HttpResponse:
    territory = _territory(territory)
    found = get_object_or_404(LifeSituation, slug=slug)
    search_url = reverse("portal:search", kwargs={"territory": territory.slug})
    return redirect(f"{search_url}?{urlencode({'situace': found.slug})}")

"""Views of the public portal: parse the request, ask the directory, render.

Everything here is public data, so there is no per-user access rule; services are read
only through `Service.objects.public()`, and addresses only through
`Location.public_address` / `Location.public_point`, which hide shelters' streets.
The one exception is "Požádat o pomoc": a resident's request is handed to
`referrals.services.create_help_request` and never shown back, not even on the
confirmation page.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_http_methods

from catalog.models import LifeSituation
from directory.models import (
    CapacityReport,
    Location,
    Organization,
    Service,
    ServiceArea,
)
from directory.search import Hit, search_services
from events.services import events_for_search
from portal.forms import (
    MUNICIPALITY_SELECT_LIMIT,
    SearchForm,
    parse_page,
    territory_municipality_choices,
)
from referrals.forms import HelpRequestForm
from referrals.services import create_help_request, settings_for
from territory.models import Municipality, Territory, distance_km

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
            "municipalities_typed": len(municipalities) > MUNICIPALITY_SELECT_LIMIT,
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
        "namesakes": _namesake_links(request, form),
        "is_map": is_map,
        "situations": form.situations,
        "live": not is_map,
        "events": events_for_search(
            territory=territory, situations=result.situations, query_terms=form.query()
        ),
    }
    if is_map:
        context["map_data"] = _map_data(territory, [hit.service for hit in result.hits])
    return render(request, "portal/search.html", context)


def _namesake_links(request: HttpRequest, form: SearchForm) -> list[tuple[str, str]]:
    """Other obce of the typed name (Březová…): the same search for each of them."""
    links = []
    for code, label in form.namesakes:
        params = request.GET.copy()
        params["obec"] = str(code)
        params.pop("strana", None)
        links.append((f"{request.path}?{params.urlencode()}", label))
    return links


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


# Cards per kind of help on an obec page; the rest are a search away. A city is served by
# thousands of services (regional ones among them) and a page of all of them helps nobody.
MUNICIPALITY_CARDS_PER_TYPE = 6


def municipality(request: HttpRequest, territory: str, code: int) -> HttpResponse:
    territory = _territory(territory)
    muni = get_object_or_404(territory.municipalities.select_related("district"), code=code)
    serving = Service.objects.public().covering(muni.code)
    counts = dict(
        serving.order_by()
        .values_list("service_type_id")
        .annotate(n=Count("id"))
        .values_list("service_type_id", "n")
    )
    first = serving.annotate(
        place=Window(RowNumber(), partition_by=F("service_type_id"), order_by=F("name").asc())
    ).filter(place__lte=MUNICIPALITY_CARDS_PER_TYPE)
    services = (
        Service.objects.filter(id__in=first.values("id"))
        .for_cards()
        .order_by("service_type__order", "service_type__name", "name")
    )
    hits = [_hit_for_municipality(s, muni) for s in services]
    search_url = reverse("portal:search", kwargs={"territory": territory.slug})
    groups = []
    for service_type, items in groupby(hits, key=lambda hit: hit.service.service_type):
        more_url = f"{search_url}?{urlencode({'obec': muni.code, 'druh': service_type.code})}"
        groups.append((service_type, list(items), counts.get(service_type.id, 0), more_url))
    return render(
        request,
        "portal/municipality.html",
        {
            "territory": territory,
            "municipality": muni,
            "groups": groups,
            "total": sum(counts.values()),
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


# --- "Požádat o pomoc" -----------------------------------------------------------------------

# Accepted requests per connection and hour; more is a bot or a mistake, and a person in
# need is pointed to the phone instead.
HELP_REQUESTS_PER_HOUR = 5
HELP_REQUEST_WINDOW = 3600


def _client_address(request: HttpRequest) -> str:
    """The client's address; behind N reverse proxies (SPOJKA_PROXY_COUNT) the N-th from
    the right in X-Forwarded-For, otherwise every resident would share the proxy's."""
    proxies = getattr(settings, "SPOJKA_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _rate_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address: counts requests without storing the address."""
    address = _client_address(request)
    digest = salted_hmac("portal.help_request.rate", address).hexdigest()[:32]
    return f"portal:help-request:{digest}"


def _over_limit(request: HttpRequest) -> bool:
    return cache.get(_rate_key(request), 0) >= HELP_REQUESTS_PER_HOUR


def _count_request(request: HttpRequest) -> None:
    key = _rate_key(request)
    cache.add(key, 0, HELP_REQUEST_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HELP_REQUEST_WINDOW)


def _chosen_service(raw: str | None) -> Service | None:
    """`?sluzba=<uuid>` of a public service; anything else means no service."""
    if not raw:
        return None
    try:
        pk = uuid.UUID(raw)
    except ValueError:
        return None
    return Service.objects.public().select_related("organization").filter(pk=pk).first()


@require_http_methods(["GET", "POST"])
def help_request(request: HttpRequest, territory: str) -> HttpResponse:
    """A resident asks for help in their own words; it goes to the chosen service's
    organisation, or to the organisation that takes the territory's requests."""
    territory = _territory(territory)
    service = _chosen_service(request.GET.get("sluzba"))
    receiver = service.organization if service else settings_for(territory).intake_organization
    context = {"territory": territory, "service": service, "receiver": receiver}
    if receiver is None:
        # Nobody takes requests here yet: the territory's contact person instead of a form
        # whose answer would go nowhere.
        return render(request, "portal/help_request.html", {**context, "no_intake": True})
    if request.method == "POST" and _over_limit(request):
        return render(request, "portal/help_request.html", {**context, "limited": True}, status=429)
    form = HelpRequestForm(
        request.POST if request.method == "POST" else None,
        municipality_choices=territory_municipality_choices(territory),
    )
    if request.method == "POST" and form.is_valid():
        _count_request(request)
        if not form.is_bot():  # a bot is thanked like everyone else, and nothing is stored
            data = form.cleaned_data
            create_help_request(
                territory=territory,
                service=service,
                situation=form.situation_text(),
                name=data["name"],
                contact_method=data["contact_method"],
                contact=data["contact"],
                municipality=Municipality.objects.filter(code=data["municipality"]).first()
                if data["municipality"]
                else None,
            )
        # A fixed address: the confirmation can show nothing of what was sent.
        return redirect("portal:help_request_sent", territory=territory.slug)
    return render(
        request,
        "portal/help_request.html",
        {**context, "form": form},
        status=400 if form.is_bound else 200,
    )


def help_request_sent(request: HttpRequest, territory: str) -> HttpResponse:
    territory = _territory(territory)
    return render(request, "portal/help_request_sent.html", {"territory": territory})


def privacy(request: HttpRequest, territory: str) -> HttpResponse:
    territory = _territory(territory)
    return render(
        request,
        "portal/privacy.html",
        {"territory": territory, "intake": settings_for(territory).intake_organization},
    )

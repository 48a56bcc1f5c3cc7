"""Search of the directory (interface; the ranking is being written)."""

from __future__ import annotations

from dataclasses import dataclass, field

from directory.models import Service


@dataclass(frozen=True)
class SearchFilters:
    situation: str = ""  # LifeSituation.slug
    service_type: str = ""  # ServiceType.code ("57", "60a", "cdz")
    target_group: str = ""  # TargetGroup.code
    age_group: str = ""  # AgeGroup.code
    form: str = ""  # ProvisionForm.code ("pob", "amb", "ter")
    municipality: int | None = None  # Municipality.code: "my municipality"
    free_places: bool = False  # only services with verified free places now


@dataclass
class Hit:
    service: Service
    score: float
    distance_km: float | None = None  # from the chosen municipality to the nearest location
    covers_municipality: bool = False  # serves the chosen municipality
    comes_to_you: bool = False  # a field service that covers the chosen municipality


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    page: int
    num_pages: int
    situations: list = field(default_factory=list)  # LifeSituation matched by the query


def search_services(
    *, territory, query: str = "", filters: SearchFilters | None = None, page: int = 1,
    page_size: int = 20,
) -> SearchPage:
    filters = filters or SearchFilters()
    qs = Service.objects.public().in_territory(territory).for_cards().order_by("name")
    if query:
        qs = qs.filter(name__icontains=query)
    total = qs.count()
    start = (page - 1) * page_size
    hits = [Hit(service=s, score=0.0) for s in qs[start : start + page_size]]
    return SearchPage(hits=hits, total=total, page=page, num_pages=max(1, -(-total // page_size)))

"""Business rules of the directory: each function does one thing in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from directory.models import (
    CapacityReport,
    Service,
    ServiceArea,
    ServiceCoverage,
)
from spojka.text import normalize
from territory.models import Municipality


def build_search_text(service: Service) -> tuple[str, str]:
    """(title, body) of a service before normalisation.

    The service type's everyday words and the target groups' words go into the body,
    so that "dluhy" finds debt counselling whose own text never says "dluh".
    """
    stype = service.service_type
    title = " ".join(filter(None, [service.name, service.alternate_name, stype.name]))
    groups = list(service.target_groups.all())
    places = {loc.municipality.name for loc in service.locations.all()}
    body_parts = [
        stype.keywords,
        service.description,
        service.eligibility,
        " ".join(g.name for g in groups),
        " ".join(g.keywords for g in groups),
        " ".join(form.name for form in service.forms.all()),
        service.organization.name,
        " ".join(sorted(places)),
    ]
    return title, " ".join(filter(None, body_parts))


def reindex_service(service: Service) -> None:
    """Store the normalised search text; the database triggers update the full-text index."""
    title, body = build_search_text(service)
    service.search_title = normalize(title)
    service.search_document = normalize(body)
    Service.objects.filter(pk=service.pk).update(
        search_title=service.search_title, search_document=service.search_document
    )


def covered_municipality_codes(service: Service) -> dict[int, bool]:
    """Every obec the service serves → whether only by its area (True) or at a location."""
    codes: dict[int, bool] = {}
    for area in ServiceArea.objects.filter(service=service):
        if area.municipality_id:
            units = [area.municipality_id]
        elif area.orp_id:
            units = Municipality.objects.filter(orp_id=area.orp_id).values_list("code", flat=True)
        elif area.district_id:
            units = Municipality.objects.filter(district_id=area.district_id).values_list(
                "code", flat=True
            )
        else:
            units = Municipality.objects.filter(region_id=area.region_id).values_list(
                "code", flat=True
            )
        for code in units:
            codes[code] = True
    for code in service.locations.values_list("municipality_id", flat=True):
        codes[code] = False
    return codes


def refresh_coverage(service: Service) -> None:
    """Rebuild the derived list of obce the service serves."""
    codes = covered_municipality_codes(service)
    with transaction.atomic():
        ServiceCoverage.objects.filter(service=service).delete()
        ServiceCoverage.objects.bulk_create(
            [
                ServiceCoverage(service=service, municipality_id=code, by_area=by_area)
                for code, by_area in codes.items()
            ],
            batch_size=1000,
        )


def refresh_service(service: Service) -> None:
    """Recompute everything derived from a service (coverage and search text)."""
    with transaction.atomic():
        refresh_coverage(service)
        reindex_service(service)


def refresh_services(services: Iterable[Service]) -> int:
    count = 0
    for service in services:
        refresh_service(service)
        count += 1
    return count


@transaction.atomic
def report_capacity(
    *,
    service: Service,
    free_places: int,
    waiting_list: int = 0,
    typical_wait_days: int | None = None,
    note: str = "",
    reported_by=None,
    reported_at=None,
) -> CapacityReport:
    """Record the provider's current free places and waiting list; history is kept."""
    report = CapacityReport.objects.create(
        service=service,
        free_places=free_places,
        waiting_list=waiting_list,
        typical_wait_days=typical_wait_days,
        note=note,
        reported_by=reported_by,
        reported_at=reported_at or timezone.now(),
    )
    # A back-dated report (imports, demo) must not replace a newer one.
    latest = service.capacity_reports.order_by("-reported_at").first()
    room = latest.reported_at if latest is not None and latest.free_places > 0 else None
    Service.objects.filter(pk=service.pk).update(latest_capacity=latest, room_reported_at=room)
    service.latest_capacity = latest
    service.room_reported_at = room
    return report


def sync_room(service_ids: Iterable | None = None) -> None:
    """Recompute Service.room_reported_at from latest_capacity, in SQL (after bulk writes)."""
    sql = (
        "UPDATE directory_service SET room_reported_at = ("
        "SELECT r.reported_at FROM directory_capacityreport r "
        "WHERE r.id = directory_service.latest_capacity_id AND r.free_places > 0)"
    )
    params: list = []
    if service_ids is not None:
        ids = [Service._meta.pk.get_db_prep_value(i, connection) for i in service_ids]
        if not ids:
            return
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            with connection.cursor() as cursor:
                cursor.execute(sql + f" WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rebuild_search_index() -> None:
    """Rebuild the SQLite FTS5 index from the stored documents (after VACUUM or a restore)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO directory_service_fts(directory_service_fts) VALUES ('rebuild')"
            )


def update_statistics() -> None:
    """Refresh the query planner's statistics after a bulk load (demo, imports).

    PostgreSQL would otherwise plan the territory and coverage subqueries for empty tables
    (nested loops over hundreds of thousands of rows) until autovacuum catches up.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")

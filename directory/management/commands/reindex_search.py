"""Recompute coverage and search text of every service (after code lists or normaliser change)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from directory.models import Service
from directory.services import rebuild_search_index, refresh_service


class Command(BaseCommand):
    help = (
        "Přepočítá prohledávaný text a pokrytí obcí u všech služeb; spusťte po změně "
        "číselníků nebo normalizace. / Rebuilds search text and coverage of all services."
    )

    def handle(self, *args, **options) -> None:
        services = Service.objects.select_related("service_type", "organization")
        total = services.count()
        step = max(1, total // 10)
        for done, service in enumerate(services.iterator(chunk_size=500), start=1):
            refresh_service(service)
            if done % step == 0:
                self.stdout.write(f"  {done}/{total} ({done * 100 // total} %)")
        rebuild_search_index()
        self.stdout.write(self.style.SUCCESS(f"Reindexed {total} services."))

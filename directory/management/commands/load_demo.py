"""`manage.py load_demo`: the demo territories, providers, services, users and the demo data
of later apps (idempotent)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from directory.demo import DEMO_LOGINS, DemoDataError, format_summary, load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo data: the five project territories and the national one, partner "
        "and invented providers, their services with capacity, demo users, and the demo "
        "data of the apps listed in SPOJKA_DEMO_LOADERS. Safe to run again: nothing is "
        "duplicated."
    )

    def handle(self, *args, **options):
        self.stdout.write("Loading demo data…")
        logins = list(DEMO_LOGINS)
        try:
            with transaction.atomic():
                summary = load_demo_data(stdout=self.stdout)
                # Apps above the directory add their demo data through this hook, so that
                # the directory never imports them.
                for path in settings.SPOJKA_DEMO_LOADERS:
                    extra = import_string(path)(stdout=self.stdout)
                    logins.extend(extra.get("logins", []))
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write("Demo logins (uživatel / heslo):")
        for username, password, description in logins:
            self.stdout.write(f"  {username} / {password}  – {description}")
        self.stdout.write(self.style.SUCCESS(format_summary(summary)))

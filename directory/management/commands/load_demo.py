"""`manage.py load_demo`: the demo territories, providers, services and users (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from directory.demo import DEMO_LOGINS, DemoDataError, format_summary, load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo data: the five project territories and the national one, partner "
        "and invented providers, their services with capacity, and demo users. Safe to run "
        "again: nothing is duplicated."
    )

    def handle(self, *args, **options):
        self.stdout.write("Loading demo data…")
        try:
            summary = load_demo_data(stdout=self.stdout)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write("Demo logins (uživatel / heslo):")
        for username, password, description in DEMO_LOGINS:
            self.stdout.write(f"  {username} / {password}  – {description}")
        self.stdout.write(self.style.SUCCESS(format_summary(summary)))

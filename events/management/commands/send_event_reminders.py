"""`manage.py send_event_reminders`: e-mail people registered for events starting soon."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from events import services


class Command(BaseCommand):
    help = (
        "E-mail a reminder to everyone confirmed for an event that starts within the next "
        "N hours (once per registration; safe to run every few minutes from cron), and "
        "anonymise registrations of events that ended more than the retention period ago."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=getattr(settings, "SPOJKA_EVENT_REMINDER_HOURS", 24),
            help="Remind this many hours before the start (default 24).",
        )
        parser.add_argument(
            "--retention-days",
            type=int,
            default=services.RETENTION_DAYS,
            help="Anonymise registrations this many days after their event (default 90).",
        )

    def handle(self, *args, hours: int, retention_days: int, **options):
        if hours < 1 or retention_days < 1:
            self.stderr.write("--hours and --retention-days must be at least 1.")
            raise SystemExit(2)
        with translation.override(settings.LANGUAGE_CODE):
            sent = services.send_reminders(hours=hours)
            anonymised = services.anonymise_old_registrations(days=retention_days)
        self.stdout.write(
            self.style.SUCCESS(
                f"Event reminders: {sent} e-mail(s) sent for events within {hours} h; "
                f"{anonymised} old registration(s) anonymised."
            )
        )

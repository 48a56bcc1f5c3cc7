"""`manage.py apply_retention`: anonymise personal data kept longer than its period (cron)."""

from __future__ import annotations

from argparse import ArgumentTypeError

from django.conf import settings
from django.core.management.base import BaseCommand

from referrals.services import apply_retention


def positive_days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a whole number of days") from None
    if days < 1:
        raise ArgumentTypeError(f"{days} must be at least 1 day")
    return days


class Command(BaseCommand):
    help = (
        "Anonymise persons without activity for --person-days (default "
        "SPOJKA_RETENTION_PERSON_DAYS) and help requests that never led to a recorded person "
        "after --request-days (default SPOJKA_RETENTION_REQUEST_DAYS). Persons with an open "
        "referral are kept. Records stay, so counts and indicators do not change. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--person-days",
            type=positive_days,
            default=None,
            help="Days without activity after which a person is anonymised "
            f"(default {settings.SPOJKA_RETENTION_PERSON_DAYS}).",
        )
        parser.add_argument(
            "--request-days",
            type=positive_days,
            default=None,
            help="Age in days after which a help request with no recorded person is "
            f"anonymised (default {settings.SPOJKA_RETENTION_REQUEST_DAYS}).",
        )

    def handle(self, *args, person_days=None, request_days=None, **options):
        person_days = person_days or settings.SPOJKA_RETENTION_PERSON_DAYS
        request_days = request_days or settings.SPOJKA_RETENTION_REQUEST_DAYS
        summary = apply_retention(person_days=person_days, request_days=request_days)
        self.stdout.write(
            self.style.SUCCESS(
                f"Retention: anonymised {summary.persons} person(s) inactive for more than "
                f"{person_days} days and {summary.help_requests} help request(s) older than "
                f"{request_days} days."
            )
        )

"""`manage.py process_referral_deadlines`: reminders and expiry of unanswered referrals (cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from referrals.services import process_deadlines


class Command(BaseCommand):
    help = (
        "Remind receiving organisations of referrals whose answer is due soon, and expire "
        "referrals nobody answered by the territory's deadline, escalating them to the "
        "territory's coordinators. Safe to run as often as you like (every hour, say)."
    )

    def handle(self, *args, **options):
        summary = process_deadlines()
        self.stdout.write(
            self.style.SUCCESS(
                f"Referral deadlines: {summary.reminded} reminded, {summary.expired} expired, "
                f"{summary.escalated} escalated to the territory coordinators."
            )
        )

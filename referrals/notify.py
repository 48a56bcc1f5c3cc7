"""Notifications of the referral loop: an inbox item and an e-mail, sent after commit.

E-mails say only that something happened and link to Spojka; no personal data travels
by e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership
from referrals.models import Notification

SUBJECTS = {
    Notification.Kind.HELP_REQUEST: _("Spojka: nová žádost o pomoc"),
    Notification.Kind.REFERRAL_RECEIVED: _("Spojka: nové předání do vaší služby"),
    Notification.Kind.REFERRAL_CHANGED: _("Spojka: změna stavu předání"),
    Notification.Kind.MESSAGE: _("Spojka: nová zpráva k předání"),
    Notification.Kind.REMINDER: _("Spojka: blíží se lhůta pro odpověď na předání"),
    Notification.Kind.ESCALATION: _("Spojka: předání zůstalo bez odpovědi"),
}


def members(organization_id, roles: Iterable[str]):
    User = get_user_model()
    return User.objects.filter(
        is_active=True,
        memberships__organization_id=organization_id,
        memberships__role__in=list(roles),
    ).distinct()


def notify(users, *, kind: str, referral=None, help_request=None, exclude=None) -> int:
    """Create inbox items and queue e-mails for `users` (except `exclude`)."""
    recipients = [u for u in users if exclude is None or u.pk != exclude.pk]
    Notification.objects.bulk_create(
        [
            Notification(user=u, kind=kind, referral=referral, help_request=help_request)
            for u in recipients
        ]
    )
    emails = [u.email for u in recipients if u.email]
    if emails:
        link = settings.SPOJKA_BASE_URL.rstrip("/") + reverse("referrals:inbox")
        subject = str(SUBJECTS[kind])
        body = _("V Spojce na vás čeká novinka. Otevřete ji po přihlášení: %(link)s") % {
            "link": link
        }
        transaction.on_commit(lambda: send_mail(subject, body, None, emails, fail_silently=True))
    return len(recipients)


def organization_workers(organization_id):
    return members(organization_id, list(Membership.Role.values))

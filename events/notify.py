"""E-mails of the events app, queued after commit with ids and built from fresh rows.

A registrant gets e-mail about their own registration only (confirmation with their link,
promotion from the waitlist, the organiser's decision, a cancellation, a reminder). The
organiser is told that a registration waits for approval, without any personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events import recurrence
from events.models import Event, Registration

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.SPOJKA_BASE_URL.rstrip("/") + path


def _when(registration: Registration) -> str:
    start = recurrence.local(registration.occurrence_start)
    return _("%(date)s v %(time)s") % {
        "date": date_format(start, "DATE_FORMAT"),
        "time": date_format(start, "TIME_FORMAT"),
    }


def _manage_link(registration: Registration) -> str:
    from events.services import token_for

    token = token_for(registration)
    if not token:
        return ""
    return _absolute(
        reverse(
            "events:registration",
            kwargs={"territory": registration.event.territory.slug, "token": token},
        )
    )


def _send(subject: str, body: str, recipients: list[str]) -> None:
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # a mail server outage must not undo the registration
        logger.exception("events: e-mail %r could not be sent", subject)


def _fetch(registration_id) -> Registration | None:
    return (
        Registration.objects.select_related("event__territory", "event__organization")
        .filter(pk=registration_id)
        .first()
    )


def _on_commit(function, *args) -> None:
    transaction.on_commit(lambda: function(*args))


def _footer(registration: Registration, link: str) -> str:
    lines = []
    if link:
        lines.append(
            _("Svou přihlášku můžete zkontrolovat nebo zrušit zde: %(link)s") % {"link": link}
        )
    lines.append(
        _("Pořadatel: %(organizer)s") % {"organizer": registration.event.organization.name}
    )
    return "\n\n".join(lines)


# --- the registrant -------------------------------------------------------------------------


def registration_received(registration_id, token: str) -> None:
    _on_commit(_registration_received, registration_id, token)
    _on_commit(_approval_needed, registration_id)


def _registration_received(registration_id, token: str) -> None:
    registration = _fetch(registration_id)
    if registration is None or not registration.email:
        return
    event = registration.event
    arguments = {"title": event.title, "when": _when(registration)}
    if registration.status == Registration.Status.CONFIRMED:
        subject = _("Přihláška na akci %(title)s je potvrzená") % arguments
        text = _("Jste přihlášeni na akci %(title)s, %(when)s.") % arguments
    elif registration.status == Registration.Status.WAITLISTED:
        subject = _("Jste na čekací listině akce %(title)s") % arguments
        text = (
            _(
                "Akce %(title)s, %(when)s, je plně obsazená, zapsali jsme vás na čekací listinu. "
                "Když se místo uvolní, posuneme vás automaticky a dáme vám vědět e-mailem."
            )
            % arguments
        )
    else:
        subject = _("Přihláška na akci %(title)s čeká na schválení") % arguments
        text = (
            _(
                "Vaše přihláška na akci %(title)s, %(when)s, čeká na schválení pořadatelem. "
                "Jakmile rozhodne, napíšeme vám."
            )
            % arguments
        )
    link = _absolute(
        reverse("events:registration", kwargs={"territory": event.territory.slug, "token": token})
    )
    _send(subject, f"{text}\n\n{_footer(registration, link)}\n", [registration.email])


def promoted(registration_id) -> None:
    _on_commit(_promoted, registration_id)


def _promoted(registration_id) -> None:
    registration = _fetch(registration_id)
    if registration is None or not registration.email:
        return
    arguments = {"title": registration.event.title, "when": _when(registration)}
    subject = _("Uvolnilo se místo: jste přihlášeni na akci %(title)s") % arguments
    text = (
        _(
            "Dobrá zpráva: na akci %(title)s, %(when)s, se uvolnilo místo a posunuli jsme vás "
            "z čekací listiny. Teď jste přihlášeni. Pokud nemůžete přijít, přihlášku prosím "
            "zrušte, ať místo dostane další."
        )
        % arguments
    )
    link = _manage_link(registration)
    _send(subject, f"{text}\n\n{_footer(registration, link)}\n", [registration.email])


def decided(registration_id) -> None:
    _on_commit(_decided, registration_id)


def _decided(registration_id) -> None:
    registration = _fetch(registration_id)
    if registration is None or not registration.email:
        return
    arguments = {"title": registration.event.title, "when": _when(registration)}
    if registration.status == Registration.Status.CONFIRMED:
        subject = _("Přihláška na akci %(title)s je schválená") % arguments
        text = _("Pořadatel vaši přihlášku schválil. Těšíme se na vás %(when)s.") % arguments
    elif registration.status == Registration.Status.WAITLISTED:
        subject = _("Jste na čekací listině akce %(title)s") % arguments
        text = (
            _(
                "Pořadatel vaši přihlášku přijal, ale akce %(title)s, %(when)s, je plně "
                "obsazená. Jste na čekací listině; když se místo uvolní, dáme vám vědět."
            )
            % arguments
        )
    else:
        subject = _("Přihláška na akci %(title)s nebyla přijata") % arguments
        text = (
            _(
                "Pořadatel vaši přihlášku na akci %(title)s, %(when)s, bohužel nepřijal. "
                "S dotazy se obraťte přímo na něj."
            )
            % arguments
        )
    link = _manage_link(registration)
    _send(subject, f"{text}\n\n{_footer(registration, link)}\n", [registration.email])


def occurrence_cancelled(registration_ids: Iterable) -> None:
    for registration_id in registration_ids:
        _on_commit(_cancelled, registration_id)


def _cancelled(registration_id) -> None:
    registration = _fetch(registration_id)
    if registration is None or not registration.email:
        return
    event = registration.event
    arguments = {"title": event.title, "when": _when(registration)}
    subject = _("Akce %(title)s se nekoná") % arguments
    text = _("Omlouváme se: akce %(title)s, %(when)s, se nekoná.") % arguments
    if event.is_cancelled and event.cancel_reason:
        text += "\n" + _("Důvod: %(reason)s") % {"reason": event.cancel_reason}
    body = f"{text}\n\n" + _("Pořadatel: %(organizer)s") % {"organizer": event.organization.name}
    _send(subject, body + "\n", [registration.email])


def reminder(registration_id) -> None:
    """Sent at once: the command claimed the registration outside any transaction."""
    _reminder(registration_id)


def _reminder(registration_id) -> None:
    registration = _fetch(registration_id)
    if registration is None or not registration.email:
        return
    event = registration.event
    arguments = {"title": event.title, "when": _when(registration), "place": event.public_place}
    subject = _("Připomínka: %(title)s, %(when)s") % arguments
    text = _("Připomínáme akci %(title)s, %(when)s. Místo: %(place)s.") % arguments
    text += "\n" + _("Pokud nemůžete přijít, přihlášku prosím zrušte, ať místo dostane další.")
    link = _manage_link(registration)
    _send(subject, f"{text}\n\n{_footer(registration, link)}\n", [registration.email])


# --- the organiser --------------------------------------------------------------------------


def _approval_needed(registration_id) -> None:
    registration = _fetch(registration_id)
    if registration is None or registration.status != Registration.Status.PENDING:
        return
    event: Event = registration.event
    User = get_user_model()
    emails = list(
        User.objects.filter(is_active=True, memberships__organization_id=event.organization_id)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not emails:
        return
    link = _absolute(reverse("events:manage_registrations", kwargs={"pk": event.pk}))
    subject = _("Spojka: nová přihláška na akci %(title)s čeká na schválení") % {
        "title": event.title
    }
    body = _(
        "Na akci %(title)s čeká přihláška na vaše schválení. Otevřete ji po přihlášení: %(link)s"
    ) % {
        "title": event.title,
        "link": link,
    }
    _send(subject, body + "\n", emails)

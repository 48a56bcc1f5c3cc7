"""Business rules of events. Each write is keyword-only and transactional, checks the
actor's right, audits what it does with personal data and sends e-mail after commit.

Capacity is guarded by locking the event's row (`select_for_update`) for the whole
transaction of a registration, cancellation or approval, so two people can never take the
last place at once; on SQLite the IMMEDIATE transactions of the settings do the same.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEntry
from directory.models import Organization
from events import notify, permissions, recurrence
from events.models import CancelledOccurrence, Event, Registration

# The portal's search calls it as events.services.events_for_search (it is a read).
from events.queries import events_for_search
from spojka.text import normalize

__all__ = [
    "AlreadyRegistered",
    "RegistrationClosed",
    "RegistrationResult",
    "anonymise_old_registrations",
    "approve_registration",
    "cancel_event",
    "cancel_occurrence",
    "cancel_registration",
    "create_event",
    "decline_registration",
    "events_for_search",
    "hash_token",
    "mark_attendance",
    "prepare_event",
    "refresh_search_document",
    "register",
    "registration_by_token",
    "send_reminders",
    "store_event",
    "token_for",
    "update_event",
]

CONSENT_TEXT_VERSION = "akce-2026-1"
ANONYMISED = "(anonymizováno)"
# Registrations are kept this long after their occurrence, then anonymised.
RETENTION_DAYS = 90
_TOKEN_SALT = "events.registration.manage"


class RegistrationClosed(ValidationError):
    """The event or the occurrence takes no registrations (cancelled, past, no such date)."""


class AlreadyRegistered(ValidationError):
    pass


@dataclass
class RegistrationResult:
    registration: Registration
    token: str  # the secret of the person's link; never stored, only its hash

    @property
    def status(self) -> str:
        return self.registration.status


# --- tokens ---------------------------------------------------------------------------------


def _token(registration_id, secret) -> str:
    return salted_hmac(
        _TOKEN_SALT, str(registration_id), secret=secret, algorithm="sha256"
    ).hexdigest()[:48]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_for(registration: Registration) -> str:
    """The person's link token, derived again for a later e-mail (promotion, reminder).

    Only its hash is stored. It is an HMAC of the registration's id, so it can be derived
    again; after a SECRET_KEY rotation the old key in SECRET_KEY_FALLBACKS still finds it.
    """
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        token = _token(registration.pk, secret)
        if hash_token(token) == registration.token_hash:
            return token
    return ""


def registration_by_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return (
        Registration.objects.select_related(
            "event__territory", "event__organization", "event__location__municipality"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )


# --- events ---------------------------------------------------------------------------------

EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "territory",
    "place_kind",
    "location",
    "municipality",
    "online_url",
    "place_note",
    "is_free",
    "price_text",
    "price_amount",
    "capacity",
    "registration",
    "start",
    "end",
    "rrule",
)


def _validate_event(event: Event) -> None:
    errors: dict[str, str] = {}
    if event.end <= event.start:
        errors["end"] = _("Konec akce musí být po jejím začátku.")
    if event.place_kind == Event.PlaceKind.LOCATION:
        if event.location is None:
            errors["location"] = _("Vyberte místo organizace.")
        elif event.location.organization_id != event.organization_id:
            errors["location"] = _("Vybrané místo nepatří pořadateli akce.")
    elif event.place_kind == Event.PlaceKind.MUNICIPALITY and event.municipality is None:
        errors["municipality"] = _("Vyberte obec, kde se akce koná.")
    elif event.place_kind == Event.PlaceKind.ONLINE and not event.online_url:
        errors["online_url"] = _("Vložte odkaz na online setkání.")
    if not event.is_free and not event.price_text and event.price_amount is None:
        errors["price_text"] = _("Napište, kolik akce stojí, nebo zaškrtněte „zdarma“.")
    if event.rrule:
        try:
            last = recurrence.last(event.start, event.rrule)
        except (ValueError, TypeError):
            last = None
        if last is None:
            errors["rrule"] = _("Pravidlo opakování nedává žádný termín.")
        elif last - event.start > timedelta(days=recurrence.MAX_SERIES_DAYS):
            errors["rrule"] = _("Opakovaná akce může běžet nejvýš dva roky.")
    if errors:
        raise ValidationError(errors)


def _derive(event: Event) -> None:
    """The derived fields: the start moved to the first occurrence (RFC 5545 counts DTSTART
    as one, dateutil does not when it misses the rule's days) and the end of the series."""
    if event.rrule:
        first = recurrence.first(event.start, event.rrule)
        if first is not None and first != event.start:
            event.end = recurrence.occurrence_end(first, event.start, event.end)
            event.start = first
    last = recurrence.last(event.start, event.rrule) or event.start
    event.series_end = recurrence.occurrence_end(last, event.start, event.end)


def _refresh_search_document(event: Event) -> None:
    parts = [
        event.title,
        event.description,
        event.get_kind_display(),
        *(g.name for g in event.target_groups.all()),
        *(s.name for s in event.life_situations.all()),
    ]
    Event.objects.filter(pk=event.pk).update(search_document=normalize(" ".join(parts)))


def prepare_event(event: Event) -> None:
    """Validate an event and fill its derived fields (before any save, the admin's too)."""
    _validate_event(event)
    _derive(event)


def refresh_search_document(event: Event) -> None:
    """After the event and its groups and situations are saved."""
    _refresh_search_document(event)


def store_event(event: Event, *, target_groups=(), life_situations=()) -> Event:
    """Validate and save a whole event with its derived fields, without a permission check:
    for trusted callers only (create_event below, the demo loader)."""
    prepare_event(event)
    event.save()
    event.target_groups.set(target_groups)
    event.life_situations.set(life_situations)
    _refresh_search_document(event)
    event.refresh_from_db()
    return event


@transaction.atomic
def create_event(
    *, actor, organization: Organization, target_groups=(), life_situations=(), **fields
) -> Event:
    if not permissions.can_manage_organization_events(actor, organization):
        raise PermissionDenied
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    event = Event(organization=organization, created_by=actor, **fields)
    return store_event(event, target_groups=target_groups, life_situations=life_situations)


@transaction.atomic
def update_event(
    *, actor, event: Event, target_groups=None, life_situations=None, **fields
) -> Event:
    """Change an event. Its dates may change only so that every active registration of a
    coming occurrence still has its date (extending a series is fine, moving it is not);
    when capacity grows, people on the waitlists move up."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    for name, value in fields.items():
        setattr(event, name, value)
    _validate_event(event)
    _derive(event)
    now = timezone.now()
    orphaned = sorted(
        {
            start
            for start in Registration.objects.active()
            .filter(event=event, occurrence_start__gt=now)
            .values_list("occurrence_start", flat=True)
            if not recurrence.is_occurrence(event.start, event.rrule, start)
        }
    )
    if orphaned:
        dates = ", ".join(
            recurrence.local(start).strftime("%d. %m. %Y %H:%M") for start in orphaned
        )
        raise ValidationError(
            _(
                "Termíny nelze takto změnit: na tyto termíny jsou přihlášení lidé a po změně "
                "by zmizely: %(dates)s. Zrušte raději jednotlivé termíny nebo celou akci."
            )
            % {"dates": dates}
        )
    event.updated_at = now
    event.save(update_fields={*fields, "start", "end", "series_end", "updated_at"})
    if target_groups is not None:
        event.target_groups.set(target_groups)
    if life_situations is not None:
        event.life_situations.set(life_situations)
    _refresh_search_document(event)
    coming = (
        Registration.objects.filter(
            event=event, status=Registration.Status.WAITLISTED, occurrence_start__gt=now
        )
        .values_list("occurrence_start", flat=True)
        .distinct()
    )
    for start in sorted(set(coming)):
        _fill_free_places(event, start, now=now)
    event.refresh_from_db()
    return event


@transaction.atomic
def cancel_event(*, actor, event: Event, reason: str = "") -> Event:
    """Cancel the whole event; everyone registered for a coming date is told by e-mail."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        return event
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        status=Event.Status.CANCELLED, cancel_reason=reason[:300], updated_at=now
    )
    affected = list(
        Registration.objects.active()
        .filter(event=event, occurrence_start__gt=now)
        .values_list("id", flat=True)
    )
    notify.occurrence_cancelled(affected)
    event.refresh_from_db()
    return event


@transaction.atomic
def cancel_occurrence(*, actor, event: Event, occurrence_start: datetime) -> CancelledOccurrence:
    """One date of a recurring event will not take place; those registered are told."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not recurrence.is_occurrence(event.start, event.rrule, occurrence_start):
        raise ValidationError(_("Akce tento termín nemá."))
    if occurrence_start <= timezone.now():
        raise ValidationError(_("Termín, který už začal, nelze zrušit."))
    cancelled, created = CancelledOccurrence.objects.get_or_create(
        event=event, occurrence_start=occurrence_start, defaults={"cancelled_by": actor}
    )
    if created:
        Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())
        affected = list(
            Registration.objects.active()
            .filter(event=event, occurrence_start=occurrence_start)
            .values_list("id", flat=True)
        )
        notify.occurrence_cancelled(affected)
    return cancelled


# --- registrations --------------------------------------------------------------------------


def _confirmed_count(event: Event, occurrence_start: datetime) -> int:
    return Registration.objects.filter(
        event=event, occurrence_start=occurrence_start, status=Registration.Status.CONFIRMED
    ).count()


def _has_room(event: Event, occurrence_start: datetime) -> bool:
    return event.capacity is None or _confirmed_count(event, occurrence_start) < event.capacity


def _check_open(event: Event, occurrence_start: datetime, now: datetime) -> None:
    if not event.takes_registrations:
        raise RegistrationClosed(_("Na tuto akci se nepřihlašuje."))
    if not recurrence.is_occurrence(event.start, event.rrule, occurrence_start):
        raise RegistrationClosed(_("Akce tento termín nemá."))
    if occurrence_start <= now:
        raise RegistrationClosed(_("Tento termín už začal, přihlásit se na něj nejde."))
    if CancelledOccurrence.objects.filter(event=event, occurrence_start=occurrence_start).exists():
        raise RegistrationClosed(_("Tento termín je zrušený."))


def register(
    *,
    event: Event,
    occurrence_start: datetime,
    name: str,
    email: str = "",
    phone: str = "",
    consent: bool,
    now: datetime | None = None,
) -> RegistrationResult:
    """A person signs up for one occurrence, without an account.

    Open mode: confirmed while there is room, otherwise on the waitlist. Approval mode:
    pending until the organiser decides. The person gets an e-mail with their link (if
    they left an e-mail); the link is also shown to them right away.
    """
    name = " ".join((name or "").split())
    email = (email or "").strip()
    phone = " ".join((phone or "").split())
    if not consent:
        raise ValidationError(_("Bez souhlasu se zpracováním údajů se přihlásit nejde."))
    if not name:
        raise ValidationError(_("Napište své jméno."))
    if not email and not phone:
        raise ValidationError(_("Napište e-mail nebo telefon, ať vám můžeme dát vědět o změnách."))
    with transaction.atomic():
        now = now or timezone.now()
        # The lock serialises everyone registering for this event: the count below and the
        # insert after it cannot interleave with another registration.
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_open(event, occurrence_start, now)
        same_contact = Q()
        if email:
            same_contact |= Q(email__iexact=email)
        if phone:
            same_contact |= Q(phone=phone)
        if (
            Registration.objects.active()
            .filter(event=event, occurrence_start=occurrence_start)
            .filter(same_contact)
            .exists()
        ):
            raise AlreadyRegistered(
                _("Na tento termín už je přihláška s tímto kontaktem. Odkaz na ni máte v e-mailu.")
            )
        if event.registration == Event.RegistrationMode.APPROVAL:
            status = Registration.Status.PENDING
        elif _has_room(event, occurrence_start):
            status = Registration.Status.CONFIRMED
        else:
            status = Registration.Status.WAITLISTED
        registration_id = uuid.uuid4()
        token = _token(registration_id, settings.SECRET_KEY)
        registration = Registration.objects.create(
            id=registration_id,
            event=event,
            organization_id=event.organization_id,
            occurrence_start=occurrence_start,
            name=name[:200],
            email=email,
            phone=phone,
            status=status,
            token_hash=hash_token(token),
            consent_text_version=CONSENT_TEXT_VERSION,
            consent_given_at=now,
            created_at=now,
            updated_at=now,
        )
        audit.record(actor=None, action=AuditEntry.Action.CREATE, obj=registration)
        notify.registration_received(registration.pk, token)
    return RegistrationResult(registration=registration, token=token)


def _fill_free_places(event: Event, occurrence_start: datetime, *, now: datetime) -> list:
    """Move people up from the waitlist while there is room (the caller holds the lock)."""
    if event.is_cancelled or occurrence_start <= now:
        return []
    if CancelledOccurrence.objects.filter(event=event, occurrence_start=occurrence_start).exists():
        return []
    waiting = Registration.objects.filter(
        event=event, occurrence_start=occurrence_start, status=Registration.Status.WAITLISTED
    ).order_by("created_at", "id")
    if event.capacity is not None:
        room = event.capacity - _confirmed_count(event, occurrence_start)
        if room <= 0:
            return []
        waiting = waiting[:room]
    promoted = list(waiting)
    for registration in promoted:
        Registration.objects.filter(pk=registration.pk).update(
            status=Registration.Status.CONFIRMED, promoted_at=now, updated_at=now
        )
        audit.record(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            obj=registration,
            reason="waitlist_promotion",
        )
        notify.promoted(registration.pk)
    return promoted


@dataclass
class CancelResult:
    registration: Registration
    promoted: list


def cancel_registration(
    *, registration: Registration, actor=None, via: str = "web"
) -> CancelResult:
    """The person (by their link) or the organiser cancels; the place goes to the first
    person on the waitlist, in the same transaction, and they are told by e-mail."""
    if actor is not None and not permissions.can_manage_event(actor, registration.event):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status not in Registration.ACTIVE:
            return CancelResult(registration=registration, promoted=[])
        freed = registration.status == Registration.Status.CONFIRMED
        Registration.objects.filter(pk=registration.pk).update(
            status=Registration.Status.CANCELLED, cancelled_at=now, updated_at=now
        )
        registration.refresh_from_db()
        audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=registration, via=via)
        promoted = _fill_free_places(event, registration.occurrence_start, now=now) if freed else []
    return CancelResult(registration=registration, promoted=promoted)


def _organiser_change(actor, registration: Registration) -> tuple[Event, Registration]:
    if not permissions.can_manage_event(actor, registration.event):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    return event, Registration.objects.get(pk=registration.pk)


@transaction.atomic
def approve_registration(*, actor, registration: Registration) -> Registration:
    """Approve a pending registration: confirmed when there is room, else waitlisted."""
    event, registration = _organiser_change(actor, registration)
    if registration.status != Registration.Status.PENDING:
        raise ValidationError(_("Schválit lze jen přihlášku, která na schválení čeká."))
    now = timezone.now()
    room = _has_room(event, registration.occurrence_start)
    status = Registration.Status.CONFIRMED if room else Registration.Status.WAITLISTED
    Registration.objects.filter(pk=registration.pk).update(status=status, updated_at=now)
    registration.refresh_from_db()
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=registration)
    notify.decided(registration.pk)
    return registration


@transaction.atomic
def decline_registration(*, actor, registration: Registration) -> Registration:
    _event, registration = _organiser_change(actor, registration)
    if registration.status not in (Registration.Status.PENDING, Registration.Status.WAITLISTED):
        raise ValidationError(_("Odmítnout lze jen přihlášku, která čeká."))
    Registration.objects.filter(pk=registration.pk).update(
        status=Registration.Status.DECLINED, updated_at=timezone.now()
    )
    registration.refresh_from_db()
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=registration)
    notify.decided(registration.pk)
    return registration


@transaction.atomic
def mark_attendance(*, actor, registration: Registration, attended: bool | None) -> Registration:
    _event, registration = _organiser_change(actor, registration)
    Registration.objects.filter(pk=registration.pk).update(
        attended=attended, updated_at=timezone.now()
    )
    registration.refresh_from_db()
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=registration)
    return registration


# --- background work ------------------------------------------------------------------------


def send_reminders(*, hours: int = 24, now: datetime | None = None) -> int:
    """E-mail everyone confirmed for an occurrence that starts within `hours`, once.

    Each registration is claimed with a conditional update (reminded_at was empty), so two
    runs at once never send the same reminder twice.
    """
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
            occurrence_start__gt=now,
            occurrence_start__lte=now + timedelta(hours=hours),
            event__status=Event.Status.PUBLISHED,
        )
        .exclude(email="")
        .values_list("id", "event_id", "occurrence_start", "organization_id")
    )
    due = list(due)
    cancelled = set(
        CancelledOccurrence.objects.filter(event_id__in={row[1] for row in due}).values_list(
            "event_id", "occurrence_start"
        )
    )
    sent = 0
    for registration_id, event_id, start, organization_id in due:
        if (event_id, start) in cancelled:
            continue
        claimed = Registration.objects.filter(pk=registration_id, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if claimed != 1:
            continue
        audit.record(
            actor=None,
            action=AuditEntry.Action.READ,
            object_type="events.registration",
            object_id=str(registration_id),
            organization_id=organization_id,
            reason="reminder",
            via="command",
        )
        notify.reminder(registration_id)
        sent += 1
    return sent


@transaction.atomic
def anonymise_old_registrations(*, days: int = RETENTION_DAYS, now: datetime | None = None) -> int:
    """Erase names and contacts of registrations whose occurrence ended `days` ago; the
    counts (how many came) stay."""
    now = now or timezone.now()
    old = Registration.objects.filter(occurrence_start__lt=now - timedelta(days=days)).exclude(
        name=ANONYMISED
    )
    by_org: dict = {}
    for pk, org_id in old.values_list("id", "organization_id"):
        by_org.setdefault(org_id, []).append(str(pk))
    count = old.update(name=ANONYMISED, email="", phone="", updated_at=now)
    for org_id, ids in by_org.items():
        audit.record(
            actor=None,
            action=AuditEntry.Action.DELETE,
            object_type="events.registration",
            object_ids=ids,
            organization_id=org_id,
            count=len(ids),
            reason="retention",
            via="command",
        )
    return count

"""Business rules of the referral loop. Each function is keyword-only, transactional,
checks the actor's right through `referrals.permissions`, audits what it touches and
notifies after commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEntry, TerritoryCoordinator
from directory.models import Organization, Service
from referrals import permissions
from referrals.models import (
    WORKER_ROLES,
    ConfidentialNote,
    Consent,
    HelpRequest,
    Notification,
    Person,
    Referral,
    ReferralEvent,
    ReferralMessage,
    ReferralSettings,
)
from referrals.notify import members, notify
from territory.models import Municipality, Territory

CONSENT_TEXT_VERSION = "2026-1"
ANONYMISED = "(anonymizováno)"


class ReferralConflict(Exception):
    """Someone else changed the referral since the actor loaded it."""


class NoValidConsent(ValidationError):
    pass


def settings_for(territory: Territory | None) -> ReferralSettings:
    if territory is None:
        return ReferralSettings(answer_within_days=5, remind_days_before=1)
    found = ReferralSettings.objects.filter(territory=territory).first()
    return found or ReferralSettings(territory=territory)


# --- help requests -------------------------------------------------------------------------


@transaction.atomic
def create_help_request(
    *,
    territory: Territory,
    situation: str,
    name: str,
    contact_method: str,
    contact: str = "",
    municipality: Municipality | None = None,
    service: Service | None = None,
) -> HelpRequest:
    """A resident asks for help; it lands in the service's organisation's or the territory's
    intake queue and its workers are notified."""
    if service is not None:
        organization = service.organization
    else:
        organization = settings_for(territory).intake_organization
        if organization is None:
            raise ValidationError(
                _("Území zatím nemá nastavenou organizaci, která přijímá žádosti.")
            )
    request = HelpRequest.objects.create(
        territory=territory,
        organization=organization,
        service=service,
        situation=situation,
        name=name,
        contact_method=contact_method,
        contact=contact,
        municipality=municipality,
        consent_text_version=CONSENT_TEXT_VERSION,
        consent_given_at=timezone.now(),
    )
    audit.record(actor=None, action=AuditEntry.Action.CREATE, obj=request, via="web")
    notify(
        members(organization.pk, WORKER_ROLES),
        kind=Notification.Kind.HELP_REQUEST,
        help_request=request,
    )
    return request


@transaction.atomic
def take_help_request(*, actor, help_request: HelpRequest) -> HelpRequest:
    if not permissions.can_record_persons(actor, help_request.organization):
        raise PermissionDenied
    HelpRequest.objects.filter(pk=help_request.pk).update(
        status=HelpRequest.Status.IN_PROGRESS, assigned_to=actor
    )
    help_request.refresh_from_db()
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=help_request)
    return help_request


@transaction.atomic
def close_help_request(*, actor, help_request: HelpRequest) -> HelpRequest:
    if not permissions.can_record_persons(actor, help_request.organization):
        raise PermissionDenied
    HelpRequest.objects.filter(pk=help_request.pk).update(
        status=HelpRequest.Status.CLOSED, closed_at=timezone.now()
    )
    help_request.refresh_from_db()
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=help_request)
    return help_request


# --- persons and consent -------------------------------------------------------------------


@transaction.atomic
def record_person(
    *,
    actor,
    organization: Organization,
    name: str,
    birth_year: int | None = None,
    municipality: Municipality | None = None,
    phone: str = "",
    email: str = "",
    is_pseudonym: bool = False,
    help_request: HelpRequest | None = None,
    via: str = "web",
) -> Person:
    if not permissions.can_record_persons(actor, organization):
        raise PermissionDenied
    this_year = timezone.now().year
    if birth_year is not None and not (this_year - 120 <= birth_year <= this_year):
        raise ValidationError(
            {"birth_year": _("Rok narození %(year)s není možný.") % {"year": birth_year}}
        )
    person = Person.objects.create(
        organization=organization,
        name=name,
        is_pseudonym=is_pseudonym,
        birth_year=birth_year,
        municipality=municipality,
        phone=phone,
        email=email,
        created_by=actor,
    )
    if help_request is not None:
        if help_request.organization_id != organization.pk:
            raise PermissionDenied
        HelpRequest.objects.filter(pk=help_request.pk).update(
            person=person, status=HelpRequest.Status.IN_PROGRESS, assigned_to=actor
        )
    audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=person, via=via)
    return person


@transaction.atomic
def update_person(*, actor, person: Person, via: str = "web", **changes) -> Person:
    """Correction of a person's record (GDPR art. 16)."""
    if not permissions.can_record_persons(actor, person.organization):
        raise PermissionDenied
    allowed = {"name", "is_pseudonym", "birth_year", "municipality", "phone", "email"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("Neznámé pole: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for field, value in changes.items():
        setattr(person, field, value)
    person.save(update_fields=[*changes, "updated_at"])
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=person, via=via)
    return person


@transaction.atomic
def record_consent(
    *,
    actor,
    person: Person,
    purpose: str,
    given_by: str,
    scope: list[str] | None = None,
    legal_basis: str = Consent.LegalBasis.CONSENT,
    witness: str = "",
    expires_at: datetime | None = None,
    share_with: list[Organization] | None = None,
    via: str = "web",
) -> Consent:
    if not permissions.can_record_persons(actor, person.organization):
        raise PermissionDenied
    if purpose not in Consent.Purpose.values:
        raise ValidationError({"purpose": _("Neznámý účel souhlasu „%(v)s“.") % {"v": purpose}})
    if given_by not in Consent.GivenBy.values:
        raise ValidationError({"given_by": _("Neznámá hodnota „%(v)s“.") % {"v": given_by}})
    if given_by == Consent.GivenBy.VERBAL_WITNESSED and not witness.strip():
        raise ValidationError({"witness": _("U ústního souhlasu uveďte svědka.")})
    scope = list(scope) if scope is not None else list(Consent.SHAREABLE)
    bad = [item for item in scope if item not in Consent.SHAREABLE]
    if bad:
        raise ValidationError(
            {"scope": _("Neznámé položky rozsahu: %(v)s") % {"v": ", ".join(bad)}}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Platnost souhlasu musí skončit v budoucnosti.")})
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        scope=scope,
        legal_basis=legal_basis,
        given_by=given_by,
        witness=witness,
        expires_at=expires_at,
        recorded_by=actor,
    )
    if share_with:
        consent.share_with.set(share_with)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=consent,
        organization_id=person.organization_id,
        via=via,
    )
    return consent


@transaction.atomic
def withdraw_consent(*, actor, consent: Consent, via: str = "web") -> Consent:
    if not permissions.can_record_persons(actor, consent.person.organization):
        raise PermissionDenied
    Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    consent.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=consent,
        organization_id=consent.person.organization_id,
        via=via,
    )
    return consent


@transaction.atomic
def add_note(*, actor, person: Person, text: str) -> ConfidentialNote:
    if not permissions.can_record_persons(actor, person.organization):
        raise PermissionDenied
    note = ConfidentialNote.objects.create(person=person, author=actor, text=text)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=note,
        organization_id=person.organization_id,
    )
    return note


def valid_referral_consent(person: Person, organization: Organization) -> Consent | None:
    """The newest valid consent to a referral that allows sharing with `organization`."""
    for consent in person.consents.filter(purpose=Consent.Purpose.REFERRAL).prefetch_related(
        "share_with"
    ):
        if not consent.is_valid():
            continue
        allowed = list(consent.share_with.all())
        if not allowed or organization in allowed:
            return consent
    return None


# --- referrals -----------------------------------------------------------------------------


def _event(referral, *, actor, organization, from_status, to_status, reason="", comment=""):
    return ReferralEvent.objects.create(
        referral=referral,
        actor=actor,
        organization=organization,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        comment=comment,
    )


@transaction.atomic
def create_referral(
    *,
    actor,
    person: Person,
    service: Service,
    note: str = "",
    help_request: HelpRequest | None = None,
    territory: Territory | None = None,
    send: bool = True,
    via: str = "web",
) -> Referral:
    """Refer a person to a service of another (or the same) organisation.

    Refused without a valid consent to referral that covers the receiving organisation.
    """
    if not permissions.can_refer(actor, person):
        raise PermissionDenied
    if person.anonymised_at is not None:
        raise ValidationError(_("Anonymizovanou osobu nelze předat."))
    if service.status != Service.Status.ACTIVE:
        raise ValidationError({"service": _("Služba se právě neposkytuje.")})
    consent = valid_referral_consent(person, service.organization)
    if consent is None:
        raise NoValidConsent(
            _(
                "Osoba nedala platný souhlas s předáním do služby %(service)s; "
                "zaznamenejte nejdřív souhlas s účelem „předání do jiné služby“."
            )
            % {"service": service.name}
        )
    if territory is None and help_request is not None:
        territory = help_request.territory
    now = timezone.now()
    referral = Referral.objects.create(
        person=person,
        consent=consent,
        territory=territory,
        help_request=help_request,
        from_organization=person.organization,
        to_organization=service.organization,
        service=service,
        created_by=actor,
        note=note,
        status=Referral.Status.DRAFT,
        created_at=now,
        updated_at=now,
    )
    _event(
        referral,
        actor=actor,
        organization=person.organization,
        from_status="",
        to_status=Referral.Status.DRAFT,
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=referral,
        organization_id=person.organization_id,
        via=via,
    )
    if send:
        referral = transition_referral(
            actor=actor, referral=referral, to=Referral.Status.SENT, via=via
        )
    return referral


@transaction.atomic
def transition_referral(
    *,
    actor,
    referral: Referral,
    to: str,
    expected_version: int | None = None,
    reason: str = "",
    outcome: str = "",
    comment: str = "",
    via: str = "web",
    system: bool = False,
) -> Referral:
    """Move a referral to another status, with who, when and why.

    Two people changing the same referral at once: the row is locked and its version
    compared, so the second change fails with ReferralConflict instead of overwriting.
    """
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ReferralConflict(_("Předání mezitím změnil někdo jiný; načtěte ho znovu."))
    if to not in Referral.Status.values:
        raise ValidationError({"to": _("Neznámý stav „%(v)s“.") % {"v": to}})
    if system:
        allowed = permissions.SYSTEM_TRANSITIONS.get(locked.status, set())
    else:
        allowed = permissions.allowed_transitions(actor, locked)
    if to not in allowed:
        if not system and not permissions.can_view_referral(actor, locked):
            raise PermissionDenied
        raise ValidationError(
            {
                "to": _("Předání ve stavu „%(from)s“ nelze změnit na „%(to)s“.")
                % {"from": locked.get_status_display(), "to": Referral.Status(to).label}
            }
        )
    if to == Referral.Status.DECLINED and reason not in Referral.DeclineReason.values:
        raise ValidationError({"reason": _("Vyberte důvod odmítnutí ze seznamu.")})
    if to == Referral.Status.COMPLETED and outcome not in Referral.Outcome.values:
        raise ValidationError({"outcome": _("Vyberte výsledek ze seznamu.")})
    now = timezone.now()
    fields = {"status": to, "version": F("version") + 1, "updated_at": now}
    if to == Referral.Status.SENT:
        days = settings_for(locked.territory).answer_within_days
        fields["respond_by"] = now + timedelta(days=days)
    if to == Referral.Status.DECLINED:
        fields["decline_reason"] = reason
    if to == Referral.Status.COMPLETED:
        fields["outcome"] = outcome
    Referral.objects.filter(pk=locked.pk).update(**fields)
    acting_org = (
        (
            locked.to_organization
            if permissions.is_receiver(actor, locked)
            and to in {"accepted", "declined", "in_progress", "completed", "closed"}
            else locked.from_organization
        )
        if not system
        else None
    )
    _event(
        locked,
        actor=None if system else actor,
        organization=acting_org,
        from_status=locked.status,
        to_status=to,
        reason=reason or outcome,
        comment=comment,
    )
    locked.refresh_from_db()
    if not system:
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=locked,
            organization_id=locked.from_organization_id,
            via=via,
        )
    if to == Referral.Status.SENT:
        notify(
            members(
                locked.to_organization_id,
                ("provider_admin", "provider_staff", "social_worker", "community_worker"),
            ),
            kind=Notification.Kind.REFERRAL_RECEIVED,
            referral=locked,
            exclude=actor,
        )
    else:
        other = (
            locked.from_organization_id
            if acting_org is not None and acting_org.pk == locked.to_organization_id
            else locked.to_organization_id
        )
        notify(
            members(other, (*WORKER_ROLES, "provider_staff")),
            kind=Notification.Kind.REFERRAL_CHANGED,
            referral=locked,
            exclude=actor,
        )
    return locked


@transaction.atomic
def post_message(*, actor, referral: Referral, text: str, via: str = "web") -> ReferralMessage:
    if not permissions.can_message(actor, referral):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Zpráva je prázdná.")})
    org_id = (
        referral.to_organization_id
        if permissions.is_receiver(actor, referral) and not permissions.is_sender(actor, referral)
        else referral.from_organization_id
    )
    message = ReferralMessage.objects.create(
        referral=referral, author=actor, organization_id=org_id, text=text
    )
    Referral.objects.filter(pk=referral.pk).update(updated_at=timezone.now())
    other = (
        referral.from_organization_id
        if org_id == referral.to_organization_id
        else referral.to_organization_id
    )
    notify(
        members(other, (*WORKER_ROLES, "provider_staff")),
        kind=Notification.Kind.MESSAGE,
        referral=referral,
        exclude=actor,
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=message,
        organization_id=referral.from_organization_id,
        via=via,
    )
    return message


@dataclass
class DeadlineSummary:
    reminded: int = 0
    expired: int = 0
    escalated: int = 0


def process_deadlines(*, now: datetime | None = None) -> DeadlineSummary:
    """Remind receivers before the deadline; expire and escalate to the coordinator after."""
    now = now or timezone.now()
    summary = DeadlineSummary()
    sent = Referral.objects.filter(status=Referral.Status.SENT, respond_by__isnull=False)
    for referral in sent.filter(respond_by__gt=now, reminded_at__isnull=True).select_related(
        "territory"
    ):
        days = settings_for(referral.territory).remind_days_before
        if referral.respond_by - timedelta(days=days) <= now:
            with transaction.atomic():
                if Referral.objects.filter(pk=referral.pk, reminded_at__isnull=True).update(
                    reminded_at=now
                ):
                    notify(
                        members(
                            referral.to_organization_id,
                            ("provider_admin", "provider_staff", "social_worker"),
                        ),
                        kind=Notification.Kind.REMINDER,
                        referral=referral,
                    )
                    summary.reminded += 1
    for referral in sent.filter(respond_by__lte=now).select_related("territory"):
        with transaction.atomic():
            referral = transition_referral(
                actor=None, referral=referral, to=Referral.Status.EXPIRED, system=True
            )
            Referral.objects.filter(pk=referral.pk).update(escalated_at=now)
            summary.expired += 1
            coordinators = (
                [
                    c.user
                    for c in TerritoryCoordinator.objects.filter(
                        territory=referral.territory
                    ).select_related("user")
                ]
                if referral.territory_id
                else []
            )
            if coordinators:
                notify(coordinators, kind=Notification.Kind.ESCALATION, referral=referral)
                summary.escalated += 1
    return summary


# --- GDPR ----------------------------------------------------------------------------------


def subject_access_export(*, actor, person: Person, via: str = "web") -> dict:
    """Everything Spojka holds about a person (GDPR art. 15), as plain data."""
    if not permissions.can_view_person(actor, person):
        raise PermissionDenied
    audit.record(actor=actor, action=AuditEntry.Action.EXPORT, obj=person, via=via)
    return {
        "person": {
            "id": str(person.id),
            "name": person.name,
            "is_pseudonym": person.is_pseudonym,
            "birth_year": person.birth_year,
            "municipality": str(person.municipality) if person.municipality_id else None,
            "phone": person.phone,
            "email": person.email,
            "organization": person.organization.name,
            "created_at": person.created_at.isoformat(),
        },
        "consents": [
            {
                "purpose": c.get_purpose_display(),
                "scope": c.scope,
                "legal_basis": c.get_legal_basis_display(),
                "given_by": c.get_given_by_display(),
                "given_at": c.given_at.isoformat(),
                "expires_at": c.expires_at.isoformat() if c.expires_at else None,
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in person.consents.all()
        ],
        "notes": [
            {"created_at": n.created_at.isoformat(), "text": n.text} for n in person.notes.all()
        ],
        "help_requests": [
            {
                "created_at": h.created_at.isoformat(),
                "situation": h.situation,
                "status": h.get_status_display(),
            }
            for h in person.help_requests.all()
        ],
        "referrals": [
            {
                "service": r.service.name,
                "to_organization": r.to_organization.name,
                "status": r.get_status_display(),
                "created_at": r.created_at.isoformat(),
                "note": r.note,
                "history": [
                    {"at": e.at.isoformat(), "from": e.from_status, "to": e.to_status}
                    for e in r.events.all()
                ],
            }
            for r in person.referrals.select_related("service", "to_organization")
        ],
    }


@transaction.atomic
def anonymise_person(
    *, actor, person: Person | None = None, via: str = "web", person_id=None
) -> Person:
    """Erasure (GDPR art. 17) by anonymisation: rows stay, so counts do not change.

    The birth year is cut to its five-year band, which keeps age statistics and no longer
    singles anyone out; the obec stays for territorial statistics.
    """
    person = person or Person.objects.get(pk=person_id)
    if actor is not None and not permissions.can_record_persons(actor, person.organization):
        raise PermissionDenied
    now = timezone.now()
    Person.objects.filter(pk=person.pk).update(
        name=ANONYMISED,
        is_pseudonym=True,
        phone="",
        email="",
        birth_year=(person.birth_year // 5 * 5) if person.birth_year else None,
        anonymised_at=now,
    )
    ConfidentialNote.objects.filter(person=person).delete()
    HelpRequest.objects.filter(person=person).update(
        situation=ANONYMISED, name=ANONYMISED, contact="", anonymised_at=now
    )
    Referral.objects.filter(person=person).update(note=ANONYMISED)
    ReferralMessage.objects.filter(referral__person=person).update(text=ANONYMISED)
    Consent.objects.filter(person=person).update(witness="")
    audit.record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=person,
        via=via if actor is not None else "command",
    )
    person.refresh_from_db()
    return person


@dataclass
class RetentionSummary:
    persons: int = 0
    help_requests: int = 0


def apply_retention(
    *, person_days: int, request_days: int, now: datetime | None = None
) -> RetentionSummary:
    """Anonymise persons without activity for `person_days` and unanswered help requests
    closed or untouched for `request_days`."""
    now = now or timezone.now()
    summary = RetentionSummary()
    person_cutoff = now - timedelta(days=person_days)
    stale = (
        Person.objects.filter(anonymised_at__isnull=True, updated_at__lt=person_cutoff)
        .exclude(referrals__updated_at__gte=person_cutoff)
        .exclude(referrals__status__in=Referral.OPEN_STATUSES)
    )
    for person_id in stale.values_list("id", flat=True).distinct():
        anonymise_person(actor=None, person_id=person_id, via="command")
        summary.persons += 1
    request_cutoff = now - timedelta(days=request_days)
    old_requests = HelpRequest.objects.filter(
        anonymised_at__isnull=True, person__isnull=True, created_at__lt=request_cutoff
    )
    summary.help_requests = old_requests.update(
        situation=ANONYMISED,
        name=ANONYMISED,
        contact="",
        anonymised_at=now,
        status=HelpRequest.Status.CLOSED,
    )
    return summary

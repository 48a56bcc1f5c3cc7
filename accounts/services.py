"""Business rules of provider self-service and territory coordination.

Each function is keyword-only, runs in one transaction, checks that the acting user may do
what it does (views fetch through `accounts.permissions` already; the check here keeps a
future caller, such as the API, from skipping it), saves with `update_fields`, and
recomputes what is derived from the changed data (coverage and search text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import Membership
from directory.models import Location, Organization, Schedule, Service, ServiceAtLocation
from directory.services import refresh_service
from territory.models import Municipality, Territory

SERVICE_FIELDS = (
    "name",
    "description",
    "eligibility",
    "application_process",
    "fees_description",
    "is_free",
    "email",
    "phone",
    "url",
    "status",
)
SERVICE_M2M_FIELDS = ("forms", "target_groups", "age_groups")
ORGANIZATION_FIELDS = ("name", "ico", "email", "website", "phone", "description")
LOCATION_FIELDS = (
    "name",
    "street",
    "city",
    "postal_code",
    "municipality",
    "latitude",
    "longitude",
    "accessibility",
    "transport",
    "address_hidden",
)
TERRITORY_TEXT_FIELDS = (
    "intro",
    "about",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
    "contact_hours",
)
SEAT_LOCATION_NAME = "Sídlo organizace"


def _assign(obj, fields: Iterable[str], data: Mapping[str, Any]) -> list[str]:
    """Set the given fields present in `data`; return the names of those that changed."""
    changed = []
    for name in fields:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    return changed


# --- Services, organisations, locations, schedules --------------------------------------


@transaction.atomic
def update_service(*, service: Service, by, data: Mapping[str, Any]) -> Service:
    """Change a service's descriptive fields and code lists, then refresh its search text."""
    if not permissions.can_edit_service(by, service):
        raise PermissionDenied
    # A ModelForm may have set the new values on the instance already; compare with the row.
    stored = Service.objects.get(pk=service.pk)
    changed = _assign(stored, SERVICE_FIELDS, data)
    if changed:
        stored.save(update_fields=[*changed, "updated_at"])
    for name in SERVICE_M2M_FIELDS:
        if name in data:
            getattr(stored, name).set(data[name])
    refresh_service(stored)
    return stored


@transaction.atomic
def update_organization(*, organization: Organization, by, data: Mapping[str, Any]) -> Organization:
    if not permissions.can_edit_organization(by, organization):
        raise PermissionDenied
    stored = Organization.objects.get(pk=organization.pk)
    changed = _assign(stored, ORGANIZATION_FIELDS, data)
    if changed:
        stored.save(update_fields=[*changed, "updated_at"])
    if "name" in changed:
        # The provider's name is part of each service's search document.
        for service in stored.services.all():
            refresh_service(service)
    return stored


@transaction.atomic
def save_location(
    *,
    organization: Organization,
    by,
    data: Mapping[str, Any],
    location: Location | None = None,
    services: Iterable[Service] | None = None,
) -> Location:
    """Create (`location=None`) or change a place of the organisation.

    `services`, when given, are the services given at this place; services the user may
    not edit keep their link as it was. Every service whose places changed gets its
    coverage recomputed.
    """
    if not permissions.can_edit_organization(by, organization):
        raise PermissionDenied
    if location is None:
        location = Location.objects.create(
            organization=organization, **{k: data[k] for k in LOCATION_FIELDS if k in data}
        )
        affected: set = set()
        moved = True
    else:
        if location.organization_id != organization.pk:
            raise PermissionDenied
        location = Location.objects.get(pk=location.pk)
        changed = _assign(location, LOCATION_FIELDS, data)
        if changed:
            location.save(update_fields=changed)
        affected = set(location.services.values_list("pk", flat=True))
        moved = "municipality" in changed
    if services is not None:
        allowed = set(
            permissions.editable_services(by)
            .filter(organization=organization)
            .values_list("pk", flat=True)
        )
        chosen = {s.pk for s in services}
        if not chosen <= allowed:
            raise PermissionDenied
        current = set(location.services.values_list("pk", flat=True))
        wanted = (current - allowed) | chosen
        ServiceAtLocation.objects.filter(location=location).exclude(service_id__in=wanted).delete()
        ServiceAtLocation.objects.bulk_create(
            [ServiceAtLocation(service_id=pk, location=location) for pk in wanted - current]
        )
        affected = (affected if moved else set()) | (current ^ wanted)
    elif not moved:
        affected = set()
    for service in Service.objects.filter(pk__in=affected):
        refresh_service(service)
    return location


@dataclass(frozen=True)
class ScheduleRow:
    """One line of a service's opening hours; `schedule=None` is a new line."""

    schedule: Schedule | None
    weekday: int | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    note: str = ""
    delete: bool = False


@transaction.atomic
def update_schedules(*, service: Service, by, rows: Iterable[ScheduleRow]) -> list[Schedule]:
    if not permissions.can_edit_service(by, service):
        raise PermissionDenied
    for row in rows:
        if row.schedule is not None and row.schedule.service_id != service.pk:
            raise PermissionDenied
        if row.delete:
            if row.schedule is not None:
                Schedule.objects.filter(pk=row.schedule.pk, service=service).delete()
            continue
        if row.weekday is None or row.opens_at is None or row.closes_at is None:
            raise ValidationError(_("Vyplňte den, čas „od“ i čas „do“."))
        if row.opens_at >= row.closes_at:
            raise ValidationError(_("Čas „do“ musí být později než čas „od“."))
        if row.schedule is None:
            Schedule.objects.create(
                service=service,
                weekday=row.weekday,
                opens_at=row.opens_at,
                closes_at=row.closes_at,
                note=row.note,
            )
            continue
        stored = Schedule.objects.get(pk=row.schedule.pk)
        changed = _assign(
            stored,
            ("weekday", "opens_at", "closes_at", "note"),
            {
                "weekday": row.weekday,
                "opens_at": row.opens_at,
                "closes_at": row.closes_at,
                "note": row.note,
            },
        )
        if changed:
            stored.save(update_fields=changed)
    Service.objects.filter(pk=service.pk).update(updated_at=timezone.now())
    return list(service.schedules.all())


# --- Territory coordination -------------------------------------------------------------


@transaction.atomic
def update_territory_texts(*, coordinator, territory: Territory, data: Mapping[str, Any]) -> None:
    if not permissions.can_coordinate(coordinator, territory):
        raise PermissionDenied
    stored = Territory.objects.get(pk=territory.pk)
    changed = _assign(stored, TERRITORY_TEXT_FIELDS, data)
    if changed:
        stored.save(update_fields=changed)


@transaction.atomic
def add_organization(
    *, coordinator, territory: Territory, name: str, ico: str, municipality: Municipality
) -> Organization:
    """Add an organisation to the territory, seated in one of its obce.

    The seat is a location: it keeps the new organisation in the territory (and so
    manageable by its coordinator) before it has any service there.
    """
    if not permissions.can_coordinate(coordinator, territory):
        raise PermissionDenied
    if not territory.municipalities.filter(pk=municipality.pk).exists():
        raise ValidationError(
            {"municipality": _("Obec %(name)s nepatří do území.") % {"name": municipality}}
        )
    if ico and Organization.objects.filter(ico=ico).exists():
        raise ValidationError(
            {"ico": _("Organizace s IČO %(ico)s už v adresáři je.") % {"ico": ico}}
        )
    organization = Organization(name=name, ico=ico)
    organization.full_clean(validate_unique=False)
    organization.save(force_insert=True)
    Location.objects.create(
        organization=organization,
        name=SEAT_LOCATION_NAME,
        city=municipality.name,
        municipality=municipality,
    )
    return organization


@dataclass(frozen=True)
class AddedMember:
    membership: Membership
    user_created: bool
    # For a user without a password: the parts of a one-time link to set it
    # (`accounts:password_set`); the token stops working once the password is set.
    uidb64: str | None = None
    token: str | None = None


@transaction.atomic
def add_member(
    *, coordinator, organization: Organization, username: str, email: str, role: str
) -> AddedMember:
    """Give a user a role in an organisation, creating the user when they are new.

    A new user gets no password: the coordinator passes them a one-time link where they
    set it themselves, so nobody but the user ever knows it. An existing user is added
    only when the e-mail matches theirs, so that a typo does not hand an organisation's
    data to a stranger.
    """
    if not permissions.can_manage_members(coordinator, organization):
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Neznámá role.")})
    user_model = get_user_model()
    user = user_model.objects.filter(username__iexact=username).first()
    created = user is None
    if user is None:
        user = user_model.objects.create_user(username=username, email=email, password=None)
    elif user.email.strip().lower() != email.strip().lower():
        raise ValidationError(
            {
                "username": _(
                    "Uživatelské jméno %(username)s už používá někdo jiný s jiným e-mailem."
                )
                % {"username": username}
            }
        )
    if Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError(
            {
                "username": _("Uživatel %(username)s už je členem organizace %(organization)s.")
                % {"username": user.username, "organization": organization}
            }
        )
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    if user.has_usable_password():
        return AddedMember(membership=membership, user_created=created)
    return AddedMember(
        membership=membership,
        user_created=created,
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )


@transaction.atomic
def remove_member(*, coordinator, membership: Membership) -> None:
    """End a membership; the user account stays (it may belong to other organisations)."""
    if not permissions.can_manage_members(coordinator, membership.organization):
        raise PermissionDenied
    Membership.objects.filter(pk=membership.pk).delete()

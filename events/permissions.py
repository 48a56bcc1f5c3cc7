"""Who may manage which events, and scoped fetches for the organiser's views.

Members of an organisation (in any role) manage its events and see their registrations;
nobody else does, and a hidden object gives the same 404 as a missing one.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from directory.models import Organization
from events.models import Event, Registration, member_organization_ids


def manageable_organizations(user) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(id__in=member_organization_ids(user))


def can_manage_organization_events(user, organization: Organization) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return manageable_organizations(user).filter(pk=organization.pk).exists()


def can_manage_event(user, event: Event) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return manageable_organizations(user).filter(pk=event.organization_id).exists()


def get_event_for_manage(user, pk) -> Event:
    return get_object_or_404(Event.objects.manageable_by(user).for_cards(), pk=pk)


def get_registration_for_manage(user, pk) -> Registration:
    return get_object_or_404(
        Registration.objects.visible_to(user).select_related("event__territory"), pk=pk
    )

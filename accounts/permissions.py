"""Who may edit what: named predicates and scoped fetches, shared by HTML views and the API.

Every object a self-service view touches is fetched here, through a queryset that already
encodes the access rule, so a view cannot forget it. A hidden object and a missing one give
the same 404: the answer must not tell provider A that provider B's service exists.

The rules:

- a provider member (admin or staff) edits the services, locations and details of their
  own organisations (`Service.objects.editable_by`, `Organization.objects.editable_by`);
- a territory coordinator edits every service that serves an obec of the territory, the
  organisations of the territory, their memberships and the territory's portal texts;
- a superuser may do everything.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Membership, TerritoryCoordinator
from directory.models import Location, Organization, Service, ServiceCoverage
from territory.models import Territory

# --- Querysets -------------------------------------------------------------------------


def editable_services(user) -> QuerySet[Service]:
    return Service.objects.editable_by(user)


def editable_organizations(user) -> QuerySet[Organization]:
    return Organization.objects.editable_by(user)


def editable_locations(user) -> QuerySet[Location]:
    return Location.objects.filter(organization__in=editable_organizations(user))


def coordinated_territories(user) -> QuerySet[Territory]:
    if not user.is_authenticated:
        return Territory.objects.none()
    if user.is_superuser:
        return Territory.objects.all()
    return Territory.objects.filter(coordinators__user=user)


def coordinated_organizations(user) -> QuerySet[Organization]:
    """Organisations of all the territories `user` coordinates."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    serving = ServiceCoverage.objects.filter(
        municipality__territories__coordinators__user=user
    ).values("service__organization_id")
    seated = Location.objects.filter(municipality__territories__coordinators__user=user).values(
        "organization_id"
    )
    return Organization.objects.filter(Q(id__in=serving) | Q(id__in=seated))


def organizations_in_territory(territory: Territory) -> QuerySet[Organization]:
    """Organisations with a service serving the territory or a place in it."""
    serving = Service.objects.in_territory(territory).values("organization_id")
    seated = Location.objects.filter(municipality__territories=territory).values("organization_id")
    return Organization.objects.filter(Q(id__in=serving) | Q(id__in=seated))


# --- Predicates ------------------------------------------------------------------------


def can_edit_service(user, service: Service) -> bool:
    return editable_services(user).filter(pk=service.pk).exists()


def can_edit_organization(user, organization: Organization) -> bool:
    return editable_organizations(user).filter(pk=organization.pk).exists()


def can_coordinate(user, territory: Territory) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return TerritoryCoordinator.objects.filter(user=user, territory=territory).exists()


def can_manage_members(user, organization: Organization) -> bool:
    """Memberships are managed by the coordinator of a territory the organisation is in."""
    return coordinated_organizations(user).filter(pk=organization.pk).exists()


# --- Scoped fetches (404 for "doesn't exist" and "not yours" alike) --------------------


def get_service_for_edit(user, pk) -> Service:
    return get_object_or_404(
        editable_services(user).select_related("organization", "latest_capacity"), pk=pk
    )


def get_organization_for_edit(user, pk) -> Organization:
    return get_object_or_404(editable_organizations(user), pk=pk)


def get_location_for_edit(user, pk) -> Location:
    return get_object_or_404(
        editable_locations(user).select_related("organization", "municipality"), pk=pk
    )


def get_territory_for_coordination(user, slug: str) -> Territory:
    return get_object_or_404(coordinated_territories(user), slug=slug)


def get_membership_for_coordination(user, territory: Territory, pk) -> Membership:
    if not can_coordinate(user, territory):
        # The caller fetched the territory through get_territory_for_coordination; this
        # guards a future caller that did not.
        raise Http404
    return get_object_or_404(
        Membership.objects.select_related("user", "organization").filter(
            organization__in=organizations_in_territory(territory)
        ),
        pk=pk,
    )

"""Who may do what in project monitoring: named predicates and scoped fetches, shared by
the HTML views, the API and the services.

- see a project: the coordinators of its territory, members of the implementer and of
  the partners in a working role, providers of its funded services, superusers;
- manage it (periods, targets, approvals, indicators): the territory's coordinators and
  the implementer's administrators, superusers;
- enter manual values for a partner: its members in a working role (and managers);
- record participants and their support: workers of the organisation that owns the
  person, when that organisation takes part in the project;
- fill in the statistics of a funded service: its provider's administrators and staff.

Hidden and missing objects answer the same 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Membership, TerritoryCoordinator
from directory.models import Organization, Service
from monitoring.indicators import project_organization_ids
from monitoring.models import (
    PARTICIPANT_ROLES,
    PROJECT_ROLES,
    STATISTICS_ROLES,
    Project,
    ProjectService,
)
from territory.models import Territory


def _roles(user, organization_id) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, organization_id=organization_id).values_list(
            "role", flat=True
        )
    )


def visible_projects(user) -> QuerySet[Project]:
    return Project.objects.visible_to(user)


def can_view_project(user, project: Project) -> bool:
    return visible_projects(user).filter(pk=project.pk).exists()


def can_manage_project(user, project: Project) -> bool:
    return Project.objects.manageable_by(user).filter(pk=project.pk).exists()


def user_organizations_in_project(user, project: Project, roles=PROJECT_ROLES) -> QuerySet:
    """The project's organisations where `user` has one of `roles`."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(
        id__in=project_organization_ids(project),
        memberships__user=user,
        memberships__role__in=roles,
    ).distinct()


def can_enter_values(user, project: Project, organization: Organization | None) -> bool:
    """Manual values for a partner (or for the whole project when `organization` is None)."""
    if can_manage_project(user, project):
        return organization is None or organization.pk in project_organization_ids(project)
    if organization is None:
        return False
    return user_organizations_in_project(user, project).filter(pk=organization.pk).exists()


def can_record_participants(user, project: Project, organization: Organization) -> bool:
    return organization.pk in project_organization_ids(project) and bool(
        _roles(user, organization.pk) & set(PARTICIPANT_ROLES)
    )


def works_on_participants(user, project: Project) -> bool:
    return user_organizations_in_project(user, project, PARTICIPANT_ROLES).exists()


def can_fill_statistics(user, project: Project, service: Service) -> bool:
    if not ProjectService.objects.filter(project=project, service=service).exists():
        return False
    return can_manage_project(user, project) or bool(
        _roles(user, service.organization_id) & set(STATISTICS_ROLES)
    )


def statistics_services(user, project: Project) -> QuerySet[Service]:
    """Funded services whose statistics `user` fills in (all of them for a manager)."""
    funded = Service.objects.filter(projects__project=project)
    if can_manage_project(user, project):
        return funded.distinct()
    return funded.filter(
        organization__memberships__user=user,
        organization__memberships__role__in=STATISTICS_ROLES,
    ).distinct()


def can_view_planning(user, territory: Territory) -> bool:
    """The community-planning report: the territory's coordinators, and whoever sees a
    project in the territory."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        TerritoryCoordinator.objects.filter(user=user, territory=territory).exists()
        or visible_projects(user).filter(territory=territory).exists()
    )


def planning_territories(user) -> QuerySet[Territory]:
    if not user.is_authenticated:
        return Territory.objects.none()
    if user.is_superuser:
        return Territory.objects.filter(projects__isnull=False).distinct()
    return Territory.objects.filter(
        Q(coordinators__user=user) | Q(projects__in=visible_projects(user))
    ).distinct()


# --- scoped fetches ------------------------------------------------------------------------------


def get_project(user, pk) -> Project:
    return get_object_or_404(
        visible_projects(user).select_related("implementer", "territory"), pk=pk
    )


def get_territory_for_planning(user, slug: str) -> Territory:
    territory = get_object_or_404(Territory, slug=slug)
    if not can_view_planning(user, territory):
        from django.http import Http404

        raise Http404
    return territory

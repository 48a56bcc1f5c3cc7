"""What every view of the worker area shares: access, scoped fetches, audit, rendering.

Personal records are fetched only through the managers' `visible_to(user)`; a record the
user may not see answers 404, the same as one that does not exist. Every page that shows
personal data leaves an audit entry (`accounts.audit`), one per record read and one per
listed page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from accounts import audit
from accounts.models import AuditEntry, TerritoryCoordinator
from directory.models import Organization
from referrals import permissions
from referrals.models import (
    PERSONAL_DATA_ROLES,
    WORKER_ROLES,
    HelpRequest,
    Notification,
    Person,
    Referral,
)
from territory.models import Territory

PAGE_SIZE = 50


# --- access ----------------------------------------------------------------------------------


def member_organizations(user, roles=PERSONAL_DATA_ROLES):
    """Organisations where `user` has one of `roles`."""
    return Organization.objects.filter(
        id__in=permissions.member_organization_ids(user, roles)
    ).order_by("name")


def _has_role(user, roles) -> bool:
    ids = permissions.member_organization_ids(user, roles)
    # A remembered list answers without a query; otherwise one EXISTS.
    return bool(ids) if isinstance(ids, list) else ids.exists()


def is_worker(user) -> bool:
    return user.is_authenticated and _has_role(user, PERSONAL_DATA_ROLES)


def is_intake_worker(user) -> bool:
    return user.is_authenticated and _has_role(user, WORKER_ROLES)


def is_coordinator(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or TerritoryCoordinator.objects.filter(user=user).exists()
    )


def area_view(*, allow: Callable[[object], bool] | None = is_worker):
    """Log-in required, never cached (pages hold personal data), and a role check.

    A user without the role gets 403: the area exists, it is just not theirs. Objects inside
    it are a different matter: those answer 404 (see the `get_*` helpers).

    The user's memberships are read once for the request (`permissions.remembered_roles`),
    not once per check or per row.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            with permissions.remembered_roles(request.user):
                if allow is not None and not allow(request.user):
                    raise PermissionDenied
                return view(request, *args, **kwargs)

        return login_required(never_cache(wrapped))

    return decorator


# --- scoped fetches ----------------------------------------------------------------------------


def get_person(user, pk) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(user).select_related("organization", "municipality__district"),
        pk=pk,
    )


def get_help_request(user, pk) -> HelpRequest:
    return get_object_or_404(
        HelpRequest.objects.visible_to(user).select_related(
            "organization", "territory", "service", "municipality", "assigned_to", "person"
        ),
        pk=pk,
    )


def get_referral(user, pk) -> Referral:
    return get_object_or_404(
        Referral.objects.shown_to(user).select_related(
            "person__municipality",
            "consent",
            "help_request",
            "service",
            "from_organization",
            "to_organization",
            "created_by",
        ),
        pk=pk,
    )


# --- audit -------------------------------------------------------------------------------------


def audit_read(user, obj: Model, *, organization_id=None) -> None:
    audit.record(
        actor=user, action=AuditEntry.Action.READ, obj=obj, organization_id=organization_id
    )


def audit_list(
    user,
    items: Iterable[Model],
    *,
    object_type: str,
    owner: Callable[[Model], object] = lambda obj: obj.organization_id,
) -> None:
    """One list entry per owning organisation of the shown page, so that each owner's
    coordinator finds it; all of them written in one INSERT (`audit.record_many`)."""
    groups: dict = defaultdict(list)
    for item in items:
        groups[owner(item)].append(item)
    audit.record_many(
        actor=user,
        entries=[
            {
                "action": AuditEntry.Action.LIST,
                "object_type": object_type,
                "object_ids": [str(obj.pk) for obj in group],
                "organization_id": organization_id,
                "count": len(group),
            }
            for organization_id, group in groups.items()
        ],
    )


def referral_owner(referral: Referral):
    """Personal data on a referral belongs to the sending organisation."""
    return referral.from_organization_id


# --- rendering ---------------------------------------------------------------------------------


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def render_area(
    request: HttpRequest, template: str, context: dict, *, status: int = 200
) -> HttpResponse:
    """Render a page of the worker area with its navigation and the inbox count."""
    user = request.user
    # Not `setdefault`: its argument would count even when the view has counted.
    if "inbox_unread" not in context:
        context["inbox_unread"] = unread_count(user)
    if "area_nav" not in context:
        context["area_nav"] = area_navigation(user)
    # The header's count (`context_processors.inbox`) is the same number: counted once.
    request.inbox_unread = context["inbox_unread"]
    return render(request, template, context, status=status)


def area_navigation(user) -> dict:
    return {
        "worker": is_worker(user),
        "intake": is_intake_worker(user),
        "coordinator": is_coordinator(user),
    }


def status_counts(referrals) -> dict[str, int]:
    """{status: count} in one grouped query; COUNT(*) lets SQLite answer from the
    (organisation, status, …) index alone."""
    return dict(referrals.values_list("status").annotate(n=Count("*")).order_by())


def person_territory(person: Person, help_request: HelpRequest | None = None) -> Territory | None:
    """The territory to search services in: the request's, else the smallest one of the
    person's obec (a MAS before its kraj)."""
    if help_request is not None:
        return help_request.territory
    if person.municipality_id is None:
        return None
    containing = Territory.objects.filter(municipalities=person.municipality_id).values("id")
    return (
        Territory.objects.filter(id__in=containing)
        .annotate(size=Count("municipalities"), national=Q(kind=Territory.Kind.NATIONAL))
        .order_by("national", "size", "name")
        .first()
    )


def open_request(person: Person) -> HelpRequest | None:
    """The person's newest help request that is not closed: what a referral is about."""
    return (
        person.help_requests.exclude(status=HelpRequest.Status.CLOSED)
        .select_related("territory")
        .order_by("-created_at")
        .first()
    )


def form_errors_from(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)

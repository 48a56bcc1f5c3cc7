"""Named predicates of the referral loop, shared by the HTML views and the API.

Each answers one question about one user and one object; querysets that list objects
live on the managers (`Referral.objects.visible_to(user)`).

Within a request of the worker area (`views_common.area_view`) the user's memberships are
read once (`remembered_roles`): the predicates and the managers' `visible_to` then ask no
more queries, however many rows a page checks.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from accounts.models import Membership, TerritoryCoordinator
from referrals.models import PERSONAL_DATA_ROLES, WORKER_ROLES, Person, Referral

# Who may move a referral to a status: the sending side or the receiving side.
SENDER_TRANSITIONS = {
    "draft": {"sent", "cancelled"},
    "sent": {"cancelled"},
    "accepted": {"cancelled"},
}
RECEIVER_TRANSITIONS = {
    "sent": {"accepted", "declined"},
    "accepted": {"in_progress", "declined", "closed"},
    "in_progress": {"completed", "closed"},
}
SYSTEM_TRANSITIONS = {"sent": {"expired"}}


# The attribute of the user object that holds {organisation id: roles} during a request.
_REMEMBERED = "_referrals_roles_by_organization"


def _roles_by_organization(user) -> dict:
    roles: dict = {}
    for organization_id, role in Membership.objects.filter(user=user).values_list(
        "organization_id", "role"
    ):
        roles.setdefault(organization_id, set()).add(role)
    return {organization_id: frozenset(r) for organization_id, r in roles.items()}


@contextmanager
def remembered_roles(user) -> Iterator[None]:
    """Read the user's memberships once, for what runs inside (one request).

    Forgotten on the way out, so that a user object that outlives the request (a test's,
    a shell's) never answers from memberships that have changed since.
    """
    if not getattr(user, "is_authenticated", False) or remembered(user) is not None:
        yield
        return
    setattr(user, _REMEMBERED, _roles_by_organization(user))
    try:
        yield
    finally:
        delattr(user, _REMEMBERED)


def remembered(user) -> dict | None:
    """{organisation id: roles} of the user while `remembered_roles` runs, else None."""
    return getattr(user, _REMEMBERED, None)


def member_organization_ids(user, roles: Iterable[str] = PERSONAL_DATA_ROLES):
    """Ids of the organisations where `user` has one of `roles`, for an `__in` lookup: a
    list when the memberships are remembered (the planner then sees the values and picks
    the composite indexes), otherwise a subquery of the memberships."""
    known = remembered(user)
    if known is not None:
        wanted = set(roles)
        return [organization_id for organization_id, r in known.items() if r & wanted]
    return Membership.objects.filter(user=user, role__in=tuple(roles)).values("organization_id")


def _as_uuid(value):
    # The remembered keys are UUIDs; an id given as text must find them too.
    if isinstance(value, uuid.UUID) or value is None:
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return value


def roles_in(user, organization_id) -> set[str]:
    if not user.is_authenticated:
        return set()
    known = remembered(user)
    if known is not None:
        return set(known.get(_as_uuid(organization_id), ()))
    return set(
        Membership.objects.filter(user=user, organization_id=organization_id).values_list(
            "role", flat=True
        )
    )


def works_with_personal_data(user) -> bool:
    """Users whose role shows personal data (they need two-factor login)."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(user=user, role__in=PERSONAL_DATA_ROLES).exists()
        or TerritoryCoordinator.objects.filter(user=user).exists()
    )


def can_record_persons(user, organization) -> bool:
    return bool(roles_in(user, organization.pk) & set(WORKER_ROLES))


def can_view_person(user, person: Person) -> bool:
    return bool(roles_in(user, person.organization_id) & set(PERSONAL_DATA_ROLES))


def can_refer(user, person: Person) -> bool:
    return bool(roles_in(user, person.organization_id) & set(WORKER_ROLES))


def can_view_referral(user, referral: Referral) -> bool:
    return is_sender(user, referral) or is_receiver(user, referral)


def is_sender(user, referral: Referral) -> bool:
    return bool(roles_in(user, referral.from_organization_id) & set(PERSONAL_DATA_ROLES))


def is_receiver(user, referral: Referral) -> bool:
    return bool(roles_in(user, referral.to_organization_id) & set(PERSONAL_DATA_ROLES))


def allowed_transitions(user, referral: Referral) -> set[str]:
    allowed: set[str] = set()
    if is_sender(user, referral):
        allowed |= SENDER_TRANSITIONS.get(referral.status, set())
    if is_receiver(user, referral):
        allowed |= RECEIVER_TRANSITIONS.get(referral.status, set())
    return allowed


def can_transition(user, referral: Referral, to: str) -> bool:
    return to in allowed_transitions(user, referral)


def can_message(user, referral: Referral) -> bool:
    return can_view_referral(user, referral)

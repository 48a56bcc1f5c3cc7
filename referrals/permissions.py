"""Named predicates of the referral loop, shared by the HTML views and the API.

Each answers one question about one user and one object; querysets that list objects
live on the managers (`Referral.objects.visible_to(user)`).
"""

from __future__ import annotations

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


def roles_in(user, organization_id) -> set[str]:
    if not user.is_authenticated:
        return set()
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

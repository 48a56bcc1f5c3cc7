"""Who may see and change community work, and scoped fetches for the views.

Members of an organisation (any role that works with personal data) see its meetings,
topics, attendance and leaders; the workers among them (social and community workers,
the organisation's admin) change them. Nobody else sees them: a hidden object gives the
same 404 as a missing one.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from community.models import (
    CommunityLeader,
    FollowUpAction,
    Meeting,
    Topic,
    member_org_ids,
)
from directory.models import Organization
from events.models import Event
from referrals import permissions as referral_permissions
from referrals.models import PERSONAL_DATA_ROLES, WORKER_ROLES, Consent, Person


def viewable_organizations(user) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(id__in=member_org_ids(user, PERSONAL_DATA_ROLES))


def managed_organizations(user) -> QuerySet[Organization]:
    """Organisations whose community work `user` records (a worker role there)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(id__in=member_org_ids(user, WORKER_ROLES)).order_by("name")


def is_community_member(user) -> bool:
    return viewable_organizations(user).exists()


def can_manage(user, organization_id) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return managed_organizations(user).filter(pk=organization_id).exists()


def can_view(user, organization_id) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return viewable_organizations(user).filter(pk=organization_id).exists()


def can_refer_from_attendance(user, person: Person) -> bool:
    """The "Předat do služby" link: only a worker of the organisation that owns the person."""
    return referral_permissions.can_refer(user, person)


# --- consent ---------------------------------------------------------------------------------


def _valid_consent(purpose: str, now=None):
    now = now or timezone.now()
    return Consent.objects.filter(
        person=OuterRef("pk"), purpose=purpose, withdrawn_at__isnull=True, given_at__lte=now
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def with_community_consent(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Persons with a valid consent to take part in community activities."""
    return persons.filter(Exists(_valid_consent(Consent.Purpose.COMMUNITY))).filter(
        anonymised_at__isnull=True
    )


def has_community_consent(person: Person) -> bool:
    return with_community_consent(Person.objects.filter(pk=person.pk)).exists()


def with_referral_consent_flag(persons: QuerySet[Person]) -> QuerySet[Person]:
    return persons.annotate(has_referral_consent=Exists(_valid_consent(Consent.Purpose.REFERRAL)))


def community_persons(user, organization_ids=None) -> QuerySet[Person]:
    """Persons a worker may put on an attendance list or make a leader: their organisations'
    persons with a valid "community" consent."""
    persons = Person.objects.filter(organization_id__in=member_org_ids(user, WORKER_ROLES))
    if organization_ids is not None:
        persons = persons.filter(organization_id__in=organization_ids)
    return with_community_consent(persons).select_related("municipality").order_by("name", "id")


# --- scoped fetches --------------------------------------------------------------------------


def get_meeting(user, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related(
            "organization", "territory", "centre", "place__municipality", "created_by"
        ),
        pk=pk,
    )


def get_meeting_for_change(user, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.manageable_by(user).select_related(
            "organization", "territory", "centre", "place__municipality"
        ),
        pk=pk,
    )


def get_topic(user, pk) -> Topic:
    return get_object_or_404(
        Topic.objects.visible_to(user).select_related("territory", "organization"), pk=pk
    )


def get_leader(user, pk) -> CommunityLeader:
    return get_object_or_404(
        CommunityLeader.objects.visible_to(user).select_related(
            "person__municipality", "organization", "territory"
        ),
        pk=pk,
    )


def get_follow_up(user, pk) -> FollowUpAction:
    return get_object_or_404(
        FollowUpAction.objects.visible_to(user).select_related("meeting", "owner"), pk=pk
    )


def get_event(user, pk) -> Event:
    """An event of the user's organisations, for its attendance sheet."""
    return get_object_or_404(
        Event.objects.filter(organization_id__in=member_org_ids(user)).select_related(
            "organization", "territory", "location__municipality", "municipality"
        ),
        pk=pk,
    )

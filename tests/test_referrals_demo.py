"""The referral demo: every role in every territory, referrals in every status, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import AuditEntry, Membership, TerritoryCoordinator
from directory.demo import DEMO_PASSWORD, load_demo_data
from directory.models import Organization
from referrals.demo import CASTS, load_demo_referrals
from referrals.models import (
    Consent,
    HelpRequest,
    Notification,
    Person,
    Referral,
    ReferralEvent,
    ReferralMessage,
    ReferralSettings,
)

COUNTED = (
    Organization,
    Membership,
    TerritoryCoordinator,
    ReferralSettings,
    HelpRequest,
    Person,
    Consent,
    Referral,
    ReferralEvent,
    ReferralMessage,
    Notification,
    AuditEntry,
)


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    counts["User"] = get_user_model().objects.count()
    return counts


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The directory demo and the referral demo once, then both again through `load_demo`."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_data()
        first = load_demo_referrals()
        counts_after_first = _counts()
        out = StringIO()
        # Only this loader: the demo data of other apps is theirs to test.
        with override_settings(SPOJKA_DEMO_LOADERS=["referrals.demo.load_demo_referrals"]):
            call_command("load_demo", stdout=out)
        yield {
            "first": first,
            "counts_after_first": counts_after_first,
            "counts_after_second": _counts(),
            "output": out.getvalue(),
        }
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return demo


def test_referral_demo_second_load_duplicates_nothing(loaded):
    assert loaded["counts_after_second"] == loaded["counts_after_first"]
    assert loaded["first"]["stories_created"] == 5 * len(CASTS)
    assert "(0 stories and 0 help requests added now)" in loaded["output"]


def test_referral_demo_has_referrals_in_every_status_in_every_territory(loaded):
    for cast in CASTS:
        statuses = set(
            Referral.objects.filter(territory__slug=cast.slug).values_list("status", flat=True)
        )
        assert statuses == set(Referral.Status.values), cast.slug
    declined = Referral.objects.filter(status="declined")
    assert set(declined.values_list("decline_reason", flat=True)) == {"no_capacity"}
    assert set(Referral.objects.filter(status="completed").values_list("outcome", flat=True)) == {
        "helped"
    }


def test_referral_demo_users_cover_every_role_in_every_territory(loaded):
    logins = loaded["first"]["logins"]
    assert len(logins) == 4 * len(CASTS)
    users = get_user_model().objects.in_bulk([u for u, _p, _w in logins], field_name="username")
    for cast in CASTS:
        p = cast.prefix
        roles = dict(
            Membership.objects.filter(user__username__startswith=f"{p}-").values_list(
                "user__username", "role"
            )
        )
        assert roles == {
            f"{p}-pracovnik": "social_worker",
            f"{p}-komunitni": "community_worker",
            f"{p}-poskytovatel": "provider_staff",
        }
        assert TerritoryCoordinator.objects.filter(
            user__username=f"{p}-koordinator", territory__slug=cast.slug
        ).exists()
    for username, password, _who in logins:
        assert password == DEMO_PASSWORD
        assert users[username].check_password(password), username
        assert users[username].email == ""  # the demo sends no e-mail
        assert f"  {username} / {password}" in loaded["output"]


def test_referral_demo_intake_is_the_mas_or_the_region(loaded):
    intake = dict(
        ReferralSettings.objects.values_list("territory__slug", "intake_organization__name")
    )
    assert intake == {
        "kyjovske-slovacko": "Místní akční skupina Kyjovské Slovácko v pohybu, z.s.",
        "bohdanecsko": "MAS Bohdanečsko, z. s.",
        "vltavotynsko": "MAS VLTAVA, z.s.",
        "cesky-zapad": "MAS Český západ",
        "vysocina": "Kraj Vysočina – odbor sociálních věcí",
    }
    office = Organization.objects.get(name="Kraj Vysočina – odbor sociálních věcí")
    assert office.is_demo
    assert "Ukázková data" in office.description


def test_referral_demo_persons_are_invented_and_marked(loaded):
    names = list(Person.objects.values_list("name", flat=True))
    assert len(names) == 5 * len(CASTS)
    assert all(name.endswith(" (demo)") for name in names)
    # Each territory keeps a fresh request waiting in its intake queue.
    waiting = HelpRequest.objects.filter(status="new", person__isnull=True)
    assert waiting.count() == len(CASTS)


def test_referral_demo_went_through_the_services(loaded):
    """History, messages, audit and inbox items are what real work leaves behind."""
    for referral in Referral.objects.all():
        history = list(referral.events.order_by("at").values_list("to_status", flat=True))
        assert history[0] == "draft"
        assert history[-1] == referral.status
    assert ReferralMessage.objects.filter(referral__status="completed").count() == 2 * len(CASTS)
    audited = set(
        AuditEntry.objects.filter(object_type="referrals.person", action="create").values_list(
            "object_id", flat=True
        )
    )
    assert audited == {str(pk) for pk in Person.objects.values_list("pk", flat=True)}
    expired = Referral.objects.filter(status="expired")
    assert all(r.escalated_at is not None for r in expired)
    escalations = Notification.objects.filter(kind="escalation").values_list(
        "user__username", flat=True
    )
    assert sorted(escalations) == sorted(f"{c.prefix}-koordinator" for c in CASTS)

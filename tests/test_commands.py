"""Management commands for operators and cron: add_member, apply_retention,
process_referral_deadlines."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Membership, TerritoryCoordinator
from referrals import services
from referrals.models import HelpRequest, Notification, Person, Referral
from tests.factories import make_organization, make_service, make_territory, make_user

PASSWORD = "dlouhe-heslo-pro-testy"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


# --- add_member ----------------------------------------------------------------------------


@pytest.fixture
def places(db):
    return {
        "org": make_organization("Charita Kyjov"),
        "territory": make_territory("kyjovsko", name="Kyjovsko"),
    }


def test_add_member_creates_the_user_with_a_role(places):
    org = places["org"]

    output = run(
        "add_member",
        "--username=jana",
        f"--password={PASSWORD}",
        f"--organization={org.pk}",
        "--role=social_worker",
    )

    assert output == "User jana (created) is now social_worker of Charita Kyjov."
    user = get_user_model().objects.get(username="jana")
    assert user.check_password(PASSWORD)
    assert list(Membership.objects.filter(user=user).values_list("organization", "role")) == [
        (org.pk, "social_worker")
    ]


def test_add_member_twice_changes_nothing(places):
    args = (
        "add_member",
        "--username=jana",
        f"--password={PASSWORD}",
        f"--organization={places['org'].pk}",
        "--role=provider_staff",
    )
    run(*args)

    output = run(*args)

    assert output == "User jana (password set) already is provider_staff of Charita Kyjov."
    assert get_user_model().objects.filter(username="jana").count() == 1
    assert Membership.objects.count() == 1


def test_add_member_changes_the_role_and_the_password_of_an_existing_user(places):
    user = make_user("petr", organization=places["org"], role="provider_staff")

    output = run(
        "add_member",
        "--username=petr",
        "--password=nove-heslo-2026",
        f"--organization={places['org'].pk}",
        "--role=provider_admin",
    )

    assert output == (
        "User petr (password set) is now provider_admin (was provider_staff) of Charita Kyjov."
    )
    user.refresh_from_db()
    assert user.check_password("nove-heslo-2026")
    assert Membership.objects.get(user=user).role == "provider_admin"


@pytest.mark.parametrize("role", ["community_worker", "provider_admin"])
def test_add_member_accepts_every_organisation_role(places, role):
    run(
        "add_member",
        "--username=eva",
        f"--password={PASSWORD}",
        f"--organization={places['org'].pk}",
        f"--role={role}",
    )
    assert Membership.objects.get(user__username="eva").role == role


def test_add_member_makes_a_territory_coordinator(places):
    output = run(
        "add_member",
        "--username=koord",
        f"--password={PASSWORD}",
        "--territory=kyjovsko",
        "--role=coordinator",
    )

    assert output == "User koord (created) now coordinates Kyjovsko."
    assert TerritoryCoordinator.objects.filter(
        user__username="koord", territory=places["territory"]
    ).exists()
    assert run(
        "add_member",
        "--username=koord",
        f"--password={PASSWORD}",
        "--territory=kyjovsko",
        "--role=coordinator",
    ) == ("User koord (password set) already coordinates Kyjovsko.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--organization={org}", "--role=coordinator"],
            "--role coordinator needs --territory SLUG, not --organization.",
        ),
        (
            ["--territory=kyjovsko", "--role=social_worker"],
            "--role social_worker needs --organization ID, not --territory.",
        ),
        (
            ["--organization=charita", "--role=social_worker"],
            "--organization 'charita' is not a UUID.",
        ),
        (
            ["--organization=00000000-0000-0000-0000-000000000000", "--role=social_worker"],
            "--organization 00000000-0000-0000-0000-000000000000: no organisation has this id.",
        ),
        (
            ["--territory=praha", "--role=coordinator"],
            "--territory 'praha': no territory has this slug (known: kyjovsko).",
        ),
        (
            ["--organization={org}", "--territory=kyjovsko", "--role=social_worker"],
            "Error: argument --territory: not allowed with argument --organization",
        ),
        (
            ["--organization={org}", "--role=boss"],
            "Error: argument --role: invalid choice: 'boss'",
        ),
    ],
)
def test_add_member_names_the_bad_option(places, args, message):
    with pytest.raises(CommandError) as error:
        run(
            "add_member",
            "--username=jana",
            f"--password={PASSWORD}",
            *(a.format(org=places["org"].pk) for a in args),
        )
    assert str(error.value).startswith(message)
    assert not get_user_model().objects.filter(username="jana").exists()


def test_add_member_refuses_a_weak_password(places):
    with pytest.raises(CommandError, match=r"^--password: "):
        run(
            "add_member",
            "--username=jana",
            "--password=123",
            f"--organization={places['org'].pk}",
            "--role=social_worker",
        )
    assert not get_user_model().objects.filter(username="jana").exists()


# --- apply_retention -----------------------------------------------------------------------


@pytest.fixture
def world(db):
    territory = make_territory("kyjovsko")
    mas = make_organization("MAS Kyjovsko")
    provider = make_organization("Azylový dům, z.ú.")
    service = make_service(provider, type_code="57", name="Azylový dům Kyjov", free_places=1)
    return {
        "territory": territory,
        "mas": mas,
        "service": service,
        "worker": make_user("worker", organization=mas, role="social_worker"),
        "receiver": make_user("receiver", organization=provider, role="provider_staff"),
        "coordinator": make_user("koord", coordinates=territory),
    }


def _person(world, name: str, *, days_ago: int = 0) -> Person:
    person = services.record_person(
        actor=world["worker"], organization=world["mas"], name=name, phone="+420 777 000 111"
    )
    if days_ago:
        Person.objects.filter(pk=person.pk).update(
            updated_at=timezone.now() - timedelta(days=days_ago)
        )
    return person


def test_apply_retention_anonymises_an_old_person_and_keeps_a_recent_one(world):
    old = _person(world, "Stará Osoba", days_ago=4 * 365)
    recent = _person(world, "Nová Osoba", days_ago=30)

    output = run("apply_retention")

    assert output == (
        "Retention: anonymised 1 person(s) inactive for more than 1095 days and 0 help "
        "request(s) older than 365 days."
    )
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.phone, old.anonymised_at is not None) == (
        services.ANONYMISED,
        "",
        True,
    )
    assert (recent.name, recent.phone, recent.anonymised_at) == (
        "Nová Osoba",
        "+420 777 000 111",
        None,
    )


def test_apply_retention_takes_periods_from_options(world):
    person = _person(world, "Měsíc Stará", days_ago=30)
    request = services.create_help_request(
        territory=world["territory"],
        situation="Potřebuji poradit s dluhy.",
        name="Žadatelka",
        contact_method="phone",
        contact="+420 777 000 222",
        service=world["service"],
    )
    HelpRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=20))

    output = run("apply_retention", "--person-days=10", "--request-days=10")

    assert output == (
        "Retention: anonymised 1 person(s) inactive for more than 10 days and 1 help "
        "request(s) older than 10 days."
    )
    person.refresh_from_db()
    request.refresh_from_db()
    assert person.name == services.ANONYMISED
    assert (request.name, request.situation, request.contact) == (
        services.ANONYMISED,
        services.ANONYMISED,
        "",
    )


@pytest.mark.parametrize("value", ["0", "rok"])
def test_apply_retention_refuses_a_bad_period(world, value):
    _person(world, "Stará Osoba", days_ago=4 * 365)
    with pytest.raises(CommandError, match="argument --person-days"):
        run("apply_retention", f"--person-days={value}")
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 0


def test_apply_retention_defaults_come_from_settings(world, settings):
    settings.SPOJKA_RETENTION_PERSON_DAYS = 20
    _person(world, "Měsíc Stará", days_ago=30)
    assert run("apply_retention").startswith("Retention: anonymised 1 person(s)")


# --- process_referral_deadlines ------------------------------------------------------------


def _referral(world, name: str) -> Referral:
    person = _person(world, name)
    services.record_consent(
        actor=world["worker"], person=person, purpose="referral", given_by="self"
    )
    return services.create_referral(
        actor=world["worker"], person=person, service=world["service"], territory=world["territory"]
    )


def test_process_referral_deadlines_expires_and_escalates(world):
    overdue = _referral(world, "Bez Odpovědi")
    due_soon = _referral(world, "Brzy Lhůta")
    untouched = _referral(world, "Má Čas")
    now = timezone.now()
    Referral.objects.filter(pk=overdue.pk).update(respond_by=now - timedelta(hours=1))
    Referral.objects.filter(pk=due_soon.pk).update(respond_by=now + timedelta(hours=12))

    output = run("process_referral_deadlines")

    assert output == (
        "Referral deadlines: 1 reminded, 1 expired, 1 escalated to the territory coordinators."
    )
    statuses = dict(
        Referral.objects.filter(pk__in=[overdue.pk, due_soon.pk, untouched.pk]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {overdue.pk: "expired", due_soon.pk: "sent", untouched.pk: "sent"}
    assert list(
        Notification.objects.filter(kind=Notification.Kind.ESCALATION).values_list(
            "user__username", "referral"
        )
    ) == [("koord", overdue.pk)]
    assert list(
        Notification.objects.filter(kind=Notification.Kind.REMINDER).values_list(
            "user__username", "referral"
        )
    ) == [("receiver", due_soon.pk)]
    assert overdue.events.order_by("at").last().to_status == "expired"
    # A second run finds nothing new.
    assert run("process_referral_deadlines") == (
        "Referral deadlines: 0 reminded, 0 expired, 0 escalated to the territory coordinators."
    )

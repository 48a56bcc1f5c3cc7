"""The demo data: loads twice without duplicates, covers every service type and territory."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import Membership, TerritoryCoordinator
from directory.demo import DEMO_LOGINS, REQUIRED_TYPE_CODES, load_demo_data
from directory.models import (
    CapacityReport,
    Contact,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceCoverage,
)
from directory.validators import ico_checksum_ok
from territory.models import Territory

PROJECT_TERRITORIES = (
    "kyjovske-slovacko",
    "bohdanecsko",
    "vltavotynsko",
    "cesky-zapad",
    "vysocina",
)
COUNTED = (
    Territory,
    Organization,
    Service,
    Location,
    ServiceArea,
    ServiceCoverage,
    Schedule,
    Contact,
    CapacityReport,
    Membership,
    TerritoryCoordinator,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module (it takes a few seconds), then roll it back.

    The second load goes through the command, so its output is checked as well.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        first = load_demo_data()
        # The command also runs the loaders of later apps (SPOJKA_DEMO_LOADERS); count
        # after one full load, then load again through the command.
        call_command("load_demo", stdout=StringIO())
        counts_after_first = _counts()
        out = StringIO()
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


def test_demo_second_load_duplicates_nothing(loaded):
    assert loaded["counts_after_second"] == loaded["counts_after_first"]
    assert loaded["first"]["created"] == loaded["first"]["services"]
    assert loaded["first"]["updated"] == 0


def test_demo_command_ends_with_summary_line(loaded):
    first = loaded["first"]
    lines = loaded["output"].strip().splitlines()
    assert lines[-1] == (
        f"Demo data: 6 territories, {first['organizations']} organisations, "
        f"{first['services']} services, 4 users (created 0, updated {first['services']})."
    )
    for username, password, _description in DEMO_LOGINS:
        assert f"  {username} / {password}" in loaded["output"]


@pytest.mark.parametrize("code", REQUIRED_TYPE_CODES)
def test_demo_every_service_type_has_an_active_service(loaded, code):
    assert Service.objects.public().filter(service_type__code=code).exists()


def test_demo_has_at_least_seventy_services(loaded):
    assert Service.objects.public().filter(is_demo=True).count() >= 70


@pytest.mark.parametrize("slug", PROJECT_TERRITORIES)
def test_demo_territory_has_at_least_ten_services(loaded, slug):
    territory = Territory.objects.get(slug=slug)
    assert Service.objects.public().in_territory(territory).count() >= 10
    assert territory.intro
    assert territory.about
    assert territory.contact_email.endswith("@example.cz")
    assert "ukázkové jméno" in territory.contact_name


def test_demo_territory_kinds_and_national_territory(loaded):
    kinds = dict(Territory.objects.values_list("slug", "kind"))
    assert kinds == {
        "kyjovske-slovacko": "mas",
        "bohdanecsko": "mas",
        "vltavotynsko": "mas",
        "cesky-zapad": "mas",
        "vysocina": "region",
        "cr": "national",
    }
    assert (
        Territory.objects.get(slug="kyjovske-slovacko").municipalities.filter(code=586307).exists()
    )
    assert Territory.objects.get(slug="cr").municipalities.count() == 6258


def test_demo_vysocina_has_the_project_five_service_types(loaded):
    vysocina = Territory.objects.get(slug="vysocina")
    codes = set(
        Service.objects.public().in_territory(vysocina).values_list("service_type__code", flat=True)
    )
    assert {"57", "58", "60a", "67", "70"} <= codes


def test_demo_exactly_one_hidden_address(loaded):
    hidden = Location.objects.filter(address_hidden=True)
    assert hidden.count() == 1
    assert hidden.get().services.get().service_type.code in ("57", "60a")


def test_demo_organisations_are_marked_and_have_valid_ico(loaded):
    for org in Organization.objects.all():
        assert org.is_demo
        assert ico_checksum_ok(org.ico), org.name
        assert "Ukázková data" in org.description


def test_demo_capacity_shows_every_state(loaded):
    latest = [s.latest_capacity for s in Service.objects.select_related("latest_capacity")]
    reports = [r for r in latest if r is not None]
    assert any(r.has_room for r in reports)
    assert any(not r.is_stale and r.free_places == 0 and r.waiting_list > 0 for r in reports)
    assert any(r.is_stale for r in reports)
    assert None in latest
    # Some services keep a history of older reports.
    reported = Service.objects.filter(capacity_reports__isnull=False).distinct().count()
    assert reported < CapacityReport.objects.count()


def test_demo_field_services_have_areas(loaded):
    field = Service.objects.filter(forms__code="ter").distinct()
    assert field.exists()
    assert list(field.filter(areas__isnull=True).values_list("name", flat=True)) == []


def test_demo_users_log_in_with_their_roles(loaded, client):
    for username, password, _description in DEMO_LOGINS:
        assert client.login(username=username, password=password), username
        client.logout()
    assert TerritoryCoordinator.objects.filter(
        user__username="koordinator", territory__slug="kyjovske-slovacko"
    ).exists()
    memberships = set(
        Membership.objects.filter(role="provider_admin").values_list(
            "user__username", "organization__name"
        )
    )
    assert memberships == {
        ("poskytovatel", "Centrum sociálních služeb města Kyjov, p.o."),
        ("poskytovatel2", "Krok Kyjov, z.ú."),
    }

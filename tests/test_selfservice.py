"""Provider self-service and territory coordination, around personas and the access matrix.

Personas (see `world`): provider A is the admin of organisation A, provider B of
organisation B (both serve Kyjov, in the territory "kyjovsko"), the coordinator coordinates
kyjovsko, a third organisation serves Týn nad Vltavou (outside it), and the outsider has
an account and nothing else.
"""

from __future__ import annotations

import uuid
from datetime import time
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import permissions, services
from accounts.models import Membership
from catalog.models import ProvisionForm, TargetGroup
from directory.models import (
    CapacityReport,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceCoverage,
)
from directory.services import build_search_text
from directory.validators import ico_with_checksum
from spojka.text import normalize
from tests.factories import (
    KYJOV,
    LAZNE_BOHDANEC,
    TYN_NAD_VLTAVOU,
    make_organization,
    make_service,
    make_territory,
    make_user,
)

pytestmark = pytest.mark.django_db

PASSWORD = "heslo-pro-testy-1"  # the factories' password of every test user
ICO_A = ico_with_checksum("2706519")
ICO_NEW = ico_with_checksum("1234567")


@pytest.fixture
def world():
    territory = make_territory("kyjovsko", (KYJOV,), name="MAS Kyjovské Slovácko")
    org_a = make_organization("Poskytovatel A, z.ú.", ico=ICO_A)
    org_b = make_organization("Poskytovatel B, o.p.s.")
    org_far = make_organization("Poskytovatel u Vltavy, z.s.")
    service_a = make_service(org_a, name="Poradna A", free_places=2, waiting_list=1)
    service_b = make_service(
        org_b, type_code="57", name="Azylový dům B", free_places=0, waiting_list=5
    )
    service_far = make_service(org_far, name="Poradna u Vltavy", municipality=TYN_NAD_VLTAVOU)
    return SimpleNamespace(
        territory=territory,
        org_a=org_a,
        org_b=org_b,
        org_far=org_far,
        service_a=service_a,
        service_b=service_b,
        service_far=service_far,
        provider_a=make_user("provider_a", organization=org_a),
        provider_b=make_user("provider_b", organization=org_b),
        coordinator=make_user("koordinatorka", coordinates=territory),
        outsider=make_user("outsider"),
    )


def login(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def snapshot_service(service: Service) -> dict:
    """Everything a provider can change about a service, to show it did not change."""
    service = Service.objects.get(pk=service.pk)
    return {
        "fields": {name: getattr(service, name) for name in services.SERVICE_FIELDS},
        "latest_capacity": service.latest_capacity_id,
        "reports": list(service.capacity_reports.values_list("pk", flat=True)),
        "schedules": list(service.schedules.values_list("pk", "opens_at", "closes_at")),
        "forms": sorted(service.forms.values_list("code", flat=True)),
        "search_title": service.search_title,
    }


def service_post(service: Service, **changes) -> dict:
    data = {
        "name": service.name,
        "description": service.description,
        "eligibility": service.eligibility,
        "application_process": service.application_process,
        "fees_description": service.fees_description,
        "is_free": "on" if service.is_free else "",
        "forms": [f.pk for f in service.forms.all()],
        "target_groups": [g.pk for g in service.target_groups.all()],
        "age_groups": [g.pk for g in service.age_groups.all()],
        "email": service.email,
        "phone": service.phone,
        "url": service.url,
        "status": service.status,
    }
    data.update(changes)
    return data


def schedule_post(*rows: dict, initial: int = 0) -> dict:
    data = {
        "hodiny-TOTAL_FORMS": str(len(rows)),
        "hodiny-INITIAL_FORMS": str(initial),
        "hodiny-MIN_NUM_FORMS": "0",
        "hodiny-MAX_NUM_FORMS": "50",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"hodiny-{index}-{key}"] = value
    return data


# --- Capacity in one screen ---------------------------------------------------------------


def test_capacity_update_one_post_changes_latest_and_keeps_history(client, world):
    old = world.service_a.latest_capacity
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:capacity", kwargs={"pk": world.service_a.pk}),
        {"free_places": "0", "waiting_list": "4", "typical_wait_days": "30", "note": "Od března"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("accounts:dashboard"), 302)]
    assert messages_of(response) == ["Kapacita služby „Poradna A“ je uložená."]
    service = Service.objects.select_related("latest_capacity").get(pk=world.service_a.pk)
    latest = service.latest_capacity
    assert (
        latest.free_places,
        latest.waiting_list,
        latest.typical_wait_days,
        latest.note,
        latest.reported_by,
    ) == (0, 4, 30, "Od března", world.provider_a)
    history = list(
        service.capacity_reports.order_by("reported_at").values_list(
            "pk", "free_places", "waiting_list"
        )
    )
    assert history == [(old.pk, 2, 1), (latest.pk, 0, 4)]


def test_capacity_page_prefills_current_report_and_shows_history(client, world):
    login(client, world.provider_a)

    response = client.get(reverse("accounts:capacity", kwargs={"pk": world.service_a.pk}))

    assert response.status_code == 200
    assert response.context["form"].initial == {
        "free_places": 2,
        "waiting_list": 1,
        "typical_wait_days": None,
        "note": "",
    }
    assert [r.pk for r in response.context["history"]] == [world.service_a.latest_capacity_id]


def test_capacity_optional_wait_may_be_blank(client, world):
    login(client, world.provider_a)

    client.post(
        reverse("accounts:capacity", kwargs={"pk": world.service_a.pk}),
        {"free_places": "3", "waiting_list": "0", "typical_wait_days": "", "note": ""},
    )

    latest = Service.objects.get(pk=world.service_a.pk).latest_capacity
    assert (latest.free_places, latest.waiting_list, latest.typical_wait_days) == (3, 0, None)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"free_places": "-1", "waiting_list": "0"},
            {"free_places": ["Pole „Volná místa“: číslo nesmí být záporné."]},
        ),
        (
            {"free_places": "dvě", "waiting_list": "-3"},
            {
                "free_places": ["Pole „Volná místa“: zadejte celé číslo, například 3."],
                "waiting_list": ["Pole „Čeká v pořadníku“: číslo nesmí být záporné."],
            },
        ),
        (
            {"free_places": "", "waiting_list": "0"},
            {"free_places": ["Vyplňte pole „Volná místa“."]},
        ),
        (
            {"free_places": "1", "waiting_list": "0", "typical_wait_days": "-7"},
            {"typical_wait_days": ["Pole „Obvyklá čekací doba (dny)“: číslo nesmí být záporné."]},
        ),
    ],
)
def test_capacity_invalid_input_names_field_and_stores_nothing(client, world, data, errors):
    before = snapshot_service(world.service_a)
    login(client, world.provider_a)

    response = client.post(reverse("accounts:capacity", kwargs={"pk": world.service_a.pk}), data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert snapshot_service(world.service_a) == before
    assert CapacityReport.objects.count() == 2  # the fixtures' reports of A and B


# --- Provider A cannot see or change provider B's pages -----------------------------------

B_SERVICE_PAGES = ["accounts:capacity", "accounts:service_edit", "accounts:schedules"]


@pytest.mark.parametrize("name", B_SERVICE_PAGES)
def test_service_pages_of_b_are_404_for_a_get_and_post(client, world, name):
    before = snapshot_service(world.service_b)
    login(client, world.provider_a)
    url = reverse(name, kwargs={"pk": world.service_b.pk})
    payloads = {
        "accounts:capacity": {"free_places": "9", "waiting_list": "0"},
        "accounts:service_edit": service_post(world.service_b, name="Převzato"),
        "accounts:schedules": schedule_post(
            {"weekday": "1", "opens_at": "08:00", "closes_at": "12:00"}
        ),
    }

    assert client.get(url).status_code == 404
    assert client.post(url, payloads[name]).status_code == 404
    assert snapshot_service(world.service_b) == before


@pytest.mark.parametrize("name", B_SERVICE_PAGES)
def test_service_pages_missing_service_is_404_like_foreign(client, world, name):
    login(client, world.provider_a)

    response = client.get(reverse(name, kwargs={"pk": uuid.uuid4()}))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["accounts:organization_edit", "accounts:locations"])
def test_organization_pages_of_b_are_404_for_a(client, world, name):
    login(client, world.provider_a)
    url = reverse(name, kwargs={"pk": world.org_b.pk})

    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Převzato", "ico": ""}).status_code == 404
    assert Organization.objects.get(pk=world.org_b.pk).name == "Poskytovatel B, o.p.s."


def test_location_of_b_is_404_for_a(client, world):
    location = world.service_b.locations.get()
    login(client, world.provider_a)
    url = reverse("accounts:location_edit", kwargs={"pk": location.pk})

    assert client.get(url).status_code == 404
    response = client.post(url, {"name": "Převzato", "municipality": str(LAZNE_BOHDANEC)})
    assert response.status_code == 404
    location.refresh_from_db()
    assert (location.name, location.municipality_id) == ("Azylový dům B – Kyjov", KYJOV)


def test_outsider_sees_empty_dashboard_and_404_on_services(client, world):
    login(client, world.outsider)

    dashboard = client.get(reverse("accounts:dashboard"))

    assert list(dashboard.context["page"].object_list) == []
    for service in (world.service_a, world.service_b):
        assert client.get(reverse("accounts:capacity", kwargs={"pk": service.pk})).status_code == (
            404
        )


def test_a_cannot_smuggle_b_schedule_into_own_formset(client, world):
    foreign = Schedule.objects.create(
        service=world.service_b, weekday=1, opens_at=time(8), closes_at=time(12)
    )
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:schedules", kwargs={"pk": world.service_a.pk}),
        schedule_post(
            {"id": str(foreign.pk), "weekday": "2", "opens_at": "09:00", "closes_at": "10:00"},
            initial=1,
        ),
    )

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [
        "Některý řádek otevírací doby mezitím někdo změnil nebo smazal. "
        "Načtěte stránku znovu a zadejte změny ještě jednou."
    ]
    foreign.refresh_from_db()
    assert (foreign.service_id, foreign.weekday, foreign.opens_at) == (
        world.service_b.pk,
        1,
        time(8),
    )
    assert world.service_a.schedules.count() == 0


# --- Anonymous ----------------------------------------------------------------------------


def anonymous_urls(world) -> list[str]:
    return [
        reverse("accounts:dashboard"),
        reverse("accounts:capacity", kwargs={"pk": world.service_a.pk}),
        reverse("accounts:service_edit", kwargs={"pk": world.service_a.pk}),
        reverse("accounts:schedules", kwargs={"pk": world.service_a.pk}),
        reverse("accounts:organization_edit", kwargs={"pk": world.org_a.pk}),
        reverse("accounts:locations", kwargs={"pk": world.org_a.pk}),
        reverse("accounts:territory", kwargs={"slug": "kyjovsko"}),
        reverse("accounts:territory_texts", kwargs={"slug": "kyjovsko"}),
        reverse("accounts:password_change"),
    ]


def test_anonymous_is_redirected_to_login(client, world):
    login_url = reverse("accounts:login")
    for url in anonymous_urls(world):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"{login_url}?next={url}")


def test_anonymous_post_changes_nothing(client, world):
    before = snapshot_service(world.service_a)

    response = client.post(
        reverse("accounts:capacity", kwargs={"pk": world.service_a.pk}),
        {"free_places": "9", "waiting_list": "0"},
    )

    assert response.status_code == 302
    assert snapshot_service(world.service_a) == before


def test_login_page_renders_and_signs_in(client, world):
    url = reverse("accounts:login")

    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "provider_a", "password": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, reverse("accounts:dashboard"))


def test_logout_is_post_only(client, world):
    login(client, world.provider_a)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_every_page_renders_for_its_user_with_one_h1(client, world):
    location = world.service_a.locations.get()
    Schedule.objects.create(
        service=world.service_a, weekday=1, opens_at=time(8), closes_at=time(12)
    )
    pages = {
        world.provider_a: [
            reverse("accounts:dashboard"),
            reverse("accounts:capacity", kwargs={"pk": world.service_a.pk}),
            reverse("accounts:service_edit", kwargs={"pk": world.service_a.pk}),
            reverse("accounts:schedules", kwargs={"pk": world.service_a.pk}),
            reverse("accounts:organization_edit", kwargs={"pk": world.org_a.pk}),
            reverse("accounts:locations", kwargs={"pk": world.org_a.pk}),
            reverse("accounts:location_edit", kwargs={"pk": location.pk}),
            reverse("accounts:password_change"),
        ],
        world.coordinator: [
            reverse("accounts:territory", kwargs={"slug": "kyjovsko"}),
            reverse("accounts:territory_texts", kwargs={"slug": "kyjovsko"}),
        ],
    }
    for user, urls in pages.items():
        login(client, user)
        for url in urls:
            response = client.get(url)
            assert (url, response.status_code, response.content.decode().count("<h1")) == (
                url,
                200,
                1,
            )


# --- Dashboard ------------------------------------------------------------------------------


def test_dashboard_lists_own_services_organizations_and_capacity_link(client, world):
    login(client, world.provider_a)

    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [world.service_a]
    assert [m.organization for m in response.context["memberships"]] == [world.org_a]
    assert list(response.context["coordinated"]) == []
    capacity_url = reverse("accounts:capacity", kwargs={"pk": world.service_a.pk})
    assert response.content.decode().count(f'href="{capacity_url}"') == 1


def test_dashboard_of_coordinator_lists_territory_services(client, world):
    login(client, world.coordinator)

    response = client.get(reverse("accounts:dashboard"))

    assert list(response.context["page"].object_list) == [world.service_a, world.service_b]
    assert [c.territory for c in response.context["coordinated"]] == [world.territory]


def dashboard_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_services(client, world):
    login(client, world.provider_a)
    one = dashboard_queries(client, world.provider_a)
    for index in range(2):
        make_service(world.org_a, name=f"Služba {index}", free_places=index)

    three = dashboard_queries(client, world.provider_a)

    assert len(Service.objects.editable_by(world.provider_a)) == 3
    assert three == one


# --- Editing a service ------------------------------------------------------------------------


def test_service_edit_saves_fields_and_refreshes_search_text(client, world):
    login(client, world.provider_a)
    forms = list(ProvisionForm.objects.filter(code__in=["amb", "ter"]))
    seniors = TargetGroup.objects.get(code="24")

    response = client.post(
        reverse("accounts:service_edit", kwargs={"pk": world.service_a.pk}),
        service_post(
            world.service_a,
            name="Poradna pro seniory",
            description="Pomůžeme s dávkami a s dluhy.",
            forms=[f.pk for f in forms],
            target_groups=[seniors.pk],
            is_free="on",
            url="poradna.example.cz",
            status="inactive",
        ),
    )

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("accounts:service_edit", kwargs={"pk": world.service_a.pk}),
    )
    service = Service.objects.get(pk=world.service_a.pk)
    assert (service.name, service.description, service.url, service.status) == (
        "Poradna pro seniory",
        "Pomůžeme s dávkami a s dluhy.",
        "https://poradna.example.cz",
        "inactive",
    )
    assert sorted(service.forms.values_list("code", flat=True)) == ["amb", "ter"]
    assert list(service.target_groups.all()) == [seniors]
    title, body = build_search_text(service)
    assert (service.search_title, service.search_document) == (normalize(title), normalize(body))
    assert service.search_title.startswith(normalize("Poradna pro seniory"))


def test_service_edit_blank_name_is_refused(client, world):
    before = snapshot_service(world.service_a)
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:service_edit", kwargs={"pk": world.service_a.pk}),
        service_post(world.service_a, name=""),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Vyplňte název služby."]}
    assert snapshot_service(world.service_a) == before


def test_coordinator_edits_service_in_territory_but_not_outside(client, world):
    login(client, world.coordinator)

    inside = client.post(
        reverse("accounts:service_edit", kwargs={"pk": world.service_b.pk}),
        service_post(world.service_b, name="Azylový dům Kyjov"),
    )
    before_far = snapshot_service(world.service_far)
    outside_get = client.get(reverse("accounts:service_edit", kwargs={"pk": world.service_far.pk}))
    outside_post = client.post(
        reverse("accounts:service_edit", kwargs={"pk": world.service_far.pk}),
        service_post(world.service_far, name="Převzato"),
    )

    assert inside.status_code == 302
    assert Service.objects.get(pk=world.service_b.pk).name == "Azylový dům Kyjov"
    assert (outside_get.status_code, outside_post.status_code) == (404, 404)
    assert snapshot_service(world.service_far) == before_far


def test_coordinator_reports_capacity_in_territory(client, world):
    login(client, world.coordinator)

    client.post(
        reverse("accounts:capacity", kwargs={"pk": world.service_b.pk}),
        {"free_places": "1", "waiting_list": "2"},
    )

    latest = Service.objects.get(pk=world.service_b.pk).latest_capacity
    assert (latest.free_places, latest.waiting_list, latest.reported_by) == (
        1,
        2,
        world.coordinator,
    )


# --- Opening hours ------------------------------------------------------------------------------


def test_schedule_closes_before_opens_names_field_and_stores_nothing(client, world):
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:schedules", kwargs={"pk": world.service_a.pk}),
        schedule_post({"weekday": "1", "opens_at": "16:00", "closes_at": "08:00"}),
    )

    assert response.status_code == 200
    assert response.context["formset"].errors == [
        {"closes_at": ["Čas „do“ musí být později než čas „od“."]}
    ]
    assert Schedule.objects.count() == 0


def test_schedules_add_change_and_delete(client, world):
    keep = Schedule.objects.create(
        service=world.service_a, weekday=1, opens_at=time(8), closes_at=time(12)
    )
    drop = Schedule.objects.create(
        service=world.service_a, weekday=2, opens_at=time(8), closes_at=time(12)
    )
    login(client, world.provider_a)
    url = reverse("accounts:schedules", kwargs={"pk": world.service_a.pk})

    response = client.post(
        url,
        schedule_post(
            {"id": str(keep.pk), "weekday": "1", "opens_at": "08:00", "closes_at": "15:30"},
            {"id": str(drop.pk), "weekday": "2", "opens_at": "08:00", "closes_at": "12:00",
             "DELETE": "on"},
            {"weekday": "4", "opens_at": "13:00", "closes_at": "17:00", "note": "po objednání"},
            {"weekday": "", "opens_at": "", "closes_at": ""},
            initial=2,
        ),
    )  # fmt: skip

    assert (response.status_code, response["Location"]) == (302, url)
    rows = list(
        world.service_a.schedules.values_list("pk", "weekday", "opens_at", "closes_at", "note")
    )
    assert rows[0] == (keep.pk, 1, time(8), time(15, 30), "")
    assert rows[1][1:] == (4, time(13), time(17), "po objednání")
    assert len(rows) == 2


# --- Organisation and its places -----------------------------------------------------------------


def organization_post(organization: Organization, **changes) -> dict:
    data = {
        "name": organization.name,
        "ico": organization.ico,
        "email": organization.email,
        "website": organization.website,
        "phone": organization.phone,
        "description": organization.description,
    }
    data.update(changes)
    return data


def test_organization_bad_ico_names_field_and_stores_nothing(client, world):
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:organization_edit", kwargs={"pk": world.org_a.pk}),
        organization_post(world.org_a, name="Nový název", ico="12345678"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "ico": ["IČO „12345678“ není platné: musí mít 8 číslic a správnou kontrolní číslici."]
    }
    organization = Organization.objects.get(pk=world.org_a.pk)
    assert (organization.name, organization.ico) == ("Poskytovatel A, z.ú.", ICO_A)


def test_organization_edit_saves_and_reindexes_services(client, world):
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:organization_edit", kwargs={"pk": world.org_a.pk}),
        organization_post(
            world.org_a, name="Charita Kyjov", ico=f"{ICO_NEW[:4]} {ICO_NEW[4:]}",
            phone="+420 518 123 456",
        ),
    )  # fmt: skip

    assert response.status_code == 302
    organization = Organization.objects.get(pk=world.org_a.pk)
    assert (organization.name, organization.ico, organization.phone) == (
        "Charita Kyjov",
        ICO_NEW,
        "+420 518 123 456",
    )
    service = Service.objects.get(pk=world.service_a.pk)
    assert service.search_document == normalize(build_search_text(service)[1])
    tokens = service.search_document.split()
    assert (normalize("Charita") in tokens, normalize("Poskytovatel") in tokens) == (True, False)


def test_organization_bad_phone_names_field(client, world):
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:organization_edit", kwargs={"pk": world.org_a.pk}),
        organization_post(world.org_a, phone="zavolejte"),
    )

    assert response.context["form"].errors == {
        "phone": ["Pole „Telefon“: zadejte telefonní číslo, například +420 777 123 456."]
    }


def location_post(location: Location | None = None, **changes) -> dict:
    data = {
        "name": location.name if location else "",
        "street": location.street if location else "",
        "city": location.city if location else "",
        "postal_code": location.postal_code if location else "",
        "municipality": str(location.municipality_id) if location else "",
        "latitude": "" if location is None or location.latitude is None else location.latitude,
        "longitude": "" if location is None or location.longitude is None else location.longitude,
        "accessibility": location.accessibility if location else "",
        "transport": location.transport if location else "",
    }
    if location and location.address_hidden:
        data["address_hidden"] = "on"
    if location:
        data["services"] = [str(pk) for pk in location.services.values_list("pk", flat=True)]
    data.update(changes)
    return data


def test_location_unknown_municipality_names_field_and_stores_nothing(client, world):
    location = world.service_a.locations.get()
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:location_edit", kwargs={"pk": location.pk}),
        location_post(location, municipality="999999", latitude="60", street="Nová 5"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "municipality": ["Kód obce: obec s kódem 999999 neexistuje."],
        "latitude": ["Zeměpisná šířka: 60.0 neleží v Česku (čekáme 48,5 až 51,1)."],
    }
    location.refresh_from_db()
    assert (location.street, location.municipality_id) == ("Masarykovo nám. 1", KYJOV)


def test_location_move_recomputes_coverage(client, world):
    location = world.service_a.locations.get()
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:location_edit", kwargs={"pk": location.pk}),
        location_post(
            location, municipality=str(LAZNE_BOHDANEC), postal_code="53341",
            latitude="", longitude="", address_hidden="on",
        ),
    )  # fmt: skip

    assert response.status_code == 302
    location.refresh_from_db()
    assert (location.municipality_id, location.postal_code, location.address_hidden) == (
        LAZNE_BOHDANEC,
        "533 41",
        True,
    )
    assert list(
        ServiceCoverage.objects.filter(service=world.service_a).values_list(
            "municipality_id", flat=True
        )
    ) == [LAZNE_BOHDANEC]


def test_location_add_places_service_there(client, world):
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:locations", kwargs={"pk": world.org_a.pk}),
        location_post(
            name="Pobočka Bohdaneč", city="Lázně Bohdaneč",
            municipality=str(LAZNE_BOHDANEC), services=[str(world.service_a.pk)],
        ),
    )  # fmt: skip

    assert response.status_code == 302
    added = Location.objects.get(name="Pobočka Bohdaneč")
    assert (added.organization, added.municipality_id) == (world.org_a, LAZNE_BOHDANEC)
    assert list(added.services.all()) == [world.service_a]
    assert sorted(
        ServiceCoverage.objects.filter(service=world.service_a).values_list(
            "municipality_id", flat=True
        )
    ) == sorted([KYJOV, LAZNE_BOHDANEC])


def test_location_form_offers_only_own_services(client, world):
    login(client, world.provider_a)

    response = client.post(
        reverse("accounts:locations", kwargs={"pk": world.org_a.pk}),
        location_post(name="Cizí", municipality=str(KYJOV), services=[str(world.service_b.pk)]),
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["services"]
    assert Location.objects.filter(name="Cizí").count() == 0


# --- Territory coordination --------------------------------------------------------------------


def test_territory_page_lists_organizations_and_members(client, world):
    login(client, world.coordinator)

    response = client.get(reverse("accounts:territory", kwargs={"slug": "kyjovsko"}))

    assert response.status_code == 200
    organizations = list(response.context["organizations"])
    assert organizations == [world.org_a, world.org_b]
    assert [[m.user.username for m in o.memberships.all()] for o in organizations] == [
        ["provider_a"],
        ["provider_b"],
    ]


@pytest.mark.parametrize("persona", ["provider_a", "outsider"])
def test_territory_pages_are_404_for_non_coordinators(client, world, persona):
    login(client, getattr(world, persona))

    for name in ("accounts:territory", "accounts:territory_texts"):
        assert client.get(reverse(name, kwargs={"slug": "kyjovsko"})).status_code == 404
    response = client.post(
        reverse("accounts:territory_add_member", kwargs={"slug": "kyjovsko"}),
        {"organization": world.org_a.pk, "username": "vetrelec", "email": "v@example.cz",
         "role": "provider_admin"},
    )  # fmt: skip
    assert response.status_code == 404
    assert get_user_model().objects.filter(username="vetrelec").count() == 0


def test_territory_change_endpoints_are_post_only(client, world):
    login(client, world.coordinator)

    for name in (
        "accounts:territory_add_member",
        "accounts:territory_add_organization",
        "accounts:territory_remove_member",
    ):
        assert client.get(reverse(name, kwargs={"slug": "kyjovsko"})).status_code == 405


def test_coordinator_adds_organization_with_seat(client, world):
    login(client, world.coordinator)

    response = client.post(
        reverse("accounts:territory_add_organization", kwargs={"slug": "kyjovsko"}),
        {"name": "Spolek Náruč", "ico": ICO_NEW, "municipality": str(KYJOV)},
    )

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("accounts:territory", kwargs={"slug": "kyjovsko"}),
    )
    organization = Organization.objects.get(name="Spolek Náruč")
    assert organization.ico == ICO_NEW
    assert list(organization.locations.values_list("name", "municipality_id")) == [
        ("Sídlo organizace", KYJOV)
    ]
    assert permissions.can_edit_organization(world.coordinator, organization)
    assert not permissions.can_edit_organization(world.provider_a, organization)
    page = client.get(reverse("accounts:territory", kwargs={"slug": "kyjovsko"}))
    assert list(page.context["organizations"]) == [world.org_a, world.org_b, organization]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"name": "Spolek", "ico": "12345678", "municipality": str(KYJOV)},
            {
                "ico": [
                    "IČO „12345678“ není platné: musí mít 8 číslic a správnou kontrolní číslici."
                ]
            },
        ),
        (
            {"name": "Spolek", "ico": ICO_A, "municipality": str(KYJOV)},
            {"ico": [f"Organizace s IČO {ICO_A} už v adresáři je."]},
        ),
        (
            {"name": "Spolek", "ico": "", "municipality": str(TYN_NAD_VLTAVOU)},
            {"municipality": ["Sídlo: vybraná obec nepatří do území."]},
        ),
    ],
)
def test_add_organization_invalid_names_field_and_stores_nothing(client, world, data, errors):
    login(client, world.coordinator)
    count = Organization.objects.count()

    response = client.post(
        reverse("accounts:territory_add_organization", kwargs={"slug": "kyjovsko"}), data
    )

    assert response.status_code == 200
    assert response.context["organization_form"].errors == errors
    assert Organization.objects.count() == count


def test_coordinator_adds_member_who_sets_own_password(client, world):
    login(client, world.coordinator)

    response = client.post(
        reverse("accounts:territory_add_member", kwargs={"slug": "kyjovsko"}),
        {"organization": str(world.org_b.pk), "username": "jana.novakova",
         "email": "jana@example.cz", "role": "provider_staff"},
    )  # fmt: skip

    assert response.status_code == 200
    user = get_user_model().objects.get(username="jana.novakova")
    assert (user.email, user.has_usable_password()) == ("jana@example.cz", False)
    assert list(user.memberships.values_list("organization_id", "role")) == [
        (world.org_b.pk, "provider_staff")
    ]
    link = response.context["link"]
    assert link.startswith("http://testserver/ucet/nastavit-heslo/")

    # The new user opens the link (in their own browser) and sets the password.
    client.logout()
    step = client.get(link)
    assert step.status_code == 302
    form_url = step["Location"]
    assert client.get(form_url).context["validlink"] is True
    done = client.post(
        form_url, {"new_password1": "Slunecnice-2025", "new_password2": "Slunecnice-2025"}
    )
    assert (done.status_code, done["Location"]) == (302, reverse("accounts:login"))
    user.refresh_from_db()
    assert user.check_password("Slunecnice-2025")
    # The link works once.
    assert client.get(link, follow=True).context["validlink"] is False
    # And the new member edits organisation B's service.
    assert permissions.can_edit_service(user, world.service_b)


def test_add_member_existing_username_with_other_email_is_refused(client, world):
    login(client, world.coordinator)

    response = client.post(
        reverse("accounts:territory_add_member", kwargs={"slug": "kyjovsko"}),
        {"organization": str(world.org_b.pk), "username": "provider_a",
         "email": "jiny@example.cz", "role": "provider_admin"},
    )  # fmt: skip

    assert response.status_code == 200
    assert response.context["member_form"].errors == {
        "username": ["Uživatelské jméno provider_a už používá někdo jiný s jiným e-mailem."]
    }
    assert list(world.provider_a.memberships.values_list("organization_id", flat=True)) == [
        world.org_a.pk
    ]


def test_add_member_to_organization_outside_territory_is_refused(client, world):
    login(client, world.coordinator)

    response = client.post(
        reverse("accounts:territory_add_member", kwargs={"slug": "kyjovsko"}),
        {"organization": str(world.org_far.pk), "username": "nekdo",
         "email": "nekdo@example.cz", "role": "provider_admin"},
    )  # fmt: skip

    assert response.context["member_form"].errors == {
        "organization": ["Organizace: vybraná organizace v území není."]
    }
    assert get_user_model().objects.filter(username="nekdo").count() == 0


def test_coordinator_removes_membership(client, world):
    membership = Membership.objects.get(user=world.provider_b)
    login(client, world.coordinator)

    response = client.post(
        reverse("accounts:territory_remove_member", kwargs={"slug": "kyjovsko"}),
        {"membership": str(membership.pk)},
        follow=True,
    )

    assert messages_of(response) == [
        "Uživatel provider_b už není členem organizace „Poskytovatel B, o.p.s.“."
    ]
    assert Membership.objects.filter(pk=membership.pk).count() == 0
    assert not permissions.can_edit_service(world.provider_b, world.service_b)


def test_coordinator_cannot_remove_membership_outside_territory(client, world):
    far_user = make_user("far_user", organization=world.org_far)
    membership = Membership.objects.get(user=far_user)
    login(client, world.coordinator)

    response = client.post(
        reverse("accounts:territory_remove_member", kwargs={"slug": "kyjovsko"}),
        {"membership": str(membership.pk)},
    )

    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).count() == 1


def test_coordinator_edits_portal_texts(client, world):
    login(client, world.coordinator)

    response = client.post(
        reverse("accounts:territory_texts", kwargs={"slug": "kyjovsko"}),
        {"intro": "Pomoc na Kyjovsku.", "about": "Projekt MAS.", "contact_name": "Eva Malá",
         "contact_role": "koordinátorka", "contact_email": "eva@example.cz",
         "contact_phone": "518 123 456", "contact_hours": "po–čt 8–16"},
    )  # fmt: skip

    assert response.status_code == 302
    world.territory.refresh_from_db()
    assert (
        world.territory.intro,
        world.territory.contact_name,
        world.territory.contact_phone,
        world.territory.contact_hours,
    ) == ("Pomoc na Kyjovsku.", "Eva Malá", "518 123 456", "po–čt 8–16")


# --- Services: the same rules without the views --------------------------------------------------


def test_services_refuse_users_without_access(world):
    with pytest.raises(PermissionDenied):
        services.add_member(
            coordinator=world.provider_a, organization=world.org_a, username="x",
            email="x@example.cz", role="provider_admin",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.update_service(service=world.service_b, by=world.provider_a, data={"name": "X"})
    with pytest.raises(PermissionDenied):
        services.update_territory_texts(
            coordinator=world.provider_a, territory=world.territory, data={"intro": "X"}
        )
    assert Service.objects.get(pk=world.service_b.pk).name == "Azylový dům B"


def test_permission_predicates_matrix(world):
    expected = {
        "provider_a": (True, False, False, False),
        "provider_b": (False, True, False, False),
        "coordinator": (True, True, False, True),
        "outsider": (False, False, False, False),
    }
    actual = {
        persona: (
            permissions.can_edit_service(user, world.service_a),
            permissions.can_edit_service(user, world.service_b),
            permissions.can_edit_service(user, world.service_far),
            permissions.can_coordinate(user, world.territory),
        )
        for persona, user in {
            "provider_a": world.provider_a,
            "provider_b": world.provider_b,
            "coordinator": world.coordinator,
            "outsider": world.outsider,
        }.items()
    }
    assert actual == expected


def test_capacity_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.provider_a)
    before = snapshot_service(world.service_a)

    response = client.post(
        reverse("accounts:capacity", kwargs={"pk": world.service_a.pk}),
        {"free_places": "9", "waiting_list": "0"},
    )

    assert response.status_code == 403
    assert snapshot_service(world.service_a) == before

"""The HSDS 3.0 API at /api/hsds/: filters, search, capacity, privacy, HTTP behaviour, cost.

Conformance to the official schemas on the whole demo is in test_hsds_conformance.py;
here small directories built with the factories pin down the behaviour.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from api.hsds_serializers import (
    AGE_GROUPS,
    LIFE_SITUATIONS,
    PROVISION_FORMS,
    SERVICE_TYPES,
    TARGET_GROUPS,
    term_id,
)
from catalog.models import CapacityType, ProvisionForm
from directory.models import (
    Contact,
    Location,
    RegisteredCapacity,
    Schedule,
    Service,
    ServiceArea,
)
from directory.search import SearchFilters, search_services
from directory.services import report_capacity
from tests.factories import (
    KYJOV,
    TYN_NAD_VLTAVOU,
    make_organization,
    make_service,
    make_territory,
)
from tests.test_hsds_conformance import validate

pytestmark = pytest.mark.django_db

BASE = "/api/hsds"
VRACOV = 586765
ZDANICE = 586803
SECRET_STREET = "Tajná 13"
SECRET_POSTCODE = "375 99"


@pytest.fixture
def client() -> Client:
    return Client()


def get(client: Client, path: str, **params):
    return client.get(BASE + path, params)


def get_json(client: Client, path: str, **params):
    response = get(client, path, **params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def names(page: dict) -> list[str]:
    """Names of a page, sorted (lists without `search` are in id order)."""
    return sorted(item["name"] for item in page["contents"])


def ids(page: dict) -> list[str]:
    return [item["id"] for item in page["contents"]]


@pytest.fixture
def directory(db):
    """Two territories, three organisations, five services (one not active)."""
    kyjovsko = make_territory("kyjovsko", (KYJOV, VRACOV, ZDANICE), name="Kyjovsko")
    tynsko = make_territory("tynsko", (TYN_NAD_VLTAVOU,), name="Týnsko")
    charita = make_organization("Charita Kyjov", ico="00064581")
    poradna = make_organization("Poradna Vracov, z.ú.", ico="27019864")
    intervence = make_organization("Intervenční centrum Jih, z.ú.")
    shelter = make_service(
        charita,
        type_code="57",
        name="Azylový dům pro matky s dětmi Kyjov",
        forms=("pob",),
        target_groups=("7",),
        free_places=2,
        waiting_list=1,
    )
    counselling = make_service(
        poradna,
        type_code="37",
        name="Občanská poradna Vracov",
        municipality=VRACOV,
        description="Poradíme s dluhy a exekucemi.",
    )
    care = make_service(
        charita,
        type_code="40",
        name="Pečovatelská služba Kyjov",
        forms=("ter",),
        area_municipalities=(ZDANICE,),
        free_places=0,
        waiting_list=5,
    )
    crisis = make_service(
        intervence,
        type_code="60a",
        name="Intervenční centrum Týn",
        municipality=TYN_NAD_VLTAVOU,
        address_hidden=True,
    )
    Location.objects.filter(services=crisis).update(
        street=SECRET_STREET, postal_code=SECRET_POSTCODE, latitude=49.123456, longitude=14.654321
    )
    # A report older than the staleness limit: free places, but not verified.
    report_capacity(service=crisis, free_places=3, reported_at=timezone.now() - timedelta(days=45))
    paused = make_service(
        poradna, type_code="37", name="Poradna Ždánice", municipality=ZDANICE, status="inactive"
    )
    return {
        "kyjovsko": kyjovsko,
        "tynsko": tynsko,
        "charita": charita,
        "poradna": poradna,
        "shelter": shelter,
        "counselling": counselling,
        "care": care,
        "crisis": crisis,
        "paused": paused,
    }


# --- lists and filters ------------------------------------------------------------------------


def test_services_lists_public_services_by_id_with_the_envelope(client, directory):
    page = get_json(client, "/services")
    assert names(page) == [
        "Azylový dům pro matky s dětmi Kyjov",
        "Intervenční centrum Týn",
        "Občanská poradna Vracov",
        "Pečovatelská služba Kyjov",
    ]
    assert {k: v for k, v in page.items() if k != "contents"} == {
        "total_items": 4,
        "total_pages": 1,
        "page_number": 1,
        "size": 4,
        "first_page": True,
        "last_page": True,
        "empty": False,
    }
    assert ids(page) == sorted(ids(page))
    for item in page["contents"]:
        validate("service_list", item)


def test_paging_by_per_page(client, directory):
    first = get_json(client, "/services", per_page=3, page=1)
    second = get_json(client, "/services", per_page=3, page=2)
    assert ids(first) + ids(second) == ids(get_json(client, "/services"))
    assert second["size"] == 1
    assert second["total_pages"] == 2
    assert second["first_page"] is False and second["last_page"] is True
    assert get_json(client, "/services", per_page=3, page=3)["empty"] is True


def test_no_services_is_one_empty_page(client, db):
    page = get_json(client, "/services")
    assert page["total_items"] == 0
    assert page["total_pages"] == 1
    assert page["first_page"] and page["last_page"] and page["empty"]


def test_a_service_that_is_not_active_is_not_listed_but_has_its_detail(client, directory):
    assert "Poradna Ždánice" not in names(get_json(client, "/services"))
    detail = get_json(client, f"/services/{directory['paused'].id}")
    assert detail["status"] == "inactive"
    validate("service", detail)


def test_filter_by_service_type_term_and_its_category(client, directory):
    shelter_term = term_id(SERVICE_TYPES, "57")
    assert names(get_json(client, "/services", taxonomy_term_id=shelter_term)) == [
        "Azylový dům pro matky s dětmi Kyjov"
    ]
    prevention = term_id(SERVICE_TYPES, "kategorie-prevence")
    assert names(get_json(client, "/services", taxonomy_term_id=prevention)) == [
        "Azylový dům pro matky s dětmi Kyjov",
        "Intervenční centrum Týn",
    ]


def test_filter_by_target_group_form_age_group_and_life_situation(client, directory):
    homeless = term_id(TARGET_GROUPS, "7")
    assert names(get_json(client, "/services", taxonomy_term_id=homeless)) == [
        "Azylový dům pro matky s dětmi Kyjov"
    ]
    field = term_id(PROVISION_FORMS, "ter")
    assert names(get_json(client, "/services", taxonomy_term_id=field)) == [
        "Pečovatelská služba Kyjov"
    ]
    assert get_json(client, "/services", taxonomy_term_id=term_id(AGE_GROUPS, "7"))["empty"]
    violence = term_id(LIFE_SITUATIONS, "domaci-nasili")  # 60a, 60, 57, 37, 55
    assert names(get_json(client, "/services", taxonomy_term_id=violence)) == [
        "Azylový dům pro matky s dětmi Kyjov",
        "Intervenční centrum Týn",
        "Občanská poradna Vracov",
    ]


def test_filter_by_taxonomy(client, directory):
    with_groups = get_json(client, "/services", taxonomy_id=TARGET_GROUPS.id)
    assert names(with_groups) == ["Azylový dům pro matky s dětmi Kyjov"]
    assert get_json(client, "/services", taxonomy_id=SERVICE_TYPES.id)["total_items"] == 4


def test_filter_by_territory_and_municipality(client, directory):
    assert names(get_json(client, "/services", territory="kyjovsko")) == [
        "Azylový dům pro matky s dětmi Kyjov",
        "Občanská poradna Vracov",
        "Pečovatelská služba Kyjov",
    ]
    assert names(get_json(client, "/services", territory="tynsko")) == ["Intervenční centrum Týn"]
    # Ždánice: only the field service comes there (its service area).
    assert names(get_json(client, "/services", municipality=ZDANICE)) == [
        "Pečovatelská služba Kyjov"
    ]
    assert names(get_json(client, "/services", municipality=KYJOV)) == [
        "Azylový dům pro matky s dětmi Kyjov",
        "Pečovatelská služba Kyjov",
    ]


def test_filter_by_verified_free_places(client, directory):
    # The shelter has 2 free places; care is full; the crisis centre's report is stale.
    assert names(get_json(client, "/services", has_capacity="true")) == [
        "Azylový dům pro matky s dětmi Kyjov"
    ]
    assert names(get_json(client, "/services", has_capacity="false")) == [
        "Intervenční centrum Týn",
        "Občanská poradna Vracov",
        "Pečovatelská služba Kyjov",
    ]


def test_filter_by_organization_and_modified_after(client, directory):
    charita = str(directory["charita"].id)
    assert names(get_json(client, "/services", organization_id=charita)) == [
        "Azylový dům pro matky s dětmi Kyjov",
        "Pečovatelská služba Kyjov",
    ]
    assert get_json(client, "/services", organization_id=str(uuid.uuid4()))["empty"]
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    assert get_json(client, "/services", modified_after=future)["empty"]
    Service.objects.filter(pk=directory["counselling"].pk).update(
        updated_at=timezone.now() - timedelta(days=10)
    )
    Service.objects.exclude(pk=directory["counselling"].pk).update(
        updated_at=timezone.now() - timedelta(days=10)
    )
    from directory.models import Organization

    Organization.objects.update(updated_at=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    # Only reports of the last day count: the shelter's and the care service's.
    assert names(get_json(client, "/services", modified_after=since)) == [
        "Azylový dům pro matky s dětmi Kyjov",
        "Pečovatelská služba Kyjov",
    ]
    report_capacity(service=directory["counselling"], free_places=1)
    assert "Občanská poradna Vracov" in names(get_json(client, "/services", modified_after=since))


def test_a_report_going_stale_is_a_modification(client, directory):
    from directory.models import Organization

    Service.objects.update(updated_at=timezone.now() - timedelta(days=60))
    Organization.objects.update(updated_at=timezone.now() - timedelta(days=60))
    # The crisis centre's report (45 days old) went stale 15 days ago.
    since = (timezone.now() - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    listed = names(get_json(client, "/services", modified_after=since))
    assert "Intervenční centrum Týn" in listed
    detail = get_json(client, f"/services/{directory['crisis'].id}")
    stale_at = directory["crisis"].latest_capacity.reported_at + timedelta(days=30)
    assert detail["last_modified"].startswith(stale_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M"))


def test_filters_are_cumulative(client, directory):
    page = get_json(
        client,
        "/services",
        territory="kyjovsko",
        organization_id=str(directory["charita"].id),
        has_capacity="true",
    )
    assert names(page) == ["Azylový dům pro matky s dětmi Kyjov"]


def test_service_at_locations_use_the_same_filters(client, directory):
    everything = get_json(client, "/service_at_locations")
    assert everything["total_items"] == 4  # the paused service's place is not listed
    assert sorted(item["service"]["name"] for item in everything["contents"]) == names(
        get_json(client, "/services")
    )
    page = get_json(client, "/service_at_locations", territory="kyjovsko", has_capacity="true")
    assert [item["service"]["name"] for item in page["contents"]] == [
        "Azylový dům pro matky s dětmi Kyjov"
    ]
    item = page["contents"][0]
    validate("service_at_location_list", item)
    assert item["location"]["cz_municipality"] == {"code": KYJOV, "name": "Kyjov"}


def test_organizations_are_those_with_a_public_service(client, directory):
    make_organization("Spolek bez služeb")
    page = get_json(client, "/organizations")
    assert names(page) == [
        "Charita Kyjov",
        "Intervenční centrum Jih, z.ú.",
        "Poradna Vracov, z.ú.",
    ]
    assert names(get_json(client, "/organizations", territory="tynsko")) == [
        "Intervenční centrum Jih, z.ú."
    ]
    assert names(get_json(client, "/organizations", search="00064581")) == ["Charita Kyjov"]
    charita = next(org for org in page["contents"] if org["name"] == "Charita Kyjov")
    assert charita["organization_identifiers"][0]["identifier"] == "00064581"
    assert charita["organization_identifiers"][0]["identifier_scheme"] == "CZ-ICO"
    detail = get_json(client, f"/organizations/{charita['id']}")
    validate("organization", detail)
    assert [s["name"] for s in detail["services"]] == [
        "Azylový dům pro matky s dětmi Kyjov",
        "Pečovatelská služba Kyjov",
    ]


def test_taxonomy_terms_filters(client, directory):
    kinds = get_json(client, "/taxonomy_terms", taxonomy_id=SERVICE_TYPES.id, per_page=500)
    top = get_json(
        client, "/taxonomy_terms", taxonomy_id=SERVICE_TYPES.id, top_only="true", per_page=500
    )
    assert {t["code"] for t in top["contents"]} == {
        "kategorie-poradenstvi",
        "kategorie-pece",
        "kategorie-prevence",
        "kategorie-jina",
    }
    prevention = term_id(SERVICE_TYPES, "kategorie-prevence")
    under = get_json(client, "/taxonomy_terms", parent_id=prevention, per_page=500)
    assert "57" in {t["code"] for t in under["contents"]}
    assert "40" not in {t["code"] for t in under["contents"]}
    assert kinds["total_items"] > under["total_items"]
    found = get_json(client, "/taxonomy_terms", search="azylove domy", taxonomy_id=SERVICE_TYPES.id)
    assert [t["code"] for t in found["contents"]] == ["57"]
    term = get_json(client, f"/taxonomy_terms/{term_id(SERVICE_TYPES, '60a')}")
    assert term["code"] == "60a"
    assert term["cz_paragraph"] == "60a"
    validate("taxonomy_term", term)
    taxonomy = get_json(client, f"/taxonomies/{SERVICE_TYPES.id}")
    assert "108/2006" in taxonomy["name"]
    validate("taxonomy", taxonomy)


# --- search -----------------------------------------------------------------------------------


def test_search_puts_the_shelter_first_as_the_portal_does(client, directory):
    page = get_json(client, "/services", search="azylovy dum")
    assert page["contents"][0]["name"] == "Azylový dům pro matky s dětmi Kyjov"
    portal = search_services(territory=None, query="azylovy dum", page_size=50)
    assert [item["id"] for item in page["contents"]] == [str(h.service.id) for h in portal.hits]


def test_search_with_municipality_ranks_as_the_portal_among_services_covering_it(client, directory):
    page = get_json(client, "/services", search="pomoc seniorům doma", municipality=KYJOV)
    portal = search_services(
        territory=None,
        query="pomoc seniorům doma",
        filters=SearchFilters(municipality=KYJOV),
        page_size=50,
    )
    covering = {str(s.id) for s in Service.objects.covering(KYJOV)}
    expected = [str(h.service.id) for h in portal.hits if str(h.service.id) in covering]
    assert [item["id"] for item in page["contents"]] == expected


def test_search_thesaurus_finds_debt_advice(client, directory):
    page = get_json(client, "/services", search="hrozí mi exekuce")
    assert page["contents"][0]["name"] == "Občanská poradna Vracov"


def test_search_pages_and_ndjson_keep_the_ranked_order(client, directory):
    ranked = [item["id"] for item in get_json(client, "/services", search="kyjov")["contents"]]
    paged = []
    for number in (1, 2):
        paged += [
            item["id"]
            for item in get_json(client, "/services", search="kyjov", per_page=2, page=number)[
                "contents"
            ]
        ]
    assert paged == ranked[:4]
    response = get(client, "/services", search="kyjov", format="ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ranked


# --- objects ----------------------------------------------------------------------------------


def test_full_service_has_its_relations(client, directory):
    shelter = directory["shelter"]
    Schedule.objects.create(service=shelter, weekday=1, opens_at=time(8), closes_at=time(16))
    Contact.objects.create(
        service=shelter, name="Jana Nováková", title="sociální pracovnice", phone="+420 1"
    )
    ServiceArea.objects.create(service=shelter, orp_id=6210)
    RegisteredCapacity.objects.create(
        service=shelter,
        form=ProvisionForm.objects.get(code="pob"),
        capacity_type=CapacityType.objects.get(code="luzka"),
        count=12,
    )
    Service.objects.filter(pk=shelter.pk).update(
        mpsv_identifier="1234567", languages="cs,uk", is_free=True
    )
    detail = get_json(client, f"/services/{shelter.id}")
    validate("service", detail)
    assert detail["schedules"][0]["byday"] == "MO"
    assert detail["schedules"][0]["opens_at"] == "08:00"
    assert detail["contacts"][0]["title"] == "sociální pracovnice"
    assert "name" not in detail["contacts"][0]
    assert detail["service_areas"][0]["cz_area"] == {"level": "orp", "code": 6210}
    assert detail["cz_registration"]["mpsv_identifier"] == "1234567"
    assert [lang["code"] for lang in detail["languages"]] == ["cs", "uk"]
    assert detail["cost_options"][0]["amount"] == 0
    capacity = detail["cz_capacity"]
    assert capacity["registered"] == [
        {
            "form": "pob",
            "form_name": "pobytová",
            "capacity_type": "luzka",
            "capacity_type_name": CapacityType.objects.get(code="luzka").name,
            "count": 12,
        }
    ]
    assert capacity["free_places"] == 2
    assert capacity["waiting_list"] == 1
    assert capacity["verified"] is True
    assert capacity["has_free_places"] is True
    location = detail["service_at_locations"][0]["location"]
    assert location["addresses"][0]["address_1"] == "Masarykovo nám. 1"
    assert location["addresses"][0]["country"] == "CZ"
    assert location["addresses"][0]["state_province"] == "Jihomoravský kraj"


def test_stale_and_missing_capacity(client, directory):
    crisis = get_json(client, f"/services/{directory['crisis'].id}")["cz_capacity"]
    assert crisis["free_places"] == 3
    assert crisis["verified"] is False
    assert crisis["has_free_places"] is False
    none = get_json(client, f"/services/{directory['counselling'].id}")["cz_capacity"]
    assert none["free_places"] is None and none["reported_at"] is None
    assert none["verified"] is False


def test_minimal_services(client, directory):
    page = get_json(client, "/services", minimal="true")
    assert page["total_items"] == 4
    assert set(page["contents"][0]) == {"id", "name", "status", "last_modified"}
    big = get_json(client, "/services", minimal="true", per_page=10000)
    assert big["size"] == 4


# --- privacy ----------------------------------------------------------------------------------


def _every_answer(client: Client, directory) -> list[str]:
    crisis = directory["crisis"]
    sal = crisis.serviceatlocation_set.get()
    paths = [
        ("/services", {}),
        ("/services", {"full": "true"}),
        ("/services", {"minimal": "true"}),
        ("/services", {"search": "intervenční centrum"}),
        ("/services", {"format": "ndjson", "full": "true"}),
        ("/services", {"territory": "tynsko", "full": "true"}),
        (f"/services/{crisis.id}", {}),
        ("/organizations", {"full": "true", "full_service": "true"}),
        ("/organizations", {"format": "ndjson", "full": "true"}),
        (f"/organizations/{crisis.organization_id}", {"full_service": "true"}),
        ("/service_at_locations", {}),
        ("/service_at_locations", {"full": "true"}),
        ("/service_at_locations", {"format": "ndjson", "full": "true"}),
        (f"/service_at_locations/{sal.id}", {}),
    ]
    bodies = []
    for path, params in paths:
        response = get(client, path, **params)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        bodies.append(body.decode())
    return bodies


def test_hidden_address_never_appears(client, directory):
    bodies = _every_answer(client, directory)
    for body in bodies:
        assert "Intervenční centrum Týn" in body or "Intervenční centrum Jih" in body
        for secret in (SECRET_STREET, SECRET_POSTCODE, "49.123456", "14.654321"):
            assert secret not in body
    detail = get_json(client, f"/services/{directory['crisis'].id}")
    location = detail["service_at_locations"][0]["location"]
    assert location["cz_address_hidden"] is True
    assert location["name"] == "Týn nad Vltavou"
    assert location["addresses"] == []
    assert "latitude" not in location and "longitude" not in location


def test_no_personal_data(client, directory):
    Contact.objects.create(
        service=directory["crisis"], name="Petra Soukromá", title="krizová pracovnice"
    )
    reporter = get_user_model().objects.create_user(
        username="hlasitel.kapacity", first_name="Karel", last_name="Hlásný"
    )
    report_capacity(service=directory["shelter"], free_places=4, reported_by=reporter)
    shelter = get(client, f"/services/{directory['shelter'].id}").content.decode()
    for body in [*_every_answer(client, directory), shelter]:
        for secret in ("Petra Soukromá", "hlasitel.kapacity", "Hlásný", "reported_by"):
            assert secret not in body


# --- HTTP -------------------------------------------------------------------------------------


def test_etag_and_last_modified_give_304(client, directory):
    first = get(client, "/services")
    etag = first["ETag"]
    assert etag.startswith('"')
    assert first["Last-Modified"]
    again = client.get(f"{BASE}/services", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    since = client.get(f"{BASE}/services", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    older = http_date((timezone.now() - timedelta(days=2)).timestamp())
    assert client.get(f"{BASE}/services", HTTP_IF_MODIFIED_SINCE=older).status_code == 200
    Service.objects.filter(pk=directory["care"].pk).update(name="Pečovatelská služba Kyjovsko")
    changed = client.get(f"{BASE}/services", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    detail = get(client, f"/services/{directory['care'].id}")
    assert (
        client.get(
            f"{BASE}/services/{directory['care'].id}", HTTP_IF_NONE_MATCH=detail["ETag"]
        ).status_code
        == 304
    )
    terms = get(client, "/taxonomy_terms")
    assert client.get(f"{BASE}/taxonomy_terms", HTTP_IF_NONE_MATCH=terms["ETag"]).status_code == 304


def test_cors_for_get_and_preflight(client, directory):
    for path in ("/", "/services", "/openapi.json", "/taxonomies", "/services/nonsense"):
        response = client.get(BASE + path, HTTP_ORIGIN="https://jinde.example")
        assert response["Access-Control-Allow-Origin"] == "*", path
    preflight = client.options(
        f"{BASE}/services",
        HTTP_ORIGIN="https://jinde.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert preflight["Access-Control-Allow-Headers"] == "if-none-match"
    assert "ETag" in get(client, "/services")["Access-Control-Expose-Headers"]


def test_head_answers_like_get(client, directory):
    head = client.head(f"{BASE}/services")
    assert head.status_code == 200
    assert head["ETag"] == get(client, "/services")["ETag"]
    assert head.content == b""


def test_ndjson_streams_every_result(client, directory):
    response = get(client, "/services", format="ndjson", per_page=1)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Access-Control-Allow-Origin"] == "*"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ids(get_json(client, "/services"))
    terms = get(client, "/taxonomy_terms", format="ndjson")
    assert (
        len(b"".join(terms.streaming_content).splitlines())
        == get_json(client, "/taxonomy_terms")["total_items"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/services/{uuid}",
        "/services/123",
        "/organizations/{uuid}",
        "/service_at_locations/{uuid}",
        "/taxonomies/{uuid}",
        "/taxonomy_terms/{uuid}",
        "/services/",
        "/unknown",
    ],
)
def test_unknown_ids_are_a_json_404(client, db, path):
    response = client.get(BASE + path.format(uuid=uuid.uuid4()))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "not_found"
    assert body["message"]


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/services", {"per_page": "0"}, "per_page"),
        ("/services", {"per_page": "501"}, "per_page"),
        ("/services", {"per_page": "many"}, "per_page"),
        ("/services", {"page": "abc"}, "page"),
        ("/services", {"page": "0"}, "page"),
        ("/services", {"municipality": "xyz"}, "municipality"),
        ("/services", {"municipality": "1"}, "municipality"),
        ("/services", {"territory": "atlantida"}, "territory"),
        ("/services", {"has_capacity": "maybe"}, "has_capacity"),
        ("/services", {"minimal": "2"}, "minimal"),
        ("/services", {"modified_after": "včera"}, "modified_after"),
        ("/services", {"modified_after": "1700000000"}, "modified_after"),
        ("/services", {"taxonomy_term_id": "57"}, "taxonomy_term_id"),
        ("/services", {"taxonomy_term_id": str(uuid.UUID(int=1))}, "taxonomy_term_id"),
        ("/services", {"taxonomy_id": "druhy"}, "taxonomy_id"),
        ("/services", {"organization_id": "charita"}, "organization_id"),
        ("/services", {"format": "xml"}, "format"),
        ("/service_at_locations", {"postcode": "69701"}, "postcode"),
        ("/service_at_locations", {"page": "-1"}, "page"),
        ("/organizations", {"full": "snad"}, "full"),
        ("/organizations", {"per_page": "0"}, "per_page"),
        ("/taxonomy_terms", {"parent_id": "x"}, "parent_id"),
        ("/taxonomy_terms", {"per_page": "100000"}, "per_page"),
        ("/taxonomies", {"page": "první"}, "page"),
    ],
)
def test_bad_parameters_are_a_clear_400(client, directory, path, params, parameter):
    response = client.get(BASE + path, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] in ("invalid_parameter", "unsupported_parameter")
    assert body["parameter"] == parameter
    assert f"'{parameter}'" in body["message"]


# --- cost -------------------------------------------------------------------------------------


def _rich_service(number: int) -> Service:
    org = make_organization(f"Organizace {number:02d}", phone="+420 518 000 000")
    service = make_service(
        org,
        type_code="37" if number % 2 else "57",
        name=f"Poradna {number:02d}",
        forms=("amb", "ter"),
        target_groups=("7", "24"),
        area_municipalities=(ZDANICE,),
        free_places=number % 3,
        phone="+420 518 111 111",
        address_hidden=number % 5 == 0,
    )
    Schedule.objects.create(service=service, weekday=1, opens_at=time(8), closes_at=time(12))
    Schedule.objects.create(service=service, weekday=3, opens_at=time(13), closes_at=time(17))
    Contact.objects.create(service=service, title="sociální pracovník", phone="+420 2")
    ServiceArea.objects.create(service=service, district_id=40746)
    RegisteredCapacity.objects.create(
        service=service,
        form=ProvisionForm.objects.get(code="amb"),
        capacity_type=CapacityType.objects.get(code="klient"),
        count=10,
    )
    service.age_groups.set([6, 7])
    return service


COSTLY = [
    ("/services", {}),
    ("/services", {"full": "true"}),
    ("/services", {"minimal": "true"}),
    ("/services", {"search": "poradna dluhy"}),
    ("/services", {"search": "poradna", "full": "true", "municipality": str(KYJOV)}),
    ("/services", {"territory": "kyjovsko", "taxonomy_term_id": term_id(TARGET_GROUPS, "7")}),
    ("/organizations", {}),
    ("/organizations", {"full": "true"}),
    ("/organizations", {"full_service": "true"}),
    ("/service_at_locations", {}),
    ("/service_at_locations", {"full": "true"}),
    ("/service_at_locations", {"search": "poradna"}),
]


def _query_counts(client: Client, per_page: int, *, search: bool = True) -> dict[str, int]:
    counts = {}
    for path, params in COSTLY:
        if "search" in params and not search:
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(BASE + path, {**params, "per_page": per_page})
        assert response.status_code == 200, (path, response.content[:300])
        assert response.json()["size"] == min(per_page, response.json()["total_items"])
        counts[f"{path}?{params}"] = len(queries.captured_queries)
    return counts


def test_a_page_costs_the_same_queries_for_one_and_fifty_items(client, db, monkeypatch):
    from types import SimpleNamespace

    import directory.search
    from directory.models import ServiceCoverage
    from territory.models import District

    # The search keeps its thesaurus and word counts for a while; stop its clock so that
    # a cache expiring between two measurements cannot change the count.
    monkeypatch.setattr(directory.search, "time", SimpleNamespace(monotonic=lambda: 1e9))
    assert District.objects.filter(code=40746).exists()  # okres Hodonín
    make_territory("kyjovsko", (KYJOV, VRACOV, ZDANICE))
    _rich_service(1)
    _query_counts(client, 50)  # warm the search's caches
    # A directory of one service and one of fifty (how the search itself asks the full-text
    # index depends on how many services match, so searches are compared below).
    with_one = _query_counts(client, 50, search=False)
    for number in range(2, 51):
        _rich_service(number)
    assert ServiceCoverage.objects.count() >= 100
    _query_counts(client, 50)
    assert _query_counts(client, 50, search=False) == with_one
    # A page of one item and a page of fifty, searches included.
    assert _query_counts(client, 1) == _query_counts(client, 50)
    page = get_json(client, "/services", full="true", per_page=50)
    assert page["size"] == 50
    detail = get_json(client, f"/organizations/{page['contents'][0]['organization_id']}")
    validate("organization", detail)

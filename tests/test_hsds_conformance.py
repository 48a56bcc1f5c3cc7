"""HSDS 3.0 conformance of /api/hsds/ on the demo directory.

Every kind of answer is validated against the official compiled schemas of HSDS 3.0
(tests/data/hsds/compiled, no network) with the Czech profile's additions merged in, and
the pagination is checked the way the Open Referral UK validator checks it: read `/`,
fetch the first, a middle and the last page with per_page=5, compare the envelope with
`contents`, and fetch every listed id.
"""

from __future__ import annotations

import copy
import json
import math
import re
import uuid
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry

from api.hsds_schemas import PROFILE_PATCHES
from directory.demo import load_demo_data
from directory.models import Location
from directory.search import search_services
from territory.models import Territory

COMPILED = Path(__file__).parent / "data" / "hsds" / "compiled"
BASE = "/api/hsds"

# --- schemas ----------------------------------------------------------------------------------

FORMATS = FormatChecker()


@FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value) -> bool:
    if not isinstance(value, str):
        return True
    return str(uuid.UUID(value)) == value.lower()


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        raise ValueError(value)
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@FORMATS.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value))


@FORMATS.checks("uri")
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@FORMATS.checks("email")
def _is_email(value) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value))


# Which HSDS object an object schema describes, by a property only that object has.
_SIGNATURES = {
    "service.json": "eligibility_description",
    "organization.json": "year_incorporated",
    "location.json": "location_type",
    "service_area.json": "extent_type",
    "taxonomy_term.json": "taxonomy_detail",
}


def _with_profile(schema: dict) -> dict:
    """The compiled schema with the Czech profile's properties added to every object."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                for file, signature in _SIGNATURES.items():
                    if signature in properties:
                        properties.update(copy.deepcopy(PROFILE_PATCHES[file]["properties"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def _load(name: str) -> dict:
    return json.loads((COMPILED / f"{name}.json").read_text(encoding="utf-8"))


OFFICIAL = {
    name: _load(name)
    for name in (
        "service",
        "service_list",
        "organization",
        "organization_list",
        "service_at_location",
        "service_at_location_list",
    )
}
# HSDS has no compiled taxonomy schemas; the compiled service schema embeds both.
OFFICIAL["taxonomy_term"] = OFFICIAL["service"]["properties"]["attributes"]["items"]["properties"][
    "taxonomy_term"
]
OFFICIAL["taxonomy"] = OFFICIAL["taxonomy_term"]["properties"]["taxonomy_detail"]

_VALIDATORS = {
    (name, profile): Draft202012Validator(
        _with_profile(schema) if profile else schema,
        format_checker=FORMATS,
        registry=Registry(),  # resolve nothing remotely
    )
    for name, schema in OFFICIAL.items()
    for profile in (False, True)
}


def validate(name: str, instance) -> None:
    """Valid against the official HSDS schema, and against it with the profile merged in."""
    for profile in (False, True):
        errors = sorted(
            _VALIDATORS[(name, profile)].iter_errors(instance), key=lambda e: list(e.path)
        )
        assert not errors, f"{name}{' + profile' if profile else ''}: " + "; ".join(
            f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]
        )


def test_validation_catches_a_broken_service():
    with pytest.raises(AssertionError):
        validate("service", {"id": "not-a-uuid", "name": "X", "status": "active"})
    with pytest.raises(AssertionError):
        validate("service", {"id": str(uuid.uuid4()), "name": "X"})  # status is required
    with pytest.raises(AssertionError):
        validate(
            "service",
            {"id": str(uuid.uuid4()), "name": "X", "status": "active", "last_modified": "včera"},
        )
    with pytest.raises(AssertionError):
        validate(
            "service",
            {"id": str(uuid.uuid4()), "name": "X", "status": "active", "url": "www.example"},
        )
    with pytest.raises(AssertionError):  # the profile's own rules are checked too
        validate(
            "service",
            {"id": str(uuid.uuid4()), "name": "X", "status": "active", "cz_capacity": {}},
        )


# --- the demo ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo directory, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_data()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def client(demo, db) -> Client:
    return Client()


def get_json(client: Client, path: str, **params):
    response = client.get(BASE + path, params)
    assert response.status_code == 200, (path, params, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def check_envelope(page: dict, *, page_number: int, per_page: int) -> None:
    """What the Open Referral UK validator checks on every page it reads."""
    contents = page["contents"]
    assert page["page_number"] == page_number
    assert page["size"] == len(contents)
    assert page["total_pages"] == max(1, math.ceil(page["total_items"] / per_page))
    assert page["first_page"] is (page_number == 1)
    assert page["last_page"] is (page_number == page["total_pages"])
    assert page["empty"] is (len(contents) == 0)
    if page["last_page"]:
        assert len(contents) == page["total_items"] - (page_number - 1) * per_page
    else:
        assert len(contents) == per_page


LISTS = [
    # (list endpoint, item schema, detail endpoint schema)
    ("/services", "service_list", "service"),
    ("/organizations", "organization_list", "organization"),
    ("/service_at_locations", "service_at_location_list", "service_at_location"),
    ("/taxonomies", "taxonomy", "taxonomy"),
    ("/taxonomy_terms", "taxonomy_term", "taxonomy_term"),
]


def test_index_describes_the_api_and_its_profile(client):
    index = get_json(client, "/")
    assert index["version"] == "3.0"
    assert index["openapi_url"] == "http://testserver/api/hsds/openapi.json"
    profile = client.get(urlsplit(index["profile"]).path)
    assert profile.status_code == 200
    assert "cz_capacity" in profile.content.decode()
    patch = client.get(urlsplit(index["profile"]).path + "/service.json").json()
    assert patch == PROFILE_PATCHES["service.json"]
    assert client.get(urlsplit(index["profile"]).path + "/program.json").status_code == 404
    openapi = client.get(urlsplit(index["openapi_url"]).path).json()
    assert openapi["openapi"].startswith("3.")
    for path in (
        "/services",
        "/services/{id}",
        "/organizations",
        "/organizations/{id}",
        "/service_at_locations",
        "/service_at_locations/{id}",
        "/taxonomies",
        "/taxonomies/{id}",
        "/taxonomy_terms",
        "/taxonomy_terms/{id}",
    ):
        assert f"/api/hsds{path}" in openapi["paths"], path
    parameters = {p["name"] for p in openapi["paths"]["/api/hsds/services"]["get"]["parameters"]}
    assert {
        "search",
        "page",
        "per_page",
        "format",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "minimal",
        "full",
        "territory",
        "municipality",
        "has_capacity",
    } <= parameters
    assert "Page" in openapi["components"]["schemas"]


@pytest.mark.parametrize(("endpoint", "item_schema", "detail_schema"), LISTS)
def test_pagination_as_the_open_referral_validator_checks_it(
    client, endpoint, item_schema, detail_schema
):
    per_page = 5
    first = get_json(client, endpoint, per_page=per_page, page=1)
    check_envelope(first, page_number=1, per_page=per_page)
    total_pages = first["total_pages"]
    if endpoint in ("/services", "/organizations", "/service_at_locations"):
        assert total_pages >= 3, "the demo should fill several pages"
    numbers = sorted({1, (1 + total_pages) // 2, total_pages})
    for number in numbers:
        page = first if number == 1 else get_json(client, endpoint, per_page=per_page, page=number)
        check_envelope(page, page_number=number, per_page=per_page)
        for item in page["contents"]:
            validate(item_schema, item)
            detail = get_json(client, f"{endpoint}/{item['id']}")
            validate(detail_schema, detail)
            assert detail["id"] == item["id"]
    beyond = get_json(client, endpoint, per_page=per_page, page=total_pages + 1)
    assert beyond["empty"] is True
    assert beyond["size"] == 0
    assert beyond["contents"] == []


@pytest.mark.parametrize("endpoint", ["/services", "/organizations", "/service_at_locations"])
def test_pages_list_every_object_once(client, endpoint):
    first = get_json(client, endpoint, per_page=7)
    seen = []
    for number in range(1, first["total_pages"] + 1):
        seen += [
            item["id"] for item in get_json(client, endpoint, per_page=7, page=number)["contents"]
        ]
    assert len(seen) == len(set(seen)) == first["total_items"]


@pytest.mark.parametrize(
    ("endpoint", "params", "item_schema"),
    [
        ("/services", {"full": "true"}, "service"),
        ("/services", {"minimal": "true"}, "service_list"),
        ("/services", {"search": "azylový dům"}, "service_list"),
        ("/organizations", {"full": "true"}, "organization"),
        ("/organizations", {"full_service": "true"}, "organization"),
        ("/service_at_locations", {"full": "true"}, "service_at_location"),
    ],
)
def test_every_variant_of_a_list_validates(client, endpoint, params, item_schema):
    page = get_json(client, endpoint, per_page=500, **params)
    assert page["contents"]
    for item in page["contents"]:
        validate(item_schema, item)


def test_organization_detail_with_full_services_validates(client):
    org = get_json(client, "/organizations", per_page=1)["contents"][0]
    detail = get_json(client, f"/organizations/{org['id']}", full_service="true")
    validate("organization", detail)
    assert detail["services"] and "attributes" in detail["services"][0]


def test_ndjson_lines_validate(client):
    response = client.get(f"{BASE}/services", {"format": "ndjson"})
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    total = get_json(client, "/services", per_page=1)["total_items"]
    assert len(lines) == total
    for line in lines:
        validate("service_list", json.loads(line))


def test_service_types_are_a_108_2006_taxonomy_coded_by_paragraph(client):
    taxonomies = get_json(client, "/taxonomies")["contents"]
    act = [t for t in taxonomies if "108/2006" in t["name"]]
    assert len(act) == 1
    terms = get_json(client, "/taxonomy_terms", taxonomy_id=act[0]["id"], per_page=500)
    codes = {term["code"]: term for term in terms["contents"]}
    assert {"37", "57", "60a", "70"} <= set(codes)
    assert codes["57"]["name"] == "azylové domy"
    assert codes["57"]["taxonomy_id"] == act[0]["id"]
    assert "108/2006" in codes["57"]["taxonomy"]
    shelter = get_json(client, "/services", search="azylovy dum", per_page=1)["contents"][0]
    detail = get_json(client, f"/services/{shelter['id']}")
    kinds = [a for a in detail["attributes"] if a["link_type"] == "service_type"]
    assert [a["taxonomy_term"]["code"] for a in kinds] == ["57"]
    assert kinds[0]["taxonomy_term_id"] == codes["57"]["id"]
    assert {a["link_type"] for a in detail["attributes"]} >= {
        "service_type",
        "target_group",
        "provision_form",
        "age_group",
    }


def test_taxonomy_and_term_ids_are_those_of_the_data_package(client):
    from directory import hsds_ids

    terms = get_json(client, "/taxonomy_terms", per_page=500)["contents"]
    term = next(t for t in terms if t["code"] == "57")
    assert term["id"] == str(hsds_ids.taxonomy_term_uuid("service_type", "57"))
    assert term["taxonomy_id"] == str(hsds_ids.taxonomy_uuid("service_type"))
    homeless = next(t for t in terms if t["code"] == "target_group:7")
    assert homeless["id"] == str(hsds_ids.taxonomy_term_uuid("target_group", "7"))
    assert len({t["code"] for t in terms}) == len(terms), "term codes are unique"


@pytest.mark.parametrize("slug", ["cr", "kyjovske-slovacko", "vysocina"])
@pytest.mark.parametrize(
    "query",
    [
        "azylovy dum",
        "dluhy",
        "hrozí mi vystěhování",
        "pečovatelská služba",
        "domov pro seniory",
        "pomoc",  # only stopwords: the portal's browse order
    ],
)
def test_search_ranks_exactly_as_the_portal(client, slug, query):
    territory = Territory.objects.get(slug=slug)
    portal = search_services(territory=territory, query=query, page_size=500)
    api = get_json(client, "/services", search=query, territory=slug, per_page=500)
    assert api["total_items"] == portal.total
    assert [item["id"] for item in api["contents"]] == [str(h.service.id) for h in portal.hits]


def test_search_for_a_shelter_puts_paragraph_57_first(client):
    page = get_json(client, "/services", search="azylovy dum", per_page=3)
    assert page["contents"][0]["cz_service_type"]["code"] == "57"


def test_hidden_addresses_of_the_demo_never_appear(client):
    hidden = list(Location.objects.filter(address_hidden=True).exclude(street=""))
    assert hidden, "the demo has a shelter with a hidden address"
    secrets = [loc.street for loc in hidden] + [
        f"{loc.latitude}" for loc in hidden if loc.latitude is not None
    ]
    bodies = [
        client.get(f"{BASE}{path}", params).content.decode()
        for path, params in (
            ("/services", {"full": "true", "per_page": 500}),
            ("/service_at_locations", {"full": "true", "per_page": 500}),
            ("/organizations", {"full_service": "true", "per_page": 500}),
        )
    ]
    for loc in hidden:
        for service in loc.services.all():
            bodies.append(client.get(f"{BASE}/services/{service.id}").content.decode())
        bodies.append(
            client.get(
                f"{BASE}/organizations/{loc.organization_id}?full_service=true"
            ).content.decode()
        )
    for body in bodies:
        for secret in secrets:
            assert secret not in body

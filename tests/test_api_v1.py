"""The private API at /api/v1/: the contract flow, the access matrix, tokens, errors, audit.

Personas (as in the referral core tests): `worker` (social worker of the MAS, the sender),
`receiver` (staff of the provider, the receiving side), `outsider` (social worker of another
organisation), `coordinator` (of the territory), `nobody` (an account without a role).
"""

from __future__ import annotations

import importlib.util
import json
import uuid
from datetime import UTC, date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, AuditEntry, Membership
from referrals import services
from referrals.models import Consent, Person, Referral
from tests.factories import KYJOV, make_organization, make_service, make_territory, make_user

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
PASSWORD = "heslo-pro-testy-1"
CONSENT = {"purpose": "referral", "given_by": "self"}


@pytest.fixture
def world(db):
    territory = make_territory("kyjovsko", name="Kyjovsko")
    mas = make_organization("MAS Kyjovsko")
    provider = make_organization("Azylový dům, z.ú.")
    other = make_organization("Jiný poskytovatel")
    service = make_service(provider, type_code="57", name="Azylový dům Kyjov", free_places=2)
    return {
        "territory": territory,
        "mas": mas,
        "provider": provider,
        "other": other,
        "service": service,
        "worker": make_user("worker", organization=mas, role="social_worker"),
        "receiver": make_user("receiver", organization=provider, role="provider_staff"),
        "outsider": make_user("outsider", organization=other, role="social_worker"),
        "coordinator": make_user("coordinator", coordinates=territory),
        "nobody": make_user("nobody"),
    }


class Api:
    """A client of the API with one token (or none)."""

    def __init__(self, key: str | None = None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, **self.headers)

    def post(self, path: str, data=None, *, raw: str | None = None):
        body = raw if raw is not None else json.dumps(data or {})
        return self.client.post(BASE + path, body, content_type="application/json", **self.headers)

    def delete(self, path: str):
        return self.client.delete(BASE + path, **self.headers)


def api_for(user) -> Api:
    _, key = ApiToken.issue(user=user, label="test")
    return Api(key)


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = response.json()
    assert set(body) == {"detail", "code", "field"}, body
    return body


def _person_with_consent(world, *, scope=("name", "contact"), name="Jana Testová") -> Person:
    person = services.record_person(
        actor=world["worker"],
        organization=world["mas"],
        name=name,
        birth_year=1980,
        phone="+420 777 000 111",
    )
    services.record_consent(
        actor=world["worker"], person=person, purpose="referral", given_by="self", scope=scope
    )
    return person


def _referral(world, **kw) -> Referral:
    person = _person_with_consent(world, **kw)
    return services.create_referral(actor=world["worker"], person=person, service=world["service"])


# --- the contract flow -------------------------------------------------------------------------


def test_contract_flow_from_token_to_completed_referral(world):
    anonymous = Api()
    response = anonymous.post("/auth/token", {"username": "worker", "password": PASSWORD})
    assert response.status_code == 201
    token = response.json()
    assert token["token_type"] == "Bearer"
    assert token["username"] == "worker"
    worker = Api(token["token"])

    response = worker.get("/territories")
    assert response.status_code == 200
    assert response.json() == [{"slug": "kyjovsko", "name": "Kyjovsko", "kind": "mas"}]

    response = worker.post(
        "/persons", {"name": "Jana Testová", "birth_year": 1980, "municipality": KYJOV}
    )
    assert response.status_code == 201
    person = response.json()
    assert person["name"] == "Jana Testová"
    assert person["municipality"] == {"code": KYJOV, "name": "Kyjov"}
    assert person["organization"] == {"id": str(world["mas"].pk), "name": "MAS Kyjovsko"}
    uuid.UUID(person["id"])

    response = worker.post(
        f"/persons/{person['id']}/consents",
        {"purpose": "referral", "given_by": "self", "scope": ["name", "birth_year"]},
    )
    assert response.status_code == 201
    consent = response.json()
    assert (consent["purpose"], consent["given_by"], consent["valid"]) == (
        "referral",
        "self",
        True,
    )
    assert consent["scope"] == ["name", "birth_year"]

    response = worker.post(
        "/referrals",
        {"person": person["id"], "service": str(world["service"].pk), "note": "Potřebuje střechu."},
    )
    assert response.status_code == 201
    referral = response.json()
    assert referral["status"] == "sent"
    assert referral["role"] == "sender"
    assert referral["person"] == {
        "id": person["id"],
        "name": "Jana Testová",
        "birth_year": 1980,
        "municipality": "Kyjov",
    }
    assert referral["to_organization"]["id"] == str(world["provider"].pk)
    assert referral["service"] == {"id": str(world["service"].pk), "name": "Azylový dům Kyjov"}

    response = anonymous.post("/auth/token", {"username": "receiver", "password": PASSWORD})
    receiver = Api(response.json()["token"])
    response = receiver.get(f"/referrals/{referral['id']}")
    assert response.status_code == 200
    seen = response.json()
    # Only what the consent shares: no id, no obec, no contact.
    assert seen["person"] == {"name": "Jana Testová", "birth_year": 1980}
    assert seen["role"] == "receiver"
    assert seen["note"] == "Potřebuje střechu."
    assert seen["allowed_transitions"] == ["accepted", "declined"]

    response = receiver.post(
        f"/referrals/{referral['id']}/transition", {"to": "accepted", "version": seen["version"]}
    )
    assert response.status_code == 200
    accepted = response.json()
    assert accepted["status"] == "accepted"
    assert accepted["version"] == seen["version"] + 1

    response = receiver.post(
        f"/referrals/{referral['id']}/transition",
        {"to": "in_progress", "version": accepted["version"]},
    )
    assert response.json()["status"] == "in_progress"
    response = receiver.post(
        f"/referrals/{referral['id']}/transition",
        {"to": "completed", "outcome": "helped", "version": accepted["version"] + 1},
    )
    assert response.status_code == 200
    completed = response.json()
    assert (completed["status"], completed["outcome"]) == ("completed", "helped")
    assert [(e["from_status"], e["to_status"]) for e in completed["events"]] == [
        ("", "draft"),
        ("draft", "sent"),
        ("sent", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "completed"),
    ]

    response = worker.get(f"/referrals/{referral['id']}")
    assert response.json()["status"] == "completed"


def test_referral_without_consent_is_refused_with_a_clear_message(world):
    worker = api_for(world["worker"])
    person = worker.post("/persons", {"name": "Bez souhlasu"}).json()

    response = worker.post(
        "/referrals", {"person": person["id"], "service": str(world["service"].pk), "note": ""}
    )

    assert response.status_code == 422
    body = error_of(response)
    assert body["code"] == "no_valid_consent"
    assert body["field"] == "person"
    assert body["detail"].startswith(
        "Osoba nedala platný souhlas s předáním do služby Azylový dům Kyjov;"
    )
    assert Referral.objects.count() == 0


def test_consent_for_another_purpose_does_not_allow_a_referral(world):
    worker = api_for(world["worker"])
    person = worker.post("/persons", {"name": "Jen záznam"}).json()
    worker.post(f"/persons/{person['id']}/consents", {"purpose": "record", "given_by": "self"})

    response = worker.post(
        "/referrals", {"person": person["id"], "service": str(world["service"].pk)}
    )

    assert (response.status_code, error_of(response)["code"]) == (422, "no_valid_consent")


# --- who sees what: 404 for "not yours" exactly as for "does not exist" ------------------------


def _same_as_missing(api: Api, method: str, path_of, hidden_id, data=None) -> dict:
    """Answers for a hidden object and a random id, with the ids masked, must be equal."""
    missing_id = uuid.uuid4()
    answers = []
    for object_id in (hidden_id, missing_id):
        path = path_of(object_id)
        response = api.get(path) if method == "get" else api.post(path, data)
        body = error_of(response)
        answers.append((response.status_code, json.dumps(body).replace(str(object_id), "ID")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 404
    return json.loads(answers[0][1])


def test_other_organisations_person_is_404_like_a_missing_one(world):
    person = _person_with_consent(world)
    outsider = api_for(world["outsider"])

    body = _same_as_missing(outsider, "get", lambda pk: f"/persons/{pk}", person.pk)
    assert body == {"detail": "No person with id 'ID'.", "code": "not_found", "field": None}
    _same_as_missing(
        outsider,
        "post",
        lambda pk: f"/persons/{pk}/consents",
        person.pk,
        {"purpose": "referral", "given_by": "self"},
    )
    assert person.consents.count() == 1


def test_referring_another_organisations_person_is_404(world):
    person = _person_with_consent(world)
    outsider = api_for(world["outsider"])
    answers = []
    for pk in (person.pk, uuid.uuid4()):
        response = outsider.post(
            "/referrals", {"person": str(pk), "service": str(world["service"].pk)}
        )
        body = error_of(response)
        answers.append((response.status_code, body["code"], body["field"]))
    assert answers == [(404, "not_found", "person")] * 2
    assert Referral.objects.count() == 0


def test_receiver_does_not_see_the_person_record_itself(world):
    referral = _referral(world)
    receiver = api_for(world["receiver"])

    response = receiver.get(f"/persons/{referral.person_id}")

    assert response.status_code == 404


def test_other_organisations_referral_is_404_like_a_missing_one(world):
    referral = _referral(world)
    outsider = api_for(world["outsider"])

    body = _same_as_missing(outsider, "get", lambda pk: f"/referrals/{pk}", referral.pk)
    assert body == {"detail": "No referral with id 'ID'.", "code": "not_found", "field": None}
    _same_as_missing(
        outsider,
        "post",
        lambda pk: f"/referrals/{pk}/transition",
        referral.pk,
        {"to": "cancelled"},
    )
    _same_as_missing(
        outsider, "post", lambda pk: f"/referrals/{pk}/messages", referral.pk, {"text": "Haló"}
    )
    assert outsider.get("/referrals").json()["total"] == 0
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert referral.messages.count() == 0


def test_a_draft_is_hidden_from_the_receiver(world):
    person = _person_with_consent(world)
    draft = services.create_referral(
        actor=world["worker"], person=person, service=world["service"], send=False
    )
    receiver = api_for(world["receiver"])

    assert receiver.get(f"/referrals/{draft.pk}").status_code == 404
    assert receiver.get("/referrals").json()["total"] == 0
    assert api_for(world["worker"]).get(f"/referrals/{draft.pk}").json()["status"] == "draft"


def test_malformed_id_is_404(world):
    worker = api_for(world["worker"])

    response = worker.get("/referrals/not-a-uuid")

    assert response.status_code == 404
    assert error_of(response) == {
        "detail": "No object with id 'not-a-uuid' (ids are UUIDs).",
        "code": "not_found",
        "field": "id",
    }


# --- tokens ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer nesmysl", "Token abc", "Bearer " + "x" * 5000],
    ids=["none", "empty", "unknown", "other-scheme", "huge"],
)
def test_no_or_invalid_token_is_401(world, header):
    client = Client()
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.get(BASE + "/referrals", **extra)

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response["WWW-Authenticate"] == 'Bearer realm="spojka"'


def test_revoking_the_token_makes_it_401(world):
    worker = api_for(world["worker"])
    assert worker.get("/me").status_code == 200

    response = worker.delete("/auth/token")

    assert response.status_code == 204
    token = ApiToken.objects.get(user=world["worker"])
    assert token.revoked_at is not None
    assert worker.get("/me").status_code == 401


def test_token_revoked_by_an_administrator_is_401(world):
    worker = api_for(world["worker"])
    ApiToken.objects.filter(user=world["worker"]).update(revoked_at=timezone.now())

    assert worker.get("/me").status_code == 401


def test_token_of_a_deactivated_user_is_401(world):
    worker = api_for(world["worker"])
    type(world["worker"]).objects.filter(pk=world["worker"].pk).update(is_active=False)

    assert worker.get("/me").status_code == 401


def test_wrong_password_is_401_with_a_message(world):
    response = Api().post("/auth/token", {"username": "worker", "password": "spatne"})

    assert response.status_code == 401
    assert error_of(response) == {
        "detail": "Wrong user name or password.",
        "code": "invalid_credentials",
        "field": None,
    }
    assert ApiToken.objects.count() == 0


def test_only_the_hash_of_a_token_is_stored(world):
    response = Api().post("/auth/token", {"username": "worker", "password": PASSWORD})
    key = response.json()["token"]

    stored = ApiToken.objects.get()
    assert stored.key_hash == ApiToken.hash_key(key)
    assert key not in stored.key_hash


def test_last_used_is_written_at_most_once_a_minute(world):
    worker = api_for(world["worker"])
    token = ApiToken.objects.get(user=world["worker"])
    assert token.last_used_at is None

    worker.get("/me")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    with CaptureQueriesContext(connection) as queries:
        worker.get("/me")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    worker.get("/me")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


def test_token_endpoint_is_throttled_by_axes(world, axes_on):
    anonymous = Api()
    statuses = [
        anonymous.post("/auth/token", {"username": "worker", "password": f"spatne-{i}"})
        for i in range(5)
    ]
    assert [r.status_code for r in statuses] == [401, 401, 401, 401, 429]

    response = anonymous.post("/auth/token", {"username": "worker", "password": PASSWORD})

    assert response.status_code == 429
    assert error_of(response) == {
        "detail": "Too many failed sign-in attempts; sign-in is locked for 30 minutes.",
        "code": "locked_out",
        "field": None,
    }
    assert ApiToken.objects.count() == 0


def test_issuing_a_token_resets_the_failure_count(world, axes_on):
    anonymous = Api()
    for i in range(4):
        anonymous.post("/auth/token", {"username": "worker", "password": f"spatne-{i}"})
    assert (
        anonymous.post("/auth/token", {"username": "worker", "password": PASSWORD}).status_code
        == 201
    )

    statuses = [
        anonymous.post("/auth/token", {"username": "worker", "password": f"znovu-{i}"}).status_code
        for i in range(4)
    ]

    assert statuses == [401, 401, 401, 401]


# --- two-factor login ------------------------------------------------------------------------


@pytest.fixture
def two_factor(settings):
    settings.SPOJKA_REQUIRE_2FA = True
    return settings


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Spojka", confirmed=True)


def _code(device: TOTPDevice) -> str:
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{token:0{device.digits}d}"


def test_with_two_factor_a_worker_sends_the_code(world, two_factor):
    device = _device(world["worker"])
    anonymous = Api()
    credentials = {"username": "worker", "password": PASSWORD}

    missing = anonymous.post("/auth/token", credentials)
    wrong = anonymous.post("/auth/token", {**credentials, "otp": "000000"})
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp makes the next try wait after a miss
    device.throttling_failure_timestamp = None
    device.save(update_fields=["throttling_failure_count", "throttling_failure_timestamp"])
    right = anonymous.post("/auth/token", {**credentials, "otp": _code(device)})

    assert (missing.status_code, error_of(missing)["code"], error_of(missing)["field"]) == (
        401,
        "otp_required",
        "otp",
    )
    assert (wrong.status_code, error_of(wrong)["code"]) == (401, "otp_invalid")
    assert right.status_code == 201
    # The bearer token works although the request has no verified session.
    assert Api(right.json()["token"]).get("/me").status_code == 200


def test_with_two_factor_a_worker_without_a_device_sets_it_up_first(world, two_factor):
    response = Api().post("/auth/token", {"username": "worker", "password": PASSWORD})

    assert response.status_code == 403
    assert error_of(response)["code"] == "two_factor_setup_required"
    assert ApiToken.objects.count() == 0


def test_with_two_factor_a_user_without_personal_data_needs_no_code(world, two_factor):
    response = Api().post("/auth/token", {"username": "nobody", "password": PASSWORD})

    assert response.status_code == 201


# --- persons ---------------------------------------------------------------------------------


def test_person_belongs_to_the_callers_organisation_and_is_audited(world):
    worker = api_for(world["worker"])

    response = worker.post("/persons", {"name": "Petr", "birth_year": 1950})

    assert response.status_code == 201
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.organization, person.created_by) == (world["mas"], world["worker"])
    entries = list(AuditEntry.objects.values_list("action", "object_type", "object_id", "via"))
    assert entries == [("create", "referrals.person", str(person.pk), "api")]


def test_worker_of_several_organisations_names_one(world):
    Membership.objects.create(
        user=world["worker"], organization=world["other"], role="provider_admin"
    )
    worker = api_for(world["worker"])

    ambiguous = worker.post("/persons", {"name": "Petr"})
    named = worker.post("/persons", {"name": "Petr", "organization": str(world["other"].pk)})
    not_mine = worker.post("/persons", {"name": "Petr", "organization": str(world["provider"].pk)})

    assert ambiguous.status_code == 400
    body = error_of(ambiguous)
    assert body["field"] == "organization"
    assert body["detail"].startswith("You record persons for several organisations;")
    assert str(world["other"].pk) in body["detail"]
    assert named.status_code == 201
    assert named.json()["organization"]["id"] == str(world["other"].pk)
    assert (not_mine.status_code, error_of(not_mine)["field"]) == (403, "organization")
    assert Person.objects.count() == 1


@pytest.mark.parametrize("persona", ["receiver", "coordinator", "nobody"])
def test_without_a_worker_role_recording_a_person_is_403(world, persona):
    response = api_for(world[persona]).post("/persons", {"name": "Petr"})

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert Person.objects.count() == 0


def test_provider_staff_cannot_record_a_consent_of_a_visible_person(world):
    staff = make_user("staff", organization=world["mas"], role="provider_staff")
    person = _person_with_consent(world)

    response = api_for(staff).post(
        f"/persons/{person.pk}/consents", {"purpose": "referral", "given_by": "self"}
    )

    assert response.status_code == 403
    assert person.consents.count() == 1


def test_reading_a_person_is_audited(world):
    person = _person_with_consent(world)
    before = set(AuditEntry.objects.values_list("id", flat=True))

    response = api_for(world["worker"]).get(f"/persons/{person.pk}")

    assert response.status_code == 200
    assert response.json()["phone"] == "+420 777 000 111"
    new = AuditEntry.objects.exclude(id__in=before)
    assert list(new.values_list("action", "object_id", "via")) == [("read", str(person.pk), "api")]


@pytest.mark.parametrize(
    ("payload", "status", "code", "field", "detail"),
    [
        ({}, 400, "invalid", "name", "Field 'name' is required."),
        (
            {"name": "   "},
            400,
            "invalid",
            "name",
            "Invalid value of 'name': must not be empty or only spaces.",
        ),
        (
            {"name": "a\x00b"},
            400,
            "invalid",
            "name",
            "Invalid value of 'name': must not contain the NUL character.",
        ),
        ({"name": "x" * 201}, 400, "invalid", "name", None),
        ({"name": "x", "birth_year": "tisíc"}, 400, "invalid", "birth_year", None),
        ({"name": "x", "birth_year": 10**30}, 400, "invalid", "birth_year", None),
        ({"name": "x", "municipality": 10**30}, 400, "invalid", "municipality", None),
        ({"name": "x", "email": "ne-email"}, 400, "invalid", "email", None),
        ({"name": "x", "organization": "abc"}, 400, "invalid", "organization", None),
        # Well-formed, but the rules or the data say no:
        (
            {"name": "x", "birth_year": 2150},
            422,
            "refused",
            "birth_year",
            "Rok narození 2150 není možný.",
        ),
        (
            {"name": "x", "municipality": 123},
            404,
            "not_found",
            "municipality",
            "No obec with ČSÚ code 123.",
        ),
    ],
)
def test_bad_person_input_names_the_field(world, payload, status, code, field, detail):
    response = api_for(world["worker"]).post("/persons", payload)

    assert response.status_code == status
    body = error_of(response)
    assert (body["code"], body["field"]) == (code, field)
    if detail is not None:
        assert body["detail"] == detail
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("{bad json", "The request body is not valid JSON."),
        ("", "The request body must be a JSON object."),
        ('{"name": "\\ud800"}', None),
        ("[" * 100_000, "The request body is not valid JSON."),
        ('{"name": "x", "birth_year": 1' + "0" * 5000 + "}", "The request body is not valid JSON."),
    ],
    ids=["malformed", "empty", "lone-surrogate", "deeply-nested", "huge-number"],
)
def test_malformed_bodies_are_400_never_500(world, raw, detail):
    response = api_for(world["worker"]).post("/persons", raw=raw)

    assert response.status_code == 400
    body = error_of(response)
    if detail is not None:
        assert body["detail"] == detail


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"purpose": "nesmysl", "given_by": "self"}, 400, "purpose"),
        ({"purpose": "referral"}, 400, "given_by"),
        ({**CONSENT, "scope": ["genome"]}, 400, "scope"),
        ({"purpose": "referral", "given_by": "verbal_witnessed"}, 422, "witness"),
        ({**CONSENT, "expires_at": "2020-01-01T00:00"}, 422, "expires_at"),
        ({**CONSENT, "expires_at": "9999-12-31T23:59:59-05:00"}, 422, "expires_at"),  # no UTC
        ({**CONSENT, "expires_at": "zítra"}, 400, "expires_at"),
        ({**CONSENT, "share_with": [str(uuid.uuid4())]}, 404, "share_with"),
    ],
)
def test_bad_consent_input_names_the_field(world, payload, status, field):
    person = services.record_person(actor=world["worker"], organization=world["mas"], name="X")

    response = api_for(world["worker"]).post(f"/persons/{person.pk}/consents", payload)

    assert response.status_code == status
    assert error_of(response)["field"] == field
    assert person.consents.count() == 0


def test_consent_with_expiry_and_recipients(world):
    person = services.record_person(actor=world["worker"], organization=world["mas"], name="X")

    response = api_for(world["worker"]).post(
        f"/persons/{person.pk}/consents",
        {
            "purpose": "referral",
            "given_by": "guardian",
            "scope": [],
            "expires_at": "2999-06-30T12:00:00",
            "share_with": [str(world["provider"].pk)],
        },
    )

    assert response.status_code == 201
    consent = Consent.objects.get(pk=response.json()["id"])
    assert consent.scope == []
    assert list(consent.share_with.all()) == [world["provider"]]
    # Without an offset the time is Czech local time (CEST in June: UTC+2).
    assert consent.expires_at.astimezone(UTC).hour == 10


# --- referrals -------------------------------------------------------------------------------


def test_stale_version_is_409_and_changes_nothing(world):
    referral = _referral(world)
    receiver = api_for(world["receiver"])
    version = receiver.get(f"/referrals/{referral.pk}").json()["version"]
    services.transition_referral(actor=world["worker"], referral=referral, to="cancelled")

    response = receiver.post(
        f"/referrals/{referral.pk}/transition", {"to": "accepted", "version": version}
    )

    assert response.status_code == 409
    body = error_of(response)
    assert (body["code"], body["field"]) == ("version_conflict", "version")
    assert body["detail"] == "Předání mezitím změnil někdo jiný; načtěte ho znovu."
    referral.refresh_from_db()
    assert referral.status == "cancelled"


def test_transition_not_allowed_is_409_naming_the_statuses(world):
    referral = _referral(world)

    response = api_for(world["worker"]).post(
        f"/referrals/{referral.pk}/transition", {"to": "accepted"}
    )

    assert response.status_code == 409
    assert error_of(response) == {
        "detail": "Předání ve stavu „odeslané“ nelze změnit na „přijaté“.",
        "code": "transition_not_allowed",
        "field": "to",
    }


def test_decline_needs_a_reason_from_the_list(world):
    referral = _referral(world)
    receiver = api_for(world["receiver"])

    without = receiver.post(f"/referrals/{referral.pk}/transition", {"to": "declined"})
    unknown = receiver.post(
        f"/referrals/{referral.pk}/transition", {"to": "declined", "reason": "lenost"}
    )
    declined = receiver.post(
        f"/referrals/{referral.pk}/transition", {"to": "declined", "reason": "no_capacity"}
    )

    assert (without.status_code, error_of(without)["field"]) == (422, "reason")
    assert (unknown.status_code, error_of(unknown)["field"]) == (400, "reason")
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["decline_reason"]) == (
        "declined",
        "no_capacity",
    )


def test_referral_to_an_unknown_service_is_404_naming_it(world):
    person = _person_with_consent(world)

    response = api_for(world["worker"]).post(
        "/referrals", {"person": str(person.pk), "service": str(uuid.uuid4())}
    )

    assert (response.status_code, error_of(response)["field"]) == (404, "service")


def test_messages_between_the_organisations(world):
    referral = _referral(world)
    receiver = api_for(world["receiver"])

    response = receiver.post(
        f"/referrals/{referral.pk}/messages", {"text": "Máme volno v pondělí."}
    )
    empty = receiver.post(f"/referrals/{referral.pk}/messages", {"text": "  "})

    assert response.status_code == 201
    assert response.json()["organization"]["id"] == str(world["provider"].pk)
    assert (empty.status_code, error_of(empty)["field"]) == (400, "text")
    thread = api_for(world["worker"]).get(f"/referrals/{referral.pk}").json()["messages"]
    assert [m["text"] for m in thread] == ["Máme volno v pondělí."]


def test_referral_list_filters_and_shows_each_side_its_view(world):
    sent = _referral(world, name="Odeslaná")
    accepted = _referral(world, name="Přijatá")
    services.transition_referral(actor=world["receiver"], referral=accepted, to="accepted")
    worker = api_for(world["worker"])
    receiver = api_for(world["receiver"])

    everything = worker.get("/referrals").json()
    only_sent = worker.get("/referrals", status="sent").json()
    received = receiver.get("/referrals", direction="received").json()
    sent_by_receiver = receiver.get("/referrals", direction="sent").json()
    paged = worker.get("/referrals", per_page=1, page=2).json()

    assert (everything["total"], everything["pages"]) == (2, 1)
    assert [r["id"] for r in only_sent["results"]] == [str(sent.pk)]
    assert {r["person"]["name"] for r in received["results"]} == {"Odeslaná", "Přijatá"}
    assert all(set(r["person"]) == {"name", "phone", "email"} for r in received["results"])
    assert all(r["role"] == "receiver" for r in received["results"])
    assert all(r["person"]["id"] for r in everything["results"])
    assert sent_by_receiver["total"] == 0
    assert (paged["page"], paged["pages"], len(paged["results"])) == (2, 2, 1)


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page": "x"}, {"per_page": 10_000}, {"status": "nic"}, {"direction": "up"}],
)
def test_bad_list_parameters_are_400_naming_them(world, params):
    response = api_for(world["worker"]).get("/referrals", **params)

    assert response.status_code == 400
    assert error_of(response)["field"] == next(iter(params))


@pytest.mark.parametrize("count", [1, 3])
def test_referral_list_costs_the_same_queries_for_1_and_3(world, count, django_assert_num_queries):
    for i in range(count):
        _referral(world, name=f"Osoba {i}")
    worker = api_for(world["worker"])
    worker.get("/me")  # last_used_at is written once; not part of the count

    # token, memberships, count, page, audit insert (one sending organisation)
    with django_assert_num_queries(5):
        response = worker.get("/referrals")
    assert response.json()["total"] == count


# --- audit -------------------------------------------------------------------------------------


def test_every_read_list_and_change_through_the_api_is_audited_as_api(world):
    worker = api_for(world["worker"])
    receiver = api_for(world["receiver"])
    person = worker.post("/persons", {"name": "Auditovaná"}).json()
    consent = worker.post(
        f"/persons/{person['id']}/consents", {"purpose": "referral", "given_by": "self"}
    ).json()
    referral = worker.post(
        "/referrals", {"person": person["id"], "service": str(world["service"].pk)}
    ).json()
    worker.get("/referrals")
    receiver.get(f"/referrals/{referral['id']}")
    receiver.post(f"/referrals/{referral['id']}/transition", {"to": "accepted"})
    receiver.post(f"/referrals/{referral['id']}/messages", {"text": "Dobrý den"})

    entries = list(
        AuditEntry.objects.order_by("at", "action").values_list(
            "actor_username", "action", "object_type", "object_id", "via"
        )
    )
    message_id = str(Referral.objects.get().messages.get().pk)
    assert entries == [
        ("worker", "create", "referrals.person", person["id"], "api"),
        ("worker", "create", "referrals.consent", consent["id"], "api"),
        ("worker", "create", "referrals.referral", referral["id"], "api"),
        ("worker", "update", "referrals.referral", referral["id"], "api"),  # sent
        ("worker", "list", "referrals.referral", "", "api"),
        ("receiver", "read", "referrals.referral", referral["id"], "api"),
        ("receiver", "update", "referrals.referral", referral["id"], "api"),  # accepted
        ("receiver", "create", "referrals.referralmessage", message_id, "api"),
    ]
    listed = AuditEntry.objects.get(action="list")
    assert (listed.object_ids, listed.count, listed.organization_id) == (
        [referral["id"]],
        1,
        world["mas"].pk,
    )


# --- projects ----------------------------------------------------------------------------------


def test_projects_need_a_coordinator(world):
    response = api_for(world["worker"]).get("/projects")

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_projects_without_the_monitoring_app_is_501(world):
    if importlib.util.find_spec("api.v1_projects") is not None:
        pytest.skip("the monitoring app provides api/v1_projects.py")

    response = api_for(world["coordinator"]).get("/projects")

    assert response.status_code == 501
    assert error_of(response)["code"] == "not_available"


def test_projects_shape_for_a_coordinator(world):
    pytest.importorskip("api.v1_projects")
    from monitoring import services as monitoring
    from monitoring.models import Indicator, Project

    project = Project.objects.create(
        registration_number="CZ.03.02.01/00/22_008/0000060",
        name="Budujeme komunitu",
        programme=Project.Programme.OPZ_PLUS,
        implementer=world["mas"],
        territory=world["territory"],
        start_date=date(2023, 1, 1),
        end_date=date(2025, 12, 31),
    )
    monitoring.generate_periods(project=project)
    Indicator.objects.create(
        project=project,
        code="6 70 01",
        name="Dokončená předání",
        unit="předání",
        kind=Indicator.Kind.COMPUTED,
        source=Indicator.Source.REFERRALS_COMPLETED,
        target=40,
    )

    response = api_for(world["coordinator"]).get("/projects")

    assert response.status_code == 200
    assert response.json() == [
        {
            "registration_number": "CZ.03.02.01/00/22_008/0000060",
            "name": "Budujeme komunitu",
            "indicators": [
                {
                    "code": "6 70 01",
                    "name": "Dokončená předání",
                    "unit": "předání",
                    "target": 40,
                    "value": 0,
                }
            ],
        }
    ]
    assert '"target": 40,' in response.content.decode()  # a count, not 40.0
    # Another territory's coordinator does not see it.
    elsewhere = make_user("elsewhere", coordinates=make_territory("jinde", name="Jinde"))
    assert api_for(elsewhere).get("/projects").json() == []


# --- the API as a whole ------------------------------------------------------------------------


def test_me_lists_roles(world):
    response = api_for(world["coordinator"]).get("/me")

    assert response.json() == {
        "username": "coordinator",
        "memberships": [],
        "coordinated_territories": ["kyjovsko"],
    }


def test_wrong_method_and_unknown_path_answer_in_the_error_shape(world):
    worker = api_for(world["worker"])

    wrong_method = worker.client.put(BASE + "/referrals", **worker.headers)
    unknown = worker.get("/nic/tady")

    assert wrong_method.status_code == 405
    assert sorted(wrong_method["Allow"].split(", ")) == ["GET", "POST"]
    assert error_of(wrong_method)["code"] == "method_not_allowed"
    assert unknown.status_code == 404
    assert error_of(unknown)["detail"] == "No endpoint /api/v1/nic/tady; see /api/v1/openapi.json."


def test_answers_with_personal_data_are_never_cached(world):
    referral = _referral(world)

    response = api_for(world["worker"]).get(f"/referrals/{referral.pk}")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_openapi_document_has_the_bearer_scheme_and_no_swagger_ui(db):
    client = Client()
    document = client.get(BASE + "/openapi.json").json()

    assert document["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    assert document["paths"]["/api/v1/referrals/{id}"]["get"]["security"] == [{"TokenAuth": []}]
    assert "security" not in document["paths"]["/api/v1/auth/token"]["post"]
    assert client.get(BASE + "/docs").status_code == 404


def test_index_points_to_the_document_and_the_token(db):
    response = Client().get(BASE + "/")

    assert response.json() == {
        "version": "1",
        "openapi_url": "http://testserver/api/v1/openapi.json",
        "token_url": "http://testserver/api/v1/auth/token",
    }


def test_events_feed_is_still_served_beside_the_api(world):
    response = Client().get(BASE + "/events.ics", {"territory": "kyjovsko"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


# --- management command ------------------------------------------------------------------------


def test_issue_token_command_issues_lists_and_revokes(world, capsys):
    call_command("issue_token", "--username", "worker", "--label", "CRM obce")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(user=world["worker"])
    assert token.key_hash == ApiToken.hash_key(key)
    assert api_for(world["worker"]).get("/me").status_code == 200

    call_command("issue_token", "--username", "worker", "--list")
    listing = capsys.readouterr().out
    assert str(token.pk) in listing
    assert "CRM obce" in listing

    call_command("issue_token", "--revoke", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Api(key).get("/me").status_code == 401

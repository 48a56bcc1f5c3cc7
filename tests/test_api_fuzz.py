"""Fuzzing both APIs with schemathesis, in process, through Django's WSGI application.

Schemathesis reads the live OpenAPI documents (/api/hsds/openapi.json, /api/v1/openapi.json)
and sends every operation generated requests, valid and invalid: no answer may be a server
error, and every answer must conform to the document (status code, content type, schema).
The private API is called with the token of a social worker (schemathesis knows it as the
credentials, so it also checks that requests without them or with wrong ones get 401).

Bounded so the suite stays fast: SPOJKA_FUZZ_EXAMPLES cases per operation (25 by
default; 0 skips the fuzzing, e.g. for a quick local run).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from accounts.models import ApiToken
from referrals import services
from tests.factories import KYJOV, make_organization, make_service, make_territory, make_user

# Known in advance, because schemathesis asks for the credentials before the database exists.
FUZZ_KEY = "fuzz-token-of-the-test-worker"
EXAMPLES = int(os.environ.get("SPOJKA_FUZZ_EXAMPLES", "25"))

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(EXAMPLES <= 0, reason="SPOJKA_FUZZ_EXAMPLES=0"),
]

FUZZ_SETTINGS = settings(
    max_examples=max(EXAMPLES, 1),
    deadline=None,
    # Fixtures hold the database (one transaction for the whole test) and the data in it.
    suppress_health_check=list(HealthCheck),
    # No example database: every run starts afresh.
    database=None,
    print_blob=True,
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """A real request ends with `close_old_connections`, which would close the connection
    that holds the test's transaction; Django's own test client disconnects it the same way.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(db):
    """A little of everything: a territory, two organisations, services, a referral."""
    territory = make_territory("kyjovsko", (KYJOV,), name="Kyjovsko")
    mas = make_organization("MAS Kyjovsko")
    provider = make_organization("Azylový dům, z.ú.")
    service = make_service(provider, type_code="57", name="Azylový dům Kyjov", free_places=2)
    make_service(provider, type_code="37", name="Odborné poradenství", waiting_list=3)
    worker = make_user("worker", organization=mas, role="social_worker")
    make_user("receiver", organization=provider, role="provider_staff")
    make_user("coordinator", coordinates=territory)
    person = services.record_person(
        actor=worker, organization=mas, name="Jana Testová", birth_year=1980, municipality=None
    )
    services.record_consent(actor=worker, person=person, purpose="referral", given_by="self")
    services.create_referral(actor=worker, person=person, service=service, note="Fuzz")
    ApiToken.objects.create(user=worker, key_hash=ApiToken.hash_key(FUZZ_KEY), label="fuzz")
    return {"worker": worker}


# The documents are read from the application itself when the tests are collected (serving
# them needs no database); each operation becomes a test of its own.
APP = get_wsgi_application()
# The private API answers 422 to well-formed input that the rules refuse (a consent that
# ends in the past, a decline without a reason): a valid request may get it.
V1_CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
            }
        }
    }
)
# The HSDS API answers 400 to a well-formed reference to nothing (`municipality=0`: "no
# obec with ČSÚ code 0"), which no schema can express: a valid request may get it.
HSDS_CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "304", "400", "404"]}}}
)
hsds = schemathesis.openapi.from_wsgi("/api/hsds/openapi.json", APP, config=HSDS_CONFIG)
v1 = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP, config=V1_CONFIG)


@hsds.parametrize()
@FUZZ_SETTINGS
def test_hsds_api_answers_every_generated_request_as_documented(case, fuzz_world):
    case.call_and_validate()


@v1.auth()
class WorkerToken:
    """The fuzzing worker's token. Given to schemathesis as the API's credentials (not as
    a plain header), so its checks of missing or wrong credentials stay meaningful."""

    def get(self, case, ctx):
        return FUZZ_KEY

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@v1.parametrize()
@FUZZ_SETTINGS
def test_private_api_answers_every_generated_request_as_documented(case, fuzz_world):
    # A generated `DELETE /auth/token` revokes the token: every case starts with it valid.
    ApiToken.objects.filter(key_hash=ApiToken.hash_key(FUZZ_KEY)).update(revoked_at=None)
    case.call_and_validate()

"""Security: Argon2, login throttling, two-factor login, sessions, deploy checks, and nothing
personal in logs or error pages."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.core.checks import Error
from django.http import HttpRequest, JsonResponse
from django.test import RequestFactory
from django.urls import include, path
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from spojka import checks
from spojka import settings as production_settings
from spojka.logging import (
    NoPersonalDataExceptionReporterFilter,
    NoPersonalDataFilter,
    strip_query_strings,
)
from tests.factories import make_organization, make_territory, make_user

PASSWORD = "heslo-pro-testy-1"
LOGIN = "/ucet/prihlaseni/"
DASHBOARD = "/ucet/"
SETUP = "/ucet/overeni/nastaveni/"
VERIFY = "/ucet/overeni/"


# --- Password hashing and sessions ---------------------------------------------------------


def test_argon2_is_the_first_hasher_of_the_real_settings():
    # spojka.settings_test swaps in MD5 for speed; the settings module itself is what runs.
    assert production_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_argon2_hashes_and_checks_a_password(settings):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    encoded = make_password("správné heslo")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password("správné heslo", encoded)


def test_idle_sessions_end_after_half_an_hour():
    assert production_settings.SESSION_COOKIE_AGE == 30 * 60
    assert production_settings.SESSION_SAVE_EVERY_REQUEST is True


# --- Login throttling ----------------------------------------------------------------------


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(client, axes_on):
    make_user("jana")
    statuses = [
        client.post(LOGIN, {"username": "jana", "password": f"spatne-{i}"}).status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]

    response = client.post(LOGIN, {"username": "jana", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    content = response.content.decode()
    assert "Přihlášení je dočasně zablokované" in content
    assert "Zkuste to prosím znovu za 30 minut." in content
    # The lockout page passes the CSP middleware like every other page.
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_lockout_is_per_username_and_address(client, axes_on):
    make_user("jana")
    make_user("petr")
    for i in range(5):
        client.post(LOGIN, {"username": "jana", "password": f"spatne-{i}"})

    response = client.post(LOGIN, {"username": "petr", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(client, axes_on):
    make_user("jana")
    for i in range(4):
        client.post(LOGIN, {"username": "jana", "password": f"spatne-{i}"})
    assert client.post(LOGIN, {"username": "jana", "password": PASSWORD}).status_code == 302
    client.logout()

    statuses = [
        client.post(LOGIN, {"username": "jana", "password": f"znovu-{i}"}).status_code
        for i in range(4)
    ]

    assert statuses == [200, 200, 200, 200]


# --- Two-factor login ----------------------------------------------------------------------


@pytest.fixture
def two_factor(settings):
    settings.SPOJKA_REQUIRE_2FA = True
    return settings


@pytest.fixture
def worker(db):
    return make_user("pracovnice", organization=make_organization("MAS"), role="social_worker")


def _code(device: TOTPDevice, drift: int = 0) -> str:
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{token:0{device.digits}d}"


def _log_in(client, username: str):
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_worker_sets_up_totp_then_reaches_the_dashboard(client, two_factor, worker):
    two_factor.OTP_TOTP_THROTTLE_FACTOR = 60  # "too soon" below must not depend on speed
    _log_in(client, "pracovnice")

    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fucet%2F"

    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content
    assert 'width="240" height="240" role="img"' in content
    assert "<img" not in content
    device = TOTPDevice.objects.get(user=worker)
    assert device.confirmed is False
    secret_shown = content.split('<code translate="no">')[1].split("</code>")[0]
    assert len(secret_shown.replace(" ", "")) == 32

    wrong = f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"
    refused = client.post(SETUP, {"token": wrong, "next": DASHBOARD})
    assert refused.status_code == 200
    assert "Kód nesouhlasí" in refused.content.decode()

    # A wrong code makes the device wait a moment before the next try.
    too_soon = client.post(SETUP, {"token": _code(device), "next": DASHBOARD})
    assert "Příliš mnoho chybných kódů za sebou" in too_soon.content.decode()
    device.refresh_from_db()
    device.throttle_reset()

    session_before = client.session.session_key
    confirmed = client.post(SETUP, {"token": _code(device), "next": DASHBOARD})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == DASHBOARD
    assert client.session.session_key != session_before
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(DASHBOARD).status_code == 200


def test_worker_with_a_device_enters_a_code_at_every_login(client, two_factor, worker):
    device = TOTPDevice.objects.create(user=worker, name="Spojka", confirmed=True)
    _log_in(client, "pracovnice")

    response = client.get("/ucet/heslo/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fucet%2Fheslo%2F"
    # Setting up a second device needs the first one.
    assert client.get(SETUP)["Location"] == f"{VERIFY}?next=%2Fucet%2F"

    verified = client.post(VERIFY, {"token": _code(device, drift=1), "next": "/ucet/heslo/"})

    assert verified.status_code == 302
    assert verified["Location"] == "/ucet/heslo/"
    assert client.get("/ucet/heslo/").status_code == 200


def test_verify_refuses_a_wrong_code_and_an_outside_next(client, two_factor, worker):
    device = TOTPDevice.objects.create(user=worker, name="Spojka", confirmed=True)
    _log_in(client, "pracovnice")
    wrong = f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"

    refused = client.post(VERIFY, {"token": wrong})
    assert refused.status_code == 200
    assert "Kód nesouhlasí" in refused.content.decode()
    assert client.get(DASHBOARD).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    verified = client.post(VERIFY, {"token": _code(device), "next": "https://zlo.example/"})
    assert verified["Location"] == DASHBOARD


@pytest.mark.parametrize(
    "persona", ["social_worker", "community_worker", "provider_staff", "provider_admin"]
)
def test_every_member_role_needs_the_second_factor(client, two_factor, db, persona):
    make_user("clen", organization=make_organization("Org"), role=persona)
    _log_in(client, "clen")
    assert client.get(DASHBOARD)["Location"].startswith(SETUP)


def test_coordinators_and_superusers_need_the_second_factor(client, two_factor, db):
    make_user("koord", coordinates=make_territory("kyjovsko"))
    admin = make_user("spravce")
    admin.is_superuser = admin.is_staff = True
    admin.save(update_fields=["is_superuser", "is_staff"])
    for username, url in (("koord", DASHBOARD), ("spravce", "/admin/")):
        _log_in(client, username)
        assert client.get(url)["Location"].startswith(SETUP), username
        client.logout()


def test_user_without_a_role_is_not_asked_for_a_code(client, two_factor, db):
    make_user("bez-role")
    _log_in(client, "bez-role")
    assert client.get(DASHBOARD).status_code == 200


def test_public_visitor_is_never_redirected(client, two_factor, db):
    make_territory("kyjovsko")
    for url in ("/", "/kyjovsko/", "/kyjovsko/hledat/", LOGIN):
        assert client.get(url).status_code == 200, url


def test_unverified_worker_still_sees_the_public_portal_and_can_log_out(client, two_factor, worker):
    make_territory("kyjovsko")
    _log_in(client, "pracovnice")
    assert client.get("/").status_code == 200
    assert client.get("/kyjovsko/").status_code == 200
    response = client.post("/ucet/odhlaseni/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_two_factor_off_lets_the_worker_in_with_a_password(client, settings, worker):
    settings.SPOJKA_REQUIRE_2FA = False
    _log_in(client, "pracovnice")
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.urls("tests.test_security")
def test_api_is_not_redirected_and_treats_the_session_as_anonymous(client, two_factor, worker):
    _log_in(client, "pracovnice")

    response = client.get("/api/test-kdo-jsem/")

    assert response.status_code == 200
    assert response.json() == {"authenticated": False}


@pytest.mark.urls("tests.test_security")
def test_api_sees_a_verified_session_as_it_is(client, two_factor, worker):
    device = TOTPDevice.objects.create(user=worker, name="Spojka", confirmed=True)
    _log_in(client, "pracovnice")
    client.post(VERIFY, {"token": _code(device)})

    assert client.get("/api/test-kdo-jsem/").json() == {"authenticated": True}


def test_htmx_request_gets_a_full_page_redirect(client, two_factor, worker):
    _log_in(client, "pracovnice")
    response = client.get(DASHBOARD, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{SETUP}?next=%2Fucet%2F"


def test_redirect_keeps_the_path_but_never_the_query(client, two_factor, worker):
    _log_in(client, "pracovnice")
    response = client.get("/ucet/heslo/?hledat=Jana+Nov%C3%A1kov%C3%A1")
    assert response["Location"] == f"{SETUP}?next=%2Fucet%2Fheslo%2F"


# --- check --deploy ------------------------------------------------------------------------


def _ids(messages) -> list[str]:
    return [m.id for m in messages]


def test_deploy_check_refuses_two_factor_off(settings):
    settings.SPOJKA_REQUIRE_2FA = False
    problems = checks.check_two_factor(None)
    assert _ids(problems) == ["spojka.E001"]
    assert isinstance(problems[0], Error)
    settings.SPOJKA_REQUIRE_2FA = True
    assert checks.check_two_factor(None) == []


def test_deploy_check_wants_real_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "spojka@localhost"
    assert _ids(checks.check_email(None)) == ["spojka.W002", "spojka.W003"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Spojka <spojka@spojka.example.cz>"
    assert checks.check_email(None) == []


def test_deploy_check_wants_an_https_base_url_of_an_allowed_host(settings):
    settings.ALLOWED_HOSTS = ["spojka.example.cz"]
    settings.SPOJKA_BASE_URL = "http://127.0.0.1:8000"
    assert _ids(checks.check_base_url(None)) == ["spojka.W004"]
    settings.SPOJKA_BASE_URL = "https://jinde.example.cz"
    assert _ids(checks.check_base_url(None)) == ["spojka.W005"]
    settings.SPOJKA_BASE_URL = "https://spojka.example.cz"
    assert checks.check_base_url(None) == []


# --- Nothing personal in logs or error pages -----------------------------------------------


def _fail(request: HttpRequest):
    raise RuntimeError("the view failed")


def _who_am_i(request: HttpRequest):
    return JsonResponse({"authenticated": request.user.is_authenticated})


urlpatterns = [
    path("test-selhani/", _fail),
    path("api/test-kdo-jsem/", _who_am_i),
    path("", include("spojka.urls")),
]

PERSONAL = ("Ukázková", "Ukazkova", "777 123 456", "exekuce")


@pytest.mark.urls("tests.test_security")
@pytest.mark.django_db
def test_failed_request_puts_no_personal_data_in_logs_or_page(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.raise_request_exception = False

    response = client.post(
        "/test-selhani/?jmeno=Jana+Ukazkova&q=exekuce",
        {"name": "Jana Ukázková", "phone": "+420 777 123 456", "situation": "exekuce"},
    )
    missing = client.post("/neni-tu/?jmeno=Jana+Ukazkova", {"name": "Jana Ukázková"})

    assert response.status_code == 500
    assert missing.status_code == 404
    assert "Internal Server Error: /test-selhani/" in caplog.text
    assert "Not Found: /neni-tu/" in caplog.text
    for value in PERSONAL:
        assert value not in caplog.text
        assert value not in response.content.decode()
    assert "Ukázková" not in missing.content.decode()
    assert all(not hasattr(record, "request") for record in caplog.records)
    assert "Něco se pokazilo" in response.content.decode()


def test_server_log_lines_lose_their_query_string(caplog):
    caplog.set_level(logging.WARNING, logger="django.server")
    logging.getLogger("django.server").warning(
        '"%s" %s %s', "GET /kyjovsko/hledat/?q=Jana+Ukazkova+exekuce HTTP/1.1", "404", "2048"
    )
    assert caplog.messages == ['"GET /kyjovsko/hledat/ HTTP/1.1" 404 2048']


def test_log_filter_strips_urls_and_drops_the_request():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Error at %s", ("/a/?b=c",), None
    )
    record.request = object()
    assert NoPersonalDataFilter().filter(record) is True
    assert record.getMessage() == "Error at /a/"
    assert not hasattr(record, "request")
    assert strip_query_strings("see https://x.cz/p?q=1 and /q/?x=2 now?") == (
        "see https://x.cz/p and /q/ now?"
    )


def test_error_reports_name_the_submitted_fields_but_not_their_values():
    request = RequestFactory().post("/", {"name": "Jana Ukázková", "phone": "+420 777 123 456"})
    cleaned = NoPersonalDataExceptionReporterFilter().get_post_parameters(request)
    assert cleaned == {"name": "********************", "phone": "********************"}

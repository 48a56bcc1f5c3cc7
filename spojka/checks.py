"""`manage.py check --deploy` checks for the pieces a production Spojka must not miss.

Django's own deploy checks cover HTTPS, cookies and HSTS; these add what is specific to
Spojka: two-factor login for everyone who sees personal data, e-mail that really leaves
the server, and the public address used in links of those e-mails.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host

# Backends that never deliver: fine for development and tests, silent loss in production.
NON_DELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


class SpojkaConfig(AppConfig):
    """The project package as an app, so that Django imports (and registers) these checks."""

    name = "spojka"
    verbose_name = "Spojka"


@register(Tags.security, deploy=True)
def check_two_factor(app_configs, **kwargs):
    if getattr(settings, "SPOJKA_REQUIRE_2FA", True):
        return []
    return [
        Error(
            "SPOJKA_REQUIRE_2FA is off: workers, providers and coordinators see personal "
            "data after a password alone.",
            hint="Remove SPOJKA_REQUIRE_2FA=0 from the environment; it is for the demo "
            "and the tests only.",
            id="spojka.E001",
        )
    ]


@register(deploy=True)
def check_email(app_configs, **kwargs):
    problems = []
    if settings.EMAIL_BACKEND in NON_DELIVERING_EMAIL_BACKENDS:
        problems.append(
            Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: notifications of new help "
                "requests and referrals are never delivered.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and "
                "EMAIL_HOST (EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).",
                id="spojka.W002",
            )
        )
    sender = settings.DEFAULT_FROM_EMAIL or ""
    if "@" not in sender or sender.rsplit("@", 1)[1].rstrip(">").lower() == "localhost":
        problems.append(
            Warning(
                f"DEFAULT_FROM_EMAIL is {sender!r}: receiving servers reject or drop such mail.",
                hint="Set DEFAULT_FROM_EMAIL to an address of the site's domain.",
                id="spojka.W003",
            )
        )
    return problems


@register(deploy=True)
def check_base_url(app_configs, **kwargs):
    url = settings.SPOJKA_BASE_URL or ""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return [
            Warning(
                f"SPOJKA_BASE_URL is {url!r}: links in e-mails must use the site's https address.",
                hint="Set SPOJKA_BASE_URL, e.g. https://spojka.example.cz.",
                id="spojka.W004",
            )
        ]
    if not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        return [
            Warning(
                f"The host of SPOJKA_BASE_URL ({parts.hostname}) is not in ALLOWED_HOSTS: "
                "links in e-mails would lead to a site that refuses them.",
                id="spojka.W005",
            )
        ]
    return []

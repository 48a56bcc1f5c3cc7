"""Project middleware: a strict Content Security Policy, the Czech-first language choice and
two-factor login for everyone who sees personal data."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils import translation


def _tile_origin() -> str:
    url = settings.SPOJKA_TILE_URL or ""
    # "https://{s}.tile.example.org/{z}/..." -> "https://*.tile.example.org"
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}" if scheme and host else ""


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        img = " ".join(filter(None, ["'self'", "data:", _tile_origin()]))
        self.policy = (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {img}; connect-src 'self'; font-src 'self'; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class CzechFirstLocaleMiddleware(LocaleMiddleware):
    """Czech unless the visitor chose another language with the switch (a cookie).

    The browser's Accept-Language is ignored on purpose: the portal is Czech first, and a
    Czech resident on an English-language phone should not get a half-English site.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _unverified_anonymous() -> AnonymousUser:
    anonymous = AnonymousUser()
    anonymous.otp_device = None  # as django_otp's middleware leaves every user
    anonymous.is_verified = lambda: False
    return anonymous


async def _anonymous() -> AnonymousUser:
    return _unverified_anonymous()


class RequireTwoFactorMiddleware:
    """Whoever sees personal data proves a second factor (TOTP) before anything else.

    After the password, an authenticated user for whom
    `referrals.permissions.works_with_personal_data` holds and whose session has no
    verified OTP device (`django_otp.middleware.OTPMiddleware`, installed before this one)
    is sent to set up an authenticator app, or to enter its code when one is set up. The
    public portal, signing in and out and the two-factor pages themselves stay open. The
    API (`/api/`, token-authenticated) is never redirected: there such a session is
    treated as anonymous, so the API answers in JSON as it does to anyone without a token.

    `SPOJKA_REQUIRE_2FA=0` turns this off, for the demo and the tests only (`check
    --deploy` reports it).
    """

    # Views an unverified user must still reach.
    OPEN_VIEWS = frozenset(
        {
            "accounts:login",
            "accounts:logout",
            "accounts:otp_setup",
            "accounts:otp_verify",
            "admin:login",
            "admin:logout",
            "set_language",
        }
    )
    OPEN_NAMESPACES = frozenset({"portal"})
    API_PREFIX = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SPOJKA_REQUIRE_2FA:
            refusal = self._intercept(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _intercept(self, request: HttpRequest) -> HttpResponse | None:
        # Cheapest questions first: most requests are anonymous or already verified.
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        path = request.path_info
        if path.startswith(self.API_PREFIX):
            if self._needs_two_factor(user):
                # No redirects in the API: a session without the second factor counts as
                # no session there, so public endpoints answer and private ones ask for
                # their token (401) in the API's own error shape.
                request.user = _unverified_anonymous()
                request.auser = _anonymous
            return None
        if path.startswith(settings.STATIC_URL) or self._is_open(path):
            return None
        if not self._needs_two_factor(user):
            return None
        return self._redirect(request, user)

    def _is_open(self, path: str) -> bool:
        try:
            match = resolve(path)
        except Resolver404:
            return True  # it answers 404 and shows nothing
        return match.view_name in self.OPEN_VIEWS or (
            bool(match.namespaces) and match.namespaces[0] in self.OPEN_NAMESPACES
        )

    @staticmethod
    def _needs_two_factor(user) -> bool:
        from referrals.permissions import works_with_personal_data

        return works_with_personal_data(user)

    @staticmethod
    def _redirect(request: HttpRequest, user) -> HttpResponse:
        from django_otp import devices_for_user

        has_device = any(True for _device in devices_for_user(user, confirmed=True))
        target = reverse("accounts:otp_verify" if has_device else "accounts:otp_setup")
        # Only the path comes back after the second factor: a query string may hold what
        # someone searched for, and it must not travel in URLs and logs.
        back = request.path if request.method == "GET" else resolve_url(settings.LOGIN_REDIRECT_URL)
        url = f"{target}?{urlencode({'next': back})}"
        if request.headers.get("HX-Request"):
            # htmx would swap the setup page into a fragment; have it load the page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)

"""Two-factor login (TOTP) and the page shown when sign-in is locked after failed attempts.

`spojka.middleware.RequireTwoFactorMiddleware` sends everyone who sees personal data here
after the password: to `otp_setup` the first time (scan a QR code with an authenticator
app, confirm with a code), to `otp_verify` on every later sign-in. The QR code is inline
SVG, so the Content Security Policy needs no exception and no image library.
"""

from __future__ import annotations

import logging
import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger(__name__)

DEVICE_NAME = "Spojka"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Kód z aplikace"),
        help_text=gettext_lazy("Šest číslic, které aplikace právě ukazuje."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        # People copy codes with spaces ("123 456").
        token = "".join(self.cleaned_data["token"].split())
        if not re.fullmatch(r"\d{6}", token):
            raise forms.ValidationError(_("Kód má šest číslic."))
        return token


def _next_url(request: HttpRequest) -> str:
    """Where to go after the second factor: a local `next`, else the dashboard."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _verified(request: HttpRequest, device) -> HttpResponse:
    otp_login(request, device)
    # A new session key once the second factor is proven (no session fixation).
    request.session.cycle_key()
    logger.info("Two-factor verification succeeded (user id %s).", request.user.pk)
    return redirect(_next_url(request))


def _check(form: TokenForm, user, devices):
    """The device that accepts the form's code, or None with the reason added to the form.

    django-otp throttles each device: after a wrong code the next try must wait 1, 2, 4 …
    seconds, which makes guessing six digits hopeless.
    """
    token = form.cleaned_data["token"]
    for device in devices:
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "token",
                _("Příliš mnoho chybných kódů za sebou. Počkejte chvíli a zkuste to znovu."),
            )
            return None
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    logger.warning("Two-factor code refused (user id %s).", user.pk)
    form.add_error(
        "token", _("Kód nesouhlasí. Zkontrolujte čas v telefonu a zadejte nový kód z aplikace.")
    )
    return None


def _confirmed_devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))


def qr_code_svg(data: str) -> str:
    """The QR code of `data` as an inline <svg> element (white background, 240 px)."""
    image = qrcode.make(
        data, image_factory=qrcode.image.svg.SvgPathFillImage, border=4, box_size=10
    )
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :]  # no XML declaration inside HTML
    # qrcode sizes it in mm; a fixed pixel size scans well on phones and screens alike.
    head, rest = svg.split(">", 1)
    head = " ".join(part for part in head.split(" ") if not part.startswith(("width=", "height=")))
    label = _("QR kód pro aplikaci na ověřování")
    return f'{head} width="240" height="240" role="img" aria-label="{label}">{rest}'


def _grouped(secret: str) -> str:
    """'JBSWY3DPEHPK3PXP' -> 'JBSW Y3DP EHPK 3PXP', easier to type by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _with_next(url_name: str, request: HttpRequest) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: pair an authenticator app with the account and confirm one code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if _confirmed_devices(user):
        # Replacing a device needs proof of the current one: a coordinator or the
        # administrator removes a lost one (admin, "TOTP devices").
        return redirect(_with_next("accounts:otp_verify", request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and _check(form, user, [device]) is not None:
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        messages.success(request, _("Dvoufázové ověření je nastavené."))
        return _verified(request, device)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(qr_code_svg(device.config_url)),  # our own markup, no input
            "secret": _grouped(secret),
            "next": _next_url(request),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Every later sign-in: the code the authenticator app shows now."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    devices = _confirmed_devices(user)
    if not devices:
        return redirect(_with_next("accounts:otp_setup", request))
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        verified = _check(form, user, devices)
        if verified is not None:
            return _verified(request, verified)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes: sign-in locked after too many failed attempts (HTTP 429).

    The page does not repeat the user name that was typed, and it is the same whether
    the account exists or not.
    """
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else None
    return render(request, "accounts/otp_lockout.html", {"minutes": minutes}, status=429)

"""Validators of Czech identifiers used in the directory."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def ico_checksum_ok(ico: str) -> bool:
    """IČO: 8 digits, the last a mod-11 check digit of the first seven (weights 8…2)."""
    if len(ico) != 8 or not ico.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(ico[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 10
    return check == int(ico[7])


def validate_ico(value: str) -> None:
    if not ico_checksum_ok(value):
        raise ValidationError(
            _("IČO „%(value)s“ není platné: musí mít 8 číslic a správnou kontrolní číslici."),
            code="invalid_ico",
            params={"value": value},
        )


def ico_with_checksum(first_seven: str) -> str:
    """Complete seven digits to a valid IČO (used by demo and benchmark generators)."""
    total = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1), strict=True))
    return first_seven + str((11 - total % 11) % 10)

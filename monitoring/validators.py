"""Registration numbers of projects of the Operational Programme Employment (OPZ) and
Employment Plus (OPZ+), as the monitoring systems MS2014+ and MS2021+ give them.

- OPZ+ (2021–2027, MS2021+): ``CZ.03.02.01/00/22_008/0000060`` — programme, priority,
  specific objective, measure, call year and number, project number.
- OPZ (2014–2020, MS2014+): ``CZ.03.2.63/0.0/0.0/15_007/0001234`` — priority axis,
  investment priority (a number, or ``X`` in the numbers of some calls), two version
  fields, call year and number, project number.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OPZ_PLUS_PATTERN = re.compile(r"^CZ\.03\.\d{2}\.\d{2}/\d{2}/\d{2}_\d{3}/\d{7}$")
OPZ_PATTERN = re.compile(r"^CZ\.03\.\d\.(?:\d{1,3}|X)/\d\.\d/\d\.\d/\d{2}_\d{3}/\d{7}$")

OPZ_PLUS_EXAMPLE = "CZ.03.02.01/00/22_008/0000060"
OPZ_EXAMPLE = "CZ.03.2.63/0.0/0.0/15_007/0001234"


def normalize_registration_number(value: str) -> str:
    """Without spaces, in upper case (people copy numbers from PDFs with spaces in them)."""
    return "".join((value or "").split()).upper()


def programme_of(value: str) -> str | None:
    """ "opz_plus", "opz", or None when the number has neither form."""
    number = normalize_registration_number(value)
    if OPZ_PLUS_PATTERN.match(number):
        return "opz_plus"
    if OPZ_PATTERN.match(number):
        return "opz"
    return None


def validate_registration_number(value: str) -> None:
    if programme_of(value) is None:
        raise ValidationError(
            _(
                "Registrační číslo „%(value)s“ nemá tvar čísla projektu OPZ+ (například "
                "%(opz_plus)s) ani OPZ (například %(opz)s). Opište ho přesně z právního aktu "
                "nebo z monitorovacího systému, i s tečkami a lomítky."
            ),
            code="invalid_registration_number",
            params={"value": value, "opz_plus": OPZ_PLUS_EXAMPLE, "opz": OPZ_EXAMPLE},
        )

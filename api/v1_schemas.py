"""Request and response schemas of the private API at /api/v1/ (pydantic, through ninja).

Input types refuse what the database cannot store before anything reaches it: text with a
NUL character or a lone surrogate, numbers beyond the column, date-times that overflow
when turned into UTC. So bad input gets a 400 naming the field, never a 500.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, Field, WithJsonSchema

from referrals.models import Consent, Referral

# --- input types ---------------------------------------------------------------------------

# Characters that do not make a text non-empty: controls, spaces of every kind, and whatever
# Python's str.strip() removes. Written as escapes that JSON Schema (ECMA 262) regexes and
# Python's `re` read alike, so the OpenAPI document states exactly what is checked here.
BLANK = r"\x00-\x20\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = re.compile(f"[^{BLANK}]")
# No NUL anywhere (PostgreSQL cannot store it); a required text also has a visible character.
NO_NUL_PATTERN = r"^[^\x00]*$"
REQUIRED_PATTERN = rf"^[^\x00]*[^{BLANK}][^\x00]*$"


def _storable(value: str, *, required: bool, strip: bool) -> str:
    """Text every supported database stores: PostgreSQL refuses NUL, UTF-8 lone surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (it contains a lone surrogate)") from None
    if required and not NOT_BLANK.search(value):
        raise ValueError("must not be empty or only spaces")
    return value.strip() if strip else value


def text(max_length: int, *, required: bool = False, strip: bool = True) -> Any:
    """A string of at most `max_length` characters that the database can store."""
    pattern = REQUIRED_PATTERN if required else NO_NUL_PATTERN
    return Annotated[
        str,
        Field(max_length=max_length, json_schema_extra={"pattern": pattern}),
        AfterValidator(lambda value: _storable(value, required=required, strip=strip)),
    ]


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("must be an e-mail address such as jana@example.cz") from None
    return value


def _aware(value: datetime | None) -> datetime | None:
    """A date-time without an offset is Czech local time."""
    if value is not None and timezone.is_naive(value):
        try:
            value = timezone.make_aware(value)
        except (OverflowError, ValueError):
            raise ValueError("is out of range") from None
    return value


def storable_moment(value: datetime) -> bool:
    """Whether the date-time survives the conversion to UTC that storing it needs."""
    try:
        value.astimezone(UTC)
    except (OverflowError, ValueError):
        return False
    return True


Name = text(200, required=True)
Email = Annotated[
    str,
    Field(max_length=254),
    AfterValidator(_email),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "email", "maxLength": 254},
                {"type": "string", "maxLength": 0},
            ]
        }
    ),
]
Moment = Annotated[datetime | None, AfterValidator(_aware)]
# A ČSÚ code of an obec has six digits (500011 … 599999); bounded so no database overflows.
MunicipalityCode = Annotated[int, Field(ge=1, le=999_999)]
PAGE_MAX = 100_000
PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 200

ReferralStatus = Literal[tuple(Referral.Status.values)]
DeclineReason = Literal[tuple(Referral.DeclineReason.values)]
Outcome = Literal[tuple(Referral.Outcome.values)]
Purpose = Literal[tuple(Consent.Purpose.values)]
GivenBy = Literal[tuple(Consent.GivenBy.values)]
LegalBasis = Literal[tuple(Consent.LegalBasis.values)]
ScopeItem = Literal[Consent.SHAREABLE]


# --- errors --------------------------------------------------------------------------------


class Error(Schema):
    """The one shape of every error of this API."""

    detail: str = Field(description="What went wrong, in a sentence for people.")
    code: str = Field(
        description=(
            "A stable machine code: invalid (400), unauthorized, invalid_credentials, "
            "otp_required, otp_invalid (401), forbidden, two_factor_setup_required (403), "
            "not_found (404), method_not_allowed (405), transition_not_allowed, "
            "version_conflict (409), no_valid_consent, refused (422), locked_out (429), "
            "not_available (501)."
        )
    )
    field: str | None = Field(None, description="The field or parameter at fault, if any.")


# --- auth ----------------------------------------------------------------------------------


class TokenIn(Schema):
    username: text(150, required=True)
    password: text(4096, required=True, strip=False)
    otp: str | None = Field(
        None,
        max_length=20,
        description=(
            "The current code of the user's authenticator app: required when two-factor "
            "login is on and the user has set it up (see docs/api.md)."
        ),
    )
    label: text(100) = Field("", description="What the token is for, e.g. the calling system.")


class TokenOut(Schema):
    token: str = Field(description="Send as `Authorization: Bearer <token>`; shown only once.")
    token_type: Literal["Bearer"] = "Bearer"
    id: uuid.UUID
    username: str


# --- who am I, territories, projects --------------------------------------------------------


class IndexOut(Schema):
    version: str
    openapi_url: str
    token_url: str


class MembershipOut(Schema):
    organization: uuid.UUID
    organization_name: str
    role: str


class MeOut(Schema):
    username: str
    memberships: list[MembershipOut]
    coordinated_territories: list[str]


class TerritoryOut(Schema):
    slug: str
    name: str
    kind: str


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    # Whole numbers stay integers (most indicators count people or meetings).
    target: int | float | None = None
    value: int | float | None = None


class ProjectOut(Schema):
    registration_number: str
    name: str
    indicators: list[IndicatorOut]


# --- persons and consents ------------------------------------------------------------------


class PersonIn(Schema):
    name: Name = Field(description="Name or pseudonym.")
    birth_year: int | None = Field(None, ge=1800, le=2200)
    municipality: MunicipalityCode | None = Field(None, description="ČSÚ code of the obec.")
    phone: text(40) = ""
    email: Email = ""
    is_pseudonym: bool = False
    organization: uuid.UUID | None = Field(
        None,
        description=(
            "The organisation that records the person (HSDS organization id). Needed only "
            "when the caller records persons for more than one organisation."
        ),
    )


class Ref(Schema):
    id: uuid.UUID
    name: str


class MunicipalityOut(Schema):
    code: int
    name: str


class PersonOut(Schema):
    id: uuid.UUID
    organization: Ref
    name: str
    is_pseudonym: bool
    birth_year: int | None
    municipality: MunicipalityOut | None
    phone: str
    email: str
    created_at: datetime
    anonymised: bool


class ConsentIn(Schema):
    purpose: Purpose
    given_by: GivenBy
    scope: list[ScopeItem] | None = Field(
        None,
        max_length=len(Consent.SHAREABLE),
        description=(
            "What the receiving organisation of a referral may see; by default all of "
            f"{', '.join(Consent.SHAREABLE)}."
        ),
    )
    legal_basis: LegalBasis = "consent"
    witness: text(200) = Field("", description="Required when given_by is verbal_witnessed.")
    expires_at: Moment = Field(
        None, description="ISO 8601; without an offset it is Czech local time."
    )
    share_with: list[uuid.UUID] | None = Field(
        None,
        max_length=50,
        description="Organisations the person agreed to share with; empty = any receiver.",
    )


class ConsentOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    purpose: str
    scope: list[str]
    legal_basis: str
    given_by: str
    given_at: datetime
    expires_at: datetime | None
    withdrawn_at: datetime | None
    share_with: list[uuid.UUID]
    valid: bool


# --- referrals -----------------------------------------------------------------------------


class ReferralIn(Schema):
    person: uuid.UUID
    service: uuid.UUID = Field(description="HSDS service id.")
    note: text(5000) = Field("", description="For the receiving service; it sees this text.")


class TransitionIn(Schema):
    to: ReferralStatus
    version: int | None = Field(
        None,
        ge=1,
        le=2_147_483_647,
        description="The referral's `version` the decision was made on; a stale one → 409.",
    )
    reason: DeclineReason | Literal[""] = Field("", description="Required with to=declined.")
    outcome: Outcome | Literal[""] = Field("", description="Required with to=completed.")
    comment: text(2000) = ""


class MessageIn(Schema):
    text: text(5000, required=True)


class ReferralPerson(Schema):
    """The sender sees its own person; the receiver only what the consent shares."""

    id: uuid.UUID | None = None
    name: str | None = None
    birth_year: int | None = None
    municipality: str | None = None
    phone: str | None = None
    email: str | None = None
    situation: str | None = None


class ReferralEventOut(Schema):
    at: datetime
    from_status: str
    to_status: str
    reason: str
    organization: str | None


class MessageOut(Schema):
    id: uuid.UUID
    created_at: datetime
    organization: Ref
    text: str


class ReferralOut(Schema):
    id: uuid.UUID
    status: str
    version: int
    role: Literal["sender", "receiver"]
    person: ReferralPerson
    service: Ref
    from_organization: Ref
    to_organization: Ref
    note: str
    decline_reason: str
    outcome: str
    respond_by: datetime | None
    created_at: datetime
    updated_at: datetime
    consent_valid: bool


class ReferralDetailOut(ReferralOut):
    allowed_transitions: list[str]
    events: list[ReferralEventOut]
    messages: list[MessageOut]


class ReferralListParams(Schema):
    status: ReferralStatus | None = None
    direction: Literal["sent", "received"] | None = Field(
        None, description="sent = by the caller's organisations, received = to them."
    )
    page: int = Field(1, ge=1, le=PAGE_MAX)
    per_page: int = Field(PER_PAGE_DEFAULT, ge=1, le=PER_PAGE_MAX)


class ReferralPage(Schema):
    total: int
    page: int
    per_page: int
    pages: int
    results: list[ReferralOut]

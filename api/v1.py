"""The private API at /api/v1/: persons, consents and referrals for the systems of workers.

Thin, like the HTML views (STYLE.md habit 7): a schema validates the input
(api/v1_schemas.py), objects are fetched only through the managers' `visible_to(user)`,
the permission questions are the named predicates of `referrals.permissions`, and every
write is a function of `referrals.services` (which audits it, with `via="api"`). Reads and
lists of personal data are audited here.

Status codes, the same on every endpoint:

- 400 `invalid`: the request does not match the OpenAPI document: the body is not JSON,
  a field is missing, of the wrong type or out of its bounds (`field` names it);
- 401: no token, an unknown or revoked one, or wrong credentials at /auth/token;
- 403 `forbidden`: the caller's role does not allow it (e.g. no worker role);
- 404 `not_found`: an id, in the path or in the body, that names nothing the caller may
  see: no such object and someone else's object get the same answer;
- 409 `transition_not_allowed` / `version_conflict`: the referral's state does not allow
  the change, or someone changed it since the caller read `version`;
- 422 `no_valid_consent` / `refused`: the request matches the document but the rules
  refuse it (a referral without the person's valid consent to referral, a consent that
  expires in the past, a decline without a reason …); `field` names the field at fault.

Every error has the one shape `{"detail", "code", "field"}` (`api.v1_schemas.Error`).
"""

from __future__ import annotations

import importlib
import math
import uuid
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from accounts import audit
from accounts.models import ApiToken, AuditEntry, Membership
from accounts.permissions import coordinated_territories
from api.auth import TokenAuth, user_of
from api.v1_schemas import (
    ConsentIn,
    ConsentOut,
    Error,
    IndexOut,
    MeOut,
    MessageIn,
    MessageOut,
    PersonIn,
    PersonOut,
    ProjectOut,
    ReferralDetailOut,
    ReferralIn,
    ReferralListParams,
    ReferralPage,
    TerritoryOut,
    TokenIn,
    TokenOut,
    TransitionIn,
    storable_moment,
)
from directory.models import Organization, Service
from referrals import permissions, services
from referrals.models import WORKER_ROLES, Consent, Person, Referral
from referrals.views_common import member_organizations, open_request, person_territory
from territory.models import Municipality, Territory

api = NinjaAPI(
    title="Spojka – private API",
    version="1",
    description=(
        "Persons, consents and referrals between the organisations of a territory. "
        "Authenticate with a token from POST /api/v1/auth/token, sent as "
        "`Authorization: Bearer <token>`. Every error is `{detail, code, field}`. "
        "See docs/api.md."
    ),
    urls_namespace="v1",
    auth=TokenAuth(),
    # Swagger UI would load scripts from a CDN, which the site's CSP forbids.
    docs_url=None,
)


# --- errors ----------------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str, field: str | None = None):
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.field = field


def error_response(
    request: HttpRequest, status: int, code: str, detail: str, field: str | None = None
) -> HttpResponse:
    response = api.create_response(
        request, {"detail": detail, "code": code, "field": field}, status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="spojka"'
    return response


def not_found(what: str, object_id: Any, field: str | None = None) -> ApiError:
    """The one answer for "does not exist" and "not yours"."""
    return ApiError(404, "not_found", f"No {what} with id '{object_id}'.", field)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.detail, exc.field)


UNAUTHORIZED = (
    "Authentication required: send 'Authorization: Bearer <token>' with a valid token that "
    "has not been revoked (POST /api/v1/auth/token issues one)."
)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return error_response(request, 401, "unauthorized", UNAUTHORIZED)
    if exc.status_code == 400:
        # Ninja's only 400: a body that does not parse.
        return error_response(request, 400, "invalid", "The request body is not valid JSON.")
    return error_response(request, exc.status_code, "error", str(exc))


_BODY_REQUIRED = "The request body must be a JSON object."


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [(error, [str(part) for part in error.get("loc", ())]) for error in exc.errors]
    for _error, loc in errors:
        if loc[:1] == ["path"]:
            # A malformed id names nothing: the same 404 as an unknown one.
            name = loc[-1]
            match = request.resolver_match
            raw = match.kwargs.get(name, "") if match else ""
            return error_response(
                request, 404, "not_found", f"No object with id '{raw}' (ids are UUIDs).", name
            )
    error, loc = errors[0] if errors else ({}, [])
    # loc is ("query", field, …) for query parameters, ("body", "payload", field, …) for
    # the JSON body; without a field the body as a whole is wrong.
    path = loc[1:] if loc[:1] == ["query"] else loc[2:]
    if not path:
        return error_response(request, 400, "invalid", _BODY_REQUIRED)
    field = path[0]
    where = ".".join(path)
    kind = error.get("type", "")
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    if kind == "missing":
        detail = f"Field '{field}' is required."
    elif kind == "extra_forbidden":
        detail = f"Unknown field '{field}'."
    else:
        detail = f"Invalid value of '{where}': {message}."
    return error_response(request, 400, "invalid", detail, field)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or "Your role does not allow this."
    return error_response(request, 403, "forbidden", detail)


@api.exception_handler(services.NoValidConsent)
def _no_consent(request: HttpRequest, exc: services.NoValidConsent) -> HttpResponse:
    return error_response(request, 422, "no_valid_consent", " ".join(exc.messages), "person")


@api.exception_handler(services.ReferralConflict)
def _conflict(request: HttpRequest, exc: services.ReferralConflict) -> HttpResponse:
    return error_response(request, 409, "version_conflict", str(exc), "version")


@api.exception_handler(ValidationError)
def _refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service's ValidationError: well-formed input that the rules refuse."""
    field = None
    messages = exc.messages
    if hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        field = None if field == NON_FIELD_ERRORS else field
    return error_response(request, 422, "refused", " ".join(messages), field)


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """Response schemas of an operation: its success and the errors it may answer."""
    return {**ok, **dict.fromkeys((401, *errors), Error)}


# --- fetching (404 for "does not exist" and "not yours" alike) --------------------------------


def persons_for(user) -> QuerySet[Person]:
    return Person.objects.visible_to(user).select_related("organization", "municipality")


def referrals_for(user) -> QuerySet[Referral]:
    """Referrals of the caller's organisations; a draft is the sender's until it is sent."""
    return Referral.objects.shown_to(user).select_related(
        "person__municipality",
        "consent",
        "help_request",
        "service",
        "from_organization",
        "to_organization",
    )


def get_person(user, pk: uuid.UUID, field: str | None = None) -> Person:
    person = persons_for(user).filter(pk=pk).first()
    if person is None:
        raise not_found("person", pk, field)
    return person


def get_referral(user, pk: uuid.UUID) -> Referral:
    referral = referrals_for(user).filter(pk=pk).first()
    if referral is None:
        raise not_found("referral", pk)
    return referral


# --- rendering -------------------------------------------------------------------------------


def ref(obj) -> dict:
    return {"id": obj.pk, "name": obj.name}


def person_dict(person: Person) -> dict:
    return {
        "id": person.pk,
        "organization": ref(person.organization),
        "name": person.name,
        "is_pseudonym": person.is_pseudonym,
        "birth_year": person.birth_year,
        "municipality": (
            {"code": person.municipality.code, "name": person.municipality.name}
            if person.municipality_id
            else None
        ),
        "phone": person.phone,
        "email": person.email,
        "created_at": person.created_at,
        "anonymised": person.anonymised_at is not None,
    }


def consent_dict(consent: Consent) -> dict:
    return {
        "id": consent.pk,
        "person": consent.person_id,
        "purpose": consent.purpose,
        "scope": list(consent.scope or []),
        "legal_basis": consent.legal_basis,
        "given_by": consent.given_by,
        "given_at": consent.given_at,
        "expires_at": consent.expires_at,
        "withdrawn_at": consent.withdrawn_at,
        "share_with": [org.pk for org in consent.share_with.all()],
        "valid": consent.is_valid(),
    }


def referral_dict(referral: Referral, *, sender: bool) -> dict:
    """The sender sees its person (id, name, …); the receiver only `shared_person()`."""
    if sender:
        person = referral.person
        person_data = {
            "id": person.pk,
            "name": person.name,
            "birth_year": person.birth_year,
            "municipality": str(person.municipality) if person.municipality_id else None,
        }
    else:
        person_data = referral.shared_person()
    return {
        "id": referral.pk,
        "status": referral.status,
        "version": referral.version,
        "role": "sender" if sender else "receiver",
        "person": person_data,
        "service": ref(referral.service),
        "from_organization": ref(referral.from_organization),
        "to_organization": ref(referral.to_organization),
        "note": referral.note,
        "decline_reason": referral.decline_reason,
        "outcome": referral.outcome,
        "respond_by": referral.respond_by,
        "created_at": referral.created_at,
        "updated_at": referral.updated_at,
        "consent_valid": referral.consent.is_valid(),
    }


def referral_detail_dict(user, referral: Referral) -> dict:
    data = referral_dict(referral, sender=permissions.is_sender(user, referral))
    data["allowed_transitions"] = sorted(permissions.allowed_transitions(user, referral))
    data["events"] = [
        {
            "at": event.at,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "reason": event.reason,
            "organization": event.organization.name if event.organization_id else None,
        }
        for event in referral.events.select_related("organization")
    ]
    data["messages"] = [
        message_dict(message) for message in referral.messages.select_related("organization")
    ]
    return data


def message_dict(message) -> dict:
    return {
        "id": message.pk,
        "created_at": message.created_at,
        "organization": ref(message.organization),
        "text": message.text,
    }


# --- auth ------------------------------------------------------------------------------------


@api.get(
    "/",
    auth=None,
    response=IndexOut,
    url_name="index",
    summary="Where the OpenAPI document is and where tokens come from.",
)
def index(request: HttpRequest):
    return {
        "version": "1",
        "openapi_url": request.build_absolute_uri(reverse("v1:openapi-json")),
        "token_url": request.build_absolute_uri(reverse("v1:token")),
    }


def _check_second_factor(user, code: str | None) -> None:
    """With two-factor login on, a user who sees personal data proves it here too."""
    if not settings.SPOJKA_REQUIRE_2FA or not permissions.works_with_personal_data(user):
        return
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not devices:
        raise ApiError(
            403,
            "two_factor_setup_required",
            "Your role needs two-factor login: set up an authenticator app on the website "
            "first, then send its current code as 'otp'.",
        )
    code = "".join((code or "").split())
    if not code:
        raise ApiError(
            401, "otp_required", "Send the current code of your authenticator app.", "otp"
        )
    # verify_token throttles each device after a wrong code (django-otp).
    if not any(device.verify_token(code) for device in devices):
        raise ApiError(401, "otp_invalid", "The code is wrong or has expired.", "otp")


@api.post(
    "/auth/token",
    auth=None,
    response=responses({201: TokenOut}, 400, 403, 429),
    url_name="token",
    summary="Issue a token for a user name and password (and a TOTP code where required).",
)
def issue_token(request: HttpRequest, payload: TokenIn):
    # Through django-axes (AUTHENTICATION_BACKENDS): failed attempts are counted and locked.
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answer the lockout in this API's own shape; the axes middleware would otherwise
        # replace the answer with the HTML lockout page.
        request.axes_locked_out = False
        cool_off = settings.AXES_COOLOFF_TIME
        minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else None
        detail = "Too many failed sign-in attempts; sign-in is locked"
        detail += f" for {minutes} minutes." if minutes else "."
        raise ApiError(429, "locked_out", detail)
    if user is None:
        raise ApiError(401, "invalid_credentials", "Wrong user name or password.")
    _check_second_factor(user, payload.otp)
    # A token is a sign-in: as after the web's login, django-axes forgets the failed
    # attempts (AXES_RESET_ON_SUCCESS) and last_login is updated. No session is created.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token, key = ApiToken.issue(user=user, label=payload.label or "API")
    return Status(
        201, {"token": key, "token_type": "Bearer", "id": token.pk, "username": user.username}
    )


@api.delete(
    "/auth/token",
    response=responses({204: None}),
    url_name="token-revoke",
    summary="Revoke the token this request is authenticated with.",
)
def revoke_token(request: HttpRequest):
    ApiToken.objects.filter(pk=request.auth.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return Status(204, None)


@api.get("/me", response=responses({200: MeOut}), url_name="me", summary="The caller's roles.")
def me(request: HttpRequest):
    user = user_of(request)
    memberships = Membership.objects.filter(user=user).select_related("organization")
    return {
        "username": user.username,
        "memberships": [
            {
                "organization": m.organization_id,
                "organization_name": m.organization.name,
                "role": m.role,
            }
            for m in memberships.order_by("organization__name")
        ],
        "coordinated_territories": list(
            coordinated_territories(user).order_by("slug").values_list("slug", flat=True)
        ),
    }


# --- territories and projects ----------------------------------------------------------------


@api.get(
    "/territories",
    response=responses({200: list[TerritoryOut]}),
    url_name="territories",
    summary="Territories (MAS, microregions, kraje) with their slugs.",
)
def territories(request: HttpRequest):
    return list(Territory.objects.order_by("name", "slug").values("slug", "name", "kind"))


@api.get(
    "/projects",
    response=responses({200: list[ProjectOut]}, 403, 501),
    url_name="projects",
    summary="Projects of the caller's territories with their indicators (coordinators).",
)
def projects(request: HttpRequest):
    user = user_of(request)
    if not coordinated_territories(user).exists():
        raise ApiError(403, "forbidden", "Only a territory coordinator sees projects.")
    try:
        # Imported here: the monitoring app provides it, and the API works without it.
        module = importlib.import_module("api.v1_projects")
    except ModuleNotFoundError as error:
        if error.name != "api.v1_projects":
            raise
        raise ApiError(
            501, "not_available", "Project monitoring is not installed on this server."
        ) from None
    return module.projects_for_user(user)


# --- persons and consents --------------------------------------------------------------------


def _recording_organization(user, wanted: uuid.UUID | None) -> Organization:
    """Where the caller records persons: their one worker organisation, or the one named."""
    if wanted is not None:
        organization = Organization.objects.filter(pk=wanted).first()
        if organization is None or not permissions.can_record_persons(user, organization):
            raise ApiError(
                403,
                "forbidden",
                f"You do not record persons for organisation '{wanted}'.",
                "organization",
            )
        return organization
    options = list(member_organizations(user, roles=WORKER_ROLES))
    if not options:
        raise ApiError(
            403,
            "forbidden",
            "Only a social worker, community worker or an organisation's administrator "
            "records persons.",
        )
    if len(options) > 1:
        names = "; ".join(f"{org.name} ({org.pk})" for org in options)
        raise ApiError(
            400,
            "invalid",
            f"You record persons for several organisations; name one in 'organization': {names}.",
            "organization",
        )
    return options[0]


@api.post(
    "/persons",
    response=responses({201: PersonOut}, 400, 403, 404, 422),
    url_name="persons",
    summary="Record a person (a client) in the caller's organisation.",
)
def create_person(request: HttpRequest, payload: PersonIn):
    user = user_of(request)
    organization = _recording_organization(user, payload.organization)
    municipality = None
    if payload.municipality is not None:
        municipality = Municipality.objects.filter(code=payload.municipality).first()
        if municipality is None:
            raise ApiError(
                404, "not_found", f"No obec with ČSÚ code {payload.municipality}.", "municipality"
            )
    person = services.record_person(
        actor=user,
        organization=organization,
        name=payload.name,
        birth_year=payload.birth_year,
        municipality=municipality,
        phone=payload.phone,
        email=payload.email,
        is_pseudonym=payload.is_pseudonym,
        via="api",
    )
    return Status(201, person_dict(person))


@api.get(
    "/persons/{id}",
    response=responses({200: PersonOut}, 404),
    url_name="person",
    summary="A person of the caller's organisation.",
)
def person(request: HttpRequest, id: uuid.UUID):
    user = user_of(request)
    found = get_person(user, id)
    audit.record(actor=user, action=AuditEntry.Action.READ, obj=found, via="api")
    return person_dict(found)


@api.post(
    "/persons/{id}/consents",
    response=responses({201: ConsentOut}, 400, 403, 404, 422),
    url_name="consents",
    summary="Record the person's consent (purpose referral: needed before a referral).",
)
def create_consent(request: HttpRequest, id: uuid.UUID, payload: ConsentIn):
    user = user_of(request)
    found = get_person(user, id)
    share_with = None
    if payload.share_with:
        wanted = set(payload.share_with)
        share_with = list(Organization.objects.filter(pk__in=wanted))
        missing = wanted - {org.pk for org in share_with}
        if missing:
            raise not_found("organisation", sorted(missing)[0], field="share_with")
    if payload.expires_at is not None and not storable_moment(payload.expires_at):
        raise ApiError(422, "refused", "The consent cannot expire at that moment.", "expires_at")
    consent = services.record_consent(
        actor=user,
        person=found,
        purpose=payload.purpose,
        given_by=payload.given_by,
        scope=payload.scope,
        legal_basis=payload.legal_basis,
        witness=payload.witness,
        expires_at=payload.expires_at,
        share_with=share_with,
        via="api",
    )
    return Status(201, consent_dict(consent))


# --- referrals -------------------------------------------------------------------------------


@api.post(
    "/referrals",
    response=responses({201: ReferralDetailOut}, 400, 403, 404, 422),
    url_name="referrals-create",
    # The person object has only the keys the caller may see.
    exclude_unset=True,
    summary="Refer a person to a service; refused (422 no_valid_consent) without consent.",
)
def create_referral(request: HttpRequest, payload: ReferralIn):
    user = user_of(request)
    found = get_person(user, payload.person, field="person")
    service = Service.objects.select_related("organization").filter(pk=payload.service).first()
    if service is None:
        raise not_found("service", payload.service, field="service")
    # As the worker's page does: the person's open help request, and its territory.
    help_request = open_request(found)
    referral = services.create_referral(
        actor=user,
        person=found,
        service=service,
        note=payload.note,
        help_request=help_request,
        territory=person_territory(found, help_request),
        via="api",
    )
    return Status(201, referral_detail_dict(user, get_referral(user, referral.pk)))


def _audit_list(user, referrals: list[Referral]) -> None:
    """One list entry per owning (sending) organisation of the page, as the web does."""
    groups: dict = defaultdict(list)
    for referral in referrals:
        groups[referral.from_organization_id].append(referral)
    for organization_id, group in groups.items():
        audit.record(
            actor=user,
            action=AuditEntry.Action.LIST,
            object_type=Referral._meta.label_lower,
            object_ids=[str(r.pk) for r in group],
            organization_id=organization_id,
            count=len(group),
            via="api",
        )


@api.get(
    "/referrals",
    response=responses({200: ReferralPage}, 400),
    url_name="referrals",
    # The person object has only the keys the caller may see.
    exclude_unset=True,
    summary="Referrals sent by or to the caller's organisations, newest change first.",
)
def referral_list(request: HttpRequest, params: Query[ReferralListParams]):
    user = user_of(request)
    mine = set(member_organizations(user).values_list("id", flat=True))
    qs = referrals_for(user)
    if params.status:
        qs = qs.filter(status=params.status)
    if params.direction == "sent":
        qs = qs.filter(from_organization_id__in=mine)
    elif params.direction == "received":
        qs = qs.filter(to_organization_id__in=mine).exclude(status=Referral.Status.DRAFT)
    total = qs.count()
    offset = (params.page - 1) * params.per_page
    page = list(qs.order_by("-updated_at", "id")[offset : offset + params.per_page])
    _audit_list(user, page)
    return {
        "total": total,
        "page": params.page,
        "per_page": params.per_page,
        "pages": max(1, math.ceil(total / params.per_page)),
        # The organisations were fetched once: the sender is whoever works for the sender.
        "results": [referral_dict(r, sender=r.from_organization_id in mine) for r in page],
    }


@api.get(
    "/referrals/{id}",
    response=responses({200: ReferralDetailOut}, 404),
    url_name="referral",
    # The person object has only the keys the caller may see.
    exclude_unset=True,
    summary="A referral with its history and messages.",
)
def referral(request: HttpRequest, id: uuid.UUID):
    user = user_of(request)
    found = get_referral(user, id)
    audit.record(
        actor=user,
        action=AuditEntry.Action.READ,
        obj=found,
        organization_id=found.from_organization_id,
        via="api",
    )
    return referral_detail_dict(user, found)


@api.post(
    "/referrals/{id}/transition",
    response=responses({200: ReferralDetailOut}, 400, 403, 404, 409, 422),
    url_name="referral-transition",
    # The person object has only the keys the caller may see.
    exclude_unset=True,
    summary="Change the referral's status (accept, decline, start, complete, close, cancel).",
)
def referral_transition(request: HttpRequest, id: uuid.UUID, payload: TransitionIn):
    user = user_of(request)
    found = get_referral(user, id)
    try:
        services.transition_referral(
            actor=user,
            referral=found,
            to=payload.to,
            expected_version=payload.version,
            reason=payload.reason,
            outcome=payload.outcome,
            comment=payload.comment,
            via="api",
        )
    except ValidationError as error:
        # The service names `to` when the status change itself is not allowed from here.
        if hasattr(error, "error_dict") and "to" in error.error_dict:
            raise ApiError(
                409, "transition_not_allowed", " ".join(error.message_dict["to"]), "to"
            ) from None
        raise
    return referral_detail_dict(user, get_referral(user, id))


@api.post(
    "/referrals/{id}/messages",
    response=responses({201: MessageOut}, 400, 403, 404),
    url_name="referral-messages",
    summary="Write to the other organisation on the referral.",
)
def referral_message(request: HttpRequest, id: uuid.UUID, payload: MessageIn):
    user = user_of(request)
    found = get_referral(user, id)
    message = services.post_message(actor=user, referral=found, text=payload.text, via="api")
    return Status(201, message_dict(message))

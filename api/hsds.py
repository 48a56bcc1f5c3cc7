"""The public Open Referral HSDS 3.0 read API at /api/hsds/, with Spojka's Czech profile.

Endpoints, parameters and the paging envelope follow the HSDS 3.0 OpenAPI file; what the
profile adds (`cz_*` properties, the `territory`, `municipality` and `has_capacity`
filters) is documented in docs/hsds-profile.md, served at /api/hsds/profile.

- Lists show public (active) services, as the portal does; `/services/{id}` answers for
  a service of any status, so a consumer holding an id learns that it ended.
- `search` ranks exactly like the portal's search (directory.search): same normaliser,
  thesaurus, full-text index and score; without `search` lists are ordered by name.
- Pages start at 1; `per_page` is 50 by default and at most 500 (with `minimal=true`
  10,000 by default and at most). `format=ndjson` streams every match, one per line.
- Every page costs the same number of queries whatever its size (all relations are
  prefetched, see api/hsds_serializers.py).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from pydantic import Field, field_validator

from api import hsds_serializers as ser
from api.hsds_schemas import (
    COMPONENT_SCHEMAS,
    PROFILE_PATCHES,
    error_responses,
    object_responses,
    page_responses,
)
from api.http import error_response, json_response, ndjson_response
from catalog.models import SituationServiceType
from directory.models import Organization, Service, ServiceAtLocation
from directory.search import (
    SearchFilters,
    filtered_services,
    rank_service_ids,
    stale_cutoff,
)
from spojka.text import normalize
from territory.models import Municipality, Territory

PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 500
MINIMAL_PER_PAGE = 10_000  # default and maximum with minimal=true: all in one call
STREAM_CHUNK = 500
PROFILE_DOC = Path(settings.BASE_DIR) / "docs" / "hsds-profile.md"


class HsdsAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also defines the HSDS Page and our Error."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENT_SCHEMAS)
        return schema


api = HsdsAPI(
    title="Spojka – Open Referral HSDS 3.0",
    version="3.0",
    description=(
        "Read API of the directory of social services in the Open Referral Human Services "
        "Data Specification 3.0, with Spojka's Czech profile (capacity and waiting list, "
        "Czech codes, territories): see /api/hsds/profile."
    ),
    urls_namespace="hsds",
    # Swagger UI would load scripts from a CDN, which the site's CSP forbids.
    docs_url=None,
)


# --- errors ----------------------------------------------------------------------------------


class ParameterError(Exception):
    def __init__(self, parameter: str, message: str, error: str = "invalid_parameter"):
        if f"'{parameter}'" not in message:
            message = f"Parameter '{parameter}': {message}"
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.error = error


class NotFoundError(Exception):
    pass


@api.exception_handler(ParameterError)
def _parameter_error(request: HttpRequest, exc: ParameterError) -> HttpResponse:
    return error_response(400, exc.error, exc.message, parameter=exc.parameter)


@api.exception_handler(NotFoundError)
def _not_found(request: HttpRequest, exc: NotFoundError) -> HttpResponse:
    return error_response(404, "not_found", str(exc))


_EXPECTED = {
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "bool_parsing": "true or false",
    "datetime_parsing": "an ISO 8601 date-time such as 2025-01-31T00:00:00Z",
    "datetime_from_date_parsing": "an ISO 8601 date-time such as 2025-01-31T00:00:00Z",
    "datetime_type": "an ISO 8601 date-time such as 2025-01-31T00:00:00Z",
}


_HINTS = {
    "municipality": "the ČSÚ code of an obec, a whole number such as 586307",
    "page": "a whole number from 1",
    "per_page": "a whole number",
}


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    error = exc.errors[0] if exc.errors else {}
    loc = error.get("loc") or ("?",)
    name = str(loc[-1])
    raw = request.GET.get(name, "")
    expected = _EXPECTED.get(error.get("type", ""))
    if expected and name in _HINTS:
        expected = _HINTS[name]
    if expected:
        message = f"Invalid value {raw!r} of parameter '{name}': expected {expected}."
    else:
        message = f"Invalid value {raw!r} of parameter '{name}': {error.get('msg', 'invalid')}."
    return error_response(400, "invalid_parameter", message, parameter=name)


def parse_uuid(value: str, parameter: str) -> uuid.UUID:
    try:
        return uuid.UUID(value.strip())
    except (ValueError, AttributeError):
        raise ParameterError(
            parameter, f"Invalid value {value!r} of parameter '{parameter}': expected a UUID."
        ) from None


def get_or_404(qs: QuerySet, object_id: str, what: str):
    try:
        pk = uuid.UUID(object_id)
    except ValueError:
        raise NotFoundError(f"No {what} with id {object_id!r} (ids are UUIDs).") from None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFoundError(f"No {what} with id {object_id!r}.")
    return obj


# --- parameters ------------------------------------------------------------------------------


class PageParams(Schema):
    page: int = Field(1, ge=1, description="Page number of paginated result (from 1).")
    per_page: int | None = Field(
        None,
        ge=1,
        description=(
            f"Number of results in a page: {PER_PAGE_DEFAULT} by default, at most "
            f"{PER_PAGE_MAX} (with minimal=true {MINIMAL_PER_PAGE})."
        ),
    )
    format: str | None = Field(
        None,
        description="`json` (default) or `ndjson`: stream all results, one per line, unpaged.",
    )


class SearchParams(PageParams):
    search: str | None = Field(None, description="Full text search.")


class ServiceFilterParams(SearchParams):
    taxonomy_term_id: str | None = Field(
        None, description="Services with this taxonomy term (or a term under it)."
    )
    taxonomy_id: str | None = Field(
        None, description="Services which have any term of this taxonomy."
    )
    organization_id: str | None = Field(None, description="Services of this organization.")
    modified_after: datetime | None = Field(
        None,
        description="Services whose last_modified is on or after this date-time (ISO 8601).",
    )

    @field_validator("modified_after", mode="before")
    @classmethod
    def _iso_date_time_only(cls, value):
        # Pydantic would read "1700000000" as seconds since 1970; the document (and HSDS)
        # promise an ISO 8601 date-time, so a bare number is refused rather than guessed.
        text = str(value).strip()
        if isinstance(value, int | float) or text.lstrip("+-").replace(".", "", 1).isdigit():
            raise ValueError("expected an ISO 8601 date-time such as 2025-01-31T00:00:00Z")
        return value

    territory: str | None = Field(
        None,
        description=(
            "Czech profile: slug of a Spojka territory (MAS, microregion, kraj); services "
            "serving at least one of its obce."
        ),
    )
    municipality: int | None = Field(
        None,
        description=(
            "Czech profile: ČSÚ code of an obec; services serving it (at a place there or "
            "coming to it). With `search` it also ranks nearer services higher."
        ),
    )
    has_capacity: bool | None = Field(
        None,
        description=(
            "Czech profile: true = services with verified free places now (a report younger "
            "than the staleness limit with free places); false = all others."
        ),
    )


class ServiceParams(ServiceFilterParams):
    minimal: bool = Field(
        False, description="Only id, name, status and last_modified of each service."
    )
    full: bool = Field(False, description="Fully nested services.")


class ServiceAtLocationParams(ServiceFilterParams):
    full: bool = Field(False, description="Fully nested service_at_location.")
    postcode: str | None = Field(None, description="Not supported: use `municipality`.")
    proximity: str | None = Field(None, description="Not supported: use `municipality`.")


class OrganizationParams(SearchParams):
    full_service: bool = Field(False, description="Fully nested services in organizations.")
    full: bool = Field(False, description="Fully nested organizations.")
    territory: str | None = Field(
        None, description="Czech profile: organizations with a service in this territory."
    )


class OrganizationDetailParams(Schema):
    full_service: bool = Field(False, description="Fully nested services.")


class TaxonomyTermParams(SearchParams):
    taxonomy_id: str | None = Field(None, description="Terms of this taxonomy.")
    top_only: bool = Field(False, description="Only terms without a parent term.")
    parent_id: str | None = Field(None, description="Terms whose parent is this term.")


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @classmethod
    def of(cls, params: PageParams, *, minimal: bool = False) -> Paging:
        if params.page < 1:
            raise ParameterError("page", f"Invalid page {params.page}: pages start at 1.")
        limit = MINIMAL_PER_PAGE if minimal else PER_PAGE_MAX
        per_page = params.per_page
        if per_page is None:
            per_page = MINIMAL_PER_PAGE if minimal else PER_PAGE_DEFAULT
        if not 1 <= per_page <= limit:
            raise ParameterError(
                "per_page", f"Invalid per_page {per_page}: it must be between 1 and {limit}."
            )
        return cls(params.page, per_page)

    def envelope(self, total: int, contents: list) -> dict[str, Any]:
        total_pages = max(1, math.ceil(total / self.per_page))
        return {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": self.page,
            "size": len(contents),
            "first_page": self.page == 1,
            "last_page": self.page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }


def wants_ndjson(params: PageParams) -> bool:
    value = (params.format or "json").strip().lower()
    if value not in ("json", "ndjson"):
        raise ParameterError("format", f"Invalid format {params.format!r}: use 'json' or 'ndjson'.")
    return value == "ndjson"


def newest(moments: Iterable[datetime | None]) -> datetime | None:
    return max((m for m in moments if m is not None), default=None)


def chunked(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- selecting services ----------------------------------------------------------------------


def _through_q(field: str, column: str, pk: Any | None = None) -> Q:
    """Services linked through the m2m `field` (to `pk`, or to anything)."""
    through = getattr(Service, field).through.objects
    if pk is not None:
        through = through.filter(**{column: pk})
    return Q(id__in=through.values("service_id"))


def term_q(term: ser.Term) -> Q:
    if term.kind == "service_type":
        return Q(service_type_id=term.pk)
    if term.kind == "category":
        return Q(service_type__category=term.pk)
    if term.kind == "target_group":
        return _through_q("target_groups", "targetgroup_id", term.pk)
    if term.kind == "provision_form":
        return _through_q("forms", "provisionform_id", term.pk)
    if term.kind == "age_group":
        return _through_q("age_groups", "agegroup_id", term.pk)
    return Q(
        service_type_id__in=SituationServiceType.objects.filter(situation_id=term.pk).values(
            "service_type_id"
        )
    )


def taxonomy_q(taxonomy: ser.Taxonomy) -> Q:
    if taxonomy is ser.TARGET_GROUPS:
        return _through_q("target_groups", "targetgroup_id")
    if taxonomy is ser.PROVISION_FORMS:
        return _through_q("forms", "provisionform_id")
    if taxonomy is ser.AGE_GROUPS:
        return _through_q("age_groups", "agegroup_id")
    if taxonomy is ser.LIFE_SITUATIONS:
        return Q(service_type_id__in=SituationServiceType.objects.values("service_type_id"))
    return Q()  # every service has a service type


def find_taxonomy(value: str, parameter: str) -> ser.Taxonomy:
    wanted = str(parse_uuid(value, parameter))
    for taxonomy in ser.TAXONOMIES:
        if taxonomy.id == wanted:
            return taxonomy
    raise ParameterError(parameter, f"No taxonomy with id {value!r} (see /taxonomies).")


def find_territory(slug: str) -> Territory:
    territory = Territory.objects.filter(slug=slug.strip()).first()
    if territory is None:
        raise ParameterError("territory", f"No territory with slug {slug!r}.")
    return territory


@dataclass
class ServiceSelection:
    """The services a request asks for, and their order (ranked when searching)."""

    base: QuerySet[Service]
    query: str = ""
    municipality: Municipality | None = None
    restricted: bool = True  # narrower than all public services

    @classmethod
    def of(cls, params: ServiceFilterParams) -> ServiceSelection:
        territory = find_territory(params.territory) if params.territory else None
        # The portal's own filtering (territory, verified free places) …
        base = filtered_services(territory, SearchFilters(free_places=bool(params.has_capacity)))
        if params.has_capacity is False:
            base = base.exclude(
                id__in=filtered_services(None, SearchFilters(free_places=True)).values("id")
            )
        # … and the HSDS filters on top.
        if params.taxonomy_term_id:
            wanted = str(parse_uuid(params.taxonomy_term_id, "taxonomy_term_id"))
            term = ser.TaxonomyIndex.load().by_id.get(wanted)
            if term is None:
                raise ParameterError(
                    "taxonomy_term_id",
                    f"No taxonomy term with id {params.taxonomy_term_id!r} (see /taxonomy_terms).",
                )
            base = base.filter(term_q(term))
        if params.taxonomy_id:
            base = base.filter(taxonomy_q(find_taxonomy(params.taxonomy_id, "taxonomy_id")))
        if params.organization_id:
            base = base.filter(
                organization_id=parse_uuid(params.organization_id, "organization_id")
            )
        if params.modified_after is not None:
            moment = params.modified_after
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=UTC)
            base = base.filter(ser.modified_since_q(moment))
        municipality = None
        if params.municipality is not None:
            municipality = Municipality.objects.filter(code=params.municipality).first()
            if municipality is None:
                raise ParameterError(
                    "municipality", f"No obec with ČSÚ code {params.municipality}."
                )
            base = base.covering(municipality.code)
        restricted = (
            (territory is not None and territory.kind != "national")
            or params.has_capacity is not None
            or any(
                (
                    params.taxonomy_term_id,
                    params.taxonomy_id,
                    params.organization_id,
                    params.modified_after,
                    municipality,
                )
            )
        )
        return cls(
            base=base,
            query=(params.search or "").strip(),
            municipality=municipality,
            restricted=restricted,
        )

    def ids(self, ranked: list | None) -> list:
        """All ids in the order of the answer (`ranked`: what `ranked_ids` gave)."""
        return ranked if ranked is not None else list(self.ordered().values_list("id", flat=True))

    def page_ids(self, paging: Paging, ranked: list | None) -> tuple[int, list]:
        """(total, ids of the page): the ids first, so that no wide rows are sorted."""
        if ranked is not None:
            return len(ranked), ranked[paging.offset : paging.offset + paging.per_page]
        ids = self.ordered().values_list("id", flat=True)
        return self.base.count(), list(ids[paging.offset : paging.offset + paging.per_page])

    def ranked_ids(self) -> list | None:
        """Ids in the portal's search order, or None when there is nothing to search."""
        if not self.query:
            return None
        return rank_service_ids(
            self.base, self.query, self.municipality, restricted=self.restricted
        )

    def ordered(self) -> QuerySet[Service]:
        """Without `search`: by id (stable and cheap paging over any number of services); a
        query of stopwords only ("pomoc") in the portal's browse order (verified free
        places first, then by name)."""
        if not self.query:
            return self.base.order_by("id")
        # Never reported free places (NULL) counts as no room, as in the portal.
        has_room = Case(
            When(room_reported_at__gte=stale_cutoff(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        return self.base.annotate(has_room=has_room).order_by("-has_room", "name", "id")


def _load_in_order(qs: QuerySet, ids: list) -> list:
    objects = qs.in_bulk(ids)
    return [objects[pk] for pk in ids if pk in objects]


# --- views -----------------------------------------------------------------------------------


@api.get(
    "/",
    operation_id="getAPIMetaInformation",
    summary="Information about this API and its relationship with HSDS.",
    url_name="index",
)
def index(request: HttpRequest) -> HttpResponseBase:
    return json_response(
        request,
        {
            "version": "3.0",
            "profile": request.build_absolute_uri(reverse("hsds:profile")),
            "openapi_url": request.build_absolute_uri(reverse("hsds:openapi-json")),
        },
    )


@api.get(
    "/profile",
    summary="The Czech profile of HSDS used by this API (Markdown).",
    openapi_extra=error_responses(404),
    url_name="profile",
)
def profile(request: HttpRequest) -> HttpResponseBase:
    if not PROFILE_DOC.exists():
        raise NotFoundError("The profile document is not installed on this server.")
    response = HttpResponse(PROFILE_DOC.read_bytes(), content_type="text/markdown; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@api.get(
    "/profile/{name}",
    summary="The profile's modification of an HSDS schema file (JSON Merge Patch).",
    openapi_extra=error_responses(404),
    url_name="profile-schema",
)
def profile_schema(request: HttpRequest, name: str) -> HttpResponseBase:
    if name not in PROFILE_PATCHES:
        raise NotFoundError(
            f"The profile does not modify {name!r}; it modifies {', '.join(PROFILE_PATCHES)}."
        )
    return json_response(request, PROFILE_PATCHES[name])


@api.get(
    "/services",
    operation_id="getPaginatedListOfServices",
    summary="Paginated list of services (one-to-one fields, or fully nested with full=true).",
    openapi_extra=page_responses("compiled/service_list.json", "A page of services."),
    url_name="services",
)
def services(request: HttpRequest, params: Query[ServiceParams]) -> HttpResponseBase:
    paging = Paging.of(params, minimal=params.minimal)
    ndjson = wants_ndjson(params)
    selection = ServiceSelection.of(params)
    ranked = selection.ranked_ids()
    now = timezone.now()
    taxonomies = ser.TaxonomyIndex.load() if params.full and not params.minimal else None

    if params.minimal:

        def render_rows(ids: list) -> list[dict]:
            rows = {
                row[0]: row
                for row in Service.objects.filter(id__in=ids).values_list(*ser.MINIMAL_FIELDS)
            }
            return [ser.service_minimal_dict(rows[pk]) for pk in ids if pk in rows]

        if ndjson:
            ids = selection.ids(ranked)
            return ndjson_response(
                item for chunk in chunked(ids, STREAM_CHUNK) for item in render_rows(chunk)
            )
        if ranked is None and not selection.query:
            total = selection.base.count()
            rows = list(
                selection.ordered().values_list(*ser.MINIMAL_FIELDS)[
                    paging.offset : paging.offset + paging.per_page
                ]
            )
            contents = [ser.service_minimal_dict(row) for row in rows]
        else:
            total, ids = selection.page_ids(paging, ranked)
            contents = render_rows(ids)
        last = newest(datetime.fromisoformat(item["last_modified"]) for item in contents)
        return json_response(request, paging.envelope(total, contents), last_modified=last)

    def render(service: Service) -> dict:
        if params.full:
            return ser.service_dict(service, taxonomies=taxonomies, now=now)
        return ser.service_list_dict(service, now=now)

    related = ser.with_service_related(Service.objects.all(), full=params.full)
    if ndjson:
        ids = selection.ids(ranked)
        return ndjson_response(
            render(service)
            for chunk in chunked(ids, STREAM_CHUNK)
            for service in _load_in_order(related, chunk)
        )
    total, ids = selection.page_ids(paging, ranked)
    page = _load_in_order(related, ids)
    contents = [render(service) for service in page]
    last = newest(ser.service_changed_at(service, now) for service in page)
    return json_response(request, paging.envelope(total, contents), last_modified=last)


@api.get(
    "/services/{id}",
    operation_id="getFullyNestedServiceById",
    summary="A fully nested service (of any status).",
    openapi_extra=object_responses("compiled/service.json", "A fully nested service."),
    url_name="service",
)
def service(request: HttpRequest, id: str) -> HttpResponseBase:
    now = timezone.now()
    obj = get_or_404(ser.with_service_related(Service.objects.all(), full=True), id, "service")
    data = ser.service_dict(obj, taxonomies=ser.TaxonomyIndex.load(), now=now)
    return json_response(request, data, last_modified=ser.service_changed_at(obj, now))


def _organizations_base(params: OrganizationParams) -> QuerySet[Organization]:
    services = Service.objects.public()
    if params.territory:
        services = services.in_territory(find_territory(params.territory))
    qs = Organization.objects.filter(Exists(services.filter(organization=OuterRef("pk"))))
    search = (params.search or "").strip()
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(alternate_name__icontains=search) | Q(ico=search)
        )
    return qs.order_by("id")


def _organization_renderer(
    *, full: bool, full_service: bool, now: datetime
) -> Callable[[Organization], dict]:
    taxonomies = ser.TaxonomyIndex.load() if full and full_service else None

    def render(org: Organization) -> dict:
        return ser.organization_dict(
            org, full=full, full_service=full_service, taxonomies=taxonomies, now=now
        )

    return render


def _organization_changed_at(org: Organization, *, full: bool, now: datetime) -> datetime:
    moments = [org.updated_at]
    if full:
        moments += [ser.service_changed_at(s, now) for s in org.services.all()]
    return max(moments)


@api.get(
    "/organizations",
    operation_id="getPaginatedListOfOrganizations",
    summary="Paginated list of organizations that provide a public service.",
    openapi_extra=page_responses("compiled/organization_list.json", "A page of organizations."),
    url_name="organizations",
)
def organizations(request: HttpRequest, params: Query[OrganizationParams]) -> HttpResponseBase:
    paging = Paging.of(params)
    ndjson = wants_ndjson(params)
    now = timezone.now()
    full = params.full or params.full_service
    base = _organizations_base(params)
    qs = ser.organizations_queryset(base, full=full, full_service=params.full_service)
    render = _organization_renderer(full=full, full_service=params.full_service, now=now)
    if ndjson:
        ids = list(base.values_list("id", flat=True))
        return ndjson_response(
            render(org) for chunk in chunked(ids, STREAM_CHUNK) for org in _load_in_order(qs, chunk)
        )
    total = base.count()
    page = list(qs[paging.offset : paging.offset + paging.per_page])
    contents = [render(org) for org in page]
    last = newest(_organization_changed_at(org, full=full, now=now) for org in page)
    return json_response(request, paging.envelope(total, contents), last_modified=last)


@api.get(
    "/organizations/{id}",
    operation_id="getOrganizationById",
    summary="A fully nested organization with its public services.",
    openapi_extra=object_responses("compiled/organization.json", "A fully nested organization."),
    url_name="organization",
)
def organization(
    request: HttpRequest,
    id: str,
    params: Query[OrganizationDetailParams],
) -> HttpResponseBase:
    now = timezone.now()
    qs = ser.organizations_queryset(
        Organization.objects.all(), full=True, full_service=params.full_service
    )
    org = get_or_404(qs, id, "organization")
    data = _organization_renderer(full=True, full_service=params.full_service, now=now)(org)
    return json_response(
        request, data, last_modified=_organization_changed_at(org, full=True, now=now)
    )


@api.get(
    "/service_at_locations",
    operation_id="getPaginatedListOfServiceAtLocation",
    summary="Paginated list of services at their locations.",
    openapi_extra=page_responses(
        "compiled/service_at_location_list.json", "A page of service_at_location."
    ),
    url_name="service_at_locations",
)
def service_at_locations(
    request: HttpRequest, params: Query[ServiceAtLocationParams]
) -> HttpResponseBase:
    for name in ("postcode", "proximity"):
        if getattr(params, name):
            raise ParameterError(
                name,
                f"Parameter '{name}' is not supported: Czech postal codes do not map onto "
                "obce; use 'municipality' (ČSÚ code of the obec) instead.",
                error="unsupported_parameter",
            )
    paging = Paging.of(params)
    ndjson = wants_ndjson(params)
    selection = ServiceSelection.of(params)
    ranked = selection.ranked_ids()
    now = timezone.now()
    taxonomies = ser.TaxonomyIndex.load() if params.full else None
    related = ser.service_at_locations_queryset(ServiceAtLocation.objects.all(), full=params.full)

    if ranked is None:
        # EXISTS lets the database walk service_at_location in id order and stop early.
        listed = ServiceAtLocation.objects.filter(
            Exists(selection.base.filter(pk=OuterRef("service_id")))
        ).order_by("id")
        all_ids = None
    else:
        rank = {sid: i for i, sid in enumerate(ranked)}
        rows = ServiceAtLocation.objects.filter(service_id__in=ranked).values_list(
            "id", "service_id", "location__name"
        )
        all_ids = [row[0] for row in sorted(rows, key=lambda r: (rank[r[1]], r[2], str(r[0])))]

    def render(sal: ServiceAtLocation) -> dict:
        return ser.service_at_location_dict(sal, full=params.full, taxonomies=taxonomies, now=now)

    if ndjson:
        ids = all_ids if all_ids is not None else list(listed.values_list("id", flat=True))
        return ndjson_response(
            render(sal)
            for chunk in chunked(ids, STREAM_CHUNK)
            for sal in _load_in_order(related, chunk)
        )
    if all_ids is None:
        if selection.restricted:
            total = listed.count()
        else:
            # All places of public services: all places less those of the few others.
            others = Service.objects.exclude(status=Service.Status.ACTIVE).values("id")
            total = (
                ServiceAtLocation.objects.count()
                - ServiceAtLocation.objects.filter(service_id__in=others).count()
            )
        ids = list(
            listed.values_list("id", flat=True)[paging.offset : paging.offset + paging.per_page]
        )
        page = _load_in_order(related, ids)
    else:
        total = len(all_ids)
        page = _load_in_order(related, all_ids[paging.offset : paging.offset + paging.per_page])
    contents = [render(sal) for sal in page]
    last = newest(ser.service_changed_at(sal.service, now) for sal in page)
    return json_response(request, paging.envelope(total, contents), last_modified=last)


@api.get(
    "/service_at_locations/{id}",
    operation_id="getServiceAtLocationWithNestedDataById",
    summary="A fully nested service_at_location.",
    openapi_extra=object_responses(
        "compiled/service_at_location.json", "A fully nested service_at_location."
    ),
    url_name="service_at_location",
)
def service_at_location(request: HttpRequest, id: str) -> HttpResponseBase:
    now = timezone.now()
    qs = ser.service_at_locations_queryset(ServiceAtLocation.objects.all(), full=True)
    sal = get_or_404(qs, id, "service_at_location")
    data = ser.service_at_location_dict(
        sal, full=True, taxonomies=ser.TaxonomyIndex.load(), now=now
    )
    return json_response(request, data, last_modified=ser.service_changed_at(sal.service, now))


def _matches(search: str, *texts: str) -> bool:
    wanted = normalize(search).split()
    haystack = set(normalize(" ".join(texts)).split())
    return all(word in haystack for word in wanted)


def _page_of(request: HttpRequest, params: PageParams, items: list[dict]) -> HttpResponseBase:
    paging = Paging.of(params)
    if wants_ndjson(params):
        return ndjson_response(items)
    contents = items[paging.offset : paging.offset + paging.per_page]
    return json_response(request, paging.envelope(len(items), contents))


@api.get(
    "/taxonomies",
    operation_id="getPaginatedListOfTaxonomies",
    summary="Paginated list of taxonomies.",
    openapi_extra=page_responses("taxonomy.json", "A page of taxonomies."),
    url_name="taxonomies",
)
def taxonomies(request: HttpRequest, params: Query[SearchParams]) -> HttpResponseBase:
    items = [
        ser.taxonomy_dict(t)
        for t in ser.TAXONOMIES
        if not params.search or _matches(params.search, t.name, t.description)
    ]
    return _page_of(request, params, items)


@api.get(
    "/taxonomies/{id}",
    operation_id="getTaxonomyById",
    summary="A taxonomy.",
    openapi_extra=object_responses("taxonomy.json", "A taxonomy."),
    url_name="taxonomy",
)
def taxonomy(request: HttpRequest, id: str) -> HttpResponseBase:
    for item in ser.TAXONOMIES:
        if item.id == id.strip().lower():
            return json_response(request, ser.taxonomy_dict(item))
    raise NotFoundError(f"No taxonomy with id {id!r}.")


@api.get(
    "/taxonomy_terms",
    operation_id="getPaginatedListOfTaxonomyTerms",
    summary="Paginated list of taxonomy terms.",
    openapi_extra=page_responses("taxonomy_term.json", "A page of taxonomy terms."),
    url_name="taxonomy_terms",
)
def taxonomy_terms(request: HttpRequest, params: Query[TaxonomyTermParams]) -> HttpResponseBase:
    Paging.of(params)  # bad paging is reported before anything else
    terms = ser.TaxonomyIndex.load().terms
    if params.taxonomy_id:
        wanted = find_taxonomy(params.taxonomy_id, "taxonomy_id")
        terms = [t for t in terms if t.taxonomy is wanted]
    if params.parent_id:
        parent = str(parse_uuid(params.parent_id, "parent_id"))
        terms = [t for t in terms if t.parent_id == parent]
    if params.top_only:
        terms = [t for t in terms if t.parent_id is None]
    if params.search:
        terms = [t for t in terms if _matches(params.search, t.code, t.name, t.description)]
    return _page_of(request, params, [ser.taxonomy_term_dict(t) for t in terms])


@api.get(
    "/taxonomy_terms/{id}",
    operation_id="getTaxonomyTermById",
    summary="A taxonomy term.",
    openapi_extra=object_responses("taxonomy_term.json", "A taxonomy term."),
    url_name="taxonomy_term",
)
def taxonomy_term(request: HttpRequest, id: str) -> HttpResponseBase:
    term = ser.TaxonomyIndex.load().by_id.get(id.strip().lower())
    if term is None:
        raise NotFoundError(f"No taxonomy term with id {id!r}.")
    return json_response(request, ser.taxonomy_term_dict(term))

"""Model objects → HSDS 3.0 dicts, as the Czech profile of Spojka defines them.

One function per HSDS object; each takes model objects whose relations were loaded by
`with_service_related` / `organizations_queryset` / `service_at_locations_queryset`
(so that a page of any size costs the same number of queries) and returns plain dicts
ready for `json.dumps`. The same functions serve the JSON API and can serve the data
package export.

Rules of the profile (docs/hsds-profile.md):
- optional HSDS properties without a value are left out (the official schemas allow no
  `null`); required ones are always present, possibly as "";
- ids of objects that have no UUID in Spojka (taxonomies, terms, attributes, phones,
  addresses, …) are uuid5 ids derived as `directory.hsds_ids` and the HSDS data package
  derive them, so the API and the package name every object alike;
- a location with a hidden address (shelters, intervention centres) shows only its obec:
  no street, postal code, coordinates, transport, accessibility or facility identifier;
- contacts are roles of a service: the contact's own name is never published, nor who
  reported a capacity;
- Czech additions are properties prefixed `cz_`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from catalog.models import (
    AgeGroup,
    LifeSituation,
    ProvisionForm,
    ServiceType,
    SituationServiceType,
    TargetGroup,
)
from directory import hsds_ids
from directory.models import (
    Contact,
    Location,
    Organization,
    RegisteredCapacity,
    Service,
    ServiceArea,
    ServiceAtLocation,
)

ICO_SCHEME = "CZ-ICO"  # org-id.guide
FACILITY_ID_TYPE = "CZ-MPSV-ZARIZENI"
HIDDEN_ADDRESS_NOTE = "Adresa je z bezpečnostních důvodů utajena; zveřejňujeme jen obec."

# Service.status → HSDS service.status (the same words; "temporarily closed" is not used).
STATUS_TO_HSDS = {
    Service.Status.ACTIVE: "active",
    Service.Status.INACTIVE: "inactive",
    Service.Status.DEFUNCT: "defunct",
}

BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
WEEKDAY_CS = {
    1: "pondělí",
    2: "úterý",
    3: "středa",
    4: "čtvrtek",
    5: "pátek",
    6: "sobota",
    7: "neděle",
}
LANGUAGE_NAMES_CS = {
    "cs": "čeština",
    "sk": "slovenština",
    "en": "angličtina",
    "de": "němčina",
    "uk": "ukrajinština",
    "ru": "ruština",
    "pl": "polština",
    "vi": "vietnamština",
    "hu": "maďarština",
    "fr": "francouzština",
    "es": "španělština",
    "ro": "rumunština",
    "rom": "romština",
    "cse": "český znakový jazyk",
}


def derived_id(owner: object, *parts: str) -> str:
    """A stable id for an object that has no UUID of its own in Spojka (a phone, an
    address, an attribute…): the same formula as the HSDS data package's."""
    return str(uuid.uuid5(hsds_ids.NAMESPACE, "/".join([str(owner), *parts])))


def iso_datetime(value: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as HSDS asks for `last_modified`."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def _or_none(value: str) -> str | None:
    """Blank optional values (URL, e-mail) are left out rather than sent as ""."""
    return value or None


# --- taxonomies ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Taxonomy:
    key: str  # the kind of directory.hsds_ids, also the attributes' link_type

    @cached_property
    def id(self) -> str:
        return str(hsds_ids.taxonomy_uuid(self.key))

    @property
    def name(self) -> str:
        return hsds_ids.TAXONOMIES[self.key][0]

    @property
    def description(self) -> str:
        return hsds_ids.TAXONOMIES[self.key][1]

    @property
    def link_type(self) -> str:
        return self.key


SERVICE_TYPES = Taxonomy(hsds_ids.SERVICE_TYPE)
TARGET_GROUPS = Taxonomy(hsds_ids.TARGET_GROUP)
PROVISION_FORMS = Taxonomy(hsds_ids.PROVISION_FORM)
AGE_GROUPS = Taxonomy(hsds_ids.AGE_GROUP)
LIFE_SITUATIONS = Taxonomy(hsds_ids.LIFE_SITUATION)
TAXONOMIES: tuple[Taxonomy, ...] = (
    SERVICE_TYPES,
    TARGET_GROUPS,
    PROVISION_FORMS,
    AGE_GROUPS,
    LIFE_SITUATIONS,
)

CATEGORY_NAMES = {
    ServiceType.Category.COUNSELLING: "sociální poradenství",
    ServiceType.Category.CARE: "služby sociální péče",
    ServiceType.Category.PREVENTION: "služby sociální prevence",
    ServiceType.Category.OTHER: "jiná pomoc",
}
CATEGORY_DESCRIPTIONS = {
    ServiceType.Category.COUNSELLING: "Sociální poradenství (§ 37 zákona č. 108/2006 Sb.).",
    ServiceType.Category.CARE: "Služby sociální péče (§ 38–52 zákona č. 108/2006 Sb.).",
    ServiceType.Category.PREVENTION: "Služby sociální prevence (§ 53–70 zákona č. 108/2006 Sb.).",
    ServiceType.Category.OTHER: "Pomoc, která není registrovanou sociální službou.",
}


def service_type_code(stype: ServiceType) -> str:
    """The term code of a service type: its paragraph ("57", "60a"), else its slug code
    (the catalog keeps `code` equal to the paragraph for registered services)."""
    return hsds_ids.taxonomy_term_code(hsds_ids.SERVICE_TYPE, stype.code)


def category_code(category: str) -> str:
    return f"kategorie-{category}"


def term_id(taxonomy: Taxonomy, code: str) -> str:
    """Id of the term with catalog code `code` ("57", "7", "pob", "dluhy-a-exekuce")."""
    return str(hsds_ids.taxonomy_term_uuid(taxonomy.key, code))


@dataclass(frozen=True)
class Term:
    """A taxonomy term and the code-list row it stands for."""

    taxonomy: Taxonomy
    source_code: str  # the catalog code ("57", "7", "pob"); the id derives from it
    name: str
    description: str
    kind: str  # "service_type", "category", "target_group", "provision_form", …
    pk: int | str  # primary key of the row, or the category value
    parent_code: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @cached_property
    def id(self) -> str:
        return term_id(self.taxonomy, self.source_code)

    @cached_property
    def code(self) -> str:
        """HSDS `code`: the paragraph for service types, `kind:code` for the others."""
        return hsds_ids.taxonomy_term_code(self.taxonomy.key, self.source_code)

    @cached_property
    def parent_id(self) -> str | None:
        return term_id(self.taxonomy, self.parent_code) if self.parent_code else None

    @cached_property
    def as_dict(self) -> dict[str, Any]:
        """The HSDS taxonomy_term (built once; shared by every attribute, never changed)."""
        return _drop_empty(
            {
                "id": self.id,
                "code": self.code,
                "name": self.name,
                "description": self.description,
                "parent_id": self.parent_id,
                "taxonomy": self.taxonomy.name,
                "taxonomy_detail": taxonomy_dict(self.taxonomy),
                "language": "cs",
                "taxonomy_id": self.taxonomy.id,
                **self.extra,
            }
        )


class TaxonomyIndex:
    """Every term of the five taxonomies, loaded in six queries."""

    def __init__(
        self,
        *,
        service_types: Iterable[ServiceType],
        target_groups: Iterable[TargetGroup],
        forms: Iterable[ProvisionForm],
        age_groups: Iterable[AgeGroup],
        situations: Iterable[LifeSituation],
        situation_links: Iterable[tuple[int, int, int]],  # (situation, service type, rank)
    ) -> None:
        self.terms: list[Term] = []
        self._by_kind: dict[tuple[str, Any], Term] = {}
        service_types = list(service_types)
        type_codes = {stype.id: stype.code for stype in service_types}
        links_by_situation: dict[int, list[tuple[int, int]]] = {}
        self._situations_of_type: dict[int, list[tuple[int, int]]] = {}
        for situation_id, type_id, rank in situation_links:
            links_by_situation.setdefault(situation_id, []).append((rank, type_id))
            self._situations_of_type.setdefault(type_id, []).append((rank, situation_id))

        categories = [c for c in ServiceType.Category.values if c in CATEGORY_NAMES]
        for category in categories:
            if any(stype.category == category for stype in service_types):
                self._add(
                    Term(
                        SERVICE_TYPES,
                        category_code(category),
                        CATEGORY_NAMES[category],
                        CATEGORY_DESCRIPTIONS[category],
                        "category",
                        category,
                    )
                )
        for stype in service_types:
            extra: dict[str, Any] = {"cz_registered": stype.is_registered}
            if stype.paragraph:
                extra["cz_paragraph"] = stype.paragraph
            if stype.mpsv_code is not None and stype.mpsv_code_confirmed:
                extra["cz_mpsv_code"] = stype.mpsv_code
            self._add(
                Term(
                    SERVICE_TYPES,
                    stype.code,
                    stype.name,
                    stype.description or stype.name,
                    "service_type",
                    stype.id,
                    parent_code=category_code(stype.category)
                    if stype.category in CATEGORY_NAMES
                    else None,
                    extra=extra,
                )
            )
        for taxonomy, kind, rows in (
            (TARGET_GROUPS, "target_group", target_groups),
            (PROVISION_FORMS, "provision_form", forms),
            (AGE_GROUPS, "age_group", age_groups),
        ):
            for row in rows:
                self._add(Term(taxonomy, row.code, row.name, row.name, kind, row.id))
        for situation in situations:
            linked = sorted(links_by_situation.get(situation.id, []))
            self._add(
                Term(
                    LIFE_SITUATIONS,
                    situation.code,
                    situation.name,
                    situation.description or situation.question or situation.name,
                    "life_situation",
                    situation.id,
                    extra={
                        "cz_service_type_codes": [
                            service_type_code_of(type_codes[type_id])
                            for _, type_id in linked
                            if type_id in type_codes
                        ]
                    },
                )
            )
        self.by_id: dict[str, Term] = {term.id: term for term in self.terms}

    def _add(self, term: Term) -> None:
        self.terms.append(term)
        self._by_kind[(term.kind, term.pk)] = term

    @classmethod
    def load(cls) -> TaxonomyIndex:
        return cls(
            service_types=ServiceType.objects.all(),
            target_groups=TargetGroup.objects.all(),
            forms=ProvisionForm.objects.all(),
            age_groups=AgeGroup.objects.all(),
            situations=LifeSituation.objects.all(),
            situation_links=SituationServiceType.objects.values_list(
                "situation_id", "service_type_id", "rank"
            ),
        )

    def term(self, kind: str, pk: Any) -> Term | None:
        return self._by_kind.get((kind, pk))

    def situations_of_type(self, type_id: int) -> list[tuple[Term, int]]:
        """The life-situation terms a service type answers, with the type's rank."""
        result = []
        for rank, situation_id in sorted(self._situations_of_type.get(type_id, [])):
            term = self.term("life_situation", situation_id)
            if term is not None:
                result.append((term, rank))
        return result


def service_type_code_of(code: str) -> str:
    return hsds_ids.taxonomy_term_code(hsds_ids.SERVICE_TYPE, code)


def taxonomy_dict(taxonomy: Taxonomy) -> dict[str, Any]:
    return {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description}


def taxonomy_term_dict(term: Term) -> dict[str, Any]:
    return term.as_dict


def attribute_dict(
    *, link_id: Any, link_entity: str, term: Term, value: str | None = None
) -> dict[str, Any]:
    return _drop_empty(
        {
            "id": derived_id(link_id, "attribute", term.taxonomy.key, term.source_code),
            "link_id": str(link_id),
            "taxonomy_term_id": term.id,
            "link_type": term.taxonomy.link_type,
            "link_entity": link_entity,
            "value": value,
            "taxonomy_term": taxonomy_term_dict(term),
        }
    )


def service_attributes(service: Service, taxonomies: TaxonomyIndex) -> list[dict[str, Any]]:
    """The service's kind, target and age groups, forms and life situations as attributes."""
    found: list[tuple[Term, str | None]] = []
    stype = taxonomies.term("service_type", service.service_type_id)
    if stype is not None:
        found.append((stype, None))
    for kind, rows in (
        ("target_group", service.target_groups.all()),
        ("provision_form", service.forms.all()),
        ("age_group", service.age_groups.all()),
    ):
        for row in rows:
            term = taxonomies.term(kind, row.id)
            if term is not None:
                found.append((term, None))
    for term, rank in taxonomies.situations_of_type(service.service_type_id):
        found.append((term, str(rank)))
    return [
        attribute_dict(link_id=service.id, link_entity="service", term=term, value=value)
        for term, value in found
    ]


# --- services --------------------------------------------------------------------------------


def stale_delta() -> timedelta:
    return timedelta(days=settings.SPOJKA_CAPACITY_STALE_DAYS)


def service_changed_at(service: Service, now: datetime | None = None) -> datetime:
    """When the service or anything shown with it last changed (HSDS `last_modified`).

    A capacity report that goes stale changes what is shown (`verified` turns false), so
    the moment it went stale counts as a change too.
    """
    now = now or timezone.now()
    moments = [service.updated_at, service.organization.updated_at]
    report = service.latest_capacity
    if report is not None:
        moments.append(report.reported_at)
        if report.reported_at + stale_delta() <= now:
            moments.append(report.reported_at + stale_delta())
    return max(moments)


def modified_since_q(moment: datetime, prefix: str = "") -> Q:
    """Services whose `service_changed_at` is on or after `moment`, as a filter."""
    now = timezone.now()
    stale = stale_delta()
    reported = f"{prefix}latest_capacity__reported_at"
    return (
        Q(**{f"{prefix}updated_at__gte": moment})
        | Q(**{f"{prefix}organization__updated_at__gte": moment})
        | Q(**{f"{reported}__gte": moment})
        | Q(**{f"{reported}__gte": moment - stale, f"{reported}__lte": now - stale})
    )


def service_related(*, full: bool, prefix: str = "") -> tuple[list[str], list[Any]]:
    """select_related and prefetch_related lookups that `service_dict` needs."""
    p = prefix
    select = [f"{p}organization", f"{p}service_type", f"{p}latest_capacity"]
    prefetch: list[Any] = [
        f"{p}age_groups",
        Prefetch(
            f"{p}registered_capacities",
            queryset=RegisteredCapacity.objects.select_related("form", "capacity_type").order_by(
                "form__order", "capacity_type__order", "pk"
            ),
        ),
    ]
    if full:
        prefetch += [
            f"{p}forms",
            f"{p}target_groups",
            f"{p}schedules",
            Prefetch(f"{p}contacts", queryset=Contact.objects.order_by("title", "id")),
            Prefetch(
                f"{p}areas",
                queryset=ServiceArea.objects.select_related(
                    "municipality__district", "orp", "district", "region"
                ).order_by("id"),
            ),
            Prefetch(
                f"{p}serviceatlocation_set",
                queryset=ServiceAtLocation.objects.select_related(
                    "location__municipality__region", "location__municipality__district"
                ).order_by("location__name", "id"),
            ),
        ]
    return select, prefetch


def with_service_related(qs: QuerySet, *, full: bool, prefix: str = "") -> QuerySet:
    select, prefetch = service_related(full=full, prefix=prefix)
    return qs.select_related(*select).prefetch_related(*prefetch)


def capacity_dict(service: Service, now: datetime | None = None) -> dict[str, Any]:
    """The `cz_capacity` extension: registered capacity, free places and the waiting list."""
    now = now or timezone.now()
    report = service.latest_capacity
    registered = [
        {
            "form": row.form.code,
            "form_name": row.form.name,
            "capacity_type": row.capacity_type.code,
            "capacity_type_name": row.capacity_type.name,
            "count": row.count,
        }
        for row in service.registered_capacities.all()
    ]
    data: dict[str, Any] = {
        "registered": registered,
        "free_places": None,
        "waiting_list": None,
        "typical_wait_days": None,
        "note": "",
        "reported_at": None,
        "verified": False,
        "has_free_places": False,
        "stale_after_days": settings.SPOJKA_CAPACITY_STALE_DAYS,
    }
    if report is not None:
        verified = report.reported_at + stale_delta() > now
        data.update(
            free_places=report.free_places,
            waiting_list=report.waiting_list,
            typical_wait_days=report.typical_wait_days,
            note=report.note,
            reported_at=iso_datetime(report.reported_at),
            verified=verified,
            has_free_places=verified and report.free_places > 0,
        )
    return data


def _age_limits(service: Service) -> tuple[int | None, int | None]:
    groups = list(service.age_groups.all())
    if not groups:
        return None, None
    minimum = None if any(g.min_age is None for g in groups) else min(g.min_age for g in groups)
    maximum = None if any(g.max_age is None for g in groups) else max(g.max_age for g in groups)
    return minimum, maximum


def organization_list_dict(org: Organization) -> dict[str, Any]:
    """The organization's own fields (HSDS organization_list)."""
    identifiers = []
    if org.ico:
        identifiers.append(
            {
                "id": derived_id(org.id, "ico"),
                "organization_id": str(org.id),
                "identifier_scheme": ICO_SCHEME,
                "identifier_type": "IČO",
                "identifier": org.ico,
            }
        )
    data = _drop_empty(
        {
            "id": str(org.id),
            "name": org.name,
            "alternate_name": org.alternate_name or None,
            "description": org.description,
            "email": _or_none(org.email),
            "website": _or_none(org.website),
            "legal_status": org.legal_status or None,
        }
    )
    data["organization_identifiers"] = identifiers
    if org.is_demo:
        data["cz_demo"] = True
    return data


def service_list_dict(
    service: Service, *, now: datetime | None = None, with_organization: bool = True
) -> dict[str, Any]:
    """The service's one-to-one fields (HSDS service_list) and the Czech extensions."""
    now = now or timezone.now()
    minimum_age, maximum_age = _age_limits(service)
    report = service.latest_capacity
    stype = service.service_type
    data = _drop_empty(
        {
            "id": str(service.id),
            "organization_id": str(service.organization_id),
            "name": service.name,
            "alternate_name": service.alternate_name or None,
            "description": service.description,
            "url": _or_none(service.url),
            "email": _or_none(service.email),
            "status": STATUS_TO_HSDS.get(service.status, "inactive"),
            "application_process": service.application_process or None,
            "fees_description": service.fees_description or None,
            "wait_time": (
                f"obvykle {report.typical_wait_days} dní"
                if report is not None and report.typical_wait_days is not None
                else None
            ),
            "eligibility_description": service.eligibility or None,
            "minimum_age": minimum_age,
            "maximum_age": maximum_age,
            "last_modified": iso_datetime(service_changed_at(service, now)),
        }
    )
    if with_organization:
        data["organization"] = organization_list_dict(service.organization)
    data["cz_service_type"] = {
        "code": service_type_code(stype),
        "name": stype.name,
        "taxonomy_term_id": term_id(SERVICE_TYPES, stype.code),
    }
    data["cz_capacity"] = capacity_dict(service, now)
    if service.mpsv_identifier or service.registered_from or service.registered_until:
        data["cz_registration"] = {
            "mpsv_identifier": service.mpsv_identifier or None,
            "registered_from": (
                service.registered_from.isoformat() if service.registered_from else None
            ),
            "registered_until": (
                service.registered_until.isoformat() if service.registered_until else None
            ),
        }
    if service.is_demo:
        data["cz_demo"] = True
    return data


def _phone(number: str, *, owner: str, owner_id: Any) -> dict[str, Any]:
    return {
        "id": derived_id(owner_id, "phone"),
        f"{owner}_id": str(owner_id),
        "number": number,
        "type": "voice",
    }


def schedule_dict(schedule, service_id: Any) -> dict[str, Any]:
    opens = schedule.opens_at.strftime("%H:%M")
    closes = schedule.closes_at.strftime("%H:%M")
    description = f"{WEEKDAY_CS[schedule.weekday]} {opens}–{closes}"
    if schedule.note:
        description += f" ({schedule.note})"
    return _drop_empty(
        {
            "id": str(schedule.id),
            "service_id": str(service_id),
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": BYDAY[schedule.weekday],
            "opens_at": opens,
            "closes_at": closes,
            "description": description,
            "notes": schedule.note or None,
        }
    )


def service_area_dict(area: ServiceArea) -> dict[str, Any]:
    if area.municipality_id:
        muni = area.municipality
        level, code, name = "obec", muni.code, f"{muni.name} (okres {muni.district.name})"
    elif area.orp_id:
        level, code, name = "orp", area.orp_id, f"ORP {area.orp.name}"
    elif area.district_id:
        level, code, name = "okres", area.district_id, f"okres {area.district.name}"
    else:
        level, code, name = "kraj", area.region_id, area.region.name
    return {
        "id": str(area.id),
        "service_id": str(area.service_id),
        "name": name,
        "cz_area": {"level": level, "code": code},
    }


def contact_dict(contact: Contact) -> dict[str, Any]:
    """A contact point: its role, e-mail and phone; never the name of a person."""
    data = _drop_empty(
        {
            "id": str(contact.id),
            "service_id": str(contact.service_id),
            "title": contact.title,
            "email": _or_none(contact.email),
        }
    )
    data["phones"] = (
        [_phone(contact.phone, owner="contact", owner_id=contact.id)] if contact.phone else []
    )
    return data


def languages_list(service: Service) -> list[dict[str, Any]]:
    codes = [code.strip().lower() for code in service.languages.split(",") if code.strip()]
    return [
        {
            "id": derived_id(service.id, "language", code),
            "service_id": str(service.id),
            "name": LANGUAGE_NAMES_CS.get(code, code),
            "code": code,
        }
        for code in dict.fromkeys(codes)
    ]


def location_dict(location: Location, *, full: bool = False) -> dict[str, Any]:
    """An HSDS location; a hidden address shows nothing more precise than its obec."""
    muni = location.municipality
    data: dict[str, Any] = {
        "id": str(location.id),
        "location_type": "physical",
        "organization_id": str(location.organization_id),
    }
    if location.address_hidden:
        data.update(name=muni.name, description=HIDDEN_ADDRESS_NOTE)
        if full:
            data.update(addresses=[], accessibility=[])
    else:
        data.update(
            _drop_empty(
                {
                    "name": location.name,
                    "transportation": location.transport or None,
                    "latitude": location.latitude,
                    "longitude": location.longitude,
                    "external_identifier": location.mpsv_facility_id or None,
                    "external_identifier_type": (
                        FACILITY_ID_TYPE if location.mpsv_facility_id else None
                    ),
                }
            )
        )
        if full:
            data["addresses"] = [
                _drop_empty(
                    {
                        "id": derived_id(location.id, "address"),
                        "location_id": str(location.id),
                        "address_1": location.street,
                        "city": location.city or muni.name,
                        "region": muni.district.name,
                        "state_province": muni.region.name,
                        "postal_code": location.postal_code,
                        "country": "CZ",
                        "address_type": "physical",
                    }
                )
            ]
            data["accessibility"] = (
                [
                    {
                        "id": derived_id(location.id, "accessibility"),
                        "location_id": str(location.id),
                        "description": location.accessibility,
                    }
                ]
                if location.accessibility
                else []
            )
    data["cz_municipality"] = {"code": muni.code, "name": muni.name}
    data["cz_address_hidden"] = location.address_hidden
    return data


def service_at_location_brief(sal: ServiceAtLocation, *, full: bool) -> dict[str, Any]:
    return {
        "id": str(sal.id),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "location": location_dict(sal.location, full=full),
    }


def service_dict(
    service: Service,
    *,
    taxonomies: TaxonomyIndex,
    now: datetime | None = None,
    with_organization: bool = True,
    with_locations: bool = True,
) -> dict[str, Any]:
    """The fully nested HSDS service (needs `with_service_related(full=True)`)."""
    now = now or timezone.now()
    data = service_list_dict(service, now=now, with_organization=with_organization)
    data["phones"] = (
        [_phone(service.phone, owner="service", owner_id=service.id)] if service.phone else []
    )
    data["schedules"] = [schedule_dict(s, service.id) for s in service.schedules.all()]
    data["service_areas"] = [service_area_dict(area) for area in service.areas.all()]
    if with_locations:
        data["service_at_locations"] = [
            service_at_location_brief(sal, full=True) for sal in service.serviceatlocation_set.all()
        ]
    data["languages"] = languages_list(service)
    data["contacts"] = [contact_dict(c) for c in service.contacts.all()]
    data["cost_options"] = (
        [
            {
                "id": derived_id(service.id, "cost", "free"),
                "service_id": str(service.id),
                "option": "Zdarma",
                "currency": "CZK",
                "amount": 0,
            }
        ]
        if service.is_free
        else []
    )
    data["attributes"] = service_attributes(service, taxonomies)
    return data


def service_minimal_dict(row: tuple) -> dict[str, Any]:
    """`minimal=true`: id, name, status and last_modified from `MINIMAL_FIELDS` values."""
    sid, name, status, updated, org_updated, reported = row
    moments = [updated, org_updated]
    if reported is not None:
        moments.append(reported)
        if reported + stale_delta() <= timezone.now():
            moments.append(reported + stale_delta())
    return {
        "id": str(sid),
        "name": name,
        "status": STATUS_TO_HSDS.get(status, "inactive"),
        "last_modified": iso_datetime(max(moments)),
    }


MINIMAL_FIELDS = (
    "id",
    "name",
    "status",
    "updated_at",
    "organization__updated_at",
    "latest_capacity__reported_at",
)


# --- organizations ---------------------------------------------------------------------------


def organization_services_queryset(*, full_service: bool) -> QuerySet:
    return with_service_related(Service.objects.public().order_by("name", "id"), full=full_service)


def organizations_queryset(qs: QuerySet, *, full: bool, full_service: bool) -> QuerySet:
    if not full:
        return qs
    return qs.prefetch_related(
        Prefetch(
            "locations",
            queryset=Location.objects.select_related(
                "municipality__region", "municipality__district"
            ).order_by("name", "id"),
        ),
        Prefetch("services", queryset=organization_services_queryset(full_service=full_service)),
    )


def organization_dict(
    org: Organization,
    *,
    full: bool,
    full_service: bool = False,
    taxonomies: TaxonomyIndex | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """An HSDS organization; `full` adds phones, locations and its public services."""
    now = now or timezone.now()
    data = organization_list_dict(org)
    if not full:
        return data
    data["phones"] = [_phone(org.phone, owner="organization", owner_id=org.id)] if org.phone else []
    data["locations"] = [location_dict(loc, full=True) for loc in org.locations.all()]
    services = []
    for service in org.services.all():
        # The services' organization is this one: it is not repeated inside each service.
        if full_service:
            assert taxonomies is not None
            services.append(
                service_dict(service, taxonomies=taxonomies, now=now, with_organization=False)
            )
        else:
            services.append(service_list_dict(service, now=now, with_organization=False))
    data["services"] = services
    return data


def organization_changed_at(org: Organization) -> datetime:
    return org.updated_at


# --- service at location ---------------------------------------------------------------------


def service_at_locations_queryset(qs: QuerySet, *, full: bool) -> QuerySet:
    select, prefetch = service_related(full=full, prefix="service__")
    return qs.select_related(
        "location__municipality__region", "location__municipality__district", *select
    ).prefetch_related(*prefetch)


def service_at_location_dict(
    sal: ServiceAtLocation,
    *,
    full: bool,
    taxonomies: TaxonomyIndex | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """An HSDS service_at_location with its location and service (fully nested if `full`)."""
    now = now or timezone.now()
    data = service_at_location_brief(sal, full=full)
    if full:
        assert taxonomies is not None
        data["service"] = service_dict(
            sal.service, taxonomies=taxonomies, now=now, with_locations=False
        )
    else:
        data["service"] = service_list_dict(sal.service, now=now)
    return data

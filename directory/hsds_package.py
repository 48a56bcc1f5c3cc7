"""The directory as an Open Referral HSDS 3.0 data package: CSV tables and datapackage.json.

`export_package(directory, territory=None)` writes one, `import_package(directory)` reads
one; the commands `export_hsds` and `import_hsds` are thin wrappers around them.

What goes where
===============

Every table below is always written (an empty one with its header), with the file name,
the column names and the column order of the official HSDS 3.0 `datapackage.json`; the
package's own `datapackage.json` repeats the official resource definitions (name, path,
description, field names, types, formats and constraints, primary and foreign keys; the
long field descriptions and examples are left out) and adds the two Czech-profile tables.

- `organizations.csv`: Organization (name, alternate_name, description, email, website,
  legal_status). The IČO is a row of `organization_identifiers.csv` with
  identifier_scheme `CZ-ICO` (org-id.guide) and identifier_type `IČO`.
- `services.csv`: Service. `eligibility` → eligibility_description; status
  active/inactive/defunct (on import "temporarily closed" means inactive);
  minimum_age/maximum_age are derived from the age groups (ignored on import);
  `last_modified` stays empty, because an import would either lose it or make the importing
  database claim changes older than they are (and `modified_after` consumers miss them).
- `locations.csv`: Location, location_type `physical`; transport → transportation; the MPSV
  facility id → external_identifier with external_identifier_type `CZ-MPSV-ZARIZENI`.
- `addresses.csv`: street → address_1, city, postal_code, country `CZ`; region (okres) and
  state_province (kraj) are derived from the obec and ignored on import.
- `accessibility.csv`: Location.accessibility.
- `service_at_location.csv` (the official file name, singular): ServiceAtLocation.
- `phones.csv`: the phone of an organisation, of a service and of a contact.
- `contacts.csv`: contacts of services (a work role and its public contact).
- `schedules.csv`: weekly hours: freq `WEEKLY`, byday `MO`…`SU`, opens_at, closes_at,
  note → notes; description is a derived Czech text (ignored on import).
- `service_areas.csv`: ServiceArea; name is derived; the unit is an attribute (below).
- `languages.csv`: Service.languages (ISO 639-1 codes).
- `cost_options.csv`: one row "Zdarma" (amount 0, CZK) for a free service; on import a
  service is free when one of its cost options has amount 0.
- `programs.csv`: empty (Spojka has no programmes); written because services.csv declares a
  foreign key to it.
- `taxonomies.csv`, `taxonomy_terms.csv`: the code lists, with the ids and codes of
  `directory/hsds_ids.py`, and the terms of the Czech profile (taxonomy `cz_profile`).
- `attributes.csv`: a service's type, forms, target groups and age groups (terms of the code
  lists, link_type = the kind), and the Czech profile (terms of `cz_profile`, the datum in
  `value`): `municipality` (ČSÚ code of the obec; on every location and on service areas),
  `orp`, `district`, `region` (ČSÚ codes; service areas), `address_hidden` (`true`;
  locations), `mpsv_identifier`, `mpsv_portal_id`, `registered_from`, `registered_until`
  (services), `demo` (`true`; invented demo organisations and services).

Czech-profile tables (not in HSDS; declared with their schemas in datapackage.json):

- `cz_capacity_reports.csv`: every CapacityReport (id, service_id, free_places,
  waiting_list, typical_wait_days, note, reported_at); who reported it is never exported.
- `cz_registered_capacities.csv`: RegisteredCapacity (service_id, provision_form and
  capacity_type as catalog codes, count, note).

Hidden addresses (Location.address_hidden): the location row is exported with its name, obec
and the `address_hidden` attribute, but with no address row, no coordinates, no
transportation and no accessibility row. An import keeps the location hidden and, when the
location already exists, keeps the address it has.

Stable output: rows are sorted by id; rows that have no id in Spojka (address, phone,
attribute, identifier, …) get uuid5 ids derived from their owner; UTF-8, RFC 4180 CSV;
dates and times ISO 8601, datetimes in UTC with `Z`; floats as Python's repr. So export →
import into an empty database → export gives byte-identical files.

Import
======

Upsert by id. Everything is read and validated first (required columns, UUIDs, unique ids,
numbers, dates, e-mails and URLs, lengths, code-list terms, ČSÚ codes, IČO check digits,
foreign keys); errors name the table, the row (the header is row 1, as in a spreadsheet) and
the field, and up to 50 are collected before the import fails with nothing written. Then one
transaction writes everything and refreshes coverage and search text of the imported
services; any failure rolls all of it back.

- A package is authoritative for the records it contains: a service's locations, schedules,
  contacts, areas, forms, groups, languages and registered capacities become exactly those of
  the package. A table the package does not have at all leaves its part as it is (a package
  of services or locations must have attributes.csv, though: types and obce are there).
  Records missing from the package are never deleted. Capacity reports are history: missing
  ones are added, existing ones are left as they are.
- `organization_id` of services and locations and `location_id` of service_at_location may
  point to a record of the package or of the database; all other references (a phone's
  owner, an attribute's link_id, a schedule's service_id, …) must point into the package.
- Code lists are not imported: a term must be one of Spojka's code lists (matched by its
  uuid5 id). Attributes with terms of foreign taxonomies are ignored.
- A missing optional column counts as empty. Phones of locations, identifiers other than the
  IČO and further phones of the same owner are ignored.

`--territory SLUG`: the export contains the services that serve the territory, their
organisations, locations and everything attached to them; the import only checks that the
territory exists and says how many imported services serve it.
"""

from __future__ import annotations

import csv
import json
import math
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone

from catalog.models import CapacityType, ProvisionForm
from directory import hsds_ids
from directory.hsds_ids import CZ_PROFILE, taxonomy_term_uuid, taxonomy_uuid
from directory.models import (
    CapacityReport,
    Contact,
    Location,
    Organization,
    RegisteredCapacity,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCoverage,
)
from directory.services import refresh_service, sync_room, update_statistics
from directory.validators import ico_checksum_ok
from territory.models import District, Municipality, Orp, Region, Territory

MAX_ERRORS = 50
CHUNK = 500
ICO_SCHEME = "CZ-ICO"
ICO_TYPE = "IČO"
FACILITY_ID_TYPE = "CZ-MPSV-ZARIZENI"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # Schedule.weekday 1…7
WEEKDAY_NAMES = ("po", "út", "st", "čt", "pá", "so", "ne")

# Terms of the Czech profile: code → (entities they may be attached to, name, description).
PROFILE_TERMS: dict[str, tuple[frozenset[str], str, str]] = {
    "municipality": (
        frozenset({"location", "service_area"}),
        "Obec (kód ČSÚ)",
        "Obec místa nebo oblasti působnosti; value je kód obce podle ČSÚ (např. 586307).",
    ),
    "orp": (
        frozenset({"service_area"}),
        "ORP (kód ČSÚ)",
        "Oblast působnosti je celý správní obvod obce s rozšířenou působností; value je kód.",
    ),
    "district": (
        frozenset({"service_area"}),
        "Okres (kód ČSÚ)",
        "Oblast působnosti je celý okres; value je kód okresu podle ČSÚ.",
    ),
    "region": (
        frozenset({"service_area"}),
        "Kraj (kód ČSÚ)",
        "Oblast působnosti je celý kraj; value je kód kraje podle ČSÚ.",
    ),
    "address_hidden": (
        frozenset({"location"}),
        "Utajená adresa",
        "Adresa místa se nezveřejňuje (azylové domy, intervenční centra): data neobsahují "
        "adresu ani souřadnice, jen obec. value je true.",
    ),
    "mpsv_identifier": (
        frozenset({"service"}),
        "Identifikátor služby v registru MPSV",
        "Identifikátor registrované sociální služby v registru poskytovatelů MPSV.",
    ),
    "mpsv_portal_id": (
        frozenset({"service"}),
        "portalId služby v registru MPSV",
        "Identifikátor služby na portálu registru poskytovatelů sociálních služeb MPSV.",
    ),
    "registered_from": (
        frozenset({"service"}),
        "Registrace od",
        "Datum, od kterého je sociální služba registrována (ISO 8601).",
    ),
    "registered_until": (
        frozenset({"service"}),
        "Registrace do",
        "Datum, kdy registrace sociální služby skončila (ISO 8601).",
    ),
    "demo": (
        frozenset({"organization", "service"}),
        "Ukázková data",
        "Záznam je smyšlený, slouží k předvedení Spojky. value je true.",
    ),
}
# Tables that set fields of other records: without the table, those fields stay as they are.
FIELD_SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "organization_identifier": (("organizations", "ico"),),
    "phone": (("organizations", "phone"), ("services", "phone"), ("contacts", "phone")),
    "language": (("services", "languages"),),
    "cost_option": (("services", "is_free"),),
    "address": (("locations", "street"), ("locations", "city"), ("locations", "postal_code")),
    "accessibility": (("locations", "accessibility"),),
}
AREA_UNITS: dict[str, type[models.Model]] = {
    "municipality": Municipality,
    "orp": Orp,
    "district": District,
    "region": Region,
}


def derived_id(owner: uuid.UUID | str, *parts: str) -> uuid.UUID:
    """A stable id for a row that has none in Spojka (an address, a phone, an attribute…)."""
    return uuid.uuid5(hsds_ids.NAMESPACE, "/".join([str(owner), *parts]))


# --------------------------------------------------------------------------------------
# Table definitions: the official HSDS 3.0 ones (generated from its datapackage.json) and
# the two tables of the Czech profile.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class F:
    name: str
    type: str = "string"
    fmt: str = ""
    req: bool = False
    uniq: bool = False
    enum: tuple[str, ...] | None = None
    description: str = ""

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.description:
            out["description"] = self.description
        if self.fmt:
            out["format"] = self.fmt
        out["constraints"] = {"required": self.req, "unique": self.uniq}
        if self.enum:
            out["constraints"]["enum"] = list(self.enum)
        return out


@dataclass(frozen=True)
class Table:
    path: str
    description: str
    fields: tuple[F, ...]
    fks: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required_columns(self) -> list[str]:
        return [f.name for f in self.fields if f.req]

    def descriptor(self, name: str) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "primaryKey": "id",
            "fields": [f.descriptor() for f in self.fields],
        }
        if self.fks:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": resource, "fields": "id"}}
                for column, resource in self.fks
            ]
        return {
            "name": name,
            "path": self.path,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": schema,
        }


HSDS_TABLES: dict[str, Table] = {
    "organization": Table(
        "organizations.csv",
        (
            "The details about each organization delivering services. Each service should be "
            "linked to the organization responsible for its delivery. One organization may "
            "deliver many services."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("name", req=True),
            F("alternate_name"),
            F("description", req=True),
            F("email", fmt="email"),
            F("website", fmt="uri"),
            F("tax_status"),
            F("tax_id"),
            F("year_incorporated", "number"),
            F("legal_status"),
            F("logo"),
            F("uri", fmt="uri"),
            F("parent_organization_id", fmt="uuid"),
        ),
    ),
    "organization_identifier": Table(
        "organization_identifiers.csv",
        (
            "The details of the third party identifiers for organizations, such as: company "
            "registration number, charity number, tax registration number."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("organization_id", fmt="uuid", req=True),
            F("identifier_scheme"),
            F("identifier_type", req=True),
            F("identifier", req=True),
        ),
        fks=(("organization_id", "organization"),),
    ),
    "program": Table(
        "programs.csv",
        "The details of collections of related services.",
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("organization_id", fmt="uuid", req=True, uniq=True),
            F("name", req=True),
            F("alternate_name"),
            F("description", req=True),
        ),
        fks=(("organization_id", "organization"),),
    ),
    "service": Table(
        "services.csv",
        "The details of the services provided by organizations to a range of different groups.",
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("organization_id", fmt="uuid", req=True),
            F("program_id", fmt="uuid"),
            F("name", req=True),
            F("alternate_name"),
            F("description"),
            F("url", fmt="uri"),
            F("email", fmt="email"),
            F("status", req=True, enum=("active", "inactive", "defunct", "temporarily closed")),
            F("interpretation_services"),
            F("application_process"),
            F("fees_description"),
            F("wait_time"),
            F("fees"),
            F("accreditations"),
            F("eligibility_description"),
            F("minimum_age", "number"),
            F("maximum_age", "number"),
            F("assured_date", "date"),
            F("assurer_email", fmt="email"),
            F("licenses"),
            F("alert"),
            F("last_modified", "datetime"),
        ),
        fks=(("organization_id", "organization"), ("program_id", "program")),
    ),
    "service_at_location": Table(
        "service_at_location.csv",
        "A link between a service and a specific location.",
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("service_id", fmt="uuid", req=True),
            F("location_id", fmt="uuid", req=True),
            F("description"),
        ),
        fks=(("service_id", "service"), ("location_id", "location")),
    ),
    "location": Table(
        "locations.csv",
        (
            "The locations where organizations operate. Locations may be virtual, and one "
            "organization may have many locations."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("location_type", req=True, enum=("physical", "postal", "virtual")),
            F("url", fmt="uri"),
            F("organization_id", fmt="uuid"),
            F("name"),
            F("alternate_name"),
            F("description"),
            F("transportation"),
            F("latitude", "number"),
            F("longitude", "number"),
            F("external_identifier"),
            F("external_identifier_type"),
        ),
        fks=(("organization_id", "organization"),),
    ),
    "address": Table(
        "addresses.csv",
        "The addresses of locations where organizations operate.",
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("location_id", fmt="uuid"),
            F("attention"),
            F("address_1", req=True),
            F("address_2"),
            F("city", req=True),
            F("region"),
            F("state_province", req=True),
            F("postal_code", req=True),
            F("country", req=True),
            F("address_type", req=True, enum=("physical", "postal", "virtual")),
        ),
        fks=(("location_id", "location"),),
    ),
    "phone": Table(
        "phones.csv",
        (
            "The details of the telephone numbers used to contact organizations, services, and "
            "locations."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("location_id", fmt="uuid"),
            F("service_id", fmt="uuid"),
            F("organization_id", fmt="uuid"),
            F("contact_id", fmt="uuid"),
            F("service_at_location_id", fmt="uuid"),
            F("number", req=True),
            F("extension", "number"),
            F("type"),
            F("description"),
        ),
        fks=(
            ("contact_id", "contact"),
            ("location_id", "location"),
            ("organization_id", "organization"),
            ("service_id", "service"),
            ("service_at_location_id", "service_at_location"),
        ),
    ),
    "schedule": Table(
        "schedules.csv",
        "The details of when a service or location is open. Entries are RFC 5545 RRULES.",
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("service_id", fmt="uuid"),
            F("location_id", fmt="uuid"),
            F("service_at_location_id", fmt="uuid"),
            F("valid_from", "date"),
            F("valid_to", "date"),
            F("dtstart", "date"),
            F("timezone", "number"),
            F("until", "date"),
            F("count", "number"),
            F("wkst", enum=("MO", "TU", "WE", "TH", "FR", "SA", "SU")),
            F("freq", enum=("WEEKLY", "MONTHLY")),
            F("interval", "number"),
            F("byday"),
            F("byweekno"),
            F("bymonthday"),
            F("byyearday"),
            F("description"),
            F("opens_at", "time"),
            F("closes_at", "time"),
            F("schedule_link", fmt="uri"),
            F("attending_type"),
            F("notes"),
        ),
        fks=(
            ("location_id", "location"),
            ("service_id", "service"),
            ("service_at_location_id", "service_at_location"),
        ),
    ),
    "service_area": Table(
        "service_areas.csv",
        "The details of the geographic area for which a service is available.",
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("service_id", fmt="uuid"),
            F("name"),
            F("description"),
            F("extent"),
            F("extent_type"),
            F("uri"),
        ),
        fks=(("service_id", "service"),),
    ),
    "contact": Table(
        "contacts.csv",
        "The details of the named contacts for services and organizations.",
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("organization_id", fmt="uuid"),
            F("service_id", fmt="uuid"),
            F("service_at_location_id", fmt="uuid"),
            F("location_id", fmt="uuid"),
            F("name"),
            F("title"),
            F("department"),
            F("email", fmt="email"),
        ),
        fks=(
            ("location_id", "location"),
            ("organization_id", "organization"),
            ("service_id", "service"),
            ("service_at_location_id", "service_at_location"),
        ),
    ),
    "taxonomy": Table(
        "taxonomies.csv",
        "The taxonomies from which taxonomy terms are taken.",
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("name", req=True),
            F("description", req=True),
            F("uri", fmt="uri"),
            F("version"),
        ),
    ),
    "taxonomy_term": Table(
        "taxonomy_terms.csv",
        (
            "Each service can be categorized according to one or more taxonomy terms. The "
            "taxonomy_term object contains a list of taxonomy terms, their names, and, for "
            "hierarchical taxonomies, their structure."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("code", uniq=True),
            F("name", req=True),
            F("description", req=True),
            F("parent_id", fmt="uuid"),
            F("taxonomy"),
            F("language"),
            F("taxonomy_id", fmt="uuid"),
            F("term_uri", fmt="uri"),
        ),
        fks=(("taxonomy_id", "taxonomy"),),
    ),
    "attribute": Table(
        "attributes.csv",
        (
            "A link between a service and one or more classifications that describe the nature of"
            " the service provided."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("link_id", fmt="uuid", req=True),
            F("taxonomy_term_id", fmt="uuid", req=True),
            F("link_type"),
            F("link_entity", req=True),
            F("value"),
        ),
        fks=(("taxonomy_term_id", "taxonomy_term"),),
    ),
    "cost_option": Table(
        "cost_options.csv",
        (
            "The costs of a service at certain points in time. This is an LGA Extension. This "
            "object provides a structured version of the text information contained in the 'fees'"
            " field of the 'service' object."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("service_id", fmt="uuid", req=True),
            F("valid_from", "date"),
            F("valid_to", "date"),
            F("option"),
            F("currency"),
            F("amount", "number"),
            F("amount_description"),
        ),
        fks=(("service_id", "service"),),
    ),
    "language": Table(
        "languages.csv",
        (
            "The languages that are spoken at locations or services. This does not include "
            "languages which can only be used with interpretation."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("service_id", fmt="uuid"),
            F("location_id", fmt="uuid"),
            F("phone_id", fmt="uuid"),
            F("name"),
            F("code"),
            F("note"),
        ),
        fks=(("location_id", "location"), ("phone_id", "phone"), ("service_id", "service")),
    ),
    "accessibility": Table(
        "accessibility.csv",
        (
            "The details of the arrangements for access to locations for people who have "
            "disabilities."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True),
            F("location_id", fmt="uuid"),
            F("description"),
            F("details"),
            F("url", fmt="uri"),
        ),
        fks=(("location_id", "location"),),
    ),
}

CZ_TABLES: dict[str, Table] = {
    "cz_capacity_report": Table(
        "cz_capacity_reports.csv",
        (
            "Czech profile of Spojka: what a provider reported about free places and its "
            "waiting list, at a moment; every report is kept (history). Who reported it is "
            "never published."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True, description="The report's identifier."),
            F("service_id", fmt="uuid", req=True, description="The service reported on."),
            F("free_places", "integer", req=True, description="Free places (volná místa)."),
            F(
                "waiting_list",
                "integer",
                req=True,
                description="People on the waiting list (pořadník).",
            ),
            F("typical_wait_days", "integer", description="Typical waiting time in days."),
            F("note", description="The provider's note."),
            F(
                "reported_at",
                "datetime",
                req=True,
                description="When it was reported (ISO 8601, UTC).",
            ),
        ),
        fks=(("service_id", "service"),),
    ),
    "cz_registered_capacity": Table(
        "cz_registered_capacities.csv",
        (
            "Czech profile of Spojka: the capacity of a social service as registered with "
            "MPSV, per form of provision and capacity type."
        ),
        (
            F("id", fmt="uuid", req=True, uniq=True, description="Identifier of the row."),
            F("service_id", fmt="uuid", req=True, description="The service."),
            F(
                "provision_form",
                req=True,
                description="Form of provision, code of Spojka's code list (pob, amb, ter).",
            ),
            F(
                "capacity_type",
                req=True,
                description="Capacity type, code of Spojka's code list (klient, luzka, …).",
            ),
            F("count", "integer", req=True, description="The registered capacity."),
            F("note", description="Description of the capacity."),
        ),
        fks=(("service_id", "service"),),
    ),
}
TABLES: dict[str, Table] = {**HSDS_TABLES, **CZ_TABLES}


def datapackage_descriptor(territory: Territory | None = None) -> dict[str, Any]:
    where = f" – {territory.name}" if territory else ""
    return {
        "name": f"spojka-hsds-{territory.slug}" if territory else "spojka-hsds",
        "title": f"Spojka: adresář sociálních služeb{where} (Open Referral HSDS 3.0)",
        "description": (
            "Sociální služby, poskytovatelé a místa ve tvaru Open Referral Human Services "
            "Data Specification 3.0 (tabulková podoba). Český profil Spojky: druhy služeb "
            "podle zákona č. 108/2006 Sb., formy poskytování, cílové a věkové skupiny a údaje "
            "taxonomie cz_profile (kódy obcí ČSÚ, utajená adresa, identifikátory MPSV) jsou v "
            "attributes.csv, IČO v organization_identifiers.csv (CZ-ICO), volná místa a "
            "registrovaná kapacita v tabulkách cz_capacity_reports.csv a "
            "cz_registered_capacities.csv."
            + (f" Jen služby, které působí na území {territory.name}." if territory else "")
        ),
        "profile": "tabular-data-package",
        "hsds_version": "3.0",
        "homepage": "http://docs.openreferral.org",
        "resources": [table.descriptor(name) for name, table in TABLES.items()],
    }


# --------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _attribute(entity: str, link_id: uuid.UUID, kind: str, code: str, value: Any = "") -> dict:
    return {
        "id": derived_id(link_id, "attribute", kind, code),
        "link_id": link_id,
        "taxonomy_term_id": taxonomy_term_uuid(kind, code),
        "link_type": kind,
        "link_entity": entity,
        "value": value,
    }


def _profile(entity: str, link_id: uuid.UUID, code: str, value: Any) -> dict:
    return _attribute(entity, link_id, CZ_PROFILE, code, value)


def _hours(value: time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def _language_codes(value: str) -> list[str]:
    codes: list[str] = []
    for code in value.split(","):
        code = code.strip().lower()
        if code and code not in codes:
            codes.append(code)
    return codes


def _language_name(code: str) -> str:
    return LANG_INFO.get(code, {}).get("name_local", code)


def _area_unit(area: ServiceArea) -> tuple[str, int, str]:
    """(profile term, ČSÚ code, Czech label) of the unit of a service area."""
    if area.municipality_id:
        muni = area.municipality
        return "municipality", muni.code, f"{muni.name} (okres {muni.district.name})"
    if area.orp_id:
        return "orp", area.orp_id, f"ORP {area.orp.name}"
    if area.district_id:
        return "district", area.district_id, f"okres {area.district.name}"
    return "region", area.region_id, area.region.name


def collect_tables(territory: Territory | None = None) -> dict[str, list[dict]]:
    """Rows of every table (unsorted), as dicts column → value."""
    out: dict[str, list[dict]] = defaultdict(list)
    services_qs = Service.objects.all()
    if territory is not None:
        services_qs = services_qs.in_territory(territory)
    sal_qs = ServiceAtLocation.objects.filter(service__in=services_qs.values("id"))
    locations_qs = Location.objects.all()
    orgs_qs = Organization.objects.all()
    if territory is not None:
        locations_qs = locations_qs.filter(id__in=sal_qs.values("location_id"))
        orgs_qs = orgs_qs.filter(
            models.Q(id__in=services_qs.values("organization_id"))
            | models.Q(id__in=locations_qs.values("organization_id"))
        )

    for org in orgs_qs.order_by("id"):
        out["organization"].append(
            {
                "id": org.id,
                "name": org.name,
                "alternate_name": org.alternate_name,
                "description": org.description,
                "email": org.email,
                "website": org.website,
                "legal_status": org.legal_status,
            }
        )
        if org.ico:
            out["organization_identifier"].append(
                {
                    "id": derived_id(org.id, "ico"),
                    "organization_id": org.id,
                    "identifier_scheme": ICO_SCHEME,
                    "identifier_type": ICO_TYPE,
                    "identifier": org.ico,
                }
            )
        if org.phone:
            out["phone"].append(
                {"id": derived_id(org.id, "phone"), "organization_id": org.id, "number": org.phone}
            )
        if org.is_demo:
            out["attribute"].append(_profile("organization", org.id, "demo", True))

    for loc in locations_qs.select_related("municipality__district", "municipality__region"):
        hidden = loc.address_hidden
        out["location"].append(
            {
                "id": loc.id,
                "location_type": "physical",
                "organization_id": loc.organization_id,
                "name": loc.name,
                "transportation": "" if hidden else loc.transport,
                "latitude": None if hidden else loc.latitude,
                "longitude": None if hidden else loc.longitude,
                "external_identifier": loc.mpsv_facility_id,
                "external_identifier_type": FACILITY_ID_TYPE if loc.mpsv_facility_id else "",
            }
        )
        out["attribute"].append(_profile("location", loc.id, "municipality", loc.municipality_id))
        if hidden:
            out["attribute"].append(_profile("location", loc.id, "address_hidden", True))
            continue
        if loc.street or loc.city or loc.postal_code:
            out["address"].append(
                {
                    "id": derived_id(loc.id, "address"),
                    "location_id": loc.id,
                    "address_1": loc.street,
                    "city": loc.city,
                    "region": loc.municipality.district.name,
                    "state_province": loc.municipality.region.name,
                    "postal_code": loc.postal_code,
                    "country": "CZ",
                    "address_type": "physical",
                }
            )
        if loc.accessibility:
            out["accessibility"].append(
                {
                    "id": derived_id(loc.id, "accessibility"),
                    "location_id": loc.id,
                    "description": loc.accessibility,
                }
            )

    for sal in sal_qs:
        out["service_at_location"].append(
            {"id": sal.id, "service_id": sal.service_id, "location_id": sal.location_id}
        )

    services = services_qs.select_related("service_type").prefetch_related(
        "forms",
        "target_groups",
        "age_groups",
        "schedules",
        "contacts",
        "capacity_reports",
        Prefetch(
            "areas",
            queryset=ServiceArea.objects.select_related(
                "municipality__district", "orp", "district", "region"
            ),
        ),
        Prefetch(
            "registered_capacities",
            queryset=RegisteredCapacity.objects.select_related("form", "capacity_type"),
        ),
    )
    for service in services:
        _collect_service(service, out)

    for kind, (name, description) in hsds_ids.TAXONOMIES.items():
        out["taxonomy"].append(
            {"id": taxonomy_uuid(kind), "name": name, "description": description}
        )
    for kind, model in hsds_ids.catalog_models().items():
        for entry in model.objects.all():
            out["taxonomy_term"].append(
                {
                    "id": taxonomy_term_uuid(kind, entry.code),
                    "code": hsds_ids.taxonomy_term_code(kind, entry.code),
                    "name": entry.name,
                    "description": getattr(entry, "description", "") or entry.name,
                    "language": "cs",
                    "taxonomy_id": taxonomy_uuid(kind),
                }
            )
    for code, (_, name, description) in PROFILE_TERMS.items():
        out["taxonomy_term"].append(
            {
                "id": taxonomy_term_uuid(CZ_PROFILE, code),
                "code": hsds_ids.taxonomy_term_code(CZ_PROFILE, code),
                "name": name,
                "description": description,
                "language": "cs",
                "taxonomy_id": taxonomy_uuid(CZ_PROFILE),
            }
        )
    return out


def _collect_service(service: Service, out: dict[str, list[dict]]) -> None:
    sid = service.id
    ages = list(service.age_groups.all())
    minimum = [a.min_age for a in ages]
    maximum = [a.max_age for a in ages]
    out["service"].append(
        {
            "id": sid,
            "organization_id": service.organization_id,
            "name": service.name,
            "alternate_name": service.alternate_name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "application_process": service.application_process,
            "fees_description": service.fees_description,
            "eligibility_description": service.eligibility,
            "minimum_age": min(minimum) if ages and None not in minimum else None,
            "maximum_age": max(maximum) if ages and None not in maximum else None,
        }
    )
    attributes = out["attribute"]
    attributes.append(_attribute("service", sid, hsds_ids.SERVICE_TYPE, service.service_type.code))
    for kind, entries in (
        (hsds_ids.PROVISION_FORM, service.forms.all()),
        (hsds_ids.TARGET_GROUP, service.target_groups.all()),
        (hsds_ids.AGE_GROUP, ages),
    ):
        attributes.extend(_attribute("service", sid, kind, entry.code) for entry in entries)
    for code in ("mpsv_identifier", "mpsv_portal_id", "registered_from", "registered_until"):
        value = getattr(service, code)
        if value:
            attributes.append(_profile("service", sid, code, value))
    if service.is_demo:
        attributes.append(_profile("service", sid, "demo", True))
    if service.phone:
        out["phone"].append(
            {"id": derived_id(sid, "phone"), "service_id": sid, "number": service.phone}
        )
    for code in _language_codes(service.languages):
        out["language"].append(
            {
                "id": derived_id(sid, "language", code),
                "service_id": sid,
                "name": _language_name(code),
                "code": code,
            }
        )
    if service.is_free:
        out["cost_option"].append(
            {
                "id": derived_id(sid, "cost", "free"),
                "service_id": sid,
                "option": "Zdarma",
                "currency": "CZK",
                "amount": 0,
            }
        )
    for sch in service.schedules.all():
        out["schedule"].append(
            {
                "id": sch.id,
                "service_id": sid,
                "freq": "WEEKLY",
                "byday": WEEKDAYS[sch.weekday - 1],
                "opens_at": sch.opens_at,
                "closes_at": sch.closes_at,
                "description": (
                    f"{WEEKDAY_NAMES[sch.weekday - 1]} "
                    f"{_hours(sch.opens_at)}–{_hours(sch.closes_at)}"
                ),
                "notes": sch.note,
            }
        )
    for contact in service.contacts.all():
        out["contact"].append(
            {
                "id": contact.id,
                "service_id": sid,
                "name": contact.name,
                "title": contact.title,
                "email": contact.email,
            }
        )
        if contact.phone:
            out["phone"].append(
                {
                    "id": derived_id(contact.id, "phone"),
                    "contact_id": contact.id,
                    "number": contact.phone,
                }
            )
    for area in service.areas.all():
        unit, code, label = _area_unit(area)
        out["service_area"].append({"id": area.id, "service_id": sid, "name": label})
        attributes.append(_profile("service_area", area.id, unit, code))
    for cap in service.registered_capacities.all():
        out["cz_registered_capacity"].append(
            {
                "id": derived_id(sid, "registered_capacity", cap.form.code, cap.capacity_type.code),
                "service_id": sid,
                "provision_form": cap.form.code,
                "capacity_type": cap.capacity_type.code,
                "count": cap.count,
                "note": cap.note,
            }
        )
    for report in service.capacity_reports.all():
        out["cz_capacity_report"].append(
            {
                "id": report.id,
                "service_id": sid,
                "free_places": report.free_places,
                "waiting_list": report.waiting_list,
                "typical_wait_days": report.typical_wait_days,
                "note": report.note,
                "reported_at": report.reported_at,
            }
        )


def write_csv(path: Path, columns: list[str], rows: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            unknown = set(row) - set(columns)
            if unknown:
                raise ValueError(f"{path.name}: unknown columns {sorted(unknown)}")
            writer.writerow([_cell(row.get(column)) for column in columns])


def export_package(
    directory: Path | str,
    *,
    territory: Territory | None = None,
    stdout: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write the package into `directory` (created if needed); returns rows per table."""
    say = stdout or (lambda line: None)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tables = collect_tables(territory)
    counts: dict[str, int] = {}
    for name, table in TABLES.items():
        rows = sorted(tables.get(name, []), key=lambda row: str(row["id"]))
        write_csv(directory / table.path, table.columns, rows)
        counts[name] = len(rows)
        say(f"  {table.path}: {len(rows)} rows")
    descriptor = json.dumps(datapackage_descriptor(territory), ensure_ascii=False, indent=2)
    (directory / "datapackage.json").write_text(descriptor + "\n", encoding="utf-8")
    say("  datapackage.json")
    return counts


# --------------------------------------------------------------------------------------
# Import: reading and validating
# --------------------------------------------------------------------------------------


class PackageError(Exception):
    """The package cannot be imported; `errors` are the messages, one per bad field."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class _TooManyErrors(Exception):
    pass


class _Errors:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)
        if len(self.messages) >= MAX_ERRORS:
            raise _TooManyErrors

    def __bool__(self) -> bool:
        return bool(self.messages)


_email = EmailValidator()
_url = URLValidator()


@dataclass
class _Row:
    path: str
    number: int
    values: dict[str, str]
    errors: _Errors
    id: uuid.UUID | None = None

    def where(self, column: str) -> str:
        return f'{self.path} row {self.number}, field "{column}"'

    def error(self, column: str, message: str) -> None:
        self.errors.add(f"{self.where(column)}: {message}")

    def raw(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.values.get(column, "")
        if required and not value.strip():
            self.error(column, "a value is required")
        elif max_length is not None and len(value) > max_length:
            self.error(column, f"longer than {max_length} characters ({len(value)})")
        return value

    def uuid(self, column: str, *, required: bool = False) -> uuid.UUID | None:
        value = self.raw(column)
        if not value:
            if required:
                self.error(column, "a value is required")
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            self.error(column, f"not a UUID '{value}'")
            return None

    def integer(self, column: str, *, required: bool = False) -> int | None:
        value = self.raw(column)
        if not value:
            if required:
                self.error(column, "a value is required")
            return None
        if not value.isdigit():
            self.error(column, f"not a whole number of 0 or more '{value}'")
            return None
        return int(value)

    def decimal(self, column: str, low: float | None = None, high: float | None = None):
        value = self.raw(column)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.error(column, f"not a number '{value}'")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.error(column, f"{value} is out of range {low}…{high}")
            return None
        return number

    def parsed(self, column: str, parse: Callable[[str], Any], what: str, value: str = ""):
        value = value or self.raw(column)
        if not value:
            return None
        try:
            return parse(value)
        except ValueError:
            self.error(column, f"not {what} '{value}'")
            return None

    def date(self, column: str, value: str = "") -> date | None:
        return self.parsed(column, date.fromisoformat, "a date (YYYY-MM-DD)", value)

    def time(self, column: str, *, required: bool = False) -> time | None:
        if required and not self.raw(column):
            self.error(column, "a value is required")
            return None
        return self.parsed(column, time.fromisoformat, "a time (HH:MM:SS)")

    def datetime(self, column: str, *, required: bool = False) -> datetime | None:
        if required and not self.raw(column):
            self.error(column, "a value is required")
            return None
        value = self.parsed(column, datetime.fromisoformat, "a date and time (ISO 8601)")
        if value is not None and value.tzinfo is None:
            self.error(column, f"the time zone is missing (e.g. Z for UTC) '{self.raw(column)}'")
            return None
        return value

    def email(self, column: str) -> str:
        value = self.raw(column)
        if value:
            try:
                _email(value)
            except ValidationError:
                self.error(column, f"not an e-mail address '{value}'")
        if len(value) > 254:
            self.error(column, "longer than 254 characters")
        return value

    def url(self, column: str) -> str:
        value = self.raw(column)
        if value:
            try:
                _url(value)
            except ValidationError:
                self.error(column, f"not a URL '{value}'")
            if len(value) > 200:
                self.error(column, "longer than 200 characters")
        return value

    def choice(self, column: str, choices: Iterable[str], *, required: bool = False) -> str:
        value = self.raw(column)
        choices = tuple(choices)
        if not value:
            if required:
                self.error(column, "a value is required")
        elif value not in choices:
            self.error(column, f"'{value}' is not one of {', '.join(choices)}")
            return ""
        return value


def _max(model: type[models.Model], name: str) -> int | None:
    return model._meta.get_field(name).max_length


@dataclass
class _Rec:
    """A record of the package: its row (for messages) and the model field values."""

    row: _Row
    values: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Package:
    organizations: dict[uuid.UUID, _Rec] = field(default_factory=dict)
    services: dict[uuid.UUID, _Rec] = field(default_factory=dict)
    locations: dict[uuid.UUID, _Rec] = field(default_factory=dict)
    service_at_locations: dict[uuid.UUID, _Rec] = field(default_factory=dict)
    schedules: dict[uuid.UUID, _Rec] = field(default_factory=dict)
    contacts: dict[uuid.UUID, _Rec] = field(default_factory=dict)
    areas: dict[uuid.UUID, _Rec] = field(default_factory=dict)
    reports: dict[uuid.UUID, _Rec] = field(default_factory=dict)
    registered: list[_Rec] = field(default_factory=list)
    rows_read: int = 0
    present: set[str] = field(default_factory=set)
    ignored: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _table_paths(directory: Path, errors: _Errors) -> dict[str, str]:
    """name → file name of each table, from datapackage.json when there is one."""
    paths = {name: table.path for name, table in TABLES.items()}
    descriptor_path = directory / "datapackage.json"
    if not descriptor_path.exists():
        return paths
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        errors.add(f"datapackage.json: not valid JSON ({exc})")
        return paths
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        errors.add('datapackage.json, field "resources": a list of resources is required')
        return paths
    for number, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict) or resource.get("name") not in TABLES:
            continue
        path = resource.get("path")
        if (
            not isinstance(path, str)
            or not path
            or Path(path).is_absolute()
            or ".." in Path(path).parts
        ):
            errors.add(
                f'datapackage.json resource {number}, field "path": '
                f"not a file name inside the package {path!r}"
            )
            continue
        paths[resource["name"]] = path
    return paths


def _read_tables(directory: Path, errors: _Errors, say) -> dict[str, list[_Row]]:
    """Rows of every table present; checks the structure (encoding, headers, row lengths)."""
    paths = _table_paths(directory, errors)
    tables: dict[str, list[_Row]] = {}
    for name in IMPORTED_TABLES:
        table, path = TABLES[name], paths[name]
        file = directory / path
        if not file.is_file():
            continue
        rows: list[_Row] = []
        try:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                header = [column.strip() for column in next(reader, [])]
                missing = [column for column in table.required_columns if column not in header]
                for column in missing:
                    errors.add(f'{path} row 1, field "{column}": required column is missing')
                for column in {c for c in header if header.count(c) > 1}:
                    errors.add(f'{path} row 1, field "{column}": the column is there twice')
                for number, record in enumerate(reader, start=2):
                    if not any(cell.strip() for cell in record):
                        continue
                    if len(record) != len(header):
                        errors.add(
                            f"{path} row {number}: {len(record)} values, "
                            f"but the header has {len(header)} columns"
                        )
                        continue
                    rows.append(_Row(path, number, dict(zip(header, record, strict=True)), errors))
        except UnicodeDecodeError as exc:
            errors.add(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")
            continue
        except csv.Error as exc:
            errors.add(f"{path}: not a valid CSV file ({exc})")
            continue
        tables[name] = rows
        say(f"  {path}: {len(rows)} rows")
    if not tables:
        errors.add(
            f"{directory}: no HSDS tables found (organizations.csv, services.csv, locations.csv, …)"
        )
    return tables


IMPORTED_TABLES = (
    "organization",
    "organization_identifier",
    "service",
    "location",
    "address",
    "accessibility",
    "service_at_location",
    "contact",
    "phone",
    "schedule",
    "service_area",
    "language",
    "cost_option",
    "taxonomy",
    "taxonomy_term",
    "attribute",
    "cz_capacity_report",
    "cz_registered_capacity",
)


class _Validator:
    """Turns the rows into model field values, collecting every error on the way."""

    def __init__(self, tables: dict[str, list[_Row]], errors: _Errors) -> None:
        self.tables = tables
        self.errors = errors
        self.pkg = _Package()
        self.pkg.rows_read = sum(len(rows) for rows in tables.values())
        self.pkg.present = set(tables)
        # (model, pk, row, column, message) checked against the database in one query each.
        self.db_refs: list[tuple[type[models.Model], Any, _Row, str, str]] = []
        # Ids of rows rejected for another error: references to them are not errors again.
        self.rejected: set[uuid.UUID] = set()

    def rows(self, name: str) -> list[_Row]:
        return [row for row in self.tables.get(name, []) if row.id is not None]

    def in_package(
        self, row: _Row, column: str, records: dict, what: str, table: str, *, required=True
    ) -> _Rec | None:
        """The record `column` points to, which must be in the package."""
        pk = row.uuid(column, required=required)
        if pk is None:
            return None
        rec = records.get(pk)
        if rec is None and pk not in self.rejected:
            row.error(column, f"unknown {what} '{pk}' (not in {table})")
        return rec

    def in_package_or_db(
        self, row: _Row, column: str, records: dict, model, what: str
    ) -> uuid.UUID | None:
        pk = row.uuid(column, required=True)
        if pk is not None and pk not in records:
            self.db_refs.append((model, pk, row, column, f"unknown {what} '{pk}'"))
        return pk

    def run(self) -> _Package:
        self.ids()
        self.organizations()
        self.identifiers()
        self.services()
        self.locations()
        self.addresses()
        self.accessibility()
        self.service_at_locations()
        self.contacts()
        self.phones()
        self.schedules()
        self.areas()
        self.languages()
        self.cost_options()
        self.capacity()
        self.attributes()
        self.completeness()
        self.check_db_refs()
        return self.pkg

    def ids(self) -> None:
        """Every row's id: a UUID, unique in its table (rows without one are skipped)."""
        for rows in self.tables.values():
            seen: dict[uuid.UUID, int] = {}
            for row in rows:
                row.id = row.uuid("id", required=True)
                if row.id is None:
                    continue
                if row.id in seen:
                    row.error("id", f"duplicate id '{row.id}' (also in row {seen[row.id]})")
                    row.id = None
                    continue
                seen[row.id] = row.number

    # -- organisations, services, locations -------------------------------------------

    def organizations(self) -> None:
        for row in self.rows("organization"):
            values = {
                "name": row.text("name", required=True, max_length=_max(Organization, "name")),
                "alternate_name": row.text(
                    "alternate_name", max_length=_max(Organization, "alternate_name")
                ),
                "description": row.text("description"),
                "email": row.email("email"),
                "website": row.url("website"),
                "legal_status": row.text(
                    "legal_status", max_length=_max(Organization, "legal_status")
                ),
                "ico": "",
                "phone": "",
                "is_demo": False,
            }
            self.pkg.organizations[row.id] = _Rec(row, values)

    def identifiers(self) -> None:
        for row in self.rows("organization_identifier"):
            scheme = row.raw("identifier_scheme")
            kind = row.raw("identifier_type")
            if scheme != ICO_SCHEME and kind.upper() not in (ICO_TYPE, "ICO"):
                self.pkg.ignored["organization_identifiers.csv (not IČO)"] += 1
                continue
            org = self.in_package(
                row, "organization_id", self.pkg.organizations, "organization", "organizations.csv"
            )
            ico = row.text("identifier", required=True).strip()
            if not ico:
                continue
            if ico.isdigit() and len(ico) < 8:
                ico = ico.zfill(8)  # a spreadsheet ate the leading zeros
            if not ico_checksum_ok(ico):
                row.error(
                    "identifier",
                    f"invalid IČO '{ico}' (8 digits, the last a mod-11 check digit)",
                )
                continue
            if org is None:
                continue
            if org.values["ico"] and org.values["ico"] != ico:
                row.error("identifier", f"a second IČO '{ico}' for the organization")
            org.values["ico"] = ico

    def services(self) -> None:
        statuses = [*Service.Status.values, "temporarily closed"]
        for row in self.rows("service"):
            org_id = self.in_package_or_db(
                row, "organization_id", self.pkg.organizations, Organization, "organization"
            )
            status = row.choice("status", statuses, required=True)
            values = {
                "organization_id": org_id,
                "name": row.text("name", required=True, max_length=_max(Service, "name")),
                "alternate_name": row.text(
                    "alternate_name", max_length=_max(Service, "alternate_name")
                ),
                "description": row.text("description"),
                "url": row.url("url"),
                "email": row.email("email"),
                "status": Service.Status.INACTIVE if status == "temporarily closed" else status,
                "application_process": row.text("application_process"),
                "fees_description": row.text("fees_description"),
                "eligibility": row.text("eligibility_description"),
                "service_type_id": None,
                "phone": "",
                "languages": "",
                "is_free": False,
                "mpsv_identifier": "",
                "mpsv_portal_id": "",
                "registered_from": None,
                "registered_until": None,
                "is_demo": False,
            }
            row.uuid("program_id")
            row.decimal("minimum_age", 0)
            row.decimal("maximum_age", 0)
            self.pkg.services[row.id] = _Rec(
                row,
                values,
                {"forms": set(), "target_groups": set(), "age_groups": set(), "languages": []},
            )

    def locations(self) -> None:
        for row in self.rows("location"):
            org_id = self.in_package_or_db(
                row, "organization_id", self.pkg.organizations, Organization, "organization"
            )
            row.choice("location_type", ("physical", "postal", "virtual"), required=True)
            latitude = row.decimal("latitude", -90, 90)
            longitude = row.decimal("longitude", -180, 180)
            if bool(row.raw("latitude")) != bool(row.raw("longitude")):
                row.error("latitude", "latitude and longitude go together")
            id_type = row.raw("external_identifier_type")
            facility = row.raw("external_identifier") if id_type == FACILITY_ID_TYPE else ""
            if len(facility) > _max(Location, "mpsv_facility_id"):
                row.error("external_identifier", "longer than 40 characters")
            values = {
                "organization_id": org_id,
                "name": row.text("name", required=True, max_length=_max(Location, "name")),
                "transport": row.text("transportation"),
                "latitude": latitude,
                "longitude": longitude,
                "mpsv_facility_id": facility,
                "municipality_id": None,
                "address_hidden": False,
                "street": "",
                "city": "",
                "postal_code": "",
                "accessibility": "",
            }
            self.pkg.locations[row.id] = _Rec(row, values, {"address_row": None})

    def addresses(self) -> None:
        for row in self.rows("address"):
            loc = self.in_package(
                row, "location_id", self.pkg.locations, "location", "locations.csv"
            )
            row.choice("address_type", ("physical", "postal", "virtual"))
            country = row.raw("country").upper()
            if country not in ("", "CZ", "CZE"):
                row.error("country", f"Spojka stores Czech addresses only '{country}'")
            street = row.text("address_1")
            if row.raw("address_2"):
                street = f"{street}, {row.text('address_2')}" if street else row.text("address_2")
            if len(street) > _max(Location, "street"):
                row.error("address_1", f"longer than {_max(Location, 'street')} characters")
            city = row.text("city", max_length=_max(Location, "city"))
            postal = row.text("postal_code", max_length=_max(Location, "postal_code"))
            if loc is None:
                continue
            if loc.extra["address_row"] is not None:
                # A second address (e.g. a postal one): Spojka keeps one, the physical first.
                if row.raw("address_type") != "physical":
                    self.pkg.ignored["addresses.csv (second address of a location)"] += 1
                    continue
                first = loc.extra["address_row"]
                if first.raw("address_type") == "physical":
                    row.error("location_id", f"a second physical address (row {first.number})")
                    continue
            loc.extra["address_row"] = row
            loc.values.update(street=street, city=city, postal_code=postal)

    def accessibility(self) -> None:
        for row in self.rows("accessibility"):
            loc = self.in_package(
                row, "location_id", self.pkg.locations, "location", "locations.csv"
            )
            text = "\n\n".join(filter(None, [row.text("description"), row.text("details")]))
            if loc is not None and text:
                loc.values["accessibility"] = "\n\n".join(
                    filter(None, [loc.values["accessibility"], text])
                )

    def service_at_locations(self) -> None:
        pairs: dict[tuple, int] = {}
        for row in self.rows("service_at_location"):
            service = self.in_package(
                row, "service_id", self.pkg.services, "service", "services.csv"
            )
            location_id = self.in_package_or_db(
                row, "location_id", self.pkg.locations, Location, "location"
            )
            if service is None or location_id is None:
                continue
            pair = (service.row.id, location_id)
            if pair in pairs:
                row.error(
                    "location_id", f"the service is at this location already (row {pairs[pair]})"
                )
                continue
            pairs[pair] = row.number
            self.pkg.service_at_locations[row.id] = _Rec(
                row, {"service_id": service.row.id, "location_id": location_id}
            )

    # -- things attached to services ----------------------------------------------------

    def service_of(self, row: _Row, what: str) -> _Rec | None:
        if not row.raw("service_id"):
            row.error("service_id", f"a value is required (Spojka stores {what} of services)")
            return None
        return self.in_package(row, "service_id", self.pkg.services, "service", "services.csv")

    def contacts(self) -> None:
        for row in self.rows("contact"):
            service = self.service_of(row, "contacts")
            values = {
                "name": row.text("name", max_length=_max(Contact, "name")),
                "title": row.text("title", max_length=_max(Contact, "title")),
                "email": row.email("email"),
                "phone": "",
            }
            if service is not None:
                values["service_id"] = service.row.id
                self.pkg.contacts[row.id] = _Rec(row, values)
            else:
                self.rejected.add(row.id)

    def phones(self) -> None:
        for row in self.rows("phone"):
            number = row.text("number", required=True, max_length=_max(Service, "phone"))
            if row.raw("contact_id"):
                owner = self.in_package(
                    row, "contact_id", self.pkg.contacts, "contact", "contacts.csv"
                )
            elif row.raw("service_id"):
                owner = self.in_package(
                    row, "service_id", self.pkg.services, "service", "services.csv"
                )
            elif row.raw("organization_id"):
                owner = self.in_package(
                    row,
                    "organization_id",
                    self.pkg.organizations,
                    "organization",
                    "organizations.csv",
                )
            else:
                self.pkg.ignored["phones.csv (phones of locations)"] += 1
                continue
            if owner is None:
                continue
            if owner.values["phone"]:
                self.pkg.ignored["phones.csv (further phones of the same owner)"] += 1
                continue
            owner.values["phone"] = number.strip()

    def schedules(self) -> None:
        for row in self.rows("schedule"):
            service = self.service_of(row, "opening hours")
            freq = row.raw("freq")
            if freq not in ("", "WEEKLY"):
                row.error("freq", f"only weekly schedules (WEEKLY) are supported '{freq}'")
            days = [day.strip() for day in row.raw("byday").split(",") if day.strip()]
            if not days:
                row.error("byday", "a value is required (MO, TU, WE, TH, FR, SA, SU)")
            for day in days:
                if day not in WEEKDAYS:
                    row.error("byday", f"'{day}' is not one of {', '.join(WEEKDAYS)}")
            opens = row.time("opens_at", required=True)
            closes = row.time("closes_at", required=True)
            note = row.text("notes", max_length=_max(Schedule, "note"))
            if service is None or opens is None or closes is None:
                continue
            for day in days:
                if day not in WEEKDAYS:
                    continue
                pk = row.id if len(days) == 1 else derived_id(row.id, day)
                self.pkg.schedules[pk] = _Rec(
                    row,
                    {
                        "service_id": service.row.id,
                        "weekday": WEEKDAYS.index(day) + 1,
                        "opens_at": opens,
                        "closes_at": closes,
                        "note": note,
                    },
                )

    def areas(self) -> None:
        for row in self.rows("service_area"):
            service = self.service_of(row, "areas")
            if service is not None:
                self.pkg.areas[row.id] = _Rec(row, {"service_id": service.row.id}, {"unit": None})
            else:
                self.rejected.add(row.id)

    def languages(self) -> None:
        for row in self.rows("language"):
            service = self.in_package(
                row, "service_id", self.pkg.services, "service", "services.csv", required=False
            )
            code = row.raw("code").lower()
            if not code:
                row.error("code", "a value is required (ISO 639-1 code)")
            elif not (code.isascii() and code.isalpha() and 2 <= len(code) <= 3):
                row.error("code", f"not an ISO 639 language code '{code}'")
            elif service is not None and code not in service.extra["languages"]:
                service.extra["languages"].append(code)

    def cost_options(self) -> None:
        for row in self.rows("cost_option"):
            service = self.in_package(
                row, "service_id", self.pkg.services, "service", "services.csv"
            )
            amount = row.decimal("amount")
            row.date("valid_from")
            row.date("valid_to")
            if service is not None and amount == 0:
                service.values["is_free"] = True

    def capacity(self) -> None:
        for row in self.rows("cz_capacity_report"):
            service = self.in_package(
                row, "service_id", self.pkg.services, "service", "services.csv"
            )
            values = {
                "free_places": row.integer("free_places", required=True),
                "waiting_list": row.integer("waiting_list") or 0,
                "typical_wait_days": row.integer("typical_wait_days"),
                "note": row.text("note", max_length=_max(CapacityReport, "note")),
                "reported_at": row.datetime("reported_at", required=True),
            }
            if service is not None:
                values["service_id"] = service.row.id
                self.pkg.reports[row.id] = _Rec(row, values)
        forms = dict(ProvisionForm.objects.values_list("code", "pk"))
        types = dict(CapacityType.objects.values_list("code", "pk"))
        seen: dict[tuple, int] = {}
        for row in self.rows("cz_registered_capacity"):
            service = self.in_package(
                row, "service_id", self.pkg.services, "service", "services.csv"
            )
            form = row.choice("provision_form", forms, required=True)
            ctype = row.choice("capacity_type", types, required=True)
            count = row.integer("count", required=True)
            note = row.text("note", max_length=_max(RegisteredCapacity, "note"))
            if service is None or not form or not ctype or count is None:
                continue
            key = (service.row.id, form, ctype)
            if key in seen:
                row.error("capacity_type", f"the same form and capacity type as row {seen[key]}")
                continue
            seen[key] = row.number
            self.pkg.registered.append(
                _Rec(
                    row,
                    {
                        "service_id": service.row.id,
                        "form_id": forms[form],
                        "capacity_type_id": types[ctype],
                        "count": count,
                        "note": note,
                    },
                )
            )

    # -- taxonomies and attributes ------------------------------------------------------

    def known_terms(self) -> dict[uuid.UUID, tuple[str, str, Any]]:
        """Every term Spojka knows: id → (kind, code, catalog pk or None)."""
        terms: dict[uuid.UUID, tuple[str, str, Any]] = {}
        for kind, model in hsds_ids.catalog_models().items():
            for pk, code in model.objects.values_list("pk", "code"):
                terms[taxonomy_term_uuid(kind, code)] = (kind, code, pk)
        for code in PROFILE_TERMS:
            terms[taxonomy_term_uuid(CZ_PROFILE, code)] = (CZ_PROFILE, code, None)
        return terms

    def attributes(self) -> None:
        known = self.known_terms()
        ours = {taxonomy_uuid(kind): kind for kind in hsds_ids.TAXONOMIES}
        for row in self.rows("taxonomy"):
            row.text("name", required=True)
        foreign_terms: set[uuid.UUID] = set()
        for row in self.rows("taxonomy_term"):
            row.text("name", required=True)
            taxonomy_id = row.uuid("taxonomy_id")
            row.uuid("parent_id")
            if row.id in known:
                continue
            if taxonomy_id in ours:
                row.error(
                    "id",
                    f"unknown term '{row.raw('code')}' of the taxonomy {ours[taxonomy_id]} "
                    "(not in Spojka's code lists)",
                )
            else:
                foreign_terms.add(row.id)
        entities = {
            "service": (self.pkg.services, "services.csv"),
            "organization": (self.pkg.organizations, "organizations.csv"),
            "location": (self.pkg.locations, "locations.csv"),
            "service_area": (self.pkg.areas, "service_areas.csv"),
        }
        for row in self.rows("attribute"):
            term_id = row.uuid("taxonomy_term_id", required=True)
            entity = row.raw("link_entity")
            if term_id is None:
                continue
            if term_id not in known:
                if term_id in foreign_terms:
                    self.pkg.ignored["attributes.csv (terms of other taxonomies)"] += 1
                else:
                    row.error("taxonomy_term_id", f"unknown taxonomy term '{term_id}'")
                continue
            kind, code, pk = known[term_id]
            allowed = PROFILE_TERMS[code][0] if kind == CZ_PROFILE else {"service"}
            if kind == hsds_ids.LIFE_SITUATION:
                allowed = set()
            if entity not in allowed:
                row.error(
                    "link_entity",
                    f"the term {hsds_ids.taxonomy_term_code(kind, code)} cannot be attached "
                    f"to '{entity}'"
                    + (f" (only to {', '.join(sorted(allowed))})" if allowed else ""),
                )
                continue
            records, table = entities[entity]
            rec = self.in_package(row, "link_id", records, entity.replace("_", " "), table)
            if rec is None:
                continue
            if kind == CZ_PROFILE:
                self.profile_attribute(row, code, entity, rec)
            elif kind == hsds_ids.SERVICE_TYPE:
                if rec.values["service_type_id"] not in (None, pk):
                    row.error("taxonomy_term_id", "a second service type for the service")
                rec.values["service_type_id"] = pk
            else:
                name = {"provision_form": "forms"}.get(kind, f"{kind}s")
                rec.extra[name].add(pk)

    def profile_attribute(self, row: _Row, code: str, entity: str, rec: _Rec) -> None:
        value = row.raw("value")
        if code in AREA_UNITS:
            if not value.isdigit():
                row.error("value", f"not a ČSÚ code '{value}'")
                return
            label = "ORP" if code == "orp" else code
            self.db_refs.append(
                (AREA_UNITS[code], int(value), row, "value", f"unknown {label} code '{value}'")
            )
            if entity == "location":
                rec.values["municipality_id"] = int(value)
            elif rec.extra["unit"] is not None:
                row.error("taxonomy_term_id", "a second unit (obec, ORP, okres, kraj) of the area")
            else:
                rec.extra["unit"] = (code, int(value))
        elif code in ("address_hidden", "demo"):
            flag = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
            if value.lower() not in flag:
                row.error("value", f"not true or false '{value}'")
                return
            key = "address_hidden" if code == "address_hidden" else "is_demo"
            rec.values[key] = flag[value.lower()]
        elif code in ("registered_from", "registered_until"):
            rec.values[code] = row.date("value")
        else:
            length = _max(Service, code)
            if len(value) > length:
                row.error("value", f"longer than {length} characters")
            rec.values[code] = value

    # -- whole-package checks -------------------------------------------------------------

    def completeness(self) -> None:
        needs_attributes = {"service", "location", "service_area"} & self.pkg.present
        if needs_attributes and "attribute" not in self.pkg.present:
            self.errors.add(
                f"{TABLES['attribute'].path}: the table is missing (services need their type, "
                "locations and service areas their obec or other unit)"
            )
            return
        for rec in self.pkg.services.values():
            if rec.values["service_type_id"] is None:
                rec.row.error(
                    "id",
                    "the service has no type (an attribute with a term of the taxonomy "
                    "service_type)",
                )
            rec.values["languages"] = ",".join(
                sorted(rec.extra["languages"], key=lambda code: (code != "cs", code))
            )
            if len(rec.values["languages"]) > _max(Service, "languages"):
                rec.row.error("id", "too many languages")
        for rec in self.pkg.locations.values():
            if rec.values["municipality_id"] is None:
                rec.row.error(
                    "id",
                    "the location has no obec (an attribute cz_profile:municipality with the "
                    "ČSÚ code)",
                )
        for rec in self.pkg.areas.values():
            if rec.extra["unit"] is None:
                rec.row.error(
                    "id",
                    "the area has no unit (an attribute cz_profile:municipality, orp, district "
                    "or region with the ČSÚ code)",
                )
        # A table the package does not have leaves what it would set as it is.
        for table, targets in FIELD_SOURCES.items():
            if table in self.pkg.present:
                continue
            for records, name in targets:
                for rec in getattr(self.pkg, records).values():
                    rec.values.pop(name, None)

    def check_db_refs(self) -> None:
        by_model: dict[type[models.Model], set] = defaultdict(set)
        for model, pk, *_ in self.db_refs:
            by_model[model].add(pk)
        found: dict[type[models.Model], set] = {}
        for model, pks in by_model.items():
            found[model] = set()
            for chunk in _chunks(sorted(pks, key=str)):
                found[model].update(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        for model, pk, row, column, message in self.db_refs:
            if pk not in found[model]:
                row.error(column, message)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def validate_package(directory: Path | str, stdout=None) -> _Package:
    """Read and check the whole package; raise PackageError with every problem found."""
    say = stdout or (lambda line: None)
    directory = Path(directory)
    errors = _Errors()
    try:
        if not directory.is_dir():
            errors.add(f"{directory}: not a directory")
            raise PackageError(errors.messages)
        tables = _read_tables(directory, errors, say)
        if errors:
            raise PackageError(errors.messages)
        pkg = _Validator(tables, errors).run()
    except _TooManyErrors:
        errors.messages.append(f"(stopped after {MAX_ERRORS} errors)")
    if errors:
        raise PackageError(errors.messages)
    return pkg


# --------------------------------------------------------------------------------------
# Import: writing
# --------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    organizations: int = 0
    services: int = 0
    locations: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    in_territory: int | None = None
    ignored: dict[str, int] = field(default_factory=dict)

    def summary(self, territory: Territory | None = None) -> str:
        line = (
            f"Imported {self.services} services, {self.organizations} organizations, "
            f"{self.locations} locations (created {self.created}, updated {self.updated}"
            + (f", unchanged {self.unchanged}" if self.unchanged else "")
            + ")."
        )
        if territory is not None and self.in_territory is not None:
            line += f" {self.in_territory} of the services serve {territory.name}."
        return line


def _existing(model: type[models.Model], pks: Iterable) -> dict:
    found: dict = {}
    for chunk in _chunks(list(pks)):
        found.update(model.objects.in_bulk(chunk))
    return found


HIDDEN_KEEP = (
    "street",
    "city",
    "postal_code",
    "latitude",
    "longitude",
    "transport",
    "accessibility",
)


def _upsert(
    model: type[models.Model], records: dict[uuid.UUID, _Rec], *, now=None
) -> tuple[list, set, set]:
    """Create or update the records (unchanged ones are not written); returns
    (all objects, ids created, ids updated)."""
    existing = _existing(model, records)
    new, changed, unchanged = [], [], []
    fields: list[str] = []
    for pk, rec in records.items():
        values = dict(rec.values)
        fields = list(values)
        obj = existing.get(pk)
        if obj is None:
            new.append(model(pk=pk, **values))
            continue
        if model is Location and values["address_hidden"] and rec.extra["address_row"] is None:
            for name in HIDDEN_KEEP:  # the package cannot know a hidden address: keep ours
                if values.get(name) in ("", None):
                    values.pop(name, None)
        if all(getattr(obj, name) == value for name, value in values.items()):
            unchanged.append(obj)
            continue
        for name, value in values.items():
            setattr(obj, name, value)
        changed.append(obj)
    if now is not None and changed:
        for obj in changed:
            obj.updated_at = now
        fields.append("updated_at")
    model.objects.bulk_create(new, batch_size=CHUNK)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=CHUNK)
    return new + changed + unchanged, {o.pk for o in new}, {o.pk for o in changed}


def _sync(model: type[models.Model], service_ids: list, records: dict[uuid.UUID, _Rec]) -> set:
    """Make the rows of `model` of these services exactly `records` (matched by id);
    returns the ids of the services whose rows changed."""
    touched: set = set()
    stale = []
    for chunk in _chunks(service_ids):
        for pk, service_id in model.objects.filter(service_id__in=chunk).values_list(
            "pk", "service_id"
        ):
            if pk not in records:
                stale.append(pk)
                touched.add(service_id)
    for chunk in _chunks(stale):
        model.objects.filter(pk__in=chunk).delete()
    before: dict = {}
    for chunk in _chunks(list(records)):
        before.update(model.objects.filter(pk__in=chunk).values_list("pk", "service_id"))
    _, created, updated = _upsert(model, records)
    for pk in created | updated:
        touched.add(records[pk].values["service_id"])
        if pk in before:
            touched.add(before[pk])
    return touched


def _sync_m2m(name: str, pkg: _Package, service_ids: list) -> set:
    """Make a many-to-many relation of the services that of the package; returns the ids of
    the services whose relation changed."""
    relation = Service._meta.get_field(name)
    through = relation.remote_field.through
    source = f"{relation.m2m_field_name()}_id"
    target = f"{relation.m2m_reverse_field_name()}_id"
    wanted = {(pk, item) for pk, rec in pkg.services.items() for item in rec.extra[name]}
    current: dict[tuple, int] = {}
    for chunk in _chunks(service_ids):
        for row_id, pk, item in through.objects.filter(**{f"{source}__in": chunk}).values_list(
            "id", source, target
        ):
            current[(pk, item)] = row_id
    stale = [row_id for pair, row_id in current.items() if pair not in wanted]
    for chunk in _chunks(stale):
        through.objects.filter(id__in=chunk).delete()
    missing = sorted(wanted - current.keys(), key=str)
    through.objects.bulk_create(
        [through(**{source: pk, target: item}) for pk, item in missing], batch_size=CHUNK
    )
    return {pk for pk, _ in missing} | {pair[0] for pair in current if pair not in wanted}


def _write(pkg: _Package, say) -> ImportResult:
    now = timezone.now()
    result = ImportResult(rows=pkg.rows_read, ignored=dict(pkg.ignored))
    _, org_created, org_updated = _upsert(Organization, pkg.organizations, now=now)
    _, loc_created, loc_updated = _upsert(Location, pkg.locations)
    services, created, updated = _upsert(Service, pkg.services, now=now)
    result.organizations = len(pkg.organizations)
    result.locations = len(pkg.locations)
    result.services = len(pkg.services)
    result.created = len(org_created) + len(loc_created) + len(created)
    result.updated = len(org_updated) + len(loc_updated) + len(updated)
    result.unchanged = (
        result.organizations + result.locations + result.services - result.created - result.updated
    )
    # Services whose coverage or search text may change: refreshed at the end.
    dirty = created | updated

    # The parts of the imported services become those of the package, table by table; a
    # table the package does not have leaves that part as it is.
    service_ids = sorted(pkg.services, key=str)
    present = pkg.present
    if "service_at_location" in present:
        dirty |= _sync(ServiceAtLocation, service_ids, pkg.service_at_locations)
    if "schedule" in present:
        _sync(Schedule, service_ids, pkg.schedules)
    if "contact" in present:
        _sync(Contact, service_ids, pkg.contacts)
    for rec in pkg.areas.values():
        unit, code = rec.extra["unit"]
        rec.values.update(municipality_id=None, orp_id=None, district_id=None, region_id=None)
        rec.values[f"{unit}_id"] = code
    if "service_area" in present:
        dirty |= _sync(ServiceArea, service_ids, pkg.areas)
    for name in ("forms", "target_groups", "age_groups"):
        dirty |= _sync_m2m(name, pkg, service_ids)
    # A changed organisation or location changes the search text of its services, also of
    # services that are not in the package.
    for chunk in _chunks(sorted(org_updated, key=str)):
        dirty.update(Service.objects.filter(organization_id__in=chunk).values_list("id", flat=True))
    for chunk in _chunks(sorted(loc_updated, key=str)):
        dirty.update(
            ServiceAtLocation.objects.filter(location_id__in=chunk).values_list(
                "service_id", flat=True
            )
        )

    if "cz_registered_capacity" in present:
        for chunk in _chunks(service_ids):
            RegisteredCapacity.objects.filter(service_id__in=chunk).delete()
        RegisteredCapacity.objects.bulk_create(
            [RegisteredCapacity(**rec.values) for rec in pkg.registered], batch_size=CHUNK
        )

    # Capacity reports are history: add the missing ones, never change a stored one.
    stored = _existing(CapacityReport, pkg.reports)
    CapacityReport.objects.bulk_create(
        [
            CapacityReport(pk=pk, reported_by=None, **rec.values)
            for pk, rec in pkg.reports.items()
            if pk not in stored
        ],
        batch_size=CHUNK,
    )
    latest: dict = {}
    for chunk in _chunks(service_ids):
        for service_id, pk in (
            CapacityReport.objects.filter(service_id__in=chunk)
            .order_by("service_id", "-reported_at", "-id")
            .values_list("service_id", "pk")
        ):
            latest.setdefault(service_id, pk)
    moved = [s for s in services if s.latest_capacity_id != latest.get(s.pk)]
    for service in moved:
        service.latest_capacity_id = latest.get(service.pk)
    Service.objects.bulk_update(moved, ["latest_capacity"], batch_size=CHUNK)
    sync_room([s.pk for s in moved])

    refresh = sorted(dirty, key=str)
    say(f"Refreshing coverage and search text of {len(refresh)} services…")
    for chunk in _chunks(refresh):
        for service in (
            Service.objects.filter(pk__in=chunk)
            .select_related("service_type", "organization")
            .prefetch_related(
                "target_groups",
                "forms",
                Prefetch("locations", queryset=Location.objects.select_related("municipality")),
            )
        ):
            refresh_service(service)
    return result


def import_package(
    directory: Path | str,
    *,
    territory: Territory | None = None,
    stdout: Callable[[str], None] | None = None,
) -> ImportResult:
    """Validate the package, then write it in one transaction (upsert by id)."""
    say = stdout or (lambda line: None)
    say(f"Reading {directory}")
    pkg = validate_package(directory, stdout=say)
    say(f"Valid: {pkg.rows_read} rows.")
    with transaction.atomic():
        result = _write(pkg, say)
    if territory is not None:
        ids = sorted(pkg.services, key=str)
        result.in_territory = sum(
            ServiceCoverage.objects.filter(
                service_id__in=chunk, municipality__territories=territory
            )
            .values("service_id")
            .distinct()
            .count()
            for chunk in _chunks(ids)
        )
    for what, count in sorted(result.ignored.items()):
        say(f"Ignored {count} rows of {what}.")
    update_statistics()
    return result

"""From one registry item to plain data the directory can store, without the database.

`CodeMaps` translates the registry's codes (`DruhSocialniSluzby/13`,
`CilovaSkupinaOsoby/24`, `FormaSocialniSluzby/ter`, …) to Spojka's catalog. Without code
list files it uses Spojka's own numbering (`ServiceType.mpsv_code`, the target and age
group codes) and says which codes that numbering has not verified; with `--codelists DIR`
it matches the registry's code lists to the catalog **by name**, and a code that matches
nothing is reported as unknown, never guessed.

`Lookups` holds the territorial units (obce with their points, okresy and kraje by their
RÚIAN codes) in dictionaries, so mapping an item asks the database nothing.

`map_item` turns one item into a `ServiceData` or raises `Rejected` with the reason.
It reads only the keys it needs: `poskytovatel.statutarniOrgany` (names of people) and
`doplnkoveUdaje` (links to documents) are never read, and a hidden address
(`utajenaAdresa`) yields a location without street, postcode or address code.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from directory.validators import ico_checksum_ok

# Bump when the mapping changes so that the next import updates every record.
MAPPING_VERSION = "1"

KINDS = {
    # kind: (prefix of the registry's ids, code list file, label)
    "service_type": ("DruhSocialniSluzby", "druhy-socialni-sluzby.json", "service types"),
    "form": ("FormaSocialniSluzby", "formy-soc-sluzby.json", "forms of provision"),
    "target_group": ("CilovaSkupinaOsoby", "cilove-skupiny-osoby.json", "target groups"),
    "age_group": ("VekovaSkupinaOsoby", "vekove-skupiny-osoby.json", "age groups"),
    "capacity_type": (
        "TypKapacitySocialniSluzby",
        "typy-kapacity-socialni-sluzby.json",
        "capacity types",
    ),
}
# Letter codes are the registry's own ids; the numbered lists are Spojka's best knowledge.
LETTER_CODED = {"form", "capacity_type"}

FIELD_FORM = "ter"
MAX_NAME = 300
MAX_STREET = 200
MAX_PHONE = 40
MAX_URL = 200
MAX_EMAIL = 254


class Rejected(Exception):
    """The item cannot be used; the message is the reason shown to the operator."""


# ----------------------------------------------------------------------------- helpers
def plain(text: str) -> str:
    """Lower case, no diacritics, one kind of dash, single spaces: for matching names."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\s+", " ", text).strip(" .;,")
    return text


def code_of(ref: Any, prefix: str) -> str | None:
    """`{"id": "Prefix/123"}` → "123"; None when absent or of another kind."""
    if isinstance(ref, dict):
        ref = ref.get("id")
    if isinstance(ref, str) and ref.startswith(prefix + "/"):
        code = ref[len(prefix) + 1 :].strip()
        return code or None
    return None


def refs_in(value: Any, prefixes: tuple[str, ...], depth: int = 0) -> list[tuple[str, str]]:
    """Every `{"id": "<prefix>/<code>"}` found in a nested structure, as (prefix, code)."""
    found: list[tuple[str, str]] = []
    if depth > 6:
        return found
    if isinstance(value, dict):
        ident = value.get("id")
        if isinstance(ident, str):
            for prefix in prefixes:
                code = code_of(ident, prefix)
                if code:
                    found.append((prefix, code))
        for key, sub in value.items():
            if key != "id" and isinstance(sub, dict | list):
                found.extend(refs_in(sub, prefixes, depth + 1))
    elif isinstance(value, list):
        for sub in value:
            found.extend(refs_in(sub, prefixes, depth + 1))
    return found


def as_list(value: Any, name: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Rejected(f"malformed structure: '{name}' is not a list")
    return value


def as_dict(value: Any, name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Rejected(f"malformed structure: '{name}' is not an object")
    return value


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # {"cs": "..."} in code lists
        value = value.get("cs") or next(iter(value.values()), "")
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, str):
        return " ".join(value.split())
    return ""


def parse_date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise Rejected(f"malformed date in '{name}': {str(value)[:40]!r}")


def normalize_ico(value: Any) -> str:
    ico = text_of(value).replace(" ", "")
    if ico.isdigit() and len(ico) < 8:
        ico = ico.zfill(8)
    return ico


_url_validator = URLValidator(schemes=["http", "https"])


def clean_url(value: Any) -> str:
    url = text_of(value).strip()
    if not url:
        return ""
    if not re.match(r"^https?://", url, re.I):
        url = "http://" + url.lstrip("/")
    if len(url) > MAX_URL:
        return ""
    try:
        _url_validator(url)
    except ValidationError:
        return ""
    return url


def clean_email(value: Any) -> str:
    for candidate in re.split(r"[;,\s]+", text_of(value)):
        candidate = candidate.strip().strip("<>").removeprefix("mailto:")
        if not candidate or len(candidate) > MAX_EMAIL:
            continue
        try:
            validate_email(candidate)
        except ValidationError:
            continue
        return candidate
    return ""


def clean_phone(value: Any) -> str:
    phone = text_of(value)
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 9 and not phone.startswith("+"):
        return f"+420 {digits[0:3]} {digits[3:6]} {digits[6:9]}"
    if len(digits) == 12 and digits.startswith("420"):
        return f"+420 {digits[3:6]} {digits[6:9]} {digits[9:12]}"
    if len(digits) >= 6 and len(phone) <= MAX_PHONE:
        return phone
    return ""


def first_contact(entries: Any, key: str, clean) -> str:
    if not isinstance(entries, list):
        return ""
    for entry in entries:
        value = entry.get(key) if isinstance(entry, dict) else entry
        cleaned = clean(value)
        if cleaned:
            return cleaned
    return ""


def cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --------------------------------------------------------------------------- code maps
@dataclass
class CodeMaps:
    """Registry code → catalog primary key, per kind, and what is known about each code."""

    maps: dict[str, dict[str, int]] = field(default_factory=dict)
    # Codes mapped by Spojka's own, unverified numbering (no code list file for the kind).
    unverified: dict[str, set[str]] = field(default_factory=dict)
    # Names of codes from the code list files (for messages about unknown codes).
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    source: str = ""
    # Catalog names of service types (pk → name), for a service without a name of its own.
    type_names: dict[int, str] = field(default_factory=dict)

    def lookup(self, kind: str, code: str) -> int | None:
        return self.maps.get(kind, {}).get(code)

    def describe(self, kind: str, code: str) -> str:
        prefix = KINDS[kind][0]
        name = self.names.get(kind, {}).get(code)
        return f"{prefix}/{code}" + (f" ({name})" if name else "")

    @property
    def fingerprint(self) -> str:
        data = json.dumps(
            {k: sorted(v.items()) for k, v in self.maps.items()}, sort_keys=True
        ).encode()
        return hashlib.sha256(data).hexdigest()[:16]

    @classmethod
    def build(cls, codelists_dir: str | Path | None = None) -> CodeMaps:
        from catalog.models import AgeGroup, CapacityType, ProvisionForm, ServiceType, TargetGroup

        models = {
            "service_type": ServiceType,
            "form": ProvisionForm,
            "target_group": TargetGroup,
            "age_group": AgeGroup,
            "capacity_type": CapacityType,
        }
        maps = cls(source=str(codelists_dir or ""))
        directory = Path(codelists_dir) if codelists_dir else None
        if directory is not None and not directory.is_dir():
            raise FileNotFoundError(f"{directory}: not a directory of code lists")
        for kind, model in models.items():
            _, filename, label = KINDS[kind]
            entries = list(model.objects.all())
            if kind == "service_type":
                maps.type_names = {entry.pk: entry.name for entry in entries}
            file = directory / filename if directory else None
            if file is not None and file.is_file():
                maps._from_codelist(kind, file, entries)
                continue
            if directory is not None and kind not in LETTER_CODED:
                maps.notes.append(
                    f"no code list {filename} in {directory}: {label} mapped by Spojka's "
                    "numbering, which is not verified"
                )
            own = maps.maps.setdefault(kind, {})
            unverified = maps.unverified.setdefault(kind, set())
            for entry in entries:
                if kind == "service_type":
                    if entry.mpsv_code is None:
                        continue
                    code = str(entry.mpsv_code)
                    own[code] = entry.pk
                    if not entry.mpsv_code_confirmed:
                        unverified.add(code)
                else:
                    own[entry.code] = entry.pk
                    if kind not in LETTER_CODED:
                        unverified.add(entry.code)
        return maps

    def _from_codelist(self, kind: str, file: Path, entries: list) -> None:
        prefix = KINDS[kind][0]
        try:
            with file.open(encoding="utf-8") as fh:
                items = json.load(fh).get("polozky")
        except (OSError, ValueError, AttributeError) as exc:
            raise ValueError(f"{file}: not a code list ({exc})") from exc
        if not isinstance(items, list):
            raise ValueError(f"{file}: no list under 'polozky'")
        by_name: dict[str, int] = {}
        by_paragraph: dict[str, int] = {}
        by_code: dict[str, int] = {}
        for entry in entries:
            by_name.setdefault(plain(entry.name), entry.pk)
            by_name.setdefault(plain(re.sub(r"\s*\(.*?\)\s*$", "", entry.name)), entry.pk)
            if getattr(entry, "paragraph", ""):
                by_paragraph[entry.paragraph.lower()] = entry.pk
            by_code[entry.code] = entry.pk
        own = self.maps.setdefault(kind, {})
        names = self.names.setdefault(kind, {})
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise ValueError(f"{file}: item {index} is not an object")
            raw_id = text_of(item.get("id"))
            code = raw_id.rsplit("/", 1)[-1] if raw_id else ""
            name = text_of(item.get("nazev"))
            if not code:
                raise ValueError(f"{file}: item {index} has no 'id'")
            names[code] = name
            key = plain(name)
            pk = by_name.get(key) or by_name.get(plain(re.sub(r"\s*\(.*?\)\s*$", "", name)))
            if pk is None and kind == "service_type":
                paragraph = re.search(r"§\s*(\d+\s*[a-z]?)", name)
                if paragraph:
                    pk = by_paragraph.get(paragraph.group(1).replace(" ", "").lower())
            if pk is None and kind in LETTER_CODED:
                pk = by_code.get(code)
            if pk is not None:
                own[code] = pk
        self.notes.append(
            f"{file.name}: {len(own)} of {len(items)} {prefix} codes matched to the catalog by name"
        )


# ----------------------------------------------------------------------------- lookups
@dataclass
class Muni:
    code: int
    name: str
    latitude: float
    longitude: float
    orp: int
    district: int
    region: int


class Lookups:
    """Territorial units in memory: obce, okresy and kraje by their RÚIAN codes, ORP."""

    def __init__(self) -> None:
        from territory.models import District, Municipality, Orp, Region

        self.municipalities: dict[int, Muni] = {
            code: Muni(code, name, lat, lon, orp, district, region)
            for code, name, lat, lon, orp, district, region in Municipality.objects.values_list(
                "code", "name", "latitude", "longitude", "orp_id", "district_id", "region_id"
            )
        }
        self.districts = dict(District.objects.values_list("ruian_code", "code"))
        self.regions = dict(Region.objects.values_list("ruian_code", "code"))
        self.orps = set(Orp.objects.values_list("code", flat=True))
        self._members: dict[tuple[str, int], frozenset[int]] = {}

    def members(self, unit: str, code: int) -> frozenset[int]:
        """Obce of an ORP, okres or kraj (by their ČSÚ codes)."""
        key = (unit, code)
        if key not in self._members:
            attr = {"orp": "orp", "district": "district", "region": "region"}[unit]
            self._members[key] = frozenset(
                m.code for m in self.municipalities.values() if getattr(m, attr) == code
            )
        return self._members[key]


# -------------------------------------------------------------------------- the record
@dataclass
class LocationData:
    key: str
    name: str
    street: str
    postal_code: str
    municipality: int
    hidden: bool


@dataclass
class ProviderData:
    ico: str
    name: str
    email: str
    phone: str
    website: str


@dataclass
class ServiceData:
    portal_id: str
    identifier: str
    name: str
    service_type: int
    provider: ProviderData
    registered_from: date | None
    registered_until: date | None
    ended: bool
    email: str
    phone: str
    url: str
    eligibility: str
    forms: list[int]
    target_groups: list[int]
    age_groups: list[int]
    # (form pk, capacity type pk) → (count, note)
    capacities: dict[tuple[int, int], tuple[int, str]]
    locations: list[LocationData]
    # ("municipality" | "orp" | "district" | "region", ČSÚ code)
    areas: list[tuple[str, int]]
    # Codes that are not in the catalog or that did not resolve: (kind, code) for the report.
    unknown: list[tuple[str, str]] = field(default_factory=list)
    # Codes mapped by Spojka's own numbering, not verified against the registry's code list.
    unverified: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def municipality_codes(self, lookups: Lookups) -> set[int]:
        """Every obce the service is at or serves (for the territory filter)."""
        codes = {loc.municipality for loc in self.locations}
        for unit, code in self.areas:
            if unit == "municipality":
                codes.add(code)
            else:
                codes.update(lookups.members(unit, code))
        return codes


def describe_item(item: Any, index: int) -> str:
    """How a rejected item is named in the report: portalId and IČS when it has them."""
    if not isinstance(item, dict):
        return f"item #{index}"
    parts = []
    if item.get("portalId") not in (None, ""):
        parts.append(f"portalId {text_of(item.get('portalId'))}")
    if item.get("identifikator") not in (None, ""):
        parts.append(f"IČS {text_of(item.get('identifikator'))}")
    return " / ".join(parts) or f"item #{index}"


def content_hash(item: dict, codes: CodeMaps) -> str:
    """Hash of what the import reads from the item (and of the code mapping)."""
    provider = item.get("poskytovatel")
    if isinstance(provider, dict) and "statutarniOrgany" in provider:
        provider = {k: v for k, v in provider.items() if k != "statutarniOrgany"}
    relevant = {k: v for k, v in item.items() if k not in ("doplnkoveUdaje", "poskytovatel")}
    relevant["poskytovatel"] = provider
    data = json.dumps(relevant, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(f"{MAPPING_VERSION}:{codes.fingerprint}:".encode())
    digest.update(data.encode())
    return digest.hexdigest()


def _address_signature(address: dict) -> tuple:
    street = text_of(as_dict(address.get("ulice"), "ulice").get("nazev"))
    return (
        code_of(address.get("obec"), "Obec"),
        plain(street),
        text_of(address.get("cisloDomovni")),
        plain(text_of(address.get("cisloOrientacni"))),
    )


def _street(address: dict) -> str:
    street = text_of(as_dict(address.get("ulice"), "ulice").get("nazev"))
    house = text_of(address.get("cisloDomovni"))
    orient = text_of(address.get("cisloOrientacni"))
    number = f"{house}/{orient}" if house and orient else house or orient
    if street:
        return cut(f"{street} {number}".strip(), MAX_STREET)
    if house:
        kind = code_of(address.get("typCislaDomovniho"), "TypStavebnihoObjektu")
        return f"č. ev. {house}" if kind == "2" else f"č. p. {house}"
    return ""


def _postal_code(address: dict) -> str:
    digits = re.sub(r"\D", "", text_of(address.get("psc")))
    return f"{digits[:3]} {digits[3:]}" if len(digits) == 5 else ""


def map_item(item: Any, codes: CodeMaps, lookups: Lookups, today: date) -> ServiceData:
    """Translate one registry item; raise `Rejected` when it cannot be used."""
    if not isinstance(item, dict):
        raise Rejected("malformed structure: the item is not an object")
    portal_id = text_of(item.get("portalId"))
    if not portal_id:
        raise Rejected("no portalId")
    if len(portal_id) > 40:
        raise Rejected("malformed portalId (longer than 40 characters)")
    identifier = text_of(item.get("identifikator"))[:20]
    unknown: list[tuple[str, str]] = []
    unverified: list[tuple[str, str]] = []
    notes: list[str] = []

    def lookup(kind: str, code: str) -> int | None:
        pk = codes.lookup(kind, code)
        if pk is not None and code in codes.unverified.get(kind, ()):
            unverified.append((kind, code))
        return pk

    # The kind of service decides everything else: an unknown kind is not guessed.
    type_code = code_of(item.get("druhSocialniSluzby"), "DruhSocialniSluzby")
    if type_code is None:
        raise Rejected("no service type (druhSocialniSluzby)")
    service_type = lookup("service_type", type_code)
    if service_type is None:
        raise Rejected(f"unknown service type {codes.describe('service_type', type_code)}")

    # The provider, by IČO. statutarniOrgany is never read.
    provider_raw = as_dict(item.get("poskytovatel"), "poskytovatel")
    if not provider_raw:
        raise Rejected("no provider (poskytovatel)")
    ico = normalize_ico(provider_raw.get("ico"))
    if not ico:
        raise Rejected("provider has no IČO")
    if not ico_checksum_ok(ico):
        raise Rejected(f"bad IČO {ico[:12]!r} of the provider (not 8 digits with a valid check)")
    provider_name = text_of(provider_raw.get("nazev"))
    if not provider_name:
        raise Rejected("provider has no name")
    provider = ProviderData(
        ico=ico,
        name=cut(provider_name, MAX_NAME),
        email=first_contact(provider_raw.get("emaily"), "email", clean_email),
        phone=first_contact(provider_raw.get("telefony"), "telefon", clean_phone),
        website=first_contact(provider_raw.get("weby"), "web", clean_url),
    )

    registered_from = parse_date(item.get("datumPoskytovaniOd"), "datumPoskytovaniOd")
    registered_until = parse_date(item.get("datumPoskytovaniDo"), "datumPoskytovaniDo")
    ended = registered_until is not None and registered_until < today

    # Forms and registered capacity per form and type: never summed over facilities.
    forms: list[int] = []
    form_codes: set[str] = set()
    capacities: dict[tuple[int, int], tuple[int, str]] = {}
    for entry in as_list(item.get("formy"), "formy"):
        entry = as_dict(entry, "formy[]")
        form_code = code_of(entry.get("forma"), "FormaSocialniSluzby")
        if form_code is None:
            raise Rejected("malformed structure: a form without 'forma.id'")
        form = lookup("form", form_code)
        if form is None:
            unknown.append(("form", form_code))
            continue
        if form not in forms:
            forms.append(form)
        form_codes.add(form_code)
        for capacity in as_list(entry.get("kapacity"), "formy[].kapacity"):
            capacity = as_dict(capacity, "formy[].kapacity[]")
            type_ = code_of(capacity.get("typ"), "TypKapacitySocialniSluzby")
            count = capacity.get("pocet")
            if type_ is None or count is None:
                continue
            if isinstance(count, str) and count.strip().isdigit():
                count = int(count)
            if not isinstance(count, int | float) or isinstance(count, bool) or count < 0:
                raise Rejected(f"malformed capacity {str(count)[:20]!r} in form {form_code}")
            capacity_type = lookup("capacity_type", type_)
            if capacity_type is None:
                unknown.append(("capacity_type", type_))
                continue
            note = cut(text_of(capacity.get("popis")), 200)
            key = (form, capacity_type)
            # The same form and type listed twice is one capacity, not two.
            if key not in capacities or capacities[key][0] < int(count):
                capacities[key] = (int(count), note)

    target_groups: list[int] = []
    for entry in as_list(item.get("ciloveSkupiny"), "ciloveSkupiny"):
        for _, code in refs_in(entry, ("CilovaSkupinaOsoby",)):
            pk = lookup("target_group", code)
            if pk is None:
                unknown.append(("target_group", code))
            elif pk not in target_groups:
                target_groups.append(pk)
    age_groups: list[int] = []
    for entry in as_list(item.get("vekoveSkupiny"), "vekoveSkupiny"):
        for _, code in refs_in(entry, ("VekovaSkupinaOsoby",)):
            pk = lookup("age_group", code)
            if pk is None:
                unknown.append(("age_group", code))
            elif pk not in age_groups:
                age_groups.append(pk)

    # Facilities → locations: one per address point (a building listed twice is one).
    facilities = [as_dict(f, "zarizeni[]") for f in as_list(item.get("zarizeni"), "zarizeni")]
    current = [
        f
        for f in facilities
        if not (
            (until := parse_date(f.get("poskytujeDo"), "zarizeni[].poskytujeDo")) and until < today
        )
    ]
    facilities = current or facilities
    facility_names = [text_of(f.get("nazev")) for f in facilities]
    name = text_of(item.get("nazev")) or next((n for n in facility_names if n), "")
    if not name:
        type_name = codes.type_names.get(service_type, "")
        name = f"{type_name[:1].upper()}{type_name[1:]} – {provider.name}"
    name = cut(name, MAX_NAME)

    locations: list[LocationData] = []
    keys_by_signature: dict[tuple, str] = {}
    # First pass: address codes, so that a listing without the code joins its twin.
    for facility in facilities:
        address = as_dict(facility.get("adresa"), "zarizeni[].adresa")
        point = text_of(address.get("kodAdresnihoMista"))
        if address and point and not facility.get("utajenaAdresa"):
            keys_by_signature.setdefault(_address_signature(address), f"am:{point}")
    seen_keys: set[str] = set()
    for facility, facility_name in zip(facilities, facility_names, strict=True):
        location = _location(facility, facility_name or name, portal_id, lookups, keys_by_signature)
        if isinstance(location, str):
            notes.append(location)
            continue
        if location.key not in seen_keys:
            seen_keys.add(location.key)
            locations.append(location)
    if not locations:
        # No usable facility: the contact addresses are where people reach the service.
        for address in as_list(item.get("kontaktniAdresy"), "kontaktniAdresy"):
            location = _location(
                {"adresa": address, "nazev": name}, name, portal_id, lookups, keys_by_signature
            )
            if isinstance(location, LocationData) and location.key not in seen_keys:
                seen_keys.add(location.key)
                locations.append(location)

    # Field services come to people: the obce of their facilities and the extended scope.
    areas: list[tuple[str, int]] = []
    if FIELD_FORM in form_codes:
        for loc in locations:
            if ("municipality", loc.municipality) not in areas:
                areas.append(("municipality", loc.municipality))
        for unit in _scope(item.get("rozsirenePusobnostiVKraji"), lookups, notes):
            if unit not in areas:
                areas.append(unit)

    if not locations and not areas:
        raise Rejected(
            "no usable municipality (facilities and contact addresses lack an address "
            "or name an obec that is not known)"
        )

    email = first_contact(item.get("emaily"), "email", clean_email) or provider.email
    phone = first_contact(item.get("telefony"), "telefon", clean_phone) or provider.phone
    url = first_contact(item.get("weby"), "web", clean_url) or provider.website
    eligibility = text_of(item.get("doplnujiciInformaceVekoveSkupiny"))

    return ServiceData(
        portal_id=portal_id,
        identifier=identifier,
        name=name,
        service_type=service_type,
        provider=provider,
        registered_from=registered_from,
        registered_until=registered_until,
        ended=ended,
        email=email,
        phone=phone,
        url=url,
        eligibility=eligibility,
        forms=forms,
        target_groups=target_groups,
        age_groups=age_groups,
        capacities=capacities,
        locations=locations,
        areas=areas,
        unknown=unknown,
        unverified=unverified,
        notes=notes,
    )


def _location(
    facility: dict,
    name: str,
    portal_id: str,
    lookups: Lookups,
    keys_by_signature: dict[tuple, str],
) -> LocationData | str:
    """A location of a facility, or a note why the facility has none."""
    address = facility.get("adresa")
    if not address:
        return "facility without address"
    address = as_dict(address, "zarizeni[].adresa")
    obec = code_of(address.get("obec"), "Obec")
    if obec is None or not obec.isdigit():
        return "facility address without obec"
    muni = lookups.municipalities.get(int(obec))
    if muni is None:
        return f"unknown obec Obec/{obec}"
    if facility.get("utajenaAdresa"):
        # Never the street, the postcode or the address point: only the obec.
        return LocationData(
            key=_short_key(f"u:{portal_id}:{muni.code}"),
            name=cut(name, MAX_NAME),
            street="",
            postal_code="",
            municipality=muni.code,
            hidden=True,
        )
    signature = _address_signature(address)
    key = keys_by_signature.get(signature)
    if key is None:
        point = text_of(address.get("kodAdresnihoMista"))
        if point:
            key = f"am:{point}"
        else:
            digest = hashlib.sha1(repr(signature).encode(), usedforsecurity=False).hexdigest()
            key = f"ad:{digest[:20]}"
    return LocationData(
        key=_short_key(key),
        name=cut(name, MAX_NAME),
        street=_street(address),
        postal_code=_postal_code(address),
        municipality=muni.code,
        hidden=False,
    )


def _short_key(key: str) -> str:
    """Location keys fit Location.mpsv_facility_id (40 characters)."""
    if len(key) <= 40:
        return key
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    return f"{key[:2]}{digest[:30]}"


_SCOPE_PREFIXES = ("Obec", "Okres", "Kraj", "Orp", "ORP", "ObecSRozsirenouPusobnosti")


def _scope(value: Any, lookups: Lookups, notes: list[str]) -> list[tuple[str, int]]:
    """`rozsirenePusobnostiVKraji` → areas, where it names obce, ORP, okresy or kraje.

    In each entry the most specific units count: an entry that names a kraj and obce in
    it means those obce, not the whole kraj.
    """
    if not value:
        return []
    entries = value if isinstance(value, list) else [value]
    units: list[tuple[str, int]] = []
    understood = False
    for entry in entries:
        refs = refs_in(entry, _SCOPE_PREFIXES)
        if not refs:
            continue
        understood = True
        specific = [r for r in refs if r[0] != "Kraj"] or refs
        for prefix, code in specific:
            if not code.isdigit():
                continue
            number = int(code)
            if prefix == "Obec" and number in lookups.municipalities:
                units.append(("municipality", number))
            elif prefix == "Okres" and number in lookups.districts:
                units.append(("district", lookups.districts[number]))
            elif prefix == "Kraj" and number in lookups.regions:
                units.append(("region", lookups.regions[number]))
            elif prefix not in ("Obec", "Okres", "Kraj") and number in lookups.orps:
                units.append(("orp", number))
            else:
                notes.append(f"unknown unit {prefix}/{code} in rozsirenePusobnostiVKraji")
    if not understood:
        notes.append("rozsirenePusobnostiVKraji not understood")
    return units


def count_unknown(counter: Counter, data: ServiceData) -> None:
    for kind, code in set(data.unknown):
        counter[(kind, code)] += 1

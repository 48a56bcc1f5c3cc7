"""Generate a national-scale directory into the benchmark's own database.

Deterministic: every choice and every UUID comes from one seeded `random.Random`, and all
dates are relative to a reference moment stored with the data (see `run.py`, which shifts
capacity reports when a cached database is reused later).

Fast: organisations are built in ten chunks; each chunk is written with `bulk_create` in
one transaction. The search text of each service comes from the application's own
`directory.services.build_search_text` (fed with in-memory related objects instead of
queries) and `spojka.text.normalize`; the FTS5 triggers index it on insert. Coverage
(`ServiceCoverage`) is computed here in bulk with the same rule as
`directory.services.covered_municipality_codes`: every obec of every area, and the obce of
the service's locations (those not "by area").
"""

from __future__ import annotations

import random
import re
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.db import connection, transaction

from bench import texts
from catalog.models import AgeGroup, CapacityType, ProvisionForm, ServiceType, TargetGroup
from directory.models import (
    CapacityReport,
    Location,
    Organization,
    RegisteredCapacity,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCoverage,
)
from directory.services import build_search_text
from directory.validators import ico_with_checksum
from spojka import text as normaliser
from spojka.text import strip_diacritics
from territory.models import District, Municipality, Orp, Region, Territory

# Bump when the generated data changes shape (the cache key includes it).
GENERATOR_VERSION = 1

NATIONAL_SLUG = "cr"
REGION_SLUG = "jihomoravsky-kraj"
REGION_NAME = "Jihomoravský kraj"

# How common each kind of help is (roughly as in the MPSV registry); unknown codes get 1.
TYPE_WEIGHTS = {
    "37": 10,
    "39": 4,
    "40": 10,
    "41": 1,
    "42": 0.6,
    "43": 2.5,
    "44": 4,
    "45": 1,
    "46": 3,
    "47": 0.6,
    "48": 3.5,
    "49": 7,
    "50": 5,
    "51": 2.5,
    "52": 2,
    "54": 1.2,
    "55": 0.5,
    "56": 0.5,
    "57": 2.5,
    "58": 0.7,
    "59": 1,
    "60": 1,
    "60a": 0.3,
    "61": 1.2,
    "62": 3.5,
    "63": 1,
    "64": 0.6,
    "65": 5,
    "66": 1.5,
    "67": 2,
    "68": 0.4,
    "69": 3,
    "70": 4,
}
KIND_TYPES = {
    "charita": [
        "40",
        "44",
        "49",
        "37",
        "65",
        "61",
        "63",
        "57",
        "69",
        "39",
        "46",
        "70",
        "potravinova-pomoc",
        "hospic",
    ],
    "diakonie": ["39", "40", "43", "46", "51", "67", "70", "65", "37", "dobrovolnictvi"],
    "obec": [
        "40",
        "49",
        "46",
        "44",
        "50",
        "45",
        "socialni-prace-obce",
        "ospod",
        "komunitni-aktivita",
    ],
    "sro": ["40", "39", "41", "49", "50", "zdravotni-pece-doma", "fakultativni-cinnost"],
}
# Forms of provision by type: (main forms, optional extra form, probability of the extra).
RESIDENTIAL = {"47", "48", "49", "50", "51", "52", "57", "58", "68"}
FIELD = {
    "39",
    "40",
    "41",
    "42",
    "43",
    "54",
    "65",
    "66",
    "69",
    "zdravotni-pece-doma",
    "hospic",
    "fakultativni-cinnost",
}
EXTRA_FORM = {
    "37": ("ter", 0.3),
    "40": ("amb", 0.1),
    "44": ("pob", 0.5),
    "60": ("pob", 0.3),
    "60a": ("ter", 0.5),
    "70": ("ter", 0.4),
    "64": ("pob", 0.3),
    "62": ("ter", 0.2),
    "59": ("ter", 0.3),
    "65": ("amb", 0.3),
    "57": ("amb", 0.1),
    "cdz": ("ter", 0.6),
}
HIDDEN_ADDRESS_TYPES = {"60a"}  # and shelters for women, see _service()
REGIONAL_CAPITALS = {
    "Praha": 6,
    "Brno": 3,
    "Ostrava": 2,
    "Plzeň": 1.5,
    "Olomouc": 1.2,
    "Liberec": 1,
    "České Budějovice": 1,
    "Hradec Králové": 1,
    "Pardubice": 1,
    "Ústí nad Labem": 1,
    "Karlovy Vary": 0.8,
    "Jihlava": 0.8,
    "Zlín": 0.9,
    "Kladno": 0.8,
}


@dataclass(frozen=True)
class Scale:
    services: int = 100_000
    organizations: int = 20_000
    seed: int = 20_250_602
    chunks: int = 10


@dataclass
class _Org:
    obj: Organization
    kind: str
    seat: Municipality
    brand: str
    short: str
    n_services: int
    seat_location: Location | None = None
    branches: list | None = None


@contextmanager
def memoised_normaliser() -> Iterator[None]:
    """Memoise spojka.text's per-word stop-word test while generating.

    It is a pure function of one word, called for every word of every document; the
    vocabulary is small, so a cache turns most of the normalising time into look-ups. The
    application's own functions still do all the work (`verify_sample` in run.py checks it).
    """
    saved = {}
    for name in ("is_stopword",):
        function = getattr(normaliser, name, None)
        if callable(function) and not hasattr(function, "cache_info"):
            saved[name] = function
            setattr(normaliser, name, lru_cache(maxsize=500_000)(function))
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(normaliser, name, function)


def normalize(text: str) -> str:
    return normaliser.normalize(text)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text).lower()).strip("-")[:40] or "org"


class Generator:
    def __init__(self, scale: Scale, now: datetime, say: Callable[[str], None] = print):
        self.scale = scale
        self.now = now
        self.say = say
        self.rng = random.Random(scale.seed)
        self.counts: dict[str, int] = defaultdict(int)

    # ----------------------------------------------------------------- helpers
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def phone(self) -> str:
        r = self.rng
        return (
            f"+420 {r.choice('57367')}{r.randrange(10, 100)} {r.randrange(100, 1000)} "
            f"{r.randrange(100, 1000)}"
        )

    # ------------------------------------------------------------ reference data
    def load_reference(self) -> None:
        self.municipalities = list(Municipality.objects.order_by("code"))
        if len(self.municipalities) < 6000:
            raise RuntimeError(
                f"only {len(self.municipalities)} municipalities in the database; "
                "the territory data migration did not run"
            )
        self.by_code = {m.code: m for m in self.municipalities}
        self.by_orp: dict[int, list[Municipality]] = defaultdict(list)
        self.by_district: dict[int, list[int]] = defaultdict(list)
        self.by_region: dict[int, list[int]] = defaultdict(list)
        for m in self.municipalities:
            self.by_orp[m.orp_id].append(m)
            self.by_district[m.district_id].append(m.code)
            self.by_region[m.region_id].append(m.code)
        self.orp_ids = sorted(self.by_orp)
        # The seat of an ORP is the obec of the same name (Kyjov in ORP Kyjov).
        self.orp_names = dict(Orp.objects.values_list("code", "name"))
        self.district_names = dict(District.objects.values_list("code", "name"))
        self.orp_seat = {}
        for orp_id, members in self.by_orp.items():
            same = [m for m in members if m.name == self.orp_names[orp_id]]
            self.orp_seat[orp_id] = same[0] if same else members[0]
        capitals = []
        for name, weight in REGIONAL_CAPITALS.items():
            seats = [s for s in self.orp_seat.values() if s.name == name]
            if seats:
                capitals.append((seats[0], weight))
        self.capitals = [c for c, _ in capitals]
        self.capital_weights = [w for _, w in capitals]

        self.types = list(ServiceType.objects.order_by("order", "code"))
        if len(self.types) < 20:
            raise RuntimeError(
                f"only {len(self.types)} service types in the database; "
                "the code-list migration (catalog 0002) did not run"
            )
        self.types_by_code = {t.code: t for t in self.types}
        self.type_weights = [TYPE_WEIGHTS.get(t.code, 1.0) for t in self.types]
        self.forms = {f.code: f for f in ProvisionForm.objects.all()}
        self.groups = list(TargetGroup.objects.order_by("order", "code"))
        self.ages = list(AgeGroup.objects.order_by("order", "code"))
        self.capacity_types = {c.code: c for c in CapacityType.objects.all()}
        self._group_affinity()
        self._type_sentences()

    def _group_affinity(self) -> None:
        """For each type, the target groups its own words point to (most overlap first)."""
        group_terms = [(g, set(normalize(f"{g.name} {g.keywords}").split())) for g in self.groups]
        self.affinity: dict[str, list[TargetGroup]] = {}
        for t in self.types:
            terms = set(normalize(f"{t.name} {t.description} {t.keywords}").split())
            scored = sorted(
                ((len(terms & gt), g.code, g) for g, gt in group_terms), key=lambda x: -x[0]
            )
            self.affinity[t.code] = [g for score, _, g in scored[:4] if score >= 2]

    def _type_sentences(self) -> None:
        self.type_sentences: dict[str, list[str]] = {}
        self.type_keywords: dict[str, list[str]] = {}
        for t in self.types:
            sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", t.description) if s]
            self.type_sentences[t.code] = sentences
            # Keywords are a space- or line-separated list; take two-word chunks as phrases.
            kw = t.keywords.split()
            self.type_keywords[t.code] = [
                " ".join(kw[i : i + self.rng.choice((1, 2))]) for i in range(0, len(kw), 2)
            ] or [t.name]

    # ----------------------------------------------------------------- organisations
    def choose_seat(self) -> Municipality:
        r = self.rng.random()
        if r < 0.35 and self.capitals:
            return self.rng.choices(self.capitals, self.capital_weights)[0]
        if r < 0.75:
            return self.orp_seat[self.pick(self.orp_ids)]
        return self.pick(self.municipalities)

    def build_organizations(self) -> list[_Org]:
        kinds = texts.ORG_KINDS
        weights = [k[3] for k in kinds]
        orgs: list[_Org] = []
        for i in range(self.scale.organizations):
            kind, templates, legal, _, (lo, hi) = self.rng.choices(kinds, weights)[0]
            seat = self.choose_seat()
            brand = self.pick(texts.BRANDS)
            name = self.pick(templates).format(town=seat.name, brand=brand)
            short = (
                brand
                if "{brand}" in name or kind in {"spolek", "ustav", "ops", "sro"}
                else seat.name
            )
            slug = _slug(
                f"{brand}-{seat.name}" if kind in {"spolek", "ustav", "ops", "sro"} else name
            )
            ico = ico_with_checksum(f"{1_000_000 + i * 397 % 8_999_000:07d}")
            obj = Organization(
                id=self.uuid(),
                name=name,
                alternate_name=short if short != name else "",
                description=(
                    f"{name} poskytuje sociální služby a další pomoc lidem v obci {seat.name} "
                    f"a v okrese {self.district_names[seat.district_id]}."
                ),
                ico=ico,
                legal_status=legal,
                email=f"info@{slug}.cz",
                website=f"https://www.{slug}.cz/",
                phone=self.phone(),
            )
            n = self.rng.randint(lo, hi)
            orgs.append(_Org(obj=obj, kind=kind, seat=seat, brand=brand, short=short, n_services=n))
        # Scale the numbers of services to exactly the target total.
        total = sum(o.n_services for o in orgs)
        while total < self.scale.services:
            self.pick(orgs).n_services += 1
            total += 1
        while total > self.scale.services:
            o = self.pick(orgs)
            if o.n_services > 1:
                o.n_services -= 1
                total -= 1
        return orgs

    # ------------------------------------------------------------------- locations
    def make_location(
        self, org: _Org, muni: Municipality, *, hidden: bool = False, name: str = ""
    ) -> Location:
        r = self.rng
        loc = Location(
            id=self.uuid(),
            organization=org.obj,
            name=name or f"{org.short} – {muni.name}",
            street="" if hidden else f"{self.pick(texts.STREETS)} {r.randint(1, 2500)}",
            city=muni.name,
            postal_code=f"{r.randint(100, 799)} {r.randint(0, 99):02d}",
            municipality=muni,
            latitude=round(muni.latitude + r.uniform(-0.01, 0.01), 6),
            longitude=round(muni.longitude + r.uniform(-0.015, 0.015), 6),
            accessibility=r.choice(
                [
                    "",
                    "",
                    "Bezbariérový vstup z ulice.",
                    "Bezbariérový přístup výtahem, WC pro vozíčkáře.",
                    "Vstup po schodech, bezbariérový přístup není.",
                ]
            ),
            transport=r.choice(
                [
                    "",
                    "",
                    "5 minut pěšky od autobusové zastávky.",
                    "Zastávka MHD přímo před budovou.",
                    "Parkování ve dvoře.",
                ]
            ),
            address_hidden=hidden,
        )
        self.new_locations.append(loc)
        return loc

    def service_location(self, org: _Org) -> Location:
        if org.seat_location is None:
            org.seat_location = self.make_location(org, org.seat, name=f"{org.short} – sídlo")
            org.branches = []
        r = self.rng.random()
        if r < 0.6 or org.n_services < 3:
            return org.seat_location
        if org.branches and r < 0.85:
            return self.pick(org.branches)
        muni = self.pick(self.by_orp[org.seat.orp_id])
        branch = self.make_location(org, muni, name=f"{org.short} – pobočka {muni.name}")
        org.branches.append(branch)
        return branch

    # -------------------------------------------------------------------- services
    def choose_type(self, org: _Org) -> ServiceType:
        preferred = [
            self.types_by_code[c] for c in KIND_TYPES.get(org.kind, []) if c in self.types_by_code
        ]
        if preferred and self.rng.random() < 0.6:
            return self.pick(preferred)
        return self.rng.choices(self.types, self.type_weights)[0]

    def choose_forms(self, stype: ServiceType) -> list[ProvisionForm]:
        code = stype.code
        main = "pob" if code in RESIDENTIAL else "ter" if code in FIELD else "amb"
        if code == "44":
            main = self.rng.choice(["ter", "amb", "pob"])
        codes = [main]
        extra = EXTRA_FORM.get(code)
        if extra and extra[0] != main and self.rng.random() < extra[1]:
            codes.append(extra[0])
        return [self.forms[c] for c in codes if c in self.forms]

    def choose_groups(self, stype: ServiceType) -> list[TargetGroup]:
        near = self.affinity.get(stype.code) or []
        chosen: list[TargetGroup] = []
        if near:
            k = min(len(near), self.rng.randint(1, 3))
            chosen = self.rng.sample(near, k)
        if not chosen or self.rng.random() < 0.25:
            extra = self.pick(self.groups)
            if extra not in chosen:
                chosen.append(extra)
        return chosen

    def choose_ages(self, stype: ServiceType) -> list[AgeGroup]:
        ages = [a for a in self.ages if a.min_age is not None or a.max_age is not None]
        if not ages:
            return []
        words = f"{stype.name} {stype.keywords}".lower()
        if "senior" in words and "děti" not in words:
            lo, hi = len(ages) - 3, len(ages)
        elif any(w in words for w in ("dítě", "děti", "mládež", "teenage")):
            lo, hi = 0, min(len(ages), self.rng.randint(3, 5))
        else:
            lo = self.rng.randint(0, len(ages) - 2)
            hi = self.rng.randint(lo + 1, len(ages))
        return ages[max(0, lo) : hi]

    def describe(
        self, org: _Org, stype: ServiceType, name: str, loc: Location, groups: list[TargetGroup]
    ) -> str:
        r = self.rng
        neighbours = self.by_orp[loc.municipality.orp_id]
        fill = {
            "orp": self.orp_names[loc.municipality.orp_id],
            "town": loc.municipality.name,
            "town2": self.pick(neighbours).name,
            "town3": self.pick(neighbours).name,
            "district": self.district_names[loc.municipality.district_id],
        }
        sentences: list[str] = []
        own = self.type_sentences.get(stype.code) or []
        if own and r.random() < 0.7:
            sentences.extend(own[: r.randint(1, len(own))])
        sentences.append(self.pick(texts.OPENINGS).format(**fill))
        kws = r.sample(
            self.type_keywords[stype.code],
            min(len(self.type_keywords[stype.code]), r.randint(2, 4)),
        )
        kw_text = ", ".join(kws[:-1]) + f" nebo {kws[-1]}" if len(kws) > 1 else kws[0]
        sentences.append(self.pick(texts.KEYWORD_SENTENCES).format(kws=kw_text))
        pool = texts.ACTIVITIES.get(stype.category, texts.ACTIVITIES["jina"])
        sentences.extend(r.sample(pool, min(len(pool), r.randint(1, 3))))
        if groups and r.random() < 0.5:
            sentences.append(f"Zaměřujeme se hlavně na tyto skupiny: {groups[0].name}.")
        sentences.extend(r.sample(texts.PRACTICAL, r.randint(0, 2)))
        return " ".join(sentences)

    def eligibility(self, groups: list[TargetGroup], ages: list[AgeGroup]) -> str:
        """Who the service is for, worded in several ways as real providers do."""
        names = "; ".join(g.name for g in groups)
        text = self.pick(texts.ELIGIBILITY).format(groups=names)
        if ages and self.rng.random() < 0.4:
            text += " " + self.pick(texts.AGES).format(ages=", ".join(a.name for a in ages))
        return text

    def service_name(self, org: _Org, stype: ServiceType, town: str) -> str:
        variants = texts.NAME_VARIANTS.get(stype.code, [])
        base = texts.SINGULAR.get(stype.code, stype.name[:1].upper() + stype.name[1:])
        if variants and self.rng.random() < 0.6:
            base = self.pick(variants)
        pattern = self.pick(texts.SERVICE_NAME_PATTERNS)
        return pattern.format(
            base=base,
            base_lower=base[:1].lower() + base[1:],
            town=town,
            brand=org.brand,
            short=org.short,
        )

    def build_service(self, org: _Org) -> None:
        r = self.rng
        stype = self.choose_type(org)
        forms = self.choose_forms(stype)
        groups = self.choose_groups(stype)
        ages = self.choose_ages(stype)
        is_field = any(f.is_field for f in forms)
        loc = self.service_location(org)
        name = self.service_name(org, stype, loc.municipality.name)
        hidden = stype.code in HIDDEN_ADDRESS_TYPES or (
            stype.code == "57" and ("žen" in name or "matk" in name) and r.random() < 0.7
        )
        if hidden:
            loc = self.make_location(
                org, loc.municipality, hidden=True, name=f"{name} (utajená adresa)"
            )
        locations = [loc]
        if not hidden and org.branches and r.random() < 0.05:
            other = self.pick(org.branches)
            if other is not loc:
                locations.append(other)
        registered = stype.is_registered
        status = r.choices(["active", "inactive", "defunct"], [97, 2, 1])[0]
        service = Service(
            id=self.uuid(),
            organization=org.obj,
            name=name[:300],
            alternate_name=r.choice(["", "", "", org.short]),
            service_type=stype,
            description=self.describe(org, stype, name, loc, groups),
            eligibility=self.eligibility(groups, ages),
            application_process=self.pick(texts.APPLICATION),
            is_free=stype.category != "pece",
            fees_description="" if stype.category != "pece" else self.pick(texts.FEES),
            languages=r.choice(["cs", "cs", "cs", "cs,sk", "cs,en", "cs,uk", "cs,sk,en"]),
            email=org.obj.email,
            phone=self.phone(),
            url=org.obj.website,
            status=status,
            mpsv_identifier=f"{r.randrange(1_000_000, 9_999_999)}" if registered else "",
            registered_from=(date(2007, 1, 1) + timedelta(days=r.randrange(6000)))
            if registered
            else None,
        )
        # Feed the application's own build_search_text with in-memory relations, in the
        # order the database would return them (the models' Meta.ordering).
        groups.sort(key=lambda g: (g.order, g.name))
        forms.sort(key=lambda f: (f.order, f.name))
        service._prefetched_objects_cache = {
            "target_groups": groups,
            "forms": forms,
            "locations": locations,
        }
        title, body = build_search_text(service)
        service.search_title = normalize(title)
        service.search_document = normalize(body)
        del service._prefetched_objects_cache

        sid = service.id
        self.new_services.append(service)
        for loc_ in locations:
            self.new_sal.append(
                ServiceAtLocation(id=self.uuid(), service_id=sid, location_id=loc_.id)
            )
        hex_id = sid.hex  # how Django stores a UUID in SQLite
        self.new_forms.extend((hex_id, f.id) for f in forms)
        self.new_groups.extend((hex_id, g.id) for g in groups)
        self.new_ages.extend((hex_id, a.id) for a in ages)

        # Coverage: areas first (by_area=True), then the locations' obce override.
        coverage: dict[int, bool] = {}
        if is_field:
            seat = loc.municipality
            x = r.random()
            if x < 0.75:
                self.new_areas.append(
                    ServiceArea(id=self.uuid(), service_id=sid, orp_id=seat.orp_id)
                )
                for m in self.by_orp[seat.orp_id]:
                    coverage[m.code] = True
            elif x < 0.90:
                pool = self.by_orp[seat.orp_id]
                for m in r.sample(pool, min(len(pool), r.randint(3, 8))):
                    self.new_areas.append(
                        ServiceArea(id=self.uuid(), service_id=sid, municipality_id=m.code)
                    )
                    coverage[m.code] = True
            elif x < 0.98:
                self.new_areas.append(
                    ServiceArea(id=self.uuid(), service_id=sid, district_id=seat.district_id)
                )
                for code in self.by_district[seat.district_id]:
                    coverage[code] = True
            else:
                self.new_areas.append(
                    ServiceArea(id=self.uuid(), service_id=sid, region_id=seat.region_id)
                )
                for code in self.by_region[seat.region_id]:
                    coverage[code] = True
        for loc_ in locations:
            coverage[loc_.municipality_id] = False
        self.new_coverage.extend((hex_id, code, by_area) for code, by_area in coverage.items())

        # Capacity: none / free / full / stale, some with an older report as history.
        x = r.random()
        if x >= 0.35:
            if x < 0.58:
                age = timedelta(minutes=r.randrange(5, 29 * 24 * 60))
                free, waiting, wait_days = r.randint(1, 12), 0, None
                note = self.pick(texts.NOTES_FREE) if r.random() < 0.3 else ""
            elif x < 0.80:
                age = timedelta(minutes=r.randrange(5, 29 * 24 * 60))
                free, waiting = 0, r.randint(1, 80)
                wait_days = r.choice([None, 14, 30, 60, 90, 180, 365])
                note = self.pick(texts.NOTES_FULL) if r.random() < 0.4 else ""
            else:
                age = timedelta(days=r.randint(31, 400))
                free, waiting, wait_days = r.randint(0, 6), r.randint(0, 30), None
                note = ""
            latest = CapacityReport(
                id=self.uuid(),
                service_id=sid,
                free_places=free,
                waiting_list=waiting,
                typical_wait_days=wait_days,
                note=note,
                reported_at=self.now - age,
            )
            self.new_reports.append(latest)
            service.latest_capacity_id = latest.id
            # As directory.services.report_capacity keeps it: when there was room.
            service.room_reported_at = latest.reported_at if free > 0 else None
            if r.random() < 0.25:
                self.new_reports.append(
                    CapacityReport(
                        id=self.uuid(),
                        service_id=sid,
                        free_places=r.randint(0, 8),
                        waiting_list=r.randint(0, 40),
                        reported_at=self.now - age - timedelta(days=r.randint(20, 200)),
                    )
                )
        if registered and r.random() < 0.6:
            form = forms[0]
            ctype = self.capacity_types.get("luzka" if form.code == "pob" else "klient") or next(
                iter(self.capacity_types.values())
            )
            self.new_registered.append(
                RegisteredCapacity(
                    service_id=sid,
                    form=form,
                    capacity_type=ctype,
                    count=r.randint(5, 120),
                    note="",
                )
            )

    # ----------------------------------------------------------------------- writing
    def _reset_buffers(self) -> None:
        self.new_locations: list[Location] = []
        self.new_services: list[Service] = []
        self.new_sal: list[ServiceAtLocation] = []
        # Link tables get plain rows (see _insert_rows): (service id, other id).
        self.new_forms: list[tuple[str, int]] = []
        self.new_groups: list[tuple[str, int]] = []
        self.new_ages: list[tuple[str, int]] = []
        self.new_areas: list[ServiceArea] = []
        self.new_coverage: list[tuple[str, int, bool]] = []  # raw rows, see _insert_coverage
        self.new_reports: list[CapacityReport] = []
        self.new_registered: list[RegisteredCapacity] = []

    def _flush(self, orgs: list[_Org]) -> None:
        batches = [
            ("organizations", Organization, [o.obj for o in orgs]),
            ("locations", Location, self.new_locations),
            ("services", Service, self.new_services),
            ("service_at_location", ServiceAtLocation, self.new_sal),
            ("service_areas", ServiceArea, self.new_areas),
            # Services point to their latest report: the FK is checked at commit.
            ("capacity_reports", CapacityReport, self.new_reports),
            ("registered_capacities", RegisteredCapacity, self.new_registered),
        ]
        with transaction.atomic():
            for key, model, objs in batches:
                model.objects.bulk_create(objs, batch_size=2000)
                self.counts[key] += len(objs)
            # Link tables and the derived coverage (16 rows a service) have no behaviour
            # worth model instances: plain rows in one executemany each.
            links = [
                (
                    "service_forms",
                    Service.forms.through,
                    ("service", "provisionform"),
                    self.new_forms,
                ),
                (
                    "service_target_groups",
                    Service.target_groups.through,
                    ("service", "targetgroup"),
                    self.new_groups,
                ),
                (
                    "service_age_groups",
                    Service.age_groups.through,
                    ("service", "agegroup"),
                    self.new_ages,
                ),
                (
                    "coverage_rows",
                    ServiceCoverage,
                    ("service", "municipality", "by_area"),
                    self.new_coverage,
                ),
            ]
            for key, model, fields, rows in links:
                self._insert_rows(model, fields, rows)
                self.counts[key] += len(rows)

    @staticmethod
    def _insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
        meta = model._meta
        columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        sql = (
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "
            f"VALUES ({placeholders})"
        )
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 50_000):
                cursor.executemany(sql, rows[start : start + 50_000])

    def make_territories(self) -> None:
        national, _ = Territory.objects.update_or_create(
            slug=NATIONAL_SLUG,
            defaults={
                "name": "Česká republika",
                "kind": Territory.Kind.NATIONAL,
                "intro": "Sociální služby a další pomoc v celé republice (data pro benchmark).",
                "contact_name": "Koordinátor portálu",
                "contact_role": "koordinátor",
                "contact_email": "portal@example.cz",
            },
        )
        region = Region.objects.filter(name=REGION_NAME).first() or Region.objects.first()
        regional, _ = Territory.objects.update_or_create(
            slug=REGION_SLUG,
            defaults={
                "name": region.name,
                "kind": Territory.Kind.REGION,
                "intro": f"Pomoc v kraji: {region.name}.",
            },
        )
        through = Territory.municipalities.through
        through.objects.filter(territory__in=[national, regional]).delete()
        rows = [
            through(territory_id=national.id, municipality_id=m.code) for m in self.municipalities
        ]
        rows += [
            through(territory_id=regional.id, municipality_id=code)
            for code in self.by_region[region.code]
        ]
        through.objects.bulk_create(rows, batch_size=2000)
        self.counts["territories"] = 2
        self.counts["municipalities"] = len(self.municipalities)
        self.counts["region_municipalities"] = len(self.by_region[region.code])

    def run(self) -> dict[str, int]:
        with memoised_normaliser():
            return self._run()

    def _run(self) -> dict[str, int]:
        start = time.perf_counter()
        self.load_reference()
        orgs = self.build_organizations()
        self.make_territories()
        n_chunks = max(1, self.scale.chunks)
        size = -(-len(orgs) // n_chunks)
        for i in range(n_chunks):
            chunk = orgs[i * size : (i + 1) * size]
            self._reset_buffers()
            for org in chunk:
                for _ in range(org.n_services):
                    self.build_service(org)
            self._flush(chunk)
            self.say(
                f"  generate: {100 * (i + 1) // n_chunks:3d} %  "
                f"{self.counts['organizations']:,} organisations, "
                f"{self.counts['services']:,} services, "
                f"{self.counts['coverage_rows']:,} coverage rows  "
                f"({time.perf_counter() - start:.1f} s)"
            )
        self._reset_buffers()
        return dict(self.counts)

"""Import of the MPSV registry of social services into the directory.

`import_registry(location, …)` streams the registry file (a path or an http(s) URL) and
upserts every registered service by its stable `portalId`:

- a record whose content hash matches the last import is **unchanged**: nothing is
  written (a second import of the same file changes nothing);
- a new record is **created** (organisation by IČO, service, locations, forms, target and
  age groups, registered capacity per form and capacity type, service areas of field
  services), a changed record is **updated**;
- a record whose `datumPoskytovaniDo` has passed is **ended**: the service is kept with
  status `defunct` and `registered_until`, never deleted;
- a record that cannot be used is **rejected** with its identifier and the reason;
- a service imported before but missing from the file is left as it was and counted
  (the registry keeps ended registrations with their end date, so a missing record is
  more likely an error of the export than the end of a service; its status is a human
  decision);
- with a territory, services that have no facility and no service area in the
  territory's obce are **skipped**.

Each service is written in its own transaction (a savepoint inside an outer one), so a run
that is interrupted (a broken file, a lost connection, Ctrl+C) leaves only complete
services; the next run continues where the data differs.

What the registry owns is overwritten on change: the service's name, type, forms, groups,
contacts, registration dates, its MPSV locations, registered capacity and service areas;
what providers add in Spojka (descriptions, their own locations, capacity reports) is
kept. `statutarniOrgany` is never read, stored or logged.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from catalog.models import AgeGroup, ProvisionForm, ServiceType, TargetGroup
from directory.models import (
    Location,
    Organization,
    RegisteredCapacity,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCoverage,
)
from directory.services import build_search_text, refresh_service, update_statistics
from mpsv.mapping import (
    KINDS,
    CodeMaps,
    Lookups,
    Rejected,
    ServiceData,
    content_hash,
    describe_item,
    map_item,
    text_of,
)
from mpsv.models import ImportRun, RegistryRecord
from mpsv.reader import BrokenFileError, SourceError, iter_items, open_source
from spojka.text import normalize
from territory.models import Municipality, Territory

REJECTIONS_SHOWN = 50
COMMIT_EVERY = 200
COMMIT_SECONDS = 1.0
AREA_UNITS = ("municipality", "orp", "district", "region")

# progress(items_done, bytes_read, total_bytes or None, final)
ProgressCallback = Callable[[int, int, int | None, bool], None]


class ImportFailed(Exception):
    """The run could not start or broke off; `result` holds what was done until then."""

    def __init__(self, message: str, result: ImportResult | None = None):
        super().__init__(message)
        self.result = result


@dataclass
class ImportResult:
    source: str = ""
    territory: str = ""
    items: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0
    rejected: int = 0
    skipped: int = 0
    missing: int = 0
    missing_examples: list[str] = field(default_factory=list)
    rejections: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None

    def summary_line(self) -> str:
        return (
            f"MPSV import: created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, ended {self.ended}, rejected {self.rejected} "
            f"(skipped outside territory {self.skipped})."
        )

    def report_lines(self, shown: int = REJECTIONS_SHOWN) -> list[str]:
        lines = [self.summary_line()]
        if self.rejections:
            lines.append(
                f"Rejected records ({min(shown, len(self.rejections))} of {self.rejected}):"
            )
            lines.extend(f"  {ident}: {reason}" for ident, reason in self.rejections[:shown])
        if self.missing:
            examples = ", ".join(self.missing_examples)
            lines.append(
                f"{self.missing} services imported earlier are not in this file and were left "
                f"as they were (portalId {examples}{', …' if self.missing > 10 else ''})."
            )
        if self.warnings:
            lines.append("Warnings:")
            lines.extend(f"  {w}" for w in self.warnings)
        return lines


@dataclass
class _Known:
    """What the import remembers of one record (one row of RegistryRecord)."""

    service_id: object
    digest: str
    ended: bool


def insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT plain rows in one statement: `bulk_create` without building model instances.

    Values are prepared by the model's fields (UUIDs as SQLite text, etc.); every column
    without a database default must be given (UUID primary keys included).
    """
    if not rows:
        return
    columns, statement = _insert_statement(model, fields, connection.vendor)
    params: list = []
    for row in rows:
        params.extend(
            f.get_db_prep_save(value, connection) for f, value in zip(columns, row, strict=True)
        )
    placeholders = statement[1]
    sql = statement[0] + ", ".join([placeholders] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@functools.cache
def _insert_statement(model, fields: tuple[str, ...], vendor: str):
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    head = f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in columns)}) VALUES "
    return columns, (head, "(" + ", ".join(["%s"] * len(columns)) + ")")


def insert_objects(model, objects: list) -> None:
    """INSERT model instances (all concrete fields, `pre_save` applied, so `auto_now` and
    defaults work as in `save`) without the per-object work of `save` or `bulk_create`.
    An auto-incremented primary key is left to the database and not read back."""
    fields = [
        f
        for f in model._meta.local_concrete_fields
        if not getattr(f, "generated", False) and not (f.primary_key and f.db_returning)
    ]
    rows = [tuple(f.pre_save(obj, True) for f in fields) for obj in objects]
    insert_rows(model, tuple(f.name for f in fields), rows)


def _ordered(entries) -> list:
    return sorted(entries, key=lambda e: (e.order, e.name))


def _prime(instance, name: str, objects: list) -> None:
    """Fill the prefetch cache of a many-to-many manager, so that `.all()` asks nothing."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


class Importer:
    def __init__(
        self,
        *,
        territory: Territory | None = None,
        codelists: str | None = None,
        progress: ProgressCallback | None = None,
        today: date | None = None,
    ) -> None:
        self.today = today or timezone.localdate()
        self.progress = progress
        try:
            self.codes = CodeMaps.build(codelists)
        except (OSError, ValueError) as exc:
            raise ImportFailed(str(exc)) from exc
        self.lookups = Lookups()
        self.territory = territory
        self.territory_codes = (
            set(territory.municipalities.values_list("code", flat=True)) if territory else None
        )
        self.known: dict[str, _Known] = {
            pid: _Known(sid, digest, ended)
            for pid, sid, digest, ended in RegistryRecord.objects.values_list(
                "portal_id", "service_id", "content_hash", "ended"
            )
        }
        self.orgs: dict[str, int] = {}
        for ico, pk in (
            Organization.objects.exclude(ico="")
            .order_by("is_demo", "name", "id")
            .values_list("ico", "id")
        ):
            self.orgs.setdefault(ico, pk)
        self.org_names: dict[object, str] = {}
        self.synced: set[str] = set()
        self.locations: dict[tuple[object, str], object] = {
            (org, key): pk
            for org, key, pk in Location.objects.exclude(mpsv_facility_id="").values_list(
                "organization_id", "mpsv_facility_id", "id"
            )
        }
        self.service_types = {st.pk: st for st in ServiceType.objects.all()}
        self.forms = {f.pk: f for f in ProvisionForm.objects.all()}
        self.target_groups = {g.pk: g for g in TargetGroup.objects.all()}
        self.age_groups = {g.pk: g for g in AgeGroup.objects.all()}
        self._munis: dict[int, Municipality] = {}
        self._org_objects: dict[object, Organization] = {}
        self.seen: set[str] = set()
        self.unknown: Counter = Counter()
        self.unverified: Counter = Counter()
        self.notes: Counter = Counter()
        self.result = ImportResult()
        self._pending: list[Callable[[], None]] = []

    # ------------------------------------------------------------------------- run
    def run(self, location: str) -> ImportResult:
        started = time.perf_counter()
        self.result.source = location
        self.result.territory = self.territory.slug if self.territory else ""
        run = ImportRun.objects.create(
            source=location[:500],
            territory=self.result.territory,
            codelists=self.codes.source[:500],
        )
        self.run_record = run
        self.result.run_id = run.pk
        try:
            with open_source(location) as source:
                self._read(source)
                if self.progress:
                    self.progress(self.result.items, source.bytes_read, source.total_bytes, True)
        except (SourceError, BrokenFileError) as exc:
            self.result.seconds = time.perf_counter() - started
            self._finish(run, ImportRun.Status.FAILED, str(exc))
            raise ImportFailed(str(exc), self.result) from exc
        except BaseException as exc:  # Ctrl+C or a bug: record the run as broken off
            self.result.seconds = time.perf_counter() - started
            self._finish(run, ImportRun.Status.FAILED, f"{exc.__class__.__name__}: {exc}")
            raise
        missing = sorted(pid for pid in self.known if pid not in self.seen)
        self.result.missing = len(missing)
        self.result.missing_examples = missing[:10]
        self.result.seconds = time.perf_counter() - started
        self._finish(run, ImportRun.Status.FINISHED, "")
        return self.result

    def _read(self, source) -> None:
        """Handle every item; commit complete services in groups.

        Each service is written inside its own savepoint, so it is stored whole or not at
        all. The savepoints are committed together, every COMMIT_EVERY services or
        COMMIT_SECONDS, whichever comes first: one commit per service would cost more than
        the service itself (SQLite writes its pages and a full-text segment per commit).
        When reading breaks off (a broken file, Ctrl+C), the services completed so far are
        committed before the error goes on; a killed process loses at most the open group,
        never a part of a service.
        """
        items = enumerate(iter_items(source), start=1)
        finished = False
        while not finished:
            failure: BaseException | None = None
            deadline = time.monotonic() + COMMIT_SECONDS
            with transaction.atomic():
                for _ in range(COMMIT_EVERY):
                    try:
                        index, item = next(items)
                    except StopIteration:
                        finished = True
                        break
                    except BaseException as exc:  # broken file, lost download, Ctrl+C
                        failure = exc
                        break
                    self.result.items += 1
                    try:
                        self._handle(item, index)
                    except BaseException as exc:  # Ctrl+C inside a service: it rolled back
                        failure = exc
                        break
                    if self.progress:
                        self.progress(index, source.bytes_read, source.total_bytes, False)
                    if time.monotonic() > deadline:
                        break
            if failure is not None:
                raise failure

    def _finish(self, run: ImportRun, status: str, message: str) -> None:
        self.result.warnings = self._warnings()
        r = self.result
        ImportRun.objects.filter(pk=run.pk).update(
            status=status,
            finished_at=timezone.now(),
            items=r.items,
            created=r.created,
            updated=r.updated,
            unchanged=r.unchanged,
            ended=r.ended,
            rejected=r.rejected,
            skipped=r.skipped,
            missing=r.missing,
            rejections=[
                {"identifier": i, "reason": reason}
                for i, reason in r.rejections[: ImportRun.REJECTIONS_KEPT]
            ],
            warnings=r.warnings,
            message=message,
        )

    def _warnings(self) -> list[str]:
        lines = list(self.codes.notes)
        for (kind, code), count in sorted(self.unknown.items()):
            lines.append(
                f"unknown code {self.codes.describe(kind, code)} in {count} services: not imported"
            )
        by_kind: dict[str, list[str]] = {}
        for (kind, code), count in sorted(
            self.unverified.items(), key=lambda kv: (kv[0][0], kv[0][1].zfill(4))
        ):
            by_kind.setdefault(kind, []).append(f"{code} ×{count}")
        for kind, entries in by_kind.items():
            prefix, filename, label = KINDS[kind]
            lines.append(
                f"{label} mapped by Spojka's unverified numbering ({prefix}/ "
                f"{', '.join(entries)}); pass --codelists DIR with {filename} to match by name"
            )
        for note, count in sorted(self.notes.items()):
            lines.append(f"{note}: {count} services")
        return lines

    def _reject(self, identifier: str, reason: str) -> None:
        self.result.rejected += 1
        self.result.rejections.append((identifier, reason))

    # ------------------------------------------------------------------------ item
    def _handle(self, item, index: int) -> None:
        label = describe_item(item, index)
        portal_id = text_of(item.get("portalId")) if isinstance(item, dict) else ""
        if portal_id:
            if portal_id in self.seen:
                self._reject(label, "the same portalId is in the file twice; the first counts")
                return
            self.seen.add(portal_id)
        if isinstance(item, dict) and isinstance(item.get("poskytovatel"), dict):
            # Names of people: dropped before anything else looks at the record.
            item["poskytovatel"].pop("statutarniOrgany", None)
        try:
            data = map_item(item, self.codes, self.lookups, self.today)
        except Rejected as exc:
            self._reject(label, str(exc))
            return
        if self.territory_codes is not None and not (
            data.municipality_codes(self.lookups) & self.territory_codes
        ):
            self.result.skipped += 1
            return
        for key in set(data.unknown):
            self.unknown[key] += 1
        for key in set(data.unverified):
            self.unverified[key] += 1
        for note in set(data.notes):
            self.notes[note] += 1
        digest = content_hash(item, self.codes)
        known = self.known.get(data.portal_id)
        if known is not None and known.digest == digest and known.ended == data.ended:
            self.result.unchanged += 1
            return
        self._pending = []
        try:
            with transaction.atomic():
                outcome = self._write(data, digest, known)
        except (DatabaseError, ValidationError) as exc:
            self._pending = []
            first_line = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
            self._reject(label, f"could not be stored ({exc.__class__.__name__}: {first_line})")
            return
        for apply in self._pending:
            apply()
        self._pending = []
        setattr(self.result, outcome, getattr(self.result, outcome) + 1)

    # ----------------------------------------------------------------------- write
    def _later(self, apply: Callable[[], None]) -> None:
        """Change a cache only when the service's transaction has committed."""
        self._pending.append(apply)

    def _muni(self, code: int) -> Municipality:
        muni = self._munis.get(code)
        if muni is None:
            m = self.lookups.municipalities[code]
            muni = self._munis[code] = Municipality(code=m.code, name=m.name)
        return muni

    def _organization(self, data: ServiceData) -> tuple[object, str]:
        p = data.provider
        org_id = self.orgs.get(p.ico)
        if org_id is None:
            org = Organization.objects.create(
                name=p.name, ico=p.ico, email=p.email, website=p.website, phone=p.phone
            )

            def remember(org=org):
                self.orgs[p.ico] = org.pk
                self.org_names[org.pk] = org.name
                self.synced.add(p.ico)

            self._later(remember)
            return org.pk, org.name
        if p.ico in self.synced:
            return org_id, self.org_names[org_id]
        org = Organization.objects.get(pk=org_id)
        changed = []
        for attr, value in (
            ("name", p.name),
            ("email", p.email),
            ("website", p.website),
            ("phone", p.phone),
        ):
            if value and getattr(org, attr) != value:
                setattr(org, attr, value)
                changed.append(attr)
        if changed:
            org.save(update_fields=[*changed, "updated_at"])

        def remember_sync(org=org):
            self.org_names[org.pk] = org.name
            self.synced.add(p.ico)

        self._later(remember_sync)
        return org.pk, org.name

    def _write(self, data: ServiceData, digest: str, known: _Known | None) -> str:
        org_id, org_name = self._organization(data)
        new = known is None
        if new:
            service = Service(
                organization_id=org_id,
                status=Service.Status.DEFUNCT if data.ended else Service.Status.ACTIVE,
                eligibility=data.eligibility,
            )
        else:
            service = Service.objects.get(pk=known.service_id)
            service.organization_id = org_id
            if data.ended:
                service.status = Service.Status.DEFUNCT
            elif service.status == Service.Status.DEFUNCT:
                service.status = Service.Status.ACTIVE
            if not service.eligibility:
                service.eligibility = data.eligibility
        service.name = data.name
        service.service_type_id = data.service_type
        service.email = data.email
        service.phone = data.phone
        service.url = data.url
        service.mpsv_identifier = data.identifier
        service.mpsv_portal_id = data.portal_id
        service.registered_from = data.registered_from
        service.registered_until = data.registered_until
        service.is_demo = False

        if new:
            self._create(service, org_id, org_name, data, digest)
        else:
            self._update(service, data, digest)

        def remember(pid=data.portal_id, sid=service.pk):
            self.known[pid] = _Known(sid, digest, data.ended)

        self._later(remember)
        if data.ended and not (known and known.ended):
            return "ended"
        return "created" if new else "updated"

    def _create(self, service: Service, org_id, org_name: str, data: ServiceData, digest):
        """A new service with everything derived from it, in a few multi-row INSERTs.

        Nothing derived exists yet, so instead of `refresh_service` (which would read back
        what was just written) the coverage follows the rule of
        `directory.services.covered_municipality_codes` from memory, and the search text is
        `directory.services.build_search_text` normalised as `reindex_service` does it,
        stored with the row itself. `tests/test_mpsv_import.py` checks that
        `refresh_service` afterwards changes nothing.
        """
        self._write_groups(service, data, new=True)
        location_ids = self._write_locations(service, org_id, data, new=True)

        org = self._org_objects.get(org_id)
        if org is None or org.name != org_name:
            org = self._org_objects[org_id] = Organization(id=org_id, name=org_name)
        service.organization = org
        service.service_type = self.service_types[data.service_type]
        # In the order the database would return them (the code lists' Meta.ordering).
        _prime(service, "forms", _ordered(self.forms[pk] for pk in data.forms))
        _prime(
            service, "target_groups", _ordered(self.target_groups[pk] for pk in data.target_groups)
        )
        _prime(service, "age_groups", _ordered(self.age_groups[pk] for pk in data.age_groups))
        _prime(
            service,
            "locations",
            [
                Location(id=pk, municipality=self._muni(loc.municipality))
                for pk, loc in zip(location_ids, data.locations, strict=True)
            ],
        )
        title, body = build_search_text(service)
        service.search_title = normalize(title)
        service.search_document = normalize(body)
        insert_objects(Service, [service])
        service._state.adding = False
        self._write_capacity_and_areas(service, data)
        insert_rows(
            ServiceCoverage,
            ("service", "municipality", "by_area"),
            [(service.pk, code, by_area) for code, by_area in self._coverage(data).items()],
        )
        insert_objects(
            RegistryRecord,
            [
                RegistryRecord(
                    portal_id=data.portal_id,
                    identifier=data.identifier,
                    service_id=service.pk,
                    content_hash=digest,
                    registered_until=data.registered_until,
                    ended=data.ended,
                    first_run=self.run_record,
                    changed_run=self.run_record,
                )
            ],
        )
        service.__dict__.pop("_prefetched_objects_cache", None)

    def _update(self, service: Service, data: ServiceData, digest: str) -> None:
        service.save(
            update_fields=[
                "organization",
                "status",
                "eligibility",
                "name",
                "service_type",
                "email",
                "phone",
                "url",
                "mpsv_identifier",
                "mpsv_portal_id",
                "registered_from",
                "registered_until",
                "is_demo",
                "updated_at",
            ]
        )
        self._write_groups(service, data, new=False)
        self._write_locations(service, service.organization_id, data, new=False)
        RegisteredCapacity.objects.filter(service=service).delete()
        ServiceArea.objects.filter(service=service).delete()
        self._write_capacity_and_areas(service, data)
        RegistryRecord.objects.filter(portal_id=data.portal_id).update(
            identifier=data.identifier,
            content_hash=digest,
            registered_until=data.registered_until,
            ended=data.ended,
            changed_run=self.run_record,
            changed_at=timezone.now(),
        )
        refresh_service(service)

    def _write_capacity_and_areas(self, service: Service, data: ServiceData) -> None:
        insert_rows(
            RegisteredCapacity,
            ("service", "form", "capacity_type", "count", "note"),
            [
                (service.pk, form, capacity_type, count, note)
                for (form, capacity_type), (count, note) in data.capacities.items()
            ],
        )
        insert_rows(
            ServiceArea,
            ("id", "service", "municipality", "orp", "district", "region"),
            [
                (
                    uuid.uuid4(),
                    service.pk,
                    *(code if unit == kind else None for kind in AREA_UNITS),
                )
                for unit, code in data.areas
            ],
        )

    def _write_groups(self, service: Service, data: ServiceData, new: bool) -> None:
        for name, pks in (
            ("forms", data.forms),
            ("target_groups", data.target_groups),
            ("age_groups", data.age_groups),
        ):
            manager = getattr(service, name)
            if not new:
                manager.set(pks)
                continue
            field_ = Service._meta.get_field(name)
            through = field_.remote_field.through
            source, target = field_.m2m_field_name(), field_.m2m_reverse_field_name()
            insert_rows(through, (source, target), [(service.pk, pk) for pk in pks])

    def _coverage(self, data: ServiceData) -> dict[int, bool]:
        """Obce the new service serves → only by its area (True) or at a location."""
        codes: dict[int, bool] = {}
        for unit, code in data.areas:
            members = (code,) if unit == "municipality" else self.lookups.members(unit, code)
            for member in members:
                codes[member] = True
        for loc in data.locations:
            codes[loc.municipality] = False
        return codes

    def _write_locations(
        self, service: Service, org_id, data: ServiceData, new: bool
    ) -> list[object]:
        """Locations of the service's facilities: found by (organisation, address key) or
        created; returns their ids in the order of `data.locations`."""
        ids: list[object] = []
        to_create: list[Location] = []
        existing: dict[object, object] = {}  # location id → LocationData
        for loc in data.locations:
            pk = self.locations.get((org_id, loc.key))
            if pk is not None:
                existing[pk] = loc
            ids.append(pk)
        if existing:
            current = {obj.pk: obj for obj in Location.objects.filter(pk__in=list(existing.keys()))}
            shared = set(
                ServiceAtLocation.objects.filter(location_id__in=list(current))
                .exclude(service_id=service.pk)
                .values_list("location_id", flat=True)
            )
            changed: list[Location] = []
            for pk, loc in existing.items():
                obj = current.get(pk)
                if obj is None:  # deleted meanwhile: create it again
                    ids[ids.index(pk)] = None
                    continue
                if self._apply_location(obj, loc, rename=pk not in shared):
                    changed.append(obj)
            if changed:
                Location.objects.bulk_update(
                    changed,
                    [
                        "name",
                        "street",
                        "city",
                        "postal_code",
                        "municipality",
                        "latitude",
                        "longitude",
                        "address_hidden",
                    ],
                )
        for position, loc in enumerate(data.locations):
            if ids[position] is not None:
                continue
            obj = Location(organization_id=org_id, mpsv_facility_id=loc.key)
            self._apply_location(obj, loc, rename=True)
            to_create.append(obj)
            ids[position] = obj.pk

            def remember(key=(org_id, loc.key), pk=obj.pk):
                self.locations[key] = pk

            self._later(remember)
        if to_create:
            insert_objects(Location, to_create)

        if new:
            insert_rows(
                ServiceAtLocation,
                ("id", "service", "location"),
                [(uuid.uuid4(), service.pk, pk) for pk in ids],
            )
            return ids
        linked = dict(
            ServiceAtLocation.objects.filter(service=service).values_list(
                "location_id", "location__mpsv_facility_id"
            )
        )
        wanted = set(ids)
        # Links to locations a provider added in Spojka (no MPSV key) stay.
        removed = [pk for pk, key in linked.items() if key and pk not in wanted]
        if removed:
            ServiceAtLocation.objects.filter(service=service, location_id__in=removed).delete()
            unlinked = list(
                Location.objects.filter(pk__in=removed, serviceatlocation__isnull=True)
                .exclude(mpsv_facility_id="")
                .values_list("pk", "organization_id", "mpsv_facility_id")
            )
            free = _unreferenced_locations([row[0] for row in unlinked]) if unlinked else set()
            orphans = [row for row in unlinked if row[0] in free]
            if orphans:
                Location.objects.filter(pk__in=[o[0] for o in orphans]).delete()

                def forget(orphans=orphans):
                    for _, org, key in orphans:
                        self.locations.pop((org, key), None)

                self._later(forget)
        insert_rows(
            ServiceAtLocation,
            ("id", "service", "location"),
            [(uuid.uuid4(), service.pk, pk) for pk in ids if pk not in linked],
        )
        return ids

    def _apply_location(self, obj: Location, loc, *, rename: bool) -> bool:
        m = self.lookups.municipalities[loc.municipality]
        values = {
            "street": "" if loc.hidden else loc.street,
            "postal_code": "" if loc.hidden else loc.postal_code,
            "city": m.name,
            "municipality_id": m.code,
            "latitude": m.latitude,
            "longitude": m.longitude,
            "address_hidden": loc.hidden,
        }
        if rename or not obj.name:
            values["name"] = loc.name
        changed = False
        for attr, value in values.items():
            if getattr(obj, attr) != value:
                setattr(obj, attr, value)
                changed = True
        return changed


def _unreferenced_locations(pks: list) -> set:
    """Those of `pks` that nothing but service links points to (an event at the place, a
    provider's own use): only such a location of a removed facility is deleted."""
    free = set(pks)
    for rel in Location._meta.related_objects:
        if rel.related_model is ServiceAtLocation or getattr(rel, "through", None) is (
            ServiceAtLocation
        ):
            continue
        name = rel.field.name
        used = rel.related_model._base_manager.filter(**{f"{name}__in": list(free)})
        free -= set(used.values_list(name, flat=True))
        if not free:
            break
    return free


def import_registry(
    location: str,
    *,
    territory: str | Territory | None = None,
    codelists: str | None = None,
    progress: ProgressCallback | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import the registry file at `location` (path or URL); see the module docstring."""
    if isinstance(territory, str):
        try:
            territory = Territory.objects.get(slug=territory)
        except Territory.DoesNotExist as exc:
            raise ImportFailed(f"no territory with the slug {territory!r}") from exc
    importer = Importer(territory=territory, codelists=codelists, progress=progress, today=today)
    result = importer.run(location)
    update_statistics()
    return result

"""Load the code lists of `catalog/data/*.json` into the database.

`load_codelists()` is called by the data migration `0002_load_codelists` (with the
historical `apps`) and may be called again whenever the files change: it upserts
every entry by `code`, so a second run with the same files changes nothing.

Entries that disappear from a file are not deleted: services and referrals may point
to them. The links of a life situation to service types and target groups are data of
the thesaurus only, so they are set exactly as the file says.

Every file is read and checked before anything is written; a bad entry raises
`ValueError` naming the file, the entry index and the field, and the database is left
as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Field:
    name: str
    kind: type | tuple[type, ...]
    required: bool = False
    nullable: bool = False
    # Limits of the database column: checked here so that the message names the place.
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None


SMALL_UINT = {"min_value": 0, "max_value": 32767}  # PositiveSmallIntegerField

_COMMON = (
    Field("code", str, required=True, max_length=40),
    Field("name", str, required=True, max_length=250),
    Field("name_en", str, max_length=250),
    Field("order", int, **SMALL_UINT),
)


@dataclass(frozen=True)
class CodeList:
    key: str  # file stem and key of the returned counts
    model: str
    fields: tuple[Field, ...]


CODE_LISTS = (
    CodeList(
        "service_types",
        "ServiceType",
        (
            *_COMMON,
            Field("paragraph", str, max_length=5),
            Field("category", str, required=True),
            Field("is_registered", bool),
            Field("mpsv_code", int, nullable=True, **SMALL_UINT),
            Field("mpsv_code_confirmed", bool),
            Field("description", str),
            Field("keywords", str),
        ),
    ),
    CodeList("provision_forms", "ProvisionForm", (*_COMMON, Field("is_field", bool))),
    CodeList("target_groups", "TargetGroup", (*_COMMON, Field("keywords", str))),
    CodeList(
        "age_groups",
        "AgeGroup",
        (
            *_COMMON,
            Field("min_age", int, nullable=True, **SMALL_UINT),
            Field("max_age", int, nullable=True, **SMALL_UINT),
        ),
    ),
    CodeList("capacity_types", "CapacityType", _COMMON),
    CodeList(
        "life_situations",
        "LifeSituation",
        (
            *_COMMON,
            Field("slug", str, required=True, max_length=50),
            Field("question", str, max_length=250),
            Field("description", str),
            Field("keywords", str),
            Field("service_types", list, required=True),
            Field("target_groups", list),
        ),
    ),
)

_RELATIONS = ("service_types", "target_groups")
_CATEGORIES = {"poradenstvi", "pece", "prevence", "jina"}


def _fail(filename: str, index: int | None, field: str | None, message: str) -> ValueError:
    where = filename
    if index is not None:
        where += f", entry {index}"
    if field is not None:
        where += f", field '{field}'"
    return ValueError(f"{where}: {message}")


def _read(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(path.name, None, None, "file not found") from None
    except json.JSONDecodeError as exc:
        raise _fail(path.name, None, None, f"invalid JSON: {exc}") from None
    if not isinstance(data, list):
        raise _fail(path.name, None, None, "the file must hold a JSON list of entries")
    return data


def _join_keywords(value: Any) -> Any:
    """Keywords may be written in the file as a list of phrases: store one per line."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(v.strip() for v in value if v.strip())
    return value


def _check(spec: CodeList, filename: str, entries: list[Any]) -> list[dict[str, Any]]:
    known = {f.name: f for f in spec.fields}
    seen: dict[str, set[Any]] = {"code": set(), "slug": set(), "mpsv_code": set()}
    checked = []
    for index, raw in enumerate(entries):
        if not isinstance(raw, dict):
            raise _fail(filename, index, None, "an entry must be a JSON object")
        entry = {k: v for k, v in raw.items() if not k.startswith("_")}  # "_note": comments
        for key in entry:
            if key not in known:
                raise _fail(filename, index, key, "unknown field")
        if "keywords" in entry:
            entry["keywords"] = _join_keywords(entry["keywords"])
        for field in spec.fields:
            if field.name not in entry:
                if field.required:
                    raise _fail(filename, index, field.name, "missing")
                continue
            value = entry[field.name]
            if value is None and field.nullable:
                continue
            # bool is an int in Python; do not let true pass for a number.
            wrong_bool = isinstance(value, bool) and field.kind is int
            if wrong_bool or not isinstance(value, field.kind):
                kind = field.kind.__name__ if isinstance(field.kind, type) else field.kind
                raise _fail(filename, index, field.name, f"expected {kind}, got {value!r}")
            if field.required and isinstance(value, str) and not value.strip():
                raise _fail(filename, index, field.name, "must not be empty")
            if field.max_length is not None and len(value) > field.max_length:
                raise _fail(
                    filename,
                    index,
                    field.name,
                    f"{len(value)} characters, at most {field.max_length} fit",
                )
            if field.min_value is not None and value < field.min_value:
                raise _fail(filename, index, field.name, f"{value} is below {field.min_value}")
            if field.max_value is not None and value > field.max_value:
                raise _fail(filename, index, field.name, f"{value} is above {field.max_value}")
        for unique in ("code", "slug", "mpsv_code"):
            value = entry.get(unique)
            if value is None:
                continue
            if value in seen[unique]:
                raise _fail(filename, index, unique, f"duplicate value {value!r}")
            seen[unique].add(value)
        if spec.key == "service_types" and entry["category"] not in _CATEGORIES:
            raise _fail(
                filename, index, "category", f"{entry['category']!r} is not one of {_CATEGORIES}"
            )
        entry.setdefault("order", index + 1)
        checked.append(entry)
    return checked


def _check_references(filename: str, entries: list[dict], codes: dict[str, set[str]]) -> None:
    for index, entry in enumerate(entries):
        for relation in _RELATIONS:
            values = entry.get(relation, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise _fail(filename, index, relation, "must be a list of codes (strings)")
            if relation == "service_types" and not values:
                raise _fail(filename, index, relation, "a life situation needs a service type")
            if len(set(values)) != len(values):
                raise _fail(filename, index, relation, "a code is listed twice")
            for value in values:
                if value not in codes[relation]:
                    raise _fail(filename, index, relation, f"unknown code {value!r}")


def read_codelists(data_dir: Path | str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Read and check every file; raise ValueError on the first bad entry."""
    base = Path(data_dir) if data_dir is not None else DATA_DIR
    lists: dict[str, list[dict[str, Any]]] = {}
    for spec in CODE_LISTS:
        filename = f"{spec.key}.json"
        lists[spec.key] = _check(spec, filename, _read(base / filename))
    codes = {rel: {e["code"] for e in lists[rel]} for rel in _RELATIONS}
    _check_references("life_situations.json", lists["life_situations"], codes)
    return lists


def _upsert(model, entry: dict[str, Any]):
    """Create or update one row by code; save only when something differs."""
    names = {f.name for f in model._meta.get_fields()}
    # A field the (historical) model does not have yet is skipped, so that an old
    # migration keeps working after a later one adds a field to the files.
    values = {k: v for k, v in entry.items() if k in names and k not in _RELATIONS}
    values.pop("code")
    obj = model._default_manager.filter(code=entry["code"]).first()
    if obj is None:
        return model._default_manager.create(code=entry["code"], **values)
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
    return obj


def _release_mpsv_codes(model, entries: list[dict[str, Any]]) -> None:
    """Clear MPSV codes that move to another entry, so that the unique index never clashes."""
    wanted = {e["code"]: e.get("mpsv_code") for e in entries}
    taken = {code for code in wanted.values() if code is not None}
    for obj in model._default_manager.exclude(mpsv_code=None):
        moves = obj.code in wanted and wanted[obj.code] != obj.mpsv_code
        if moves or (obj.code not in wanted and obj.mpsv_code in taken):
            obj.mpsv_code = None
            obj.save(update_fields=["mpsv_code"])


def _sync_situation(apps, situation, entry: dict[str, Any]) -> None:
    service_type_model = apps.get_model("catalog", "ServiceType")
    target_group_model = apps.get_model("catalog", "TargetGroup")
    link_model = apps.get_model("catalog", "SituationServiceType")

    wanted = {code: rank for rank, code in enumerate(entry["service_types"], start=1)}
    types = {t.code: t for t in service_type_model._default_manager.filter(code__in=wanted)}
    links = {
        link.service_type.code: link
        for link in link_model._default_manager.filter(situation=situation).select_related(
            "service_type"
        )
    }
    for code, link in links.items():
        if code not in wanted:
            link.delete()
        elif link.rank != wanted[code]:
            link.rank = wanted[code]
            link.save(update_fields=["rank"])
    for code, rank in wanted.items():
        if code not in links:
            link_model._default_manager.create(
                situation=situation, service_type=types[code], rank=rank
            )

    groups = set(entry.get("target_groups", []))
    current = set(situation.target_groups.values_list("code", flat=True))
    if groups != current:
        situation.target_groups.set(target_group_model._default_manager.filter(code__in=groups))


def load_codelists(apps=None, data_dir: Path | str | None = None) -> dict[str, int]:
    """Upsert every code list from `data_dir` (default `catalog/data`).

    `apps` is the app registry: the historical one inside a migration, the global one
    otherwise. Returns the number of entries of each list, keyed by file stem.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    lists = read_codelists(data_dir)
    with transaction.atomic():
        for spec in CODE_LISTS:
            model = apps.get_model("catalog", spec.model)
            if spec.key == "service_types":
                _release_mpsv_codes(model, lists[spec.key])
            for entry in lists[spec.key]:
                obj = _upsert(model, entry)
                if spec.key == "life_situations":
                    _sync_situation(apps, obj, entry)
    from catalog.codes import reset_code_lists

    reset_code_lists()  # bulk upserts send no signals of the real models
    return {key: len(entries) for key, entries in lists.items()}

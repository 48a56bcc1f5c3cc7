"""The audit trail of personal data: one call per read, list, export or change.

Entries hold who, what kind of record, its id and when — never the personal data itself.
`record` writes one entry; `record_many` writes the several entries of one page (a list
with one entry per owning organisation) in a single INSERT.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from accounts.models import AuditEntry


def _entry(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    organization_id=None,
    object_ids: list[str] | None = None,
    count: int = 1,
    reason: str = "",
    via: str = "web",
) -> AuditEntry:
    """An unsaved entry; `record` and `record_many` fill it the same way."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if organization_id is None:
            organization_id = getattr(obj, "organization_id", None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=user,
        actor_username=user.get_username() if user else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_ids=object_ids or [],
        organization_id=organization_id,
        count=count,
        reason=reason[:500],
        via=via,
    )


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    organization_id=None,
    object_ids: list[str] | None = None,
    count: int = 1,
    reason: str = "",
    via: str = "web",
) -> AuditEntry:
    """Append one entry. `obj` fills the type, id and owning organisation when given."""
    entry = _entry(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        organization_id=organization_id,
        object_ids=object_ids,
        count=count,
        reason=reason,
        via=via,
    )
    entry.save(force_insert=True)
    return entry


def record_many(
    *, actor, entries: Iterable[Mapping[str, Any]], via: str = "web"
) -> list[AuditEntry]:
    """Append several entries of one actor in one INSERT (one commit instead of one per
    entry). Each mapping takes the keyword arguments of `record` but `actor` and `via`;
    the entries are the same rows `record` would write, one by one."""
    built = [_entry(actor=actor, via=via, **fields) for fields in entries]
    if built:
        AuditEntry.objects.bulk_create(built)
    return built


def record_list(
    *, actor, objects: Iterable[models.Model], object_type: str, via: str = "web"
) -> AuditEntry | None:
    """One entry for a listed page of records (their count), not one per row."""
    items = list(objects)
    if not items:
        return None
    orgs = {getattr(o, "organization_id", None) for o in items}
    return record(
        actor=actor,
        action=AuditEntry.Action.LIST,
        object_type=object_type,
        object_ids=[str(o.pk) for o in items],
        organization_id=orgs.pop() if len(orgs) == 1 else None,
        count=len(items),
        via=via,
    )

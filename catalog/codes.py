"""The code lists kept in memory: every page of the portal shows them, they change rarely.

A search page needs the life situations, kinds of help, target and age groups and forms
for its filters, and the groups and forms of every result card. Reading them from the
database on each request costs more than the search itself at national scale, so each
process keeps a snapshot. It is dropped when a code list is saved in this process (signals
in `CatalogConfig.ready`) and read again at most a minute later elsewhere: code lists change
by data migration or in the admin, where a minute's delay harms nobody.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from catalog.models import AgeGroup, LifeSituation, ProvisionForm, ServiceType, TargetGroup

SNAPSHOT_SECONDS = 60


@dataclass(frozen=True)
class CodeLists:
    """One consistent reading of the code lists, each in its display order."""

    situations: list[LifeSituation]
    service_types: list[ServiceType]
    target_groups: list[TargetGroup]
    age_groups: list[AgeGroup]
    forms: list[ProvisionForm]
    # id → entry, for attaching entries to services without another query.
    by_id: dict[type, dict[int, object]] = field(default_factory=dict)
    # id → position in its list, so attached entries keep the display order.
    position: dict[type, dict[int, int]] = field(default_factory=dict)


_snapshot: tuple[float, CodeLists] | None = None


def code_lists() -> CodeLists:
    """The current snapshot, read again when older than SNAPSHOT_SECONDS."""
    global _snapshot
    now = time.monotonic()
    if _snapshot is None or now - _snapshot[0] > SNAPSHOT_SECONDS:
        lists = {
            LifeSituation: list(LifeSituation.objects.all()),
            ServiceType: list(ServiceType.objects.all()),
            TargetGroup: list(TargetGroup.objects.all()),
            AgeGroup: list(AgeGroup.objects.all()),
            ProvisionForm: list(ProvisionForm.objects.all()),
        }
        snapshot = CodeLists(
            situations=lists[LifeSituation],
            service_types=lists[ServiceType],
            target_groups=lists[TargetGroup],
            age_groups=lists[AgeGroup],
            forms=lists[ProvisionForm],
            by_id={model: {e.pk: e for e in entries} for model, entries in lists.items()},
            position={
                model: {e.pk: i for i, e in enumerate(entries)} for model, entries in lists.items()
            },
        )
        _snapshot = (now, snapshot)
    return _snapshot[1]


def reset_code_lists(**_signal_kwargs) -> None:
    """Forget the snapshot (a code list changed, or a test starts from a new database)."""
    global _snapshot
    _snapshot = None

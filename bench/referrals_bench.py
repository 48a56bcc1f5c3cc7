"""The referral loop at scale: a worker's inbox, a referral's page and the cost of auditing.

`ensure()` copies the directory database (bench/work/bench.sqlite3, which stays the pure
directory that other tools copy) to bench/work/bench-referrals.sqlite3 and generates
100,000 referrals of 10,000 persons into the copy (`generate_referrals.py`). The copy is
cached by a fingerprint of its own in its `bench_meta` (the directory's fingerprint, the
generator and the scale) and rebuilt when either changes.

`measure()` signs in (`Client.force_login`) the first social worker of the busiest
organisation and requests, interleaved with the floor page of the same run:

- `inbox`: /prace/ (notifications, open referrals sent and received, counts by status);
- `referral`: /prace/predani/<id>/ of referrals the worker may see, sent and received;
- the same two pages with `accounts.audit.record`/`record_list`/`record_many` as no-ops: the
  difference of the medians is the cost of audit logging per request.

Targets (issue 4): inbox and referral p95 ≤ 50 ms; audit overhead ≤ 2 ms.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import statistics
import time
from argparse import Namespace
from datetime import datetime, timedelta
from pathlib import Path

from bench.common import Samples, figures_of, interleave, percentile, say

ROOT = Path(__file__).resolve().parent.parent
META_TABLE = "bench_meta"
TARGET_PAGE_P95_MS = 50.0
TARGET_AUDIT_MS = 2.0
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def fingerprint(directory_key: str, args: Namespace) -> str:
    digest = hashlib.sha256(directory_key.encode())
    digest.update(
        f"referrals={args.referrals};persons={args.persons};seed={args.referral_seed}".encode()
    )
    for name in ("bench/generate_referrals.py", "bench/queries.py"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def database_path(directory_db: Path) -> Path:
    """bench/work/bench.sqlite3 -> bench/work/bench-referrals.sqlite3"""
    return directory_db.with_name(f"{directory_db.stem}-referrals{directory_db.suffix}")


def _read_meta(db: Path) -> dict[str, str]:
    if not db.exists():
        return {}
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return dict(conn.execute(f"SELECT key, value FROM {META_TABLE}"))
    except sqlite3.Error:
        return {}


def _store_meta(values: dict[str, str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT OR REPLACE INTO {META_TABLE} (key, value) VALUES (%s, %s)",
            list(values.items()),
        )


def ensure(args: Namespace, directory_key: str, directory_db: Path) -> tuple[Path, dict]:
    """The referral database: a copy of the directory database with the referral loop in
    it, rebuilt when the directory or the referral generator changed. Leaves Django
    connected to it. Returns its path and the figures of its build."""
    from django.db import connection
    from django.utils import timezone

    from bench.common import use_database
    from bench.generate_referrals import ReferralGenerator, ReferralScale

    db = database_path(directory_db)
    key = fingerprint(directory_key, args)
    meta = _read_meta(db)
    if (
        not args.regenerate
        and meta.get("referrals_fingerprint") == key
        and meta.get("fingerprint") == directory_key
    ):
        say(f"Reusing {db.name} (referrals generated in {meta.get('referrals_generate_s', '?')} s)")
        use_database(db)
        return db, {
            "referrals_generate_s": float(meta.get("referrals_generate_s", 0)),
            "referrals_generate_cached": 1,
        }
    start = time.perf_counter()
    say(f"Copying the directory to {db.name} for the referral loop …")
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(directory_db) as source, sqlite3.connect(db) as target:
        source.backup(target)
    use_database(db)
    now = timezone.now()
    say(
        f"Generating {args.referrals:,} referrals of {args.persons:,} persons "
        "(users, consents, history, messages, notifications, audit) …"
    )
    scale = ReferralScale(referrals=args.referrals, persons=args.persons, seed=args.referral_seed)
    counts = ReferralGenerator(scale, now=now, say=say).run()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    took = time.perf_counter() - start
    _store_meta(
        {
            "referrals_fingerprint": key,
            "referrals_reference_now": now.isoformat(),
            "referrals_generate_s": f"{took:.1f}",
            "referrals_counts": json.dumps(counts),
        }
    )
    connection.close()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    say(f"  generated the referral loop in {took:.1f} s")
    return db, {"referrals_generate_s": round(took, 1), "referrals_generate_cached": 0}


def _meta() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, value FROM {META_TABLE}")
        return dict(cursor.fetchall())


def scale_figures() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from accounts.models import AuditEntry
    from referrals.models import Notification, Person, Referral, ReferralEvent, ReferralMessage

    return {
        "referrals": Referral.objects.count(),
        "persons": Person.objects.count(),
        "referral_events": ReferralEvent.objects.count(),
        "referral_messages": ReferralMessage.objects.count(),
        "notifications": Notification.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
        "users": get_user_model().objects.count(),
    }


def reset_state(*, sessions: bool = True) -> None:
    """Undo what earlier measurements left: their audit entries, sessions and the
    notifications they marked read, so that every run measures the same data."""
    from django.contrib.sessions.models import Session
    from django.db import connection

    from accounts.models import AuditEntry
    from bench.generate_referrals import UNREAD_DAYS
    from referrals.models import Notification

    meta = _meta()
    reference = datetime.fromisoformat(meta["referrals_reference_now"])
    newer = AuditEntry.objects.filter(at__gt=reference).values("id")
    sql, params = newer.query.sql_with_params()
    with connection.cursor() as cursor:
        # The audit log refuses deletes through the ORM (append-only); these are ours.
        cursor.execute(f"DELETE FROM accounts_auditentry WHERE id IN ({sql})", params)
    if sessions:
        Session.objects.all().delete()
    Notification.objects.filter(
        created_at__gte=reference - timedelta(days=UNREAD_DAYS), read_at__isnull=False
    ).update(read_at=None)


class _NoAudit:
    """accounts.audit.record/record_list/record_many as no-ops while a request runs."""

    def __init__(self) -> None:
        from accounts import audit

        self.audit = audit
        self.saved = (audit.record, audit.record_list, audit.record_many)

    def __enter__(self):
        self.audit.record = lambda **kwargs: None
        self.audit.record_list = lambda **kwargs: None
        self.audit.record_many = lambda **kwargs: []

    def __exit__(self, *exc) -> None:
        self.audit.record, self.audit.record_list, self.audit.record_many = self.saved


class PageRunner:
    def __init__(self, user) -> None:
        from django.test import Client

        self.client = Client()
        self.client.force_login(user, backend=MODEL_BACKEND)
        self.floor_client = Client()
        self.no_audit = _NoAudit()
        self.sizes: dict[str, list[int]] = {"inbox": [], "referral": []}

    def _get(self, url: str, kind: str) -> None:
        response = self.client.get(url)
        if response.status_code != 200:
            where = response.get("Location", "")
            raise SystemExit(
                f"{url} answered {response.status_code} {where} (is SPOJKA_REQUIRE_2FA=0 set?)"
            )
        self.sizes[kind].append(len(response.content))

    def inbox(self, audit: bool = True) -> None:
        if audit:
            self._get("/prace/", "inbox")
        else:
            with self.no_audit:
                self._get("/prace/", "inbox")

    def referral(self, pk, audit: bool = True) -> None:
        url = f"/prace/predani/{pk}/"
        if audit:
            self._get(url, "referral")
        else:
            with self.no_audit:
                self._get(url, "referral")

    def floor(self) -> None:
        response = self.floor_client.get("/_bench/floor/")
        if response.status_code != 200:
            raise SystemExit(f"/_bench/floor/ answered {response.status_code}")


def _paired_median(on: Samples, off: Samples) -> float:
    return statistics.median(a - b for a, b in zip(on.ms, off.ms, strict=True))


def measure(n: int, warmup: int = 10) -> tuple[dict[str, float], dict[str, list]]:
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from accounts import audit
    from accounts.models import AuditEntry, Membership
    from bench.generate_referrals import HUB_WORKER
    from referrals.models import Notification, Referral

    reset_state()
    user = get_user_model().objects.get(username=HUB_WORKER)
    orgs = list(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
    visible = Referral.objects.visible_to(user)
    # A draft is the sender's until it is sent: those of others answer 404.
    openable = visible.filter(~Q(status="draft") | Q(from_organization_id__in=orgs))
    ids = list(openable.order_by("id").values_list("id", "from_organization_id"))
    rng = random.Random(13)
    chosen = rng.sample(ids, min(n + warmup, len(ids)))
    while len(chosen) < n + warmup:
        chosen.append(rng.choice(ids))
    warm, chosen = chosen[:warmup], chosen[warmup:]
    sent_share = sum(1 for _pk, org in chosen if org in orgs) / len(chosen)
    scale = {
        "inbox_org_referrals_sent": visible.filter(from_organization_id__in=orgs).count(),
        "inbox_org_referrals_received": visible.filter(to_organization_id__in=orgs).count(),
        "inbox_user_notifications": Notification.objects.filter(user=user).count(),
        "inbox_user_unread": Notification.objects.filter(user=user, read_at=None).count(),
    }
    say(
        f"Measuring the worker's pages as {HUB_WORKER}: organisation with "
        f"{scale['inbox_org_referrals_sent']:,} referrals sent and "
        f"{scale['inbox_org_referrals_received']:,} received, "
        f"{scale['inbox_user_notifications']:,} notifications; {n} rounds of inbox and "
        f"referral page, each with audit on and off, interleaved with the floor …"
    )
    runner = PageRunner(user)
    for pk, _org in warm:
        runner.inbox()
        runner.referral(pk)
        runner.inbox(audit=False)
        runner.referral(pk, audit=False)
        runner.floor()
    # How many audit entries one request of each page writes.
    before = AuditEntry.objects.count()
    runner.inbox()
    after_inbox = AuditEntry.objects.count()
    runner.referral(chosen[0][0])
    after_referral = AuditEntry.objects.count()
    for sizes in runner.sizes.values():
        sizes.clear()

    samples = interleave(
        {
            "inbox": lambda i: runner.inbox(),
            "inbox_noaudit": lambda i: runner.inbox(audit=False),
            "referral": lambda i: runner.referral(chosen[i][0]),
            "referral_noaudit": lambda i: runner.referral(chosen[i][0], audit=False),
            "floor": lambda i: runner.floor(),
        },
        n,
        label="referrals",
    )
    floor = samples["floor"]
    figures: dict[str, float] = dict(scale)
    figures.update(figures_of("inbox", samples["inbox"], floor))
    figures.update(figures_of("referral", samples["referral"], floor))
    figures["referrals_floor_p50_ms"] = round(floor.p(50), 2)
    figures["referrals_floor_p95_ms"] = round(floor.p(95), 2)
    figures["referral_sample_sent_share"] = round(sent_share, 2)
    figures["inbox_page_kb"] = round(statistics.fmean(runner.sizes["inbox"]) / 1024, 1)
    figures["referral_page_kb_mean"] = round(statistics.fmean(runner.sizes["referral"]) / 1024, 1)

    on, off = samples["referral"], samples["referral_noaudit"]
    figures["audit_overhead_ms"] = round(on.p(50) - off.p(50), 2)
    figures["audit_overhead_paired_ms"] = round(_paired_median(on, off), 2)
    figures["referral_noaudit_p50_ms"] = round(off.p(50), 2)
    figures["audit_entries_per_referral_page"] = after_referral - after_inbox
    i_on, i_off = samples["inbox"], samples["inbox_noaudit"]
    figures["inbox_audit_overhead_ms"] = round(i_on.p(50) - i_off.p(50), 2)
    figures["inbox_noaudit_p50_ms"] = round(i_off.p(50), 2)
    figures["audit_entries_per_inbox"] = after_inbox - before

    # The raw cost of one entry: audit.record as a view calls it, outside any request.
    referral = Referral.objects.get(pk=chosen[0][0])
    insert_ms = []
    for _ in range(max(50, n)):
        start = time.perf_counter()
        audit.record(
            actor=user,
            action=AuditEntry.Action.READ,
            obj=referral,
            organization_id=referral.from_organization_id,
        )
        insert_ms.append((time.perf_counter() - start) * 1000)
    figures["audit_insert_p50_ms"] = round(percentile(insert_ms, 50), 3)
    figures["audit_insert_p95_ms"] = round(percentile(insert_ms, 95), 3)
    figures["referral_requests"] = n
    reset_state(sessions=False)  # the runner stays signed in for profiling

    calls = {
        "inbox": [runner.inbox] * min(n, 50),
        "referral": [lambda pk=pk: runner.referral(pk) for pk, _org in chosen[:50]],
    }
    return figures, calls


CUMULATIVE = [
    ("inbox view", "referrals/views.py", "inbox"),
    ("referral page (_detail)", "referrals/views_referrals.py", "_detail"),
    ("get_referral (scoped fetch)", "referrals/views_common.py", "get_referral"),
    ("audit.record (one entry)", "accounts/audit.py", "record"),
    ("audit.record_many (one INSERT)", "accounts/audit.py", "record_many"),
    ("audit_list (entries of a list)", "referrals/views_common.py", "audit_list"),
    ("_newest (open lists: ids, rows)", "referrals/views.py", "_newest"),
    ("status_counts", "referrals/views_common.py", "status_counts"),
    ("referral_rows (names by consent)", "referrals/views.py", "referral_rows"),
    ("_link_notifications", "referrals/views.py", "_link_notifications"),
    ("render_area (template and nav)", "referrals/views_common.py", "render_area"),
    ("session save (every request)", "django/contrib/sessions/backends/db.py", "save"),
]

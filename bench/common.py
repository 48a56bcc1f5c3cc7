"""What the benchmark's measurements share: percentiles, a SQL meter, interleaving, profiling."""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def say(message: str = "") -> None:
    print(message, flush=True)


def percentile(values: list[float], pct: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def use_database(path: Path) -> None:
    """Point Django's default database at another SQLite file (the next query reconnects)."""
    from django.conf import settings
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = str(path)
    settings.DATABASES["default"]["NAME"] = str(path)


class SqlMeter:
    """Counts statements and the time spent in cursor.execute (a lower bound of SQL time)."""

    def __init__(self, keep_statements: bool = False):
        self.count = 0
        self.seconds = 0.0
        self.keep = keep_statements
        self.statements: dict[str, list] = defaultdict(lambda: [0, 0.0, None])

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - start
            self.count += 1
            self.seconds += took
            if self.keep:
                entry = self.statements[sql]
                entry[0] += 1
                entry[1] += took
                if entry[2] is None:
                    entry[2] = params

    def reset(self) -> None:
        self.count = 0
        self.seconds = 0.0


class Samples:
    """Wall times (ms), statements and SQL time of the requests of one kind."""

    def __init__(self) -> None:
        self.ms: list[float] = []
        self.queries: list[int] = []
        self.sql_ms: list[float] = []

    def p(self, pct: int) -> float:
        return percentile(self.ms, pct)


def interleave(
    kinds: dict[str, Callable[[int], object]],
    rounds: int,
    *,
    label: str = "",
) -> dict[str, Samples]:
    """Run every kind once per round, in an order that rotates from round to round (and
    runs backwards every other round), so that no kind always follows the same one and
    noise on a shared machine hits all kinds alike. `kinds[name](i)` makes request i."""
    from django.db import connection

    names = list(kinds)
    samples = {name: Samples() for name in names}
    meter = SqlMeter()
    with connection.execute_wrapper(meter):
        for i in range(rounds):
            shift = i % len(names)
            order = names[shift:] + names[:shift]
            if i % 2:
                order.reverse()
            for name in order:
                meter.reset()
                start = time.perf_counter()
                kinds[name](i)
                took = (time.perf_counter() - start) * 1000
                sample = samples[name]
                sample.ms.append(took)
                sample.queries.append(meter.count)
                sample.sql_ms.append(meter.seconds * 1000)
            done = i + 1
            if label and done % max(1, rounds // 5) == 0:
                medians = ", ".join(
                    f"{name} {statistics.median(s.ms):.1f}" for name, s in samples.items()
                )
                say(f"  {label}: {100 * done // rounds:3d} %  medians so far (ms): {medians}")
    return samples


def figures_of(prefix: str, sample: Samples, floor: Samples | None = None) -> dict[str, float]:
    """p50/p95 (and the ratios over the floor of the same run) of one kind of request."""
    p50, p95 = sample.p(50), sample.p(95)
    out = {
        f"{prefix}_p50_ms": round(p50, 2),
        f"{prefix}_p95_ms": round(p95, 2),
    }
    if floor is not None:
        f50, f95 = floor.p(50), floor.p(95)
        out[f"{prefix}_p50_over_floor"] = round(p50 / f50, 2) if f50 else 0.0
        out[f"{prefix}_p95_over_floor"] = round(p95 / f95, 2) if f95 else 0.0
    out[f"{prefix}_queries_per_request"] = round(statistics.fmean(sample.queries), 1)
    out[f"{prefix}_sql_p50_ms"] = round(percentile(sample.sql_ms, 50), 2)
    return out


# --------------------------------------------------------------------------- profiling
CATEGORIES = [
    ("SQLite engine (execute/fetch)", ("sqlite3.", "SQLiteCursorWrapper.execute")),
    ("normaliser (spojka.text, simplemma)", ("spojka/text.py", "simplemma")),
    ("directory/search.py (Python)", ("directory/search.py",)),
    ("HSDS API (api/)", (f"{ROOT}/api/",)),
    ("django-ninja and pydantic", ("/ninja/", "/pydantic")),
    ("referrals (views, services, models)", (f"{ROOT}/referrals/",)),
    ("accounts (audit, permissions)", (f"{ROOT}/accounts/",)),
    ("ORM and database backend", ("django/db/",)),
    ("forms and widgets (django/forms)", ("django/forms/",)),
    (
        "HTML escaping, lazy strings, choices",
        (
            "django/utils/html.py",
            "django/utils/functional",
            "django/utils/safestring",
            "django/utils/choices",
            "python3.11/html/",
            "django/utils/encoding",
        ),
    ),
    ("templates and template tags", ("django/template", "/templatetags/", "/templates/")),
    ("portal views and helpers", ("/portal/",)),
    ("JSON encoding", ("/json/", "orjson")),
    ("URL resolving", ("django/urls/",)),
    ("translation", ("django/utils/translation",)),
    ("sessions and authentication", ("django/contrib/sessions", "django/contrib/auth")),
    (
        "request, middleware, test client",
        ("django/core/", "django/middleware", "django/test", "django/http", "django/contrib"),
    ),
    ("other Django utilities", ("django/utils/",)),
]


def _category(filename: str, name: str) -> str:
    where = f"{filename} {name}"
    for label, needles in CATEGORIES:
        if any(n in where for n in needles):
            return label
    return "other Python"


def profile_calls(
    title: str,
    calls: Sequence[Callable[[], object]],
    out: Path,
    *,
    wall_p50: float,
    cumulative: Sequence[tuple[str, str, str]] = (),
    top: int = 30,
) -> dict[str, float]:
    """cProfile over `calls`: own time by area, cumulative time of the named entry points
    (label, file suffix, function), the slowest SQL with query plans; written to `out`,
    the summary printed. Returns the SQLite share of the profiled time."""
    import cProfile
    import pstats

    from django.db import connection

    meter = SqlMeter(keep_statements=True)
    profiler = cProfile.Profile()
    with connection.execute_wrapper(meter):
        profiler.enable()
        for call in calls:
            call()
        profiler.disable()
    stats = pstats.Stats(profiler)
    by_category: dict[str, float] = defaultdict(float)
    total = 0.0
    cum: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, tottime, cumtime, _callers) in stats.stats.items():
        by_category[_category(filename, name)] += tottime
        total += tottime
        for label, suffix, function in cumulative:
            if filename.endswith(suffix) and name == function:
                cum[label] = max(cum.get(label, 0.0), cumtime)
    n = max(1, len(calls))
    lines = [
        f"Profile of {len(calls)} {title}; cProfile slows Python down, so read shares, "
        "not absolute times.",
        f"Wall-clock median without the profiler: {wall_p50:.1f} ms/request.",
        "",
        f"{'area (own time)':45} {'ms/request':>10} {'share':>7}",
    ]
    for label, seconds in sorted(by_category.items(), key=lambda kv: -kv[1]):
        lines.append(f"{label:45} {seconds * 1000 / n:10.2f} {100 * seconds / total:6.1f}%")
    if cum:
        lines += [
            "",
            f"{'cumulative (with everything it calls)':55} {'ms/request':>10} {'share':>7}",
        ]
        for label, _suffix, _function in cumulative:
            if label in cum:
                seconds = cum[label]
                lines.append(f"{label:55} {seconds * 1000 / n:10.2f} {100 * seconds / total:6.1f}%")
    lines += ["", "Slowest SQL statements (time in cursor.execute, summed over the run):"]
    slow = sorted(meter.statements.items(), key=lambda kv: -kv[1][1])[:8]
    for sql, (count, seconds, _params) in slow:
        lines.append(
            f"  {seconds * 1000 / n:8.2f} ms/request  {count:5d}×  "
            f"{seconds * 1000 / count:7.2f} ms each  {' '.join(sql.split())[:220]}"
        )
    lines += ["", "Query plans of the three slowest:"]
    with connection.cursor() as cursor:
        for sql, (_c, _s, params) in slow[:3]:
            if not sql.lstrip().upper().startswith("SELECT"):
                lines.append("  " + " ".join(sql.split())[:160])
                lines.append("      (not a SELECT: no plan)")
                continue
            try:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = [row[-1] for row in cursor.fetchall()]
            except Exception as exc:
                plan = [f"(no plan: {exc})"]
            lines.append("  " + " ".join(sql.split())[:160])
            lines += [f"      {step}" for step in plan]
    lines += ["", "Top functions by own time:"]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
        stats.stream = handle
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
    say("\n".join(lines[:-2]))
    say(f"(full profile in {out.name} under bench/work/)")
    sql_share = by_category.get("SQLite engine (execute/fetch)", 0.0) / total if total else 0
    return {"sql_share": round(sql_share, 3)}

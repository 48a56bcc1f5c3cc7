"""`make bench`: generate a national-scale directory, then time search against a floor page.

1. Generates (or reuses, when its fingerprint matches) a directory of 100,000 services from
   20,000 organisations over all 6,258 obce in its own SQLite file, bench/work/bench.sqlite3.
2. Renders the search results page of the national territory (/cr/hledat/?q=…) for 200
   varied Czech queries through Django's test Client, interleaved with a floor page that
   extends the same base.html and asks the database nothing.
3. Merges the figures into bench/results.json (a flat object of named numbers) and prints
   them as a table.

See bench/README.md for how to read the figures. Options: --help.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import json
import os
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from datetime import datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
DEFAULT_DB = WORK / "bench.sqlite3"
RESULTS = ROOT / "bench" / "results.json"
PROFILE_OUT = WORK / "profile.txt"
TARGET_P95_MS = 50.0
TARGET_RATIO = 5.0
META_TABLE = "bench_meta"


def say(message: str = "") -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------- cache key
def _build_search_text_source() -> str:
    """The source of directory.services.build_search_text, read without importing Django."""
    source = (ROOT / "directory" / "services.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "build_search_text":
            return ast.get_source_segment(source, node) or ""
    return source


def fingerprint(args: argparse.Namespace) -> str:
    """Everything the generated database depends on: schema, data, generator, normaliser."""
    digest = hashlib.sha256()
    digest.update(f"services={args.services};orgs={args.organizations};seed={args.seed}".encode())
    files = sorted(ROOT.glob("*/migrations/*.py"))
    files += sorted((ROOT / "catalog" / "data").glob("*.json"))
    files += sorted((ROOT / "territory" / "data").glob("*.csv"))
    files += [
        ROOT / p
        for p in (
            "catalog/loading.py",
            "territory/loading.py",
            "spojka/text.py",
            "bench/generate.py",
            "bench/texts.py",
        )
    ]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    digest.update(_build_search_text_source().encode())
    for package in ("django", "simplemma"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


def read_meta(db: Path) -> dict[str, str]:
    if not db.exists():
        return {}
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return dict(conn.execute(f"SELECT key, value FROM {META_TABLE}"))
    except sqlite3.Error:
        return {}


def drop_database(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{db}{suffix}")
        if path.exists():
            path.unlink()


# ------------------------------------------------------------------------- generation
def generate(args: argparse.Namespace, key: str) -> dict[str, float]:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.generate import Generator, Scale

    t0 = time.perf_counter()
    say("Migrating the benchmark database (code lists and all obce come with it) …")
    call_command("migrate", verbosity=0, interactive=False)
    t_migrate = time.perf_counter() - t0
    say(f"  migrated in {t_migrate:.1f} s")
    now = timezone.now()
    say(f"Generating {args.services:,} services from {args.organizations:,} organisations …")
    scale = Scale(services=args.services, organizations=args.organizations, seed=args.seed)
    counts = Generator(scale, now=now, say=say).run()
    t_gen = time.perf_counter() - t0 - t_migrate
    say("Analysing tables and merging the full-text index …")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "INSERT INTO directory_service_fts(directory_service_fts) VALUES ('optimize')"
        )
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY, value TEXT)"
        )
        total = time.perf_counter() - t0
        meta = {
            "fingerprint": key,
            "reference_now": now.isoformat(),
            "generate_s": f"{total:.1f}",
            "migrate_s": f"{t_migrate:.1f}",
            "counts": json.dumps(counts),
        }
        cursor.executemany(
            f"INSERT OR REPLACE INTO {META_TABLE} (key, value) VALUES (%s, %s)",
            list(meta.items()),
        )
    connection.close()
    with sqlite3.connect(args.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    say(f"  generated in {total:.1f} s (migrate {t_migrate:.1f} s, data {t_gen:.1f} s)")
    return {"generate_s": round(total, 1), "migrate_s": round(t_migrate, 1)}


def shift_capacity_dates(meta: dict[str, str]) -> None:
    """A cached database keeps its mix of fresh and stale capacity: move reports to today."""
    from django.db import connection
    from django.db.models import F
    from django.utils import timezone

    from directory.models import CapacityReport

    reference = datetime.fromisoformat(meta["reference_now"])
    delta = timezone.now() - reference
    if delta.total_seconds() < 3600:
        return
    CapacityReport.objects.update(reported_at=F("reported_at") + delta)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {META_TABLE} SET value = %s WHERE key = 'reference_now'",
            [timezone.now().isoformat()],
        )
    say(f"  moved capacity reports forward by {delta.days} days to keep their mix")


def verify_sample(n: int = 40) -> None:
    """The generated search text and coverage equal what the application computes itself."""
    from directory.models import Service, ServiceCoverage
    from directory.services import build_search_text, covered_municipality_codes
    from spojka.text import normalize

    all_ids = list(Service.objects.order_by("id").values_list("id", flat=True))
    ids = all_ids[:: max(1, len(all_ids) // n)]
    problems = []
    for service in Service.objects.filter(id__in=ids[:n]).select_related(
        "service_type", "organization"
    ):
        title, body = build_search_text(service)
        if normalize(title) != service.search_title or normalize(body) != service.search_document:
            problems.append(f"search text of {service.id} differs from build_search_text")
        stored = dict(
            ServiceCoverage.objects.filter(service=service).values_list(
                "municipality_id", "by_area"
            )
        )
        if stored != covered_municipality_codes(service):
            problems.append(f"coverage of {service.id} differs from covered_municipality_codes")
    if problems:
        raise SystemExit(
            "Generated data disagree with the application:\n  " + "\n  ".join(problems)
        )
    say(f"  checked {len(ids[:n])} services: search text and coverage match the application")


# ------------------------------------------------------------------------- measurement
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


class FunctionTimer:
    """Wall time spent inside one function (the view's search_services), per request."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, function):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return timed


def percentile(values: list[float], pct: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def search_page_available() -> bool:
    from django.urls import Resolver404, resolve

    try:
        return resolve("/cr/hledat/").view_name == "portal:search"
    except Resolver404:
        return False


class Runner:
    def __init__(self, page_mode: bool):
        from django.conf import settings
        from django.test import Client

        self.client = Client()
        self.page_mode = page_mode
        self.page_size = settings.SPOJKA_PAGE_SIZE

    def search(self, query) -> int:
        """One search; returns the size of what was produced (bytes of HTML or hits)."""
        if self.page_mode:
            response = self.client.get(f"/cr/hledat/?{query.querystring()}")
            if response.status_code != 200:
                raise SystemExit(
                    f"/cr/hledat/?{query.querystring()} answered {response.status_code}"
                )
            return len(response.content)
        from directory.search import SearchFilters, search_services
        from territory.models import Territory

        territory = Territory.objects.get(slug="cr")
        result = search_services(
            territory=territory,
            query=query.q,
            filters=SearchFilters(
                municipality=query.obec,
                service_type=query.druh,
                free_places=query.volna,
                situation=query.situace,
                form=query.forma,
            ),
            page=query.strana,
            page_size=self.page_size,
        )
        for hit in result.hits:  # what a card reads
            service = hit.service
            _ = (
                service.organization.name,
                service.service_type.name,
                service.latest_capacity,
                list(service.forms.all()),
                list(service.target_groups.all()),
                [loc.municipality.name for loc in service.locations.all()],
            )
        return len(result.hits)

    def floor(self) -> int:
        response = self.client.get("/_bench/floor/")
        if response.status_code != 200:
            raise SystemExit(f"/_bench/floor/ answered {response.status_code}")
        return len(response.content)


def build_query_set(n: int, seed: int):
    from bench.queries import TOWNS, build_queries
    from catalog.models import LifeSituation, ProvisionForm, ServiceType
    from territory.models import Municipality

    towns = {}
    for municipality in Municipality.objects.filter(name__in=TOWNS).order_by("code"):
        towns.setdefault(municipality.name, municipality.code)
    codes = list(Municipality.objects.order_by("code").values_list("code", flat=True))
    small = codes[7::97]
    type_codes = list(ServiceType.objects.order_by("order", "code").values_list("code", flat=True))
    situations = list(
        LifeSituation.objects.order_by("order", "slug").values_list("slug", flat=True)
    )
    forms = list(ProvisionForm.objects.order_by("order", "code").values_list("code", flat=True))
    return build_queries(
        towns=towns,
        small_towns=small,
        type_codes=type_codes,
        situations=situations,
        forms=forms,
        n=n,
        seed=seed,
    )


def measure(args: argparse.Namespace) -> tuple[dict[str, float], list]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.views import base_template_exists

    page_mode = search_page_available() and not args.function
    runner = Runner(page_mode)
    queries = build_query_set(args.queries, seed=7)
    warmup = build_query_set(args.warmup, seed=8)
    what = (
        "rendering /cr/hledat/ through the test Client"
        if page_mode
        else ("calling directory.search.search_services (the portal search view is not there yet)")
    )
    say(f"Measuring {len(queries)} searches, {what}, interleaved with the floor page …")

    for query in warmup:
        runner.search(query)
        runner.floor()
    with CaptureQueriesContext(connection) as floor_queries:
        runner.floor()
    if len(floor_queries):
        say(f"  WARNING: the floor page made {len(floor_queries)} database queries")

    meter = SqlMeter()
    # In page mode, also time the view's call of search_services, to split ranking from
    # everything else (form, template, middleware).
    timer = FunctionTimer()
    views = None
    if page_mode:
        import portal.views as views

        original = getattr(views, "search_services", None)
        if original is not None:
            views.search_services = timer.wrap(original)
    original = None
    search_ms, floor_ms, sql_ms, sql_counts, sizes, fn_ms = [], [], [], [], [], []
    start = time.perf_counter()
    with connection.execute_wrapper(meter):
        for i, query in enumerate(queries):
            order = ("search", "floor") if i % 2 == 0 else ("floor", "search")
            for which in order:
                if which == "search":
                    meter.reset()
                    timer.seconds = 0.0
                    t = time.perf_counter()
                    sizes.append(runner.search(query))
                    search_ms.append((time.perf_counter() - t) * 1000)
                    sql_ms.append(meter.seconds * 1000)
                    sql_counts.append(meter.count)
                    fn_ms.append(timer.seconds * 1000)
                else:
                    t = time.perf_counter()
                    runner.floor()
                    floor_ms.append((time.perf_counter() - t) * 1000)
            done = i + 1
            if done % max(1, len(queries) // 10) == 0:
                say(
                    f"  measure: {100 * done // len(queries):3d} %  {done} searches, "
                    f"median so far {statistics.median(search_ms):.1f} ms"
                )
    measure_s = time.perf_counter() - start
    if views is not None and original is not None:
        views.search_services = original

    def group_p95(pred) -> float:
        values = [ms for ms, q in zip(search_ms, queries, strict=True) if pred(q)]
        return round(percentile(values, 95), 2) if values else 0.0

    s_p95 = percentile(search_ms, 95)
    f_p95 = percentile(floor_ms, 95)
    figures = {
        "search_p50_ms": round(percentile(search_ms, 50), 2),
        "search_p95_ms": round(s_p95, 2),
        "search_p99_ms": round(percentile(search_ms, 99), 2),
        "search_mean_ms": round(statistics.fmean(search_ms), 2),
        "search_max_ms": round(max(search_ms), 2),
        "floor_p50_ms": round(percentile(floor_ms, 50), 2),
        "floor_p95_ms": round(f_p95, 2),
        "floor_p99_ms": round(percentile(floor_ms, 99), 2),
        "search_p95_over_floor": round(s_p95 / f_p95, 2) if f_p95 else 0.0,
        "search_text_only_p95_ms": group_p95(lambda q: q.q and not q.has_filters),
        "search_with_filters_p95_ms": group_p95(lambda q: q.q and q.has_filters),
        "search_browse_p95_ms": group_p95(lambda q: not q.q),
        "search_sql_p50_ms": round(percentile(sql_ms, 50), 2),
        "search_sql_p95_ms": round(percentile(sql_ms, 95), 2),
        "search_queries_per_request": round(statistics.fmean(sql_counts), 1),
        "floor_queries_per_request": len(floor_queries),
        "search_requests": len(queries),
        "search_renders_page": int(page_mode),
        "floor_uses_base_template": int(base_template_exists()),
        "measure_s": round(measure_s, 1),
    }
    if page_mode:
        figures["search_page_kb_mean"] = round(statistics.fmean(sizes) / 1024, 1)
        if any(fn_ms):
            outside = [total - fn for total, fn in zip(search_ms, fn_ms, strict=True)]
            figures["search_fn_p50_ms"] = round(percentile(fn_ms, 50), 2)
            figures["search_fn_p95_ms"] = round(percentile(fn_ms, 95), 2)
            figures["search_outside_fn_p50_ms"] = round(percentile(outside, 50), 2)
            figures["search_outside_fn_p95_ms"] = round(percentile(outside, 95), 2)
    else:
        figures["search_hits_mean"] = round(statistics.fmean(sizes), 1)
    return figures, queries


# --------------------------------------------------------------------------- profiling
CATEGORIES = [
    ("SQLite engine (execute/fetch)", ("sqlite3.", "SQLiteCursorWrapper.execute")),
    ("normaliser (spojka.text, simplemma)", ("spojka/text.py", "simplemma")),
    ("directory/search.py (Python)", ("directory/search.py",)),
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
    ("URL resolving", ("django/urls/",)),
    ("translation", ("django/utils/translation",)),
    (
        "request, middleware, test client",
        ("django/core/", "django/middleware", "django/test", "django/http", "django/contrib"),
    ),
    ("other Django utilities", ("django/utils/",)),
]
# Entry points whose cumulative time (including what they call) is worth knowing.
CUMULATIVE = [
    ("portal search view", "portal/views.py", "search"),
    ("search_services", "directory/search.py", "search_services"),
    (
        "template rendering (render_to_string, incl. lazy SQL)",
        "django/template/loader.py",
        "render_to_string",
    ),
    (
        "form field rendering (BoundField.__str__/as_widget)",
        "django/forms/boundfield.py",
        "as_widget",
    ),
    ("SearchForm construction", "portal/forms.py", "__init__"),
]


def _category(filename: str, name: str) -> str:
    where = f"{filename} {name}"
    for label, needles in CATEGORIES:
        if any(n in where for n in needles):
            return label
    return "other Python"


def profile(args: argparse.Namespace, queries: list, wall_p50: float) -> dict[str, float]:
    """Where a search request spends its time: cProfile by area, and the slowest SQL."""
    import cProfile
    import pstats

    from django.db import connection

    page_mode = search_page_available() and not args.function
    runner = Runner(page_mode)
    meter = SqlMeter(keep_statements=True)
    profiler = cProfile.Profile()
    with connection.execute_wrapper(meter):
        profiler.enable()
        for query in queries:
            runner.search(query)
        profiler.disable()
    stats = pstats.Stats(profiler)
    by_category: dict[str, float] = defaultdict(float)
    total = 0.0
    cumulative: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, tottime, cumtime, _callers) in stats.stats.items():
        by_category[_category(filename, name)] += tottime
        total += tottime
        for label, suffix, function in CUMULATIVE:
            if filename.endswith(suffix) and name == function:
                cumulative[label] = max(cumulative.get(label, 0.0), cumtime)
    n = len(queries)
    lines = [
        f"Profile of {n} searches ({'page' if page_mode else 'search function'}); "
        f"cProfile slows Python down, so read shares, not absolute times.",
        f"Wall-clock median without the profiler: {wall_p50:.1f} ms/request.",
        "",
        f"{'area (own time)':45} {'ms/request':>10} {'share':>7}",
    ]
    for label, seconds in sorted(by_category.items(), key=lambda kv: -kv[1]):
        lines.append(f"{label:45} {seconds * 1000 / n:10.2f} {100 * seconds / total:6.1f}%")
    lines += ["", f"{'cumulative (with everything it calls)':55} {'ms/request':>10} {'share':>7}"]
    for label, _suffix, _function in CUMULATIVE:
        if label in cumulative:
            seconds = cumulative[label]
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
            try:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = [row[-1] for row in cursor.fetchall()]
            except Exception as exc:
                plan = [f"(no plan: {exc})"]
            lines.append("  " + " ".join(sql.split())[:160])
            lines += [f"      {step}" for step in plan]
    lines += ["", "Top functions by own time:"]
    PROFILE_OUT.parent.mkdir(parents=True, exist_ok=True)
    with PROFILE_OUT.open("w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
        stats.stream = out
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(30)
    say("\n".join(lines))
    say(f"(full profile in {PROFILE_OUT.relative_to(ROOT)})")
    sql_share = by_category.get("SQLite engine (execute/fetch)", 0.0) / total if total else 0
    return {"search_profile_sql_share": round(sql_share, 3)}


# ------------------------------------------------------------------------------- output
def write_results(figures: dict[str, float]) -> dict[str, float]:
    merged: dict[str, float] = {}
    if RESULTS.exists():
        try:
            merged = json.loads(RESULTS.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            say(f"  {RESULTS.name} was not valid JSON; starting it afresh")
            merged = {}
    merged.update(figures)
    RESULTS.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return merged


def print_table(figures: dict[str, float]) -> None:
    width = max(len(k) for k in figures)
    say("")
    say(f"{'name':{width}}  value")
    say(f"{'-' * width}  {'-' * 12}")
    for key, value in figures.items():
        shown = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
        say(f"{key:{width}}  {shown}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--organizations", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20_250_602)
    parser.add_argument("--queries", type=int, default=200, help="measured searches")
    parser.add_argument("--warmup", type=int, default=20, help="searches before measuring")
    parser.add_argument(
        "--db", type=Path, default=None, help="database file (default bench/work/bench.sqlite3)"
    )
    parser.add_argument("--regenerate", action="store_true", help="ignore the cached database")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile the searches (automatic when a target is missed)",
    )
    parser.add_argument("--no-profile", action="store_true", help="never profile")
    parser.add_argument(
        "--function",
        action="store_true",
        help="time search_services instead of the page even when the page exists",
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/results.json")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    db = (args.db or DEFAULT_DB).resolve()
    if db == (ROOT / "var" / "spojka.sqlite3").resolve():
        raise SystemExit("The benchmark never uses var/spojka.sqlite3; choose another --db.")
    args.db = db
    db.parent.mkdir(parents=True, exist_ok=True)
    (WORK / "static").mkdir(parents=True, exist_ok=True)

    # Before Django reads its settings: our own database, production-like request handling.
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["SPOJKA_ENV"] = "development"
    os.environ["SPOJKA_DEBUG"] = "0"
    os.environ["DATABASE_CONN_MAX_AGE"] = "600"
    sys.path.insert(0, str(ROOT))

    started = time.perf_counter()
    key = fingerprint(args)
    meta = read_meta(db)
    cached = not args.regenerate and meta.get("fingerprint") == key
    if not cached:
        if db.exists():
            say("The cached benchmark database is out of date (or --regenerate): rebuilding it.")
        drop_database(db)

    import django

    django.setup()

    figures: dict[str, float] = {}
    if cached:
        say(
            f"Reusing {db.relative_to(ROOT) if db.is_relative_to(ROOT) else db} "
            f"(generated in {meta.get('generate_s', '?')} s; --regenerate to rebuild)"
        )
        shift_capacity_dates(meta)
        figures["generate_s"] = float(meta.get("generate_s", 0))
        figures["generate_cached"] = 1
    else:
        figures.update(generate(args, key))
        figures["generate_cached"] = 0
    verify_sample()

    from directory.models import CapacityReport, Location, Organization, Service, ServiceCoverage
    from territory.models import Municipality

    scale = {
        "services": Service.objects.count(),
        "organizations": Organization.objects.count(),
        "municipalities": Municipality.objects.count(),
        "locations": Location.objects.count(),
        "coverage_rows": ServiceCoverage.objects.count(),
        "capacity_reports": CapacityReport.objects.count(),
        "db_mb": round(db.stat().st_size / 2**20, 1),
    }
    figures = {**scale, **figures}
    if args.generate_only:
        print_table(figures)
        return 0

    load_before = os.getloadavg()[0]
    measured, queries = measure(args)
    figures.update(measured)
    # Other work on the machine inflates every figure; record it so that runs compare.
    figures["cpus"] = os.cpu_count() or 0
    figures["load_avg_1m"] = round(max(load_before, os.getloadavg()[0]), 2)
    if figures["load_avg_1m"] > figures["cpus"]:
        say(
            f"  WARNING: load average {figures['load_avg_1m']} on {figures['cpus']} CPUs: "
            "other processes were competing, the timings are inflated"
        )
    missed = (
        figures["search_p95_ms"] > TARGET_P95_MS or figures["search_p95_over_floor"] > TARGET_RATIO
    )
    if (args.profile or missed) and not args.no_profile:
        say("")
        say("Search misses a target: profiling it …" if missed else "Profiling the searches …")
        figures.update(profile(args, queries, figures["search_p50_ms"]))
    figures["bench_total_s"] = round(time.perf_counter() - started, 1)
    if not args.no_write:
        write_results(figures)
    print_table(figures)
    verdict = "meets" if not missed else "MISSES"
    say("")
    say(
        f"bench: {figures['services']:,} services, search p95 {figures['search_p95_ms']:.1f} ms "
        f"(target ≤ {TARGET_P95_MS:.0f}), floor p95 {figures['floor_p95_ms']:.1f} ms, "
        f"ratio {figures['search_p95_over_floor']:.1f}× (target ≤ {TARGET_RATIO:.0f}×): "
        f"{verdict} the targets; "
        + ("results not written" if args.no_write else f"wrote {RESULTS.relative_to(ROOT)}")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

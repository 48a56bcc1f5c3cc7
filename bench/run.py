"""`make bench`: generate a national-scale directory, then time its pages against a floor page.

1. Generates (or reuses, when its fingerprint matches) a directory of 100,000 services from
   20,000 organisations over all 6,258 obce in its own SQLite file, bench/work/bench.sqlite3,
   and into a copy of it (bench/work/bench-referrals.sqlite3) a referral loop of 100,000
   referrals and 10,000 persons (cached by a fingerprint of its own).
2. Renders the search results page of the national territory (/cr/hledat/?q=…) for 200
   varied Czech queries through Django's test Client, interleaved with a floor page that
   extends the same base.html and asks the database nothing.
3. Times the HSDS API (/api/hsds/services?per_page=50, listing and search=), a worker's
   inbox and referral page, and the cost of audit logging per request, each interleaved
   with the floor page of the same run; then the MPSV registry import of a 7,000-service
   file in a child process (bench/mpsv_bench.py).
4. Times project monitoring (bench/monitoring_bench.py: every indicator of a project with
   1,000,000 records of support on SQLite and PostgreSQL, the XLSX export of 50,000
   participant cards), then the load and fault test (bench/load_bench.py: locust against
   gunicorn on SQLite and PostgreSQL, a worker killed, PostgreSQL restarted). Both bring
   their own data; PostgreSQL is a private cluster of Debian's binaries, skipped when they
   are not installed.
5. Merges the figures into bench/results.json (a flat object of named numbers) and prints
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
import signal
import sqlite3
import statistics
import sys
import time
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


def generation_lock(db: Path):
    """An exclusive lock on `<db>.lock`, held while the database is checked and built;
    close the returned file to release it."""
    import fcntl

    handle = open(f"{db}.lock", "w")  # noqa: SIM115 (closed by the caller)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        say(f"Waiting for another run that is building {db.name} …")
        fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


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
    from directory.services import sync_room

    sync_room()
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
def warm_file_cache(path: Path) -> float:
    """Read the database file once, so that the measured pages find it in the operating
    system's file cache, as on a server that has been answering for a while.

    This virtual machine drops idle file pages within minutes: the same search run gave a
    p95 of 73 ms just after an idle spell and 41 ms when run again at once. The targets are
    about a running server, not the first minute after a cold start. Returns the seconds
    the reading took (the cold part of the difference)."""
    t0 = time.perf_counter()
    with open(path, "rb") as handle:
        while handle.read(8 << 20):
            pass
    return round(time.perf_counter() - t0, 1)


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

    from bench.common import SqlMeter, percentile
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
# Entry points of the search page whose cumulative time (with what they call) is worth knowing.
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


def profile(args: argparse.Namespace, queries: list, wall_p50: float) -> dict[str, float]:
    """Where a search request spends its time: cProfile by area, and the slowest SQL."""
    from bench.common import profile_calls

    page_mode = search_page_available() and not args.function
    runner = Runner(page_mode)
    result = profile_calls(
        f"searches ({'page' if page_mode else 'search function'})",
        [lambda q=q: runner.search(q) for q in queries],
        PROFILE_OUT,
        wall_p50=wall_p50,
        cumulative=CUMULATIVE,
    )
    return {"search_profile_sql_share": result["sql_share"]}


def profile_kind(
    name: str, calls: list, wall_p50: float, cumulative: list, limit: int = 40
) -> dict[str, float]:
    """Profile the first `limit` requests of one kind into bench/work/profile-<name>.txt."""
    from bench.common import profile_calls

    say("")
    say(f"Profiling {name} …")
    result = profile_calls(
        f"{name} requests",
        calls[:limit],
        WORK / f"profile-{name}.txt",
        wall_p50=wall_p50,
        cumulative=cumulative,
    )
    return {f"{name}_profile_sql_share": result["sql_share"]}


# ------------------------------------------------------------------------------- output
def write_results(figures: dict[str, float]) -> dict[str, float]:
    figures = numbers_only(figures)
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


def numbers_only(figures: dict) -> dict[str, float]:
    """results.json is a flat object of named numbers: a part that could not measure a
    figure (None) leaves it out rather than writing null."""
    return {
        k: v for k, v in figures.items() if isinstance(v, int | float) and not isinstance(v, bool)
    }


def print_table(figures: dict[str, float]) -> None:
    figures = numbers_only(figures)
    if not figures:
        return
    width = max(len(k) for k in figures)
    say("")
    say(f"{'name':{width}}  value")
    say(f"{'-' * width}  {'-' * 12}")
    for key, value in figures.items():
        shown = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
        say(f"{key:{width}}  {shown}")


SECTIONS = ("search", "hsds", "referrals", "mpsv", "monitoring", "load")
# Parts that bring their own data: a run of only these needs no generated directory
# (the load test builds or reuses bench.sqlite3 itself, through `run.py --generate-only`).
STANDALONE = ("mpsv", "monitoring", "load")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--organizations", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20_250_602)
    parser.add_argument("--queries", type=int, default=200, help="measured searches")
    parser.add_argument("--warmup", type=int, default=20, help="searches before measuring")
    parser.add_argument(
        "--hsds-requests",
        type=int,
        default=100,
        help="measured requests of each kind of the HSDS API (list pages, searches)",
    )
    parser.add_argument(
        "--referral-requests",
        type=int,
        default=200,
        help="measured rounds of the worker's pages (inbox and referral, audit on and off)",
    )
    parser.add_argument("--referrals", type=int, default=100_000, help="referrals to generate")
    parser.add_argument("--persons", type=int, default=10_000, help="persons to generate")
    parser.add_argument("--referral-seed", type=int, default=20_260_404)
    parser.add_argument(
        "--load-duration",
        type=int,
        default=None,
        help="seconds of each locust run of the load part (default 60)",
    )
    parser.add_argument(
        "--load-backends",
        default=None,
        help="databases of the load part, comma-separated: sqlite,postgresql (default both)",
    )
    parser.add_argument(
        "--no-load-faults", action="store_true", help="load part without the run with faults"
    )
    parser.add_argument(
        "--skip",
        action="append",
        choices=SECTIONS,
        default=[],
        help="leave out a part of the benchmark (repeatable)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        default=[],
        help="run only this part (repeatable)",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="database file (default bench/work/bench.sqlite3)"
    )
    parser.add_argument("--regenerate", action="store_true", help="ignore the cached database")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile every part (automatic for a part that misses its target)",
    )
    parser.add_argument("--no-profile", action="store_true", help="never profile")
    parser.add_argument(
        "--function",
        action="store_true",
        help="time search_services instead of the page even when the page exists",
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/results.json")
    args = parser.parse_args()
    args.sections = [
        s for s in SECTIONS if (not args.only or s in args.only) and s not in args.skip
    ]
    if args.load_backends:
        backends = {b.strip() for b in args.load_backends.split(",") if b.strip()}
        if backends - {"sqlite", "postgresql"}:
            parser.error(
                f"--load-backends: unknown {', '.join(sorted(backends - {'sqlite', 'postgresql'}))}"
            )
    return args


class Verdicts:
    """Targets met or missed, for the closing lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.missed = 0

    def check(self, label: str, value: float, target: float, unit: str = "ms") -> bool:
        ok = value <= target
        self.missed += not ok
        shown = f"{value:10,}" if isinstance(value, int) else f"{value:10,.2f}"
        bound = "= 0" if target == 0 else f"≤ {target:g}"  # counts that must be zero
        self.lines.append(
            f"  {label:34} {shown} {unit:2}  target {bound}  " + ("meets" if ok else "MISSES")
        )
        return ok


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
    # The worker's pages are measured with force_login, without the second factor.
    os.environ["SPOJKA_REQUIRE_2FA"] = "0"
    sys.path.insert(0, str(ROOT))

    # SIGTERM (make's or CI's timeout) unwinds like Ctrl+C, so that the gunicorn, locust
    # and PostgreSQL processes of the load and monitoring parts are stopped, not orphaned.
    signal.signal(signal.SIGTERM, _stop_on_sigterm)

    started = time.perf_counter()
    if set(args.sections) <= set(STANDALONE) and not args.generate_only:
        # These parts bring their own data and databases: no directory needed.
        figures: dict[str, float] = {"cpus": os.cpu_count() or 0}
        figures["load_avg_1m"] = round(os.getloadavg()[0], 2)
        verdicts = Verdicts()
        failed = standalone_parts(args, figures, verdicts)
        return finish(args, figures, verdicts, started, failed)
    key = fingerprint(args)
    # Two runs at once (`make load` beside a search run, say) must not both rebuild — or
    # one drop what the other is building: the check and the generation hold a lock.
    lock = generation_lock(db)
    meta = read_meta(db)
    cached = not args.regenerate and meta.get("fingerprint") == key
    if not cached:
        if db.exists():
            say("The cached benchmark database is out of date (or --regenerate): rebuilding it.")
        drop_database(db)

    import django

    django.setup()
    # As an app-server worker does once Django has loaded (spojka/wsgi.py).
    from spojka.runtime import freeze_loaded_objects

    freeze_loaded_objects()

    from bench import api_bench, referrals_bench

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
    lock.close()  # releases the lock
    verify_sample()
    from bench.common import use_database

    # The referral loop lives in a copy of the directory (bench/work/bench-referrals.sqlite3),
    # so that bench.sqlite3 stays the plain directory other tools copy. --generate-only
    # builds it only when asked for (--generate-only --only referrals).
    with_referrals = "referrals" in args.sections and (
        not args.generate_only or "referrals" in args.only
    )
    referral_scale: dict[str, float] = {}
    if with_referrals:
        referrals_db, built = referrals_bench.ensure(args, key, db)
        figures.update(built)
        referral_scale = {
            **referrals_bench.scale_figures(),
            "referrals_db_mb": round(referrals_db.stat().st_size / 2**20, 1),
        }
        use_database(db)

    from directory.models import CapacityReport, Location, Organization, Service, ServiceCoverage
    from territory.models import Municipality

    scale = {
        "services": Service.objects.count(),
        "organizations": Organization.objects.count(),
        "municipalities": Municipality.objects.count(),
        "locations": Location.objects.count(),
        "coverage_rows": ServiceCoverage.objects.count(),
        "capacity_reports": CapacityReport.objects.count(),
    }
    scale["db_mb"] = round(db.stat().st_size / 2**20, 1)
    scale.update(referral_scale)
    figures = {**scale, **figures}
    if args.generate_only:
        print_table(figures)
        return 0

    # Profiles of an earlier run would read as this run's: remove those of the parts we run.
    stale = {
        "search": ["profile.txt"],
        "hsds": ["profile-hsds_services.txt", "profile-hsds_search.txt"],
        "referrals": ["profile-inbox.txt", "profile-referral.txt"],
    }
    for section in args.sections:
        for name in stale.get(section, []):
            (WORK / name).unlink(missing_ok=True)

    verdicts = Verdicts()
    loads = [os.getloadavg()[0]]

    def may_profile(missed: bool) -> bool:
        return (missed or args.profile) and not args.no_profile

    if {"search", "hsds"} & set(args.sections):
        figures["db_warm_s"] = warm_file_cache(db)
    if "search" in args.sections:
        measured, queries = measure(args)
        figures.update(measured)
        loads.append(os.getloadavg()[0])
        ok = verdicts.check("search_p95_ms", figures["search_p95_ms"], TARGET_P95_MS)
        ok &= verdicts.check(
            "search_p95_over_floor", figures["search_p95_over_floor"], TARGET_RATIO, "×"
        )
        if may_profile(not ok):
            say("")
            say("Search misses a target: profiling it …" if not ok else "Profiling the searches …")
            figures.update(profile(args, queries, figures["search_p50_ms"]))

    if "hsds" in args.sections:
        if api_bench.available():
            say("")
            t0 = time.perf_counter()
            measured, calls = api_bench.measure(args.hsds_requests)
            figures.update(measured)
            figures["hsds_measure_s"] = round(time.perf_counter() - t0, 1)
            loads.append(os.getloadavg()[0])
            for kind in ("hsds_services", "hsds_search"):
                ok = verdicts.check(
                    f"{kind}_p95_ms", figures[f"{kind}_p95_ms"], api_bench.TARGET_P95_MS
                )
                if may_profile(not ok):
                    figures.update(
                        profile_kind(
                            kind, calls[kind], figures[f"{kind}_p50_ms"], api_bench.CUMULATIVE
                        )
                    )
        else:
            say("The HSDS API (/api/hsds/services) is not there: skipping its part.")

    if with_referrals:
        say("")
        use_database(referrals_db)
        figures["referrals_db_warm_s"] = warm_file_cache(referrals_db)
        t0 = time.perf_counter()
        measured, calls = referrals_bench.measure(args.referral_requests)
        figures.update(measured)
        figures["referrals_measure_s"] = round(time.perf_counter() - t0, 1)
        loads.append(os.getloadavg()[0])
        target = referrals_bench.TARGET_PAGE_P95_MS
        inbox_ok = verdicts.check("inbox_p95_ms", figures["inbox_p95_ms"], target)
        referral_ok = verdicts.check("referral_p95_ms", figures["referral_p95_ms"], target)
        audit_ok = verdicts.check(
            "audit_overhead_ms", figures["audit_overhead_ms"], referrals_bench.TARGET_AUDIT_MS
        )
        if may_profile(not inbox_ok):
            figures.update(
                profile_kind(
                    "inbox", calls["inbox"], figures["inbox_p50_ms"], referrals_bench.CUMULATIVE
                )
            )
        if may_profile(not (referral_ok and audit_ok)):
            figures.update(
                profile_kind(
                    "referral",
                    calls["referral"],
                    figures["referral_p50_ms"],
                    referrals_bench.CUMULATIVE,
                )
            )

    # Other work on the machine inflates every figure; record it so that runs compare.
    figures["cpus"] = os.cpu_count() or 0
    figures["load_avg_1m"] = round(max(loads), 2)
    say("")
    say(
        "Load average (1 min) before and after each part: "
        + " → ".join(f"{load:.2f}" for load in loads)
        + f" on {figures['cpus']} CPUs"
    )
    if figures["load_avg_1m"] > figures["cpus"]:
        say(
            f"  WARNING: load average {figures['load_avg_1m']} on {figures['cpus']} CPUs: "
            "other processes were competing, the timings are inflated"
        )

    failed = standalone_parts(args, figures, verdicts)
    return finish(args, figures, verdicts, started, failed)


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def standalone_parts(
    args: argparse.Namespace, figures: dict[str, float], verdicts: Verdicts
) -> bool:
    """The parts with data of their own, in this order (load last: the longest and the one
    that loads the machine itself); True when any of them failed."""
    failed = False
    if "mpsv" in args.sections:
        failed |= not mpsv_part(figures, verdicts)
    if "monitoring" in args.sections:
        failed |= not monitoring_part(figures, verdicts)
    if "load" in args.sections:
        failed |= not load_part(args, figures, verdicts)
    return failed


def _note_load(figures: dict[str, float]) -> None:
    """Keep `load_avg_1m` the highest load average sampled around the measured parts."""
    figures["load_avg_1m"] = round(max(figures.get("load_avg_1m", 0.0), os.getloadavg()[0]), 2)


def mpsv_part(figures: dict[str, float], verdicts: Verdicts) -> bool:
    """The MPSV import in a child process (bench/mpsv_bench.py); False when it failed."""
    from bench.mpsv_bench import TARGET_RSS_MB, TARGET_S, run_mpsv_bench

    say("")
    t0 = time.perf_counter()
    try:
        figures.update(run_mpsv_bench(WORK, say=say))
    except Exception as exc:  # a failed import is reported, the other figures kept
        say(f"  MPSV import benchmark FAILED: {exc}")
        return False
    finally:
        figures["mpsv_bench_s"] = round(time.perf_counter() - t0, 1)
    verdicts.check("mpsv_import_s", figures["mpsv_import_s"], TARGET_S, "s")
    verdicts.check("mpsv_import_rss_mb", figures["mpsv_import_rss_mb"], TARGET_RSS_MB, "MB")
    return True


def monitoring_part(figures: dict[str, float], verdicts: Verdicts) -> bool:
    """Project monitoring on SQLite and PostgreSQL (bench/monitoring_bench.py, child
    processes with data of their own); False when it failed."""
    from bench.monitoring_bench import (
        TARGET_INDICATORS_S,
        TARGET_XLSX_S,
        PartialFailure,
        run_monitoring_bench,
    )

    say("")
    _note_load(figures)
    t0 = time.perf_counter()
    ok = True
    try:
        measured = run_monitoring_bench(WORK, say=say)
    except PartialFailure as exc:  # SQLite measured, PostgreSQL failed: keep SQLite's
        say(f"  monitoring benchmark FAILED: {exc}")
        measured, ok = exc.figures, False
    except Exception as exc:  # reported; the other parts' figures are kept
        say(f"  monitoring benchmark FAILED: {exc}")
        return False
    finally:
        figures["monitoring_bench_s"] = round(time.perf_counter() - t0, 1)
    _note_load(figures)
    for name, value in measured.items():
        if value is not None:  # the PostgreSQL figure is None when it was skipped
            # The names issue #6 gave them: indicators_s, indicators_pg_s, participants_xlsx_s.
            figures[name] = value
    for name, target in (
        ("indicators_s", TARGET_INDICATORS_S),
        ("indicators_pg_s", TARGET_INDICATORS_S),
        ("participants_xlsx_s", TARGET_XLSX_S),
    ):
        if name in figures:
            verdicts.check(name, figures[name], target, "s")
    return ok


def load_part(args: argparse.Namespace, figures: dict[str, float], verdicts: Verdicts) -> bool:
    """The load and fault test (bench/load_bench.py: locust, gunicorn, PostgreSQL in
    processes of their own); False when it could not run to the end."""
    from bench.load_bench import run_load_bench

    options: dict = {
        "services": args.services,
        "organizations": args.organizations,
        "seed": args.seed,
    }
    if args.load_duration is not None:
        options["duration"] = args.load_duration
    if args.load_backends:
        options["backends"] = tuple(filter(None, map(str.strip, args.load_backends.split(","))))
    if args.no_load_faults:
        options["faults"] = False
    say("")
    say("Load and fault test (locust against gunicorn; several minutes) …")
    # Sampled before only: the load test's own locust and gunicorn keep both CPUs busy.
    _note_load(figures)
    t0 = time.perf_counter()
    try:
        measured = run_load_bench(WORK, **options)
    except (Exception, SystemExit) as exc:  # run_load stops with SystemExit and a message
        say(f"  load benchmark FAILED: {exc}")
        return False
    finally:
        figures["load_bench_s"] = round(time.perf_counter() - t0, 1)
    figures.update({k: v for k, v in measured.items() if v is not None})
    # Correctness targets (nothing failed, nothing acknowledged lost): a miss is a MISSES
    # line like any other target, not a failure of the benchmark itself.
    for name in ("load_errors", "load_lost", "load_fault_errors_after_recovery"):
        if name in figures:
            verdicts.check(name, figures[name], 0, "")
    return True


def finish(
    args: argparse.Namespace,
    figures: dict[str, float],
    verdicts: Verdicts,
    started: float,
    failed: bool,
) -> int:
    figures["bench_total_s"] = round(time.perf_counter() - started, 1)
    if not args.no_write:
        write_results(figures)
    print_table(figures)
    say("")
    what = f"{figures['services']:,} services, " if "services" in figures else ""
    load = (
        f"load {figures['load_avg_1m']:.2f} on {figures['cpus']} CPUs, "
        if "load_avg_1m" in figures
        else ""
    )
    say(
        f"bench: {what}{load}{figures['bench_total_s']:.0f} s in all; "
        + ("results not written" if args.no_write else f"wrote {RESULTS.relative_to(ROOT)}")
    )
    say("\n".join(verdicts.lines))
    if verdicts.missed:
        say(f"  {verdicts.missed} target(s) missed")
    wall_started = time.time() - figures["bench_total_s"]
    # Only the directory's parts profile; otherwise a newer profile is another run's.
    profiles = sorted(
        p.name
        for p in WORK.glob("profile*.txt")
        if p.stat().st_mtime >= wall_started and not set(args.sections) <= set(STANDALONE)
    )
    if profiles:
        say(f"  profiles of this run in bench/work/: {', '.join(profiles)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

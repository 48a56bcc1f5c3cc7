"""Load and fault test of Spojka: locust against gunicorn on a national-scale directory.

For each database (SQLite, then PostgreSQL):

1. **Data.** SQLite: the benchmark's cached 100,000-service directory
   (`bench/run.py --generate-only` builds or reuses `bench/work/bench.sqlite3`), copied with
   SQLite's online backup API to `bench/work/load/load.sqlite3`, so that the load never
   changes the benchmark's database. PostgreSQL: a cluster of the load test's own
   (`loadtest/pgcluster.py`, loopback, a free port, data in `bench/work/load/pgdata`) holds
   `spojka_load_base`, filled once by the same generator with the same seed and scale
   (reused while the fingerprint of `bench/run.py` matches); each run works on a fresh
   `CREATE DATABASE spojka_load TEMPLATE spojka_load_base`.
   Then `loadtest/dataset.py seed` adds, through the application's service functions,
   the workers (provider staff), persons with consent, referrals sent to the providers and
   open events, and writes the fixture the locust users read.
2. **Server.** gunicorn (`spojka.wsgi`, gthread workers, 127.0.0.1, a free port) with the
   benchmark settings (`bench.settings`: the project plus the trivial page
   `/_bench/floor/`), DEBUG off, persistent database connections with health checks
   (`DATABASE_CONN_MAX_AGE=60`), `SPOJKA_REQUIRE_2FA=0`, Argon2 passwords.
3. **Runs** (locust headless, `--users` for `--duration` seconds each):
   - `mixed`: ~70 % portal (search and pages), ~20 % HSDS API, ~10 % signed-in work with
     referral changes and event registrations (`loadtest/locustfile.py`);
   - `floor`: the same number of users on the trivial page only;
   - `faults`: the mixed load again; at `--kill-at` seconds one gunicorn worker gets
     SIGKILL (the master starts a new one), and on PostgreSQL at `--restart-at` seconds the
     cluster is restarted (`pg_ctl restart -m fast`, every connection dropped).
   After every run each operation the site acknowledged is looked up in the database.
4. **Figures** (flat JSON of named numbers, see `loadtest/README.md`), written to
   `bench/work/load/results.json` and returned to `bench/load_bench.py`.

    .venv/bin/python loadtest/run_load.py                  # everything (about 10 minutes)
    .venv/bin/python loadtest/run_load.py --backends sqlite --no-faults --duration 20
    .venv/bin/python loadtest/run_load.py --services 5000 --organizations 1000   # quick look

Loopback only; every run is bounded in time (locust `-t`, timeouts on every wait); the
processes it starts (gunicorn, locust, PostgreSQL) are stopped when it ends.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loadtest import faults  # noqa: E402
from loadtest.pgcluster import Cluster, free_port  # noqa: E402

BIN = Path(sys.executable).parent
DEFAULT_WORKDIR = ROOT / "bench" / "work" / "load"
BENCH_DB = ROOT / "bench" / "work" / "bench.sqlite3"
LOCUSTFILE = ROOT / "loadtest" / "locustfile.py"
MIXED = ("PublicUser", "ApiUser", "WorkerUser")
FLOOR = ("FloorUser",)
PG_BASE = "spojka_load_base"
PG_DB = "spojka_load"
# A fault is recovered from when the errors it caused stop within this many seconds.
RECOVERY_LIMIT_S = 10.0


def say(message: str = "") -> None:
    print(message, flush=True)


@dataclass
class Options:
    workdir: Path = DEFAULT_WORKDIR
    backends: tuple[str, ...] = ("sqlite", "postgresql")
    users: int = 50
    spawn_rate: float = 25.0
    duration: int = 60
    wait: str = "0.5,1.5"
    workers: int = 4
    threads: int = 2
    faults: bool = True
    kill_at: float = 15.0
    restart_at: float = 35.0
    services: int = 100_000
    organizations: int = 20_000
    seed: int = 20_250_602
    accounts: int = 10
    referrals: int = 100
    events: int = 8
    floor: bool = True
    prepare_only: bool = False

    @property
    def national_scale(self) -> bool:
        return self.services == 100_000 and self.organizations == 20_000


# ------------------------------------------------------------------------------ helpers
def rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed (pip install into .venv: see loadtest/README)")
    return found


def http_status(url: str, timeout: float = 10.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return 0


def dataset(command: str, url: str, options: Options, *extra: str, log: Path) -> dict:
    """Run `python -m loadtest.dataset COMMAND` in a process of its own; its JSON answer."""
    out = options.workdir / f"dataset-{command}.json"
    out.unlink(missing_ok=True)
    args = [
        sys.executable,
        "-m",
        "loadtest.dataset",
        command,
        "--database-url",
        url,
        "--services",
        str(options.services),
        "--organizations",
        str(options.organizations),
        "--seed",
        str(options.seed),
        "--out",
        str(out),
        *extra,
    ]
    env = {**os.environ, "SPOJKA_REQUIRE_2FA": "0", "DJANGO_SETTINGS_MODULE": "spojka.settings"}
    env.pop("SPOJKA_TEST_DB", None)
    with log.open("a", encoding="utf-8") as handle:
        done = subprocess.run(
            args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.PIPE, text=True, timeout=3600
        )
        handle.write(done.stderr)
    for line in done.stderr.splitlines():
        if line.startswith("  "):
            say(line)
    if done.returncode != 0:
        raise SystemExit(f"loadtest.dataset {command} failed:\n{done.stderr[-2000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------- data
def sqlite_source(options: Options) -> Path:
    """The benchmark's directory (built or reused by bench/run.py)."""
    if options.national_scale:
        db = BENCH_DB
        extra: list[str] = []
    else:
        db = options.workdir / f"bench-{options.services}.sqlite3"
        extra = [
            "--db",
            str(db),
            "--services",
            str(options.services),
            "--organizations",
            str(options.organizations),
        ]
    say(f"SQLite: the benchmark's directory ({rel(db)}), built if out of date …")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--generate-only", "--no-write", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    (options.workdir / "bench-generate.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"bench/run.py --generate-only failed:\n{done.stderr[-2000:]}")
    return db


def prepare_sqlite(options: Options) -> str:
    source = sqlite_source(options)
    target = options.workdir / "load.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    # The online backup API: a consistent copy even while someone uses the source.
    with (
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    say(f"  copied to {rel(target)} in {time.perf_counter() - started:.1f} s")
    return f"sqlite:///{target}"


def prepare_pg(options: Options, cluster: Cluster, log: Path) -> str:
    cluster.start()
    say(f"PostgreSQL: own cluster on 127.0.0.1:{cluster.port} ({rel(cluster.data)})")
    current = False
    if cluster.exists(PG_BASE):
        current = dataset("meta", cluster.url(PG_BASE), options, log=log).get("current", False)
    if not current:
        say(f"  generating the directory into {PG_BASE} (not there or out of date) …")
        cluster.psql(f'DROP DATABASE IF EXISTS "{PG_BASE}" WITH (FORCE)')
        cluster.psql(f'CREATE DATABASE "{PG_BASE}"')
        dataset("generate-pg", cluster.url(PG_BASE), options, log=log)
    else:
        say(f"  reusing {PG_BASE}")
    started = time.perf_counter()
    cluster.clone(PG_BASE, PG_DB)
    dataset("migrate", cluster.url(PG_DB), options, log=log)
    say(f"  fresh {PG_DB} from the template, migrated, in {time.perf_counter() - started:.1f} s")
    return cluster.url(PG_DB)


def seed(options: Options, url: str, label: str, log: Path) -> Path:
    say(f"  seeding workers, referrals and events ({label}) …")
    fixture = dataset(
        "seed",
        url,
        options,
        "--accounts",
        str(options.accounts),
        "--referrals",
        str(options.referrals),
        "--events",
        str(options.events),
        log=log,
    )
    path = options.workdir / f"fixture-{label}.json"
    path.write_text(json.dumps(fixture, ensure_ascii=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ server
class Gunicorn:
    """gunicorn on 127.0.0.1, in a process group of its own, stopped on exit."""

    def __init__(self, options: Options, url: str, label: str):
        self.options = options
        self.url = url
        self.port = free_port(18100)
        self.base = f"http://127.0.0.1:{self.port}"
        self.pidfile = options.workdir / f"gunicorn-{label}.pid"
        self.log = options.workdir / f"gunicorn-{label}.log"
        self.process: subprocess.Popen | None = None
        self._log_handle = None

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SPOJKA_ENV": "development",
            "SPOJKA_DEBUG": "0",
            "SPOJKA_REQUIRE_2FA": "0",
            "DATABASE_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("SPOJKA_TEST_DB", None)
        return env

    def __enter__(self) -> Gunicorn:
        self.pidfile.unlink(missing_ok=True)
        command = [
            tool("gunicorn"),
            "spojka.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.options.workers),
            "--threads",
            str(self.options.threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            "--keep-alive",
            "5",
            "--pid",
            str(self.pidfile),
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
            "--chdir",
            str(ROOT),
        ]
        # gunicorn's own log and Django's (errors with their tracebacks) go to one file.
        self._log_handle = self.log.open("a", encoding="utf-8")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env(),
            start_new_session=True,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start; see {self.log}")
            if (
                http_status(f"{self.base}/_bench/floor/", timeout=5) == 200
                and len(faults.children(self.master)) >= self.options.workers
            ):
                return self
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 90 s; see {self.log}")

    @property
    def master(self) -> int:
        return self.process.pid if self.process else 0

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __exit__(self, *exc) -> None:
        self.stop()
        self._log_handle.close()


def warm_up(base: str, fixture: dict) -> None:
    """Every worker process loads its templates, thesaurus and connection before timing."""
    territory = fixture["territory"]
    urls = [f"/{territory}/", f"/{territory}/akce/", "/api/hsds/taxonomy_terms?per_page=5"]
    urls += [f"/{territory}/hledat/?{q}" for q in fixture["search"][:12]]
    urls += [f"/{territory}/sluzba/{pk}/" for pk in fixture["services"][:6]]
    urls += [f"/api/hsds/services/{pk}" for pk in fixture["services"][6:12]]
    for url in urls:
        http_status(base + url, timeout=30)


# ------------------------------------------------------------------------------ locust
@dataclass
class Run:
    name: str
    started: float = 0.0
    ended: float = 0.0
    stats: dict = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    faults: list[dict] = field(default_factory=list)


def run_locust(
    options: Options,
    server: Gunicorn,
    fixture: Path,
    classes: tuple[str, ...],
    name: str,
    during=None,
) -> Run:
    prefix = options.workdir / name
    acks = options.workdir / f"{name}-acks.jsonl"
    failures = options.workdir / f"{name}-failures.jsonl"
    for path in (acks, failures):
        path.unlink(missing_ok=True)
    command = [
        tool("locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(options.users),
        "--spawn-rate",
        str(options.spawn_rate),
        "--run-time",
        f"{options.duration}s",
        "--stop-timeout",
        "10",
        "--host",
        server.base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    env = {
        **os.environ,
        "SPOJKA_LOAD_FIXTURE": str(fixture),
        "SPOJKA_LOAD_ACKS": str(acks),
        "SPOJKA_LOAD_FAILURES": str(failures),
        "SPOJKA_LOAD_WAIT": options.wait,
    }
    run = Run(name)
    say(f"  {name}: {options.users} users for {options.duration} s ({', '.join(classes)}) …")
    with (options.workdir / f"{name}-locust.log").open("w", encoding="utf-8") as log:
        run.started = time.time()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        thread = None
        if during is not None:
            thread = threading.Thread(target=during, args=(run,), daemon=True)
            thread.start()
        try:
            process.wait(timeout=options.duration + 120)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
            raise SystemExit(f"locust did not stop after {options.duration + 120} s") from None
        except KeyboardInterrupt:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            raise
        run.ended = time.time()
        if thread is not None:
            thread.join(timeout=120)
    run.stats = read_stats(Path(f"{prefix}_stats.csv"))
    run.failures = (
        [
            json.loads(line)
            for line in failures.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        if failures.exists()
        else []
    )
    return run


def read_stats(path: Path) -> dict:
    if not path.exists():
        raise SystemExit(f"locust wrote no statistics ({path}); see the locust log beside it")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_name = {row["Name"]: row for row in rows}
    total = by_name.get("Aggregated")
    if total is None:
        raise SystemExit(f"{path}: no Aggregated row")

    def num(row, key) -> float:
        try:
            return float(row[key])
        except (KeyError, ValueError):
            return 0.0

    stats = {
        "requests": int(num(total, "Request Count")),
        "errors": int(num(total, "Failure Count")),
        "rps": round(num(total, "Requests/s"), 1),
        "p50_ms": num(total, "50%"),
        "p95_ms": num(total, "95%"),
        "p99_ms": num(total, "99%"),
        "mean_ms": round(num(total, "Average Response Time"), 1),
    }
    groups: dict[str, list[dict]] = {"public": [], "api": [], "worker": []}
    for name, row in by_name.items():
        group = name.split(":", 1)[0]
        if group in groups:
            groups[group].append(row)
    counted = sum(num(r, "Request Count") for rows_ in groups.values() for r in rows_)
    for group, rows_ in groups.items():
        if counted:
            share = 100 * sum(num(r, "Request Count") for r in rows_) / counted
            stats[f"share_{group}_pct"] = round(share, 1)
    for key, name in (
        ("search_p95_ms", "public: search"),
        ("api_search_p95_ms", "api: services search"),
        ("referral_post_p95_ms", "worker: referral change (POST)"),
        ("registration_post_p95_ms", "worker: event registration (POST)"),
    ):
        if name in by_name:
            stats[key] = num(by_name[name], "95%")
    return stats


# ------------------------------------------------------------------------------ faults
def fault_schedule(options: Options, server: Gunicorn, cluster: Cluster | None):
    def inject(run: Run) -> None:
        def at(seconds: float) -> None:
            time.sleep(max(0.0, run.started + seconds - time.time()))

        at(options.kill_at)
        moment = time.time()
        count = len(faults.children(server.master))
        victim = faults.kill_worker(server.master)
        respawn = faults.wait_for_workers(server.master, count, gone=victim, timeout=30)
        run.faults.append(
            {"kind": "kill", "t": moment, "pid": victim, "respawn_s": respawn if respawn else -1}
        )
        say(
            f"    t={moment - run.started:4.1f} s  SIGKILL worker {victim}; "
            + (f"master started another in {respawn:.1f} s" if respawn else "NOT respawned")
        )
        if cluster is not None:
            at(options.restart_at)
            moment = time.time()
            took = cluster.restart()
            run.faults.append({"kind": "restart", "t": moment, "took_s": took})
            say(f"    t={moment - run.started:4.1f} s  PostgreSQL restarted (fast) in {took:.1f} s")

    return inject


def failure_kinds(failures: list[dict]) -> dict:
    """Failed requests by kind: timeouts (no answer within locust's 60 s), server errors
    (5xx), and the rest (connection reset or refused, unexpected answers)."""
    timeouts = sum(1 for f in failures if "timed out" in f.get("error", ""))
    server = sum(1 for f in failures if f.get("status", 0) >= 500)
    return {"timeouts": timeouts, "server_errors": server}


def fault_figures(run: Run) -> dict:
    """Failures around each fault. A failed request belongs to the last fault before it
    failed; it was caused by that fault when it was running at the fault or started within
    RECOVERY_LIMIT_S after it. One that started later means the site had not recovered
    (`errors_after_recovery`, must be 0)."""
    faults_ = sorted(run.faults, key=lambda f: f["t"])
    figures: dict = {"errors_before_fault": 0, "errors_after_recovery": 0}
    caused: dict[int, list[float]] = {i: [] for i in range(len(faults_))}
    for failure in run.failures:
        ended, started = failure["t"], failure.get("start", failure["t"])
        index = max((i for i, f in enumerate(faults_) if f["t"] <= ended), default=None)
        if index is None:
            figures["errors_before_fault"] += 1
        elif started <= faults_[index]["t"] + RECOVERY_LIMIT_S:
            caused[index].append(ended - faults_[index]["t"])
        else:
            figures["errors_after_recovery"] += 1
    for i, fault in enumerate(faults_):
        kind = fault["kind"]
        figures[f"{kind}_errors"] = len(caused[i])
        figures[f"{kind}_recovery_s"] = round(max(caused[i], default=0.0), 2)
        if kind == "kill":
            figures["worker_kills"] = 1
            figures["worker_respawn_s"] = round(fault["respawn_s"], 2)
        else:
            figures["pg_restarts"] = 1
            figures["pg_restart_s"] = round(fault["took_s"], 2)
    respawned = all(f.get("respawn_s", 0) >= 0 for f in faults_)
    figures["recovered"] = int(figures["errors_after_recovery"] == 0 and respawned)
    return figures


# -------------------------------------------------------------------------------- main
def run_backend(options: Options, backend: str) -> dict:
    label = "sqlite" if backend == "sqlite" else "pg"
    log = options.workdir / f"dataset-{label}.log"
    log.unlink(missing_ok=True)
    cluster = Cluster(options.workdir / "pgdata") if backend == "postgresql" else None
    figures: dict = {}
    try:
        url = prepare_sqlite(options) if cluster is None else prepare_pg(options, cluster, log)
        scale = dataset("scale", url, options, log=log)
        figures["services"] = scale["services"]
        figures["organizations"] = scale["organizations"]
        fixture = seed(options, url, label, log)
        fixture_data = json.loads(fixture.read_text(encoding="utf-8"))
        runs: list[tuple[str, Run]] = []
        with Gunicorn(options, url, label) as server:
            warm_up(server.base, fixture_data)
            runs.append(("mixed", run_locust(options, server, fixture, MIXED, f"{label}-mixed")))
            if options.floor:
                floor = run_locust(options, server, fixture, FLOOR, f"{label}-floor")
                runs.append(("floor", floor))
        if options.faults:
            with Gunicorn(options, url, label) as server:
                warm_up(server.base, fixture_data)
                schedule = fault_schedule(options, server, cluster)
                name = f"{label}-faults"
                run = run_locust(options, server, fixture, MIXED, name, during=schedule)
                runs.append(("fault", run))
        for kind, run in runs:
            for key, value in run.stats.items():
                figures[f"{kind}_{key}"] = value
            for key, value in failure_kinds(run.failures).items():
                figures[f"{kind}_{key}"] = value
            if kind in ("mixed", "fault"):
                acks = options.workdir / f"{run.name}-acks.jsonl"
                counts = dataset("verify", url, options, "--acks", str(acks), log=log)
                for key in ("acknowledged", "found", "lost"):
                    figures[f"{kind}_{key}"] = counts[key]
                figures[f"{kind}_acknowledged_transitions"] = counts["acknowledged_transitions"]
                figures[f"{kind}_acknowledged_registrations"] = counts["acknowledged_registrations"]
            if kind == "fault":
                figures.update({f"fault_{k}": v for k, v in fault_figures(run).items()})
        if figures.get("floor_p95_ms"):
            figures["mixed_p95_over_floor"] = round(
                figures["mixed_p95_ms"] / figures["floor_p95_ms"], 1
            )
    finally:
        if cluster is not None:
            cluster.stop()
    return {f"load_{label}_{k}": v for k, v in figures.items()}


def run_all(options: Options) -> dict:
    options.workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict = {
        "load_users": options.users,
        "load_duration_s": options.duration,
        "load_gunicorn_workers": options.workers,
        "load_gunicorn_threads": options.threads,
        "load_cpus": os.cpu_count() or 0,
    }
    load_before = os.getloadavg()[0]
    for backend in options.backends:
        results.update(run_backend(options, backend))
    results["load_errors"] = sum(
        v for k, v in results.items() if k.endswith(("_mixed_errors", "_floor_errors"))
    )
    results["load_acknowledged"] = sum(v for k, v in results.items() if k.endswith("_acknowledged"))
    results["load_lost"] = sum(v for k, v in results.items() if k.endswith("_lost"))
    results["load_fault_errors_after_recovery"] = sum(
        v for k, v in results.items() if k.endswith("_fault_errors_after_recovery")
    )
    # Not `load_avg_1m`: that name is the benchmark's own figure in bench/results.json.
    results["load_loadavg_1m"] = round(max(load_before, os.getloadavg()[0]), 2)
    results["load_total_s"] = round(time.perf_counter() - started, 1)
    (options.workdir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


def summary(results: dict) -> str:
    """A few lines for people: per database the load, the floor and the faults."""
    lines = []
    for label, title in (("sqlite", "SQLite"), ("pg", "PostgreSQL")):
        r = {k.removeprefix(f"load_{label}_"): v for k, v in results.items()}
        if "mixed_requests" not in r:
            continue
        line = (
            f"{title} ({r.get('services', 0):,} services): mixed {r['mixed_rps']} req/s, "
            f"p95 {r['mixed_p95_ms']:.0f} ms, {r['mixed_errors']} errors"
        )
        if "floor_rps" in r:
            line += (
                f"; floor {r['floor_rps']} req/s, p95 {r['floor_p95_ms']:.0f} ms, "
                f"{r['floor_errors']} errors"
            )
        line += f"; acknowledged {r['mixed_acknowledged']}, lost {r['mixed_lost']}"
        lines.append(line)
        if "fault_requests" in r:
            line = (
                f"  faults: {r['fault_errors']} failed of {r['fault_requests']} requests "
                f"(worker kill: {r.get('fault_kill_errors', 0)}, over after "
                f"{r.get('fault_kill_recovery_s', 0)} s"
            )
            if "fault_pg_restarts" in r:
                line += (
                    f"; PostgreSQL restart: {r.get('fault_restart_errors', 0)}, over after "
                    f"{r.get('fault_restart_recovery_s', 0)} s"
                )
            line += (
                f"), {r['fault_errors_after_recovery']} after recovery; acknowledged "
                f"{r['fault_acknowledged']}, found {r['fault_found']}, lost {r['fault_lost']}"
            )
            lines.append(line)
    passed = (
        results.get("load_errors", 1) == 0
        and results.get("load_lost", 1) == 0
        and results.get("load_fault_errors_after_recovery", 0) == 0
    )
    lines.append(
        f"load: {'PASS' if passed else 'FAIL'}: {results.get('load_errors')} errors under load, "
        f"{results.get('load_lost')} of {results.get('load_acknowledged')} acknowledged "
        f"operations lost, {results.get('load_fault_errors_after_recovery')} errors after "
        "recovery from faults"
    )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    defaults = Options()
    parser.add_argument("--workdir", type=Path, default=defaults.workdir)
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql"
    )
    parser.add_argument("--users", type=int, default=defaults.users)
    parser.add_argument("--spawn-rate", type=float, default=defaults.spawn_rate)
    parser.add_argument("--duration", type=int, default=defaults.duration, help="seconds per run")
    parser.add_argument("--wait", default=defaults.wait, help="think time MIN,MAX seconds")
    parser.add_argument("--workers", type=int, default=defaults.workers)
    parser.add_argument("--threads", type=int, default=defaults.threads)
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--kill-at", type=float, default=defaults.kill_at)
    parser.add_argument("--restart-at", type=float, default=defaults.restart_at)
    parser.add_argument("--services", type=int, default=defaults.services)
    parser.add_argument("--organizations", type=int, default=defaults.organizations)
    parser.add_argument("--accounts", type=int, default=defaults.accounts)
    parser.add_argument("--referrals", type=int, default=defaults.referrals)
    parser.add_argument("--events", type=int, default=defaults.events)
    parser.add_argument(
        "--prepare-only", action="store_true", help="only build or check the cached databases"
    )
    args = parser.parse_args(argv)
    backends = tuple(b.strip() for b in args.backends.split(",") if b.strip())
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown backends: {', '.join(sorted(unknown))}")
    return Options(
        workdir=args.workdir.resolve(),
        backends=backends,
        users=args.users,
        spawn_rate=args.spawn_rate,
        duration=args.duration,
        wait=args.wait,
        workers=args.workers,
        threads=args.threads,
        faults=not args.no_faults,
        floor=not args.no_floor,
        kill_at=args.kill_at,
        restart_at=args.restart_at,
        services=args.services,
        organizations=args.organizations,
        accounts=args.accounts,
        referrals=args.referrals,
        events=args.events,
        prepare_only=args.prepare_only,
    )


def _stop_on_sigterm(signum, frame) -> None:
    # SIGTERM (a timeout of make, CI) runs the same clean-up as Ctrl+C: gunicorn, locust and
    # PostgreSQL are stopped by their context managers and `finally` blocks.
    raise KeyboardInterrupt


def prepare_only(options: Options) -> None:
    """Build (or check) the cached databases without running any load."""
    options.workdir.mkdir(parents=True, exist_ok=True)
    for backend in options.backends:
        if backend == "sqlite":
            sqlite_source(options)
        else:
            cluster = Cluster(options.workdir / "pgdata")
            try:
                prepare_pg(options, cluster, options.workdir / "dataset-pg.log")
            finally:
                cluster.stop()


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    options = parse_args(argv)
    if options.prepare_only:
        prepare_only(options)
        return 0
    results = run_all(options)
    say("")
    say(json.dumps(results, indent=2))
    say(summary(results))
    ok = results["load_errors"] == 0 and results["load_lost"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the MPSV registry import: a 7,000-service file into a fresh SQLite database.

`run_mpsv_bench(workdir)` returns `{"mpsv_import_s": …, "mpsv_import_rss_mb": …}`:

1. generates the synthetic national-size registry file (7,000 services, ~19,000
   facilities, ~100 MB; `mpsv/synthetic.py`) once and keeps it in `workdir`, regenerated
   only when the generator changes;
2. migrates a template SQLite database once (code lists and all 6,258 obce; kept while
   the migrations are the same) and copies it to a fresh database for every run;
3. runs `manage.py import_mpsv` on it in a child process, started by a small wrapper
   process, and measures the wall time and the peak resident memory of the import alone
   (`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` in the wrapper, whose only child is
   the import — not the benchmark's own process nor its other children).

Targets: ≤ 60 s and ≤ 300 MB. Standalone: `python bench/mpsv_bench.py [WORKDIR]`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = 7000
SEED = 20_260_101
TARGET_S = 60.0
TARGET_RSS_MB = 300.0

# Runs in the wrapper process: starts the import, waits, reports its time and peak RSS.
WRAPPER = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "rss_kb": usage.ru_maxrss,
                  "cpu_s": usage.ru_utime + usage.ru_stime, "returncode": done.returncode,
                  "stdout": done.stdout[-4000:], "stderr": done.stderr[-4000:]}))
"""


def _digest(paths: list[Path], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "spojka.settings",
            "DATABASE_URL": f"sqlite:///{db}",
            "SPOJKA_ENV": "development",
            "SPOJKA_DEBUG": "0",
            "DATABASE_CONN_MAX_AGE": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _manage(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=_env(db),
        capture_output=True,
        text=True,
        check=True,
    )


def _drop(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def registry_file(workdir: Path, say=print) -> Path:
    """The synthetic registry file, generated once per version of the generator."""
    key = _digest(
        [ROOT / "mpsv" / "synthetic.py", ROOT / "territory" / "data" / "obce_cz.csv"],
        f"{SERVICES}:{SEED}",
    )
    path = workdir / f"mpsv-rpss-{SERVICES}.json"
    stamp = path.with_suffix(".key")
    if path.exists() and stamp.exists() and stamp.read_text() == key:
        return path
    say(f"Generating the synthetic MPSV registry file ({SERVICES:,} services) …")
    _manage(
        "generate_mpsv",
        str(path),
        "--services",
        str(SERVICES),
        "--seed",
        str(SEED),
        db=workdir / "mpsv-generate.sqlite3",
    )
    stamp.write_text(key)
    return path


def template_database(workdir: Path, say=print) -> Path:
    """A migrated, empty database, made once per version of the migrations."""
    key = _digest(
        sorted(ROOT.glob("*/migrations/*.py"))
        + sorted((ROOT / "catalog" / "data").glob("*.json"))
        + sorted((ROOT / "territory" / "data").glob("*.csv"))
    )
    path = workdir / "mpsv-template.sqlite3"
    stamp = workdir / "mpsv-template.key"
    if path.exists() and stamp.exists() and stamp.read_text() == key:
        return path
    say("Migrating a template database for the MPSV import benchmark …")
    _drop(path)
    _manage("migrate", "--no-input", "-v", "0", db=path)
    # One file, no WAL beside it, so that a copy is a complete database.
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    stamp.write_text(key)
    return path


def run_mpsv_bench(workdir, say=print) -> dict[str, float]:
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    source = registry_file(workdir, say)
    template = template_database(workdir, say)
    db = workdir / "mpsv-import.sqlite3"
    _drop(db)
    shutil.copyfile(template, db)

    say(f"Importing {source.name} ({source.stat().st_size / 2**20:.0f} MB) into a fresh database …")
    command = [sys.executable, str(ROOT / "manage.py"), "import_mpsv", str(source), "-v", "0"]
    wrapper = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command],
        cwd=ROOT,
        env=_env(db),
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(wrapper.stdout)
    if report["returncode"] != 0:
        raise RuntimeError(f"import_mpsv failed:\n{report['stdout']}\n{report['stderr']}")
    line = next((ln for ln in report["stdout"].splitlines() if ln.startswith("MPSV import:")), "")
    created = re.search(r"created (\d+)", line)
    if not created or int(created.group(1)) < SERVICES * 0.9:
        raise RuntimeError(f"import_mpsv imported too little: {line or report['stdout']}")
    say(f"  {line}")
    figures = {
        "mpsv_import_s": round(report["seconds"], 1),
        "mpsv_import_rss_mb": round(report["rss_kb"] / 1024, 1),
    }
    verdict = (
        "meets"
        if figures["mpsv_import_s"] <= TARGET_S and figures["mpsv_import_rss_mb"] <= TARGET_RSS_MB
        else "MISSES"
    )
    say(
        f"  MPSV import of {SERVICES:,} services: {figures['mpsv_import_s']} s "
        f"(target ≤ {TARGET_S:.0f}), peak RSS {figures['mpsv_import_rss_mb']} MB "
        f"(target ≤ {TARGET_RSS_MB:.0f}): {verdict} the targets "
        f"(CPU {report['cpu_s']:.1f} s; wall time grows when other processes share the CPU)"
    )
    _drop(db)
    return figures


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "work"
    print(json.dumps(run_mpsv_bench(target), indent=2))

"""Fault injection during the load: kill a gunicorn worker, restart PostgreSQL.

Used by `loadtest/run_load.py` on a schedule; by hand:

    python -m loadtest.faults kill-worker --pidfile bench/work/load/gunicorn.pid
    python -m loadtest.faults restart-pg --port 54340 [--dir bench/work/load/pgdata]

Only processes the load test started itself are touched: the gunicorn master named by its
own pid file and its children, and the load test's own PostgreSQL cluster.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import time
from pathlib import Path

from loadtest.pgcluster import DEFAULT_DIR, Cluster


def children(pid: int) -> list[int]:
    """Pids of the direct children of `pid` (gunicorn's workers of a master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: read after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def kill_worker(master: int, rng: random.Random | None = None) -> int:
    """SIGKILL one worker of the gunicorn `master`; returns its pid."""
    workers = children(master)
    if not workers:
        raise RuntimeError(f"gunicorn master {master} has no workers")
    victim = (rng or random).choice(workers)
    os.kill(victim, signal.SIGKILL)
    return victim


def wait_for_workers(master: int, count: int, *, gone: int | None = None, timeout: float = 30):
    """Seconds until the master has `count` workers again (without `gone`), or None."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        workers = children(master)
        if len(workers) >= count and gone not in workers:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    kill = sub.add_parser("kill-worker", help="SIGKILL one worker of a gunicorn master")
    kill.add_argument("--pidfile", type=Path, required=True)
    restart = sub.add_parser("restart-pg", help="pg_ctl restart -m fast of the load's cluster")
    restart.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    restart.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    if args.action == "kill-worker":
        master = int(args.pidfile.read_text().strip())
        count = len(children(master))
        victim = kill_worker(master)
        took = wait_for_workers(master, count, gone=victim)
        respawned = f"respawned in {took:.2f} s" if took else "NOT respawned"
        print(f"killed worker {victim}; {respawned}")
    else:
        took = Cluster(args.dir, args.port).restart()
        print(f"PostgreSQL restarted in {took:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

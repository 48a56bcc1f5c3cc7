"""The load and fault test as a part of `make bench`: `run_load_bench(workdir)`.

Runs `loadtest/run_load.py` (locust against gunicorn on the national-scale directory, on
SQLite and on PostgreSQL, with a trivial-page run beside each and a run with faults:
a gunicorn worker killed, PostgreSQL restarted) and returns its figures as a flat dict of
named numbers, for the aggregation to merge into bench/results.json. Keys (all prefixed
`load_`; `<db>` is `sqlite` or `pg`):

- `load_<db>_mixed_rps`, `load_<db>_mixed_p50_ms`, `load_<db>_mixed_p95_ms`,
  `load_<db>_mixed_p99_ms`, `load_<db>_mixed_requests`, `load_<db>_mixed_errors`: the mixed
  traffic (~70 % portal, ~20 % HSDS API, ~10 % signed-in work);
  `load_<db>_mixed_share_{public,api,worker}_pct`: the mix as measured;
  `load_<db>_mixed_search_p95_ms`, `…_api_search_p95_ms`, `…_referral_post_p95_ms`,
  `…_registration_post_p95_ms`: p95 of the main kinds of request;
- `load_<db>_floor_rps`, `load_<db>_floor_p95_ms`, …, `load_<db>_floor_errors`: the same
  users on the trivial page `/_bench/floor/`; `load_<db>_mixed_p95_over_floor`;
- `load_<db>_mixed_acknowledged`, `…_found`, `…_lost`: referral changes and event
  registrations the site acknowledged, looked up in the database afterwards;
- `load_<db>_fault_*`: the run with faults: `…_errors` (requests that failed while a fault
  lasted), `…_kill_errors`, `…_kill_recovery_s`, `…_worker_respawn_s`, on PostgreSQL
  `…_restart_errors`, `…_restart_recovery_s`, `…_pg_restart_s`;
  `…_errors_after_recovery` (must be 0), `…_recovered` (1/0), `…_acknowledged`, `…_found`,
  `…_lost` (must be 0);
- `load_<db>_services`, `load_<db>_organizations`: the scale; `load_users`,
  `load_duration_s`, `load_gunicorn_workers`, `load_gunicorn_threads`, `load_cpus`,
  `load_loadavg_1m` (the highest 1-minute load average at the start and the end of the
  load test, its own locust and gunicorn included), `load_total_s`;
- totals: `load_errors` (errors of the plain load runs, must be 0), `load_acknowledged`,
  `load_lost` (must be 0), `load_fault_errors_after_recovery` (must be 0).

`workdir` is the benchmark's work directory (bench/work); the load test keeps its own files
(databases, logs, locust statistics) in `<workdir>/load/`. Without Debian's PostgreSQL
server binaries the PostgreSQL runs are left out with a message (no `load_pg_*` figures).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_load_bench(workdir: Path | str | None = None, **options) -> dict[str, float]:
    """Run the load and fault test; `options` override `loadtest.run_load.Options`
    (e.g. `backends=("sqlite",)`, `duration=30`, `faults=False`)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from loadtest.pgcluster import ClusterError, pg_bin
    from loadtest.run_load import Options, run_all, summary

    base = Path(workdir) if workdir is not None else ROOT / "bench" / "work"
    chosen = Options(workdir=(base / "load").resolve(), **options)
    if "postgresql" in chosen.backends:
        try:
            pg_bin()
        except ClusterError as exc:
            # A machine without PostgreSQL still gets the SQLite figures.
            print(f"  PostgreSQL runs skipped: {exc}", flush=True)
            chosen.backends = tuple(b for b in chosen.backends if b != "postgresql")
    if not chosen.backends:
        raise RuntimeError("no database left to run the load test on")
    results = run_all(chosen)
    print(summary(results), flush=True)
    return results


if __name__ == "__main__":
    import json
    import signal

    def _stop(signum, frame) -> None:
        raise KeyboardInterrupt  # the same clean-up as Ctrl+C: gunicorn, locust, PostgreSQL

    signal.signal(signal.SIGTERM, _stop)
    print(json.dumps(run_load_bench(), indent=2))

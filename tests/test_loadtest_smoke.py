"""The load test's locust users, for a few seconds against the live test server.

Keeps `loadtest/locustfile.py` from rotting: the pages it reads (sign-in form, a referral's
status buttons, an event's registration form) and the answers it counts as acknowledged
still look the way it expects, and what it acknowledged is in the database. The real load
run (national scale, gunicorn, 50 users, faults) is `loadtest/run_load.py`, part of
`make bench`, never of the test suite.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from directory.validators import ico_with_checksum
from loadtest import dataset
from tests.factories import KYJOV, make_organization, make_service, make_territory

LOCUST = Path(sys.executable).parent / "locust"
ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not LOCUST.exists(), reason="locust is not installed in this environment (dev extra)"
    ),
]


def test_locust_users_work_against_the_site(live_server, tmp_path):
    make_territory("zatez", codes=(KYJOV,), kind="national")
    for i in range(2):
        intake = make_organization(f"Intake {i}", ico=ico_with_checksum(f"268100{i}"))
        provider = make_organization(f"Provider {i}", ico=ico_with_checksum(f"268200{i}"))
        make_service(intake, type_code="37", name=f"Dluhová poradna {i}")
        make_service(provider, type_code="57", name=f"Azylový dům {i}", free_places=2)
    fixture = dataset.seed(accounts=1, referrals_per_account=4, events=1, territory_slug="zatez")
    fixture["municipalities"] = [KYJOV]
    fixture_path = tmp_path / "fixture.json"
    fixture_path.write_text(json.dumps(fixture, ensure_ascii=False), encoding="utf-8")
    acks = tmp_path / "acks.jsonl"
    failures = tmp_path / "failures.jsonl"

    env = {
        **os.environ,
        "SPOJKA_LOAD_FIXTURE": str(fixture_path),
        "SPOJKA_LOAD_ACKS": str(acks),
        "SPOJKA_LOAD_FAILURES": str(failures),
        "SPOJKA_LOAD_WAIT": "0.2,0.5",
    }
    done = subprocess.run(
        [
            str(LOCUST),
            "-f",
            str(ROOT / "loadtest" / "locustfile.py"),
            "--headless",
            # Ten users: seven residents, two other systems, one worker (the weights).
            "--users",
            "10",
            "--spawn-rate",
            "10",
            "--run-time",
            "6s",
            "--stop-timeout",
            "5",
            "--host",
            live_server.url,
            "--csv",
            str(tmp_path / "smoke"),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
            "PublicUser",
            "ApiUser",
            "WorkerUser",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with (tmp_path / "smoke_stats.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    failed = failures.read_text(encoding="utf-8") if failures.exists() else ""
    assert int(rows["Aggregated"]["Failure Count"]) == 0, failed[-2000:]
    assert int(rows["Aggregated"]["Request Count"]) > 10
    assert "worker: sign in" in rows, sorted(rows)

    counts = dataset.verify(acks)
    assert counts["acknowledged"] > 0, "the worker user acknowledged nothing in 6 seconds"
    assert counts["lost"] == 0, counts

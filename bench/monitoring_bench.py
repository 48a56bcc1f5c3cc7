"""Benchmark of project monitoring: every indicator of a project with 1,000,000 records of
support and 50,000 participants, and the XLSX export of the 50,000 participant cards.

`run_monitoring_bench(workdir)` returns
`{"indicators_s": …, "indicators_pg_s": … or None, "participants_xlsx_s": …}`:

1. In a child process (Django's settings come from the environment, so each database
   gets its own process), migrates its own database — `WORKDIR/monitoring-bench.sqlite3`,
   or the PostgreSQL database of `BENCH_PG_URL` when that is set — and generates one
   project with 5 organisations, 6 half-year periods, 3 key activities, 14 indicators (all
   computed sources and one manual), 50,000 persons with participant cards, 1,000,000
   records of support (inserted by one SQL statement), and a few thousand help requests,
   referrals, events with registrations, community meetings with attendance, leaders and
   supported services, so that every source has rows to count. The data is kept and
   reused while the migrations and this generator stay the same (a fingerprint).
   Without `BENCH_PG_URL`, PostgreSQL is a private cluster of Debian's server binaries
   (`loadtest/pgcluster.py`: data in `WORKDIR/monitoring-pgdata`, kept between runs, a free
   loopback port, stopped at the end), apart from the load test's so that the two never
   stop each other's server.
2. Times `monitoring.indicators.compute_project` (all indicators of the project, per
   period and partner, as the dashboard and the API compute them): one warm-up, then the
   median of 3 runs → `indicators_s` (SQLite) and `indicators_pg_s` (PostgreSQL; None,
   with a message, when neither `BENCH_PG_URL` nor PostgreSQL's binaries are there).
3. Times `manage.py export_participants … --output cards.xlsx` in the SQLite child (the
   command with its progress bar, which goes to this process's stderr)
   → `participants_xlsx_s`.

Targets: ≤ 2 s for the indicators on both databases, ≤ 30 s for the export. Figures, not
assertions. When the PostgreSQL part fails after SQLite was measured, `PartialFailure`
carries the SQLite figures. Standalone: `python bench/monitoring_bench.py [WORKDIR]`.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTICIPANTS = 50_000
ACTIVITIES = 1_000_000
REGISTRATION_NUMBER = "CZ.03.02.01/00/22_008/9999999"
TARGET_INDICATORS_S = 2.0
TARGET_XLSX_S = 30.0
META_TABLE = "bench_monitoring_meta"
PG_DATABASE = "spojka_monitoring_bench"


class PartialFailure(RuntimeError):
    """A later step failed; `figures` holds what was measured before it."""

    def __init__(self, message: str, figures: dict[str, float | None]):
        super().__init__(message)
        self.figures = figures


def _generator_source() -> str:
    """The source of the data generator alone: editing the timing or the orchestration
    below does not throw away a million generated rows."""
    source = Path(__file__).read_text(encoding="utf-8")
    wanted = {"_generate", "_drop_bench_project"}
    return "".join(
        ast.get_source_segment(source, node) or ""
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name in wanted
    )


def fingerprint() -> str:
    digest = hashlib.sha256(f"{PARTICIPANTS}:{ACTIVITIES}:{REGISTRATION_NUMBER}".encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    digest.update(_generator_source().encode())
    return digest.hexdigest()[:16]


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "spojka.settings",
            "DATABASE_URL": database_url,
            "SPOJKA_ENV": "development",
            "SPOJKA_DEBUG": "0",
            "DATABASE_CONN_MAX_AGE": "0",
            "LOG_LEVEL": "WARNING",  # no INFO lines of the apps' start between the figures
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _child(database_url: str, workdir: Path, *, export: bool, say=print) -> dict:
    """Run this file as a child against one database; its last stdout line is JSON."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(workdir)]
    if export:
        command.append("--export")
    answer = None
    # Read as it comes, so that its progress lines keep their place beside the export's
    # progress bar (the child's stderr, passed through).
    with subprocess.Popen(
        command, cwd=ROOT, env=_env(database_url), stdout=subprocess.PIPE, text=True
    ) as process:
        for line in process.stdout:
            line = line.rstrip()
            if line.startswith("{"):
                answer = line
            elif line.strip():
                say(line)
        returncode = process.wait()
    if returncode != 0 or answer is None:
        raise RuntimeError(f"monitoring benchmark child failed ({returncode})")
    return json.loads(answer)


def _on_private_pg(workdir: Path, say) -> float | None:
    """`indicators_s` on a PostgreSQL cluster of our own; None when PostgreSQL is not
    installed."""
    if str(ROOT) not in sys.path:  # run as a script, `loadtest` is not importable otherwise
        sys.path.insert(0, str(ROOT))
    from loadtest.pgcluster import Cluster, ClusterError, pg_bin

    try:
        pg_bin()
    except ClusterError as exc:
        say(f"  indicators_pg_s skipped: {exc}; or set BENCH_PG_URL to a server of yours.")
        return None
    cluster = Cluster(workdir / "monitoring-pgdata")
    try:
        cluster.start()
        say(
            f"Monitoring benchmark on PostgreSQL (own cluster on 127.0.0.1:{cluster.port}, "
            f"{cluster.directory.name}) …"
        )
        if not cluster.exists(PG_DATABASE):
            cluster.psql(f'CREATE DATABASE "{PG_DATABASE}"')
        return _child(cluster.url(PG_DATABASE), workdir, export=False, say=say)["indicators_s"]
    finally:
        cluster.stop()


def run_monitoring_bench(workdir: Path | str, say=print) -> dict[str, float | None]:
    """Measure on SQLite, then on PostgreSQL; the figures of the module docstring."""
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "monitoring-bench.sqlite3"
    say(
        f"Monitoring benchmark: {ACTIVITIES:,} records of support, {PARTICIPANTS:,} "
        "participants (SQLite) …"
    )
    sqlite = _child(f"sqlite:///{db}", workdir, export=True, say=say)
    figures: dict[str, float | None] = {
        "indicators_s": sqlite["indicators_s"],
        "indicators_pg_s": None,
        "participants_xlsx_s": sqlite["participants_xlsx_s"],
    }
    pg_url = os.environ.get("BENCH_PG_URL")
    try:
        if pg_url:
            say("Monitoring benchmark on PostgreSQL (BENCH_PG_URL) …")
            pg = _child(pg_url, workdir, export=False, say=say)
            figures["indicators_pg_s"] = pg["indicators_s"]
        else:
            figures["indicators_pg_s"] = _on_private_pg(workdir, say)
    except Exception as exc:  # keep the SQLite figures for the caller
        raise PartialFailure(f"PostgreSQL part: {exc}", figures) from exc

    def verdict(value, target):
        return "–" if value is None else ("meets" if value <= target else "MISSES")

    say(
        f"  indicators: {figures['indicators_s']} s SQLite "
        f"({verdict(figures['indicators_s'], TARGET_INDICATORS_S)}), "
        f"{figures['indicators_pg_s']} s PostgreSQL "
        f"({verdict(figures['indicators_pg_s'], TARGET_INDICATORS_S)}), target ≤ "
        f"{TARGET_INDICATORS_S:.0f} s; XLSX of {PARTICIPANTS:,} cards: "
        f"{figures['participants_xlsx_s']} s "
        f"({verdict(figures['participants_xlsx_s'], TARGET_XLSX_S)}, target ≤ "
        f"{TARGET_XLSX_S:.0f} s)"
    )
    return figures


# --------------------------------------------------------------------------- the child


def _meta_table(cursor) -> None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR(50) PRIMARY KEY, value TEXT)"
    )


def _meta_get(connection) -> str | None:
    with connection.cursor() as cursor:
        _meta_table(cursor)
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", ["fingerprint"])
        row = cursor.fetchone()
    return row[0] if row else None


def _meta_set(connection, value: str) -> None:
    with connection.cursor() as cursor:
        _meta_table(cursor)
        cursor.execute(f"DELETE FROM {META_TABLE} WHERE key = %s", ["fingerprint"])
        cursor.execute(
            f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", ["fingerprint", value]
        )


def _drop_bench_project(say) -> None:
    """Remove an older generation (raw deletes: a million rows through the ORM is slow)."""
    from django.db import connection

    from monitoring.models import Project

    project = Project.objects.filter(registration_number=REGISTRATION_NUMBER).first()
    if project is None:
        return
    say("  removing the previous benchmark data …")
    pid = project.pk.hex if connection.vendor == "sqlite" else str(project.pk)
    org_ids = [project.implementer_id, *project.partners.values_list("organization_id", flat=True)]
    with connection.cursor() as cursor:
        for table in ("monitoring_activity", "monitoring_participant"):
            cursor.execute(f"DELETE FROM {table} WHERE project_id = %s", [pid])
    from community.models import Attendance, CommunityCentre, CommunityLeader, Meeting
    from directory.models import Organization, Service
    from events.models import Event, Registration
    from monitoring.models import ProjectService
    from referrals.models import Consent, HelpRequest, Person, Referral, ReferralEvent

    ReferralEvent.objects.filter(referral__from_organization_id__in=org_ids).delete()
    Referral.objects.filter(from_organization_id__in=org_ids).delete()
    HelpRequest.objects.filter(organization_id__in=org_ids).delete()
    Attendance.objects.filter(organization_id__in=org_ids).delete()
    CommunityLeader.objects.filter(organization_id__in=org_ids).delete()
    Meeting.objects.filter(organization_id__in=org_ids).delete()
    CommunityCentre.objects.filter(organization_id__in=org_ids).delete()
    Registration.objects.filter(organization_id__in=org_ids).delete()
    Event.objects.filter(organization_id__in=org_ids).delete()
    ProjectService.objects.filter(project=project).delete()
    Consent.objects.filter(person__organization_id__in=org_ids).delete()
    project.periods.all().delete()
    project.indicators.all().delete()
    project.partners.all().delete()
    project.delete()
    Person.objects.filter(organization_id__in=org_ids).delete()
    Service.objects.filter(organization_id__in=org_ids).delete()
    Organization.objects.filter(pk__in=org_ids).delete()


def _generate(say) -> None:
    import random
    import uuid
    from datetime import date, datetime, timedelta
    from datetime import time as clock

    from django.db import connection, transaction
    from django.utils import timezone

    from catalog.models import CapacityType, ProvisionForm, ServiceType
    from community.models import Attendance, CommunityCentre, CommunityLeader, Meeting
    from directory.models import Organization, RegisteredCapacity, Service
    from events.models import Event, Registration
    from monitoring.models import (
        Indicator,
        KeyActivity,
        Participant,
        Project,
        ProjectPartner,
        ProjectService,
    )
    from monitoring.services import generate_periods
    from referrals.models import Consent, HelpRequest, Person, Referral, ReferralEvent
    from territory.models import Municipality, Territory

    rng = random.Random(20_260_601)
    tz = timezone.get_default_timezone()
    start, end = date(2023, 1, 1), date(2025, 12, 31)
    span = (end - start).days + 1

    def uid() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def moment(day: date) -> datetime:
        return datetime.combine(day, clock(10), tz)

    t0 = time.perf_counter()
    with transaction.atomic():
        territory, _ = Territory.objects.get_or_create(
            slug="bench-monitoring", defaults={"name": "Benchmark monitoringu", "kind": "mas"}
        )
        obce = list(Municipality.objects.filter(region_id=3115).values_list("code", flat=True))
        territory.municipalities.set(obce)
        orgs = [
            Organization.objects.create(name=f"Benchmarková organizace {i}", is_demo=True)
            for i in range(5)
        ]
        project = Project.objects.create(
            registration_number=REGISTRATION_NUMBER,
            name="Benchmark monitoringu",
            programme="opz_plus",
            implementer=orgs[0],
            territory=territory,
            start_date=start,
            end_date=end,
        )
        for org in orgs[1:]:
            ProjectPartner.objects.create(project=project, organization=org, role="partner")
        generate_periods(project=project)
        kas = [
            KeyActivity.objects.create(project=project, code=f"KA{i}", name=f"Aktivita {i}")
            for i in (1, 2, 3)
        ]
        sources = [s for s, _label in Indicator.Source.choices]
        for order, source in enumerate(sources):
            last = source in ("services_supported", "services_capacity", "community_centres")
            Indicator.objects.create(
                project=project,
                code=f"I{order:02d}",
                name=source,
                unit="počet",
                kind="computed",
                source=source,
                aggregation="last" if last else "sum",
                target=1000,
            )
        Indicator.objects.create(
            project=project, code="MAN", name="ruční", unit="počet", kind="manual", target=5
        )
        # Supported services with registered capacity.
        stype = ServiceType.objects.filter(code="57").first() or ServiceType.objects.first()
        form = ProvisionForm.objects.get(code="pob")
        ctype = CapacityType.objects.get(code="luzka")
        services = []
        for i in range(20):
            service = Service.objects.create(
                organization=orgs[i % 5], name=f"Služba {i}", service_type=stype
            )
            RegisteredCapacity.objects.create(
                service=service, form=form, capacity_type=ctype, count=10 + i
            )
            ProjectService.objects.create(project=project, service=service, since=start)
            services.append(service)

        say(f"  {PARTICIPANTS:,} persons and participant cards …")
        persons, cards = [], []
        labour = ["employed", "unemployed", "long_term_unemployed", "inactive"]
        education = ["isced_1", "isced_2", "isced_3", "isced_4", "isced_5_8"]
        answers = ["yes", "no", "no", "no", "refused"]
        for i in range(PARTICIPANTS):
            org = orgs[i % 5]
            person = Person(
                id=uid(),
                organization=org,
                name=f"Osoba {i:05d}",
                birth_year=1940 + i % 65,
                municipality_id=obce[i % len(obce)],
            )
            persons.append(person)
            cards.append(
                Participant(
                    id=uid(),
                    project=project,
                    person_id=person.id,
                    organization=org,
                    entered_on=start + timedelta(days=(i * 7919) % (span - 30)),
                    gender=["female", "male"][i % 2],
                    birth_year=person.birth_year,
                    age_at_entry=2024 - person.birth_year,
                    labour_status=labour[i % 4],
                    education=education[i % 5],
                    disability=answers[i % 5],
                    third_country_national="no",
                    foreign_background=answers[(i + 1) % 5],
                    minority=answers[(i + 2) % 5],
                    homeless=answers[(i + 3) % 5],
                    rural_area="yes" if i % 3 else "no",
                    rural_area_source="derived",
                )
            )
        Person.objects.bulk_create(persons, batch_size=2000)
        Participant.objects.bulk_create(cards, batch_size=2000)

        say(f"  {ACTIVITIES:,} records of support (one SQL statement) …")
        quote = (
            (lambda u: f"'{u.hex}'")
            if connection.vendor == "sqlite"
            else (lambda u: f"'{u}'::uuid")
        )
        org_case = (
            "CASE (n % 5) "
            + " ".join(f"WHEN {i} THEN {quote(org.pk)}" for i, org in enumerate(orgs))
            + " END"
        )
        ka_case = (
            "CASE (n % 3) "
            + " ".join(f"WHEN {i} THEN {quote(ka.pk)}" for i, ka in enumerate(kas))
            + " END"
        )
        kinds = (
            "CASE (n % 5) WHEN 0 THEN 'individual' WHEN 1 THEN 'group' WHEN 2 THEN 'field' "
            "WHEN 3 THEN 'counselling' ELSE 'community' END"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("CREATE TEMP TABLE bench_p (rn INTEGER PRIMARY KEY, id CHAR(32))")
                cursor.execute(
                    "INSERT INTO bench_p (rn, id) SELECT row_number() OVER (ORDER BY id) - 1, id "
                    "FROM monitoring_participant WHERE project_id = %s",
                    [project.pk.hex],
                )
                cursor.execute(
                    "WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq "
                    f"WHERE n < {ACTIVITIES - 1}) "
                    "INSERT INTO monitoring_activity (id, project_id, participant_id, "
                    "key_activity_id, organization_id, date, kind, hours, created_at) "
                    f"SELECT lower(hex(randomblob(16))), {quote(project.pk)}, bench_p.id, "
                    f"{ka_case}, {org_case}, "
                    f"date('{start.isoformat()}', '+' || ((n * 37) % {span}) || ' days'), "
                    f"{kinds}, ((n % 8) + 1) * 0.5, '{moment(start).isoformat()}' "
                    f"FROM seq JOIN bench_p ON bench_p.rn = seq.n % {PARTICIPANTS}"
                )
            else:
                cursor.execute(
                    "CREATE TEMP TABLE bench_p AS SELECT (row_number() OVER (ORDER BY id) - 1)"
                    "::int AS rn, id FROM monitoring_participant WHERE project_id = %s",
                    [str(project.pk)],
                )
                cursor.execute("CREATE INDEX ON bench_p (rn)")
                insert = (
                    "INSERT INTO monitoring_activity (id, project_id, participant_id, "
                    "key_activity_id, organization_id, date, kind, hours, created_at) "
                    f"SELECT gen_random_uuid(), {quote(project.pk)}, bench_p.id, "
                    f"{ka_case}, {org_case}, "
                    f"DATE '{start.isoformat()}' + ((n * 37) % {span})::int, "
                    f"{kinds}, ((n % 8) + 1) * 0.5, TIMESTAMPTZ '{moment(start).isoformat()}' "
                    f"FROM generate_series(0, {ACTIVITIES - 1}) AS n "
                    f"JOIN bench_p ON bench_p.rn = n % {PARTICIPANTS}"
                )
                cursor.execute(insert)  # no parameters: "%" is the modulo operator
            cursor.execute("DROP TABLE bench_p")

        say("  help requests, referrals, events, meetings, leaders …")
        day = lambda i: start + timedelta(days=(i * 13) % span)  # noqa: E731
        HelpRequest.objects.bulk_create(
            [
                HelpRequest(
                    id=uid(),
                    territory=territory,
                    organization=orgs[i % 5],
                    situation="x",
                    name="x",
                    contact_method="phone",
                    consent_text_version="1",
                    consent_given_at=moment(day(i)),
                    created_at=moment(day(i)),
                    status=["new", "in_progress", "closed"][i % 3],
                )
                for i in range(5000)
            ],
            batch_size=2000,
        )
        consents = [
            Consent(id=uid(), person=persons[i], purpose="referral", given_by="self")
            for i in range(5000)
        ]
        Consent.objects.bulk_create(consents, batch_size=2000)
        referrals, events = [], []
        for i in range(5000):
            completed = i % 5 < 2
            referral = Referral(
                id=uid(),
                person=persons[i],
                consent=consents[i],
                territory=territory,
                from_organization=persons[i].organization,
                to_organization=services[i % 20].organization,
                service=services[i % 20],
                status="completed" if completed else "declined",
                decline_reason="" if completed else "no_capacity",
                outcome="helped" if completed else "",
                created_at=moment(day(i)),
                updated_at=moment(day(i)),
            )
            referrals.append(referral)
            events.append(
                ReferralEvent(
                    id=uid(),
                    referral=referral,
                    from_status="in_progress" if completed else "sent",
                    to_status="completed" if completed else "declined",
                    at=moment(day(i) + timedelta(days=3)),
                    reason="helped" if completed else "no_capacity",
                )
            )
        Referral.objects.bulk_create(referrals, batch_size=2000)
        ReferralEvent.objects.bulk_create(events, batch_size=2000)
        bench_events = []
        for i in range(500):
            begin = moment(day(i * 7))
            bench_events.append(
                Event(
                    id=uid(),
                    kind="club",
                    title=f"Akce {i}",
                    organization=orgs[i % 5],
                    territory=territory,
                    place_kind="online",
                    start=begin,
                    end=begin + timedelta(hours=2),
                    series_end=begin + timedelta(hours=2),
                )
            )
        Event.objects.bulk_create(bench_events, batch_size=500)
        Registration.objects.bulk_create(
            [
                Registration(
                    id=uid(),
                    event=bench_events[i % 500],
                    organization=bench_events[i % 500].organization,
                    occurrence_start=bench_events[i % 500].start,
                    name="x",
                    status="confirmed",
                    token_hash=uid().hex + uid().hex,
                    consent_text_version="1",
                    consent_given_at=bench_events[i % 500].start,
                    attended=i % 3 != 0,
                )
                for i in range(20_000)
            ],
            batch_size=2000,
        )
        meetings = [
            Meeting(
                id=uid(),
                organization=orgs[i % 5],
                territory=territory,
                title=f"Setkání {i}",
                status="held" if i % 10 else "cancelled",
                held_at=moment(day(i * 11)),
                anonymous_count=i % 7,
            )
            for i in range(300)
        ]
        Meeting.objects.bulk_create(meetings, batch_size=300)
        Attendance.objects.bulk_create(
            [
                Attendance(
                    id=uid(),
                    organization=meetings[i % 300].organization,
                    meeting=meetings[i % 300],
                    person=persons[(i * 31) % PARTICIPANTS],
                    attended=i % 9 != 0,
                )
                for i in range(10_000)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        CommunityLeader.objects.bulk_create(
            [
                CommunityLeader(
                    id=uid(),
                    person=persons[i * 97],
                    organization=persons[i * 97].organization,
                    territory=territory,
                    since=day(i * 5),
                )
                for i in range(200)
            ],
            batch_size=200,
        )
        for i in range(3):
            CommunityCentre.objects.create(
                name=f"Centrum {i}", organization=orgs[i], territory=territory, opened_on=start
            )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    say(f"  generated in {time.perf_counter() - t0:.1f} s")


def child_main(workdir: Path, export: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from monitoring.indicators import compute_project
    from monitoring.models import Activity, Participant, Project

    def say(line: str) -> None:
        print(line, flush=True)

    key = fingerprint()
    if connection.vendor == "sqlite":
        db = Path(connection.settings_dict["NAME"])
        stamp = db.with_suffix(".key")
        if not (db.exists() and stamp.exists() and stamp.read_text() == key):
            connection.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            stamp.unlink(missing_ok=True)
    say("  migrating …")
    call_command("migrate", verbosity=0, interactive=False)
    project = Project.objects.filter(registration_number=REGISTRATION_NUMBER).first()
    fresh = (
        project is not None
        and _meta_get(connection) == key
        and Participant.objects.filter(project=project).count() == PARTICIPANTS
        and Activity.objects.filter(project=project).count() == ACTIVITIES
    )
    if fresh:
        say("  reusing the generated data (fingerprint matches)")
    else:
        _drop_bench_project(say)
        _generate(say)
        _meta_set(connection, key)
        if connection.vendor == "sqlite":
            Path(connection.settings_dict["NAME"]).with_suffix(".key").write_text(key)
        project = Project.objects.get(registration_number=REGISTRATION_NUMBER)

    compute_project(project)  # warm-up: the OS page cache, Django's query compilation
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        results = compute_project(project)
        runs.append(time.perf_counter() - started)
    values = {r.indicator.source or r.indicator.code: r.value for r in results}
    say(
        f"  {connection.vendor}: {len(results)} indicators in "
        + ", ".join(f"{run:.3f}" for run in runs)
        + f" s (participants {values['participants']}, records {values['support_records']})"
    )
    figures = {"indicators_s": round(statistics.median(runs), 3)}
    if export:
        target = workdir / "monitoring-bench-cards.xlsx"
        started = time.perf_counter()
        call_command(
            "export_participants",
            REGISTRATION_NUMBER,
            "--output",
            str(target),
            "--reason",
            "benchmark",
            stdout=sys.stderr,
        )
        figures["participants_xlsx_s"] = round(time.perf_counter() - started, 1)
        target.unlink(missing_ok=True)
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        child_main(Path(sys.argv[2]), export="--export" in sys.argv)
    else:
        target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "work"
        print(json.dumps(run_monitoring_bench(target), indent=2))

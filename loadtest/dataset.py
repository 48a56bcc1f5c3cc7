"""Data of the load test: the national-scale directory, the people who work in it, and the
check that nothing acknowledged was lost.

Run as `python -m loadtest.dataset COMMAND --database-url URL …`, always in a process of
its own (the orchestrator, `loadtest/run_load.py`, starts one per database), because
Django reads `DATABASE_URL` once:

- `generate-pg`: migrate an empty PostgreSQL database and fill it with the benchmark's own
  generator (`bench.generate.Generator`, the same code and seed as `make bench` on SQLite),
  then ANALYZE. A fingerprint (`pg_fingerprint`: the directory's migrations, code lists,
  normaliser, generator, scale) is stored in `bench_meta`, so a cached database is reused
  only while it still matches.
- `migrate`: apply what other apps' migrations added since the directory was generated.
- `seed`: what the load's logged-in users work with, made by the application's own service
  functions (`referrals.services`, `events.services`), so that history, audit entries and
  notifications are what real work leaves: per account pair an intake organisation's
  social worker and a provider's staff member, persons with consent, referrals sent to the
  provider, and open events with registration. Writes the fixture JSON that
  `loadtest/locustfile.py` reads (logins, referral ids, event ids, search queries, sample
  ids of services, organisations and obce).
- `verify`: counts in the database every operation the load acknowledged (the JSON lines
  the locust users wrote after a 2xx/3xx answer to a POST): `acknowledged`, `found`,
  `lost`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD_PREFIX = "load-"


def setup_django(database_url: str, settings: str = "spojka.settings") -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    os.environ.setdefault("SPOJKA_REQUIRE_2FA", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- generate
def pg_fingerprint(services: int, organizations: int, seed: int) -> str:
    """What the generated PostgreSQL directory depends on.

    Narrower than `bench/run.py`'s fingerprint: only the migrations of the apps the
    generator fills (territory, catalog, directory) count, because every run migrates its
    fresh copy anyway (`migrate` applies what other apps added since). So a new migration of
    referrals or events does not cost a regeneration (about 5–10 minutes at full scale).
    """
    import hashlib

    digest = hashlib.sha256(f"services={services};orgs={organizations};seed={seed}".encode())
    files: list[Path] = []
    for app in ("territory", "catalog", "directory"):
        files += sorted((ROOT / app / "migrations").glob("*.py"))
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
            "directory/services.py",
            "directory/models.py",
        )
    ]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    from importlib import metadata

    for package in ("django", "simplemma"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


def generate_pg(services: int, organizations: int, seed: int) -> dict:
    """Migrate and fill an empty PostgreSQL database with the benchmark's generator."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import run as bench_run
    from bench.generate import Generator, Scale

    if connection.vendor != "postgresql":
        raise SystemExit("generate-pg needs a PostgreSQL DATABASE_URL")
    key = pg_fingerprint(services, organizations, seed)
    started = time.perf_counter()
    say("  migrating …")
    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    say(f"  generating {services:,} services of {organizations:,} organisations …")
    counts = Generator(
        Scale(services=services, organizations=organizations, seed=seed), now=now, say=say
    ).run()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {bench_run.META_TABLE} (key TEXT PRIMARY KEY, value TEXT)"
        )
        meta = {
            "pg_fingerprint": key,
            "reference_now": now.isoformat(),
            "generate_s": f"{time.perf_counter() - started:.1f}",
            "counts": json.dumps(counts),
        }
        for k, v in meta.items():
            cursor.execute(
                f"INSERT INTO {bench_run.META_TABLE} (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [k, v],
            )
    say(f"  generated in {time.perf_counter() - started:.1f} s")
    return {"fingerprint": key, **counts}


def pg_meta() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT key, value FROM bench_meta")
        except Exception:
            return {}
        return dict(cursor.fetchall())


def shift_dates() -> None:
    """Capacity reports of a cached directory move forward to keep their fresh/stale mix."""
    from bench import run as bench_run

    meta = pg_meta() if _vendor() == "postgresql" else bench_run.read_meta(_sqlite_path())
    if meta.get("reference_now"):
        bench_run.shift_capacity_dates(meta)


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _sqlite_path() -> Path:
    from django.conf import settings

    return Path(settings.DATABASES["default"]["NAME"])


# -------------------------------------------------------------------------------- seed
def _account_orgs(accounts: int):
    """Pairs (intake organisation, provider organisation with an active service)."""
    from directory.models import Organization, Service

    providers = list(
        Organization.objects.filter(
            id__in=Service.objects.filter(status=Service.Status.ACTIVE).values("organization_id")
        ).order_by("id")[: 2 * accounts]
    )
    if len(providers) < 2 * accounts:
        raise SystemExit(f"only {len(providers)} organisations with active services")
    return [(providers[2 * i], providers[2 * i + 1]) for i in range(accounts)]


def _user(username: str, password: str, first: str, last: str):
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first, last, ""
    user.is_active = True
    user.set_password(password)
    user.save()
    return user


def seed(accounts: int, referrals_per_account: int, events: int, territory_slug: str) -> dict:
    """Users, persons, consents, sent referrals and open events for the logged-in load."""
    from accounts.models import Membership
    from directory.models import Service
    from events import services as event_services
    from events.models import Event
    from events.recurrence import Frequency, build_rrule
    from referrals import services as referral_services
    from territory.models import Territory

    started = time.perf_counter()
    territory = Territory.objects.get(slug=territory_slug)
    pairs = _account_orgs(accounts)
    run_tag = secrets.token_hex(3)
    fixture: dict = {"territory": territory_slug, "accounts": [], "events": []}
    for index, (intake, provider) in enumerate(pairs):
        password = secrets.token_urlsafe(18)
        worker = _user(f"{LOAD_PREFIX}pracovnik-{index}", password, "Zátěž", f"Pracovník {index}")
        staff = _user(
            f"{LOAD_PREFIX}poskytovatel-{index}", password, "Zátěž", f"Poskytovatel {index}"
        )
        Membership.objects.get_or_create(
            user=worker, organization=intake, role=Membership.Role.SOCIAL_WORKER
        )
        Membership.objects.get_or_create(
            user=staff, organization=provider, role=Membership.Role.PROVIDER_STAFF
        )
        service = (
            Service.objects.filter(organization=provider, status=Service.Status.ACTIVE)
            .order_by("id")
            .first()
        )
        referral_ids = []
        per_person = 5
        for p in range(-(-referrals_per_account // per_person)):
            person = referral_services.record_person(
                actor=worker,
                organization=intake,
                name=f"Osoba Zátěžová {run_tag}-{index}-{p} (test)",
                birth_year=1950 + p % 50,
                email=f"osoba.{run_tag}.{index}.{p}@example.cz",
            )
            referral_services.record_consent(
                actor=worker,
                person=person,
                purpose="referral",
                given_by="self",
                share_with=[provider],
            )
            for _ in range(min(per_person, referrals_per_account - p * per_person)):
                referral = referral_services.create_referral(
                    actor=worker,
                    person=person,
                    service=service,
                    territory=territory,
                    note="Zátěžový test: předání k přijetí.",
                )
                referral_ids.append(str(referral.pk))
        fixture["accounts"].append(
            {
                "username": staff.username,
                "password": password,
                "sender": worker.username,
                "referrals": referral_ids,
            }
        )
        say(
            f"  seed: account {index + 1}/{len(pairs)}: {len(referral_ids)} referrals "
            f"({time.perf_counter() - started:.1f} s)"
        )
    # Open events, one occurrence every day for four months, without a capacity limit.
    from django.utils import timezone

    tomorrow = timezone.localtime() + timedelta(days=1)
    for e in range(events):
        intake, provider = pairs[e % len(pairs)]
        organiser = _user_for(provider)
        start = tomorrow.replace(hour=9 + e % 8, minute=0, second=0, microsecond=0)
        event = event_services.create_event(
            actor=organiser,
            organization=provider,
            kind=Event.Kind.ACTIVITY,
            title=f"Zátěžová akce {e + 1}: setkání a poradna",
            description="Akce pro zátěžový test: přihlášky bez omezení počtu míst.",
            territory=territory,
            place_kind=Event.PlaceKind.ONLINE,
            online_url=f"https://meet.example.cz/zatez-{e}",
            registration=Event.RegistrationMode.OPEN,
            capacity=None,
            start=start,
            end=start + timedelta(hours=2),
            rrule=build_rrule(
                frequency=Frequency.WEEKLY,
                start=start,
                until=(start + timedelta(days=120)).date(),
                weekdays=range(7),
            ),
        )
        fixture["events"].append(str(event.pk))
    fixture.update(_samples(territory))
    say(f"  seeded in {time.perf_counter() - started:.1f} s")
    return fixture


def _user_for(organization):
    from accounts.models import Membership

    return (
        Membership.objects.filter(organization=organization, user__username__startswith=LOAD_PREFIX)
        .select_related("user")
        .first()
        .user
    )


def _samples(territory) -> dict:
    """Ids and queries the anonymous users pick from (deterministic)."""
    from bench.run import build_query_set
    from catalog.models import LifeSituation
    from directory.models import Organization, Service
    from territory.models import Municipality

    queries = build_query_set(200, 7)
    service_ids = list(
        Service.objects.filter(status=Service.Status.ACTIVE)
        .order_by("id")
        .values_list("id", flat=True)[::97][:600]
    )
    org_ids = list(Organization.objects.order_by("id").values_list("id", flat=True)[::41][:300])
    codes = list(Municipality.objects.order_by("code").values_list("code", flat=True)[::13])
    situations = list(LifeSituation.objects.order_by("slug").values_list("slug", flat=True))
    return {
        "search": [q.querystring() for q in queries],
        "api_search": sorted({q.q for q in queries if q.q})[:80],
        "services": [str(s) for s in service_ids],
        "organizations": [str(o) for o in org_ids],
        "municipalities": codes,
        "situations": situations,
    }


# ------------------------------------------------------------------------------ verify
def verify(acks: Path) -> dict:
    """Every acknowledged referral change and registration, looked up in the database."""
    from events.models import Registration
    from referrals.models import ReferralEvent

    transitions: set[tuple[str, str]] = set()
    registrations: set[str] = set()
    if acks.exists():
        for line in acks.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by a killed locust process: it was never acknowledged
            if entry.get("kind") == "transition":
                transitions.add((entry["referral"], entry["to"]))
            elif entry.get("kind") == "registration":
                registrations.add(entry["email"])
    found_t = 0
    referral_ids = sorted({r for r, _ in transitions})
    stored: set[tuple[str, str]] = set()
    for start in range(0, len(referral_ids), 500):
        chunk = referral_ids[start : start + 500]
        stored |= {
            (str(r), s)
            for r, s in ReferralEvent.objects.filter(referral_id__in=chunk).values_list(
                "referral_id", "to_status"
            )
        }
    found_t = len(transitions & stored)
    emails = sorted(registrations)
    found_r = 0
    for start in range(0, len(emails), 500):
        found_r += (
            Registration.objects.filter(email__in=emails[start : start + 500])
            .values("email")
            .distinct()
            .count()
        )
    acknowledged = len(transitions) + len(registrations)
    found = found_t + found_r
    return {
        "acknowledged": acknowledged,
        "found": found,
        "lost": acknowledged - found,
        "acknowledged_transitions": len(transitions),
        "found_transitions": found_t,
        "acknowledged_registrations": len(registrations),
        "found_registrations": found_r,
    }


def scale() -> dict:
    from directory.models import Organization, Service, ServiceCoverage

    return {
        "services": Service.objects.count(),
        "organizations": Organization.objects.count(),
        "coverage_rows": ServiceCoverage.objects.count(),
    }


# -------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "command", choices=("generate-pg", "meta", "migrate", "seed", "verify", "scale")
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--organizations", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20_250_602)
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--referrals", type=int, default=60, help="per account")
    parser.add_argument("--events", type=int, default=8)
    parser.add_argument("--territory", default="cr")
    parser.add_argument("--out", type=Path, help="write the JSON answer here")
    parser.add_argument("--acks", type=Path, help="acknowledged operations (JSON lines)")
    args = parser.parse_args(argv)
    setup_django(args.database_url)
    if args.command == "generate-pg":
        answer = generate_pg(args.services, args.organizations, args.seed)
    elif args.command == "meta":
        meta = pg_meta()
        expected = pg_fingerprint(args.services, args.organizations, args.seed)
        answer = {"current": meta.get("pg_fingerprint") == expected, "meta": meta}
    elif args.command == "migrate":
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        answer = {"migrated": True}
    elif args.command == "seed":
        shift_dates()
        answer = seed(args.accounts, args.referrals, args.events, args.territory)
    elif args.command == "verify":
        answer = verify(args.acks)
    else:
        answer = scale()
    text = json.dumps(answer, ensure_ascii=False, indent=1, default=str)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

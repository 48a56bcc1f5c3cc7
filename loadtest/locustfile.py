"""Locust users of Spojka's load test: residents, other systems and workers.

Started by `loadtest/run_load.py` (headless, against gunicorn on 127.0.0.1, bounded in time);
it can also be run by hand:

    SPOJKA_LOAD_FIXTURE=bench/work/load/fixture-sqlite.json \\
    SPOJKA_LOAD_ACKS=/tmp/acks.jsonl \\
    .venv/bin/locust -f loadtest/locustfile.py --headless -u 50 -r 25 -t 60s \\
        --host http://127.0.0.1:8000 PublicUser ApiUser WorkerUser

The mix (by users; every user waits `SPOJKA_LOAD_WAIT` seconds, default 0.5–1.5, between
tasks, so requests follow the same shares):

- `PublicUser` (weight 7, ~70 %): the portal of the national territory: search with the
  benchmark's Czech queries (with and without diacritics, filters), home, service,
  organisation, obec, life-situation and calendar pages.
- `ApiUser` (weight 2, ~20 %): the HSDS 3.0 API: full-text search, pages of services and
  organisations, single records (revalidated with their ETag now and then), services at
  the locations of an obec, taxonomy terms.
- `WorkerUser` (weight 1, ~10 %): a provider's staff member signed in (SPOJKA_REQUIRE_2FA=0
  in the load run): inbox, referral list, moves each of the referrals sent to its
  organisation forward (accept → start → complete) and registers people for events.
- `FloorUser`: only the trivial page `/_bench/floor/` (the comparison run).

Every POST the site acknowledged (a redirect after a referral change or a registration) is
appended as one JSON line to `SPOJKA_LOAD_ACKS`; the orchestrator then looks each one up
in the database (`python -m loadtest.dataset verify`). Failed requests go, with their
moment, to `SPOJKA_LOAD_FAILURES`.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

from locust import FastHttpUser, between, events, task

FIXTURE = json.loads(Path(os.environ["SPOJKA_LOAD_FIXTURE"]).read_text(encoding="utf-8"))
TERRITORY = FIXTURE.get("territory", "cr")
_WAIT = [float(x) for x in os.environ.get("SPOJKA_LOAD_WAIT", "0.5,1.5").split(",")]
WAIT = between(_WAIT[0], _WAIT[-1])

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TRANSITION = re.compile(
    r'<form class="transition"[^>]*>.*?name="to" value="([a-z_]+)".*?name="version" value="(\d+)"',
    re.S,
)
_OCCURRENCE = re.compile(r'<option value="(\d{8}T\d{4})"')
# Forward moves of a referral, in the order a provider makes them.
FORWARD = ("accepted", "in_progress", "completed")


class Acks:
    """Acknowledged operations, one JSON line each, flushed at once."""

    def __init__(self, path: str | None):
        self.handle = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115

    def add(self, **entry) -> None:
        if self.handle is not None:
            self.handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.handle.flush()


ACKS = Acks(os.environ.get("SPOJKA_LOAD_ACKS"))
# Every failed request with its moment, so that the orchestrator can tell the failures
# a fault caused from those after the site recovered.
FAILURES = Acks(os.environ.get("SPOJKA_LOAD_FAILURES"))


@events.request.add_listener
def _record_failure(request_type, name, response_time, response, exception, **kwargs) -> None:
    if exception is not None:
        status = getattr(response, "status_code", 0) if response is not None else 0
        now = time.time()
        FAILURES.add(
            t=now,
            start=now - (response_time or 0) / 1000,
            name=name,
            status=status or 0,
            error=str(exception)[:300],
        )


def csrf_token(html: str) -> str:
    found = _CSRF.search(html or "")
    return found.group(1) if found else ""


class PublicUser(FastHttpUser):
    """A resident (or someone helping them) on the portal, without an account."""

    weight = 7
    wait_time = WAIT

    @task(10)
    def search(self) -> None:
        query = random.choice(FIXTURE["search"])
        self.client.get(f"/{TERRITORY}/hledat/?{query}", name="public: search")

    @task(2)
    def home(self) -> None:
        self.client.get(f"/{TERRITORY}/", name="public: home")

    @task(4)
    def service(self) -> None:
        pk = random.choice(FIXTURE["services"])
        self.client.get(f"/{TERRITORY}/sluzba/{pk}/", name="public: service")

    @task(1)
    def organization(self) -> None:
        pk = random.choice(FIXTURE["organizations"])
        self.client.get(f"/{TERRITORY}/organizace/{pk}/", name="public: organisation")

    @task(1)
    def municipality(self) -> None:
        code = random.choice(FIXTURE["municipalities"])
        self.client.get(f"/{TERRITORY}/obec/{code}/", name="public: obec")

    @task(1)
    def situation(self) -> None:
        slug = random.choice(FIXTURE["situations"])
        self.client.get(f"/{TERRITORY}/situace/{slug}/", name="public: life situation")

    @task(1)
    def calendar(self) -> None:
        self.client.get(f"/{TERRITORY}/akce/", name="public: events")


class ApiUser(FastHttpUser):
    """Another system reading the directory as HSDS 3.0."""

    weight = 2
    wait_time = WAIT

    def on_start(self) -> None:
        self.etags: dict[str, str] = {}

    @task(4)
    def search(self) -> None:
        params = {"search": random.choice(FIXTURE["api_search"]), "per_page": 20}
        if random.random() < 0.3:
            params["municipality"] = random.choice(FIXTURE["municipalities"])
        self.client.get(f"/api/hsds/services?{urlencode(params)}", name="api: services search")

    @task(2)
    def services_page(self) -> None:
        page = random.randint(1, 200)
        self.client.get(f"/api/hsds/services?page={page}&per_page=50", name="api: services page")

    @task(4)
    def service(self) -> None:
        pk = random.choice(FIXTURE["services"])
        url = f"/api/hsds/services/{pk}"
        headers = {"If-None-Match": self.etags[url]} if url in self.etags else {}
        with self.client.get(
            url, headers=headers, name="api: service", catch_response=True
        ) as response:
            if response.status_code in (200, 304):
                etag = response.headers.get("ETag")
                if etag:
                    self.etags[url] = etag
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")

    @task(1)
    def organizations(self) -> None:
        page = random.randint(1, 100)
        self.client.get(f"/api/hsds/organizations?page={page}", name="api: organizations")

    @task(1)
    def organization(self) -> None:
        pk = random.choice(FIXTURE["organizations"])
        self.client.get(f"/api/hsds/organizations/{pk}", name="api: organization")

    @task(2)
    def at_locations(self) -> None:
        code = random.choice(FIXTURE["municipalities"])
        self.client.get(
            f"/api/hsds/service_at_locations?municipality={code}&per_page=20",
            name="api: service_at_locations",
        )

    @task(1)
    def taxonomy_terms(self) -> None:
        self.client.get("/api/hsds/taxonomy_terms?per_page=50", name="api: taxonomy_terms")


class WorkerUser(FastHttpUser):
    """A provider's staff member: inbox, referrals sent to them, event registrations."""

    weight = 1
    wait_time = WAIT
    _numbers = itertools.count()

    def on_start(self) -> None:
        accounts = FIXTURE["accounts"]
        self.account = accounts[next(WorkerUser._numbers) % len(accounts)]
        self.queue = list(self.account["referrals"])
        self.signed_in = False
        self.sign_in()

    def sign_in(self) -> None:
        page = self.client.get("/ucet/prihlaseni/", name="worker: sign-in page")
        with self.client.post(
            "/ucet/prihlaseni/",
            data={
                "username": self.account["username"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            allow_redirects=False,
            name="worker: sign in",
            catch_response=True,
        ) as response:
            if response.status_code in (302, 303):
                self.signed_in = True
                response.success()
            else:
                response.failure(f"sign-in answered HTTP {response.status_code}")

    @task(2)
    def inbox(self) -> None:
        if not self.signed_in:
            return self.sign_in()
        self.client.get("/prace/", name="worker: inbox")

    @task(1)
    def referral_list(self) -> None:
        if not self.signed_in:
            return self.sign_in()
        self.client.get("/prace/predani/", name="worker: referrals")

    @task(5)
    def move_referral(self) -> None:
        """Open the next referral and make its next forward move, as the page offers it."""
        if not self.signed_in:
            return self.sign_in()
        if not self.queue:
            return self.inbox()
        pk = self.queue[0]
        page = self.client.get(f"/prace/predani/{pk}/", name="worker: referral")
        if page.status_code != 200:
            return
        offered = dict(_TRANSITION.findall(page.text or ""))
        to = next((s for s in FORWARD if s in offered), None)
        if to is None:  # completed (or closed by someone): the next one
            self.queue.pop(0)
            return
        data = {
            "csrfmiddlewaretoken": csrf_token(page.text),
            "to": to,
            "version": offered[to],
            "reason": "",
            "outcome": "helped" if to == "completed" else "",
            "comment": "",
        }
        with self.client.post(
            f"/prace/predani/{pk}/stav/",
            data=data,
            allow_redirects=False,
            name="worker: referral change (POST)",
            catch_response=True,
        ) as response:
            if response.status_code in (302, 303):
                ACKS.add(kind="transition", referral=pk, to=to, version=int(offered[to]) + 1)
                response.success()
                if to == FORWARD[-1]:
                    self.queue.pop(0)
            else:
                response.failure(f"referral change answered HTTP {response.status_code}")

    @task(2)
    def register(self) -> None:
        """Register a person for an event occurrence (the public form, no account needed)."""
        pk = random.choice(FIXTURE["events"])
        url = f"/{TERRITORY}/akce/{pk}/"
        page = self.client.get(url, name="worker: event")
        keys = _OCCURRENCE.findall(page.text or "")
        if page.status_code != 200 or not keys:
            return
        email = f"zatez-{uuid.uuid4().hex[:16]}@example.cz"
        with self.client.post(
            f"{url}prihlasit/",
            data={
                "csrfmiddlewaretoken": csrf_token(page.text),
                "termin": random.choice(keys),
                "jmeno": "Zátěžová Osoba",
                "email": email,
                "telefon": "",
                "souhlas": "on",
                "web_adresa": "",
            },
            allow_redirects=False,
            name="worker: event registration (POST)",
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") or ""
            if response.status_code in (302, 303) and "/prihlaska/" in location:
                ACKS.add(kind="registration", email=email, event=pk)
                response.success()
            else:
                response.failure(
                    f"registration answered HTTP {response.status_code} {quote(location)}"
                )


class FloorUser(FastHttpUser):
    """The trivial page: base template, no database (bench/views.py)."""

    wait_time = WAIT

    @task
    def floor(self) -> None:
        self.client.get("/_bench/floor/", name="floor")

"""Generate the referral loop at scale into the benchmark's directory database.

100,000 referrals of 10,000 persons, sent by 500 organisations to services all over the
directory, with everything a worker's pages read: workers and their memberships, persons'
consents, residents' help requests, the status history of every referral, messages
between the organisations, inbox notifications of the workers of the busiest
organisations, and the audit trail those changes left.

Deterministic (one seeded `random.Random`, UUIDs included) and fast: rows are built in
memory and written with `bulk_create` in chunks, without the service functions (which
check rights, audit and notify one referral at a time). Dates are relative to a reference
moment stored in `bench_meta` (`referrals_reference_now`).

Who sends how much: sending organisations are ranked, and the i-th gets a share of the
persons and referrals proportional to 1/sqrt(i+1), so a few large municipal and charity
offices send thousands and most send a few dozen. The first, the "hub", is also a large
provider that receives referrals; its first social worker is the user whose inbox and
referral pages `run.py` measures. A third of the referrals go to services of the sending
organisations (by the same weights), the rest to services anywhere in the directory.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import AuditEntry, Membership
from bench import queries as bench_queries
from directory.models import Service
from referrals.models import (
    Consent,
    HelpRequest,
    Notification,
    Person,
    Referral,
    ReferralEvent,
    ReferralMessage,
)
from territory.models import Municipality, Territory

# Bump when the generated data change shape (the cache key includes this file anyway).
REFERRALS_GENERATOR_VERSION = 1

HUB_WORKER = "bench-hub-1"  # the user whose pages run.py measures
# Notifications are kept for the workers of this many of the busiest organisations.
NOTIFIED_ORGS = 20
# Notifications newer than this are unread (run.py restores that before measuring).
UNREAD_DAYS = 3

FIRST_F = [
    "Jana", "Marie", "Eva", "Hana", "Anna", "Lenka", "Kateřina", "Lucie", "Věra", "Alena",
    "Petra", "Jaroslava", "Veronika", "Martina", "Ludmila", "Tereza", "Helena", "Michaela",
    "Zdeňka", "Ivana", "Jitka", "Monika", "Zuzana", "Markéta", "Barbora",
]  # fmt: skip
FIRST_M = [
    "Jiří", "Jan", "Petr", "Josef", "Pavel", "Martin", "Tomáš", "Jaroslav", "Miroslav",
    "Zdeněk", "Václav", "Michal", "František", "Jakub", "Milan", "Karel", "Lukáš", "David",
    "Vladimír", "Ladislav", "Ondřej", "Roman", "Stanislav", "Marek", "Radek",
]  # fmt: skip
SURNAMES = [
    ("Novák", "Nováková"), ("Svoboda", "Svobodová"), ("Novotný", "Novotná"),
    ("Dvořák", "Dvořáková"), ("Černý", "Černá"), ("Procházka", "Procházková"),
    ("Kučera", "Kučerová"), ("Veselý", "Veselá"), ("Horák", "Horáková"),
    ("Němec", "Němcová"), ("Pokorný", "Pokorná"), ("Marek", "Marková"),
    ("Pospíšil", "Pospíšilová"), ("Hájek", "Hájková"), ("Jelínek", "Jelínková"),
    ("Král", "Králová"), ("Růžička", "Růžičková"), ("Beneš", "Benešová"),
    ("Fiala", "Fialová"), ("Sedláček", "Sedláčková"), ("Doležal", "Doležalová"),
    ("Zeman", "Zemanová"), ("Kolář", "Kolářová"), ("Navrátil", "Navrátilová"),
    ("Čermák", "Čermáková"), ("Urban", "Urbanová"), ("Vaněk", "Vaňková"),
    ("Blažek", "Blažková"), ("Kříž", "Křížová"), ("Kovář", "Kovářová"),
]  # fmt: skip
NOTES = [
    "Paní potřebuje co nejdříve pomoc s péčí doma, dcera dojíždí jen o víkendech.",
    "Klient má dluhy a exekuce, hrozí mu ztráta bydlení. Prosíme o konzultaci.",
    "Po propuštění z nemocnice potřebuje na přechodnou dobu odlehčovací pobyt.",
    "Matka se dvěma dětmi bez bydlení, zatím přespává u známých.",
    "Pán žije sám, přestává zvládat nákupy a vaření. Souhlasí s návštěvou.",
    "Domlouvali jsme se telefonicky, paní čeká na vaše zavolání.",
    "Syn s autismem, rodina hledá odlehčení a poradenství.",
    "Klientka po rozvodu, potřebuje pomoc s dávkami a hledáním práce.",
    "Senior s počínající demencí, manželka péči sama nezvládá.",
    "Mladý muž po odchodu z dětského domova, hledá bydlení a práci.",
]
MESSAGES = [
    "Dobrý den, klienta jsme kontaktovali, schůzka je domluvena na příští týden.",
    "Děkujeme za předání. Potřebovali bychom doplnit kontakt na rodinu.",
    "Paní se na schůzku nedostavila, zkusíme ji kontaktovat znovu.",
    "Máme volné místo od prvního dne příštího měsíce.",
    "Můžete prosím upřesnit, jakou pomoc už klient dostává?",
    "Klient souhlasí, začínáme ve středu.",
    "Bohužel nyní nemáme kapacitu, zařadili jsme ho do pořadníku.",
    "Posíláme informaci o průběhu: spolupráce běží dobře.",
]
# (status, weight): about a quarter open, as in a loop that has run for two years.
STATUSES = [
    ("draft", 2),
    ("sent", 8),
    ("accepted", 6),
    ("in_progress", 12),
    ("completed", 40),
    ("declined", 14),
    ("closed", 8),
    ("cancelled", 5),
    ("expired", 5),
]
RECEIVER_SIDE = {"accepted", "declined", "in_progress", "completed", "closed"}


def _paths(status: str, r: random.Random) -> list[str]:
    """The statuses a referral went through to reach `status`."""
    chain = ["draft", "sent", "accepted", "in_progress", "completed"]
    if status in chain:
        return chain[: chain.index(status) + 1]
    if status == "expired":
        return ["draft", "sent", "expired"]
    if status == "cancelled":
        before = ["draft"] if r.random() < 0.3 else ["draft", "sent"]
    elif status == "declined":
        before = ["draft", "sent"] if r.random() < 0.7 else ["draft", "sent", "accepted"]
    else:  # closed without an outcome
        before = chain[:3] if r.random() < 0.4 else chain[:4]
    return [*before, status]


@dataclass(frozen=True)
class ReferralScale:
    referrals: int = 100_000
    persons: int = 10_000
    sender_orgs: int = 500
    help_requests: int = 3_000
    seed: int = 20_260_404
    chunk: int = 10_000


class ReferralGenerator:
    def __init__(
        self, scale: ReferralScale, now: datetime, say: Callable[[str], None] = print
    ) -> None:
        self.scale = scale
        self.now = now
        self.say = say
        self.rng = random.Random(scale.seed)
        self.counts: dict[str, int] = defaultdict(int)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def ago(self, low_days: float, high_days: float) -> datetime:
        return self.now - timedelta(seconds=self.rng.uniform(low_days, high_days) * 86400)

    # ------------------------------------------------------------------ reference data
    def load(self) -> None:
        rows = list(
            Service.objects.filter(status=Service.Status.ACTIVE)
            .order_by("id")
            .values_list("id", "organization_id")
        )
        if not rows:
            raise RuntimeError("no active services: generate the directory first")
        self.services = rows
        self.services_of: dict = defaultdict(list)
        for sid, oid in rows:
            self.services_of[oid].append(sid)
        self.territory_id = Territory.objects.get(slug="cr").id
        self.municipalities = list(
            Municipality.objects.order_by("code").values_list("code", flat=True)
        )

    def choose_senders(self) -> None:
        r = self.rng
        candidates = sorted(
            (oid for oid, sids in self.services_of.items() if len(sids) >= 2), key=str
        )
        chosen = r.sample(candidates, min(self.scale.sender_orgs, len(candidates)))
        # The hub: the one with most services, so that it also receives many referrals.
        hub = max(chosen, key=lambda oid: (len(self.services_of[oid]), str(oid)))
        chosen.remove(hub)
        self.senders = [hub, *chosen]
        self.weights = [1 / (i + 1) ** 0.5 for i in range(len(self.senders))]
        self.cum_weights = list(accumulate(self.weights))

    def pick_sender(self) -> int:
        """Index of a sending organisation, by the weights."""
        return self.rng.choices(range(len(self.senders)), cum_weights=self.cum_weights)[0]

    # ------------------------------------------------------------------ users
    def build_users(self, receiver_orgs: set) -> None:
        User = get_user_model()
        r = self.rng
        self.workers: dict = defaultdict(list)  # org id -> user ids (PERSONAL_DATA roles)
        users, memberships = [], []
        n = 0

        def add(org_id, role: str, username: str | None = None) -> None:
            nonlocal n
            n += 1
            first = r.choice(FIRST_F + FIRST_M)
            last = r.choice(SURNAMES)[1 if first in FIRST_F else 0]
            user = User(
                username=username or f"bench-{n}",
                password="!bench",  # unusable: the benchmark signs in with force_login
                first_name=first,
                last_name=last,
                email=f"bench-{n}@example.cz",
                is_active=True,
                date_joined=self.ago(400, 900),
            )
            users.append(user)
            memberships.append((user, org_id, role))

        for i, org_id in enumerate(self.senders):
            if i == 0:
                add(org_id, "social_worker", HUB_WORKER)
                for k in range(2, 7):
                    role = "provider_admin" if k == 2 else "social_worker"
                    add(org_id, role, f"bench-hub-{k}")
                continue
            add(org_id, "social_worker")
            add(org_id, "provider_admin")
            if r.random() < 0.5:
                add(org_id, "social_worker")
        for org_id in sorted(receiver_orgs - set(self.senders), key=str):
            add(org_id, "provider_staff")
        User.objects.bulk_create(users, batch_size=2000)
        # SQLite returns no ids from bulk_create on old versions: read them back.
        ids = dict(User.objects.filter(username__startswith="bench-").values_list("username", "id"))
        rows = []
        for user, org_id, role in memberships:
            uid = ids[user.username]
            self.workers[org_id].append(uid)
            rows.append(Membership(id=self.uuid(), user_id=uid, organization_id=org_id, role=role))
        Membership.objects.bulk_create(rows, batch_size=2000)
        self.usernames = {uid: name for name, uid in ids.items()}
        self.hub_user = ids[HUB_WORKER]
        self.counts["users"] = len(users)
        self.counts["memberships"] = len(rows)

    # ------------------------------------------------------------------ persons
    def assign_persons(self) -> None:
        """Which sender records each person: every sender at least one, the rest by weight."""
        self.person_sender = [
            k if k < len(self.senders) else self.pick_sender() for k in range(self.scale.persons)
        ]
        self.persons_of: dict[int, list[int]] = defaultdict(list)  # sender -> person indices
        for k, s in enumerate(self.person_sender):
            self.persons_of[s].append(k)

    def build_persons(self) -> None:
        r = self.rng
        persons, consents = [], []
        self.referral_consent: dict = {}
        for k, s in enumerate(self.person_sender):
            org_id = self.senders[s]
            female = r.random() < 0.58
            first = r.choice(FIRST_F if female else FIRST_M)
            last = r.choice(SURNAMES)[1 if female else 0]
            pseudonym = r.random() < 0.05
            created = self.ago(30, 1000)
            person = Person(
                id=self.uuid(),
                organization_id=org_id,
                name=f"{first[0]}. {last}" if pseudonym else f"{first} {last}",
                is_pseudonym=pseudonym,
                birth_year=r.randint(1930, 2008) if r.random() < 0.9 else None,
                municipality_id=r.choice(self.municipalities) if r.random() < 0.9 else None,
                phone=f"+420 {r.randrange(600, 800)} {r.randrange(100, 1000)} "
                f"{r.randrange(100, 1000)}"
                if r.random() < 0.8
                else "",
                email=f"{last.lower()}.{k}@example.cz" if r.random() < 0.4 else "",
                created_by_id=r.choice(self.workers[org_id]),
                created_at=created,
            )
            persons.append(person)
            x = r.random()
            scope = (
                list(Consent.SHAREABLE)
                if x < 0.7
                else r.sample(Consent.SHAREABLE, r.randint(0, len(Consent.SHAREABLE) - 1))
            )
            given_by = r.choices(["self", "guardian", "verbal_witnessed"], [80, 10, 10])[0]
            e = r.random()
            consent = Consent(
                id=self.uuid(),
                person_id=person.id,
                purpose=Consent.Purpose.REFERRAL,
                scope=scope,
                given_by=given_by,
                witness="Mgr. Eva Svědková" if given_by == "verbal_witnessed" else "",
                given_at=created,
                expires_at=None
                if e < 0.7
                else (self.now + timedelta(days=r.randint(200, 1500)))
                if e < 0.95
                else (self.now - timedelta(days=r.randint(1, 200))),
                withdrawn_at=self.ago(1, 30) if r.random() < 0.04 else None,
                recorded_by_id=person.created_by_id,
            )
            consents.append(consent)
            self.referral_consent[person.id] = consent.id
            if r.random() < 0.4:
                consents.append(
                    Consent(
                        id=self.uuid(),
                        person_id=person.id,
                        purpose=Consent.Purpose.RECORD,
                        scope=[],
                        legal_basis=Consent.LegalBasis.CONTRACT,
                        given_by="self",
                        given_at=created,
                        recorded_by_id=person.created_by_id,
                    )
                )
        self.persons = persons
        with transaction.atomic():
            Person.objects.bulk_create(persons, batch_size=2000)
            Consent.objects.bulk_create(consents, batch_size=2000)
        self.counts["persons"] = len(persons)
        self.counts["consents"] = len(consents)

    def build_help_requests(self) -> None:
        r = self.rng
        phrases = bench_queries.PHRASES
        rows = []
        self.request_of: dict = {}
        for _ in range(self.scale.help_requests):
            s = self.pick_sender()
            org_id = self.senders[s]
            status = r.choices(["new", "in_progress", "closed"], [10, 40, 50])[0]
            person = self.persons[r.choice(self.persons_of[s])] if status != "new" else None
            created = self.ago(0, 3) if status == "new" else self.ago(10, 700)
            request = HelpRequest(
                id=self.uuid(),
                territory_id=self.territory_id,
                organization_id=org_id,
                situation=f"{r.choice(phrases).capitalize()}. {r.choice(NOTES)}",
                municipality_id=r.choice(self.municipalities),
                name=f"{r.choice(FIRST_F + FIRST_M)} {r.choice(SURNAMES)[0]}",
                contact_method=r.choice(["phone", "email", "visit"]),
                contact=f"+420 {r.randrange(600, 800)} {r.randrange(100000, 1000000)}",
                consent_text_version="2026-1",
                consent_given_at=created,
                status=status,
                assigned_to_id=r.choice(self.workers[org_id]) if status != "new" else None,
                person_id=person.id if person else None,
                created_at=created,
                closed_at=created + timedelta(days=r.randint(5, 60))
                if status == "closed"
                else None,
            )
            rows.append(request)
            if person is not None and person.id not in self.request_of:
                self.request_of[person.id] = request.id
        HelpRequest.objects.bulk_create(rows, batch_size=2000)
        self.counts["help_requests"] = len(rows)

    # ------------------------------------------------------------------ referrals
    def skeletons(self) -> list[tuple[int, int, object]]:
        """(sender index, person index, service id) of every referral, in creation order."""
        r = self.rng
        sender_services = [self.services_of[o] for o in self.senders]
        out = []
        for _ in range(self.scale.referrals):
            s = self.pick_sender()
            k = r.choice(self.persons_of[s])
            if r.random() < 0.33:
                service = r.choice(sender_services[self.pick_sender()])
            else:
                service = r.choice(self.services)[0]
            out.append((s, k, service))
        return out

    def run(self) -> dict[str, int]:
        start = time.perf_counter()
        self.load()
        self.choose_senders()
        self.assign_persons()
        skeletons = self.skeletons()
        org_of = dict(self.services)
        receivers = {org_of[sid] for _, _, sid in skeletons}
        self.build_users(receivers)
        self.build_persons()
        self.build_help_requests()
        self.say(
            f"  referrals: {self.counts['users']:,} users, {self.counts['persons']:,} persons, "
            f"{self.counts['help_requests']:,} help requests "
            f"({time.perf_counter() - start:.1f} s)"
        )
        notified = {o: self.workers[o] for o in self.senders[:NOTIFIED_ORGS]}
        unread_after = self.now - timedelta(days=UNREAD_DAYS)
        statuses = [s for s, _ in STATUSES]
        status_weights = list(accumulate(w for _, w in STATUSES))
        used_request: set = set()
        r = self.rng
        for begin in range(0, len(skeletons), self.scale.chunk):
            referrals, events, messages, notes, audits = [], [], [], [], []
            for s, k, service_id in skeletons[begin : begin + self.scale.chunk]:
                person = self.persons[k]
                from_org = self.senders[s]
                to_org = org_of[service_id]
                status = r.choices(statuses, cum_weights=status_weights)[0]
                path = _paths(status, r)
                if status in ("draft", "sent"):
                    created = self.ago(0, 14)
                elif status in ("accepted", "in_progress"):
                    created = self.ago(2, 180)
                else:
                    created = self.ago(7, 730)
                author = r.choice(self.workers[from_org])
                receiver = r.choice(self.workers[to_org])
                rid = self.uuid()
                moments = [created]
                for _ in path[1:]:
                    step = timedelta(minutes=r.randint(10, 7 * 24 * 60))
                    moments.append(min(moments[-1] + step, self.now - timedelta(minutes=1)))
                sent_at = moments[1] if len(path) > 1 and path[1] == "sent" else None
                help_request = None
                if person.id in self.request_of and person.id not in used_request:
                    help_request = self.request_of[person.id]
                    used_request.add(person.id)
                referrals.append(
                    Referral(
                        id=rid,
                        person_id=person.id,
                        consent_id=self.referral_consent[person.id],
                        territory_id=self.territory_id,
                        help_request_id=help_request,
                        from_organization_id=from_org,
                        to_organization_id=to_org,
                        service_id=service_id,
                        created_by_id=author,
                        status=status,
                        note=r.choice(NOTES) if r.random() < 0.6 else "",
                        decline_reason=r.choice(Referral.DeclineReason.values)
                        if status == "declined"
                        else "",
                        outcome=r.choice(Referral.Outcome.values) if status == "completed" else "",
                        respond_by=sent_at + timedelta(days=5) if sent_at else None,
                        version=len(path),
                        created_at=created,
                        updated_at=moments[-1],
                    )
                )
                previous = ""
                for to_status, at in zip(path, moments, strict=True):
                    if to_status == "expired":
                        actor, org = None, None
                    elif to_status in RECEIVER_SIDE:
                        actor, org = receiver, to_org
                    else:
                        actor, org = author, from_org
                    events.append(
                        ReferralEvent(
                            id=self.uuid(),
                            referral_id=rid,
                            from_status=previous,
                            to_status=to_status,
                            actor_id=actor,
                            organization_id=org,
                            at=at,
                            reason="",
                            comment="",
                        )
                    )
                    if actor is not None:
                        audits.append(
                            AuditEntry(
                                id=self.uuid(),
                                at=at,
                                actor_id=actor,
                                actor_username=self.usernames[actor],
                                action="create" if to_status == "draft" else "update",
                                object_type="referrals.referral",
                                object_id=str(rid),
                                organization_id=from_org,
                            )
                        )
                    # Inbox items of the busiest organisations' workers.
                    if to_status == "sent" and to_org in notified:
                        kind, users = Notification.Kind.REFERRAL_RECEIVED, notified[to_org]
                    elif to_status not in ("draft", "sent") and org is not None:
                        other = from_org if org == to_org else to_org
                        kind, users = Notification.Kind.REFERRAL_CHANGED, notified.get(other, [])
                    else:
                        users = []
                    for uid in users:
                        if uid != actor:
                            notes.append(self.notification(uid, kind, rid, at, unread_after))
                    previous = to_status
                # The receiver read it once it was sent.
                if sent_at is not None and r.random() < 0.8:
                    audits.append(
                        AuditEntry(
                            id=self.uuid(),
                            at=min(
                                sent_at + timedelta(minutes=r.randint(5, 3000)),
                                self.now - timedelta(minutes=1),
                            ),
                            actor_id=receiver,
                            actor_username=self.usernames[receiver],
                            action="read",
                            object_type="referrals.referral",
                            object_id=str(rid),
                            organization_id=from_org,
                        )
                    )
                # Messages between the two organisations on a quarter of them.
                if sent_at is not None and r.random() < 0.25:
                    at = sent_at
                    for k in range(r.randint(1, 4)):
                        at = min(
                            at + timedelta(minutes=r.randint(30, 3 * 24 * 60)),
                            self.now - timedelta(minutes=1),
                        )
                        mine = k % 2 == 1
                        org = from_org if mine else to_org
                        uid = author if mine else receiver
                        messages.append(
                            ReferralMessage(
                                id=self.uuid(),
                                referral_id=rid,
                                author_id=uid,
                                organization_id=org,
                                text=r.choice(MESSAGES),
                                created_at=at,
                            )
                        )
                        other = to_org if mine else from_org
                        for w in notified.get(other, []):
                            notes.append(
                                self.notification(
                                    w, Notification.Kind.MESSAGE, rid, at, unread_after
                                )
                            )
            with transaction.atomic():
                Referral.objects.bulk_create(referrals, batch_size=2000)
                ReferralEvent.objects.bulk_create(events, batch_size=2000)
                ReferralMessage.objects.bulk_create(messages, batch_size=2000)
                Notification.objects.bulk_create(notes, batch_size=2000)
                AuditEntry.objects.bulk_create(audits, batch_size=2000)
            self.counts["referrals"] += len(referrals)
            self.counts["referral_events"] += len(events)
            self.counts["referral_messages"] += len(messages)
            self.counts["notifications"] += len(notes)
            self.counts["audit_entries"] += len(audits)
            self.say(
                f"  referrals: {100 * (begin + len(referrals)) // len(skeletons):3d} %  "
                f"{self.counts['referrals']:,} referrals, "
                f"{self.counts['referral_events']:,} events, "
                f"{self.counts['notifications']:,} notifications  "
                f"({time.perf_counter() - start:.1f} s)"
            )
        return dict(self.counts)

    def notification(self, uid, kind, rid, at, unread_after) -> Notification:
        read = None
        if at < unread_after:
            read = at + timedelta(minutes=self.rng.randint(5, 4000))
        return Notification(
            id=self.uuid(), user_id=uid, kind=kind, referral_id=rid, created_at=at, read_at=read
        )

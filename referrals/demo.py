"""Demo of the referral loop: users of every role in each of the five project territories,
residents' help requests, invented persons with consents, and referrals in every status.

Everything goes through `referrals.services` with the demo users as actors, so history,
audit entries and inbox items are what real work leaves behind. The persons are invented
and say so in their names ("… (demo)"). The demo sends no e-mail: its users have no
address. Idempotent: users, memberships and settings are upserted; a person's whole story
is keyed by (organisation, name) and is not told twice.

Registered in `settings.SPOJKA_DEMO_LOADERS`, called by `manage.py load_demo` after the
directory demo (which it needs: territories, organisations, services).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, TerritoryCoordinator
from directory.demo import (
    BOCHOV,
    DEMO_NOTE,
    DEMO_PASSWORD,
    KYJOV,
    LAZNE_BOHDANEC,
    ORGANIZATIONS,
    TYN,
    DemoDataError,
    demo_uuid,
)
from directory.models import Location, Organization, Service
from directory.validators import ico_with_checksum
from referrals import services
from referrals.models import HelpRequest, Notification, Person, Referral, ReferralSettings
from referrals.notify import notify
from territory.models import Municipality, Territory

JIHLAVA = 586846

# The region's office takes the residents' requests in Kraj Vysočina; the directory demo
# has only providers there, so it is added here (invented, marked like the others).
VYSOCINA_OFFICE_KEY = "kraj-vysocina"
VYSOCINA_OFFICE_ICO7 = "9910080"
VYSOCINA_OFFICE_NAME = "Kraj Vysočina – odbor sociálních věcí"


@dataclass(frozen=True)
class TerritoryCast:
    """Who works with personal data in a demo territory, and the invented people they help."""

    slug: str
    prefix: str  # of the demo user names: "<prefix>-pracovnik" …
    intake: str  # organisation (directory demo key) of the social and community workers
    provider: str  # organisation whose services receive the referrals
    town: int  # ČSÚ code of the obec most persons live in
    first_names: tuple[str, ...]  # for the five persons (f, m, f, m, f) and one resident


CASTS: tuple[TerritoryCast, ...] = (
    TerritoryCast(
        "kyjovske-slovacko",
        "kyjov",
        "mas-kyjovsko",
        "educante",
        KYJOV,
        ("Jana", "Petr", "Eva", "Tomáš", "Lenka", "Anna"),
    ),
    TerritoryCast(
        "bohdanecsko",
        "bohdanec",
        "mas-bohdanecsko",
        "rc-bohdanek",
        LAZNE_BOHDANEC,
        ("Marie", "Josef", "Hana", "Pavel", "Věra", "Olga"),
    ),
    TerritoryCast(
        "vltavotynsko",
        "tyn",
        "mas-vltava",
        "ps-vltavotynsko",
        TYN,
        ("Alena", "Karel", "Lucie", "Martin", "Zdeňka", "Dana"),
    ),
    TerritoryCast(
        "cesky-zapad",
        "zapad",
        "mas-cesky-zapad",
        "ps-tepelsko",
        BOCHOV,
        ("Ivana", "Jiří", "Petra", "Lukáš", "Božena", "Irena"),
    ),
    TerritoryCast(
        "vysocina",
        "vysocina",
        VYSOCINA_OFFICE_KEY,
        "azylove-domy-vysocina",
        JIHLAVA,
        ("Kateřina", "Jan", "Monika", "David", "Ludmila", "Simona"),
    ),
)

# Surnames that no one has, one per story below.
SURNAMES = ("Ukázková", "Vzorový", "Modelová", "Smyšlený", "Příkladná", "Zkušební")

ROLES = (
    ("pracovnik", "social_worker", "sociální pracovník"),
    ("komunitni", "community_worker", "komunitní pracovník"),
    ("poskytovatel", "provider_staff", "pracovník poskytovatele"),
    ("koordinator", "coordinator", "koordinátor území"),
)


def _name(cast: TerritoryCast, index: int) -> str:
    return f"{cast.first_names[index]} {SURNAMES[index]} (demo)"


def _email(name: str) -> str:
    plain = name.split(" (")[0].lower().replace(" ", ".")
    return plain.translate(str.maketrans("áčďéěíňóřšťúůýž", "acdeeinorstuuyz")) + "@example.cz"


@dataclass
class _Cast:
    """A territory's rows, fetched or created."""

    territory: Territory
    intake: Organization
    provider: Organization
    services: list[Service]
    users: dict[str, object] = field(default_factory=dict)  # role key -> user


# --------------------------------------------------------------------------------------
# Organisations, users, settings
# --------------------------------------------------------------------------------------


def _vysocina_office() -> Organization:
    ico = ico_with_checksum(VYSOCINA_OFFICE_ICO7)
    office = Organization.objects.filter(ico=ico).first()
    if office is None:
        office = Organization(id=demo_uuid("organization", ico), ico=ico)
    office.name = VYSOCINA_OFFICE_NAME
    office.description = (
        "Krajský úřad: sociální práce a koordinace sítě sociálních služeb v kraji; přijímá "
        f"žádosti obyvatel o pomoc a předává je poskytovatelům.\n\n{DEMO_NOTE}"
    )
    office.legal_status = "kraj"
    office.email = f"{VYSOCINA_OFFICE_KEY}@example.cz"
    office.website = f"https://{VYSOCINA_OFFICE_KEY}.example.cz/"
    office.phone = "+420 567 000 099"
    office.is_demo = True
    office.save()
    jihlava = Municipality.objects.get(code=JIHLAVA)
    # A seat in the territory makes it one of the territory's organisations.
    Location.objects.update_or_create(
        id=demo_uuid("location", ico, "krajsky-urad"),
        defaults={
            "organization": office,
            "name": "Krajský úřad Kraje Vysočina",
            "city": jihlava.name,
            "municipality": jihlava,
            "latitude": jihlava.latitude,
            "longitude": jihlava.longitude,
        },
    )
    return office


def _organization(key: str) -> Organization:
    if key == VYSOCINA_OFFICE_KEY:
        return _vysocina_office()
    spec = next((s for s in ORGANIZATIONS if s.key == key), None)
    org = Organization.objects.filter(ico=spec.ico).first() if spec else None
    if org is None:
        raise DemoDataError(
            f"Ukázková organizace „{key}“ chybí; předání se nahrávají až po ukázkovém adresáři."
        )
    return org


def _user(username: str, first_name: str, last_name: str):
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.first_name, user.last_name = first_name, last_name
    user.email = ""  # the demo sends no e-mail
    user.is_active = True
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _cast(spec: TerritoryCast) -> tuple[_Cast, list[tuple[str, str, str]]]:
    territory = Territory.objects.filter(slug=spec.slug).first()
    if territory is None:
        raise DemoDataError(f"Ukázkové území „{spec.slug}“ chybí; nahrajte nejdřív adresář.")
    intake = _organization(spec.intake)
    provider = _organization(spec.provider)
    provider_services = list(
        Service.objects.filter(organization=provider, status=Service.Status.ACTIVE).order_by("name")
    )
    if not provider_services:
        raise DemoDataError(f"Organizace „{provider}“ nemá žádnou ukázkovou službu.")
    cast = _Cast(territory=territory, intake=intake, provider=provider, services=provider_services)
    ReferralSettings.objects.update_or_create(
        territory=territory,
        defaults={"intake_organization": intake, "answer_within_days": 5, "remind_days_before": 1},
    )
    logins = []
    for key, role, label in ROLES:
        username = f"{spec.prefix}-{key}"
        user = _user(username, "Demo", f"{label} ({territory.name})")
        if role == "coordinator":
            TerritoryCoordinator.objects.get_or_create(user=user, territory=territory)
            where = territory.name
        else:
            org = provider if role == "provider_staff" else intake
            Membership.objects.update_or_create(
                user=user, organization=org, defaults={"role": role}
            )
            where = org.alternate_name or org.name
        cast.users[key] = user
        logins.append((username, DEMO_PASSWORD, f"{label} – {where}"))
    return cast, logins


# --------------------------------------------------------------------------------------
# Stories: each leaves referrals in some statuses; together they cover all nine
# --------------------------------------------------------------------------------------


def _person(cast: _Cast, spec: TerritoryCast, index: int, *, actor, birth_year, **kw) -> Person:
    name = _name(spec, index)
    return services.record_person(
        actor=actor,
        organization=cast.intake,
        name=name,
        birth_year=birth_year,
        municipality=Municipality.objects.get(code=spec.town),
        email=_email(name),
        **kw,
    )


def _consent(person: Person, *, actor, **kw):
    return services.record_consent(
        actor=actor, person=person, purpose="referral", given_by=kw.pop("given_by", "self"), **kw
    )


def _move(referral: Referral, actor, *steps: str, **kw) -> Referral:
    for to in steps:
        extra = kw if to == steps[-1] else {}
        referral = services.transition_referral(actor=actor, referral=referral, to=to, **extra)
    return referral


def _story_completed(cast: _Cast, spec: TerritoryCast, now) -> None:
    """A resident asked on the portal; the worker recorded her and the provider helped."""
    worker, provider = cast.users["pracovnik"], cast.users["poskytovatel"]
    request = services.create_help_request(
        territory=cast.territory,
        situation=(
            "Maminka (78 let) po pádu špatně chodí a bydlí sama. Potřebovala by pomoc s "
            "nákupy a doprovod k lékaři, já pracuji v Praze."
        ),
        name=_name(spec, 0),
        contact_method=HelpRequest.ContactMethod.EMAIL,
        contact=_email(_name(spec, 0)),
        municipality=Municipality.objects.get(code=spec.town),
    )
    person = _person(cast, spec, 0, actor=worker, birth_year=1947, help_request=request)
    _consent(person, actor=worker)
    referral = services.create_referral(
        actor=worker,
        person=person,
        service=cast.services[0],
        help_request=request,
        territory=cast.territory,
        note="Paní potřebuje pomoc s nákupy a doprovod k lékaři, nejlépe od příštího týdne.",
    )
    referral = _move(referral, provider, "accepted")
    services.post_message(
        actor=provider,
        referral=referral,
        text="Dobrý den, paní jsme kontaktovali, první návštěva je domluvená na pondělí.",
    )
    services.post_message(
        actor=worker, referral=referral, text="Děkuji, dám vědět dceři, která žádost poslala."
    )
    referral = _move(referral, provider, "in_progress")
    _move(referral, provider, "completed", outcome="helped", comment="Pomoc je zajištěná.")
    services.close_help_request(actor=worker, help_request=request)


def _story_in_progress_and_draft(cast: _Cast, spec: TerritoryCast, now) -> None:
    worker, provider = cast.users["pracovnik"], cast.users["poskytovatel"]
    person = _person(cast, spec, 1, actor=worker, birth_year=1985)
    _consent(person, actor=worker, scope=["name", "birth_year", "municipality", "contact"])
    referral = services.create_referral(
        actor=worker,
        person=person,
        service=cast.services[0],
        territory=cast.territory,
        note="Po ztrátě práce a bydlení hledá podporu; je domluvený a spolupracuje.",
    )
    referral = _move(referral, provider, "accepted", "in_progress")
    services.post_message(
        actor=worker,
        referral=referral,
        text="Jak se daří? Ozval se pan s dokumenty k žádosti o dávky?",
    )
    services.create_referral(
        actor=worker,
        person=person,
        service=cast.services[-1],
        territory=cast.territory,
        note="Rozepsané: ještě ověřit, zda služba pomůže i s dluhy.",
        send=False,
    )


def _story_declined_then_accepted(cast: _Cast, spec: TerritoryCast, now) -> None:
    worker, provider = cast.users["pracovnik"], cast.users["poskytovatel"]
    person = _person(cast, spec, 2, actor=worker, birth_year=1972)
    _consent(person, actor=worker, scope=["name", "contact"], expires_at=now + timedelta(days=365))
    referral = services.create_referral(
        actor=worker, person=person, service=cast.services[0], territory=cast.territory
    )
    _move(
        referral,
        provider,
        "declined",
        reason=Referral.DeclineReason.NO_CAPACITY,
        comment="Teď nemáme volné místo; uvolní se nejdřív za měsíc.",
    )
    second = services.create_referral(
        actor=worker,
        person=person,
        service=cast.services[-1],
        territory=cast.territory,
        note="Zkoušíme jinou službu téže organizace, tam místo je.",
    )
    _move(second, provider, "accepted")


def _story_sent_and_expired(cast: _Cast, spec: TerritoryCast, now) -> None:
    worker = cast.users["pracovnik"]
    person = _person(cast, spec, 3, actor=worker, birth_year=1990)
    _consent(person, actor=worker)
    services.create_referral(
        actor=worker,
        person=person,
        service=cast.services[0],
        territory=cast.territory,
        note="Čeká na odpověď poskytovatele.",
    )
    expired = services.create_referral(
        actor=worker, person=person, service=cast.services[-1], territory=cast.territory
    )
    # Sent a week ago and never answered: what process_deadlines finds and escalates.
    sent_at = now - timedelta(days=7)
    drafted_at = sent_at - timedelta(minutes=10)
    Referral.objects.filter(pk=expired.pk).update(
        created_at=drafted_at, updated_at=sent_at, respond_by=sent_at + timedelta(days=5)
    )
    expired.events.filter(to_status=Referral.Status.DRAFT).update(at=drafted_at)
    expired.events.filter(to_status=Referral.Status.SENT).update(at=sent_at)
    expired = services.transition_referral(
        actor=None, referral=expired, to=Referral.Status.EXPIRED, system=True
    )
    Referral.objects.filter(pk=expired.pk).update(escalated_at=now)
    notify([cast.users["koordinator"]], kind=Notification.Kind.ESCALATION, referral=expired)


def _story_cancelled_and_closed(cast: _Cast, spec: TerritoryCast, now) -> None:
    """Recorded by the community worker, after a meeting; consent given verbally."""
    worker, provider = cast.users["komunitni"], cast.users["poskytovatel"]
    person = _person(cast, spec, 4, actor=worker, birth_year=1949)
    _consent(
        person,
        actor=worker,
        given_by="verbal_witnessed",
        witness="Marie Svědková (demo), sousedka",
    )
    cancelled = services.create_referral(
        actor=worker, person=person, service=cast.services[0], territory=cast.territory
    )
    _move(cancelled, worker, "cancelled", comment="Paní se odstěhovala k dceři.")
    closed = services.create_referral(
        actor=worker, person=person, service=cast.services[-1], territory=cast.territory
    )
    _move(closed, provider, "accepted", "closed", comment="Paní službu nakonec nepotřebuje.")


STORIES = (
    (0, _story_completed),
    (1, _story_in_progress_and_draft),
    (2, _story_declined_then_accepted),
    (3, _story_sent_and_expired),
    (4, _story_cancelled_and_closed),
)


def _waiting_request(cast: _Cast, spec: TerritoryCast) -> bool:
    """A fresh request in the intake queue, nobody has taken it yet."""
    name = _name(spec, 5)
    if HelpRequest.objects.filter(organization=cast.intake, name=name).exists():
        return False
    services.create_help_request(
        territory=cast.territory,
        situation=(
            "Přišel mi exekuční příkaz a nevím, kolik vlastně dlužím. Můžete mi poradit, "
            "na koho se obrátit?"
        ),
        name=name,
        contact_method=HelpRequest.ContactMethod.PHONE,
        contact="+420 000 000 000",
    )
    return True


def load_demo_referrals(*, stdout=None) -> dict:
    """Create what is missing of the referral demo; returns the logins and counts."""

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    now = timezone.now()
    logins: list[tuple[str, str, str]] = []
    stories = requests = 0
    with transaction.atomic():
        for spec in CASTS:
            cast, cast_logins = _cast(spec)
            logins += cast_logins
            for index, story in STORIES:
                told = Person.objects.filter(organization=cast.intake, name=_name(spec, index))
                if told.exists():
                    continue
                story(cast, spec, now)
                stories += 1
            requests += _waiting_request(cast, spec)
    demo_referrals = Referral.objects.filter(person__name__endswith="(demo)")
    summary = {
        "users": len(logins),
        "stories_created": stories,
        "help_requests_created": requests,
        "persons": Person.objects.filter(name__endswith="(demo)").count(),
        "referrals": demo_referrals.count(),
        "statuses": demo_referrals.order_by().values("status").distinct().count(),
    }
    say(
        f"  Referrals demo: {summary['persons']} persons, {summary['referrals']} referrals in "
        f"{summary['statuses']} statuses ({stories} stories and {requests} help requests "
        "added now)."
    )
    return {"logins": logins, **summary}

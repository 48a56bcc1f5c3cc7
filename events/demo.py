"""Demo events of the five territories: clubs, courses, optional services (fakultativní
činnosti), public community meetings; past and coming, one-off and recurring, some full
with a waitlist, one at a shelter whose address stays hidden.

Everything is invented and marked as demo. Dates are relative to the Monday of the current
week, so a reload within a week changes nothing; ids are uuid5 of stable keys. The demo
registrations (invented people) are replaced on every load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import LifeSituation, TargetGroup
from directory.demo import ORGANIZATIONS, DemoDataError, demo_uuid
from directory.models import Location, Organization
from events import queries, recurrence, services
from events.models import CancelledOccurrence, Event, Registration
from events.recurrence import PRAGUE, Frequency
from territory.models import Municipality, Territory

KYJOV, TYN, BECOV, BOCHOV, JIHLAVA = 586307, 545201, 554995, 555029, 586846
TERRITORIES = ("kyjovske-slovacko", "bohdanecsko", "vltavotynsko", "cesky-zapad", "vysocina")

# Invented people for the demo registrations.
PEOPLE = (
    ("Jana Ukázková", "jana.ukazkova@example.cz", ""),
    ("Petr Vzorový", "", "+420 777 000 201"),
    ("Marie Příkladná", "marie.prikladna@example.cz", ""),
    ("Josef Testovací", "josef.testovaci@example.cz", "+420 777 000 202"),
    ("Eva Smyšlená", "eva.smyslena@example.cz", ""),
    ("Karel Ukázka", "", "+420 777 000 203"),
    ("Alena Vymyšlená", "alena.vymyslena@example.cz", ""),
    ("Tomáš Demo", "tomas.demo@example.cz", ""),
)


@dataclass(frozen=True, kw_only=True)
class DemoEvent:
    key: str
    territory: str
    org: str  # key of directory.demo.ORGANIZATIONS
    kind: str
    title: str
    description: str
    day: int  # days after the Monday of this week (negative: in the past)
    start: str  # "16:00"
    end: str
    site: str = ""  # a place of the organisation (its name in the directory demo)
    municipality: int | None = None  # or an obec with a note …
    place_note: str = ""
    online_url: str = ""  # … or online
    frequency: str = Frequency.NONE
    weekdays: tuple[int, ...] = ()
    weeks: int = 0  # a recurring event runs this many weeks from the Monday of this week
    registration: str = Event.RegistrationMode.NONE
    capacity: int | None = None
    price_text: str = ""
    groups: tuple[str, ...] = ()
    situations: tuple[str, ...] = ()
    # Demo registrations for the next occurrence (confirmed first, then by the mode).
    registered: int = 0
    cancel_third: bool = False  # cancel the third coming occurrence (EXDATE in iCalendar)


DEMO_EVENTS: tuple[DemoEvent, ...] = (
    # Kyjovské Slovácko
    DemoEvent(
        key="klub-pecujicich",
        territory="kyjovske-slovacko",
        org="css-kyjov",
        kind=Event.Kind.CLUB,
        title="Klub pro pečující",
        description=(
            "Pečujete doma o maminku, tatínka nebo partnera? Každé úterý se scházíme u kávy, "
            "sdílíme zkušenosti a jednou za měsíc přijde host: zdravotní sestra, sociální "
            "pracovnice nebo fyzioterapeut. Během klubu můžeme zajistit péči o vašeho blízkého "
            "v denním stacionáři."
        ),
        site="Denní stacionář Kyjov",
        day=-20,
        start="16:00",
        end="17:30",
        frequency=Frequency.WEEKLY,
        weekdays=(1,),
        weeks=30,
        registration=Event.RegistrationMode.OPEN,
        capacity=12,
        groups=("26",),
        situations=("pecuji-o-blizkeho", "demence", "senior-doma"),
        registered=4,
        cancel_third=True,
    ),
    DemoEvent(
        key="prvni-pomoc-seniori",
        territory="kyjovske-slovacko",
        org="mas-kyjovsko",
        kind=Event.Kind.COURSE,
        title="Kurz první pomoci pro seniory",
        description=(
            "Tři hodiny prakticky: co dělat při pádu, mrtvici nebo infarktu, jak volat "
            "záchranku a jak funguje tísňové tlačítko. Vede zdravotník záchranné služby."
        ),
        site="Virtuální komunitní centrum – setkání v obcích",
        day=10,
        start="09:00",
        end="12:00",
        registration=Event.RegistrationMode.OPEN,
        capacity=3,
        price_text="50 Kč (senioři nad 80 let zdarma)",
        groups=("24",),
        situations=("aktivni-stari", "osamelost"),
        registered=5,  # three places: two people wait
    ),
    DemoEvent(
        key="keramicka-dilna",
        territory="kyjovske-slovacko",
        org="krok-kyjov",
        kind=Event.Kind.OPTIONAL,
        title="Keramická dílna pro veřejnost",
        description=(
            "Fakultativní činnost dílny Krok: točíme na kruhu a glazujeme s klienty dílny. "
            "Přijít může každý, přihlášky schvalujeme podle volných míst u kruhů."
        ),
        site="Dílna a centrum Krok",
        day=2,
        start="15:00",
        end="17:00",
        frequency=Frequency.BIWEEKLY,
        weekdays=(2,),
        weeks=20,
        registration=Event.RegistrationMode.APPROVAL,
        capacity=8,
        price_text="30 Kč za materiál",
        groups=("14", "13"),
        situations=("zdravotni-postizeni",),
        registered=2,
    ),
    DemoEvent(
        key="setkani-vkc",
        territory="kyjovske-slovacko",
        org="mas-kyjovsko",
        kind=Event.Kind.MEETING,
        title="Veřejné setkání: co chybí v našich obcích",
        description=(
            "Setkání virtuálního komunitního centra s občany, starosty a organizacemi: "
            "doprava k lékaři, péče o seniory, kam s dětmi odpoledne. Přijďte říct, co vás pálí."
        ),
        municipality=KYJOV,
        place_note="Dům kultury Kyjov, malý sál",
        day=16,
        start="17:30",
        end="19:30",
    ),
    DemoEvent(
        key="online-rozpocet",
        territory="kyjovske-slovacko",
        org="educante",
        kind=Event.Kind.ACTIVITY,
        title="Online beseda pro rodiče: rodinný rozpočet a dluhy",
        description="Jak sestavit rodinný rozpočet, kde hledat pomoc s dluhy a na co máte nárok.",
        online_url="https://meet.example.cz/educante-rozpocet",
        day=8,
        start="19:00",
        end="20:00",
        registration=Event.RegistrationMode.OPEN,
        groups=("23",),
        situations=("dluhy-a-exekuce", "chudoba-a-davky", "rodina-v-obtizich"),
        registered=2,
    ),
    DemoEvent(
        key="den-otevrenych-dveri-fenix",
        territory="kyjovske-slovacko",
        org="fenix",
        kind=Event.Kind.ACTIVITY,
        title="Den otevřených dveří Centra Fénix",
        description="Prohlídka centra, povídání s pracovníky a peer konzultanty.",
        site="Centrum Fénix Kyjov",
        day=-25,
        start="10:00",
        end="16:00",
        situations=("dusevni-onemocneni",),
    ),
    # Bohdanečsko
    DemoEvent(
        key="klub-rodicu",
        territory="bohdanecsko",
        org="mas-bohdanecsko",
        kind=Event.Kind.CLUB,
        title="Klub rodičů s malými dětmi",
        description="Herna pro děti do 4 let a čas pro rodiče: povídání, výměna oblečení, rady.",
        site="Kluby pro rodiče s malými dětmi",
        day=-10,
        start="09:30",
        end="11:30",
        frequency=Frequency.WEEKLY,
        weekdays=(4,),
        weeks=26,
        groups=("23",),
        situations=("rodina-v-obtizich", "osamelost"),
    ),
    DemoEvent(
        key="prispevek-na-peci",
        territory="bohdanecsko",
        org="ps-bohdanecsko",
        kind=Event.Kind.COURSE,
        title="Přednáška: jak požádat o příspěvek na péči",
        description="Krok za krokem: žádost, sociální šetření, odvolání. Přineste své otázky.",
        site="Pečovatelská služba Bohdanečsko",
        day=5,
        start="17:00",
        end="18:30",
        registration=Event.RegistrationMode.OPEN,
        groups=("26", "24"),
        situations=("pecuji-o-blizkeho", "senior-doma", "chudoba-a-davky"),
        registered=3,
    ),
    DemoEvent(
        key="deskovky",
        territory="bohdanecsko",
        org="rc-bohdanek",
        kind=Event.Kind.ACTIVITY,
        title="Mezigenerační odpoledne s deskovými hrami",
        description="Babičky, dědové, vnoučata i sousedé: hrajeme, pečeme a povídáme si.",
        site="Rodinné centrum Bohdánek",
        day=12,
        start="15:00",
        end="17:00",
        registration=Event.RegistrationMode.OPEN,
        capacity=20,
        groups=("24", "23"),
        situations=("osamelost", "aktivni-stari"),
        registered=6,
    ),
    DemoEvent(
        key="setkani-pestounu",
        territory="bohdanecsko",
        org="mas-bohdanecsko",
        kind=Event.Kind.MEETING,
        title="Setkání pěstounů a náhradních rodin",
        description="Sdílení zkušeností a beseda se sociální pracovnicí.",
        site="Kancelář MAS Bohdanečsko",
        day=-30,
        start="16:00",
        end="18:00",
        groups=("23",),
    ),
    # Vltavotýnsko: the community centre's public activities
    DemoEvent(
        key="kavarna-pro-seniory",
        territory="vltavotynsko",
        org="mas-vltava",
        kind=Event.Kind.CLUB,
        title="Kavárna pro seniory",
        description=(
            "Každý čtvrtek odpoledne v komunitním centru: káva, čaj, buchty a společnost. "
            "Kavárnu vede komunitní lídryně paní Věra. Bez přihlašování, přijďte."
        ),
        site="Komunitní centrum Vltavotýnska",
        day=-18,
        start="14:00",
        end="16:00",
        frequency=Frequency.WEEKLY,
        weekdays=(3,),
        weeks=30,
        groups=("24",),
        situations=("osamelost", "aktivni-stari"),
    ),
    DemoEvent(
        key="pocitace-pro-zacatecniky",
        territory="vltavotynsko",
        org="mas-vltava",
        kind=Event.Kind.COURSE,
        title="Počítač a telefon pro začátečníky",
        description=(
            "Šest pondělních dopolední: e-mail, videohovor s vnoučaty, bankovnictví a jak "
            "poznat podvodnou zprávu. Notebooky zapůjčíme."
        ),
        site="Komunitní centrum Vltavotýnska",
        day=7,
        start="09:00",
        end="10:30",
        frequency=Frequency.WEEKLY,
        weekdays=(0,),
        weeks=7,
        registration=Event.RegistrationMode.OPEN,
        capacity=6,
        groups=("24",),
        situations=("aktivni-stari",),
        registered=8,  # six places: two wait
    ),
    DemoEvent(
        key="spolecne-vareni",
        territory="vltavotynsko",
        org="mas-vltava",
        kind=Event.Kind.ACTIVITY,
        title="Společné vaření",
        description="Vaříme levně a chutně z toho, co dá zahrada a sezóna. Recepty si odnesete.",
        site="Komunitní centrum Vltavotýnska",
        day=2,
        start="17:00",
        end="19:00",
        frequency=Frequency.BIWEEKLY,
        weekdays=(2,),
        weeks=24,
        registration=Event.RegistrationMode.OPEN,
        capacity=10,
        price_text="40 Kč na suroviny",
        situations=("chudoba-a-davky", "osamelost"),
        registered=3,
    ),
    DemoEvent(
        key="poradensky-den-dluhy",
        territory="vltavotynsko",
        org="poradna-jizni-cechy",
        kind=Event.Kind.ACTIVITY,
        title="Poradenský den: dluhy a exekuce",
        description=(
            "Dluhová poradkyně bude celé odpoledne v komunitním centru. Přineste dopisy od "
            "věřitelů a exekutorů, projdeme je spolu. Diskrétně a zdarma."
        ),
        municipality=TYN,
        place_note="Komunitní centrum Vltavotýnska, zadní místnost",
        day=9,
        start="13:00",
        end="17:00",
        groups=("19",),
        situations=("dluhy-a-exekuce", "ztrata-bydleni"),
    ),
    DemoEvent(
        key="verejne-setkani-doprava",
        territory="vltavotynsko",
        org="mas-vltava",
        kind=Event.Kind.MEETING,
        title="Veřejné setkání: jak se dostat k lékaři bez auta",
        description=(
            "Otevřené setkání komunitního centra se starosty a dopravci: hledáme, jak zajistit "
            "dopravu z obcí k lékaři a na úřad."
        ),
        site="Komunitní centrum Vltavotýnska",
        day=13,
        start="18:00",
        end="19:30",
    ),
    DemoEvent(
        key="den-otevrenych-dveri-kc",
        territory="vltavotynsko",
        org="mas-vltava",
        kind=Event.Kind.ACTIVITY,
        title="Den otevřených dveří komunitního centra",
        description="Představení aktivit centra a komunitních lídrů.",
        site="Komunitní centrum Vltavotýnska",
        day=-21,
        start="10:00",
        end="15:00",
    ),
    # Český západ
    DemoEvent(
        key="rodicovska-skupina",
        territory="cesky-zapad",
        org="mas-cesky-zapad",
        kind=Event.Kind.CLUB,
        title="Rodičovská skupina v Bochově",
        description=(
            "Skupina pro rodiče, kteří chtějí zvládat výchovu s menším stresem. Vede ji "
            "pracovnice sociálně aktivizační služby; přihlášky schvaluje, aby skupina byla malá."
        ),
        site="SASRD – podpora rodin s dětmi na Bečovsku a Bochovsku",
        day=1,
        start="16:30",
        end="18:00",
        frequency=Frequency.BIWEEKLY,
        weekdays=(1,),
        weeks=20,
        registration=Event.RegistrationMode.APPROVAL,
        capacity=10,
        groups=("23",),
        situations=("rodina-v-obtizich",),
        registered=3,
    ),
    DemoEvent(
        key="doucovani",
        territory="cesky-zapad",
        org="klub-kotva",
        kind=Event.Kind.CLUB,
        title="Doučování a úkoly v klubu Kotva",
        description="Pomůžeme s úkoly a s přípravou na přijímačky. Pro děti od 10 let.",
        site="Nízkoprahový klub Kotva",
        day=-7,
        start="14:00",
        end="15:30",
        frequency=Frequency.WEEKLY,
        weekdays=(0, 2),
        weeks=26,
        registration=Event.RegistrationMode.OPEN,
        capacity=8,
        groups=("1",),
        situations=("dospivajici-v-problemech", "rodina-v-obtizich"),
        registered=5,
    ),
    DemoEvent(
        key="setkani-becov",
        territory="cesky-zapad",
        org="mas-cesky-zapad",
        kind=Event.Kind.MEETING,
        title="Veřejné setkání občanů Bečova",
        description="Komunitní setkání: hřiště, doprava, sousedská výpomoc.",
        municipality=BECOV,
        place_note="sál kulturního domu",
        day=9,
        start="18:00",
        end="19:30",
    ),
    DemoEvent(
        key="detsky-den",
        territory="cesky-zapad",
        org="mas-cesky-zapad",
        kind=Event.Kind.ACTIVITY,
        title="Dětský den v Bochově",
        description="Soutěže, malování na obličej a opékání buřtů.",
        municipality=BOCHOV,
        place_note="hřiště u školy",
        day=-35,
        start="14:00",
        end="18:00",
        groups=("23",),
    ),
    # Vysočina
    DemoEvent(
        key="skupina-podpory-zeny",
        territory="vysocina",
        org="azylove-domy-vysocina",
        kind=Event.Kind.CLUB,
        title="Podpůrná skupina pro ženy po domácím násilí",
        description=(
            "Bezpečný prostor pro ženy, které zažily násilí v rodině. Adresu sdělíme po "
            "schválení přihlášky."
        ),
        site="Azylový dům pro ženy a matky s dětmi Vysočina",
        day=2,
        start="10:00",
        end="11:30",
        frequency=Frequency.WEEKLY,
        weekdays=(2,),
        weeks=16,
        registration=Event.RegistrationMode.APPROVAL,
        capacity=8,
        groups=("4",),
        situations=("domaci-nasili", "krize"),
        registered=2,
    ),
    DemoEvent(
        key="vystava-dilen",
        territory="vysocina",
        org="dilny-pod-rokytnou",
        kind=Event.Kind.OPTIONAL,
        title="Prodejní výstava výrobků dílny Pod Rokytnou",
        description="Keramika, svíčky a textil z dílny. Výtěžek jde na výlety klientů.",
        site="Sociálně terapeutická dílna Pod Rokytnou",
        day=15,
        start="09:00",
        end="16:00",
        groups=("14",),
        situations=("zdravotni-postizeni",),
    ),
    DemoEvent(
        key="pracovni-pohovor",
        territory="vysocina",
        org="cesta-k-praci",
        kind=Event.Kind.COURSE,
        title="Kurz: jak na pracovní pohovor",
        description="Nácvik pohovoru na kameru, životopis a jednání s úřadem práce.",
        site="Cesta k práci – Jihlava",
        day=6,
        start="09:00",
        end="12:00",
        registration=Event.RegistrationMode.OPEN,
        capacity=2,
        situations=("prace", "po-vykonu-trestu"),
        registered=3,  # two places: one waits
    ),
    DemoEvent(
        key="beseda-dluhy-online",
        territory="vysocina",
        org="dluhova-poradna-vysocina",
        kind=Event.Kind.ACTIVITY,
        title="Online beseda: oddlužení krok za krokem",
        description="Kdo může do oddlužení, co obnáší a jak dlouho trvá. Dotazy v chatu.",
        online_url="https://meet.example.cz/oddluzeni",
        day=11,
        start="18:00",
        end="19:00",
        registration=Event.RegistrationMode.OPEN,
        capacity=30,
        situations=("dluhy-a-exekuce",),
        registered=2,
    ),
    DemoEvent(
        key="den-dilen-minuly",
        territory="vysocina",
        org="zelena-louka",
        kind=Event.Kind.ACTIVITY,
        title="Den otevřených dveří dílny Zelená louka",
        description="Ukázky práce v dílně a posezení na zahradě.",
        site="Sociálně terapeutická dílna Zelená louka",
        day=-12,
        start="10:00",
        end="14:00",
    ),
)


def _time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _monday(today: date) -> date:
    return today - timedelta(days=today.weekday())


def _registrations(event: Event, spec: DemoEvent, now: datetime) -> int:
    """Invented people for the next occurrence: confirmed up to capacity, the rest wait
    (or, in approval mode, the first are confirmed and the last one waits for a decision)."""
    coming = [o for o in queries.next_occurrences(event, count=4, now=now) if not o.is_cancelled]
    if not spec.registered or not coming:
        return 0
    occurrence = coming[0]
    rows = []
    for number, (name, email, phone) in enumerate(PEOPLE[: spec.registered]):
        if spec.registration == Event.RegistrationMode.APPROVAL and number == spec.registered - 1:
            status = Registration.Status.PENDING
        elif event.capacity is None or number < event.capacity:
            status = Registration.Status.CONFIRMED
        else:
            status = Registration.Status.WAITLISTED
        registration_id = demo_uuid("event-registration", str(event.pk), str(number))
        token = services._token(registration_id, settings.SECRET_KEY)
        rows.append(
            Registration(
                id=registration_id,
                event=event,
                organization_id=event.organization_id,
                occurrence_start=occurrence.start,
                name=name,
                email=email,
                phone=phone,
                status=status,
                token_hash=services.hash_token(token),
                consent_text_version=services.CONSENT_TEXT_VERSION,
                consent_given_at=now - timedelta(days=3),
                created_at=now - timedelta(days=3, minutes=-number),
                updated_at=now - timedelta(days=3, minutes=-number),
            )
        )
    Registration.objects.bulk_create(rows)
    return len(rows)


def load_demo_events(*, stdout=None) -> dict:
    """Create or update the demo events; returns counts (and no extra logins)."""

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    now = timezone.now()
    monday = _monday(timezone.localdate())
    with transaction.atomic():
        territories = {t.slug: t for t in Territory.objects.filter(slug__in=TERRITORIES)}
        missing = sorted(set(TERRITORIES) - set(territories))
        if missing:
            raise DemoDataError(
                "Ukázková území chybí (" + ", ".join(missing) + "); načtěte nejdřív ukázkový "
                "adresář (`manage.py load_demo`)."
            )
        icos = {spec.key: spec.ico for spec in ORGANIZATIONS}
        orgs = {o.ico: o for o in Organization.objects.filter(ico__in=icos.values())}
        groups = {g.code: g for g in TargetGroup.objects.all()}
        situations = {s.slug: s for s in LifeSituation.objects.all()}
        created = updated = registrations = 0
        skipped: list[str] = []
        per_territory: dict[str, int] = dict.fromkeys(TERRITORIES, 0)
        for spec in DEMO_EVENTS:
            org = orgs.get(icos[spec.org])
            if org is None:
                skipped.append(spec.title)
                continue
            event_id = demo_uuid("event", spec.territory, spec.key)
            event = Event.objects.filter(pk=event_id).first()
            if event is None:
                event = Event(id=event_id)
                created += 1
            else:
                updated += 1
            day = monday + timedelta(days=spec.day)
            start = datetime.combine(day, _time(spec.start), PRAGUE)
            end = datetime.combine(day, _time(spec.end), PRAGUE)
            rule = ""
            if spec.frequency:
                rule = recurrence.build_rrule(
                    frequency=spec.frequency,
                    start=start,
                    until=monday + timedelta(weeks=spec.weeks),
                    weekdays=spec.weekdays,
                )
            location = None
            if spec.site:
                location = Location.objects.get(pk=demo_uuid("location", org.ico, spec.site))
            event.organization = org
            event.territory = territories[spec.territory]
            event.kind = spec.kind
            event.title = spec.title
            event.description = spec.description
            event.location = location
            event.municipality = (
                Municipality.objects.get(code=spec.municipality) if spec.municipality else None
            )
            event.online_url = spec.online_url
            event.place_note = spec.place_note
            event.place_kind = (
                Event.PlaceKind.LOCATION
                if location
                else Event.PlaceKind.ONLINE
                if spec.online_url
                else Event.PlaceKind.MUNICIPALITY
            )
            event.is_free = not spec.price_text
            event.price_text = spec.price_text
            event.price_amount = None
            event.capacity = spec.capacity
            event.registration = spec.registration
            event.start, event.end, event.rrule = start, end, rule
            event.status = Event.Status.PUBLISHED
            event.cancel_reason = ""
            event.is_demo = True
            event.updated_at = now
            services.store_event(
                event,
                target_groups=[groups[code] for code in spec.groups if code in groups],
                life_situations=[situations[s] for s in spec.situations if s in situations],
            )
            Registration.objects.filter(event=event).delete()
            CancelledOccurrence.objects.filter(event=event).delete()
            if spec.cancel_third:
                coming = queries.next_occurrences(event, count=3, now=now)
                if len(coming) == 3:
                    CancelledOccurrence.objects.create(
                        event=event, occurrence_start=coming[2].start
                    )
            registrations += _registrations(event, spec, now)
            per_territory[spec.territory] += 1
        for slug in TERRITORIES:
            say(f"  {territories[slug].name}: {per_territory[slug]} demo events")
        if skipped:
            say("  skipped (organisation not loaded): " + "; ".join(skipped))
    return {
        "events": created + updated,
        "created": created,
        "updated": updated,
        "registrations": registrations,
        "logins": [],
    }

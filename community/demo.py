"""Demo of community work: the Komunitní centrum Vltavotýnska of MAS VLTAVA with ten
meetings over 2023–2025 (and one coming), their topics moving from open to solved, the
people who came, follow-up actions, and fifteen community leaders over time (some ended);
plus a few meetings in the other project territories.

The people are invented and say so in their names ("… (demo)"); they are recorded through
`referrals.services` with a consent to take part in community activities, by the demo
community worker of the territory (`tyn-komunitni`, created by the referrals demo).
Meetings, topics, their history, attendance, tasks and leaders have uuid5 ids of stable
keys and are upserted, so a second load changes nothing.

Registered in `settings.SPOJKA_DEMO_LOADERS` after the referrals and events demos.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from community.models import (
    Attendance,
    CommunityCentre,
    CommunityLeader,
    FollowUpAction,
    Meeting,
    MeetingTopic,
    Topic,
    TopicStatusChange,
)
from directory.demo import ORGANIZATIONS, TYN, DemoDataError, demo_uuid
from directory.models import Location, Organization
from events.models import Event
from events.recurrence import PRAGUE
from referrals import services as referral_services
from referrals.models import Consent, Person
from territory.models import Municipality, Territory

VLTAVOTYNSKO = "vltavotynsko"
CENTRE_NAME = "Komunitní centrum Vltavotýnska"
CENTRE_OPENED = date(2023, 1, 9)
MAS_VLTAVA = "mas-vltava"  # key of the organisation in directory.demo.ORGANIZATIONS
WORKER = "komunitni"  # the demo users are "<prefix>-komunitni", "<prefix>-pracovnik"
SOCIAL_WORKER = "pracovnik"
# The person of the referrals demo whom the community worker met after a meeting: she
# gave a consent to referral there, and here also one to community activities.
REFERRAL_DEMO_PERSON = "Zdeňka Příkladná (demo)"


@dataclass(frozen=True)
class DemoPerson:
    key: str
    name: str
    birth_year: int
    town: int = TYN  # ČSÚ code of the obec; the other obce of the territory by index below
    town_index: int | None = None


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("vera", "Věra Kavárenská (demo)", 1948),
    DemoPerson("jaroslav", "Jaroslav Řidičský (demo)", 1952, town_index=1),
    DemoPerson("milena", "Milena Sousedská (demo)", 1956),
    DemoPerson("frantisek", "František Zahrádkář (demo)", 1950, town_index=2),
    DemoPerson("jitka", "Jitka Pekařová (demo)", 1962),
    DemoPerson("roman", "Roman Trenérský (demo)", 1979),
    DemoPerson("katerina", "Kateřina Mladá (demo)", 1990, town_index=3),
    DemoPerson("ondrej", "Ondřej Skautský (demo)", 1995),
    DemoPerson("blanka", "Blanka Knihovnická (demo)", 1958),
    DemoPerson("stanislav", "Stanislav Opravářský (demo)", 1955, town_index=1),
    DemoPerson("lenka", "Lenka Maminková (demo)", 1988),
    DemoPerson("miroslav", "Miroslav Rybářský (demo)", 1960, town_index=4),
    DemoPerson("ivana", "Ivana Tkalcová (demo)", 1966),
    DemoPerson("tereza", "Tereza Studentská (demo)", 2001),
    DemoPerson("jan", "Jan Dobrovolný (demo)", 1971, town_index=2),
    DemoPerson("eliska", "Eliška Babičková (demo)", 1945),
    DemoPerson("petr", "Petr Sportovní (demo)", 1985),
    DemoPerson("hana", "Hana Zpěvavá (demo)", 1953, town_index=3),
)


@dataclass(frozen=True)
class DemoTopic:
    key: str
    title: str
    description: str


@dataclass(frozen=True)
class TopicStep:
    """A topic at a meeting: what was said, and the status it moved to (if it did)."""

    topic: str
    notes: str = ""
    to: str = ""  # a new status; the first mention of a topic raises it as "open"
    note: str = ""  # why the status changed


@dataclass(frozen=True)
class DemoTask:
    description: str
    due: date
    owner: str = ""  # a demo user's role key ("komunitni", "pracovnik")
    owner_text: str = ""
    done: date | None = None


@dataclass(frozen=True)
class DemoMeeting:
    key: str
    title: str
    day: date | None  # None: a coming meeting, `days_ahead` from the Monday of this week
    start: str
    topics: tuple[TopicStep, ...] = ()
    people: tuple[str, ...] = ()
    anonymous: int = 0
    minutes: str = ""
    decisions: str = ""
    tasks: tuple[DemoTask, ...] = ()
    place_note: str = ""
    days_ahead: int = 0
    facilitators: tuple[str, ...] = (WORKER,)


@dataclass(frozen=True)
class DemoLeader:
    person: str
    since: date
    activity: str
    until: date | None = None
    events: tuple[str, ...] = ()  # keys of events.demo's Vltavotýnsko events


@dataclass(frozen=True)
class TerritoryDemo:
    slug: str
    prefix: str  # of the demo users, as in referrals.demo
    topics: tuple[DemoTopic, ...]
    meetings: tuple[DemoMeeting, ...]
    centre: bool = False
    people: tuple[DemoPerson, ...] = ()
    leaders: tuple[DemoLeader, ...] = ()


OPEN, IN_PROGRESS, SOLVED = Topic.Status.OPEN, Topic.Status.IN_PROGRESS, Topic.Status.SOLVED

VLTAVOTYNSKO_TOPICS = (
    DemoTopic(
        "doprava-k-lekari",
        "Doprava seniorů k lékaři",
        "Z menších obcí nejezdí autobus v časech, kdy ordinují lékaři v Týně a v Českých "
        "Budějovicích. Senioři bez auta jsou odkázaní na sousedy.",
    ),
    DemoTopic(
        "osamelost",
        "Osamělost starších lidí",
        "Lidé, kteří žijí sami, nemají kde se potkat; po zavření hospody v obci chybí místo.",
    ),
    DemoTopic(
        "dluhy",
        "Dluhy v rodinách",
        "Rodiny se stydí říct si o pomoc; exekuce a půjčky na splátky se řeší pozdě.",
    ),
    DemoTopic(
        "mladez",
        "Volnočasové aktivity pro mládež",
        "Teenageři nemají kam jít odpoledne a o víkendu; hřiště u školy je zamčené.",
    ),
    DemoTopic(
        "informace",
        "Informace o sociálních službách v obcích",
        "Lidé nevědí, jaké služby v okolí jsou a na koho se obrátit; starostové také ne.",
    ),
)

VLTAVOTYNSKO_MEETINGS = (
    DemoMeeting(
        key="2023-03-uvodni",
        title="Co chybí v našich obcích – úvodní setkání",
        day=date(2023, 3, 14),
        start="17:00",
        topics=(
            TopicStep("doprava-k-lekari", "Nejvíc se ozývali lidé z Hosína a Bečic."),
            TopicStep("osamelost", "Paní Věra navrhla pravidelnou kavárnu v centru."),
        ),
        people=("vera", "jaroslav", "milena", "frantisek", "eliska", "hana"),
        anonymous=9,
        minutes=(
            "Představili jsme komunitní centrum a jeho program. Účastníci popsali, co jim "
            "v obcích chybí: doprava k lékaři, místo, kde se potkat, informace o pomoci."
        ),
        decisions="Příští setkání bude o osamělosti; do té doby zmapujeme potřebu dopravy.",
        tasks=(
            DemoTask(
                "Zmapovat, kdo z obcí potřebuje pravidelnou dopravu k lékaři.",
                due=date(2023, 4, 30),
                owner=WORKER,
                done=date(2023, 4, 20),
            ),
        ),
    ),
    DemoMeeting(
        key="2023-06-osamelost",
        title="Osamělost seniorů: co s tím?",
        day=date(2023, 6, 20),
        start="16:00",
        topics=(
            TopicStep(
                "osamelost",
                "Kavárna pro seniory každý čtvrtek; vede ji paní Věra.",
                to=IN_PROGRESS,
                note="Kavárna pro seniory začíná v červenci.",
            ),
            TopicStep("dluhy", "Ozvaly se dvě maminky; téma je citlivé, probrat zvlášť."),
        ),
        people=("vera", "milena", "eliska", "hana", "jitka", "blanka"),
        anonymous=6,
        minutes="Sdíleli jsme, co komu pomáhá, když je sám. Zájem o pravidelné setkávání.",
        decisions="Od července kavárna pro seniory každý čtvrtek odpoledne v centru.",
        tasks=(
            DemoTask(
                "Domluvit prostor a vybavení pro kavárnu.",
                due=date(2023, 7, 31),
                owner=WORKER,
                done=date(2023, 7, 10),
            ),
        ),
    ),
    DemoMeeting(
        key="2023-09-doprava",
        title="Doprava k lékaři: dobrovolní řidiči",
        day=date(2023, 9, 19),
        start="17:00",
        topics=(
            TopicStep(
                "doprava-k-lekari",
                "Pan Jaroslav a další tři lidé nabídli, že budou vozit sousedy.",
                to=IN_PROGRESS,
                note="Vzniká skupina dobrovolných řidičů.",
            ),
        ),
        people=("jaroslav", "frantisek", "stanislav", "miroslav", "eliska"),
        anonymous=4,
        minutes="Řidiči se domluvili na rozpisu; centrum bude přijímat objednávky jízd.",
        decisions="Pilotní provoz dobrovolných řidičů od října pro Hosín, Bečice a Temelín.",
        tasks=(
            DemoTask(
                "Zjistit podmínky pojištění dobrovolných řidičů.",
                due=date(2023, 10, 31),
                owner_text="kancelář MAS VLTAVA",
                done=date(2023, 10, 25),
            ),
        ),
    ),
    DemoMeeting(
        key="2024-01-dluhy",
        title="Dluhy v rodinách",
        day=date(2024, 1, 23),
        start="17:30",
        topics=(
            TopicStep("dluhy", "Nejčastěji půjčky na splátky a nezaplacené pokuty za dopravu."),
        ),
        people=("lenka", "katerina", "ivana", "jitka"),
        anonymous=7,
        minutes="Beseda s dluhovou poradkyní; anonymní dotazy do krabice.",
        decisions="Zkusíme pravidelný poradenský den přímo v centru.",
        tasks=(
            DemoTask(
                "Pozvat dluhovou poradnu na pravidelný poradenský den.",
                due=date(2024, 2, 29),
                owner=WORKER,
                done=date(2024, 2, 20),
            ),
        ),
    ),
    DemoMeeting(
        key="2024-03-mladez",
        title="Mladí a volný čas",
        day=date(2024, 3, 19),
        start="18:00",
        topics=(
            TopicStep("mladez", "Chybí klubovna a otevřené hřiště; nápad na fotbal v pátek."),
            TopicStep(
                "dluhy",
                "Poradenský den běží jednou měsíčně.",
                to=IN_PROGRESS,
                note="Poradna jezdí do centra jednou za měsíc.",
            ),
        ),
        people=("roman", "ondrej", "katerina", "tereza", "petr"),
        anonymous=12,
        minutes="Přišla i skupina teenagerů ze ZŠ; sepsali, co by chtěli dělat.",
        decisions="Pan Roman povede páteční fotbal; zkusíme získat hřiště u školy.",
        tasks=(
            DemoTask(
                "Zjistit, zda může být hřiště u školy otevřené o víkendu.",
                due=date(2024, 5, 31),
                owner_text="Město Týn nad Vltavou",
            ),
        ),
    ),
    DemoMeeting(
        key="2024-06-rok-centra",
        title="Rok komunitního centra",
        day=date(2024, 6, 18),
        start="16:00",
        topics=(
            TopicStep("osamelost", "Kavárnu navštěvuje kolem patnácti lidí každý týden."),
            TopicStep("doprava-k-lekari", "Řidiči udělali 140 jízd; chybí víkendové jízdy."),
        ),
        people=("vera", "milena", "jitka", "blanka", "frantisek", "roman", "hana"),
        anonymous=15,
        minutes="Ohlédnutí za prvním rokem, poděkování lídrům, ochutnávka ze společného vaření.",
        decisions="Letní program povedou lídři; centrum bude otevřené i v srpnu.",
        tasks=(
            DemoTask(
                "Připravit letní program centra.",
                due=date(2024, 6, 30),
                owner=WORKER,
                done=date(2024, 6, 28),
            ),
        ),
    ),
    DemoMeeting(
        key="2024-11-senior-taxi",
        title="Doprava seniorů: senior taxi",
        day=date(2024, 11, 12),
        start="17:00",
        topics=(
            TopicStep(
                "doprava-k-lekari",
                "Město spouští senior taxi; dobrovolní řidiči pokryjí okolní obce.",
                to=SOLVED,
                note="Senior taxi města a dobrovolní řidiči pokrývají všechny obce.",
            ),
        ),
        people=("jaroslav", "jan", "eliska", "stanislav", "miroslav"),
        anonymous=5,
        place_note="zasedací místnost městského úřadu",
        minutes="Zástupce města představil senior taxi; domluvili jsme návaznost na řidiče.",
        decisions="Téma dopravy považujeme za vyřešené; vrátíme se k němu za rok.",
        tasks=(
            DemoTask(
                "Vytisknout leták o senior taxi a rozvézt ho do obcí.",
                due=date(2024, 12, 15),
                owner=SOCIAL_WORKER,
                done=date(2024, 12, 10),
            ),
        ),
        facilitators=(WORKER, SOCIAL_WORKER),
    ),
    DemoMeeting(
        key="2025-03-klubovna",
        title="Mládež: klubovna",
        day=date(2025, 3, 18),
        start="18:00",
        topics=(TopicStep("mladez", "Město nabízí bývalou klubovnu hasičů; chybí dozor."),),
        people=("roman", "ondrej", "tereza", "petr", "lenka", "miroslav"),
        anonymous=10,
        minutes="Prohlídka klubovny, seznam věcí, které je třeba opravit.",
        decisions="Klubovnu opraví brigáda v dubnu; dozor zajistí dobrovolníci.",
        tasks=(
            DemoTask(
                "Najít dobrovolníky na dozor v klubovně.",
                due=date(2025, 5, 31),
                owner_text="komunitní lídři",
            ),
        ),
    ),
    DemoMeeting(
        key="2025-06-sousedska-pomoc",
        title="Osamělost a sousedská pomoc",
        day=date(2025, 6, 17),
        start="16:00",
        topics=(
            TopicStep(
                "osamelost",
                "Kavárna, sousedská výpomoc a telefonní kroužek běží bez nás.",
                to=SOLVED,
                note="Aktivity vedou lídři samostatně; téma uzavíráme.",
            ),
            TopicStep(
                "mladez",
                "Klubovna je otevřená každý pátek.",
                to=IN_PROGRESS,
                note="Klubovna otevřena, dozor zajištěn na pátky.",
            ),
        ),
        people=("vera", "milena", "hana", "eliska", "ivana", "jan", "blanka", "zdenka"),
        anonymous=8,
        minutes="Lídři představili, co vedou; paní Zdeňka se ptala na pomoc s péčí.",
        decisions="Kontakty na pečovatelskou službu předáme všem, kdo o ně stojí.",
        tasks=(
            DemoTask(
                "Předat kontakty na pečovatelskou službu a domluvit první návštěvu.",
                due=date(2025, 7, 15),
                owner=WORKER,
                done=date(2025, 7, 3),
            ),
        ),
    ),
    DemoMeeting(
        key="2025-11-informace",
        title="Informace o službách v obcích",
        day=date(2025, 11, 18),
        start="17:00",
        topics=(
            TopicStep("informace", "Starostové chtějí přehled služeb do obecních zpravodajů."),
            TopicStep("dluhy", "Poradenský den má stálé klienty; chybí ale večerní termín."),
        ),
        people=("jitka", "lenka", "katerina", "ivana", "stanislav", "zdenka", "jan"),
        anonymous=11,
        minutes="Setkání se starosty a organizacemi: co lidé potřebují vědět a kde to hledají.",
        decisions="Centrum sestaví přehled služeb; obce ho otisknou ve zpravodajích.",
        tasks=(
            DemoTask(
                "Sestavit přehled služeb pro obecní zpravodaje.",
                due=date(2025, 12, 31),
                owner=WORKER,
            ),
            DemoTask(
                "Domluvit se starosty otištění přehledu.",
                due=date(2026, 2, 28),
                owner_text="starostové obcí",
                done=date(2026, 2, 10),
            ),
        ),
    ),
    DemoMeeting(
        key="planovane",
        title="Jak dál po skončení projektu",
        day=None,
        days_ahead=10,
        start="17:00",
        topics=(TopicStep("informace"),),
    ),
)

VLTAVOTYNSKO_LEADERS = (
    DemoLeader(
        "vera", date(2023, 6, 1), "hostitelka kavárny, peče buchty", events=("kavarna-pro-seniory",)
    ),
    DemoLeader(
        "jaroslav", date(2023, 10, 1), "koordinuje dobrovolné řidiče", until=date(2025, 6, 30)
    ),
    DemoLeader("milena", date(2023, 6, 15), "organizuje sousedskou výpomoc"),
    DemoLeader("frantisek", date(2023, 9, 1), "komunitní zahrada", until=date(2024, 10, 31)),
    DemoLeader(
        "jitka", date(2024, 1, 15), "vybírá recepty a nakupuje", events=("spolecne-vareni",)
    ),
    DemoLeader("roman", date(2024, 4, 1), "páteční fotbal pro kluky a holky"),
    DemoLeader("katerina", date(2024, 5, 1), "klub maminek"),
    DemoLeader(
        "ondrej", date(2024, 6, 1), "deskové hry pro mládež v klubovně", until=date(2025, 8, 31)
    ),
    DemoLeader("blanka", date(2024, 9, 1), "čtení pro děti v knihovně"),
    DemoLeader("stanislav", date(2024, 10, 1), "opravárna (oprav si se sousedem)"),
    DemoLeader("lenka", date(2025, 1, 15), "bazárek dětského oblečení"),
    DemoLeader("miroslav", date(2025, 3, 1), "rybářský kroužek pro děti"),
    DemoLeader(
        "ivana",
        date(2025, 4, 1),
        "pomáhá seniorům s telefonem",
        events=("pocitace-pro-zacatecniky",),
    ),
    DemoLeader("tereza", date(2025, 6, 1), "doučování školáků", until=date(2025, 12, 31)),
    DemoLeader("jan", date(2025, 9, 1), "sousedská doprava po Jaroslavovi"),
)

TERRITORIES: tuple[TerritoryDemo, ...] = (
    TerritoryDemo(
        slug=VLTAVOTYNSKO,
        prefix="tyn",
        topics=VLTAVOTYNSKO_TOPICS,
        meetings=VLTAVOTYNSKO_MEETINGS,
        centre=True,
        people=PEOPLE,
        leaders=VLTAVOTYNSKO_LEADERS,
    ),
    TerritoryDemo(
        slug="kyjovske-slovacko",
        prefix="kyjov",
        topics=(
            DemoTopic("odpoledne-deti", "Odpolední program pro děti", "Kam s dětmi po škole."),
            DemoTopic("doprava", "Doprava k lékaři z menších obcí", "Spoje jezdí jen ráno."),
        ),
        meetings=(
            DemoMeeting(
                key="2024-04-deti",
                title="Kam s dětmi odpoledne",
                day=date(2024, 4, 16),
                start="17:00",
                topics=(TopicStep("odpoledne-deti", "Zájem o kroužky v knihovně."),),
                anonymous=14,
                place_note="Dům kultury Kyjov, malý sál",
            ),
            DemoMeeting(
                key="2025-02-doprava",
                title="Doprava k lékaři z menších obcí",
                day=date(2025, 2, 11),
                start="17:30",
                topics=(
                    TopicStep("doprava", "Jednání s dopravcem o odpoledním spoji."),
                    TopicStep(
                        "odpoledne-deti",
                        "Knihovna otevřela kroužky.",
                        to=IN_PROGRESS,
                        note="Kroužky v knihovně od března.",
                    ),
                ),
                anonymous=9,
                place_note="Obecní úřad Vracov",
            ),
        ),
    ),
    TerritoryDemo(
        slug="bohdanecsko",
        prefix="bohdanec",
        topics=(
            DemoTopic("generace", "Mezigenerační setkávání", "Senioři a rodiny s dětmi se míjí."),
        ),
        meetings=(
            DemoMeeting(
                key="2024-05-generace",
                title="Babičky, dědové a vnoučata",
                day=date(2024, 5, 14),
                start="16:00",
                topics=(TopicStep("generace", "Nápad na společné odpoledne s hrami."),),
                anonymous=17,
                place_note="Rodinné centrum Bohdánek",
            ),
            DemoMeeting(
                key="2025-04-generace",
                title="Mezigenerační odpoledne: jak dál",
                day=date(2025, 4, 8),
                start="16:00",
                topics=(
                    TopicStep(
                        "generace",
                        "Odpoledne s deskovými hrami se osvědčilo.",
                        to=IN_PROGRESS,
                        note="Deskovky jednou měsíčně.",
                    ),
                ),
                anonymous=12,
                place_note="Rodinné centrum Bohdánek",
            ),
        ),
    ),
    TerritoryDemo(
        slug="cesky-zapad",
        prefix="zapad",
        topics=(
            DemoTopic("rodicovske-skupiny", "Podpora rodičů", "Rodiče chtějí sdílet starosti."),
        ),
        meetings=(
            DemoMeeting(
                key="2020-10-rodice",
                title="Rodiny s dětmi v Bochově",
                day=date(2020, 10, 13),
                start="16:30",
                topics=(TopicStep("rodicovske-skupiny", "Zájem o rodičovskou skupinu."),),
                anonymous=8,
                place_note="Kulturní dům Bochov",
            ),
            DemoMeeting(
                key="2021-09-rodice",
                title="Rodičovská skupina po roce",
                day=date(2021, 9, 21),
                start="16:30",
                topics=(
                    TopicStep(
                        "rodicovske-skupiny",
                        "Skupina se schází každý druhý týden.",
                        to=SOLVED,
                        note="Skupina běží v rámci SASRD.",
                    ),
                ),
                anonymous=10,
                place_note="Kulturní dům Bochov",
            ),
        ),
    ),
    TerritoryDemo(
        slug="vysocina",
        prefix="vysocina",
        topics=(
            DemoTopic(
                "spoluprace-obci",
                "Spolupráce azylových domů a obcí",
                "Obce nevědí, kam poslat člověka, který přišel o bydlení.",
            ),
        ),
        meetings=(
            DemoMeeting(
                key="2017-05-spoluprace",
                title="Spolupráce azylových domů a sociálních pracovníků obcí",
                day=date(2017, 5, 16),
                start="10:00",
                topics=(
                    TopicStep(
                        "spoluprace-obci",
                        "Dohodnut kontaktní seznam a postup předání.",
                        to=IN_PROGRESS,
                        note="Kontaktní seznam rozeslán obcím.",
                    ),
                ),
                anonymous=21,
                place_note="Krajský úřad Kraje Vysočina, zasedací místnost",
            ),
        ),
    ),
)


# --------------------------------------------------------------------------------------


def _at(day: date, clock: str) -> datetime:
    hours, minutes = clock.split(":")
    return datetime.combine(day, time(int(hours), int(minutes)), PRAGUE)


def _monday(today: date) -> date:
    return today - timedelta(days=today.weekday())


def _worker(prefix: str, key: str):
    user = get_user_model().objects.filter(username=f"{prefix}-{key}").first()
    if user is None:
        raise DemoDataError(
            f"Ukázkový uživatel „{prefix}-{key}“ chybí; komunitní práce se nahrává až po "
            "ukázce předávání (referrals.demo)."
        )
    return user


def _organization_of(user) -> Organization:
    membership = user.memberships.select_related("organization").order_by("organization__name")
    found = membership.first()
    if found is None:
        raise DemoDataError(f"Ukázkový uživatel „{user.username}“ nepatří k žádné organizaci.")
    return found.organization


def _mas_vltava() -> Organization:
    spec = next(s for s in ORGANIZATIONS if s.key == MAS_VLTAVA)
    org = Organization.objects.filter(ico=spec.ico).first()
    if org is None:
        raise DemoDataError("MAS VLTAVA chybí; nahrajte nejdřív ukázkový adresář.")
    return org


def _centre(territory: Territory, org: Organization) -> CommunityCentre:
    location = Location.objects.filter(pk=demo_uuid("location", org.ico, CENTRE_NAME)).first()
    centre, _created = CommunityCentre.objects.update_or_create(
        id=demo_uuid("community-centre", territory.slug),
        defaults={
            "name": CENTRE_NAME,
            "territory": territory,
            "organization": org,
            "location": location,
            "description": (
                "Komunitní centrum MAS VLTAVA v Týně nad Vltavou: setkání ke společným "
                "tématům, aktivity komunitních lídrů, poradenství. Ukázková data."
            ),
            "opened_on": CENTRE_OPENED,
            "is_demo": True,
        },
    )
    return centre


def _persons(spec: TerritoryDemo, org: Organization, worker, first_seen: dict) -> dict:
    """The demo people of the territory with a consent to community activities, recorded
    (once) through the referral services, dated to the meeting where they first came."""
    towns = list(Municipality.objects.filter(territories__slug=spec.slug).order_by("code")[:6]) or [
        Municipality.objects.get(code=TYN)
    ]
    persons: dict[str, Person] = {}
    for demo in spec.people:
        person = Person.objects.filter(organization=org, name=demo.name).first()
        if person is None:
            town = towns[demo.town_index % len(towns)] if demo.town_index else None
            person = referral_services.record_person(
                actor=worker,
                organization=org,
                name=demo.name,
                birth_year=demo.birth_year,
                municipality=town or Municipality.objects.filter(code=demo.town).first(),
            )
        persons[demo.key] = person
    # The person of the referrals demo (if that demo recorded her here).
    zdenka = Person.objects.filter(organization=org, name=REFERRAL_DEMO_PERSON).first()
    if zdenka is not None:
        persons["zdenka"] = zdenka
    for key, person in persons.items():
        consents = person.consents.filter(purpose=Consent.Purpose.COMMUNITY)
        if not consents.exists():
            consent = referral_services.record_consent(
                actor=worker,
                person=person,
                purpose=Consent.Purpose.COMMUNITY,
                given_by=Consent.GivenBy.SELF,
                scope=[],
            )
            seen = first_seen.get(key)
            if seen is not None:
                Consent.objects.filter(pk=consent.pk).update(given_at=seen)
                if key != "zdenka":
                    Person.objects.filter(pk=person.pk).update(created_at=seen)
    return persons


def _topics(spec: TerritoryDemo, territory, org, worker) -> dict[str, Topic]:
    topics = {}
    for demo in spec.topics:
        topic, _created = Topic.objects.update_or_create(
            id=demo_uuid("community-topic", spec.slug, demo.key),
            defaults={
                "territory": territory,
                "organization": org,
                "title": demo.title,
                "description": demo.description,
                "created_by": worker,
                "is_demo": True,
            },
        )
        topics[demo.key] = topic
    return topics


def _meeting(spec, demo: DemoMeeting, *, territory, org, centre, users, monday) -> Meeting:
    day = demo.day or monday + timedelta(days=demo.days_ahead)
    held_at = _at(day, demo.start)
    status = Meeting.Status.HELD if demo.day else Meeting.Status.PLANNED
    location = centre.location if centre and not demo.place_note else None
    meeting, _created = Meeting.objects.update_or_create(
        id=demo_uuid("community-meeting", spec.slug, demo.key),
        defaults={
            "organization": org,
            "territory": territory,
            "centre": centre,
            "title": demo.title,
            "status": status,
            "held_at": held_at,
            "place": location,
            "place_note": demo.place_note,
            "anonymous_count": demo.anonymous,
            "minutes": demo.minutes,
            "decisions": demo.decisions,
            "created_by": users[WORKER],
            "created_at": held_at - timedelta(days=14),
            "updated_at": held_at + timedelta(days=1),
            "is_demo": True,
        },
    )
    meeting.facilitators.set([users[key] for key in demo.facilitators])
    return meeting


def _story(spec: TerritoryDemo, territory: Territory, monday: date) -> dict[str, int]:
    """One territory's centre, topics, meetings, attendance, tasks and leaders."""
    users = {key: _worker(spec.prefix, key) for key in (WORKER, SOCIAL_WORKER)}
    org = _mas_vltava() if spec.slug == VLTAVOTYNSKO else _organization_of(users[WORKER])
    centre = _centre(territory, org) if spec.centre else None
    first_seen: dict[str, datetime] = {}
    for demo in spec.meetings:
        if demo.day is not None:
            for key in demo.people:
                first_seen.setdefault(key, _at(demo.day, demo.start))
    persons = _persons(spec, org, users[WORKER], first_seen) if spec.people else {}
    topics = _topics(spec, territory, org, users[WORKER])
    status = dict.fromkeys(topics, "")
    counts = {"meetings": 0, "attendances": 0, "tasks": 0, "leaders": 0}
    for demo in spec.meetings:
        meeting = _meeting(
            spec, demo, territory=territory, org=org, centre=centre, users=users, monday=monday
        )
        counts["meetings"] += 1
        held_at = meeting.held_at
        for step in demo.topics:
            topic = topics[step.topic]
            MeetingTopic.objects.update_or_create(
                meeting=meeting, topic=topic, defaults={"notes": step.notes}
            )
            changes = []
            if not status[step.topic]:
                changes.append(("", OPEN, ""))
            if step.to and step.to != (status[step.topic] or OPEN):
                changes.append((status[step.topic] or OPEN, step.to, step.note))
            for from_status, to_status, note in changes:
                TopicStatusChange.objects.update_or_create(
                    id=demo_uuid(
                        "community-topic-change", spec.slug, step.topic, demo.key, to_status
                    ),
                    defaults={
                        "topic": topic,
                        "from_status": from_status,
                        "to_status": to_status,
                        "at": held_at + timedelta(hours=2),
                        "by": users[WORKER],
                        "meeting": meeting,
                        "note": note,
                    },
                )
                status[step.topic] = to_status
        for key in demo.people:
            person = persons.get(key)
            if person is None:
                continue
            values = {
                "organization": org,
                "attended": True,
                "recorded_by": users[WORKER],
                "recorded_at": held_at + timedelta(days=1),
            }
            Attendance.objects.update_or_create(
                meeting=meeting,
                person=person,
                defaults=values,
                create_defaults={
                    "id": demo_uuid("community-attendance", spec.slug, demo.key, key),
                    **values,
                },
            )
            counts["attendances"] += 1
        for number, task in enumerate(demo.tasks):
            FollowUpAction.objects.update_or_create(
                id=demo_uuid("community-task", spec.slug, demo.key, str(number)),
                defaults={
                    "meeting": meeting,
                    "description": task.description,
                    "owner": users.get(task.owner) if task.owner else None,
                    "owner_text": task.owner_text,
                    "due_on": task.due,
                    "done_at": _at(task.done, "12:00") if task.done else None,
                    "done_by": users[WORKER] if task.done else None,
                    "created_by": users[WORKER],
                    "created_at": held_at + timedelta(hours=3),
                },
            )
            counts["tasks"] += 1
    for key, topic in topics.items():
        final = status[key] or OPEN
        first = topic.history.order_by("at").first()
        Topic.objects.filter(pk=topic.pk).update(
            status=final,
            created_at=first.at if first else topic.created_at,
            updated_at=topic.history.order_by("at").last().at if first else topic.updated_at,
        )
    events = {
        key: Event.objects.filter(pk=demo_uuid("event", spec.slug, key)).first()
        for leader in spec.leaders
        for key in leader.events
    }
    for leader in spec.leaders:
        person = persons[leader.person]
        row, _created = CommunityLeader.objects.update_or_create(
            id=demo_uuid("community-leader", spec.slug, leader.person),
            defaults={
                "person": person,
                "organization": org,
                "territory": territory,
                "since": leader.since,
                "until": leader.until,
                "activity_note": leader.activity,
                "created_by": users[WORKER],
                "ended_by": users[WORKER] if leader.until else None,
            },
        )
        row.activities.set([events[key] for key in leader.events if events.get(key)])
        counts["leaders"] += 1
    return counts


def load_demo_community(*, stdout=None) -> dict:
    """Create or update the community demo; returns counts (and no extra logins)."""

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    monday = _monday(timezone.localdate())
    totals = {"meetings": 0, "attendances": 0, "tasks": 0, "leaders": 0}
    with transaction.atomic():
        territories = {
            t.slug: t for t in Territory.objects.filter(slug__in=[s.slug for s in TERRITORIES])
        }
        missing = sorted({s.slug for s in TERRITORIES} - set(territories))
        if missing:
            raise DemoDataError(
                "Ukázková území chybí (" + ", ".join(missing) + "); načtěte nejdřív ukázkový "
                "adresář (`manage.py load_demo`)."
            )
        for spec in TERRITORIES:
            counts = _story(spec, territories[spec.slug], monday)
            for key, value in counts.items():
                totals[key] += value
    vltavotynsko = territories[VLTAVOTYNSKO]
    summary = {
        "centres": CommunityCentre.objects.filter(is_demo=True).count(),
        "meetings": Meeting.objects.filter(is_demo=True).count(),
        "held_in_vltavotynsko": Meeting.objects.held()
        .filter(territory=vltavotynsko, is_demo=True)
        .count(),
        "topics": Topic.objects.filter(is_demo=True).count(),
        "attendances": totals["attendances"],
        "tasks": totals["tasks"],
        "leaders_in_vltavotynsko": CommunityLeader.objects.filter(territory=vltavotynsko)
        .values("person_id")
        .distinct()
        .count(),
    }
    say(
        f"  Community demo: {summary['centres']} centre, {summary['meetings']} meetings "
        f"({summary['held_in_vltavotynsko']} held in Vltavotýnsko), {summary['topics']} "
        f"topics, {summary['attendances']} attendances, {summary['tasks']} follow-up actions, "
        f"{summary['leaders_in_vltavotynsko']} community leaders in Vltavotýnsko."
    )
    return {"logins": [], **summary}

"""Demo of project monitoring: the five projects of SEEDS.md with their published facts
and targets, reporting periods (the reported ones locked), invented participants with
ESF+ cards and records of support, a few residents' requests and referrals completed
within the projects' time, manual values with evidence, and the service statistics of
the Kraj Vysočina network.

What the projects published (registration numbers of projects 1–3, dates, budgets,
implementers, partners, key activities of Bohdanečsko, the targets of Vltavotýnsko: one
community centre, fifteen community leaders, ten meetings) is taken as it is. Everything
else is invented and marked: targets with `target_invented`, the registration numbers of
projects 4 and 5 (not published; made up in the OPZ form) in the project's `sources_note`,
people with "(demo)" in their names.

All five projects have ended by the time of writing (2026), so the dashboards show final
states; the pace check is exercised by the tests. Idempotent: projects, indicators,
partners and periods are upserted; a project whose participants exist keeps them; locked
periods stay locked. Registered last in `settings.SPOJKA_DEMO_LOADERS` (it needs the
directory, referrals, events and community demos).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.models import TargetGroup
from directory.demo import ORGANIZATIONS, DemoDataError
from directory.models import Organization, Service
from directory.validators import ico_with_checksum
from monitoring import services
from monitoring.models import (
    Activity,
    Indicator,
    IndicatorValue,
    KeyActivity,
    Participant,
    Project,
    ProjectPartner,
    ProjectService,
    ServiceStatistics,
)
from referrals import services as referral_services
from referrals.models import HelpRequest, Notification, Person, Referral, ReferralEvent
from territory.models import Municipality, Territory

PRAGUE = timezone.get_default_timezone()
VYSOCINA_OFFICE_ICO7 = "9910080"  # referrals.demo's Kraj Vysočina office
INVENTED = "cílová hodnota doplněna pro ukázku"


def _org(key: str) -> Organization:
    if key == "kraj-vysocina":
        ico = ico_with_checksum(VYSOCINA_OFFICE_ICO7)
    else:
        spec = next((s for s in ORGANIZATIONS if s.key == key), None)
        if spec is None:
            raise DemoDataError(f"Ukázková organizace „{key}“ neexistuje.")
        ico = spec.ico
    org = Organization.objects.filter(ico=ico).first()
    if org is None:
        raise DemoDataError(
            f"Ukázková organizace „{key}“ chybí; monitoring se nahrává až po ostatních ukázkách."
        )
    return org


def _user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DemoDataError(f"Ukázkový uživatel „{username}“ chybí; nahrajte nejdřív předání.")
    return user


def _rand(*parts) -> int:
    """A stable pseudo-random number of the parts (the same on every run and machine)."""
    return int(hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()[:12], 16)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    source: str = ""  # empty: manual
    target: Decimal | int | None = None
    invented: bool = True
    aggregation: str = "sum"
    description: str = ""


@dataclass(frozen=True)
class ProjectSpec:
    key: str
    registration_number: str
    name: str
    programme: str
    territory: str
    implementer: str
    start: date
    end: date
    prefix: str  # of the referrals demo's users in the territory
    budget: Decimal | None = None
    partners: tuple[tuple[str, str], ...] = ()
    key_activities: tuple[tuple[str, str, str], ...] = ()
    target_groups: tuple[str, ...] = ()
    target_groups_text: str = ""
    aim: str = ""
    sources_note: str = ""
    indicators: tuple[IndicatorSpec, ...] = ()
    participants: int = 0
    referrals: int = 0  # of the participants, how many were referred and helped
    funded_types: tuple[str, ...] = ()  # service types funded in the territory
    funded_services: tuple[str, ...] = ()  # or named services (by name)


PARTICIPANTS = IndicatorSpec(
    "6 00 00",
    "Celkový počet účastníků",
    "osoby",
    Indicator.Source.PARTICIPANTS,
    description="Společný indikátor ESF+: osoby podpořené projektem, každá jednou.",
)

PROJECTS: tuple[ProjectSpec, ...] = (
    ProjectSpec(
        key="kyjov",
        registration_number="CZ.03.02.01/00/22_008/0000060",
        name="Budujeme komunitu od úsvitu do úsvitu",
        programme=Project.Programme.OPZ_PLUS,
        territory="kyjovske-slovacko",
        implementer="mas-kyjovsko",
        start=date(2023, 1, 1),
        end=date(2025, 12, 31),
        prefix="kyjov",
        partners=tuple(
            (key, ProjectPartner.Role.PARTNER)
            for key in ("css-kyjov", "educante", "krok-kyjov", "mesto-kyjov", "fenix")
        ),
        key_activities=(
            ("KA1", "Virtuální komunitní centrum", "Přehled sociálních služeb a aktivit partnerů."),
            ("KA2", "Sociální práce a poradenství", "Jedno místo, kam se lidé obrátí."),
            ("KA3", "Komunitní práce a fakultativní služby", "Aktivity partnerů v obcích."),
        ),
        target_groups=("17", "14", "21", "23", "24"),
        target_groups_text=(
            "Lidé se zdravotním nebo mentálním postižením; lidé sociálně vyloučení a "
            "ohrožení vyloučením; rodiče, děti a mladí dospělí v nepříznivé situaci; sociálně "
            "znevýhodněné rodiny; senioři."
        ),
        aim=(
            "Spolupráce organizací a veřejnosti; virtuální komunitní centrum, které přehledně "
            "představí všechny možnosti sociálních služeb a aktivit partnerů; mezioborová "
            "spolupráce na úrovni obcí a mikroregionů; širší nabídka fakultativních služeb."
        ),
        sources_note=(
            "Registrační číslo, doba realizace, příjemce, partneři a cílové skupiny jsou "
            "zveřejněné údaje projektu. Klíčové aktivity, cílové hodnoty a všichni lidé jsou "
            "smyšlení pro ukázku."
        ),
        indicators=(
            replace(PARTICIPANTS, target=40),
            IndicatorSpec(
                "PODPORA", "Poskytnutá podpora", "záznamy", Indicator.Source.SUPPORT_RECORDS, 150
            ),
            IndicatorSpec(
                "HODINY", "Hodiny podpory", "hodiny", Indicator.Source.SUPPORT_HOURS, 300
            ),
            IndicatorSpec(
                "ZADOSTI", "Vyřízené žádosti o pomoc", "žádosti", Indicator.Source.HELP_REQUESTS, 15
            ),
            IndicatorSpec(
                "PREDANI",
                "Dokončená předání do služeb",
                "předání",
                Indicator.Source.REFERRALS_COMPLETED,
                12,
            ),
            IndicatorSpec(
                "SETKANI-PARTNERU",
                "Setkání partnerů virtuálního komunitního centra",
                "setkání",
                "",
                6,
                description="Zadává se ručně s prezenční listinou nebo zápisem.",
            ),
        ),
        participants=30,
        referrals=12,
    ),
    ProjectSpec(
        key="bohdanec",
        registration_number="CZ.03.02.01/00/22_008/0000024",
        name="Akční plán pro OPZ+ MAS Bohdanečsko I.",
        programme=Project.Programme.OPZ_PLUS,
        territory="bohdanecsko",
        implementer="mas-bohdanecsko",
        start=date(2023, 1, 1),
        end=date(2025, 12, 31),
        prefix="bohdanec",
        budget=Decimal("5184480"),
        key_activities=(
            ("KA1", "Komunitní práce", "V přirozeném prostředí lidí a s jejich účastí."),
            ("KA2", "Sociální práce", "Specializovaný pracovník propojí lidi s vhodnou službou."),
            ("KA3", "Podpora rodin a rodinných vazeb", "Podpora rodin v jejich prostředí."),
        ),
        target_groups=("23", "24", "19"),
        aim=(
            "Síť sociálních a návazných služeb s volnou kapacitou dostupnou pro nové klienty; "
            "účinná komunikace obcí, neziskových a dalších organizací; partner pro obecní "
            "sociální pracovníky; specializovaný pracovník, na kterého se lidé obrátí a který "
            "je propojí s vhodnou sociální službou; komunitní podpora spolupráce generací a "
            "prevence. Projekt sociální služby doplňuje, nenahrazuje je."
        ),
        sources_note=(
            "Registrační číslo, doba realizace (36 měsíců), rozpočet 5 184 480 Kč, příjemce a "
            "klíčové aktivity jsou zveřejněné údaje projektu; označení aktivit, cílové "
            "hodnoty a všichni lidé jsou smyšlení pro ukázku."
        ),
        indicators=(
            replace(PARTICIPANTS, target=30),
            IndicatorSpec(
                "ZADOSTI",
                "Lidé, kteří se obrátili na specializovaného pracovníka",
                "žádosti",
                Indicator.Source.HELP_REQUESTS,
                20,
            ),
            IndicatorSpec(
                "PREDANI",
                "Lidé propojení s vhodnou službou",
                "předání",
                Indicator.Source.REFERRALS_COMPLETED,
                15,
            ),
            IndicatorSpec(
                "HODINY", "Hodiny podpory", "hodiny", Indicator.Source.SUPPORT_HOURS, 250
            ),
        ),
        participants=24,
        referrals=10,
    ),
    ProjectSpec(
        key="tyn",
        registration_number="CZ.03.02.01/00/22_008/0000016",
        name="Komunitní centrum Vltavotýnska",
        programme=Project.Programme.OPZ_PLUS,
        territory="vltavotynsko",
        implementer="mas-vltava",
        start=date(2023, 1, 1),
        end=date(2025, 12, 31),
        prefix="tyn",
        key_activities=(
            ("KA1", "Komunitní centrum", "Prostor, kde komunita pojmenovává a řeší své potřeby."),
            ("KA2", "Komunitní práce a setkání", "Setkání ke společným tématům a problémům."),
            ("KA3", "Poradenství a psychosociální podpora", ""),
        ),
        target_groups=("21", "20"),
        target_groups_text=(
            "Lidé sociálně vyloučení nebo vyloučením ohrožení ve venkovském prostředí; zdarma "
            "pro všechny občany Vltavotýnska."
        ),
        aim=(
            "Prostor, kde komunita pojmenovává a řeší své potřeby; poradenství a "
            "psychosociální podpora; informovaní a spolupracující starostové, neziskové "
            "organizace a zaměstnavatelé; lepší povědomí o sociálních službách a formách "
            "pomoci."
        ),
        sources_note=(
            "Registrační číslo, začátek v lednu 2023, příjemce a cílové hodnoty 1 komunitní "
            "centrum, 15 komunitních lídrů a 10 setkání do 31. 12. 2025 jsou zveřejněné údaje "
            "projektu; konec realizace 31. 12. 2025 je odvozen z termínu cílů. Ostatní cílové "
            "hodnoty a všichni lidé jsou smyšlení pro ukázku."
        ),
        indicators=(
            IndicatorSpec(
                "KC",
                "Komunitní centrum v provozu",
                "centra",
                Indicator.Source.COMMUNITY_CENTRES,
                1,
                invented=False,
                aggregation="last",
            ),
            IndicatorSpec(
                "LIDRI",
                "Lidé z cílových skupin, kteří se stali komunitními lídry",
                "osoby",
                Indicator.Source.COMMUNITY_LEADERS,
                15,
                invented=False,
            ),
            IndicatorSpec(
                "SETKANI",
                "Setkání ke společným tématům a problémům",
                "setkání",
                Indicator.Source.MEETINGS_HELD,
                10,
                invented=False,
            ),
            IndicatorSpec(
                "UCAST",
                "Účast na komunitních setkáních",
                "účasti",
                Indicator.Source.MEETING_ATTENDANCE,
                120,
            ),
            replace(PARTICIPANTS, target=20),
        ),
        participants=18,
    ),
    ProjectSpec(
        key="zapad",
        registration_number="CZ.03.2.65/0.0/0.0/16_047/0009919",
        name=(
            "Rozšíření služby SASRD a podpora sociální komunitní práce na území Bečovska, "
            "Bochovska a Tepelska"
        ),
        programme=Project.Programme.OPZ,
        territory="cesky-zapad",
        implementer="mas-cesky-zapad",
        start=date(2019, 4, 1),
        end=date(2022, 3, 31),
        prefix="zapad",
        budget=Decimal("2341262.50"),
        partners=(("mesto-bochov", ProjectPartner.Role.COOPERATING),),
        key_activities=(
            ("KA1", "Rozšíření SASRD v terénní formě", "Na Bochovsko a Bečovsko (§ 65)."),
            ("KA2", "Komunitní sociální práce", "Na Bečovsku, Bochovsku a Tepelsku."),
        ),
        target_groups=("23",),
        target_groups_text=(
            "Rodiny s dětmi; obce Bečov a Bochov jako partneři pro další financování."
        ),
        aim=(
            "Lepší rodičovské kompetence, prevence izolace a segregace, menší závislost na "
            "dávkách a lepší dostupnost kvalitních služeb pro rodiny s dětmi."
        ),
        sources_note=(
            "Doba realizace 1. 4. 2019 – 31. 3. 2022, OPZ, prioritní osa 2, rozpočet "
            "2 341 262,50 Kč a rozšíření SASRD jsou zveřejněné údaje projektu. Registrační "
            "číslo projekt ve zdrojích neuvádí: to zde je smyšlené (ve tvaru čísel OPZ), "
            "stejně jako cílové hodnoty a všichni lidé."
        ),
        indicators=(
            IndicatorSpec(
                "SLUZBY",
                "Podporované sociální služby",
                "služby",
                Indicator.Source.SERVICES_SUPPORTED,
                1,
                invented=False,
                aggregation="last",
            ),
            replace(PARTICIPANTS, target=25),
            IndicatorSpec(
                "SETKANI", "Komunitní setkání", "setkání", Indicator.Source.MEETINGS_HELD, 4
            ),
            IndicatorSpec(
                "HODINY", "Hodiny podpory rodin", "hodiny", Indicator.Source.SUPPORT_HOURS, 200
            ),
        ),
        participants=20,
        funded_services=("SASRD – podpora rodin s dětmi na Bečovsku a Bochovsku",),
    ),
    ProjectSpec(
        key="vysocina",
        registration_number="CZ.03.2.X/0.0/0.0/15_005/0001452",
        name="Podpora vybraných sociálních služeb na území Kraje Vysočina, Individuální projekt IV",
        programme=Project.Programme.OPZ,
        territory="vysocina",
        implementer="kraj-vysocina",
        start=date(2016, 4, 1),
        end=date(2019, 4, 30),
        prefix="vysocina",
        target_groups=("7", "4", "10", "14", "8", "19"),
        aim=(
            "Oslovit sociálním začleňováním a prevencí více lidí; podpořit krajskou síť služeb "
            "a spolupráci poskytovatelů; sledovat množství a kvalitu sociální práce jako "
            "podklad pro financování; metodicky vést poskytovatele; zlepšit komunikaci mezi "
            "poskytovateli a sociálními pracovníky obecních úřadů."
        ),
        sources_note=(
            "Doba realizace 1. 4. 2016 – 30. 4. 2019, financování z EU, státního rozpočtu a "
            "Kraje Vysočina a druhy podporovaných služeb (§ 57, 58, 60a, 67, 70) jsou "
            "zveřejněné údaje projektu. Registrační číslo projekt ve zdrojích neuvádí: to zde "
            "je smyšlené (ve tvaru čísel OPZ), stejně jako služby, jejich statistiky a cílové "
            "hodnoty."
        ),
        indicators=(
            IndicatorSpec(
                "SLUZBY",
                "Podporované sociální služby v krajské síti",
                "služby",
                Indicator.Source.SERVICES_SUPPORTED,
                8,
                aggregation="last",
            ),
            IndicatorSpec(
                "KAPACITA",
                "Registrovaná kapacita podporovaných služeb",
                "klienti a lůžka",
                Indicator.Source.SERVICES_CAPACITY,
                200,
                aggregation="last",
            ),
            IndicatorSpec(
                "METODIKA",
                "Metodická setkání poskytovatelů",
                "setkání",
                "",
                6,
                description="Zadává se ručně se zápisem ze setkání.",
            ),
        ),
        funded_types=("57", "58", "60a", "67", "70"),
    ),
)


# --- invented people ---------------------------------------------------------------------------

FIRST_NAMES_F = ("Alena", "Blanka", "Dagmar", "Hana", "Jarmila", "Kamila", "Libuše", "Marta")
FIRST_NAMES_M = ("Bohumil", "Ctibor", "Dalibor", "Emil", "Hynek", "Kamil", "Luboš", "Otakar")
SURNAMES = ("Vzorová", "Příkladová", "Ukázková", "Modelová", "Testová", "Smyšlená")


def _participant_name(spec: ProjectSpec, index: int) -> tuple[str, str]:
    female = index % 3 != 1
    names = FIRST_NAMES_F if female else FIRST_NAMES_M
    surname = SURNAMES[index % len(SURNAMES)]
    if not female:
        surname = surname[:-1] + "ý" if surname.endswith("á") else surname
    first = names[(index // 3) % len(names)]
    return f"{first} {surname} {index + 1:02d} (demo)", "female" if female else "male"


LABOUR = ("unemployed", "long_term_unemployed", "inactive", "employed", "inactive", "unemployed")
EDUCATION = ("isced_2", "isced_3", "isced_3", "isced_1", "isced_5_8", "isced_2", "isced_4")


def _card(spec: ProjectSpec, index: int, gender: str) -> dict:
    r = _rand(spec.key, "card", index)
    card = {
        "gender": gender,
        "labour_status": LABOUR[r % len(LABOUR)],
        "education": EDUCATION[(r // 7) % len(EDUCATION)],
        "disability": "yes" if r % 5 == 0 else "no",
        "third_country_national": "no",
        "foreign_background": "yes" if r % 11 == 0 else "no",
        "minority": "refused" if r % 4 == 0 else ("yes" if r % 9 == 0 else "no"),
        "homeless": "yes" if r % 13 == 0 else ("refused" if r % 17 == 0 else "no"),
    }
    if index % 10 == 9:
        # A card still waiting for its education and labour status: what the completeness
        # check before a report is for.
        card.pop("education")
        card.pop("labour_status")
    return card


def _aware(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), PRAGUE)


@dataclass
class _Counts:
    projects: int = 0
    indicators: int = 0
    participants: int = 0
    activities: int = 0
    referrals: int = 0
    statistics: int = 0
    locked: int = 0
    skipped: list[str] = field(default_factory=list)


def _upsert_project(spec: ProjectSpec, counts: _Counts) -> Project:
    territory = Territory.objects.filter(slug=spec.territory).first()
    if territory is None:
        raise DemoDataError(f"Ukázkové území „{spec.territory}“ chybí.")
    project, created = Project.objects.update_or_create(
        registration_number=spec.registration_number,
        defaults={
            "name": spec.name,
            "programme": spec.programme,
            "implementer": _org(spec.implementer),
            "territory": territory,
            "start_date": spec.start,
            "end_date": spec.end,
            "budget": spec.budget,
            "aim": spec.aim,
            "target_groups_text": spec.target_groups_text,
            "sources_note": spec.sources_note,
            "period_months": 6,
            "is_demo": True,
        },
    )
    counts.projects += created
    project.target_groups.set(TargetGroup.objects.filter(code__in=spec.target_groups))
    for key, role in spec.partners:
        ProjectPartner.objects.update_or_create(
            project=project, organization=_org(key), defaults={"role": role}
        )
    for order, (code, name, description) in enumerate(spec.key_activities, start=1):
        KeyActivity.objects.update_or_create(
            project=project,
            code=code,
            defaults={"name": name, "description": description, "order": order},
        )
    for order, item in enumerate(spec.indicators, start=1):
        Indicator.objects.update_or_create(
            project=project,
            code=item.code,
            defaults={
                "name": item.name,
                "unit": item.unit,
                "kind": Indicator.Kind.COMPUTED if item.source else Indicator.Kind.MANUAL,
                "source": item.source,
                "aggregation": item.aggregation,
                "target": item.target,
                "target_invented": item.invented,
                "description": item.description,
                "order": order,
            },
        )
        counts.indicators += 1
    if not project.periods.filter(locked_at__isnull=False).exists():
        services.generate_periods(project=project, months=6)
    return project


def _funded_services(spec: ProjectSpec, project: Project) -> list[Service]:
    found = Service.objects.filter(status=Service.Status.ACTIVE)
    if spec.funded_types:
        found = found.in_territory(project.territory).filter(
            service_type__code__in=spec.funded_types
        )
    elif spec.funded_services:
        found = found.filter(name__in=spec.funded_services, organization_id=project.implementer_id)
    else:
        return []
    return list(found.select_related("organization").order_by("service_type__code", "name"))


def _fund(spec: ProjectSpec, project: Project) -> list[Service]:
    funded = _funded_services(spec, project)
    for service in funded:
        ProjectService.objects.update_or_create(
            project=project,
            service=service,
            defaults={"since": project.start_date, "until": project.end_date},
        )
        if service.organization_id != project.implementer_id:
            ProjectPartner.objects.get_or_create(
                project=project,
                organization=service.organization,
                defaults={"role": ProjectPartner.Role.FUNDED_PROVIDER},
            )
    return funded


def _participants(spec: ProjectSpec, project: Project, counts: _Counts) -> None:
    """Invented persons of the implementer, entered over the project's time, each with a
    few records of support; some referred to a partner's service and helped there."""
    worker = _user(f"{spec.prefix}-pracovnik")
    org = project.implementer
    if Participant.objects.filter(project=project).exists():
        return
    towns = list(
        project.territory.municipalities.order_by("code").values_list("code", flat=True)[:12]
    )
    key_activities = list(project.key_activities.order_by("order"))
    span = (project.end_date - project.start_date).days
    today = timezone.localdate()
    created_referrals: list[Referral] = []
    help_requests: list[HelpRequest] = []
    receiving = _receiving_service(spec, project)
    for index in range(spec.participants):
        name, gender = _participant_name(spec, index)
        r = _rand(spec.key, "person", index)
        birth_year = 1940 + r % 65
        person = referral_services.record_person(
            actor=worker,
            organization=org,
            name=name,
            birth_year=None if index % 10 == 9 else birth_year,
            municipality=Municipality.objects.get(code=towns[r % len(towns)]) if towns else None,
            via="command",
        )
        referral_services.record_consent(
            actor=worker, person=person, purpose="project", given_by="self", via="command"
        )
        # Entries spread over the first five sixths of the project.
        entered = project.start_date + timedelta(days=(index * span * 5 // 6) // spec.participants)
        card = services.enter_participant(
            actor=worker,
            project=project,
            person=person,
            entered_on=entered,
            via="command",
            **_card(spec, index, gender),
        )
        counts.participants += 1
        for step in range(2 + r % 7):
            day = entered + timedelta(days=step * (7 + r % 20))
            if day > min(project.end_date, today):
                break
            activity = key_activities[(r + step) % len(key_activities)] if key_activities else None
            services.record_activity(
                actor=worker,
                participant=card,
                day=day,
                kind=Activity.Kind.values[(r + step) % len(Activity.Kind.values)],
                hours=Decimal(1 + (r + step) % 4) / (2 if step % 3 == 2 else 1),
                key_activity=activity,
                organization=org,
                via="command",
            )
            counts.activities += 1
        if receiving is not None and index < spec.referrals:
            referral, request = _referral_story(spec, project, person, entered, receiving)
            created_referrals.append(referral)
            help_requests.append(request)
            counts.referrals += 1
    # Old stories are history, not news: nobody's inbox fills with them.
    now = timezone.now()
    Notification.objects.filter(referral__in=created_referrals).update(read_at=now)
    Notification.objects.filter(help_request__in=help_requests).update(read_at=now)


def _receiving_service(spec: ProjectSpec, project: Project) -> Service | None:
    if not spec.referrals:
        return None
    provider_user = _user(f"{spec.prefix}-poskytovatel")
    org_ids = provider_user.memberships.values("organization_id")
    return (
        Service.objects.filter(organization_id__in=org_ids, status=Service.Status.ACTIVE)
        .order_by("name")
        .first()
    )


def _referral_story(spec, project, person: Person, entered: date, service: Service):
    """A resident asked, the MAS worker took the request, referred the person, and the
    provider completed the referral — all within the project's time."""
    worker = _user(f"{spec.prefix}-pracovnik")
    provider = _user(f"{spec.prefix}-poskytovatel")
    request = referral_services.create_help_request(
        territory=project.territory,
        situation="Potřebuji poradit, na koho se obrátit (ukázková žádost).",
        name=person.name,
        contact_method=HelpRequest.ContactMethod.PHONE,
        contact="+420 000 000 000",
    )
    referral_services.take_help_request(actor=worker, help_request=request)
    referral_services.close_help_request(actor=worker, help_request=request)
    referral_services.record_consent(
        actor=worker, person=person, purpose="referral", given_by="self", via="command"
    )
    referral = referral_services.create_referral(
        actor=worker,
        person=person,
        service=service,
        territory=project.territory,
        help_request=request,
        note="Ukázkové předání v rámci projektu.",
        via="command",
    )
    for to in ("accepted", "in_progress"):
        referral = referral_services.transition_referral(
            actor=provider, referral=referral, to=to, via="command"
        )
    referral = referral_services.transition_referral(
        actor=provider, referral=referral, to="completed", outcome="helped", via="command"
    )
    # Back to the time of the story: the request came the day before the person entered.
    asked = _aware(entered - timedelta(days=1), 9)
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=asked, closed_at=asked + timedelta(days=2)
    )
    for offset, event in enumerate(referral.events.order_by("at")):
        ReferralEvent.objects.filter(pk=event.pk).update(at=asked + timedelta(days=1 + offset))
    Referral.objects.filter(pk=referral.pk).update(
        created_at=asked + timedelta(days=1),
        updated_at=asked + timedelta(days=5),
        respond_by=asked + timedelta(days=6),
    )
    return referral, request


def _manual_values(spec: ProjectSpec, project: Project) -> None:
    """Manual indicators: one value per ended period, approved with a note as evidence;
    the last period's is waiting for approval."""
    manager = _user(f"{spec.prefix}-koordinator")
    periods = list(project.periods.order_by("number"))
    for indicator in project.indicators.filter(kind=Indicator.Kind.MANUAL):
        if IndicatorValue.objects.filter(indicator=indicator, is_snapshot=False).exists():
            continue
        for period in periods:
            if period.is_locked:
                continue
            value = services.submit_value(
                actor=manager,
                indicator=indicator,
                period=period,
                value=1 + _rand(project.pk, indicator.code, period.number) % 2,
                note="Zápis a prezenční listina jsou uloženy v kanceláři příjemce (ukázka).",
            )
            if period.number < len(periods):
                services.decide_value(actor=manager, value=value, approve=True)


def _statistics(project: Project, funded: list[Service], counts: _Counts) -> None:
    """Figures of every funded service in every period, within its registered capacity."""
    manager = _user("vysocina-koordinator")
    for service in funded:
        capacity = services.registered_capacity(service)
        forms = {f.code for f in service.forms.all()} | {form for form, _t in capacity}
        for period in project.periods.order_by("number"):
            if (
                period.is_locked
                or ServiceStatistics.objects.filter(service=service, period=period).exists()
            ):
                continue
            r = _rand(service.pk, period.number)
            days = (period.end - period.start).days + 1
            share = days / 182
            data: dict[str, int | str] = {}
            clients = 0
            if "pob" in forms:
                beds = capacity.get(("pob", "luzka")) or capacity.get(("pob", "klient")) or 10
                data["bed_days"] = int(beds * days * (70 + r % 25) / 100)
                data["clients_pob"] = max(1, int(beds * (1.2 + (r % 7) / 10) * share))
                data["interventions_pob"] = data["clients_pob"] * (15 + r % 10)
                clients += data["clients_pob"]
            for form in ("amb", "ter"):
                if form not in forms:
                    continue
                limit = capacity.get((form, "klient")) or 10
                data[f"peak_{form}"] = max(1, int(limit * (65 + r % 30) / 100))
                data[f"clients_{form}"] = max(1, int(limit * (1.3 + (r % 5) / 10) * share))
                data[f"contacts_{form}"] = data[f"clients_{form}"] * (6 + r % 6)
                data[f"interventions_{form}"] = data[f"clients_{form}"] * (9 + r % 8)
                clients += data[f"clients_{form}"]
            by_form = [data.get(f"clients_{f}", 0) for f in ("amb", "ter", "pob")]
            data["clients_total"] = max(max(by_form), int(clients * 0.9))
            data["refused_capacity"] = r % 6 if "pob" in forms else r % 3
            data["refused_target_group"] = (r // 6) % 3
            data["refused_other"] = (r // 18) % 2
            data["refused_note"] = (
                "Zájemce neměl zájem o podmínky služby." if data["refused_other"] else ""
            )
            data["waiting_list_end"] = (r // 36) % 8 if "pob" in forms else (r // 36) % 3
            services.save_statistics(
                actor=manager,
                project=project,
                service=service,
                period=period,
                data=data,
                submit=True,
            )
            counts.statistics += 1


def _lock_reported(spec: ProjectSpec, project: Project, counts: _Counts) -> None:
    """Periods that ended more than 45 days ago are reported and locked. Kyjov's second
    period was reopened once for a correction, and locked again."""
    manager = _user(f"{spec.prefix}-koordinator")
    today = timezone.localdate()
    periods = list(project.periods.order_by("number"))
    for period in periods:
        ended = period.end < today - timedelta(days=45)
        if period.is_locked or not ended:
            continue
        services.lock_period(actor=manager, period=period)
        counts.locked += 1
        if spec.key == "kyjov" and period.number == 2:
            services.reopen_period(
                actor=manager,
                period=period,
                reason="Oprava data vstupu jedné účastnice po kontrole zprávy (ukázka).",
            )
            services.lock_period(actor=manager, period=period)


def load_demo_monitoring(*, stdout=None) -> dict:
    """Create what is missing of the monitoring demo; returns counts (no new logins)."""

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    counts = _Counts()
    with transaction.atomic():
        for spec in PROJECTS:
            project = _upsert_project(spec, counts)
            funded = _fund(spec, project)
            if spec.participants:
                _participants(spec, project, counts)
            _manual_values(spec, project)
            if spec.key == "vysocina":
                _statistics(project, funded, counts)
            _lock_reported(spec, project, counts)
    say(
        f"  Monitoring demo: {len(PROJECTS)} projects ({counts.projects} created), "
        f"{counts.indicators} indicators, {counts.participants} participants and "
        f"{counts.activities} records of support added, {counts.referrals} referrals, "
        f"{counts.statistics} service statistics, {counts.locked} periods locked now."
    )
    return {
        "logins": [],
        "projects": len(PROJECTS),
        "participants_created": counts.participants,
        "statistics_created": counts.statistics,
    }

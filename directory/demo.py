"""Demo data: the five territories of SEEDS.md with their partners and invented providers.

The territories, projects and partner names are the published facts of the five projects;
everything else (services, capacities, addresses, phone numbers, IČO, the workers' names)
is invented and marked as demo (`is_demo`). `load_demo_data()` is idempotent: it upserts by
stable keys (territory slug, organisation IČO, service (organisation, name), username) and
gives new rows deterministic uuid5 ids, so links to the demo stay valid across reloads.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, TerritoryCoordinator
from catalog.models import AgeGroup, CapacityType, ProvisionForm, ServiceType, TargetGroup
from directory.models import (
    CapacityReport,
    Contact,
    Location,
    Organization,
    RegisteredCapacity,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from directory.services import refresh_service, report_capacity, sync_room, update_statistics
from directory.validators import ico_checksum_ok, ico_with_checksum
from territory.models import Municipality, Territory, distance_km

DEMO_PASSWORD = "spojka-demo"

DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("koordinator", DEMO_PASSWORD, "koordinátor území Kyjovské Slovácko v pohybu"),
    (
        "poskytovatel",
        DEMO_PASSWORD,
        "správce organizace Centrum sociálních služeb města Kyjov, p.o.",
    ),
    ("poskytovatel2", DEMO_PASSWORD, "správce organizace Krok Kyjov, z.ú."),
    ("admin", DEMO_PASSWORD, "správce systému (superuživatel, administrace na /admin/)"),
]

DEMO_NOTE = (
    "Ukázková data pro předvedení Spojky: služby, kapacity, adresy a kontakty jsou smyšlené."
)

# Fixed namespace: the same key always gives the same id, on every machine and every run.
NAMESPACE = uuid.UUID("5d0f6a52-3c1b-4f7e-9a57-0c2f8b1e6d40")


def demo_uuid(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(parts))


# Every one of these must have an active demo service (the portal's tiles and the tests
# rely on it). Services of other types are loaded when the code list has the type.
REQUIRED_TYPE_CODES: tuple[str, ...] = (
    "37",
    *(str(p) for p in range(39, 53)),
    *(str(p) for p in range(54, 61)),
    "60a",
    *(str(p) for p in range(61, 71)),
    "cdz",
    "komunitni-aktivita",
    "fakultativni-cinnost",
    "dluhove-poradenstvi",
    "socialni-prace-obce",
    "ospod",
)


class DemoDataError(Exception):
    """The demo cannot be loaded (code lists missing, a spec names an unknown code)."""


# --------------------------------------------------------------------------------------
# Territories
# --------------------------------------------------------------------------------------

KYJOV, LAZNE_BOHDANEC, TYN = 586307, 574767, 545201
BECOV, BOCHOV, TEPLA = 554995, 555029, 555631
ORP_KYJOV, ORP_PARDUBICE, ORP_TYN = 6210, 5309, 3115  # ORP 6204 is Břeclav, not Kyjov
ORP_KARLOVY_VARY, ORP_MARIANSKE_LAZNE = 4103, 4105
KRAJ_JIHOMORAVSKY, KRAJ_PARDUBICKY, KRAJ_KARLOVARSKY, KRAJ_VYSOCINA = 3115, 3093, 3051, 3107
# Spa towns and the military area within reach of Bečov/Bochov/Teplá that are not part
# of the rural Bečovsko, Bochovsko and Tepelsko.
CESKY_ZAPAD_EXCLUDED = {554961, 554642, 555177}  # Karlovy Vary, Mariánské Lázně, Hradiště


@dataclass(frozen=True, kw_only=True)
class TerritorySpec:
    slug: str
    name: str
    kind: str
    intro: str
    about: str
    contact_name: str = ""
    contact_role: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    contact_hours: str = ""
    is_demo: bool = True


TERRITORIES: list[TerritorySpec] = [
    TerritorySpec(
        slug="kyjovske-slovacko",
        name="Kyjovské Slovácko v pohybu",
        kind="mas",
        intro=(
            "Hledáte pomoc pro sebe nebo blízkého? Virtuální komunitní centrum Kyjovského "
            "Slovácka přehledně ukazuje sociální služby a aktivity partnerů na Kyjovsku: kde "
            "jsou, pro koho jsou a zda mají volné místo."
        ),
        about=(
            "Projekt Budujeme komunitu od úsvitu do úsvitu (registrační číslo "
            "CZ.03.02.01/00/22_008/0000060) realizuje Místní akční skupina Kyjovské Slovácko "
            "v pohybu, z.s., od 1. 1. 2023 do 31. 12. 2025 z Operačního programu Zaměstnanost "
            "plus. Partnery projektu jsou Centrum sociálních služeb města Kyjov, p.o., "
            "Educante, z.s., Krok Kyjov, z.ú., Město Kyjov a Sociálně-psychiatrické centrum "
            "Fénix, o.p.s.\n\n"
            "Projekt je určen lidem se zdravotním nebo mentálním postižením, lidem sociálně "
            "vyloučeným a ohroženým vyloučením, rodičům, dětem a mladým dospělým v nepříznivé "
            "situaci, sociálně znevýhodněným rodinám a seniorům. Reaguje na to, že lidé "
            "obcházejí kvůli poradenství několik organizací, některé i mimo území, že služby "
            "mají málo pracovníků a čekací doby rostou, že přibývá rodin a lidí v krizi a "
            "že lidé trpí sociální izolací.\n\n"
            "Cílem je spolupráce organizací a veřejnosti, virtuální komunitní centrum, které "
            "přehledně představí všechny možnosti sociálních služeb a aktivit partnerů, "
            "mezioborová spolupráce na úrovni obcí a mikroregionů a širší nabídka "
            "fakultativních služeb."
        ),
        contact_name="Jana Ukázková (ukázkové jméno)",
        contact_role="odborná pracovnice virtuálního komunitního centra",
        contact_email="kyjovske-slovacko@example.cz",
        contact_phone="+420 518 000 100",
        contact_hours="po–čt 8:00–15:00, pá 8:00–12:00",
    ),
    TerritorySpec(
        slug="bohdanecsko",
        name="MAS Bohdanečsko",
        kind="mas",
        intro=(
            "Nevíte, kam se obrátit? Specializovaný pracovník MAS Bohdanečsko vás propojí s "
            "vhodnou sociální službou. Tady najdete služby pro Lázně Bohdaneč a okolní obce, "
            "i to, kde mají volné místo."
        ),
        about=(
            "Projekt Akční plán pro OPZ+ MAS Bohdanečsko I. (registrační číslo "
            "CZ.03.02.01/00/22_008/0000024) realizuje MAS Bohdanečsko, z. s., od 1. 1. 2023 "
            "do 31. 12. 2025 (36 měsíců) s rozpočtem 5 184 480 Kč za spolufinancování EU z "
            "OPZ+.\n\n"
            "Klíčovými aktivitami jsou komunitní práce, sociální práce a podpora rodin a "
            "rodinných vazeb, a to v přirozeném prostředí lidí a s jejich účastí.\n\n"
            "Projekt chce vytvořit síť sociálních a návazných služeb s volnou kapacitou "
            "dostupnou pro nové klienty, zlepšit komunikaci mezi obcemi, neziskovými a "
            "dalšími organizacemi, dát obecním sociálním pracovníkům partnera a nabídnout "
            "specializovaného pracovníka, na kterého se lidé obrátí a který je propojí s "
            "vhodnou sociální službou. Komunitní práce podporuje spolupráci generací a "
            "prevenci. Projekt sociální služby doplňuje, nenahrazuje je."
        ),
        contact_name="Petr Vzorový (ukázkové jméno)",
        contact_role="specializovaný pracovník – propojí vás s vhodnou službou",
        contact_email="bohdanecsko@example.cz",
        contact_phone="+420 544 000 100",
        contact_hours="po a st 8:00–16:00, jindy po domluvě i u vás doma",
    ),
    TerritorySpec(
        slug="vltavotynsko",
        name="Komunitní centrum Vltavotýnska",
        kind="mas",
        intro=(
            "Komunitní centrum Vltavotýnska je otevřené všem obyvatelům Týna nad Vltavou a "
            "okolních obcí, a to zdarma. Najdete tu sociální služby, poradenství i setkání, "
            "na kterých společně řešíme, co nás v obcích trápí."
        ),
        about=(
            "Projekt Komunitní centrum Vltavotýnska (registrační číslo "
            "CZ.03.02.01/00/22_008/0000016) realizuje MAS VLTAVA, z.s., od ledna 2023 s "
            "podporou EU. Je zdarma pro všechny občany Vltavotýnska.\n\n"
            "Komunitní práce se věnuje lidem sociálně vyloučeným nebo vyloučením ohroženým "
            "ve venkovském prostředí: sociální, vzdělávací, kulturní a další aktivity.\n\n"
            "Do 31. 12. 2025 má fungovat 1 komunitní centrum, 15 lidí z cílových skupin se má "
            "stát komunitními lídry, kteří garantují některou z aktivit, a má proběhnout 10 "
            "setkání ke společným tématům a problémům. Výsledkem má být prostor, kde komunita "
            "pojmenovává a řeší své potřeby, poradenství a psychosociální podpora, "
            "informovaní a spolupracující starostové, neziskové organizace a zaměstnavatelé "
            "a lepší povědomí o sociálních službách a formách pomoci."
        ),
        contact_name="Lenka Příkladná (ukázkové jméno)",
        contact_role="komunitní pracovnice",
        contact_email="vltavotynsko@example.cz",
        contact_phone="+420 537 000 100",
        contact_hours="út a čt 9:00–17:00",
    ),
    TerritorySpec(
        slug="cesky-zapad",
        name="Český západ – Bečovsko, Bochovsko a Tepelsko",
        kind="mas",
        intro=(
            "Rodiny s dětmi, senioři i kdokoli v těžké situaci na Bečovsku, Bochovsku a "
            "Tepelsku: tady najdete služby, které za vámi přijedou domů, i místa, kam se "
            "můžete obrátit."
        ),
        about=(
            "Projekt Rozšíření služby SASRD a podpora sociální komunitní práce na území "
            "Bečovska, Bochovska a Tepelska (MAS Český západ) běžel od 1. 4. 2019 do 31. 3. "
            "2022 z OPZ, prioritní osy 2, s rozpočtem 2 341 262,50 Kč.\n\n"
            "Rozšířil registrovanou sociálně aktivizační službu pro rodiny s dětmi (§ 65) v "
            "terénní formě na Bochovsko a Bečovsko v Karlovarském kraji a přinesl sem i na "
            "Tepelsko komunitní sociální práci, ve spolupráci s obcemi Bečov a Bochov, které "
            "mohou služby později spolufinancovat. Spolupracuje s orgány sociálně-právní "
            "ochrany dětí, střediskem výchovné péče, školami, policií a středisky volného "
            "času.\n\n"
            "Dílčími cíli jsou lepší rodičovské kompetence, prevence izolace a segregace, "
            "menší závislost na dávkách a lepší dostupnost kvalitních služeb pro rodiny s "
            "dětmi."
        ),
        contact_name="Tomáš Smyšlený (ukázkové jméno)",
        contact_role="komunitní sociální pracovník",
        contact_email="cesky-zapad@example.cz",
        contact_phone="+420 553 000 100",
        contact_hours="po–pá 8:00–15:00, často v terénu – raději zavolejte",
    ),
    TerritorySpec(
        slug="vysocina",
        name="Kraj Vysočina",
        kind="region",
        intro=(
            "Přehled sociálních služeb v síti Kraje Vysočina: azylové domy, domy na půl "
            "cesty, intervenční centrum, sociálně terapeutické dílny, sociální rehabilitace a "
            "další pomoc pro obyvatele celého kraje."
        ),
        about=(
            "Projekt Podpora vybraných sociálních služeb na území Kraje Vysočina, "
            "Individuální projekt IV, běžel od 1. 4. 2016 do 30. 4. 2019 z prostředků EU, "
            "státního rozpočtu a Kraje Vysočina.\n\n"
            "Financoval služby sociální prevence v krajské síti: azylové domy (§ 57), "
            "sociální rehabilitaci (§ 70), sociálně terapeutické dílny (§ 67), domy na půl "
            "cesty (§ 58) a intervenční centra (§ 60a).\n\n"
            "Cílem bylo oslovit sociálním začleňováním a prevencí více lidí, podpořit "
            "krajskou síť služeb a spolupráci poskytovatelů, sledovat množství a kvalitu "
            "sociální práce jako podklad pro financování, metodicky vést poskytovatele a "
            "zlepšit komunikaci mezi poskytovateli a sociálními pracovníky obecních úřadů."
        ),
        contact_name="Eva Modelová (ukázkové jméno)",
        contact_role="koordinátorka sítě sociálních služeb",
        contact_email="vysocina@example.cz",
        contact_phone="+420 567 000 100",
        contact_hours="po–pá 8:00–14:00",
    ),
    TerritorySpec(
        slug="cr",
        name="Celá Česká republika",
        kind="national",
        intro="Sociální služby a další pomoc ze všech území, která používají Spojku.",
        about=(
            "Celostátní přehled: služby všech území na jednom místě. Vyberte si své území, "
            "chcete-li vidět jen pomoc ve svém okolí."
        ),
        is_demo=False,
    ),
]


def territory_municipality_codes(slug: str) -> list[int]:
    """The obce of a demo territory, chosen from the ČSÚ data (see the module docstring)."""
    obce = Municipality.objects.all()
    if slug == "kyjovske-slovacko":
        return list(obce.filter(orp_id=ORP_KYJOV).values_list("code", flat=True))
    if slug == "vltavotynsko":
        return list(obce.filter(orp_id=ORP_TYN).values_list("code", flat=True))
    if slug == "vysocina":
        return list(obce.filter(region_id=KRAJ_VYSOCINA).values_list("code", flat=True))
    if slug == "cr":
        return list(obce.values_list("code", flat=True))
    if slug == "bohdanecsko":
        # Lázně Bohdaneč and the 19 nearest obce of ORP Pardubice (up to about 8 km).
        centre = obce.get(code=LAZNE_BOHDANEC)
        candidates = obce.filter(orp_id=ORP_PARDUBICE).values_list("code", "latitude", "longitude")
        ranked = sorted(
            candidates,
            key=lambda c: (distance_km(centre.latitude, centre.longitude, c[1], c[2]), c[0]),
        )
        return [code for code, _, _ in ranked[:20]]
    if slug == "cesky-zapad":
        # Obce of ORP Karlovy Vary and Mariánské Lázně within 12 km of Bečov, Bochov or Teplá.
        towns = list(
            obce.filter(code__in=[BECOV, BOCHOV, TEPLA]).values_list("latitude", "longitude")
        )
        candidates = obce.filter(orp_id__in=[ORP_KARLOVY_VARY, ORP_MARIANSKE_LAZNE]).exclude(
            code__in=CESKY_ZAPAD_EXCLUDED
        )
        return sorted(
            code
            for code, lat, lon in candidates.values_list("code", "latitude", "longitude")
            if min(distance_km(t[0], t[1], lat, lon) for t in towns) <= 12.0
        )
    raise DemoDataError(f"Neznámé ukázkové území „{slug}“.")


# --------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class OrgSpec:
    key: str  # local key of the spec, also the e-mail/web name
    name: str
    ico7: str  # invented first seven digits; the check digit is computed
    legal_status: str
    description: str
    phone_prefix: str  # "+420 5xx" area of the territory
    alternate_name: str = ""

    @property
    def ico(self) -> str:
        return ico_with_checksum(self.ico7)


def _org(key, name, ico7, legal_status, description, phone_prefix, alternate_name=""):
    return OrgSpec(
        key=key,
        name=name,
        ico7=ico7,
        legal_status=legal_status,
        description=description,
        phone_prefix=phone_prefix,
        alternate_name=alternate_name,
    )


K, B, V, Z, Y = "518", "544", "537", "553", "567"  # phone areas of the five territories

ORGANIZATIONS: list[OrgSpec] = [
    # Kyjovské Slovácko: the project's partners and invented providers.
    _org(
        "css-kyjov",
        "Centrum sociálních služeb města Kyjov, p.o.",
        "9910001",
        "příspěvková organizace",
        "Příspěvková organizace města Kyjova, která pečuje o seniory a lidi se zdravotním "
        "postižením doma i v pobytových zařízeních.",
        K,
        "CSS Kyjov",
    ),
    _org(
        "educante",
        "Educante, z.s.",
        "9910002",
        "spolek",
        "Spolek, který podporuje rodiny s dětmi, děti a mladé lidi na Kyjovsku: dochází do "
        "rodin, provozuje klub pro mládež a rodinnou poradnu.",
        K,
    ),
    _org(
        "krok-kyjov",
        "Krok Kyjov, z.ú.",
        "9910003",
        "ústav",
        "Pomáhá lidem s mentálním a kombinovaným postižením žít co nejsamostatněji: chráněné "
        "bydlení, dílna, sociální rehabilitace a podpora v bydlení.",
        K,
        "Krok Kyjov",
    ),
    _org(
        "mesto-kyjov",
        "Město Kyjov",
        "9910004",
        "obec",
        "Městský úřad Kyjov, odbor sociálních věcí: sociální práce pro občany celého "
        "správního obvodu a sociálně-právní ochrana dětí.",
        K,
    ),
    _org(
        "fenix",
        "Sociálně-psychiatrické centrum Fénix, o.p.s.",
        "9910005",
        "obecně prospěšná společnost",
        "Pomáhá lidem s duševním onemocněním, jejich blízkým a lidem v krizi.",
        K,
        "Fénix",
    ),
    _org(
        "mas-kyjovsko",
        "Místní akční skupina Kyjovské Slovácko v pohybu, z.s.",
        "9910006",
        "spolek",
        "Místní akční skupina, která provozuje virtuální komunitní centrum Kyjovského "
        "Slovácka a propojuje organizace, obce a veřejnost.",
        K,
        "MAS Kyjovské Slovácko v pohybu",
    ),
    _org(
        "asistence-dolnacko",
        "Osobní asistence Dolňácko, o.p.s.",
        "9910007",
        "obecně prospěšná společnost",
        "Osobní asistence pro lidi se zdravotním postižením a seniory v jejich domácnosti i "
        "mimo ni.",
        K,
    ),
    _org(
        "senior-jih",
        "Tísňová linka Senior Jih, z.ú.",
        "9910008",
        "ústav",
        "Tísňová péče pro seniory a lidi se zdravotním postižením v Jihomoravském kraji.",
        K,
    ),
    _org(
        "lecebna-babi-lom",
        "Léčebna Pod Babím lomem, p.o.",
        "9910009",
        "příspěvková organizace",
        "Lůžkové zařízení následné péče se sociálními lůžky pro pacienty, kteří se po léčbě "
        "zatím nemohou vrátit domů.",
        K,
    ),
    _org(
        "na-rovinu",
        "Poradna Na rovinu, z.ú.",
        "9910010",
        "ústav",
        "Dluhová poradna akreditovaná Ministerstvem spravedlnosti.",
        K,
    ),
    _org(
        "znakovka-morava",
        "Znakovka Morava, z.ú.",
        "9910011",
        "ústav",
        "Tlumočení do českého znakového jazyka a přepis mluvené řeči pro neslyšící a nedoslýchavé.",
        K,
    ),
    # Bohdanečsko
    _org(
        "mas-bohdanecsko",
        "MAS Bohdanečsko, z. s.",
        "9910021",
        "spolek",
        "Místní akční skupina Bohdanečska: komunitní práce, podpora rodin a specializovaný "
        "pracovník, který lidi propojí s vhodnou sociální službou.",
        B,
        "MAS Bohdanečsko",
    ),
    _org(
        "mesto-bohdanec",
        "Město Lázně Bohdaneč",
        "9910022",
        "obec",
        "Městský úřad Lázně Bohdaneč: sociální práce pro občany města a okolních obcí.",
        B,
    ),
    _org(
        "ps-bohdanecsko",
        "Pečovatelská služba Bohdanečsko, o.p.s.",
        "9910023",
        "obecně prospěšná společnost",
        "Pečovatelská služba pro seniory a lidi se zdravotním postižením v Lázních Bohdanči "
        "a okolních obcích.",
        B,
    ),
    _org(
        "slunecna-zahrada",
        "Domov Slunečná zahrada, p.o.",
        "9910024",
        "příspěvková organizace",
        "Domov pro seniory a centrum denních služeb v Lázních Bohdanči.",
        B,
    ),
    _org(
        "rana-pece-polabi",
        "Raná péče Polabí, z.ú.",
        "9910025",
        "ústav",
        "Raná péče pro rodiny s malými dětmi s postižením v Pardubickém kraji.",
        B,
    ),
    _org(
        "linka-polabi",
        "Linka důvěry Polabí, z.ú.",
        "9910026",
        "ústav",
        "Nonstop telefonická krizová pomoc.",
        B,
    ),
    _org(
        "rc-bohdanek",
        "Rodinné centrum Bohdánek, z.s.",
        "9910027",
        "spolek",
        "Podpora rodin s dětmi na Bohdanečsku: sociálně aktivizační služba, šatník a "
        "potravinová pomoc.",
        B,
    ),
    _org(
        "pruvodci-polabim",
        "Průvodci Polabím, z.ú.",
        "9910028",
        "ústav",
        "Průvodcovská a předčitatelská služba a klub pro seniory a lidi se zdravotním postižením.",
        B,
    ),
    _org(
        "doleceni-labe",
        "Doléčovací centrum Labe, z.ú.",
        "9910029",
        "ústav",
        "Následná péče pro lidi po léčbě závislosti.",
        B,
    ),
    _org(
        "most-k-lidem",
        "Most k lidem Polabí, z.s.",
        "9910030",
        "spolek",
        "Terénní sociální práce s lidmi ohroženými sociálním vyloučením.",
        B,
    ),
    _org(
        "domaci-pece-bohdanecsko",
        "Domácí péče Bohdanečsko, s.r.o.",
        "9910031",
        "společnost s ručením omezeným",
        "Domácí zdravotní péče na doporučení lékaře.",
        B,
    ),
    # Vltavotýnsko
    _org(
        "mas-vltava",
        "MAS VLTAVA, z.s.",
        "9910041",
        "spolek",
        "Místní akční skupina, která provozuje Komunitní centrum Vltavotýnska.",
        V,
        "MAS VLTAVA",
    ),
    _org(
        "mesto-tyn",
        "Město Týn nad Vltavou",
        "9910042",
        "obec",
        "Městský úřad Týn nad Vltavou: sociální práce a sociálně-právní ochrana dětí pro "
        "celý správní obvod.",
        V,
    ),
    _org(
        "vltavin",
        "Vltavín, o.p.s.",
        "9910043",
        "obecně prospěšná společnost",
        "Týdenní stacionář, domov pro lidi s postižením a klub pro seniory na Vltavotýnsku.",
        V,
    ),
    _org(
        "ps-vltavotynsko",
        "Pečovatelská služba Vltavotýnsko, z.ú.",
        "9910044",
        "ústav",
        "Pečovatelská služba, osobní asistence a odlehčovací služba v Týně nad Vltavou a "
        "okolních obcích.",
        V,
    ),
    _org(
        "klub-pristav",
        "Klub Přístav Týn, z.s.",
        "9910045",
        "spolek",
        "Nízkoprahový klub pro děti a mládež a terénní program na Vltavotýnsku.",
        V,
    ),
    _org(
        "poradna-jizni-cechy",
        "Poradna Jižní Čechy, z.ú.",
        "9910046",
        "ústav",
        "Odborné sociální a dluhové poradenství.",
        V,
    ),
    _org(
        "dobrovolnici-vltavotynska",
        "Dobrovolníci Vltavotýnska, z.s.",
        "9910047",
        "spolek",
        "Dobrovolnické centrum: návštěvy u osamělých seniorů a pomoc v obcích.",
        V,
    ),
    # Český západ
    _org(
        "mas-cesky-zapad",
        "MAS Český západ",
        "9910061",
        "spolek",
        "Místní akční skupina: sociálně aktivizační služba pro rodiny s dětmi a komunitní "
        "sociální práce na Bečovsku, Bochovsku a Tepelsku.",
        Z,
    ),
    _org(
        "mesto-bochov",
        "Město Bochov",
        "9910062",
        "obec",
        "Městský úřad Bochov: sociální práce pro občany města.",
        Z,
    ),
    _org(
        "ps-tepelsko",
        "Pečovatelská služba Tepelsko, o.p.s.",
        "9910063",
        "obecně prospěšná společnost",
        "Pečovatelská služba, tísňová péče a doprava pro seniory na Tepelsku.",
        Z,
    ),
    _org(
        "rana-pece-karlovarsko",
        "Raná péče Karlovarsko, z.ú.",
        "9910064",
        "ústav",
        "Raná péče pro rodiny s malými dětmi s postižením v Karlovarském kraji.",
        Z,
    ),
    _org(
        "tk-slavkovsky-les",
        "Terapeutická komunita Slavkovský les, z.ú.",
        "9910065",
        "ústav",
        "Dlouhodobá léčba závislostí v terapeutické komunitě.",
        Z,
    ),
    _org(
        "poradna-tepelsko",
        "Poradna pro rodinu Tepelsko, z.s.",
        "9910066",
        "spolek",
        "Rodinné, sociální a dluhové poradenství.",
        Z,
    ),
    _org(
        "klub-kotva",
        "Klub Kotva Bochov, z.s.",
        "9910067",
        "spolek",
        "Nízkoprahový klub pro děti a mládež v Bochově.",
        Z,
    ),
    _org(
        "asistence-doupovsko",
        "Asistence Doupovsko, o.p.s.",
        "9910068",
        "obecně prospěšná společnost",
        "Osobní asistence pro děti, dospělé a seniory s postižením.",
        Z,
    ),
    _org(
        "cesta-ven",
        "Cesta ven Karlovarsko, z.s.",
        "9910069",
        "spolek",
        "Terénní programy pro lidi ohrožené sociálním vyloučením.",
        Z,
    ),
    # Kraj Vysočina: providers of the regional network (all invented).
    _org(
        "azylove-domy-vysocina",
        "Azylové domy Vysočina, z.ú.",
        "9910081",
        "ústav",
        "Azylové domy pro ženy a matky s dětmi a pro muže v Kraji Vysočina.",
        Y,
    ),
    _org(
        "most-do-samostatnosti",
        "Most do samostatnosti, z.ú.",
        "9910082",
        "ústav",
        "Dům na půl cesty pro mladé lidi po odchodu z ústavní a pěstounské péče.",
        Y,
    ),
    _org(
        "bezpecny-domov",
        "Bezpečný domov Vysočina, z.ú.",
        "9910083",
        "ústav",
        "Intervenční centrum pro lidi ohrožené domácím násilím.",
        Y,
    ),
    _org(
        "dilny-pod-rokytnou",
        "Dílny Pod Rokytnou, o.p.s.",
        "9910084",
        "obecně prospěšná společnost",
        "Sociálně terapeutická dílna v Třebíči.",
        Y,
    ),
    _org(
        "zelena-louka",
        "Ateliér Zelená louka, z.ú.",
        "9910085",
        "ústav",
        "Sociálně terapeutická dílna se zahradou v Pelhřimově.",
        Y,
    ),
    _org(
        "cesta-k-praci",
        "Cesta k práci Vysočina, z.ú.",
        "9910086",
        "ústav",
        "Sociální rehabilitace a podporované zaměstnání.",
        Y,
    ),
    _org(
        "teple-misto",
        "Teplé místo Jihlava, z.ú.",
        "9910087",
        "ústav",
        "Nízkoprahové denní centrum a noclehárna pro lidi bez domova.",
        Y,
    ),
    _org(
        "prevence-vysocina",
        "Prevence bez hranic Vysočina, z.ú.",
        "9910088",
        "ústav",
        "Kontaktní centrum a terénní programy pro lidi, kteří užívají drogy.",
        Y,
    ),
    _org(
        "linka-vysocina",
        "Linka pomoci Vysočina, z.ú.",
        "9910089",
        "ústav",
        "Nonstop telefonická krizová pomoc.",
        Y,
    ),
    _org(
        "hospic-vysocina",
        "Mobilní hospic Vysočina, z.ú.",
        "9910090",
        "ústav",
        "Domácí hospicová a paliativní péče.",
        Y,
    ),
    _org(
        "dluhova-poradna-vysocina",
        "Dluhová poradna Vysočina, z.ú.",
        "9910091",
        "ústav",
        "Dluhové poradenství akreditované Ministerstvem spravedlnosti.",
        Y,
    ),
]

# --------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """A capacity report `days_ago` days before now."""

    free: int
    waiting: int = 0
    wait_days: int | None = None
    days_ago: int = 1
    note: str = ""


def free(places: int, days_ago: int = 1, note: str = "") -> Report:
    return Report(places, 0, None, days_ago, note)


def full(waiting: int, wait_days: int, days_ago: int = 2) -> Report:
    return Report(0, waiting, wait_days, days_ago, "Kapacita je plná, zapisujeme do pořadníku.")


@dataclass(frozen=True, kw_only=True)
class ServiceSpec:
    org: str
    name: str
    type: str
    place: int  # ČSÚ code of the obec of the (office) location
    street: str
    forms: tuple[str, ...]
    groups: tuple[str, ...]  # target group codes (catalog/data/target_groups.json)
    ages: tuple[str, ...]  # age group codes
    description: str
    eligibility: str
    process: str
    capacity: tuple[tuple[str, str, int], ...] = ()  # (form, capacity type, count)
    hours: str = "office"
    contact: str = "sociální pracovnice"
    areas: tuple[str, ...] = ()  # "orp:6210", "kraj:3107", "obec:586307", "uzemi:<slug>"
    fees: str = ""  # empty: free of charge
    report: Report | None = None
    history: bool = False  # add three older reports
    hidden: bool = False
    site: str = ""  # name of the location; services with the same site share it
    languages: str = "cs"
    is_free: bool | None = None  # None: free unless `fees` says what the client pays

    @property
    def free_of_charge(self) -> bool:
        if self.is_free is not None:
            return self.is_free
        return not self.fees or self.fees.lower().startswith(("zdarma", "služba je zdarma"))

    @property
    def site_name(self) -> str:
        return self.site or self.name


# Target groups (MPSV): 1 děti a mládež 6–26 ohrožené, 4 oběti domácího násilí, 6 oběti
# trestné činnosti, 7 bez přístřeší, 8 mladí po ústavní péči, 10 duševní onemocnění,
# 11 chronické onemocnění, 13 kombinované postižení, 14 mentální postižení, 15 tělesné
# postižení, 16 sluchové postižení, 17 zdravotní postižení, 18 zrakové postižení, 19 v krizi,
# 20 rizikový způsob života, 21 sociálně vyloučené komunity, 22 pachatelé trestné činnosti,
# 23 rodiny s dětmi, 24 senioři, 25 závislosti, 26 pečující osoby.
# Age groups: 1 1–6, 2 7–12, 3 13–15, 4 16–18, 5 19–26, 6 27–64, 7 65–80, 8 80+, 9 bez omezení.
SENIORS = ("6", "7", "8")
ADULTS = ("5", "6")
ADULTS_ALL = ("5", "6", "7", "8")
CHILDREN = ("1", "2", "3", "4")
FAMILIES = ("1", "2", "3", "4", "6")
YOUTH = ("2", "3", "4", "5")
ANY_AGE = ("9",)

HOME_FEES = (
    "Ubytování a strava podle ceníku (kolem 18 000 Kč měsíčně), péči hradíte z příspěvku na "
    "péči. Po zaplacení vám vždy musí zůstat alespoň 15 % vašeho příjmu."
)
CARE_FEES = (
    "Úkony péče 140 Kč za hodinu podle skutečně spotřebovaného času, oběd s dovozem 105 Kč. "
    "Přesný ceník dostanete při jednání o smlouvě."
)

SERVICES: dict[str, list[ServiceSpec]] = {
    "kyjovske-slovacko": [
        ServiceSpec(
            org="css-kyjov",
            name="Pečovatelská služba Kyjov",
            type="40",
            place=KYJOV,
            street="Sadová 1203",
            forms=("ter", "amb"),
            groups=("24", "15", "11", "17"),
            ages=SENIORS,
            description=(
                "Pečovatelky za vámi přijdou domů v Kyjově a okolních obcích a pomohou s tím, "
                "co už sami nezvládnete: s hygienou, oblékáním, úklidem, nákupem nebo dovozem "
                "obědů. Pomoc domluvíme podle vašich potřeb, klidně jen na pár úkonů týdně. "
                "Jezdíme každý den včetně víkendů."
            ),
            eligibility=(
                "Senioři a lidé s chronickým onemocněním nebo zdravotním postižením z Kyjova "
                "a obcí ORP Kyjov, kteří potřebují pomoc druhé osoby."
            ),
            process=(
                "Zavolejte nebo přijďte. Sociální pracovnice se u vás doma domluví, s čím "
                "potřebujete pomoci, a uzavře s vámi smlouvu; služba může začít za pár dní."
            ),
            capacity=(("ter", "klient", 180), ("amb", "klient", 20)),
            hours="care",
            areas=(f"orp:{ORP_KYJOV}",),
            fees=CARE_FEES,
            report=free(4, 1),
            history=True,
            site="Středisko pečovatelské služby Kyjov",
        ),
        ServiceSpec(
            org="css-kyjov",
            name="Domov pro seniory Kyjov",
            type="49",
            place=KYJOV,
            street="Lipová 1095",
            forms=("pob",),
            groups=("24",),
            ages=("7", "8"),
            description=(
                "Trvalý domov s celodenní péčí pro seniory, kteří už ani s pomocí rodiny a "
                "pečovatelek nemohou bydlet doma. Bydlíte v jedno- nebo dvoulůžkovém pokoji, "
                "o zdraví se stará zdravotní sestra a o volný čas aktivizační pracovnice. "
                "Rodina vás může navštěvovat kdykoli."
            ),
            eligibility=(
                "Senioři od 65 let s vysokou potřebou pomoci, obvykle s přiznaným příspěvkem "
                "na péči, z Kyjova a okolí."
            ),
            process=(
                "Podejte žádost o přijetí s vyjádřením praktického lékaře. Sociální "
                "pracovnice vás navštíví doma nebo v nemocnici a zapíše vás do pořadníku; o "
                "pořadí rozhoduje naléhavost, ne datum podání."
            ),
            capacity=(("pob", "luzka", 96),),
            hours="nonstop",
            contact="sociální pracovnice domova",
            fees=HOME_FEES,
            report=full(48, 240, 3),
            history=True,
            site="Domov pro seniory Kyjov",
        ),
        ServiceSpec(
            org="css-kyjov",
            name="Domov se zvláštním režimem Kyjov",
            type="50",
            place=KYJOV,
            street="Lipová 1095",
            forms=("pob",),
            groups=("10", "24"),
            ages=SENIORS,
            description=(
                "Domov s nepřetržitou péčí pro lidi s Alzheimerovou nemocí a jinými typy "
                "demence, kteří potřebují stálý dohled. Oddělení je uzpůsobené tak, aby se "
                "obyvatelé neztratili, a den má pevný, klidný řád. Spolupracujeme s rodinou a "
                "jejími vzpomínkami na život klienta."
            ),
            eligibility="Lidé od 50 let s diagnostikovanou demencí, kteří nemohou být bez dohledu.",
            process=(
                "Žádost s vyjádřením lékaře a neurologa nebo psychiatra podejte v domově. Po "
                "sociálním šetření vás zapíšeme do pořadníku a ozveme se, jakmile se uvolní "
                "místo."
            ),
            capacity=(("pob", "luzka", 40),),
            hours="nonstop",
            contact="sociální pracovnice domova",
            fees=HOME_FEES,
            report=full(22, 300, 6),
            site="Domov pro seniory Kyjov",
        ),
        ServiceSpec(
            org="css-kyjov",
            name="Odlehčovací služba Kyjov",
            type="44",
            place=KYJOV,
            street="Lipová 1095",
            forms=("pob",),
            groups=("24", "17", "13", "26"),
            ages=SENIORS,
            description=(
                "Staráte se o blízkého doma a potřebujete si odpočinout, jít do nemocnice "
                "nebo odjet? Postaráme se o něj na pár dní až tři měsíce. Bude mít pokoj, "
                "jídlo, péči i společnost a vy jistotu, že je v dobrých rukou."
            ),
            eligibility=(
                "Senioři a lidé se zdravotním postižením, o které se jinak stará rodina doma."
            ),
            process=(
                "Termín pobytu si zarezervujte telefonicky co nejdřív, v létě a o Vánocích je "
                "zájem velký. Před nástupem se sejdeme s vámi i s pečujícím."
            ),
            capacity=(("pob", "luzka", 8),),
            hours="nonstop",
            fees="Ubytování, strava a péče podle ceníku, asi 650 Kč za den.",
            report=free(2, 2),
            history=True,
            site="Domov pro seniory Kyjov",
        ),
        ServiceSpec(
            org="css-kyjov",
            name="Denní stacionář Kyjov",
            type="46",
            place=KYJOV,
            street="Komenského 641",
            forms=("amb",),
            groups=("24", "14", "13"),
            ages=ADULTS_ALL,
            description=(
                "Ve všední dny se u nás přes den postaráme o vašeho blízkého, seniora s "
                "demencí nebo dospělého s postižením, zatímco vy jste v práci. Pomůžeme s "
                "hygienou a jídlem, cvičíme paměť, tvoříme a chodíme ven. Ráno si ho můžeme "
                "vyzvednout naším autem."
            ),
            eligibility=(
                "Senioři a dospělí s mentálním nebo kombinovaným postižením, kteří nemohou "
                "být přes den sami doma."
            ),
            process=(
                "Domluvte si návštěvu stacionáře a přijďte na zkušební den zdarma. Pak s vámi "
                "uzavřeme smlouvu a domluvíme dny docházky."
            ),
            capacity=(("amb", "klient", 15),),
            hours="daycare",
            fees="Péče 140 Kč za hodinu, oběd 95 Kč, dovoz z domova a zpět 20 Kč za jízdu.",
            report=free(3, 4),
        ),
        ServiceSpec(
            org="css-kyjov",
            name="Dovoz obědů a drobné služby pro seniory",
            type="fakultativni-cinnost",
            place=KYJOV,
            street="Sadová 1203",
            forms=("ter",),
            groups=("24", "17"),
            ages=("7", "8"),
            description=(
                "K pečovatelské službě nabízíme placené doplňkové služby: dovoz obědů z "
                "městské jídelny, odvoz autem k lékaři nebo na úřad, kadeřnici a pedikúru "
                "přímo u vás doma. Objednat si je můžete i bez smlouvy o pečovatelské službě."
            ),
            eligibility="Senioři a lidé se zdravotním postižením z Kyjova a okolí.",
            process="Objednejte se telefonicky den předem, obědy do 10 hodin na další den.",
            hours="office",
            contact="koordinátorka pečovatelské služby",
            areas=(f"orp:{ORP_KYJOV}",),
            fees=(
                "Dovoz oběda 25 Kč, doprava autem 12 Kč za "
                "kilometr, kadeřnice a pedikúra podle ceníku."
            ),
            site="Středisko pečovatelské služby Kyjov",
        ),
        ServiceSpec(
            org="css-kyjov",
            name="Půjčovna kompenzačních pomůcek Kyjov",
            type="pujcovna-pomucek",
            place=KYJOV,
            street="Sadová 1203",
            forms=("amb",),
            groups=("24", "15", "11", "26"),
            ages=ANY_AGE,
            description=(
                "Když se blízký vrací z nemocnice nebo se mu zhorší chůze, zapůjčíme vám "
                "polohovací postel, invalidní vozík, chodítko, toaletní židli nebo sedačku do "
                "vany. Pomůcku vám ukážeme a poradíme, jak s ní zacházet; na delší dobu "
                "pomůžeme zažádat o pomůcku z pojišťovny."
            ),
            eligibility="Kdokoli z Kyjovska, kdo pomůcku potřebuje pro sebe nebo pro blízkého.",
            process=(
                "Zavolejte, zda je pomůcka volná, a přijďte si ji vyzvednout s občanským "
                "průkazem. Polohovací postel vám můžeme dovézt."
            ),
            hours="office",
            contact="pracovnice půjčovny",
            fees=(
                "Polohovací postel 15 Kč za den, vozík 10 Kč za "
                "den, chodítko 5 Kč za den; vratná záloha 500 Kč."
            ),
            report=free(6, 1, "Volné: 3 polohovací postele, 2 vozíky, 1 chodítko."),
            site="Středisko pečovatelské služby Kyjov",
        ),
        ServiceSpec(
            org="educante",
            name="Sociálně aktivizační služba pro rodiny s dětmi Educante",
            type="65",
            place=KYJOV,
            street="Nerudova 412",
            forms=("ter", "amb"),
            groups=("23",),
            ages=FAMILIES,
            description=(
                "Když si doma nevíte rady s výchovou, dluhy, školou dětí nebo úřady, přijde za "
                "vámi naše pracovnice a budete to řešit spolu. Pomáhá rodičům zvládat "
                "domácnost a rozpočet, doučuje děti a doprovodí vás na úřad či do školy. "
                "Služba je zdarma a bez vašeho souhlasu nikomu nic nehlásíme."
            ),
            eligibility=(
                "Rodiny s dětmi do 18 let z Kyjovska, které se ocitly v situaci, kterou samy "
                "nezvládají."
            ),
            process=(
                "Ozvěte se sami, nebo vás k nám může doporučit škola či OSPOD. Na první "
                "schůzce se domluvíme, co chcete změnit."
            ),
            capacity=(("ter", "klient", 40), ("amb", "klient", 10)),
            areas=(f"orp:{ORP_KYJOV}",),
            report=free(3, 5),
            history=True,
            site="Educante – rodinné centrum",
        ),
        ServiceSpec(
            org="educante",
            name="Nízkoprahový klub Plac",
            type="62",
            place=KYJOV,
            street="Tyršova 1540",
            forms=("amb", "ter"),
            groups=("1",),
            ages=YOUTH,
            description=(
                "Klub pro děti a mladé od 6 do 26 let, kam můžeš po škole přijít bez zápisu a "
                "zdarma. Můžeš tu být s kamarády, hrát hry, udělat si úkoly a kdykoli si "
                "promluvit s pracovníkem o tom, co tě trápí doma, ve škole nebo ve vztahu. "
                "Nemusíš říkat ani své jméno."
            ),
            eligibility=(
                "Děti a mladí lidé od 6 do 26 let z Kyjova a okolí, kteří to mají doma nebo "
                "ve škole těžké."
            ),
            process="Stačí přijít v otevírací době, pracovníci tě seznámí s pravidly klubu.",
            capacity=(("amb", "klient", 25),),
            hours="club",
            contact="vedoucí klubu",
            areas=(
                "obec:586307",
                "obec:586625",
            ),
            report=free(10, 1),
        ),
        ServiceSpec(
            org="educante",
            name="Rodinná poradna Educante",
            type="37",
            place=KYJOV,
            street="Nerudova 412",
            forms=("amb",),
            groups=("23", "19"),
            ages=("6",),
            description=(
                "Poradna pro rodiče a páry, kteří procházejí rozchodem, řeší péči o děti, "
                "výživné nebo spory v rodině. Sociální pracovnice a psycholožka vám pomohou "
                "zorientovat se, připravit se na jednání s úřady a najít dohodu, která je "
                "dobrá pro děti. Poradenství je zdarma a důvěrné."
            ),
            eligibility="Rodiče, páry a prarodiče z Kyjovska v obtížné rodinné situaci.",
            process=(
                "Objednejte se telefonicky nebo e-mailem. Na první konzultaci se nyní čeká "
                "asi tři týdny, v naléhavé situaci vás vezmeme dřív."
            ),
            capacity=(("amb", "klient", 60),),
            hours="counselling",
            report=full(9, 21, 3),
            site="Educante – rodinné centrum",
        ),
        ServiceSpec(
            org="krok-kyjov",
            name="Chráněné bydlení Krok",
            type="51",
            place=KYJOV,
            street="Havlíčkova 1017",
            forms=("pob",),
            groups=("14", "13"),
            ages=("5", "6", "7"),
            description=(
                "Bydlení v běžných bytech v Kyjově pro dospělé s mentálním postižením, kteří "
                "chtějí žít co nejvíc po svém. Asistent vám pomůže jen s tím, co ještě "
                "nezvládnete: s nákupem, vařením, penězi nebo úřady. Učíte se samostatnosti, "
                "abyste jednou mohli bydlet ve vlastním."
            ),
            eligibility=(
                "Dospělí od 18 let s mentálním nebo kombinovaným postižením, kteří potřebují "
                "pravidelnou, ne nepřetržitou pomoc."
            ),
            process=(
                "Domluvte si nezávaznou návštěvu bytu. Po podání žádosti s vámi sociální "
                "pracovnice probere, co už zvládáte; když není volné místo, zapíšeme vás do "
                "pořadníku."
            ),
            capacity=(("pob", "klient", 12),),
            hours="nonstop",
            fees=(
                "Nájem a služby asi 4 500 Kč měsíčně, jídlo si hradíte sami, podpora "
                "asistentů podle ceníku z příspěvku na péči."
            ),
            report=full(7, 400, 20),
        ),
        ServiceSpec(
            org="krok-kyjov",
            name="Sociálně terapeutická dílna Krok",
            type="67",
            place=KYJOV,
            street="Havlíčkova 1019",
            forms=("amb",),
            groups=("14", "13", "10"),
            ages=ADULTS,
            description=(
                "V dílně si vyzkoušíte pravidelnou práci: keramiku, šití, práci se dřevem "
                "nebo na zahradě. Naučíte se chodit včas, vydržet u práce a spolupracovat, což "
                "pomůže, až budete hledat zaměstnání. Docházíte podle domluvy, klidně jen dva "
                "dny v týdnu."
            ),
            eligibility=(
                "Dospělí s mentálním, kombinovaným nebo duševním postižením, kteří zatím "
                "nenajdou práci na běžném trhu práce."
            ),
            process=(
                "Přijďte se podívat a vyzkoušet si práci na jeden den. Pak s vámi uzavřeme "
                "smlouvu a domluvíme, na čem budete pracovat."
            ),
            capacity=(("amb", "klient", 18),),
            hours="workshop",
            contact="vedoucí dílny",
            fees="Služba je zdarma, platíte jen oběd (75 Kč).",
            report=free(2, 6),
            history=True,
            site="Dílna a centrum Krok",
        ),
        ServiceSpec(
            org="krok-kyjov",
            name="Sociální rehabilitace Krok",
            type="70",
            place=KYJOV,
            street="Havlíčkova 1019",
            forms=("amb", "ter"),
            groups=("14", "13", "17"),
            ages=("4", "5", "6"),
            description=(
                "Pomůžeme vám naučit se to, co k samostatnému životu potřebujete: cestovat "
                "autobusem, hospodařit s penězi, vařit, vyřídit si věci na úřadě nebo najít a "
                "udržet práci. Trénujeme přímo tam, kde to potřebujete: doma, ve městě, v "
                "práci."
            ),
            eligibility="Lidé od 16 let s mentálním nebo kombinovaným postižením z Kyjovska.",
            process=(
                "Zavolejte nebo přijďte i s blízkým. Na první schůzce si řekneme, co chcete "
                "zvládnout, a naplánujeme první kroky."
            ),
            capacity=(("amb", "klient", 15), ("ter", "klient", 15)),
            areas=(f"orp:{ORP_KYJOV}",),
            report=free(3, 48),
            site="Dílna a centrum Krok",
        ),
        ServiceSpec(
            org="krok-kyjov",
            name="Podpora samostatného bydlení Krok",
            type="43",
            place=KYJOV,
            street="Havlíčkova 1019",
            forms=("ter",),
            groups=("14", "10"),
            ages=("5", "6", "7"),
            description=(
                "Bydlíte ve vlastním nebo nájemním bytě, ale občas potřebujete pomoct? "
                "Asistent za vámi přijde domů a pomůže s placením nájmu, nákupem, vařením, "
                "úklidem nebo s dopisy z úřadů. Domluvíte se, kolik hodin týdně podporu "
                "potřebujete."
            ),
            eligibility=(
                "Dospělí s mentálním postižením nebo duševním onemocněním, kteří bydlí sami "
                "nebo s rodinou na Kyjovsku."
            ),
            process=(
                "Ozvěte se telefonicky; sociální pracovnice se s vámi sejde u vás doma a "
                "domluví rozsah podpory."
            ),
            capacity=(("ter", "klient", 10),),
            areas=(f"orp:{ORP_KYJOV}",),
            fees="130 Kč za hodinu podpory podle skutečně spotřebovaného času.",
            report=free(1, 3),
            site="Dílna a centrum Krok",
        ),
        ServiceSpec(
            org="fenix",
            name="Centrum duševního zdraví Kyjov",
            type="cdz",
            place=KYJOV,
            street="Nádražní 1187",
            forms=("amb", "ter"),
            groups=("10",),
            ages=("5", "6", "7"),
            description=(
                "Tým psychiatra, zdravotních sester, psychologa a sociálních pracovníků pomáhá "
                "lidem s vážným duševním onemocněním, jako je schizofrenie nebo bipolární "
                "porucha, zvládat nemoc doma a bez opakovaných hospitalizací. Přijdeme i k "
                "vám domů a pomůžeme s léčbou, bydlením, prací i vztahy v rodině. Obrátit se "
                "na nás může i rodina."
            ),
            eligibility="Dospělí s vážným duševním onemocněním z Kyjovska a jejich blízcí.",
            process=(
                "Zavolejte nebo přijďte bez objednání v úterý a čtvrtek dopoledne; doporučení "
                "psychiatra není nutné. Do týdne vás pozveme na první setkání s týmem."
            ),
            hours="office",
            contact="case manažerka",
            areas=(f"orp:{ORP_KYJOV}",),
            fees="Zdravotní péči hradí zdravotní pojišťovna, sociální část je zdarma.",
            is_free=True,
            report=free(5, 2),
            site="Centrum Fénix Kyjov",
        ),
        ServiceSpec(
            org="fenix",
            name="Krizová pomoc Fénix",
            type="60",
            place=KYJOV,
            street="Nádražní 1187",
            forms=("amb", "ter"),
            groups=("19", "4", "6"),
            ages=("4", "5", "6", "7", "8"),
            description=(
                "Když se vám zhroutil svět – po smrti blízkého, rozchodu, násilí nebo ztrátě "
                "práce – můžete k nám přijít bez objednání a bez doporučení. Pomůžeme vám "
                "zvládnout nejtěžší chvíle, najít, o koho se opřít, a naplánovat další kroky. "
                "Pomoc je krátkodobá, zdarma a můžete zůstat v anonymitě."
            ),
            eligibility="Lidé od 16 let v akutní krizi, kterou nezvládají vlastními silami.",
            process=(
                "Přijďte v otevírací době nebo zavolejte; v naléhavém případě přijedeme i k "
                "vám domů. Mimo provozní dobu volejte linku první psychické pomoci 116 123."
            ),
            capacity=(("amb", "interv", 900), ("ter", "interv", 300)),
            contact="krizová interventka",
            areas=(f"orp:{ORP_KYJOV}",),
            report=free(2, 0),
            site="Centrum Fénix Kyjov",
        ),
        ServiceSpec(
            org="fenix",
            name="Svépomocná skupina pro blízké lidí s duševním onemocněním",
            type="svepomocna-skupina",
            place=KYJOV,
            street="Nádražní 1187",
            forms=("amb",),
            groups=("26", "10"),
            ages=("6", "7"),
            description=(
                "Jednou za čtrnáct dní se scházejí rodiče, partneři a sourozenci lidí s "
                "duševní nemocí. Sdílíme zkušenosti, co pomáhá a co ne, a víme, že v tom "
                "nejsme sami. Skupinu provází zkušená sociální pracovnice."
            ),
            eligibility="Blízcí lidí s duševním onemocněním z Kyjovska i širšího okolí.",
            process="Stačí přijít; chcete-li, zavolejte předem a řekneme vám, co vás čeká.",
            hours="group",
            contact="průvodkyně skupiny",
            site="Centrum Fénix Kyjov",
        ),
        ServiceSpec(
            org="mesto-kyjov",
            name="Sociální práce Městského úřadu Kyjov",
            type="socialni-prace-obce",
            place=KYJOV,
            street="Komenského 50",
            forms=("amb", "ter"),
            groups=("19", "21", "7", "24", "23"),
            ages=ANY_AGE,
            description=(
                "Sociální pracovnice městského úřadu pomůže každému občanovi Kyjova a obcí "
                "správního obvodu, který se ocitl v nepříznivé situaci: při ztrátě bydlení, "
                "dluzích, nemoci nebo osamělosti. Poradí, na jaké dávky a služby máte nárok, "
                "a pomůže vám se k nim dostat. Může za vámi přijít i domů."
            ),
            eligibility=("Občané Kyjova a obcí ORP Kyjov v jakékoli nepříznivé sociální situaci."),
            process=(
                "Přijďte v úřední dny bez objednání, nebo zavolejte a domluvte si schůzku jindy."
            ),
            hours="municipal",
            contact="sociální pracovnice odboru sociálních věcí",
            areas=(f"orp:{ORP_KYJOV}",),
            site="Městský úřad Kyjov, odbor sociálních věcí",
        ),
        ServiceSpec(
            org="mesto-kyjov",
            name="Sociálně-právní ochrana dětí Kyjov",
            type="ospod",
            place=KYJOV,
            street="Komenského 50",
            forms=("amb", "ter"),
            groups=("23", "1"),
            ages=CHILDREN,
            description=(
                "Oddělení sociálně-právní ochrany dětí pomáhá rodičům a dětem, když se rodiče "
                "rozcházejí a řeší péči o děti a výživné, když je dítě ohrožené nebo když "
                "rodina potřebuje pomoc s výchovou. Obrátit se na nás může i samo dítě."
            ),
            eligibility="Rodiny s dětmi a děti z Kyjova a obcí ORP Kyjov.",
            process=(
                "Přijďte v úřední dny nebo zavolejte. Je-li dítě v ohrožení, jednáme okamžitě."
            ),
            hours="municipal",
            contact="pracovnice OSPOD",
            areas=(f"orp:{ORP_KYJOV}",),
            site="Městský úřad Kyjov, odbor sociálních věcí",
        ),
        ServiceSpec(
            org="mas-kyjovsko",
            name="Virtuální komunitní centrum – setkání v obcích",
            type="komunitni-aktivita",
            place=KYJOV,
            street="Husova 150",
            forms=("amb",),
            groups=("24", "23", "17", "21"),
            ages=ANY_AGE,
            description=(
                "Každý měsíc pořádáme v obcích Kyjovského Slovácka setkání, kde se potkávají "
                "senioři, rodiny, lidé s postižením i zástupci organizací a obcí. Povídáme si "
                "o tom, co v obci chybí, představujeme pomoc, která je blízko, a domlouváme "
                "společné akce. Přijít může každý, je to zdarma."
            ),
            eligibility="Všichni obyvatelé Kyjovska.",
            process=(
                "Termíny najdete v kalendáři akcí; stačí přijít. Chcete-li poradit, kam se "
                "obrátit, napište nebo zavolejte odborné pracovnici centra."
            ),
            hours="community",
            contact="odborná pracovnice komunitního centra",
            areas=("uzemi:kyjovske-slovacko",),
        ),
        ServiceSpec(
            org="asistence-dolnacko",
            name="Osobní asistence Dolňácko",
            type="39",
            place=586765,  # Vracov
            street="Školní 612",
            forms=("ter",),
            groups=("15", "13", "14", "24"),
            ages=("2", "3", "4", "5", "6", "7", "8"),
            description=(
                "Osobní asistent vám pomůže tam, kde to potřebujete: doma, ve škole, v práci, "
                "u lékaře nebo na výletě. Pomáhá s hygienou, jídlem, oblékáním, domácností i "
                "cestováním, abyste mohli žít po svém. Asistenci poskytujeme každý den od "
                "rána do večera, i o víkendu."
            ),
            eligibility=(
                "Děti od 7 let, dospělí a senioři s tělesným, mentálním nebo kombinovaným "
                "postižením z Kyjovska a Vracovska."
            ),
            process=(
                "Zavolejte koordinátorce; přijede k vám, domluví rozsah pomoci a vybere "
                "asistenta. Pro nové klienty máme pořadník, čeká se asi dva měsíce."
            ),
            capacity=(("ter", "klient", 35),),
            hours="assist",
            contact="koordinátorka asistence",
            areas=(f"orp:{ORP_KYJOV}",),
            fees="150 Kč za hodinu asistence, cestu asistenta neplatíte.",
            report=full(6, 60, 8),
        ),
        ServiceSpec(
            org="senior-jih",
            name="Tísňová péče Senior Jih",
            type="41",
            place=KYJOV,
            street="Jiráskova 1344",
            forms=("ter",),
            groups=("24", "17", "11"),
            ages=SENIORS,
            description=(
                "Žijete sami a bojíte se, že se vám doma něco stane? Dostanete tísňové "
                "tlačítko na ruku nebo na krk; když spadnete nebo vám bude zle, stiskem "
                "přivoláte dispečink, který je na příjmu nonstop. Dispečer s vámi hned mluví "
                "a podle situace pošle souseda, rodinu nebo záchranku."
            ),
            eligibility=(
                "Senioři a lidé s chronickým onemocněním nebo postižením, kteří bydlí sami, "
                "v celém Jihomoravském kraji."
            ),
            process=(
                "Zavolejte nám; technik k vám přijede, zařízení nainstaluje a vyzkoušíte si "
                "ho. Smlouvu můžete kdykoli vypovědět."
            ),
            capacity=(("ter", "klient", 300),),
            hours="nonstop",
            contact="dispečink",
            areas=(f"kraj:{KRAJ_JIHOMORAVSKY}",),
            fees="Měsíční paušál 390 Kč, zapůjčení tísňového tlačítka v ceně.",
        ),
        ServiceSpec(
            org="lecebna-babi-lom",
            name="Sociální lůžka Léčebny Pod Babím lomem",
            type="52",
            place=KYJOV,
            street="Zahradní 1247",
            forms=("pob",),
            groups=("24", "11"),
            ages=SENIORS,
            description=(
                "Když se po léčbě v nemocnici ještě nemůžete vrátit domů a péče doma není "
                "zajištěná, můžete u nás na sociálním lůžku zůstat, než se najde řešení, "
                "obvykle pár týdnů. Sociální pracovnice mezitím s rodinou zajistí další péči: "
                "pečovatelskou službu, domov nebo pomůcky."
            ),
            eligibility=(
                "Pacienti po ukončení léčby, kteří potřebují pomoc druhé osoby a zatím ji "
                "nemají zajištěnou."
            ),
            process=(
                "O přijetí požádá sociální pracovnice nemocnice, kde jste hospitalizovaní; "
                "můžete se na nás obrátit i přímo."
            ),
            capacity=(("pob", "luzka", 12),),
            hours="nonstop",
            fees="Ubytování a strava 380 Kč za den, péče podle výše příspěvku na péči.",
            report=free(1, 1),
        ),
        ServiceSpec(
            org="na-rovinu",
            name="Dluhová poradna Na rovinu",
            type="dluhove-poradenstvi",
            place=KYJOV,
            street="Tylova 70",
            forms=("amb", "ter"),
            groups=("19", "21", "20"),
            ages=("5", "6", "7"),
            description=(
                "Máte dluhy, exekuce nebo vám chodí dopisy, kterým nerozumíte? Pomůžeme "
                "sepsat přehled dluhů, jednat s věřiteli a exekutory a bezplatně podat návrh "
                "na oddlužení. Nic za to neplatíte – pozor na firmy, které si za oddlužení "
                "účtují peníze."
            ),
            eligibility="Každý, kdo má problém s dluhy, z Kyjovska a okolí.",
            process=(
                "Objednejte se telefonicky a na první schůzku přineste dopisy od věřitelů, "
                "exekuční příkazy a smlouvy. Na schůzku se teď čeká asi dva týdny."
            ),
            hours="counselling",
            contact="dluhová poradkyně",
            areas=(f"orp:{ORP_KYJOV}",),
            report=full(5, 14, 2),
        ),
        ServiceSpec(
            org="znakovka-morava",
            name="Tlumočení do znakového jazyka Znakovka",
            type="56",
            place=KYJOV,
            street="Sokolská 905",
            forms=("ter", "amb"),
            groups=("16",),
            ages=("3", "4", "5", "6", "7", "8"),
            description=(
                "Tlumočnice českého znakového jazyka nebo přepisovatelka vás doprovodí k "
                "lékaři, na úřad, do školy nebo na pohovor a postará se, abyste všemu "
                "rozuměli. Tlumočit umíme i na dálku přes videohovor. Služba je zdarma."
            ),
            eligibility="Neslyšící a nedoslýchaví lidé od 13 let z Jihomoravského kraje.",
            process=(
                "Tlumočení si objednejte SMS, e-mailem nebo videohovorem aspoň tři dny "
                "předem; v akutních případech zkusíme tlumočníka zajistit hned."
            ),
            capacity=(("ter", "klient", 60), ("amb", "klient", 20)),
            contact="dispečerka tlumočení",
            areas=(f"kraj:{KRAJ_JIHOMORAVSKY}",),
            report=free(5, 12),
        ),
    ],
    "bohdanecsko": [
        ServiceSpec(
            org="mas-bohdanecsko",
            name="Komunitní práce a mezigenerační setkávání",
            type="komunitni-aktivita",
            place=LAZNE_BOHDANEC,
            street="Kostelní 21",
            forms=("amb",),
            groups=("24", "23", "21"),
            ages=ANY_AGE,
            description=(
                "Komunitní pracovnice MAS pořádá v obcích Bohdanečska setkání, kde se "
                "potkávají senioři, rodiče s dětmi i mladí: společné vaření, dílny, výlety a "
                "besedy o tom, co obec potřebuje. Společně vymýšlíme a děláme věci, které v "
                "obci chybí. Vstup je zdarma a přijít může každý."
            ),
            eligibility="Všichni obyvatelé Lázní Bohdanče a okolních obcí.",
            process=(
                "Program najdete v kalendáři akcí a na vývěskách obcí; stačí přijít. Máte "
                "nápad na setkání? Ozvěte se komunitní pracovnici."
            ),
            hours="community",
            contact="komunitní pracovnice",
            areas=("uzemi:bohdanecsko",),
            site="Kancelář MAS Bohdanečsko",
        ),
        ServiceSpec(
            org="mas-bohdanecsko",
            name="Kluby pro rodiče s malými dětmi",
            type="komunitni-aktivita",
            place=575593,  # Rybitví
            street="Školní 120",
            forms=("amb",),
            groups=("23",),
            ages=("1", "2", "6"),
            description=(
                "Dopolední kluby pro rodiče na rodičovské s malými dětmi: děti si hrají, "
                "rodiče si popovídají a vymění zkušenosti. Občas pozveme porodní asistentku, "
                "logopedku nebo sociální pracovnici, která poradí s dávkami a úřady. Kluby "
                "se střídají v Rybitví, Lázních Bohdanči a Živanicích."
            ),
            eligibility="Rodiče s dětmi do 6 let z Bohdanečska.",
            process="Stačí přijít, klub je zdarma. Pozvánky najdete v kalendáři akcí.",
            hours="kids-club",
            contact="komunitní pracovnice",
            areas=("uzemi:bohdanecsko",),
        ),
        ServiceSpec(
            org="mesto-bohdanec",
            name="Sociální práce Městského úřadu Lázně Bohdaneč",
            type="socialni-prace-obce",
            place=LAZNE_BOHDANEC,
            street="Husova 42",
            forms=("amb", "ter"),
            groups=("19", "24", "21", "7"),
            ages=ANY_AGE,
            description=(
                "Sociální pracovnice města vám poradí, když nevíte kudy kam: při problémech s "
                "bydlením, penězi, péčí o blízkého nebo v osamělosti. Pomůže s žádostmi o "
                "dávky a příspěvek na péči a najde s vámi vhodnou sociální službu. Přijde za "
                "vámi i domů."
            ),
            eligibility=(
                "Občané Lázní Bohdanče a obcí, pro které je městský úřad pověřeným obecním úřadem."
            ),
            process="Přijďte v úřední dny, nebo si zavolejte o schůzku jindy, i u vás doma.",
            hours="municipal",
            areas=("uzemi:bohdanecsko",),
        ),
        ServiceSpec(
            org="ps-bohdanecsko",
            name="Pečovatelská služba Bohdanečsko",
            type="40",
            place=LAZNE_BOHDANEC,
            street="Zahradní 455",
            forms=("ter",),
            groups=("24", "17"),
            ages=SENIORS,
            description=(
                "Pečovatelky přijíždějí do domácností v Lázních Bohdanči a okolních obcích a "
                "pomáhají s hygienou, oblékáním, úklidem, nákupy, léky a obědy. Díky tomu "
                "můžete i ve vyšším věku zůstat doma. Máme volnou kapacitu a umíme začít do "
                "týdne."
            ),
            eligibility=(
                "Senioři a lidé se zdravotním postižením nebo chronickým onemocněním z Bohdanečska."
            ),
            process=(
                "Zavolejte nebo napište; koordinátorka se u vás zastaví, domluví rozsah "
                "pomoci a připraví smlouvu."
            ),
            capacity=(("ter", "klient", 70),),
            hours="care",
            contact="koordinátorka pečovatelské služby",
            areas=("uzemi:bohdanecsko",),
            fees="Úkony péče 135 Kč za hodinu, dovoz oběda 30 Kč. Ceník vám rádi pošleme.",
            report=free(6, 2),
            history=True,
        ),
        ServiceSpec(
            org="slunecna-zahrada",
            name="Domov pro seniory Slunečná zahrada",
            type="49",
            place=LAZNE_BOHDANEC,
            street="Lázeňská 300",
            forms=("pob",),
            groups=("24",),
            ages=("7", "8"),
            description=(
                "Domov s nepřetržitou péčí pro seniory, kteří už nemohou bydlet doma. Pokoje "
                "jsou jedno- a dvoulůžkové s vlastní koupelnou, domov má velkou zahradu a "
                "kavárnu, kam chodí i lidé z města. Společně slavíme svátky, cvičíme, "
                "zpíváme a jezdíme na výlety."
            ),
            eligibility=(
                "Senioři od 65 let, kteří potřebují pravidelnou pomoc druhé osoby a doma ji "
                "nelze zajistit."
            ),
            process=(
                "Žádost o přijetí s vyjádřením lékaře podejte osobně, poštou nebo e-mailem. "
                "Sociální pracovnice vás navštíví a zapíše do pořadníku."
            ),
            capacity=(("pob", "luzka", 60),),
            hours="nonstop",
            fees=HOME_FEES,
            report=full(31, 180, 5),
            site="Domov Slunečná zahrada",
        ),
        ServiceSpec(
            org="slunecna-zahrada",
            name="Centrum denních služeb Slunečná zahrada",
            type="45",
            place=LAZNE_BOHDANEC,
            street="Lázeňská 300",
            forms=("amb",),
            groups=("24", "17"),
            ages=SENIORS,
            description=(
                "Ve všední dny můžete trávit den v domově mezi lidmi: dostanete oběd a pomoc "
                "s koupáním, trénujeme paměť, cvičíme a tvoříme. Večer jste zase doma. Je to "
                "dobrá možnost pro seniory, kteří jsou přes den sami, a úleva pro pečující "
                "rodinu."
            ),
            eligibility=(
                "Senioři a dospělí se zdravotním postižením z Bohdanečska, kteří mohou spát doma."
            ),
            process="Přijďte se podívat na den zdarma; pak se domluvíme, kolik dní budete chodit.",
            capacity=(("amb", "klient", 12),),
            hours="daycare",
            fees="Pobyt 60 Kč za den, oběd 90 Kč, pomoc s hygienou 135 Kč za hodinu.",
            report=free(4, 3),
            site="Domov Slunečná zahrada",
        ),
        ServiceSpec(
            org="rana-pece-polabi",
            name="Raná péče Polabí",
            type="54",
            place=LAZNE_BOHDANEC,
            street="Pardubická 88",
            forms=("ter",),
            groups=("23", "13", "15", "14", "18"),
            ages=("1",),
            description=(
                "Poradkyně rané péče jezdí do rodin s dětmi do 7 let, které mají postižení, "
                "narodily se předčasně nebo se vyvíjejí opožděně. Pomůže vám porozumět "
                "vývoji dítěte, vybere hračky a pomůcky, poradí s příspěvky a doprovodí vás k "
                "lékařům. Přijede za vámi domů a služba je zdarma."
            ),
            eligibility=(
                "Rodiny s dítětem od narození do 7 let s postižením nebo ohroženým vývojem z "
                "Pardubického kraje."
            ),
            process=(
                "Zavolejte nebo napište; do dvou týdnů vás poradkyně navštíví a domluvíte se "
                "na spolupráci."
            ),
            capacity=(("ter", "klient", 45),),
            contact="poradkyně rané péče",
            areas=(f"kraj:{KRAJ_PARDUBICKY}",),
            report=free(2, 8),
        ),
        ServiceSpec(
            org="linka-polabi",
            name="Linka důvěry Polabí",
            type="55",
            place=LAZNE_BOHDANEC,
            street="Sokolská 23",
            forms=("ter",),
            groups=("19", "4", "20", "1"),
            ages=ANY_AGE,
            description=(
                "Zavolejte, když jste v tísni, máte strach, jste sami nebo nevíte, jak dál. "
                "Vyškolení konzultanti vás vyslechnou, pomohou vám zorientovat se a najít "
                "další pomoc. Linka je anonymní, zdarma a na příjmu ve dne i v noci."
            ),
            eligibility="Kdokoli v krizi nebo v obtížné situaci, bez ohledu na věk.",
            process="Stačí zavolat, kdykoli. Nemusíte říkat své jméno; můžete i psát e-mail.",
            capacity=(("ter", "hovor", 6000),),
            hours="nonstop",
            contact="konzultant linky",
            areas=(f"kraj:{KRAJ_PARDUBICKY}",),
            languages="cs,sk",
        ),
        ServiceSpec(
            org="rc-bohdanek",
            name="Sociálně aktivizační služba pro rodiny Bohdánek",
            type="65",
            place=LAZNE_BOHDANEC,
            street="Tyršova 88",
            forms=("ter", "amb"),
            groups=("23",),
            ages=FAMILIES,
            description=(
                "Pracovnice za vámi dochází domů a pomáhá, když rodina prochází těžkým "
                "obdobím: dluhy, hrozící ztráta bydlení, problémy dětí ve škole nebo obavy z "
                "odebrání dětí. Společně sestavíte rozpočet, domluvíte se se školou a úřady a "
                "posílíte to, co vám jako rodičům jde. Služba je zdarma."
            ),
            eligibility=(
                "Rodiny s dětmi z Lázní Bohdanče a okolních obcí, kterým hrozí, že situaci "
                "samy nezvládnou."
            ),
            process=(
                "Ozvěte se sami nebo přes sociální pracovnici obce či OSPOD. Na první schůzce "
                "si řekneme, s čím potřebujete pomoci."
            ),
            capacity=(("ter", "klient", 25), ("amb", "klient", 5)),
            areas=("uzemi:bohdanecsko",),
            report=free(2, 4),
            history=True,
            site="Rodinné centrum Bohdánek",
        ),
        ServiceSpec(
            org="rc-bohdanek",
            name="Potravinová pomoc a šatník Bohdánek",
            type="potravinova-pomoc",
            place=LAZNE_BOHDANEC,
            street="Tyršova 88",
            forms=("amb",),
            groups=("23", "19", "24", "7"),
            ages=ANY_AGE,
            description=(
                "Když vám nezbývá na jídlo nebo oblečení, dostanete u nás potravinový "
                "balíček z potravinové banky a v šatníku oblečení a věci pro děti. Pomůžeme "
                "vám také zjistit, na jakou dávku můžete mít nárok."
            ),
            eligibility="Rodiny a jednotlivci z Bohdanečska v akutní finanční tísni.",
            process=(
                "Přijďte ve středu odpoledne. Potraviny vydáváme na doporučení sociální "
                "pracovnice obce nebo po krátkém rozhovoru s naší pracovnicí."
            ),
            hours="pantry",
            contact="koordinátorka šatníku",
            site="Rodinné centrum Bohdánek",
        ),
        ServiceSpec(
            org="pruvodci-polabim",
            name="Průvodcovská a předčitatelská služba Polabí",
            type="42",
            place=576051,  # Živanice
            street="Hlavní 31",
            forms=("ter",),
            groups=("18", "24", "15"),
            ages=SENIORS,
            description=(
                "Průvodce vás doprovodí k lékaři, na úřad, do banky, na nákup nebo na "
                "kulturní akci, když to kvůli zhoršenému zraku, chůzi nebo věku sami "
                "nezvládnete. Předčitatel vám přečte dopisy, smlouvy a úřední listiny a "
                "pomůže je vyřídit."
            ),
            eligibility="Senioři a lidé se zrakovým nebo tělesným postižením z ORP Pardubice.",
            process="Doprovod si objednejte telefonicky alespoň dva dny předem.",
            capacity=(("ter", "klient", 30),),
            contact="koordinátor průvodců",
            areas=(f"orp:{ORP_PARDUBICE}",),
            fees="120 Kč za hodinu doprovodu, cestovné průvodce neplatíte.",
            report=free(5, 10),
            site="Průvodci Polabím – Živanice",
        ),
        ServiceSpec(
            org="pruvodci-polabim",
            name="Seniorklub Polabí",
            type="66",
            place=576051,
            street="Hlavní 31",
            forms=("amb", "ter"),
            groups=("24", "17"),
            ages=("7", "8"),
            description=(
                "Klub pro seniory a lidi se zdravotním postižením, kde se nebudete nudit: "
                "trénink paměti, cvičení na židlích, kurzy mobilu a počítače, výlety a "
                "besedy. Pomůžeme vám i s vyřizováním věcí na úřadech. Přijďte mezi lidi."
            ),
            eligibility="Senioři a dospělí se zdravotním postižením z Bohdanečska a okolí.",
            process=(
                "Přijďte na kterékoli setkání; při dalších návštěvách s vámi sepíšeme "
                "jednoduchou smlouvu."
            ),
            capacity=(("amb", "klient", 30),),
            hours="senior-club",
            contact="aktivizační pracovnice",
            areas=("uzemi:bohdanecsko",),
            report=free(8, 6),
            site="Průvodci Polabím – Živanice",
        ),
        ServiceSpec(
            org="doleceni-labe",
            name="Doléčovací centrum Labe",
            type="64",
            place=LAZNE_BOHDANEC,
            street="U Lesa 5",
            forms=("amb", "pob"),
            groups=("25", "10"),
            ages=ADULTS,
            description=(
                "Po léčbě závislosti vám pomůžeme udržet abstinenci a vrátit se do běžného "
                "života: skupinová a individuální terapie, podpora při hledání práce a "
                "bydlení a tréninkové bydlení na několik měsíců. Jsme s vámi i ve chvílích, "
                "kdy hrozí recidiva."
            ),
            eligibility=(
                "Dospělí po léčbě závislosti na alkoholu, drogách nebo hazardu, kteří chtějí "
                "abstinovat."
            ),
            process=(
                "Zavolejte a domluvte si vstupní rozhovor, ideálně ještě během léčby. Do "
                "tréninkového bydlení se čeká podle obsazenosti."
            ),
            capacity=(("amb", "klient", 25), ("pob", "luzka", 6)),
            contact="terapeut",
            fees="Ambulantní část zdarma, tréninkové bydlení 2 500 Kč měsíčně.",
            report=free(1, 15),
        ),
        ServiceSpec(
            org="most-k-lidem",
            name="Terénní program Bohdanečsko",
            type="69",
            place=575593,  # Rybitví
            street="Sportovní 7",
            forms=("ter",),
            groups=("21", "20", "7", "25"),
            ages=("4", "5", "6", "7"),
            description=(
                "Terénní pracovníci vás vyhledají tam, kde jste – na ubytovně, v bytě nebo na "
                "ulici – a pomohou, když hrozí ztráta bydlení, máte dluhy nebo nevíte, na "
                "koho se obrátit. Pomůžeme s doklady, dávkami, hledáním práce a bydlení a "
                "doprovodíme vás na úřad. Anonymně a zdarma."
            ),
            eligibility=(
                "Lidé na ubytovnách, v nevyhovujícím bydlení nebo bez domova a lidé ohrožení "
                "sociálním vyloučením na Bohdanečsku."
            ),
            process=(
                "Pracovníky potkáte v obcích podle rozpisu, nebo jim zavolejte a domluvte si "
                "setkání."
            ),
            capacity=(("ter", "kontakt", 1500),),
            hours="field",
            contact="terénní pracovník",
            areas=("uzemi:bohdanecsko",),
            report=free(6, 5),
        ),
        ServiceSpec(
            org="domaci-pece-bohdanecsko",
            name="Domácí zdravotní péče Bohdanečsko",
            type="zdravotni-pece-doma",
            place=LAZNE_BOHDANEC,
            street="Palackého 210",
            forms=("ter",),
            groups=("11", "24"),
            ages=ANY_AGE,
            description=(
                "Zdravotní sestry za vámi přijdou domů na doporučení praktického lékaře nebo "
                "nemocnice: převazy, injekce, inzulin, odběry krve, péče o stomii a "
                "proleženiny. Naučí i rodinu, jak o nemocného pečovat."
            ),
            eligibility="Pacienti z Bohdanečska, kterým lékař domácí péči předepíše.",
            process=(
                "Požádejte praktického lékaře nebo lékaře v nemocnici o poukaz na domácí péči "
                "a zavolejte nám; první návštěvu domluvíme obvykle do dvou dnů."
            ),
            hours="care",
            contact="vrchní sestra",
            areas=("uzemi:bohdanecsko",),
            fees="Hradí zdravotní pojišťovna na doporučení lékaře.",
            is_free=True,
            report=free(3, 2),
        ),
    ],
    "vltavotynsko": [
        ServiceSpec(
            org="mas-vltava",
            name="Komunitní centrum Vltavotýnska",
            type="komunitni-aktivita",
            place=TYN,
            street="Nábřežní 15",
            forms=("amb",),
            groups=("21", "24", "23", "19"),
            ages=ANY_AGE,
            description=(
                "Komunitní centrum je otevřené všem obyvatelům Týna nad Vltavou a okolních "
                "obcí, zdarma. Přijďte na kurzy, besedy, společné vaření nebo jen posedět, a "
                "také se poradit o tom, co vás trápí: dluhy, bydlení, práce nebo péče o "
                "blízkého. Komunitní pracovnice vás propojí s vhodnou službou."
            ),
            eligibility=(
                "Všichni obyvatelé Vltavotýnska, zvlášť lidé, kteří se cítí osamělí nebo "
                "ohrožení vyloučením."
            ),
            process="Přijďte v otevírací době nebo zavolejte. Program najdete v kalendáři akcí.",
            hours="community",
            contact="komunitní pracovnice",
            areas=(f"orp:{ORP_TYN}",),
            site="Komunitní centrum Vltavotýnska",
        ),
        ServiceSpec(
            org="mas-vltava",
            name="Setkání ke společným tématům obcí",
            type="komunitni-aktivita",
            place=TYN,
            street="Nábřežní 15",
            forms=("amb",),
            groups=("21", "24", "23"),
            ages=ADULTS_ALL,
            description=(
                "V komunitním centru nebo v některé z obcí se scházejí občané, starostové, "
                "neziskové organizace a zaměstnavatelé a společně probírají, co lidi v obcích "
                "pálí: doprava, bydlení, práce, péče o seniory. Setkání vedou komunitní "
                "lídři z řad místních. Přijďte říct svůj názor."
            ),
            eligibility="Všichni, kdo na Vltavotýnsku žijí nebo pracují.",
            process="Termíny a témata zveřejňujeme v kalendáři akcí a na obecních vývěskách.",
            hours="monthly",
            contact="komunitní pracovnice",
            areas=(f"orp:{ORP_TYN}",),
            site="Komunitní centrum Vltavotýnska",
        ),
        ServiceSpec(
            org="mas-vltava",
            name="Podpůrná skupina pro pečující",
            type="svepomocna-skupina",
            place=TYN,
            street="Nábřežní 15",
            forms=("amb",),
            groups=("26",),
            ages=SENIORS,
            description=(
                "Staráte se doma o rodiče, partnera nebo dítě s postižením? Jednou měsíčně se "
                "scházíme s dalšími pečujícími, sdílíme zkušenosti a tipy a na chvíli si "
                "odpočineme. Na některá setkání zveme odbornici, která poradí s příspěvkem na "
                "péči nebo pomůckami."
            ),
            eligibility="Pečující o blízké z Vltavotýnska.",
            process=(
                "Přijďte bez ohlášení. Nemáte-li kam dát blízkého, zavolejte – pomůžeme najít "
                "odlehčovací službu."
            ),
            hours="group",
            contact="komunitní pracovnice",
            site="Komunitní centrum Vltavotýnska",
        ),
        ServiceSpec(
            org="mesto-tyn",
            name="Sociální práce Městského úřadu Týn nad Vltavou",
            type="socialni-prace-obce",
            place=TYN,
            street="Palackého 2",
            forms=("amb", "ter"),
            groups=("19", "21", "24", "7", "22"),
            ages=ANY_AGE,
            description=(
                "Sociální pracovníci městského úřadu pomáhají občanům Týna a všech obcí "
                "správního obvodu v tíživé situaci: s bydlením, dluhy, dávkami, péčí o "
                "blízkého nebo po propuštění z vězení. Vysvětlí vám, na co máte nárok, a "
                "pomohou najít vhodnou službu. Umíme přijet i za vámi."
            ),
            eligibility="Občané ORP Týn nad Vltavou.",
            process="Přijďte v úřední dny, v pondělí a ve středu; jindy po telefonické domluvě.",
            hours="municipal",
            areas=(f"orp:{ORP_TYN}",),
            site="Městský úřad Týn nad Vltavou, sociální odbor",
        ),
        ServiceSpec(
            org="mesto-tyn",
            name="Sociálně-právní ochrana dětí Týn nad Vltavou",
            type="ospod",
            place=TYN,
            street="Palackého 2",
            forms=("amb", "ter"),
            groups=("23", "1"),
            ages=CHILDREN,
            description=(
                "Pracovnice OSPOD pomáhají rodinám, kde se rodiče rozcházejí, dítě má "
                "problémy ve škole nebo s chováním, nebo kde je dítě ohrožené. Poradí s "
                "úpravou péče a výživným, doprovázejí děti u soudu a hledají pro rodinu "
                "pomoc. Obrátit se na ně může i dítě samo."
            ),
            eligibility="Děti a rodiny s dětmi z ORP Týn nad Vltavou.",
            process="Přijďte nebo zavolejte v úřední dny; je-li dítě v ohrožení, jednáme hned.",
            hours="municipal",
            contact="pracovnice OSPOD",
            areas=(f"orp:{ORP_TYN}",),
            site="Městský úřad Týn nad Vltavou, sociální odbor",
        ),
        ServiceSpec(
            org="vltavin",
            name="Týdenní stacionář Vltavín",
            type="47",
            place=TYN,
            street="U Vltavy 480",
            forms=("pob",),
            groups=("14", "13"),
            ages=("4", "5", "6"),
            description=(
                "Od pondělí do pátku u nás bydlí mladí a dospělí lidé s mentálním a "
                "kombinovaným postižením, kteří přes týden chodí do školy nebo do dílny; o "
                "víkendu jsou doma s rodinou. Pomáháme s péčí, učíme samostatnosti a "
                "plánujeme volný čas, takže rodiče mohou chodit do práce."
            ),
            eligibility=(
                "Lidé od 16 let s mentálním nebo kombinovaným postižením z Vltavotýnska a okolí."
            ),
            process=(
                "Domluvte si návštěvu; po podání žádosti se sejdeme s vámi i s rodinou a "
                "domluvíme nástup."
            ),
            capacity=(("pob", "luzka", 10),),
            hours="weekly",
            fees="Ubytování a strava 310 Kč za den, péče podle výše příspěvku na péči.",
            report=free(1, 7),
            site="Vltavín Týn nad Vltavou",
        ),
        ServiceSpec(
            org="vltavin",
            name="Domov Vltavín Žimutice",
            type="48",
            place=545384,  # Žimutice
            street="č. p. 55",
            forms=("pob",),
            groups=("14", "13", "15"),
            ages=("5", "6", "7"),
            description=(
                "Domov v klidném prostředí vesnice pro dospělé s mentálním a kombinovaným "
                "postižením, kteří potřebují celodenní péči. Bydlí v malých domácnostech po "
                "šesti lidech, podílejí se na vaření a chodu domácnosti, pracují na zahradě a "
                "jezdí na výlety i do města."
            ),
            eligibility=(
                "Dospělí s mentálním, tělesným nebo kombinovaným postižením, kteří potřebují "
                "trvalou péči."
            ),
            process=(
                "Žádost s lékařskou zprávou podejte poštou nebo osobně. Při obsazenosti vás "
                "zapíšeme do pořadníku; čeká se dlouho, proto pomůžeme hledat i jinou službu."
            ),
            capacity=(("pob", "luzka", 24),),
            hours="nonstop",
            fees=HOME_FEES,
            report=full(12, 540, 38),
        ),
        ServiceSpec(
            org="vltavin",
            name="Aktivizační klub pro seniory Vltavín",
            type="66",
            place=TYN,
            street="U Vltavy 480",
            forms=("amb",),
            groups=("24", "17"),
            ages=("7", "8"),
            description=(
                "Dvakrát týdně se v klubu potkávají senioři z Týna a okolí: trénujeme paměť, "
                "cvičíme, tvoříme, chodíme na procházky a pořádáme besedy. Kdo se sám "
                "nedostane, tomu zajistíme odvoz."
            ),
            eligibility="Senioři a dospělí se zdravotním postižením z Vltavotýnska.",
            process="Přijďte se podívat; odvoz si objednejte den předem.",
            capacity=(("amb", "klient", 20),),
            hours="senior-club",
            contact="aktivizační pracovnice",
            report=free(6, 4),
            site="Vltavín Týn nad Vltavou",
        ),
        ServiceSpec(
            org="ps-vltavotynsko",
            name="Pečovatelská služba Vltavotýnsko",
            type="40",
            place=TYN,
            street="Komenského 690",
            forms=("ter",),
            groups=("24", "17", "11"),
            ages=SENIORS,
            description=(
                "Jezdíme za seniory a lidmi se zdravotním postižením do Týna a všech obcí "
                "Vltavotýnska. Pomůžeme s hygienou, oblékáním, léky, úklidem a nákupem a "
                "dovezeme teplý oběd. Díky naší pomoci můžete zůstat ve svém domě a ve své "
                "obci."
            ),
            eligibility=(
                "Senioři a lidé s chronickým onemocněním nebo postižením z ORP Týn nad Vltavou."
            ),
            process=(
                "Zavolejte; sociální pracovnice k vám přijede a domluvíte se na pomoci. "
                "Obvykle začínáme do týdne."
            ),
            capacity=(("ter", "klient", 90),),
            hours="care",
            areas=(f"orp:{ORP_TYN}",),
            fees=CARE_FEES,
            report=free(3, 1),
            history=True,
            site="Pečovatelská služba Vltavotýnsko",
        ),
        ServiceSpec(
            org="ps-vltavotynsko",
            name="Osobní asistence Vltavotýnsko",
            type="39",
            place=TYN,
            street="Komenského 690",
            forms=("ter",),
            groups=("15", "13", "24"),
            ages=("3", "4", "5", "6", "7", "8"),
            description=(
                "Osobní asistentka vám pomůže doma i mimo domov s tím, co kvůli postižení "
                "nebo věku nezvládnete: s hygienou, jídlem, domácností, cestou k lékaři nebo "
                "do zaměstnání. Čas a rozsah asistence určujete vy."
            ),
            eligibility=(
                "Lidé od 13 let s tělesným nebo kombinovaným postižením a senioři z Vltavotýnska."
            ),
            process=(
                "Zavolejte koordinátorce. Kapacita je plná, zapíšeme vás do pořadníku; čeká "
                "se asi šest týdnů."
            ),
            capacity=(("ter", "klient", 20),),
            hours="assist",
            contact="koordinátorka asistence",
            areas=(f"orp:{ORP_TYN}",),
            fees="145 Kč za hodinu asistence.",
            report=full(4, 45, 9),
            site="Pečovatelská služba Vltavotýnsko",
        ),
        ServiceSpec(
            org="ps-vltavotynsko",
            name="Odlehčovací služba Vltavotýnsko",
            type="44",
            place=TYN,
            street="Komenského 690",
            forms=("ter",),
            groups=("24", "17", "26"),
            ages=SENIORS,
            description=(
                "Potřebujete-li se na pár hodin nebo dní nechat zastoupit v péči o blízkého, "
                "přijde k vám domů naše pečovatelka a postará se o něj. Můžete si zajít k "
                "lékaři, vyřídit si věci nebo si odpočinout."
            ),
            eligibility=(
                "Rodiny, které doma pečují o seniora nebo člověka se zdravotním postižením, "
                "z Vltavotýnska."
            ),
            process=(
                "Domluvte se s námi aspoň týden předem; v naléhavé situaci zkusíme pomoci hned."
            ),
            capacity=(("ter", "klient", 15),),
            hours="care",
            areas=(f"orp:{ORP_TYN}",),
            fees="140 Kč za hodinu.",
            report=free(2, 5),
            site="Pečovatelská služba Vltavotýnsko",
        ),
        ServiceSpec(
            org="klub-pristav",
            name="Nízkoprahový klub Přístav",
            type="62",
            place=TYN,
            street="Vltavská 30",
            forms=("amb", "ter"),
            groups=("1",),
            ages=YOUTH,
            description=(
                "Přístav je klub pro děti a mladé od 6 do 26 let, kde můžeš trávit volný čas "
                "bez zápisu a zdarma: hrát hry, poslouchat hudbu, vařit, učit se nebo si jen "
                "popovídat. Když řešíš problém doma, ve škole nebo s kamarády, pracovníci ti "
                "pomůžou a nikomu nic neřeknou."
            ),
            eligibility="Děti a mladí lidé od 6 do 26 let z Týna nad Vltavou a okolí.",
            process="Přijď v otevírací době, stačí zazvonit.",
            capacity=(("amb", "klient", 30),),
            hours="club",
            contact="vedoucí klubu",
            areas=(
                "obec:545201",
                "obec:545155",
            ),
            report=free(12, 2),
            site="Klub Přístav",
        ),
        ServiceSpec(
            org="klub-pristav",
            name="Terénní program Vltavotýnsko",
            type="69",
            place=TYN,
            street="Vltavská 30",
            forms=("ter",),
            groups=("21", "20", "1", "25"),
            ages=("3", "4", "5", "6"),
            description=(
                "Terénní pracovníci jezdí do obcí Vltavotýnska za lidmi, kteří se ocitli na "
                "okraji: nemají stálé bydlení, mají dluhy, užívají drogy nebo alkohol. "
                "Pomohou s doklady, dávkami, bydlením a prací a doprovodí vás na úřad nebo k "
                "lékaři."
            ),
            eligibility=(
                "Mladí lidé a dospělí ohrožení sociálním vyloučením z ORP Týn nad Vltavou."
            ),
            process="Zavolejte nebo napište SMS; sejdeme se tam, kde vám to vyhovuje.",
            capacity=(("ter", "kontakt", 800),),
            hours="field",
            contact="terénní pracovník",
            areas=(f"orp:{ORP_TYN}",),
            report=free(4, 6),
            site="Klub Přístav",
        ),
        ServiceSpec(
            org="poradna-jizni-cechy",
            name="Dluhová poradna Týn nad Vltavou",
            type="37",
            place=TYN,
            street="Husova 8",
            forms=("amb",),
            groups=("19", "21", "23"),
            ages=ADULTS_ALL,
            description=(
                "Pomůžeme vám zmapovat dluhy a exekuce, jednat s věřiteli a bezplatně podat "
                "návrh na oddlužení. Vysvětlíme, co znamenají dopisy od exekutora a jak "
                "zastavit narůstání dluhů. Každý čtvrtek dojíždíme i do komunitního centra."
            ),
            eligibility="Lidé s dluhy a exekucemi z Vltavotýnska.",
            process=(
                "Objednejte se telefonicky; první schůzka trvá asi hodinu, přineste všechny "
                "dopisy a smlouvy."
            ),
            hours="counselling",
            contact="dluhová poradkyně",
            report=full(7, 10, 4),
            site="Poradna Jižní Čechy – Týn nad Vltavou",
        ),
        ServiceSpec(
            org="poradna-jizni-cechy",
            name="Odborné sociální poradenství Týn nad Vltavou",
            type="37",
            place=TYN,
            street="Husova 8",
            forms=("amb", "ter"),
            groups=("19", "24", "17", "23"),
            ages=ADULTS_ALL,
            description=(
                "Poradíme vám s bydlením, dávkami, příspěvkem na péči, pracovními vztahy nebo "
                "rodinnými spory. Pomůžeme vyplnit žádosti a odvolání a v případě potřeby vás "
                "doprovodíme na úřad. Poradenství je zdarma a důvěrné."
            ),
            eligibility="Každý z Vltavotýnska, kdo se ocitl v obtížné životní situaci.",
            process="Přijďte v otevírací době nebo se objednejte telefonicky.",
            capacity=(("amb", "klient", 120), ("ter", "klient", 30)),
            hours="counselling",
            areas=(f"orp:{ORP_TYN}",),
            report=free(5, 3),
            site="Poradna Jižní Čechy – Týn nad Vltavou",
        ),
        ServiceSpec(
            org="dobrovolnici-vltavotynska",
            name="Dobrovolníci pro osamělé seniory",
            type="dobrovolnictvi",
            place=TYN,
            street="Žižkova 5",
            forms=("ter",),
            groups=("24",),
            ages=("7", "8"),
            description=(
                "Jste sami a chybí vám společnost? Zprostředkujeme vám dobrovolníka, který "
                "vás jednou týdně navštíví, popovídá si s vámi, přečte noviny nebo vás vezme "
                "na procházku. A chcete-li pomáhat sami, přidejte se k nám."
            ),
            eligibility=(
                "Osamělí senioři z Vltavotýnska; dobrovolníkem se může stát každý od 15 let."
            ),
            process=(
                "Zavolejte koordinátorce; navštíví vás a vybere dobrovolníka, který se k vám hodí."
            ),
            contact="koordinátorka dobrovolníků",
            areas=(f"orp:{ORP_TYN}",),
            report=free(4, 11, "Volní dobrovolníci pro Týn a Temelín."),
        ),
    ],
    "cesky-zapad": [
        ServiceSpec(
            org="mas-cesky-zapad",
            name="Komunitní sociální práce na Bečovsku, Bochovsku a Tepelsku",
            type="komunitni-aktivita",
            place=BECOV,
            street="Školní 268",
            forms=("amb", "ter"),
            groups=("21", "23", "24"),
            ages=ANY_AGE,
            description=(
                "Komunitní pracovnice pomáhá obyvatelům Bečova, Bochova, Teplé a okolních "
                "obcí scházet se a společně řešit, co je trápí: chybějící spoje, hřiště pro "
                "děti, osamělost seniorů. Pořádáme sousedská setkání, dílny a besedy se "
                "školami, obcemi a spolky. Přijít může každý."
            ),
            eligibility="Všichni obyvatelé Bečovska, Bochovska a Tepelska.",
            process="Sledujte kalendář akcí nebo zavolejte komunitní pracovnici.",
            hours="community",
            contact="komunitní pracovnice",
            areas=("uzemi:cesky-zapad",),
        ),
        ServiceSpec(
            org="mas-cesky-zapad",
            name="SASRD – podpora rodin s dětmi na Bečovsku a Bochovsku",
            type="65",
            place=BOCHOV,
            street="Okružní 110",
            forms=("ter",),
            groups=("23", "21"),
            ages=FAMILIES,
            description=(
                "Sociální pracovnice dojíždí do rodin s dětmi na Bečovsku, Bochovsku a "
                "Tepelsku. Pomáhá rodičům s výchovou, školní docházkou dětí, hospodařením a "
                "jednáním s úřady, aby děti mohly zůstat doma a rodina se postavila na "
                "vlastní nohy. Spolupracujeme se školami a OSPOD, ale nic neděláme bez vás."
            ),
            eligibility=(
                "Rodiny s dětmi do 18 let z Bečovska, Bochovska a Tepelska v obtížném období."
            ),
            process=(
                "Zavolejte nám, nebo požádejte školu či OSPOD, aby vás k nám doporučili. "
                "Přijedeme za vámi domů."
            ),
            capacity=(("ter", "klient", 20),),
            areas=("uzemi:cesky-zapad",),
            report=free(2, 3),
            history=True,
        ),
        ServiceSpec(
            org="mesto-bochov",
            name="Sociální práce Městského úřadu Bochov",
            type="socialni-prace-obce",
            place=BOCHOV,
            street="Okružní 1",
            forms=("amb",),
            groups=("19", "24", "21"),
            ages=ANY_AGE,
            description=(
                "Sociální pracovnice města Bochov pomáhá občanům, kteří se dostali do "
                "nesnází: poradí s dávkami, bydlením, dluhy i s hledáním pomoci pro blízké. "
                "Spolupracuje s OSPOD a sociálními službami v Karlových Varech a pomůže vám "
                "se k nim dostat."
            ),
            eligibility="Občané Bochova a jeho místních částí.",
            process="Přijďte v úřední dny, v pondělí a ve středu, nebo zavolejte.",
            hours="municipal",
        ),
        ServiceSpec(
            org="ps-tepelsko",
            name="Pečovatelská služba Tepelsko",
            type="40",
            place=TEPLA,
            street="Klášterní 201",
            forms=("ter", "amb"),
            groups=("24", "17"),
            ages=SENIORS,
            description=(
                "Pečovatelky pomáhají seniorům v Teplé a okolních vesnicích s hygienou, "
                "oblékáním, nákupem, úklidem a obědy. V Teplé máme středisko, kde se můžete "
                "vykoupat nebo nechat vyprat prádlo. Jezdíme i do malých osad."
            ),
            eligibility="Senioři a lidé se zdravotním postižením z Tepelska.",
            process=(
                "Zavolejte; domluvíme si návštěvu u vás doma a sepíšeme, s čím potřebujete pomoci."
            ),
            capacity=(("ter", "klient", 50), ("amb", "klient", 10)),
            hours="care",
            areas=("obec:554677", "obec:539473", "obec:555444", "obec:555681"),
            fees=CARE_FEES,
            report=free(3, 2),
            site="Středisko Pečovatelské služby Tepelsko",
        ),
        ServiceSpec(
            org="ps-tepelsko",
            name="Tísňová péče Tepelsko",
            type="41",
            place=TEPLA,
            street="Klášterní 201",
            forms=("ter",),
            groups=("24", "17"),
            ages=("7", "8"),
            description=(
                "Tísňové tlačítko vám dá jistotu, že když upadnete nebo vám bude špatně, "
                "rychle se dovoláte pomoci: dispečink je na příjmu nonstop a pošle "
                "pečovatelku, rodinu nebo záchranku. Zařízení vám nainstalujeme a naučíme vás "
                "ho používat."
            ),
            eligibility=(
                "Senioři a lidé se zdravotním postižením, kteří žijí sami, v Karlovarském kraji."
            ),
            process="Zavolejte; technik k vám přijede do týdne.",
            capacity=(("ter", "klient", 60),),
            hours="nonstop",
            contact="dispečink",
            areas=(f"kraj:{KRAJ_KARLOVARSKY}",),
            fees="Měsíčně 350 Kč včetně zapůjčení zařízení.",
            report=free(15, 20),
            site="Středisko Pečovatelské služby Tepelsko",
        ),
        ServiceSpec(
            org="ps-tepelsko",
            name="Dovoz nákupů a doprava k lékaři Tepelsko",
            type="fakultativni-cinnost",
            place=TEPLA,
            street="Klášterní 201",
            forms=("ter",),
            groups=("24", "17"),
            ages=("7", "8"),
            description=(
                "Nemáte jak se dostat k lékaři do Mariánských Lázní nebo na nákup? Odvezeme "
                "vás naším autem a počkáme na vás, nebo vám nákup dovezeme domů. Objednat si "
                "to můžete i bez pečovatelské služby."
            ),
            eligibility="Senioři a lidé se zdravotním postižením z Tepelska.",
            process="Objednejte se telefonicky nejméně dva dny předem.",
            contact="koordinátorka dopravy",
            areas=("obec:554677", "obec:539473", "obec:555444", "obec:555681"),
            fees="Doprava 10 Kč za kilometr, dovoz nákupu 50 Kč.",
            site="Středisko Pečovatelské služby Tepelsko",
        ),
        ServiceSpec(
            org="rana-pece-karlovarsko",
            name="Raná péče Karlovarsko",
            type="54",
            place=BECOV,
            street="Nádražní 90",
            forms=("ter",),
            groups=("23", "13", "14", "18", "16"),
            ages=("1",),
            description=(
                "Jezdíme za rodinami s malými dětmi s postižením nebo ohroženým vývojem po "
                "celém Karlovarském kraji. Poradkyně vám pomůže rozvíjet dítě při běžných "
                "činnostech, zapůjčí hračky a pomůcky, poradí s příspěvky a provede vás "
                "vyšetřeními. Služba je zdarma."
            ),
            eligibility=(
                "Rodiny s dětmi do 7 let se zdravotním postižením nebo ohroženým vývojem z "
                "Karlovarského kraje."
            ),
            process="Zavolejte nebo napište; poradkyně vás do dvou týdnů navštíví doma.",
            capacity=(("ter", "klient", 40),),
            contact="poradkyně rané péče",
            areas=(f"kraj:{KRAJ_KARLOVARSKY}",),
            report=free(3, 9),
        ),
        ServiceSpec(
            org="tk-slavkovsky-les",
            name="Terapeutická komunita Slavkovský les",
            type="68",
            place=554677,  # Mnichov (okres Cheb)
            street="č. p. 12",
            forms=("pob",),
            groups=("25", "20"),
            ages=ADULTS,
            description=(
                "Dlouhodobý pobyt na šest až dvanáct měsíců pro lidi, kteří chtějí skončit se "
                "závislostí na drogách nebo alkoholu. V komunitě uprostřed přírody žijete s "
                "dalšími klienty a terapeuty, pracujete na statku, máte terapie a postupně se "
                "připravujete na návrat do běžného života."
            ),
            eligibility=(
                "Dospělí od 18 let závislí na návykových látkách, kteří prošli detoxifikací a "
                "chtějí abstinovat."
            ),
            process=(
                "Pošlete žádost a domluvte si vstupní pohovor. Před nástupem je potřeba "
                "detoxifikace, pomůžeme vám ji zajistit. Na nástup se nyní čeká asi měsíc."
            ),
            capacity=(("pob", "luzka", 14),),
            hours="nonstop",
            contact="vedoucí terapeut",
            fees="Ubytování a strava 220 Kč za den; při nízkém příjmu pomůžeme s dávkami.",
            report=full(5, 30, 12),
        ),
        ServiceSpec(
            org="poradna-tepelsko",
            name="Poradna pro rodinu Tepelsko",
            type="37",
            place=TEPLA,
            street="Školní 410",
            forms=("amb", "ter"),
            groups=("23", "19", "4"),
            ages=("5", "6", "7"),
            description=(
                "Poradna pro rodiny a páry v obtížné situaci: rozvod a péče o děti, výživné, "
                "domácí násilí, bydlení nebo dávky. Sociální pracovnice a psycholog vás "
                "vyslechnou a pomohou najít řešení. Do Bečova a Bochova dojíždíme jednou "
                "týdně."
            ),
            eligibility="Rodiny, páry a jednotlivci z Bečovska, Bochovska a Tepelska.",
            process="Objednejte se telefonicky nebo e-mailem; v krizi přijďte bez objednání.",
            capacity=(("amb", "klient", 80), ("ter", "klient", 20)),
            hours="counselling",
            areas=("uzemi:cesky-zapad",),
            report=free(4, 2),
            site="Poradna pro rodinu Tepelsko",
        ),
        ServiceSpec(
            org="poradna-tepelsko",
            name="Dluhové poradenství Tepelsko",
            type="dluhove-poradenstvi",
            place=TEPLA,
            street="Školní 410",
            forms=("amb", "ter"),
            groups=("19", "21"),
            ages=("5", "6", "7"),
            description=(
                "Pomůžeme vám dostat dluhy pod kontrolu: sestavíme přehled dluhů, ověříme, "
                "zda jsou exekuce oprávněné, a bezplatně podáme návrh na oddlužení. Poradíme, "
                "jak vyjít s penězi, aby nové dluhy nevznikaly."
            ),
            eligibility="Lidé s dluhy a exekucemi z Tepelska, Bečovska a Bochovska.",
            process=(
                "Zavolejte a objednejte se; na schůzku přineste všechny dopisy od věřitelů a "
                "exekutorů."
            ),
            hours="counselling",
            contact="dluhová poradkyně",
            areas=("uzemi:cesky-zapad",),
            report=free(2, 52),
            site="Poradna pro rodinu Tepelsko",
        ),
        ServiceSpec(
            org="klub-kotva",
            name="Nízkoprahový klub Kotva",
            type="62",
            place=BOCHOV,
            street="Sportovní 44",
            forms=("amb",),
            groups=("1",),
            ages=YOUTH,
            description=(
                "Kotva je klub pro děti a mladé od 6 do 26 let z Bochova a okolí. Přijď si "
                "zahrát stolní fotbal, pustit hudbu, udělat úkoly nebo si promluvit, když tě "
                "něco trápí. Je to zdarma, bez zápisu a bez rodičů."
            ),
            eligibility="Děti a mladí lidé od 6 do 26 let z Bochova a okolí.",
            process="Stačí přijít v otevírací době.",
            capacity=(("amb", "klient", 20),),
            hours="club",
            contact="vedoucí klubu",
            report=free(9, 4),
        ),
        ServiceSpec(
            org="asistence-doupovsko",
            name="Osobní asistence Doupovsko",
            type="39",
            place=BOCHOV,
            street="Karlovarská 200",
            forms=("ter",),
            groups=("15", "13", "24", "14"),
            ages=("2", "3", "4", "5", "6", "7", "8"),
            description=(
                "Osobní asistenti pomáhají dětem, dospělým i seniorům s postižením žít doma a "
                "zapojit se do života: ve škole, v práci i ve volném čase. Asistence je tam, "
                "kde ji potřebujete, i brzy ráno, večer a o víkendu."
            ),
            eligibility=(
                "Lidé od 7 let s tělesným, mentálním nebo kombinovaným postižením a senioři z "
                "ORP Karlovy Vary."
            ),
            process="Zavolejte koordinátorovi; navštíví vás a společně naplánujete asistenci.",
            capacity=(("ter", "klient", 25),),
            hours="assist",
            contact="koordinátor asistence",
            areas=(f"orp:{ORP_KARLOVY_VARY}",),
            fees="140 Kč za hodinu asistence.",
            report=free(2, 14),
        ),
        ServiceSpec(
            org="cesta-ven",
            name="Terénní program Bečovsko a Bochovsko",
            type="69",
            place=BECOV,
            street="Tepelská 15",
            forms=("ter",),
            groups=("21", "20", "25", "1"),
            ages=("3", "4", "5", "6"),
            description=(
                "Terénní pracovníci pravidelně jezdí do Bečova, Bochova a okolních obcí. "
                "Pomáhají lidem, kteří žijí v nejistém bydlení, mají dluhy, problémy se "
                "závislostí nebo se bojí jít na úřad: vyřídí s nimi doklady a dávky, hledají "
                "práci a bydlení. Anonymně a zdarma."
            ),
            eligibility=(
                "Lidé od 15 let ohrožení sociálním vyloučením na Bečovsku, Bochovsku a Tepelsku."
            ),
            process="Zavolejte nebo napište SMS; domluvíme se, kde a kdy se potkáme.",
            capacity=(("ter", "kontakt", 1000),),
            hours="field",
            contact="terénní pracovnice",
            areas=("uzemi:cesky-zapad",),
            report=free(5, 7),
        ),
    ],
    "vysocina": [
        ServiceSpec(
            org="azylove-domy-vysocina",
            name="Azylový dům pro ženy a matky s dětmi Vysočina",
            type="57",
            place=586846,  # Jihlava
            street="Lesní 12",
            forms=("pob",),
            groups=("4", "23", "7", "19"),
            ages=("1", "2", "3", "4", "5", "6"),
            description=(
                "Bezpečné ubytování na přechodnou dobu, až na rok, pro ženy a matky s dětmi, "
                "které přišly o bydlení nebo musí odejít od násilného partnera. Pomůžeme vám "
                "vyřídit dávky, najít nové bydlení a práci a zajistit školu pro děti. Adresu "
                "domu z bezpečnostních důvodů nezveřejňujeme."
            ),
            eligibility=(
                "Ženy a matky s dětmi bez přístřeší nebo ohrožené domácím násilím z Kraje Vysočina."
            ),
            process=(
                "Zavolejte nám kdykoli, i v noci. Domluvíme se, kde se potkáme, a je-li volné "
                "místo, můžete nastoupit ještě ten den."
            ),
            capacity=(("pob", "luzka", 24),),
            hours="nonstop",
            contact="sociální pracovnice azylového domu",
            fees="Ubytování 140 Kč za den pro dospělého a 70 Kč za dítě, energie v ceně.",
            report=free(2, 1),
            history=True,
            hidden=True,
            languages="cs,uk,en",
        ),
        ServiceSpec(
            org="azylove-domy-vysocina",
            name="Azylový dům pro muže Havlíčkův Brod",
            type="57",
            place=568414,  # Havlíčkův Brod
            street="Ledečská 41",
            forms=("pob",),
            groups=("7", "20", "22"),
            ages=("5", "6", "7"),
            description=(
                "Ubytování na přechodnou dobu pro muže bez domova, kteří chtějí změnit svou "
                "situaci. Máte vlastní lůžko, sprchu, kuchyňku a sociálního pracovníka, se "
                "kterým si naplánujete, jak najít práci a bydlení. V domě platí zákaz "
                "alkoholu a drog."
            ),
            eligibility=(
                "Muži od 18 let bez přístřeší, kteří jsou soběstační a chtějí spolupracovat."
            ),
            process=(
                "Zavolejte nebo přijďte osobně; je-li volné místo, nastoupíte hned, jinak vás "
                "zapíšeme a ozveme se."
            ),
            capacity=(("pob", "luzka", 20),),
            hours="nonstop",
            contact="sociální pracovník azylového domu",
            fees="Ubytování 130 Kč za den.",
            report=full(3, 7, 2),
        ),
        ServiceSpec(
            org="most-do-samostatnosti",
            name="Dům na půl cesty Žďár nad Sázavou",
            type="58",
            place=595209,  # Žďár nad Sázavou
            street="Okružní 6",
            forms=("pob",),
            groups=("8", "1", "22"),
            ages=("4", "5"),
            description=(
                "Když odcházíte z dětského domova, výchovného ústavu nebo pěstounské péče a "
                "nemáte kam jít, můžete u nás bydlet až dva roky. Pomůžeme vám najít práci, "
                "naučit se hospodařit, vařit a jednat s úřady, abyste pak zvládli bydlet "
                "samostatně."
            ),
            eligibility=(
                "Mladí lidé od 18 do 26 let po odchodu z ústavní nebo pěstounské péče, "
                "případně po propuštění z výkonu trestu."
            ),
            process=(
                "Ozvěte se nám ještě před odchodem z domova; rádi se sejdeme s vámi i s vaším "
                "sociálním pracovníkem."
            ),
            capacity=(("pob", "luzka", 10),),
            hours="nonstop",
            fees="Ubytování 110 Kč za den.",
            report=free(2, 6),
            history=True,
        ),
        ServiceSpec(
            org="bezpecny-domov",
            name="Intervenční centrum Vysočina",
            type="60a",
            place=586846,
            street="Brněnská 25",
            forms=("amb", "ter"),
            groups=("4", "19", "6"),
            ages=("4", "5", "6", "7", "8"),
            description=(
                "Pomáháme lidem, kteří zažívají domácí násilí – fyzické, psychické nebo "
                "ekonomické. Po policejním vykázání násilné osoby se vám ozveme sami do dvou "
                "dnů. Pomůžeme s plánem bezpečí a s návrhem předběžného opatření k soudu a "
                "najdeme další pomoc, i když jste se zatím nerozhodli odejít."
            ),
            eligibility="Lidé od 16 let ohrožení domácím násilím z celého Kraje Vysočina.",
            process=(
                "Zavolejte nebo přijďte, nejlépe po telefonické domluvě. V ohrožení volejte "
                "policii na 158."
            ),
            capacity=(("amb", "klient", 250), ("ter", "klient", 50)),
            contact="sociální pracovnice intervenčního centra",
            areas=(f"kraj:{KRAJ_VYSOCINA}",),
            report=free(3, 2),
        ),
        ServiceSpec(
            org="dilny-pod-rokytnou",
            name="Sociálně terapeutická dílna Pod Rokytnou",
            type="67",
            place=590266,  # Třebíč
            street="Rokytenská 18",
            forms=("amb",),
            groups=("14", "10", "13"),
            ages=ADULTS,
            description=(
                "V dílně pracujeme se dřevem, textilem a keramikou a pečeme perníčky, které "
                "prodáváme na trzích. Naučíte se pracovním návykům, spolupráci a zručnosti a "
                "zjistíte, co vás baví. Kdo je připravený, tomu pomůžeme hledat práci."
            ),
            eligibility=(
                "Dospělí s mentálním postižením nebo duševním onemocněním z Třebíčska, kteří "
                "zatím nemohou pracovat na běžném trhu práce."
            ),
            process=(
                "Domluvte si prohlídku dílny a zkušební den. Teď máme pořadník, čeká se asi "
                "dva měsíce."
            ),
            capacity=(("amb", "klient", 24),),
            hours="workshop",
            contact="vedoucí dílny",
            fees="Zdarma, platíte jen oběd.",
            report=full(4, 60, 10),
        ),
        ServiceSpec(
            org="zelena-louka",
            name="Sociálně terapeutická dílna Zelená louka",
            type="67",
            place=547492,  # Pelhřimov
            street="Pražská 55",
            forms=("amb",),
            groups=("10", "14"),
            ages=ADULTS,
            description=(
                "Dílna se zahradou a skleníkem pro lidi s duševním onemocněním a mentálním "
                "postižením. Pěstujeme zeleninu a bylinky, vaříme, šijeme a prodáváme vlastní "
                "výrobky. Pravidelná práce vám pomůže získat jistotu a řád dne."
            ),
            eligibility=(
                "Dospělí s duševním onemocněním nebo mentálním postižením z Pelhřimovska."
            ),
            process="Přijďte se podívat, vyzkoušet si práci a domluvit se na dnech docházky.",
            capacity=(("amb", "klient", 16),),
            hours="workshop",
            contact="vedoucí dílny",
            fees="Zdarma, platíte jen oběd.",
            report=free(3, 4),
        ),
        ServiceSpec(
            org="cesta-k-praci",
            name="Sociální rehabilitace Jihlava",
            type="70",
            place=586846,
            street="Havlíčkova 112",
            forms=("amb", "ter"),
            groups=("10", "14", "17"),
            ages=("4", "5", "6"),
            description=(
                "Pomůžeme vám zvládnout věci, které k samostatnému životu potřebujete: "
                "hospodaření, úřady, cestování, vaření nebo péči o byt. Připravíme vás na "
                "práci, pomůžeme napsat životopis a doprovodíme vás na pohovor. Pracujeme u "
                "nás v centru i u vás doma."
            ),
            eligibility=(
                "Lidé od 16 let se zdravotním postižením nebo duševním onemocněním z Jihlavska."
            ),
            process="Zavolejte a domluvte si první schůzku; stačí chuť něco změnit.",
            capacity=(("amb", "klient", 30), ("ter", "klient", 20)),
            areas=("orp:6105",),
            report=free(5, 3),
            history=True,
            site="Cesta k práci – Jihlava",
        ),
        ServiceSpec(
            org="cesta-k-praci",
            name="Sociální rehabilitace Třebíč",
            type="70",
            place=590266,
            street="Hrotovická 70",
            forms=("amb", "ter"),
            groups=("10", "17", "21"),
            ages=("4", "5", "6"),
            description=(
                "Trénink dovedností pro samostatný život a práci: jak hospodařit s penězi, "
                "jednat na úřadě, hledat práci a udržet si ji. Pomáháme lidem po "
                "psychiatrické léčbě, lidem s postižením i těm, kdo se vracejí do života po "
                "těžké životní události."
            ),
            eligibility=(
                "Lidé od 16 let se zdravotním postižením, duševním onemocněním nebo ze "
                "sociálně vyloučených lokalit z Třebíčska."
            ),
            process="Přijďte v úterý nebo ve čtvrtek odpoledne bez objednání, nebo zavolejte.",
            capacity=(("amb", "klient", 20), ("ter", "klient", 15)),
            areas=("orp:6113",),
            report=free(2, 41),
        ),
        ServiceSpec(
            org="cesta-k-praci",
            name="Podporované zaměstnání Vysočina",
            type="podporovane-zamestnani",
            place=586846,
            street="Havlíčkova 112",
            forms=("amb", "ter"),
            groups=("17", "10", "14", "22"),
            ages=("4", "5", "6"),
            description=(
                "Pracovní konzultant vám pomůže najít práci na běžném trhu práce, i když máte "
                "postižení nebo jste dlouho nepracovali. Společně hledáme vhodné místo, "
                "připravíme se na pohovor a první měsíce vás podpoříme i u zaměstnavatele."
            ),
            eligibility=(
                "Lidé se zdravotním postižením, po výkonu trestu nebo dlouhodobě "
                "nezaměstnaní z Kraje Vysočina."
            ),
            process="Zavolejte nebo napište; na první schůzce probereme, jakou práci hledáte.",
            contact="pracovní konzultantka",
            areas=(f"kraj:{KRAJ_VYSOCINA}",),
            report=free(4, 9),
            site="Cesta k práci – Jihlava",
        ),
        ServiceSpec(
            org="teple-misto",
            name="Nízkoprahové denní centrum Jihlava",
            type="61",
            place=586846,
            street="U Pivovaru 5",
            forms=("amb",),
            groups=("7", "20"),
            ages=ADULTS_ALL,
            description=(
                "Přes den se u nás můžete ohřát, najíst, osprchovat, vyprat si prádlo a "
                "dostat čisté oblečení. Sociální pracovníci vám pomohou vyřídit občanský "
                "průkaz, dávky a zdravotní pojištění a hledat práci nebo ubytování. Není "
                "potřeba se objednávat."
            ),
            eligibility="Lidé bez domova od 18 let.",
            process="Stačí přijít v otevírací době.",
            capacity=(("amb", "klient", 40),),
            hours="ndc",
            fees="Polévka 10 Kč, praní 20 Kč, sprcha zdarma.",
            report=free(15, 0),
            site="Teplé místo Jihlava",
        ),
        ServiceSpec(
            org="teple-misto",
            name="Noclehárna Jihlava",
            type="63",
            place=586846,
            street="U Pivovaru 5",
            forms=("amb",),
            groups=("7",),
            ages=ADULTS_ALL,
            description=(
                "Noclehárna vám dá na noc postel, teplou sprchu a bezpečí. Stačí přijít "
                "večer; při mrazech nikoho neodmítneme a postavíme i přistýlky. Ráno "
                "dostanete čaj a můžete pokračovat do denního centra."
            ),
            eligibility=(
                "Muži a ženy bez domova od 18 let, kteří pod vlivem alkoholu nebo drog "
                "neohrožují ostatní."
            ),
            process="Přijďte mezi 19. a 22. hodinou; vezměte si doklad, pokud ho máte.",
            capacity=(("amb", "luzka", 24),),
            hours="night",
            contact="pracovník noclehárny",
            fees="50 Kč za noc.",
            report=free(3, 0),
            history=True,
            site="Teplé místo Jihlava",
        ),
        ServiceSpec(
            org="prevence-vysocina",
            name="Kontaktní centrum Jihlava",
            type="59",
            place=586846,
            street="Křížová 40",
            forms=("amb",),
            groups=("25", "20"),
            ages=("4", "5", "6"),
            description=(
                "Bezpečné místo pro lidi, kteří užívají drogy, i pro jejich blízké. Anonymně "
                "a bez odsuzování u nás vyměníte injekční náčiní, otestujete se na HIV a "
                "žloutenky, najíte se a osprchujete. Když budete chtít přestat, pomůžeme vám "
                "najít léčbu."
            ),
            eligibility="Uživatelé drog od 15 let a jejich rodiče a blízcí.",
            process="Přijďte v otevírací době, nemusíte říkat své jméno.",
            capacity=(("amb", "kontakt", 9000),),
            hours="kc",
            contact="pracovník kontaktního centra",
            report=free(6, 5),
            site="Prevence bez hranic – Jihlava",
        ),
        ServiceSpec(
            org="prevence-vysocina",
            name="Terénní program Jihlavsko a Třebíčsko",
            type="69",
            place=586846,
            street="Křížová 40",
            forms=("ter",),
            groups=("25", "20", "7"),
            ages=("4", "5", "6"),
            description=(
                "Terénní pracovníci vyhledávají lidi, kteří užívají drogy nebo žijí na ulici, "
                "v parcích, na nádražích a v ubytovnách v Jihlavě, Třebíči a okolí. Nabízejí "
                "výměnu injekčního materiálu, testy, informace a pomoc s cestou do léčby nebo "
                "k lékaři."
            ),
            eligibility="Lidé od 15 let, kteří užívají drogy nebo vedou rizikový způsob života.",
            process="Pracovníky potkáte na ulici; můžete jim i zavolat.",
            capacity=(("ter", "kontakt", 5000),),
            hours="field",
            contact="terénní pracovník",
            areas=("orp:6105", "orp:6113"),
            report=free(10, 8),
            site="Prevence bez hranic – Jihlava",
        ),
        ServiceSpec(
            org="linka-vysocina",
            name="Linka pomoci Vysočina",
            type="55",
            place=586846,
            street="Tolstého 3",
            forms=("ter",),
            groups=("19", "1", "4", "24"),
            ages=ANY_AGE,
            description=(
                "Nonstop telefonická linka pro každého, kdo se ocitl v tísni: když vás něco "
                "trápí, máte strach, myšlenky na sebevraždu nebo jste sami. Zavolat můžete "
                "anonymně, kdykoli ve dne i v noci; konzultanti vás vyslechnou a pomohou "
                "najít další pomoc."
            ),
            eligibility="Kdokoli v tísni, bez ohledu na věk a bydliště.",
            process="Stačí zavolat. Můžete i napsat e-mail.",
            capacity=(("ter", "hovor", 8000),),
            hours="nonstop",
            contact="konzultantka linky",
            areas=(f"kraj:{KRAJ_VYSOCINA}",),
        ),
        ServiceSpec(
            org="hospic-vysocina",
            name="Mobilní hospic Vysočina",
            type="hospic",
            place=568414,
            street="Smetanova 300",
            forms=("ter",),
            groups=("11", "24", "26"),
            ages=ANY_AGE,
            description=(
                "Chcete, aby váš blízký mohl poslední dny prožít doma? Náš tým lékaře, sester "
                "a sociální pracovnice k vám dojíždí, tlumí bolest a další obtíže a je rodině "
                "k dispozici ve dne i v noci. Zapůjčíme polohovací postel a další pomůcky a "
                "podpoříme vás i po úmrtí blízkého."
            ),
            eligibility="Nevyléčitelně nemocní lidé a jejich rodiny z Havlíčkobrodska a Jihlavska.",
            process=(
                "Zavolejte nám nebo požádejte praktického lékaře či nemocnici o doporučení; "
                "do dvou dnů přijedeme na první návštěvu."
            ),
            contact="sociální pracovnice hospice",
            areas=("orp:6102", "orp:6105"),
            fees="Zdravotní péči hradí pojišťovna; za půjčení pomůcek platíte podle ceníku.",
            report=free(2, 3),
        ),
        ServiceSpec(
            org="dluhova-poradna-vysocina",
            name="Dluhová poradna Žďár nad Sázavou",
            type="37",
            place=595209,
            street="Nádražní 20",
            forms=("amb", "ter"),
            groups=("19", "21", "23"),
            ages=("5", "6", "7"),
            description=(
                "Pomůžeme vám zorientovat se v dluzích a exekucích, jednat s věřiteli a "
                "sepsat a podat návrh na oddlužení, vše zdarma. Za klienty, kteří se nemohou "
                "dostavit, přijedeme domů."
            ),
            eligibility="Lidé s dluhy ze Žďárska.",
            process=(
                "Objednejte se telefonicky; na první schůzku přineste přehled příjmů a dopisy "
                "od věřitelů."
            ),
            hours="counselling",
            contact="dluhová poradkyně",
            areas=("orp:6115",),
            report=free(3, 5),
        ),
    ],
}

# Opening hours: (weekday 1–7, opens, closes, note).
_WEEKDAYS = (1, 2, 3, 4, 5)
_ALL_DAYS = (1, 2, 3, 4, 5, 6, 7)
HOURS: dict[str, list[tuple[int, str, str, str]]] = {
    "office": [
        (1, "8:00", "17:00", ""),
        (2, "8:00", "15:00", ""),
        (3, "8:00", "17:00", ""),
        (4, "8:00", "15:00", ""),
        (5, "8:00", "13:00", ""),
    ],
    "counselling": [
        (1, "9:00", "17:00", ""),
        (3, "9:00", "17:00", ""),
        (4, "9:00", "12:00", "jindy po objednání"),
    ],
    "municipal": [
        (1, "8:00", "17:00", "úřední den"),
        (2, "8:00", "14:00", "po domluvě"),
        (3, "8:00", "17:00", "úřední den"),
        (4, "8:00", "14:00", "po domluvě"),
        (5, "8:00", "12:00", "po domluvě"),
    ],
    "nonstop": [(d, "0:00", "23:59", "nepřetržitě") for d in _ALL_DAYS],
    "care": [(d, "6:30", "20:00", "") for d in _WEEKDAYS]
    + [(6, "7:00", "15:00", ""), (7, "7:00", "15:00", "")],
    "assist": [(d, "6:00", "22:00", "") for d in _ALL_DAYS],
    "daycare": [(d, "7:00", "15:30", "") for d in _WEEKDAYS],
    "club": [(d, "13:00", "18:00", "") for d in (1, 2, 3, 4)],
    "field": [(d, "8:00", "16:00", "v terénu, schůzku domluvte telefonicky") for d in _WEEKDAYS],
    "workshop": [(d, "8:00", "14:00", "") for d in _WEEKDAYS],
    "community": [
        (2, "16:00", "18:00", "komunitní setkání"),
        (4, "9:00", "12:00", "otevřené dopoledne"),
    ],
    "group": [(4, "17:00", "19:00", "každý druhý týden")],
    "monthly": [(2, "16:00", "18:00", "první úterý v měsíci")],
    "senior-club": [(1, "9:00", "12:00", ""), (3, "9:00", "12:00", "")],
    "kids-club": [(2, "9:00", "11:30", ""), (4, "9:00", "11:30", "")],
    "weekly": [(1, "7:00", "23:59", "nástup v pondělí ráno")]
    + [(d, "0:00", "23:59", "") for d in (2, 3, 4)]
    + [(5, "0:00", "15:00", "odjezd v pátek odpoledne")],
    "night": [(d, "19:00", "23:59", "příchod do 22:00, odchod ráno do 7:30") for d in _ALL_DAYS],
    "ndc": [(d, "8:00", "16:00", "") for d in _WEEKDAYS] + [(6, "9:00", "13:00", "")],
    "kc": [(d, "10:00", "18:00", "") for d in _WEEKDAYS],
    "pantry": [(3, "14:00", "17:00", "výdej potravin a šatník")],
}

POSTAL_CODES = {
    KYJOV: "697 01",
    586765: "696 42",  # Vracov
    LAZNE_BOHDANEC: "533 41",
    575593: "533 54",  # Rybitví
    576051: "533 42",  # Živanice
    TYN: "375 01",
    545384: "373 65",  # Žimutice
    BECOV: "364 64",
    BOCHOV: "364 71",
    TEPLA: "364 61",
    554677: "353 01",  # Mnichov
    586846: "586 01",  # Jihlava
    590266: "674 01",  # Třebíč
    595209: "591 01",  # Žďár nad Sázavou
    568414: "580 01",  # Havlíčkův Brod
    547492: "393 01",  # Pelhřimov
}

# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


def _parse_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


class _Codes:
    """Code-list rows by code, fetched once; unknown codes fail with the service's name."""

    def __init__(self) -> None:
        self.service_types = {t.code: t for t in ServiceType.objects.all()}
        if not self.service_types:
            raise DemoDataError(
                "Číselníky nejsou v databázi (žádné druhy pomoci). Spusťte nejdřív "
                "`manage.py migrate`."
            )
        self.forms = {f.code: f for f in ProvisionForm.objects.all()}
        self.target_groups = {g.code: g for g in TargetGroup.objects.all()}
        self.age_groups = {g.code: g for g in AgeGroup.objects.all()}
        self.capacity_types = {c.code: c for c in CapacityType.objects.all()}

    def get(self, table: str, code: str, service_name: str):
        try:
            return getattr(self, table)[code]
        except KeyError:
            raise DemoDataError(
                f"Ukázková služba „{service_name}“: kód „{code}“ v číselníku {table} neexistuje."
            ) from None


def _upsert_territory(spec: TerritorySpec) -> tuple[Territory, list[int]]:
    territory = Territory.objects.filter(slug=spec.slug).first()
    if territory is None:
        territory = Territory(id=demo_uuid("territory", spec.slug), slug=spec.slug)
    for field in (
        "name",
        "kind",
        "intro",
        "about",
        "contact_name",
        "contact_role",
        "contact_email",
        "contact_phone",
        "contact_hours",
        "is_demo",
    ):
        setattr(territory, field, getattr(spec, field))
    territory.save()
    codes = territory_municipality_codes(spec.slug)
    territory.municipalities.set(codes)
    return territory, codes


def _upsert_organization(spec: OrgSpec, number: int) -> Organization:
    ico = spec.ico
    if not ico_checksum_ok(ico):  # pragma: no cover - ico_with_checksum always passes
        raise DemoDataError(f"Neplatné IČO {ico} u organizace {spec.name}.")
    org = Organization.objects.filter(ico=ico).first()
    if org is None:
        org = Organization(id=demo_uuid("organization", ico), ico=ico)
    org.name = spec.name
    org.alternate_name = spec.alternate_name
    org.description = f"{spec.description}\n\n{DEMO_NOTE}"
    org.legal_status = spec.legal_status
    org.email = f"{spec.key}@example.cz"
    org.website = f"https://{spec.key}.example.cz/"
    org.phone = f"+420 {spec.phone_prefix} 000 {100 + number:03d}"
    org.is_demo = True
    org.save()
    return org


def _offset(key: uuid.UUID) -> tuple[float, float]:
    """A small deterministic offset (up to about 300 m) so that pins do not overlap."""
    h = key.int
    return ((h % 1000) / 1000 - 0.5) * 0.006, (((h // 1000) % 1000) / 1000 - 0.5) * 0.009


def _area_rows(service: Service, spec: ServiceSpec, territory_codes: dict[str, list[int]]):
    rows = []
    for area in spec.areas:
        unit, _, value = area.partition(":")
        if unit == "uzemi":
            rows += [
                ServiceArea(service=service, municipality_id=c) for c in territory_codes[value]
            ]
        elif unit == "obec":
            rows.append(ServiceArea(service=service, municipality_id=int(value)))
        elif unit == "orp":
            rows.append(ServiceArea(service=service, orp_id=int(value)))
        elif unit == "okres":
            rows.append(ServiceArea(service=service, district_id=int(value)))
        elif unit == "kraj":
            rows.append(ServiceArea(service=service, region_id=int(value)))
        else:
            raise DemoDataError(f"Ukázková služba „{spec.name}“: neznámá oblast „{area}“.")
    return rows


def _reports(spec: ServiceSpec) -> list[Report]:
    """The current report and, for some services, three older ones (oldest first)."""
    if spec.report is None:
        return []
    current = spec.report
    if not spec.history:
        return [current]
    older = []
    for extra_days, d_free, d_wait in ((63, 2, -2), (35, -1, 3), (14, 1, 1)):
        older.append(
            Report(
                free=max(0, current.free + d_free) if current.free else 0,
                waiting=max(0, current.waiting + d_wait) if current.waiting else 0,
                wait_days=current.wait_days,
                days_ago=current.days_ago + extra_days,
            )
        )
    return [*older, current]


class _Loader:
    def __init__(self, now) -> None:
        self.now = now
        self.codes = _Codes()
        self.created = 0
        self.updated = 0
        self.reports = 0
        self.locations: set[uuid.UUID] = set()
        self.service_index = 0

    def service(
        self,
        spec: ServiceSpec,
        org: Organization,
        org_spec: OrgSpec,
        territory_codes: dict[str, list[int]],
    ) -> Service:
        stype = self.codes.get("service_types", spec.type, spec.name)
        self.service_index += 1
        phone = f"+420 {org_spec.phone_prefix} 001 {self.service_index:03d}"
        service = Service.objects.filter(organization=org, name=spec.name).first()
        if service is None:
            service = Service(
                id=demo_uuid("service", org.ico, spec.name), organization=org, name=spec.name
            )
            self.created += 1
        else:
            self.updated += 1
        service.service_type = stype
        service.description = spec.description
        service.eligibility = spec.eligibility
        service.application_process = spec.process
        service.is_free = spec.free_of_charge
        service.fees_description = spec.fees
        service.languages = spec.languages
        service.email = org.email
        service.phone = phone
        service.url = org.website
        service.status = Service.Status.ACTIVE
        service.is_demo = True
        service.save()

        service.forms.set([self.codes.get("forms", c, spec.name) for c in spec.forms])
        service.target_groups.set(
            [self.codes.get("target_groups", c, spec.name) for c in spec.groups]
        )
        service.age_groups.set([self.codes.get("age_groups", c, spec.name) for c in spec.ages])

        self._location(service, spec, org)
        ServiceArea.objects.filter(service=service).delete()
        ServiceArea.objects.bulk_create(_area_rows(service, spec, territory_codes))

        Schedule.objects.filter(service=service).delete()
        Schedule.objects.bulk_create(
            Schedule(
                service=service,
                weekday=day,
                opens_at=_parse_time(opens),
                closes_at=_parse_time(closes),
                note=note,
            )
            for day, opens, closes, note in HOURS[spec.hours]
        )
        Contact.objects.filter(service=service).delete()
        Contact.objects.create(service=service, title=spec.contact, email=org.email, phone=phone)
        RegisteredCapacity.objects.filter(service=service).delete()
        RegisteredCapacity.objects.bulk_create(
            RegisteredCapacity(
                service=service,
                form=self.codes.get("forms", form, spec.name),
                capacity_type=self.codes.get("capacity_types", ctype, spec.name),
                count=count,
            )
            for form, ctype, count in spec.capacity
        )

        # Demo reports are replaced on every run (relative to now); reports a demo user
        # made through the portal carry `reported_by` and are kept.
        CapacityReport.objects.filter(service=service, reported_by__isnull=True).delete()
        for i, report in enumerate(_reports(spec)):
            report_capacity(
                service=service,
                free_places=report.free,
                waiting_list=report.waiting,
                typical_wait_days=report.wait_days,
                note=report.note,
                reported_at=self.now - timedelta(days=report.days_ago, hours=(i * 5) % 9 + 1),
            )
            self.reports += 1
        if not spec.report:
            Service.objects.filter(pk=service.pk).update(
                latest_capacity=service.capacity_reports.order_by("-reported_at").first()
            )
            sync_room([service.pk])

        refresh_service(service)
        return service

    def _location(self, service: Service, spec: ServiceSpec, org: Organization) -> None:
        location_id = demo_uuid("location", org.ico, spec.site_name)
        municipality = Municipality.objects.get(code=spec.place)
        d_lat, d_lon = _offset(location_id)
        Location.objects.update_or_create(
            id=location_id,
            defaults={
                "organization": org,
                "name": spec.site_name,
                "street": spec.street,
                "city": municipality.name,
                "postal_code": POSTAL_CODES.get(spec.place, ""),
                "municipality": municipality,
                "latitude": round(municipality.latitude + d_lat, 6),
                "longitude": round(municipality.longitude + d_lon, 6),
                "address_hidden": spec.hidden,
                "accessibility": ("" if spec.hidden else "Bezbariérový vstup, zvonek u dveří."),
            },
        )
        self.locations.add(location_id)
        ServiceAtLocation.objects.filter(service=service).exclude(location_id=location_id).delete()
        ServiceAtLocation.objects.get_or_create(
            service=service,
            location_id=location_id,
            defaults={"id": demo_uuid("service-at-location", str(service.id), str(location_id))},
        )


def _upsert_users(territories: dict[str, Territory], orgs: dict[str, Organization]) -> int:
    User = get_user_model()
    people = {
        "koordinator": ("Demo", "Koordinátor"),
        "poskytovatel": ("Demo", "Poskytovatel"),
        "poskytovatel2": ("Demo", "Poskytovatel 2"),
        "admin": ("Demo", "Správce"),
    }
    users = {}
    for username, password, _description in DEMO_LOGINS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = people[username]
        user.email = f"{username}@example.cz"
        user.is_active = True
        user.is_superuser = user.is_staff = username == "admin"
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        users[username] = user
    TerritoryCoordinator.objects.get_or_create(
        user=users["koordinator"], territory=territories["kyjovske-slovacko"]
    )
    for username, org_key in (("poskytovatel", "css-kyjov"), ("poskytovatel2", "krok-kyjov")):
        Membership.objects.update_or_create(
            user=users[username],
            organization=orgs[org_key],
            defaults={"role": Membership.Role.PROVIDER_ADMIN},
        )
    return len(users)


def load_demo_data(*, stdout=None) -> dict[str, int]:
    """Create or update the whole demo in one transaction; returns counts for the summary."""

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")  # Django's OutputWrapper does not double it

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        loader = _Loader(now)
        territories: dict[str, Territory] = {}
        territory_codes: dict[str, list[int]] = {}
        for spec in TERRITORIES:
            territories[spec.slug], territory_codes[spec.slug] = _upsert_territory(spec)
        org_specs = {spec.key: spec for spec in ORGANIZATIONS}
        org_numbers = {spec.key: number for number, spec in enumerate(ORGANIZATIONS, start=1)}
        orgs: dict[str, Organization] = {}  # only those with a loaded service

        skipped: list[str] = []
        for slug, specs in SERVICES.items():
            known = set(territory_codes[slug])
            loaded = 0
            for spec in specs:
                if spec.place not in known:
                    raise DemoDataError(
                        f"Ukázková služba „{spec.name}“: obec {spec.place} neleží v území {slug}."
                    )
                if spec.type not in loader.codes.service_types:
                    if spec.type in REQUIRED_TYPE_CODES:
                        loader.codes.get("service_types", spec.type, spec.name)  # raises
                    skipped.append(f"{spec.name} ({spec.type})")
                    continue
                if spec.org not in orgs:
                    orgs[spec.org] = _upsert_organization(
                        org_specs[spec.org], org_numbers[spec.org]
                    )
                loader.service(spec, orgs[spec.org], org_specs[spec.org], territory_codes)
                loaded += 1
            territory = territories[slug]
            say(
                f"  {territory.name}: {len(known)} municipalities, {loaded} services "
                f"loaded, {Service.objects.public().in_territory(territory).count()} "
                "services serve it"
            )
        say(f"  {territories['cr'].name}: {len(territory_codes['cr'])} municipalities")
        if skipped:
            say("  skipped (service type not in the code list): " + "; ".join(skipped))
        users = _upsert_users(territories, orgs)
    update_statistics()

    return {
        "territories": len(territories),
        "organizations": len(orgs),
        "services": loader.created + loader.updated,
        "locations": len(loader.locations),
        "capacity_reports": loader.reports,
        "users": users,
        "created": loader.created,
        "updated": loader.updated,
    }


def format_summary(summary: dict[str, int]) -> str:
    return (
        f"Demo data: {summary['territories']} territories, {summary['organizations']} "
        f"organisations, {summary['services']} services, {summary['users']} users "
        f"(created {summary['created']}, updated {summary['updated']})."
    )

"""A synthetic registry file of national size, in the shape of `rpss.json`, for benchmarks.

The real file cannot be downloaded here; this one has its shape and its pitfalls
(`data/mpsv/FORMAT.md`): about 2.7 facilities per service (field services up to 15),
3.6 % of facilities without `kodAdresnihoMista`, some `null` addresses, buildings listed
twice under one registration, hidden addresses of shelters and intervention centres,
ended registrations, target-group codes Spojka's catalog does not know, a few providers
with a bad IČO and a few unknown service types, `statutarniOrgany` with (invented) names
of people, and `doplnkoveUdaje` with links to documents and long texts, so that one item
weighs about as much as a real one (~14 kB).

Deterministic for a given seed; written item by item, so memory stays small. The
territorial codes are real (ČSÚ/RÚIAN codes from `territory/data/obce_cz.csv`); names of
people, providers and streets are invented.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from directory.validators import ico_with_checksum

OBCE_CSV = Path(__file__).resolve().parent.parent / "territory" / "data" / "obce_cz.csv"

# (MPSV code, weight, forms, capacity type per form, hidden-address share)
SERVICE_TYPES: list[tuple[int, int, tuple[str, ...], dict[str, str], float]] = [
    (1, 90, ("amb", "ter"), {"amb": "klient", "ter": "klient"}, 0.0),
    (3, 40, ("ter",), {"ter": "klient"}, 0.0),
    (4, 75, ("ter", "amb"), {"ter": "klient", "amb": "klient"}, 0.0),
    (5, 8, ("ter",), {"ter": "klient"}, 0.0),
    (6, 3, ("ter", "amb"), {"ter": "klient", "amb": "klient"}, 0.0),
    (7, 6, ("ter",), {"ter": "klient"}, 0.0),
    (8, 35, ("pob", "ter", "amb"), {"pob": "luzka", "ter": "klient", "amb": "klient"}, 0.0),
    (9, 6, ("amb",), {"amb": "klient"}, 0.0),
    (10, 30, ("amb",), {"amb": "klient"}, 0.0),
    (11, 6, ("pob",), {"pob": "luzka"}, 0.0),
    (12, 28, ("pob",), {"pob": "luzka"}, 0.0),
    (13, 70, ("pob",), {"pob": "luzka"}, 0.0),
    (14, 45, ("pob",), {"pob": "luzka"}, 0.0),
    (15, 25, ("pob",), {"pob": "luzka"}, 0.0),
    (16, 12, ("pob",), {"pob": "luzka"}, 0.0),
    (17, 8, ("ter", "amb"), {"ter": "klient", "amb": "klient"}, 0.0),
    (18, 4, ("ter",), {"ter": "hovor"}, 0.0),
    (19, 3, ("ter", "amb"), {"ter": "interv", "amb": "interv"}, 0.0),
    (20, 30, ("pob",), {"pob": "luzka"}, 0.35),
    (21, 4, ("pob",), {"pob": "luzka"}, 0.0),
    (22, 10, ("amb", "ter"), {"amb": "kontakt", "ter": "kontakt"}, 0.0),
    (23, 8, ("amb", "ter", "pob"), {"amb": "interv", "ter": "interv", "pob": "luzka"}, 0.25),
    (24, 10, ("amb",), {"amb": "kontakt"}, 0.0),
    (25, 35, ("amb", "ter"), {"amb": "kontakt", "ter": "kontakt"}, 0.0),
    (26, 8, ("pob",), {"pob": "luzka"}, 0.0),
    (27, 6, ("amb", "ter"), {"amb": "klient", "ter": "klient"}, 0.0),
    (28, 45, ("ter", "amb"), {"ter": "klient", "amb": "klient"}, 0.0),
    (29, 30, ("amb", "ter"), {"amb": "klient", "ter": "klient"}, 0.0),
    (30, 22, ("amb",), {"amb": "klient"}, 0.0),
    (31, 3, ("pob",), {"pob": "luzka"}, 0.0),
    (32, 25, ("ter",), {"ter": "kontakt"}, 0.0),
    (33, 40, ("amb", "ter", "pob"), {"amb": "klient", "ter": "klient", "pob": "luzka"}, 0.0),
    (34, 3, ("amb", "ter"), {"amb": "interv", "ter": "interv"}, 1.0),
]
TYPE_NAMES = {
    1: "Odborné sociální poradenství",
    3: "Osobní asistence",
    4: "Pečovatelská služba",
    5: "Tísňová péče",
    6: "Průvodcovská služba",
    7: "Podpora samostatného bydlení",
    8: "Odlehčovací služba",
    9: "Centrum denních služeb",
    10: "Denní stacionář",
    11: "Týdenní stacionář",
    12: "Domov pro osoby se zdravotním postižením",
    13: "Domov pro seniory",
    14: "Domov se zvláštním režimem",
    15: "Chráněné bydlení",
    16: "Sociální lůžka",
    17: "Raná péče",
    18: "Linka důvěry",
    19: "Tlumočnická služba",
    20: "Azylový dům",
    21: "Dům na půl cesty",
    22: "Kontaktní centrum",
    23: "Krizové centrum",
    24: "Nízkoprahové denní centrum",
    25: "Nízkoprahový klub",
    26: "Noclehárna",
    27: "Následná péče",
    28: "Sociálně aktivizační služba pro rodiny s dětmi",
    29: "Klub seniorů",
    30: "Sociálně terapeutická dílna",
    31: "Terapeutická komunita",
    32: "Terénní program",
    33: "Sociální rehabilitace",
    34: "Intervenční centrum",
}
PROVIDER_FORMS = [
    "{town}, příspěvková organizace",
    "Charita {town}",
    "Diakonie ČCE – středisko {town}",
    "Domov {word} {town}",
    "Centrum sociálních služeb {town}, o.p.s.",
    "Spolek {word}, z.s.",
    "{word}, z.ú.",
    "Město {town}",
    "Sociální služby města {town}",
]
WORDS = [
    "Naděje",
    "Slunce",
    "Pohoda",
    "Jitřenka",
    "Benjamín",
    "Domino",
    "Kopretina",
    "Lipka",
    "Radost",
    "Úsměv",
    "Harmonie",
    "Most",
    "Klíč",
    "Maják",
    "Vlaštovka",
    "Zahrada",
    "Pramen",
    "Archa",
]
STREETS = [
    "Nádražní",
    "Školní",
    "Zahradní",
    "Husova",
    "Komenského",
    "Masarykova",
    "Palackého",
    "Tyršova",
    "Nerudova",
    "Sadová",
    "Lipová",
    "Polní",
    "Na Výsluní",
    "Nemocniční",
    "Družstevní",
    "Sokolská",
    "Jiráskova",
    "Smetanova",
    "Žižkova",
    "U Parku",
]
FIRST = ["Jana", "Petr", "Marie", "Jan", "Eva", "Tomáš", "Hana", "Martin", "Lenka", "Pavel"]
LAST = [
    "Nováková",
    "Svoboda",
    "Dvořáková",
    "Černý",
    "Procházková",
    "Kučera",
    "Veselá",
    "Horák",
    "Němcová",
    "Marek",
]
FILLER = (
    "Služba podporuje klienty v jejich přirozeném prostředí, pomáhá jim udržet soběstačnost "
    "a zapojení do běžného života. Pracovníci poskytují pomoc při péči o vlastní osobu, při "
    "osobní hygieně, zajištění stravy a chodu domácnosti, zprostředkování kontaktu se "
    "společenským prostředím a při uplatňování práv a oprávněných zájmů. Cílem je, aby "
    "člověk mohl co nejdéle žít doma a rozhodovat o svém životě. "
).split()
ADULT_AGES = ["5", "6", "7", "8"]


@dataclass
class Obec:
    code: int
    name: str
    district_ruian: int
    region_ruian: int
    orp_seat: bool


def load_obce(path: Path = OBCE_CSV) -> list[Obec]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Obec(
                code=int(r["kod_obce"]),
                name=r["nazev_obce"],
                district_ruian=int(r["kod_okresu_ruian"]),
                region_ruian=int(r["kod_kraje_ruian"]),
                orp_seat=r["nazev_obce"] == r["nazev_orp"],
            )
            for r in csv.DictReader(fh)
        ]


class Generator:
    def __init__(self, services: int = 7000, seed: int = 20_260_101, today: date | None = None):
        self.n = services
        self.r = random.Random(seed)
        self.today = today or date(2026, 1, 1)
        self.obce = load_obce()
        self.weights = [25 if o.orp_seat else 1 for o in self.obce]
        self.by_region: dict[int, list[Obec]] = {}
        for o in self.obce:
            self.by_region.setdefault(o.region_ruian, []).append(o)
        self.type_weights = [t[1] for t in SERVICE_TYPES]
        self._address_code = 10_000_000
        self._icos: set[str] = set()
        self.stats = {"services": 0, "facilities": 0, "providers": 0}

    # ------------------------------------------------------------------ pieces
    def town(self) -> Obec:
        return self.r.choices(self.obce, self.weights)[0]

    def ico(self) -> str:
        while True:
            ico = ico_with_checksum(f"{self.r.randrange(0, 10_000_000):07d}")
            if ico not in self._icos:
                self._icos.add(ico)
                return ico

    def text(self, words: int) -> str:
        return " ".join(self.r.choice(FILLER) for _ in range(words)).capitalize() + "."

    def address(self, obec: Obec, *, with_code: bool = True) -> dict:
        self._address_code += self.r.randrange(1, 50)
        street = self.r.choice(STREETS) if self.r.random() < 0.75 else None
        return {
            "cisloDomovni": self.r.randrange(1, 3500),
            "cisloOrientacni": str(self.r.randrange(1, 90))
            if street and self.r.random() < 0.6
            else None,
            "dodatekAdresy": None,
            "kodAdresnihoMista": self._address_code if with_code else None,
            "psc": f"{self.r.randrange(100, 799)}{self.r.randrange(0, 99):02d}",
            "typCislaDomovniho": {"id": "TypStavebnihoObjektu/1"},
            "kraj": {"id": f"Kraj/{obec.region_ruian}"},
            "okres": {"id": f"Okres/{obec.district_ruian}"},
            "obec": {"id": f"Obec/{obec.code}"},
            "castObce": {"id": f"CastObce/{obec.code * 10 % 1_000_000}"},
            "mestskyObvodMestskaCast": None,
            "mestskyObvodVPraze": None,
            "ulice": {"nazev": street} if street else None,
        }

    def contacts(self, domain: str) -> dict:
        return {
            "emaily": [{"email": f"info@{domain}", "poznamka": None}],
            "telefony": [
                {
                    "telefon": f"{self.r.randrange(200, 799)}{self.r.randrange(0, 999_999):06d}",
                    "poznamka": None,
                }
            ],
            "weby": [{"web": f"https://www.{domain}", "poznamka": None}]
            if self.r.random() < 0.94
            else [],
            "faxy": [],
        }

    def provider(self, index: int) -> dict:
        home = self.town()
        name = self.r.choice(PROVIDER_FORMS).format(town=home.name, word=self.r.choice(WORDS))
        ico = self.ico()
        if self.r.random() < 0.002:  # a typo in the registry: the check digit does not fit
            ico = ico[:7] + str((int(ico[7]) + 1) % 10)
        domain = f"poskytovatel{index}.cz"
        self.stats["providers"] += 1
        return {
            "ico": ico,
            "nazev": name,
            "dic": f"CZ{ico}",
            "adresa": self.address(home),
            **self.contacts(domain),
            "statutarniOrgany": [
                {
                    "titulPred": self.r.choice(["Mgr.", "Ing.", "Bc.", None]),
                    "jmeno": self.r.choice(FIRST),
                    "prijmeni": self.r.choice(LAST),
                    "titulZa": None,
                    "funkce": self.r.choice(["ředitel", "předseda", "statutární zástupce"]),
                }
                for _ in range(self.r.randrange(1, 4))
            ],
            "_home": home,
        }

    def facility_count(self, forms: tuple[str, ...]) -> int:
        if "ter" in forms and forms[0] == "ter":
            # Field services: a few offices, some with many (up to 15) addresses.
            return min(15, max(1, int(self.r.paretovariate(0.9) + 0.5)))
        if "pob" in forms:
            return self.r.choices([1, 2, 3, 4, 6], [45, 25, 15, 10, 5])[0]
        return self.r.choices([1, 2, 3, 4, 6, 8], [36, 26, 18, 11, 6, 3])[0]

    def item(self, index: int, provider: dict, buildings: list[tuple[dict, Obec]]) -> dict:
        r = self.r
        code, _, forms_all, capacity_types, hidden_share = r.choices(
            SERVICE_TYPES, self.type_weights
        )[0]
        if r.random() < 0.0005:
            code = 2  # a kind of service the catalog does not know
        forms = forms_all[: r.choice([1, 1, 2, len(forms_all)])]
        home: Obec = provider["_home"]
        type_name = TYPE_NAMES.get(code, "Sociální služba")
        facilities = []
        count = self.facility_count(forms)
        hidden = r.random() < hidden_share
        for f in range(count):
            if buildings and f == 0 and r.random() < 0.25:
                # Another service of the same provider in the same building.
                address, near = buildings[0]
                address = json.loads(json.dumps(address))
                fname = f"{type_name} {near.name}"
            else:
                near = (
                    home
                    if f == 0 or r.random() < 0.3
                    else r.choice(self.by_region[home.region_ruian])
                )
                address = self.address(near, with_code=r.random() > 0.036)
                fname = f"{type_name} {near.name}"
                if r.random() < 0.02:  # the name points to another town than the address
                    fname = f"{type_name} {self.town().name}"
                if f == 0:
                    buildings.append((address, near))
            if r.random() < 0.005:
                address = None
            facilities.append(
                {
                    "nazev": fname,
                    "adresa": address,
                    "poskytujeOd": "2014-01-01",
                    "poskytujeDo": None,
                    **({"utajenaAdresa": True} if hidden else {}),
                }
            )
            if address and r.random() < 0.02:  # the same building listed twice
                facilities.append(
                    {
                        "nazev": f"{fname} – {r.choice(['2. NP', '3. NP', 'budova B'])}",
                        "adresa": json.loads(json.dumps(address)),
                        "poskytujeOd": "2016-09-01",
                        "poskytujeDo": None,
                        **({"utajenaAdresa": True} if hidden else {}),
                    }
                )
        self.stats["facilities"] += len(facilities)

        registered_until = None
        roll = r.random()
        if roll < 0.04:
            registered_until = (self.today - timedelta(days=r.randrange(1, 2000))).isoformat()
        elif roll < 0.05:
            registered_until = (self.today + timedelta(days=r.randrange(1800, 2500))).isoformat()

        groups = r.sample(range(1, 26), r.randrange(1, 5))
        if r.random() < 0.03:
            groups.append(r.choice([27, 30]))  # groups the catalog does not know (yet)
        ages = sorted(set(r.choices(ADULT_AGES, k=r.randrange(1, 4))))
        scope = None
        if "ter" in forms and r.random() < 0.4:
            region = self.by_region[home.region_ruian]
            scope = [
                {
                    "kraj": {"id": f"Kraj/{home.region_ruian}"},
                    "obce": [
                        {"id": f"Obec/{o.code}"}
                        for o in r.sample(region, min(len(region), r.randrange(2, 12)))
                    ],
                }
            ]
        domain = f"sluzba{index}.cz"
        own_contacts = r.random() < 0.85
        item = {
            "portalId": 100_000 + index,
            "id": f"{index:08x}-{r.randrange(16**4):04x}-4000-8000-{r.randrange(16**12):012x}",
            "identifikator": str(1_000_000 + r.randrange(8_999_999)),
            "datumPoskytovaniOd": f"{r.randrange(2007, 2025)}-{r.randrange(1, 13):02d}-01",
            "datumPoskytovaniDo": registered_until,
            "kontaktniAdresy": [self.address(home)],
            "druhSocialniSluzby": {"id": f"DruhSocialniSluzby/{code}"},
            "zarizeni": facilities,
            "poskytovatel": {k: v for k, v in provider.items() if not k.startswith("_")},
            **(
                self.contacts(domain)
                if own_contacts
                else {"emaily": [], "telefony": [], "weby": [], "faxy": []}
            ),
            "ciloveSkupiny": [{"cilovaSkupina": {"id": f"CilovaSkupinaOsoby/{g}"}} for g in groups],
            "vekoveSkupiny": [{"vekovaSkupina": {"id": f"VekovaSkupinaOsoby/{a}"}} for a in ages],
            "doplnujiciInformaceVekoveSkupiny": r.choice(
                [None, None, "Služba je určena osobám od 18 let."]
            ),
            "formy": [
                {
                    "forma": {"id": f"FormaSocialniSluzby/{form}"},
                    "nepretrzitePoskytovani": form == "pob",
                    "casoveRozsahy": None
                    if form == "pob"
                    else [
                        {"den": {"id": f"DenVTydnu/{d}"}, "od": "08:00", "do": "16:00"}
                        for d in range(1, 6)
                    ],
                    "kapacity": [
                        {
                            "pocet": r.randrange(5, 120),
                            "popis": "Maximální kapacita s účinností "
                            f"od 01.0{r.randrange(1, 10)}.2016.",
                            "typ": {"id": f"TypKapacitySocialniSluzby/{capacity_types[form]}"},
                        }
                    ],
                }
                for form in forms
            ],
            "rozsirenePusobnostiVKraji": scope,
            "doplnkoveUdaje": {
                key: [
                    {
                        "popis": self.text(r.randrange(90, 200)),
                        "priloha": {
                            "nazev": f"{key}-{n}.pdf",
                            "url": f"https://www.mpsv.cz/agportal-server/rest/documents/{r.randrange(10**9)}",
                        },
                    }
                    for n in range(r.randrange(1, 4))
                ]
                for key in (
                    "realizacePoskytovani",
                    "planyFinancnihoZajisteni",
                    "personalniZajisteni",
                    "cileAZasady",
                )
            },
        }
        self.stats["services"] += 1
        return item

    # ------------------------------------------------------------------ file
    def write(self, path: str | Path) -> dict[str, int]:
        """Write the file; returns counts (services, facilities, providers)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        providers: list[tuple[dict, list]] = []
        with tmp.open("w", encoding="utf-8") as out:
            out.write('{"polozky": [\n')
            for index in range(self.n):
                # About 3.3 services per provider: a new provider for every third service.
                if not providers or self.r.random() < 0.30:
                    providers.append((self.provider(len(providers)), []))
                    provider, buildings = providers[-1]
                else:
                    provider, buildings = self.r.choice(providers)
                item = self.item(index, provider, buildings)
                if index:
                    out.write(",\n")
                out.write(json.dumps(item, ensure_ascii=False))
            out.write("\n]}\n")
        tmp.replace(path)
        return dict(self.stats)


def write_synthetic(path: str | Path, services: int = 7000, seed: int = 20_260_101) -> dict:
    return Generator(services=services, seed=seed).write(path)

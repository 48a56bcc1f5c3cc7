"""The 200 searches of the benchmark: Czech, with and without diacritics, inflected.

About two thirds are text only; about a third carry filters (my municipality, kind of
help, free places now), and some of those are filter-only browsing with an empty query.
Built deterministically from a seed, so every run measures the same requests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import urlencode

from spojka.text import strip_diacritics

# What people type: service names, everyday words, inflected forms, whole sentences.
PHRASES = [
    "azylový dům",
    "azylové domy",
    "azylovém domě",
    "azylový dům pro matky s dětmi",
    "dluhy",
    "exekuce",
    "mám dluhy a exekuci",
    "hrozí mi vystěhování",
    "dluhová poradna",
    "oddlužení",
    "osobní bankrot",
    "insolvenční návrh",
    "nemám na nájem",
    "pečovatelská služba",
    "pečovatelskou službu",
    "pečovatelské služby",
    "pomoc s péčí o maminku doma",
    "pomoc pro babičku",
    "dovoz obědů",
    "rozvoz obědů seniorům",
    "osobní asistence",
    "osobní asistentka pro syna",
    "odlehčovací služba",
    "odlehčovací pobyt",
    "domov pro seniory",
    "domovy pro seniory",
    "domov důchodců",
    "seniorům",
    "senioři",
    "domov se zvláštním režimem",
    "demence",
    "babička má alzheimera",
    "denní stacionář",
    "denní stacionáře pro seniory",
    "týdenní stacionář",
    "chráněné bydlení",
    "podpora samostatného bydlení",
    "raná péče",
    "raná péče pro dítě s postižením",
    "dítě s autismem",
    "nedonošené miminko",
    "linka důvěry",
    "krizová linka",
    "potřebuji si promluvit",
    "nechci žít",
    "domácí násilí",
    "manžel mě bije",
    "týrání",
    "intervenční centrum",
    "noclehárna",
    "nemám kde spát",
    "kde přespat dnes v noci",
    "bezdomovci",
    "lidé bez domova",
    "teplé jídlo a sprcha",
    "kontaktní centrum",
    "drogy",
    "pervitin",
    "závislost na alkoholu",
    "léčba závislosti",
    "terapeutická komunita",
    "terénní program",
    "streetwork",
    "nízkoprahový klub",
    "klub pro teenagery",
    "nízkoprahové zařízení pro děti a mládež",
    "šikana ve škole",
    "rodina v krizi",
    "sanace rodiny",
    "nezvládám děti",
    "SASRD",
    "samoživitelka s dětmi",
    "sociální rehabilitace",
    "hledám práci",
    "návrat do práce po nemoci",
    "sociálně terapeutická dílna",
    "chráněná dílna",
    "duševní nemoc",
    "deprese",
    "schizofrenie",
    "centrum duševního zdraví",
    "tlumočník pro neslyšící",
    "znakový jazyk",
    "předčítání pro nevidomé",
    "nevidomý",
    "vozíčkář",
    "invalidní vozík půjčovna",
    "kompenzační pomůcky",
    "tísňové tlačítko",
    "tísňová péče",
    "babička bydlí sama",
    "odchod z dětského domova",
    "dům na půl cesty",
    "propuštěný z vězení",
    "osamělost",
    "samota",
    "klub seniorů",
    "dobrovolníci",
    "hospic",
    "umírání doma",
    "mobilní hospic",
    "potravinová pomoc",
    "nemám na jídlo",
    "sociální dávky",
    "příspěvek na péči",
    "sociální pracovnice na obci",
    "OSPOD",
    "pěstounská péče",
    "uprchlíci z Ukrajiny",
    "cizinci",
    "Romové",
    "oběti trestné činnosti",
    "okradli mě",
    "krizové centrum",
    "po smrti manžela",
    "rozvod a děti",
    "svépomocná skupina pro pečující",
    "pečuji o tátu",
    "domácí zdravotní péče",
    "sestřička domů",
    "senior taxi",
    "poradna pro rodinu",
    "manželská poradna",
    "občanská poradna",
    "právní pomoc zdarma",
]
# Place names typed with the query, in the forms people use.
PLACES = [
    "Brno",
    "v Brně",
    "Praha",
    "v Praze",
    "Ostrava",
    "Olomouc",
    "Kyjov",
    "Kyjově",
    "Plzeň",
    "Zlín",
    "Jihlava",
    "Vsetín",
    "Hodonín",
    "Tábor",
    "Opava",
    "Liberec",
]
# Municipalities chosen as "my municipality": big towns and a few small ones.
TOWNS = [
    "Praha",
    "Brno",
    "Ostrava",
    "Plzeň",
    "Olomouc",
    "Kyjov",
    "Jihlava",
    "Zlín",
    "Liberec",
    "České Budějovice",
    "Hradec Králové",
    "Pardubice",
    "Opava",
    "Tábor",
]


@dataclass(frozen=True)
class Query:
    """One search as the portal's URL carries it (/<territory>/hledat/?q=…&obec=…)."""

    q: str = ""
    obec: int | None = None
    druh: str = ""
    volna: bool = False
    situace: str = ""
    forma: str = ""
    strana: int = 1

    def params(self) -> dict[str, str]:
        params = {}
        if self.q:
            params["q"] = self.q
        if self.situace:
            params["situace"] = self.situace
        if self.druh:
            params["druh"] = self.druh
        if self.forma:
            params["forma"] = self.forma
        if self.obec:
            params["obec"] = str(self.obec)
        if self.volna:
            params["volna"] = "1"
        if self.strana > 1:
            params["strana"] = str(self.strana)
        return params

    def querystring(self) -> str:
        return urlencode(self.params())

    @property
    def has_filters(self) -> bool:
        return bool(self.obec or self.druh or self.volna or self.situace or self.forma)


def _variant(rng: random.Random, phrase: str) -> str:
    """Type it as people do: often without diacritics, sometimes in capitals or with a place."""
    r = rng.random()
    if r < 0.40:
        phrase = strip_diacritics(phrase)
    elif r < 0.47:
        phrase = phrase.capitalize()
    if rng.random() < 0.15:
        place = rng.choice(PLACES)
        phrase = f"{phrase} {strip_diacritics(place) if rng.random() < 0.4 else place}"
    return phrase


def build_queries(
    *,
    towns: dict[str, int],
    small_towns: list[int],
    type_codes: list[str],
    situations: list[str] = (),
    forms: list[str] = (),
    n: int = 200,
    seed: int = 7,
) -> list[Query]:
    """`towns`: name → code of big towns; `small_towns`: codes of other obce; the other
    lists are the codes of the code lists that filters may use."""
    rng = random.Random(seed)
    town_codes = [towns[t] for t in TOWNS if t in towns] or small_towns[:5]
    phrases = PHRASES[:]
    rng.shuffle(phrases)
    queries: list[Query] = []
    for i in range(n):
        kind = i % 10  # 0: filter-only browsing; 1–3: text + filters; 4–9: text only
        text = _variant(rng, phrases[i % len(phrases)]) if kind else ""
        if kind > 3:
            # Now and then someone reads on to the second page.
            queries.append(Query(q=text, strana=2 if rng.random() < 0.06 else 1))
            continue
        obec = None
        if rng.random() < 0.7:
            obec = rng.choice(town_codes) if rng.random() < 0.6 else rng.choice(small_towns)
        druh = rng.choice(type_codes) if (kind == 0 or rng.random() < 0.35) else ""
        volna = rng.random() < 0.4
        situace = rng.choice(situations) if situations and rng.random() < 0.12 else ""
        forma = rng.choice(forms) if forms and rng.random() < 0.15 else ""
        if not (obec or druh or volna or situace or forma):
            volna = True
        queries.append(
            Query(q=text, obec=obec, druh=druh, volna=volna, situace=situace, forma=forma)
        )
    rng.shuffle(queries)
    return queries

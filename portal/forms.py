"""The search form of the portal: parses GET parameters into `SearchFilters`.

Values come from links people share and from bots, so junk is expected: an unknown code
is reported next to the filters and the filter is left out, the rest of the search still
runs; a bad page number quietly means page 1.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from catalog.codes import code_lists
from directory.search import SearchFilters

# Czech alphabetical order: č after c, ř after r, š after s, ž after z, "ch" after h;
# the other accented letters sort with their base letter.
_CZECH_AFTER = {"č": "c~", "ř": "r~", "š": "s~", "ž": "z~"}


def czech_sort_key(text: str) -> tuple[str, str]:
    lowered = text.lower().replace("ch", "h~")
    primary = []
    for char in lowered:
        if char in _CZECH_AFTER:
            primary.append(_CZECH_AFTER[char])
            continue
        base = unicodedata.normalize("NFD", char)[0]
        primary.append(base)
    return "".join(primary), lowered


MUNICIPALITY_CACHE_SECONDS = 300
# Above this many obce a select is too long to use (and to send): the obec is typed instead.
MUNICIPALITY_SELECT_LIMIT = 300


def _plain(text: str) -> str:
    """Lower case without diacritics or surrounding spaces: how people type a name."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


_name_index: dict[tuple, tuple[float, dict[str, list[int]]]] = {}


def resolve_municipality(
    choices: list[tuple[int, str]], typed: str, *, key: tuple | None = None
) -> list[int]:
    """Codes of the territory's obce whose name (or "name (okres …)" label) is `typed`.

    The index of plain names is kept per territory for a few minutes (`key`): building it
    for 6,258 obce on every search would cost more than the search.
    """
    now = time.monotonic()
    cached = _name_index.get(key) if key is not None else None
    if cached is None or now - cached[0] > MUNICIPALITY_CACHE_SECONDS:
        index: dict[str, list[int]] = {}
        for code, label in choices:
            # The full label ("Březová (okres Opava)"), and the bare name marked with "~".
            index.setdefault(_plain(label), []).append(code)
            index.setdefault("~" + _plain(label.split(" (", 1)[0]), []).append(code)
        cached = (now, index)
        if key is not None:
            _name_index[key] = cached
    wanted = _plain(typed)
    return cached[1].get(wanted) or cached[1].get("~" + wanted, [])


_choices_memo: dict[tuple, tuple[float, list[tuple[int, str]], dict[int, str]]] = {}


def _territory_municipalities(territory) -> tuple[list[tuple[int, str]], dict[int, str]]:
    """(choices, code → label) of the territory's obce, kept per process for a few minutes.

    A national territory has 6,258 obce and the set changes only when a coordinator edits
    the territory. Kept in this process's memory rather than in Django's cache: reading
    6,258 pairs back from a cache (unpickling them) cost a few milliseconds per search.
    """
    key = (territory.pk, get_language())
    now = time.monotonic()
    memo = _choices_memo.get(key)
    if memo is None or now - memo[0] > MUNICIPALITY_CACHE_SECONDS:
        rows = list(territory.municipalities.values_list("code", "name", "district__name"))
        duplicated = _duplicates([name for _code, name, _district in rows])
        choices = [
            (code, _label(name, district) if name in duplicated else name)
            for code, name, district in rows
        ]
        choices.sort(key=lambda choice: czech_sort_key(choice[1]))
        memo = (now, choices, dict(choices))
        _choices_memo[key] = memo
    return memo[1], memo[2]


def territory_municipality_choices(territory) -> list[tuple[int, str]]:
    """(code, label) of the territory's obce in Czech order; namesakes get their okres."""
    return _territory_municipalities(territory)[0]


def reset_municipality_choices() -> None:
    """Forget the kept lists of obce (tests that change a territory's obce)."""
    _choices_memo.clear()
    _name_index.clear()


def _label(name: str, district: str) -> str:
    return gettext("%(name)s (okres %(district)s)") % {"name": name, "district": district}


def _duplicates(names: list[str]) -> set[str]:
    seen: set[str] = set()
    duplicated: set[str] = set()
    for name in names:
        if name in seen:
            duplicated.add(name)
        seen.add(name)
    return duplicated


@dataclass(frozen=True)
class ActiveFilter:
    """One chosen filter, shown as a removable chip above the results."""

    name: str
    label: str
    value: str
    remove_url: str


def parse_page(raw: str | None) -> int:
    """A page number from the URL; anything odd (text, zero, negative, huge) means page 1."""
    try:
        page = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return page if 1 <= page <= 100_000 else 1


class SearchForm(forms.Form):
    """GET parameters of the results page; field names are the Czech URL parameters."""

    VIEW_LIST = ""
    VIEW_MAP = "mapa"

    q = forms.CharField(
        label=_("Co hledáte?"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    situace = forms.ChoiceField(label=_("Životní situace"), required=False)
    druh = forms.ChoiceField(label=_("Druh služby"), required=False)
    skupina = forms.ChoiceField(label=_("Pro koho"), required=False)
    vek = forms.ChoiceField(label=_("Věk"), required=False)
    forma = forms.ChoiceField(label=pgettext_lazy("forma poskytování", "Forma"), required=False)
    # A code from the select (or a shared link), or a typed name in a large territory.
    obec = forms.CharField(label=_("Vaše obec"), required=False, max_length=120)
    volna = forms.BooleanField(label=_("Jen služby s volnými místy teď"), required=False)
    zobrazeni = forms.ChoiceField(
        required=False,
        choices=[(VIEW_LIST, _("seznam")), (VIEW_MAP, _("mapa"))],
    )

    # Parameters that filter the results (not the text, the page or the view).
    FILTER_FIELDS = ("situace", "druh", "skupina", "vek", "forma", "obec", "volna")

    def __init__(self, data: QueryDict, *, territory) -> None:
        super().__init__(data)
        self.territory = territory
        any_choice = ("", _("– všechny –"))
        codes = code_lists()
        self.situations = codes.situations
        self.service_types = codes.service_types
        self.fields["situace"].choices = [any_choice] + [(s.slug, s.label) for s in self.situations]
        self.fields["druh"].choices = [any_choice] + [
            (t.code, f"{t.label} ({t.paragraph_label})" if t.paragraph else t.label)
            for t in self.service_types
        ]
        self.fields["skupina"].choices = [any_choice] + [
            (g.code, g.label) for g in codes.target_groups
        ]
        self.fields["vek"].choices = [any_choice] + [(g.code, g.label) for g in codes.age_groups]
        self.fields["forma"].choices = [any_choice] + [(f.code, f.label) for f in codes.forms]
        self.municipality_choices, self.municipality_labels = _territory_municipalities(territory)
        self.municipality_typed = len(self.municipality_choices) > MUNICIPALITY_SELECT_LIMIT
        self.namesakes: list[tuple[int, str]] = []

    def full_clean(self) -> None:
        super().full_clean()
        # Tie each error message to its control for screen readers.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-error"

    def clean_obec(self) -> int | None:
        raw = (self.cleaned_data.get("obec") or "").strip()
        if not raw:
            return None
        labels = self.municipality_labels
        if raw.isdigit():
            if int(raw) in labels:
                return int(raw)
            raise forms.ValidationError(gettext("Tato obec do území nepatří."))
        codes = resolve_municipality(
            self.municipality_choices, raw, key=(self.territory.pk, get_language())
        )
        if not codes:
            raise forms.ValidationError(
                gettext("Obec „%(name)s“ v území nenacházíme; zkontrolujte název.")
                % {"name": raw[:60]}
            )
        # Namesakes (there are several Březová): take the first, offer the others.
        self.namesakes = [(code, labels[code]) for code in codes[1:]]
        return codes[0]

    def clean_q(self) -> str:
        # A pasted paragraph is cut rather than refused.
        return self.cleaned_data["q"][:200]

    @property
    def valid_data(self) -> dict:
        """Cleaned values of the fields that passed validation (the others are left out)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data

    def filters(self) -> SearchFilters:
        data = self.valid_data
        return SearchFilters(
            situation=data.get("situace") or "",
            service_type=data.get("druh") or "",
            target_group=data.get("skupina") or "",
            age_group=data.get("vek") or "",
            form=data.get("forma") or "",
            municipality=data.get("obec"),
            free_places=bool(data.get("volna")),
        )

    def query(self) -> str:
        return self.valid_data.get("q") or ""

    def is_map(self) -> bool:
        return self.valid_data.get("zobrazeni") == self.VIEW_MAP

    def municipality_label(self) -> str:
        code = self.valid_data.get("obec")
        return self.municipality_labels.get(code, "") if code else ""

    def active_filters(self, base_url: str) -> list[ActiveFilter]:
        """The filters in use, each with a link that removes it and keeps the others."""
        data = self.valid_data
        active = []
        for name in self.FILTER_FIELDS:
            value = data.get(name)
            if not value:
                continue
            field = self.fields[name]
            if name == "volna":
                shown = _("ano")
            elif name == "obec":
                shown = self.municipality_label()
            else:
                shown = dict(field.choices).get(value, value)
            params = self.data.copy()
            for key in (name, "strana"):
                params.pop(key, None)
            query = params.urlencode()
            active.append(
                ActiveFilter(
                    name=name,
                    label=str(field.label),
                    value=str(shown),
                    remove_url=f"{base_url}?{query}" if query else base_url,
                )
            )
        return active

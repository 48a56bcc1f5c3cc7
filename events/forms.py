"""Forms of the events app: the public calendar's filters, the registration form and the
organiser's event form with its simple recurrence ("every Tuesday 16:00 until June 30")."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from catalog.models import LifeSituation, TargetGroup
from directory.forms import clean_phone
from directory.models import Location
from events import recurrence
from events.models import Event
from events.queries import CalendarFilters, Occurrence
from events.recurrence import PRAGUE, Frequency
from territory.models import Municipality, Territory


class CalendarFilterForm(forms.Form):
    """GET parameters of the calendar; unknown values are left out, the rest still filters."""

    druh = forms.ChoiceField(label=_("Druh akce"), required=False)
    skupina = forms.ChoiceField(label=_("Pro koho"), required=False)
    situace = forms.ChoiceField(label=_("Životní situace"), required=False)
    zdarma = forms.BooleanField(label=_("Jen akce zdarma"), required=False)

    FILTER_FIELDS = ("druh", "skupina", "situace", "zdarma")

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        any_choice = ("", _("– všechny –"))
        self.fields["druh"].choices = [any_choice, *Event.Kind.choices]
        self.fields["skupina"].choices = [any_choice] + [
            (g.code, g.label) for g in TargetGroup.objects.all()
        ]
        self.fields["situace"].choices = [any_choice] + [
            (s.slug, s.label) for s in LifeSituation.objects.all()
        ]

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-error"

    @property
    def valid_data(self) -> dict:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data

    def filters(self) -> CalendarFilters:
        data = self.valid_data
        return CalendarFilters(
            kind=data.get("druh") or "",
            target_group=data.get("skupina") or "",
            situation=data.get("situace") or "",
            free_only=bool(data.get("zdarma")),
        )

    def is_filtered(self) -> bool:
        return any(self.valid_data.get(name) for name in self.FILTER_FIELDS)

    def querystring(self) -> str:
        """The valid filters as a query string, for links between the list and month views."""
        params = QueryDict(mutable=True)
        for name in self.FILTER_FIELDS:
            value = self.valid_data.get(name)
            if value:
                params[name] = "1" if value is True else value
        return params.urlencode()


def occurrence_label(occurrence: Occurrence) -> str:
    start = recurrence.local(occurrence.start)
    end = recurrence.local(occurrence.end)
    label = _("%(day)s %(date)s, %(start)s–%(end)s") % {
        "day": date_format(start, "l"),
        "date": date_format(start, "DATE_FORMAT"),
        "start": date_format(start, "TIME_FORMAT"),
        "end": date_format(end, "TIME_FORMAT"),
    }
    if occurrence.event.registration == Event.RegistrationMode.OPEN and occurrence.is_full:
        label = _("%(label)s (obsazeno – čekací listina)") % {"label": label}
    return label


class RegistrationForm(forms.Form):
    """Sign-up without an account: a name, one way to reach the person, and consent."""

    termin = forms.ChoiceField(label=_("Termín"))
    jmeno = forms.CharField(
        label=_("Jméno a příjmení"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Napište své jméno.")},
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("E-mail zadejte ve tvaru jmeno@example.cz.")},
    )
    telefon = forms.CharField(
        label=_("Telefon"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    souhlas = forms.BooleanField(
        label=_(
            "Souhlasím, aby pořadatel použil mé jméno a kontakt jen k této akci: k potvrzení "
            "přihlášky, ke zprávám o změnách a k připomenutí. Po akci údaje smaže."
        ),
        error_messages={
            "required": _("Bez souhlasu se přihlásit nejde. Můžete ale pořadateli zavolat.")
        },
    )

    # Never seen by people (hidden by CSS, skipped by screen readers and the keyboard); a
    # bot that fills every field gives itself away. The same name as the help-request form.
    web_adresa = forms.CharField(label=_("Toto pole nevyplňujte"), required=False, max_length=200)

    def __init__(self, data=None, *, occurrences: list[Occurrence], initial_key: str = ""):
        super().__init__(data, initial={"termin": initial_key} if initial_key else None)
        self.fields["web_adresa"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.occurrences = {o.key: o for o in occurrences}
        self.fields["termin"].choices = [(o.key, occurrence_label(o)) for o in occurrences]
        for name in ("email", "telefon"):
            self.fields[name].widget.attrs["aria-describedby"] = "contact-hint"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                described = f"id_{name}-error"
                if name in ("email", "telefon"):
                    described += " contact-hint"
                self.fields[name].widget.attrs["aria-describedby"] = described

    def clean_telefon(self) -> str:
        return clean_phone(self.cleaned_data["telefon"], self.fields["telefon"].label)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("email") and not data.get("telefon") and "email" not in self.errors:
            self.add_error(
                "email", _("Napište e-mail nebo telefon, ať vám můžeme dát vědět o změnách.")
            )
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("web_adresa"))

    @property
    def occurrence(self) -> Occurrence:
        return self.occurrences[self.cleaned_data["termin"]]


WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(recurrence.WEEKDAY_NAMES)]


def _required(label) -> dict:
    return {"required": format_lazy(_("Vyplňte pole „{label}“."), label=label)}


class EventForm(forms.ModelForm):
    """The organiser's event: what, where, for whom, when (with the simple recurrence)."""

    organization = forms.ModelChoiceField(label=_("Pořadatel"), queryset=None, empty_label=None)
    online_url = forms.URLField(
        label=_("Odkaz na online setkání"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Vložte celý odkaz, např. https://meet.example.cz/klub.")},
    )
    day = forms.DateField(
        label=_("Datum (první termín)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={**_required(_("Datum")), "invalid": _("Zadejte datum, např. 15. 9. 2026.")},
    )
    start_time = forms.TimeField(
        label=_("Od"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={**_required(_("Od")), "invalid": _("Zadejte čas, např. 16:00.")},
    )
    end_time = forms.TimeField(
        label=_("Do"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={**_required(_("Do")), "invalid": _("Zadejte čas, např. 17:30.")},
    )
    frequency = forms.ChoiceField(
        label=_("Opakování"),
        choices=Frequency.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Ve dnech (při opakování každý týden nebo každý druhý týden)"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    until = forms.DateField(
        label=_("Opakovat do"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Zadejte datum, např. 30. 6. 2027.")},
    )

    class Meta:
        model = Event
        fields = [
            "organization",
            "kind",
            "title",
            "description",
            "territory",
            "place_kind",
            "location",
            "municipality",
            "place_note",
            "online_url",
            "target_groups",
            "life_situations",
            "is_free",
            "price_text",
            "price_amount",
            "registration",
            "capacity",
        ]
        widgets = {
            "place_kind": forms.RadioSelect,
            "registration": forms.RadioSelect,
            "target_groups": forms.CheckboxSelectMultiple,
            "life_situations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, data=None, *, organizations, instance: Event | None = None):
        super().__init__(data, instance=instance)
        self.fields["organization"].queryset = organizations
        org_ids = list(organizations.values_list("id", flat=True))
        if instance is not None and instance.pk and not instance._state.adding:
            # An event's organiser does not change: its registrations belong to it.
            self.fields["organization"].disabled = True
            self.fields["organization"].initial = instance.organization_id
            local_start = recurrence.local(instance.start)
            self.initial.update(
                {
                    "day": local_start.date(),
                    "start_time": local_start.time(),
                    "end_time": recurrence.local(instance.end).time(),
                    **{
                        key: value
                        for key, value in recurrence.form_values(instance.rrule).items()
                        if key in ("frequency", "until")
                    },
                    "weekdays": [
                        str(d) for d in recurrence.form_values(instance.rrule)["weekdays"]
                    ],
                }
            )
        elif len(org_ids) == 1:
            self.fields["organization"].initial = org_ids[0]
        territories = Territory.objects.filter(
            Q(municipalities__locations__organization_id__in=org_ids)
            | Q(municipalities__in=_coverage_municipalities(org_ids))
        ).distinct()
        if instance is not None and instance.territory_id:
            territories = Territory.objects.filter(
                Q(id__in=territories.values("id")) | Q(id=instance.territory_id)
            )
        if not territories.exists():
            territories = Territory.objects.all()
        self.fields["territory"].queryset = territories.order_by("name")
        self.fields["location"].queryset = Location.objects.filter(
            organization_id__in=org_ids
        ).select_related("municipality")
        self.fields["location"].label_from_instance = _location_label
        local_territories = territories.exclude(kind=Territory.Kind.NATIONAL)
        self.fields["municipality"].queryset = (
            Municipality.objects.filter(territories__in=local_territories)
            .select_related("district")
            .distinct()
            .order_by("name", "code")
        )
        self.fields["municipality"].label_from_instance = Municipality.label
        self.fields["target_groups"].queryset = TargetGroup.objects.all()
        self.fields["life_situations"].queryset = LifeSituation.objects.all()
        self.fields["life_situations"].help_text = _(
            "Akce se ukáže i ve vyhledávání lidem, kteří hledají pomoc v těchto situacích."
        )
        self.fields["frequency"].help_text = _(
            "Jednou za měsíc = ve stejný den v týdnu jako první termín, např. každé první úterý."
        )
        for name in ("kind", "title", "territory"):
            self.fields[name].error_messages.update(_required(self.fields[name].label))

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def clean(self) -> dict:
        data = super().clean()
        self._clean_place_and_price(data)
        day, start_time, end_time = data.get("day"), data.get("start_time"), data.get("end_time")
        if not (day and start_time and end_time):
            return data
        start = datetime.combine(day, start_time, PRAGUE)
        end = datetime.combine(day, end_time, PRAGUE)
        if end <= start:
            self.add_error("end_time", _("Konec musí být po začátku (akce přes půlnoc neumíme)."))
            return data
        frequency = data.get("frequency") or Frequency.NONE
        rule = ""
        if frequency:
            until = data.get("until")
            if until is None:
                self.add_error("until", _("Napište, do kdy se akce opakuje."))
                return data
            if until < day:
                self.add_error("until", _("Konec opakování musí být po prvním termínu."))
                return data
            if until > day + timedelta(days=recurrence.MAX_SERIES_DAYS):
                self.add_error("until", _("Opakovaná akce může běžet nejvýš dva roky."))
                return data
            weekdays = [int(d) for d in data.get("weekdays") or []]
            rule = recurrence.build_rrule(
                frequency=frequency, start=start, until=until, weekdays=weekdays
            )
            first = recurrence.first(start, rule)
            if first is None:
                self.add_error("until", _("V tomto rozmezí nevychází žádný termín."))
                return data
            # "From Monday, every Tuesday and Thursday" starts on the first Tuesday.
            end = recurrence.occurrence_end(first, start, end)
            start = first
        data["start"], data["end"], data["rrule"] = start, end, rule
        return data

    def _clean_place_and_price(self, data: dict) -> None:
        place_kind = data.get("place_kind")
        location = data.get("location")
        organization = data.get("organization")
        if place_kind == Event.PlaceKind.LOCATION:
            if location is None:
                self.add_error("location", _("Vyberte místo organizace."))
            elif organization is not None and location.organization_id != organization.pk:
                self.add_error("location", _("Vybrané místo nepatří zvolenému pořadateli."))
        elif place_kind == Event.PlaceKind.MUNICIPALITY and not data.get("municipality"):
            self.add_error("municipality", _("Vyberte obec, kde se akce koná."))
        elif place_kind == Event.PlaceKind.ONLINE and not data.get("online_url"):
            self.add_error("online_url", _("Vložte odkaz na online setkání."))
        if (
            "is_free" in data
            and not data.get("is_free")
            and not data.get("price_text")
            and data.get("price_amount") is None
            and "price_amount" not in self.errors
        ):
            self.add_error("price_text", _("Napište, kolik akce stojí, nebo zaškrtněte „zdarma“."))

    def event_fields(self) -> dict:
        """The cleaned values as `services.create_event` / `update_event` take them."""
        data = self.cleaned_data
        names = [
            "kind",
            "title",
            "description",
            "territory",
            "place_kind",
            "location",
            "municipality",
            "online_url",
            "place_note",
            "is_free",
            "price_text",
            "price_amount",
            "capacity",
            "registration",
            "start",
            "end",
            "rrule",
        ]
        fields = {name: data.get(name) for name in names}
        # Only the chosen kind of place is kept.
        if fields["place_kind"] != Event.PlaceKind.LOCATION:
            fields["location"] = None
        if fields["place_kind"] != Event.PlaceKind.MUNICIPALITY:
            fields["municipality"] = None
        if fields["place_kind"] != Event.PlaceKind.ONLINE:
            fields["online_url"] = ""
        if fields["is_free"]:
            fields["price_text"], fields["price_amount"] = "", None
        for text in ("description", "online_url", "place_note", "price_text"):
            fields[text] = fields[text] or ""
        return fields


def _coverage_municipalities(org_ids):
    from directory.models import ServiceCoverage

    return ServiceCoverage.objects.filter(service__organization_id__in=org_ids).values(
        "municipality_id"
    )


def _location_label(location: Location) -> str:
    if location.address_hidden:
        return format_lazy(
            _("{name} ({municipality}, utajená adresa – veřejně se ukáže jen obec)"),
            name=location.name,
            municipality=location.municipality.name,
        )
    return f"{location.name} ({location.public_address})"


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Důvod zrušení (pošleme ho přihlášeným)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

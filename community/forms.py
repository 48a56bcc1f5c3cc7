"""Forms of community work: they parse and check input; `community.services` saves it.

Error messages name the field, so that a screen-reader user who jumps to the error list
knows where to go.
"""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from community.models import CommunityCentre, Meeting, Topic
from community.queries import STEPS
from community.services import WalkIn
from directory.models import Location
from events.models import Event
from events.recurrence import PRAGUE
from referrals.forms import MunicipalityChoiceField
from referrals.models import Consent, Person
from territory.models import Municipality, Territory

DATE_WIDGET = {"type": "date"}


def _required(label) -> dict:
    return {"required": format_lazy(_("Vyplňte pole „{label}“."), label=label)}


def user_label(user) -> str:
    return user.get_full_name() or user.get_username()


def person_label(person: Person) -> str:
    parts = [person.name]
    if person.birth_year:
        parts.append(str(person.birth_year))
    if person.municipality_id:
        parts.append(person.municipality.name)
    return ", ".join(parts)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_label(obj)


class AccessibleForm(forms.Form):
    """Marks fields with errors as invalid for assistive technology."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


def territories_for(organization_ids) -> forms.models.QuerySet:
    """Territories where the organisations have a place or a centre; every local one when
    that says nothing."""
    found = Territory.objects.filter(
        Q(municipalities__locations__organization_id__in=organization_ids)
        | Q(community_centres__organization_id__in=organization_ids)
    ).exclude(kind=Territory.Kind.NATIONAL)
    if not found.exists():
        found = Territory.objects.exclude(kind=Territory.Kind.NATIONAL)
    return Territory.objects.filter(id__in=found.values("id")).order_by("name")


def _organization_field(organizations) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=_("Organizace"),
        queryset=organizations,
        empty_label=None,
        error_messages={"required": _("Vyberte organizaci.")},
    )
    only = list(organizations[:2])
    if len(only) == 1:
        field.initial = only[0].pk
        field.widget = forms.HiddenInput()
    return field


# --- meetings --------------------------------------------------------------------------------


class MeetingForm(AccessibleForm):
    """A meeting: what, when, where, who leads it; minutes and decisions afterwards."""

    title = forms.CharField(
        label=_("Název setkání"),
        max_length=200,
        help_text=_("Například „Setkání k dopravě seniorů k lékaři“."),
        error_messages=_required(_("Název setkání")),
    )
    status = forms.ChoiceField(
        label=_("Stav"),
        choices=Meeting.Status.choices,
        initial=Meeting.Status.PLANNED,
        widget=forms.RadioSelect,
    )
    day = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={**_required(_("Datum")), "invalid": _("Zadejte datum, např. 15. 9. 2026.")},
    )
    time = forms.TimeField(
        label=_("Začátek"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={**_required(_("Začátek")), "invalid": _("Zadejte čas, např. 17:00.")},
    )
    territory = forms.ModelChoiceField(
        label=_("Území"),
        queryset=Territory.objects.none(),
        empty_label=None,
        error_messages=_required(_("Území")),
    )
    centre = forms.ModelChoiceField(
        label=_("Komunitní centrum"),
        queryset=CommunityCentre.objects.none(),
        required=False,
        empty_label=_("– žádné –"),
    )
    place = forms.ModelChoiceField(
        label=_("Místo organizace"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("– jiné místo (napište níže) –"),
    )
    place_note = forms.CharField(
        label=_("Místo (jiné nebo upřesnění)"),
        max_length=300,
        required=False,
        help_text=_("Například „sál obecního úřadu v Hosíně“."),
    )
    facilitators = UserMultipleChoiceField(
        label=_("Setkání vedli"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    anonymous_count = forms.IntegerField(
        label=_("Účastníci bez registrace (počet)"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("Lidé, kteří přišli, ale jméno nechtěli zapsat; jen je počítáme."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Účastníci bez registrace: zadejte celé číslo."),
            "min_value": _("Účastníci bez registrace: počet nemůže být záporný."),
        },
    )
    minutes = forms.CharField(
        label=_("Zápis"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Co se probíralo. Nepište sem citlivé údaje o konkrétních lidech."),
    )
    decisions = forms.CharField(
        label=_("Na čem jsme se dohodli"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, data=None, *, organizations, meeting: Meeting | None = None):
        initial = None
        if meeting is not None:
            local = timezone.localtime(meeting.held_at, PRAGUE)
            initial = {
                "title": meeting.title,
                "status": meeting.status,
                "day": local.date(),
                "time": local.time(),
                "territory": meeting.territory_id,
                "centre": meeting.centre_id,
                "place": meeting.place_id,
                "place_note": meeting.place_note,
                "facilitators": list(meeting.facilitators.values_list("pk", flat=True)),
                "anonymous_count": meeting.anonymous_count,
                "minutes": meeting.minutes,
                "decisions": meeting.decisions,
            }
        super().__init__(data, initial=initial)
        if meeting is None:
            self.fields = {"organization": _organization_field(organizations), **self.fields}
            org_ids = list(organizations.values_list("pk", flat=True))
        else:
            org_ids = [meeting.organization_id]
        territories = territories_for(org_ids)
        if meeting is not None:
            territories = Territory.objects.filter(
                Q(id__in=territories.values("id")) | Q(id=meeting.territory_id)
            ).order_by("name")
        self.fields["territory"].queryset = territories
        centres = CommunityCentre.objects.filter(organization_id__in=org_ids)
        self.fields["centre"].queryset = centres
        if not centres.exists():
            del self.fields["centre"]
        elif meeting is None and centres.count() == 1:
            self.fields["centre"].initial = centres.first().pk
        self.fields["place"].queryset = Location.objects.filter(
            organization_id__in=org_ids
        ).select_related("municipality")
        self.fields["place"].label_from_instance = _location_label
        self.fields["facilitators"].queryset = (
            get_user_model()
            .objects.filter(memberships__organization_id__in=org_ids, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )

    def clean(self) -> dict:
        data = super().clean()
        day, start = data.get("day"), data.get("time")
        if day and start:
            data["held_at"] = datetime.combine(day, start, PRAGUE)
        if data.get("anonymous_count") is None:
            data["anonymous_count"] = 0
        return data

    def meeting_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data.get(name)
            for name in (
                "title",
                "status",
                "held_at",
                "territory",
                "place",
                "place_note",
                "anonymous_count",
                "minutes",
                "decisions",
            )
        }
        if "centre" in self.fields:
            fields["centre"] = data.get("centre")
        for text in ("place_note", "minutes", "decisions"):
            fields[text] = fields[text] or ""
        return fields


def _location_label(location: Location) -> str:
    if location.address_hidden:
        return format_lazy(
            _("{name} ({municipality}, utajená adresa)"),
            name=location.name,
            municipality=location.municipality.name,
        )
    return f"{location.name} ({location.public_address})"


class AnonymousCountForm(AccessibleForm):
    anonymous_count = forms.IntegerField(
        label=_("Účastníci bez registrace (počet)"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Účastníci bez registrace: zadejte počet (třeba 0)."),
            "invalid": _("Účastníci bez registrace: zadejte celé číslo."),
            "min_value": _("Účastníci bez registrace: počet nemůže být záporný."),
        },
    )


# --- topics ----------------------------------------------------------------------------------


class TopicForm(AccessibleForm):
    title = forms.CharField(
        label=_("Téma"),
        max_length=200,
        help_text=_("Potřeba nebo problém komunity, například „doprava seniorů k lékaři“."),
        error_messages=_required(_("Téma")),
    )
    description = forms.CharField(
        label=_("Popis"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data=None, *, organizations=None, territories=None, prefix=None):
        super().__init__(data, prefix=prefix)
        if organizations is not None:
            self.fields["organization"] = _organization_field(organizations)
        if territories is not None:
            self.fields["territory"] = forms.ModelChoiceField(
                label=_("Území"),
                queryset=territories,
                empty_label=None,
                error_messages=_required(_("Území")),
            )


class MeetingTopicForm(AccessibleForm):
    """Put a topic on a meeting: one of the board's, or a new one."""

    topic = forms.ModelChoiceField(
        label=_("Téma z nástěnky"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("– nové téma (napište níže) –"),
    )
    new_title = forms.CharField(label=_("Nové téma"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Co k tématu zaznělo"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, meeting: Meeting):
        super().__init__(data, prefix="tema")
        self.fields["topic"].queryset = Topic.objects.filter(
            organization_id=meeting.organization_id, territory_id=meeting.territory_id
        ).exclude(meeting_topics__meeting=meeting)
        self.fields["topic"].label_from_instance = lambda t: f"{t.title} ({t.get_status_display()})"

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("topic") and not (data.get("new_title") or "").strip():
            self.add_error("topic", _("Vyberte téma z nástěnky, nebo napište nové."))
        return data


class TopicStatusForm(AccessibleForm):
    to = forms.ChoiceField(
        label=_("Nový stav"), choices=Topic.Status.choices, widget=forms.RadioSelect
    )
    meeting = forms.ModelChoiceField(
        label=_("Na setkání"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("– mimo setkání –"),
    )
    note = forms.CharField(
        label=_("Poznámka ke změně"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, topic: Topic, meeting: Meeting | None = None, prefix=None):
        super().__init__(data, prefix=prefix, initial={"meeting": meeting.pk if meeting else None})
        self.fields["to"].choices = [
            (value, label) for value, label in Topic.Status.choices if value != topic.status
        ]
        self.fields["meeting"].queryset = Meeting.objects.filter(
            organization_id=topic.organization_id, territory_id=topic.territory_id
        )
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.title} ({timezone.localtime(m.held_at, PRAGUE):%d. %m. %Y})"
        )
        if meeting is not None:
            self.fields["meeting"].widget = forms.HiddenInput()


# --- attendance ------------------------------------------------------------------------------


class AttendanceAddForm(AccessibleForm):
    person = PersonChoiceField(
        label=_("Registrovaná osoba"),
        queryset=Person.objects.none(),
        empty_label=_("– vyberte osobu –"),
        help_text=_(
            "Jen osoby vaší organizace s platným souhlasem s účastí v komunitních aktivitách."
        ),
        error_messages={"required": _("Vyberte osobu, která přišla.")},
    )

    def __init__(self, data=None, *, persons):
        super().__init__(data, prefix="ucast")
        self.fields["person"].queryset = persons


class ParticipantForm(AccessibleForm):
    """A new participant who agrees to be registered: their name, consent and attendance."""

    name = forms.CharField(
        label=_("Jméno a příjmení"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Napište jméno nového účastníka.")},
    )
    birth_year = forms.IntegerField(
        label=_("Rok narození"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Rok narození: zadejte čtyřmístný rok, například 1958.")},
    )
    municipality = MunicipalityChoiceField(
        label=_("Obec, kde žije"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("– neuvedeno –"),
    )
    given_by = forms.ChoiceField(
        label=_("Kdo souhlas s účastí v komunitních aktivitách dal"),
        choices=Consent.GivenBy.choices,
        initial=Consent.GivenBy.SELF,
        widget=forms.RadioSelect,
    )
    witness = forms.CharField(
        label=_("Svědek ústního souhlasu"),
        required=False,
        max_length=200,
        help_text=_("Jméno a funkce svědka; vyplňte u souhlasu daného ústně."),
    )
    consent = forms.BooleanField(
        label=_(
            "Osoba souhlasí, aby organizace vedla její jméno a účast v komunitních aktivitách "
            "(pro jejich organizaci a vykazování projektu). Souhlas nikomu dalšímu údaje nedává."
        ),
        error_messages={"required": _("Bez souhlasu osobu nezapíšeme; jen ji započtěte.")},
        label_suffix="",
    )

    def __init__(self, data=None, *, municipalities):
        super().__init__(data, prefix="novy")
        self.fields["municipality"].queryset = municipalities

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if year is not None and not (this_year - 120 <= year <= this_year):
            raise forms.ValidationError(
                _("Rok narození: zadejte rok mezi %(first)s a %(last)s.")
                % {"first": this_year - 120, "last": this_year}
            )
        return year

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("given_by") == Consent.GivenBy.VERBAL_WITNESSED
            and not (data.get("witness") or "").strip()
        ):
            self.add_error("witness", _("U ústního souhlasu uveďte svědka."))
        return data


# --- follow-up actions -----------------------------------------------------------------------


class FollowUpForm(AccessibleForm):
    description = forms.CharField(
        label=_("Co se má udělat"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Napište, co se má udělat.")},
    )
    owner = UserChoiceField(
        label=_("Kdo (z vaší organizace)"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("– někdo jiný (napište níže) –"),
    )
    owner_text = forms.CharField(
        label=_("Kdo (jiný člověk nebo role)"),
        max_length=200,
        required=False,
        help_text=_("Například „starosta Hosína“ nebo „komunitní lídryně klubu“."),
    )
    due_on = forms.DateField(
        label=_("Do kdy"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vyplňte, do kdy má být úkol hotový."),
            "invalid": _("Do kdy: zadejte datum, např. 30. 9. 2026."),
        },
    )

    def __init__(self, data=None, *, meeting: Meeting):
        super().__init__(data, prefix="ukol")
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__organization_id=meeting.organization_id, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("owner") and not (data.get("owner_text") or "").strip():
            self.add_error("owner", _("Vyberte, kdo úkol udělá, nebo ho napište."))
        return data


# --- leaders ---------------------------------------------------------------------------------


class EventMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Event) -> str:
        return f"{obj.title} ({obj.organization.alternate_name or obj.organization.name})"


class LeaderForm(AccessibleForm):
    person = PersonChoiceField(
        label=_("Osoba"),
        queryset=Person.objects.none(),
        empty_label=_("– vyberte osobu –"),
        help_text=_(
            "Jen osoby vaší organizace s platným souhlasem s účastí v komunitních aktivitách. "
            "Chybí-li souhlas, zaznamenejte ho na kartě osoby."
        ),
        error_messages={"required": _("Vyberte osobu.")},
    )
    territory = forms.ModelChoiceField(
        label=_("Území"),
        queryset=Territory.objects.none(),
        empty_label=None,
        error_messages=_required(_("Území")),
    )
    since = forms.DateField(
        label=_("Lídrem/lídryní od"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={
            **_required(_("Lídrem/lídryní od")),
            "invalid": _("Od: zadejte datum, např. 1. 3. 2026."),
        },
    )
    activities = EventMultipleChoiceField(
        label=_("Aktivity v kalendáři, které garantuje"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activity_note = forms.CharField(
        label=_("Jakou aktivitu garantuje (slovy)"),
        max_length=300,
        required=False,
        help_text=_("Například „vede kavárnu pro seniory“ nebo „organizuje sousedské trhy“."),
    )
    note = forms.CharField(
        label=_("Poznámka"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, persons, organizations):
        super().__init__(data, initial={"since": timezone.localdate()})
        org_ids = list(organizations.values_list("pk", flat=True))
        self.fields["person"].queryset = persons
        self.fields["territory"].queryset = territories_for(org_ids)
        self.fields["activities"].queryset = (
            Event.objects.filter(organization_id__in=org_ids)
            .exclude(status=Event.Status.CANCELLED)
            .select_related("organization")
            .order_by("title")
        )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("activities") and not (data.get("activity_note") or "").strip():
            self.add_error(
                "activity_note", _("Napište, jakou aktivitu lídr garantuje, nebo ji vyberte.")
            )
        return data


class EndLeaderForm(AccessibleForm):
    until = forms.DateField(
        label=_("Lídrem/lídryní do"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vyplňte, kdy lídr skončil."),
            "invalid": _("Do: zadejte datum, např. 31. 3. 2026."),
        },
    )

    def __init__(self, data=None):
        super().__init__(data, initial={"until": timezone.localdate()})


class LeadersRangeForm(forms.Form):
    """The leaders-over-time table: which territory, from when to when, by what step."""

    uzemi = forms.ModelChoiceField(
        label=_("Území"), queryset=Territory.objects.none(), empty_label=None
    )
    od = forms.DateField(
        label=_("Od"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )
    do = forms.DateField(
        label=_("Do"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )
    krok = forms.ChoiceField(
        label=_("Rozdělit po"),
        required=False,
        choices=[
            ("month", _("měsících")),
            ("quarter", _("čtvrtletích")),
            ("year", _("letech")),
        ],
    )

    def __init__(self, data, *, territories, initial=None):
        super().__init__(data, initial=initial)
        self.fields["uzemi"].queryset = territories
        self.fields["uzemi"].to_field_name = "slug"

    def values(self, *, default_start: date) -> tuple[Territory | None, date, date, str]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        territory = data.get("uzemi") or self.fields["uzemi"].queryset.first()
        start = data.get("od") or default_start
        end = data.get("do") or today
        if end < start:
            start, end = end, start
        step = data.get("krok") or "month"
        if step not in STEPS:
            step = "month"
        # At most ten years of months: a table people can read.
        if (end - start).days > 3700:
            start = date(end.year - 10, end.month, 1)
        return territory, start, end, step


# --- attendance sheets -----------------------------------------------------------------------

WALK_IN_ROWS = 8


class SheetForm(AccessibleForm):
    """Attendance written back from a signed sheet: one checkbox per listed person or
    registration, rows for the walk-ins written by hand, and the count of the unnamed."""

    anonymous_count = forms.IntegerField(
        label=_("Účastníci bez registrace (počet)"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Kdo se podepsal jen čárkou nebo jméno nechtěl zapsat."),
        error_messages={
            "required": _("Účastníci bez registrace: zadejte počet (třeba 0)."),
            "invalid": _("Účastníci bez registrace: zadejte celé číslo."),
            "min_value": _("Účastníci bez registrace: počet nemůže být záporný."),
        },
    )

    def __init__(
        self,
        data=None,
        *,
        attendances,
        registrations=(),
        anonymous_count=0,
        walk_in_rows=WALK_IN_ROWS,
    ):
        super().__init__(data, initial={"anonymous_count": anonymous_count})
        self.attendance_rows = []
        for attendance in attendances:
            name = f"a_{attendance.pk}"
            self.fields[name] = forms.BooleanField(
                label=attendance.person.name if attendance.person_id else _("(bez jména)"),
                required=False,
                initial=attendance.attended,
            )
            self.attendance_rows.append((attendance, name))
        self.registration_rows = []
        for registration in registrations:
            name = f"r_{registration.pk}"
            self.fields[name] = forms.BooleanField(
                label=registration.name, required=False, initial=bool(registration.attended)
            )
            self.registration_rows.append((registration, name))
        self.walk_in_numbers = list(range(1, walk_in_rows + 1))
        for number in self.walk_in_numbers:
            self.fields[f"w{number}_name"] = forms.CharField(
                label=format_lazy(_("Nový účastník {n}: jméno"), n=number),
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
            self.fields[f"w{number}_birth_year"] = forms.IntegerField(
                label=format_lazy(_("Nový účastník {n}: rok narození"), n=number),
                required=False,
                min_value=timezone.localdate().year - 120,
                max_value=timezone.localdate().year,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": format_lazy(
                        _("Nový účastník {n}: rok narození zadejte jako čtyřmístný rok."), n=number
                    ),
                    "min_value": format_lazy(
                        _("Nový účastník {n}: rok narození není možný."), n=number
                    ),
                    "max_value": format_lazy(
                        _("Nový účastník {n}: rok narození není možný."), n=number
                    ),
                },
            )
            self.fields[f"w{number}_consent"] = forms.BooleanField(
                label=format_lazy(_("Nový účastník {n}: podpisem dal/a souhlas"), n=number),
                required=False,
                label_suffix="",
            )

    def listed_fields(self):
        """(bound checkbox, kind) of everyone on the printed list, for the template."""
        rows = [(self[name], _("přihláška na akci")) for _r, name in self.registration_rows]
        rows += [(self[name], _("registrovaný účastník")) for _a, name in self.attendance_rows]
        return rows

    def walk_in_fields(self):
        """(number, name field, year field, consent field) for the template."""
        return [
            (n, self[f"w{n}_name"], self[f"w{n}_birth_year"], self[f"w{n}_consent"])
            for n in self.walk_in_numbers
        ]

    def present_attendances(self) -> set[str]:
        return {str(a.pk) for a, name in self.attendance_rows if self.cleaned_data.get(name)}

    def present_registrations(self) -> set[str]:
        return {str(r.pk) for r, name in self.registration_rows if self.cleaned_data.get(name)}

    def walk_ins(self) -> list[WalkIn]:
        return [
            WalkIn(
                row=n,
                name=" ".join((self.cleaned_data.get(f"w{n}_name") or "").split()),
                consent=bool(self.cleaned_data.get(f"w{n}_consent")),
                birth_year=self.cleaned_data.get(f"w{n}_birth_year"),
            )
            for n in self.walk_in_numbers
        ]

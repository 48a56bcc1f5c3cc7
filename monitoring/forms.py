"""Forms of project monitoring: they parse and check input; `monitoring.services` saves it.

Error messages name the field; Django links each error to its control (aria-describedby).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import TargetGroup
from monitoring.models import (
    Activity,
    Indicator,
    KeyActivity,
    Participant,
    Project,
    ProjectPartner,
    ServiceStatistics,
)
from monitoring.services import CARD_FIELDS, STATISTICS_FIELDS, check_registration_number

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".odt", ".xlsx", ".ods", ".csv")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "registration_number",
            "name",
            "programme",
            "territory",
            "implementer",
            "start_date",
            "end_date",
            "budget",
            "period_months",
            "aim",
            "target_groups",
            "target_groups_text",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "target_groups": forms.CheckboxSelectMultiple,
            "aim": forms.Textarea(attrs={"rows": 4}),
            "target_groups_text": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "registration_number": _(
                "Například CZ.03.02.01/00/22_008/0000060 (OPZ+) nebo "
                "CZ.03.2.63/0.0/0.0/15_007/0001234 (OPZ)."
            ),
            "period_months": _("Období se dají změnit, dokud žádné není uzamčené."),
        }

    def __init__(self, *args, territories, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories
        self.fields["implementer"].queryset = organizations
        self.fields["target_groups"].queryset = TargetGroup.objects.order_by("order", "name")
        self.fields["target_groups"].required = False

    def clean(self):
        data = super().clean()
        number, programme = data.get("registration_number"), data.get("programme")
        if number and programme:
            try:
                data["registration_number"] = check_registration_number(
                    number=number, programme=programme
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Konec realizace je dřív než její začátek."))
        return data


class PartnerForm(forms.ModelForm):
    class Meta:
        model = ProjectPartner
        fields = ["organization", "role", "note"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class KeyActivityForm(forms.ModelForm):
    class Meta:
        model = KeyActivity
        fields = ["code", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "kind",
            "source",
            "aggregation",
            "baseline",
            "target",
            "target_invented",
            "description",
            "order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": _("Kód z programu, například 6 00 00, nebo vlastní zkratka."),
            "source": _("Jen u indikátorů, které se počítají ze záznamů."),
            "aggregation": _(
                "Počty za období se sčítají (osoby, setkání); stav se bere z posledního "
                "období (podporované služby, centra v provozu)."
            ),
        }


class TargetForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=None,
        required=False,
        empty_label=_("– všichni (cíl za období) –"),
    )
    period = forms.ModelChoiceField(
        label=_("Období"),
        queryset=None,
        required=False,
        empty_label=_("– celý projekt (cíl partnera) –"),
    )
    target = forms.DecimalField(
        label=_("Cílová hodnota"),
        required=False,
        min_value=0,
        help_text=_("Prázdné pole dílčí cíl odstraní."),
    )

    def __init__(self, *args, organizations, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["period"].queryset = periods

    def clean(self):
        data = super().clean()
        if not data.get("organization") and not data.get("period"):
            raise forms.ValidationError(_("Vyberte partnera, období, nebo obojí."))
        return data


class ValueForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Období"), queryset=None, empty_label=None)
    organization = forms.ModelChoiceField(
        label=_("Za koho"), queryset=None, required=False, empty_label=None
    )
    value = forms.DecimalField(label=_("Hodnota"), min_value=0, max_digits=14, decimal_places=2)
    evidence_file = forms.FileField(
        label=_("Doklad (soubor)"),
        required=False,
        help_text=_("PDF, obrázek nebo tabulka do 10 MB, například prezenční listina."),
    )
    evidence_url = forms.URLField(
        label=_("Doklad (odkaz)"), required=False, max_length=500, assume_scheme="https"
    )
    note = forms.CharField(
        label=_("Poznámka"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kde je doklad k nahlédnutí, když ho nepřikládáte."),
    )

    def __init__(self, *args, periods, organizations, whole_project: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["organization"].queryset = organizations
        if whole_project:
            self.fields["organization"].empty_label = _("– celý projekt –")
        else:
            self.fields["organization"].required = True

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return upload
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("Soubor je větší než 10 MB."))
        if Path(upload.name).suffix.lower() not in EVIDENCE_EXTENSIONS:
            raise forms.ValidationError(
                _("Přiložte soubor PDF, JPG, PNG, DOCX, ODT, XLSX, ODS nebo CSV.")
            )
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("schválit")), ("return", _("vrátit k opravě"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Co je potřeba opravit"), required=False, max_length=500)


def _blank_choices(field) -> list:
    return [("", _("– zatím nevíme –")), *field.choices]


class ParticipantCardForm(forms.ModelForm):
    """The ESF+ card. Empty means "not asked yet"; "refused" is an answer."""

    class Meta:
        model = Participant
        fields = list(CARD_FIELDS)
        widgets = {"left_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CARD_FIELDS:
            field = self.fields[name]
            field.required = False
            if isinstance(field, forms.TypedChoiceField):
                field.choices = _blank_choices(Participant._meta.get_field(name))
        self.fields["birth_year"].help_text = _("Věk při vstupu se z něj spočítá.")
        self.fields["rural_area"].help_text = _(
            "Z obce bydliště se odvodí, je-li to jasné (vesnice ano, sídlo ORP ne); jinak "
            "ji určete."
        )


class ParticipantEntryForm(ParticipantCardForm):
    person = forms.ModelChoiceField(label=_("Osoba"), queryset=None)
    entered_on = forms.DateField(label=_("Datum vstupu do projektu"), widget=DateInput())

    class Meta(ParticipantCardForm.Meta):
        fields = ["person", "entered_on", *CARD_FIELDS]

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.name} ({p.birth_year})" if p.birth_year else p.name
        )
        self.fields["person"].help_text = _(
            "Osoby vaší organizace. Do projektu lze zařadit jen osobu, která dala souhlas s "
            "účastí v projektu."
        )
        self.fields.pop("left_on")
        if not self.is_bound:
            self.initial.setdefault("entered_on", timezone.localdate())


class ActivityForm(forms.Form):
    day = forms.DateField(label=_("Datum"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Druh podpory"), choices=Activity.Kind.choices)
    hours = forms.DecimalField(
        label=_("Hodiny"), min_value=0, max_value=24, max_digits=6, decimal_places=2
    )
    key_activity = forms.ModelChoiceField(
        label=_("Klíčová aktivita"), queryset=None, required=False
    )
    organization = forms.ModelChoiceField(label=_("Kdo podporu dal"), queryset=None)

    def __init__(self, *args, key_activities, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_activity"].queryset = key_activities
        self.fields["organization"].queryset = organizations


class StatisticsForm(forms.ModelForm):
    class Meta:
        model = ServiceStatistics
        fields = list(STATISTICS_FIELDS)

    def __init__(self, *args, service_forms: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        for name in STATISTICS_FIELDS:
            if name != "refused_note":
                self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        # Fields of forms the service is not registered in are left out of the form.
        for form, names in ServiceStatistics.FORM_FIELDS.items():
            if form not in service_forms:
                for name in names:
                    self.fields.pop(name, None)


class PlanningForm(forms.Form):
    od = forms.DateField(label=_("Od"), widget=DateInput(), required=False)
    do = forms.DateField(label=_("Do"), widget=DateInput(), required=False)

    def range(self, today: date) -> tuple[date, date]:
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("do") or today
        start = data.get("od") or date(end.year - 2, end.month, 1)
        if start > end:
            start, end = end, start
        return start, end

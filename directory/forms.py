"""Forms of the directory's self-service: they validate input, the services save it.

Every error message names its field, so that a provider who fills the form on a phone
knows what to fix without seeing the highlighted input.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from catalog.models import AgeGroup, ProvisionForm, TargetGroup
from directory.models import Location, Organization, Schedule, Service
from territory.models import Municipality

# A generous box around the Czech Republic: catches swapped or mistyped coordinates.
LATITUDE_RANGE = (48.5, 51.1)
LONGITUDE_RANGE = (12.0, 18.9)

_PHONE_CHARS = re.compile(r"^[+0-9 ()/,–-]+$")


def count_field(label, *, required: bool = True, initial: int | None = None, maximum=100_000):
    """A whole non-negative number whose error messages say which field is wrong."""
    return forms.IntegerField(
        label=label,
        required=required,
        initial=initial,
        min_value=0,
        max_value=maximum,
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        error_messages={
            "required": format_lazy(_("Vyplňte pole „{label}“."), label=label),
            "invalid": format_lazy(
                _("Pole „{label}“: zadejte celé číslo, například 3."), label=label
            ),
            "min_value": format_lazy(_("Pole „{label}“: číslo nesmí být záporné."), label=label),
            "max_value": format_lazy(_("Pole „{label}“: číslo je příliš velké."), label=label),
        },
    )


def clean_phone(value: str, label) -> str:
    value = " ".join(value.split())
    if not value:
        return value
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE_CHARS.match(value) or digits < 9:
        raise ValidationError(
            format_lazy(
                _("Pole „{label}“: zadejte telefonní číslo, například +420 777 123 456."),
                label=label,
            ),
            code="invalid_phone",
        )
    return value


class CapacityForm(forms.Form):
    """Free places and the waiting list: the one screen a provider fills most often."""

    free_places = count_field(_("Volná místa"))
    waiting_list = count_field(_("Čeká v pořadníku"), initial=0)
    typical_wait_days = count_field(_("Obvyklá čekací doba (dny)"), required=False, maximum=3650)
    note = forms.CharField(
        label=_("Poznámka"),
        required=False,
        max_length=300,
        help_text=_("Například: „Volno od března“ nebo „Jen pro ženy“."),
        error_messages={
            "max_length": format_lazy(
                _("Pole „{label}“: nejvýše %(limit_value)d znaků."), label=_("Poznámka")
            ),
        },
    )


class ServiceForm(forms.ModelForm):
    url = forms.URLField(label=_("web"), required=False, assume_scheme="https")

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "eligibility",
            "application_process",
            "fees_description",
            "is_free",
            "forms",
            "target_groups",
            "age_groups",
            "email",
            "phone",
            "url",
            "status",
        ]
        widgets = {
            "forms": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "age_groups": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "application_process": forms.Textarea(attrs={"rows": 3}),
            "fees_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forms"].queryset = ProvisionForm.objects.order_by("order", "name")
        self.fields["target_groups"].queryset = TargetGroup.objects.order_by("order", "name")
        self.fields["age_groups"].queryset = AgeGroup.objects.order_by("order", "name")
        self.fields["name"].error_messages["required"] = _("Vyplňte název služby.")

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"], self.fields["phone"].label)


class OrganizationForm(forms.ModelForm):
    """The IČO is checked by the model's validator (eight digits and the check digit)."""

    # Longer than the stored eight digits: "123 45 678" is accepted and cleaned of spaces;
    # the model's validator then checks the digits and the check digit.
    ico = forms.CharField(label=_("IČO"), max_length=12, required=False)
    website = forms.URLField(label=_("web"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name", "ico", "email", "website", "phone", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Vyplňte název organizace.")
        self.fields["ico"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_ico(self) -> str:
        return "".join(self.cleaned_data["ico"].split())

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"], self.fields["phone"].label)


class LocationForm(forms.ModelForm):
    """A place of the organisation; the obec is entered by its ČSÚ code and checked."""

    municipality = forms.IntegerField(
        label=_("Kód obce (ČSÚ)"),
        min_value=1,
        help_text=_("Šestimístný kód obce podle ČSÚ, například 586307 pro Kyjov."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Vyplňte kód obce."),
            "invalid": _("Kód obce: zadejte číslo, například 586307."),
            "min_value": _("Kód obce: zadejte číslo, například 586307."),
        },
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Služby poskytované na tomto místě"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Location
        fields = [
            "name",
            "street",
            "city",
            "postal_code",
            "municipality",
            "latitude",
            "longitude",
            "accessibility",
            "transport",
            "address_hidden",
        ]
        widgets = {
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "transport": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "address_hidden": _(
                "Azylové domy a intervenční centra: adresa se nikde nezobrazí ani neexportuje, "
                "veřejně je vidět jen obec."
            ),
        }

    def __init__(self, *args, services=None, **kwargs) -> None:
        """`services`: the organisation's services the user may place here."""
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["services"].queryset = services
        else:
            del self.fields["services"]
        if self.instance.pk and "services" in self.fields:
            self.fields["services"].initial = list(
                self.instance.services.values_list("pk", flat=True)
            )
        self.fields["name"].error_messages["required"] = _("Vyplňte název místa.")

    def clean_municipality(self) -> Municipality:
        code = self.cleaned_data["municipality"]
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise ValidationError(
                _("Kód obce: obec s kódem %(code)s neexistuje."),
                code="unknown_municipality",
                params={"code": code},
            )
        return municipality

    def clean_postal_code(self) -> str:
        value = "".join(self.cleaned_data["postal_code"].split())
        if not value:
            return value
        if len(value) != 5 or not value.isdigit():
            raise ValidationError(
                _("PSČ: zadejte pět číslic, například 697 01."), code="invalid_postal_code"
            )
        return f"{value[:3]} {value[3:]}"

    def clean(self) -> dict:
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        coordinates_parsed = not self.has_error("latitude") and not self.has_error("longitude")
        if (lat is None) != (lon is None) and coordinates_parsed:
            self.add_error(
                "latitude" if lat is None else "longitude",
                _("Souřadnice: vyplňte zeměpisnou šířku i délku, nebo ani jednu."),
            )
        if lat is not None and not LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]:
            self.add_error(
                "latitude",
                _("Zeměpisná šířka: %(value)s neleží v Česku (čekáme 48,5 až 51,1).")
                % {"value": lat},
            )
        if lon is not None and not LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]:
            self.add_error(
                "longitude",
                _("Zeměpisná délka: %(value)s neleží v Česku (čekáme 12,0 až 18,9).")
                % {"value": lon},
            )
        return data


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = Schedule
        fields = ["weekday", "opens_at", "closes_at", "note"]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "weekday": {"required": _("Vyberte den.")},
            "opens_at": {
                "required": _("Vyplňte čas „od“."),
                "invalid": _("Čas „od“: zadejte čas, například 8:00."),
            },
            "closes_at": {
                "required": _("Vyplňte čas „do“."),
                "invalid": _("Čas „do“: zadejte čas, například 16:30."),
            },
        }

    def clean(self) -> dict:
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens is not None and closes is not None and closes <= opens:
            self.add_error("closes_at", _("Čas „do“ musí být později než čas „od“."))
        return data


class BaseScheduleFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        # A line that was loaded with the page but is no longer among the service's
        # schedules: deleted meanwhile in another tab, or an id that is not this service's.
        if any(form.instance._state.adding for form in self.initial_forms):
            raise ValidationError(
                _(
                    "Některý řádek otevírací doby mezitím někdo změnil nebo smazal. "
                    "Načtěte stránku znovu a zadejte změny ještě jednou."
                ),
                code="stale_schedule",
            )


ScheduleFormSet = forms.inlineformset_factory(
    Service,
    Schedule,
    form=ScheduleForm,
    formset=BaseScheduleFormSet,
    extra=2,
    can_delete=True,
    max_num=50,
    validate_max=True,
)

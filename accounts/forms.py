"""Forms of territory coordination: they validate input, `accounts.services` saves it."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from directory.forms import clean_phone
from directory.validators import validate_ico
from territory.models import Territory


class AddOrganizationForm(forms.Form):
    name = forms.CharField(
        label=_("Název organizace"),
        max_length=300,
        error_messages={"required": _("Vyplňte název organizace.")},
    )
    ico = forms.CharField(
        label=_("IČO"),
        max_length=12,
        required=False,
        help_text=_("Osm číslic. Neformální skupina bez IČO nechá pole prázdné."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Sídlo (obec)"),
        queryset=None,
        error_messages={
            "required": _("Vyberte obec, kde organizace sídlí."),
            "invalid_choice": _("Sídlo: vybraná obec nepatří do území."),
        },
    )

    def __init__(self, *args, territory: Territory, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = territory.municipalities.order_by("name")

    def clean_ico(self) -> str:
        ico = "".join(self.cleaned_data["ico"].split())
        if ico:
            validate_ico(ico)
        return ico


class AddMemberForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organizace"),
        queryset=None,
        error_messages={
            "required": _("Vyberte organizaci."),
            "invalid_choice": _("Organizace: vybraná organizace v území není."),
        },
    )
    username = forms.CharField(
        label=_("Uživatelské jméno"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Písmena, číslice a znaky @ . + - _; například jana.novakova."),
        error_messages={"required": _("Vyplňte uživatelské jméno.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        error_messages={
            "required": _("Vyplňte e-mail."),
            "invalid": _("E-mail: zadejte platnou adresu, například jana@example.cz."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.PROVIDER_STAFF,
    )

    def __init__(self, *args, organizations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class RemoveMemberForm(forms.Form):
    membership = forms.UUIDField(widget=forms.HiddenInput)


class TerritoryTextsForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = [
            "intro",
            "about",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "contact_hours",
        ]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "about": forms.Textarea(attrs={"rows": 8}),
        }

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data["contact_phone"], self.fields["contact_phone"].label)

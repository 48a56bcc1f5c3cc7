"""Forms of the referral loop: they parse and check input; `referrals.services` saves it.

Error messages name the field, so that a screen-reader user who jumps to the error list
knows where to go; Django links each error to its control (aria-describedby).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import AuditEntry
from directory.forms import clean_phone
from directory.models import Service
from referrals.models import Consent, HelpRequest, Referral
from territory.models import Municipality

SITUATION_MAX = 4000
HONEYPOT_FIELD = "web_adresa"

# What of a person a consent may let through to the receiver of a referral, in plain words.
SCOPE_LABELS = {
    "name": _("jméno nebo pseudonym"),
    "birth_year": _("rok narození"),
    "municipality": _("obec, kde žije"),
    "contact": _("telefon a e-mail"),
    "situation": _("popis situace z žádosti o pomoc"),
}


def fold(text: str) -> str:
    """Lower case without diacritics: "Nováková" and "novakova" meet."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class MunicipalityChoiceField(forms.ModelChoiceField):
    """An obec with its okres: a worker picks from many namesakes ("Lhota")."""

    def label_from_instance(self, obj: Municipality) -> str:
        return obj.label()


# --- the resident's request ------------------------------------------------------------------


class HelpRequestForm(forms.Form):
    """ "Požádat o pomoc" on the portal: as little as we need to get back to the person."""

    situation = forms.CharField(
        label=_("S čím potřebujete pomoci?"),
        max_length=SITUATION_MAX,
        help_text=_(
            "Popište svými slovy, co se děje a co by vám pomohlo. Stačí pár vět; "
            "podrobnosti, které sdílet nechcete, sem psát nemusíte."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Napište prosím, s čím potřebujete pomoci.")},
    )
    municipality = forms.TypedChoiceField(
        label=_("Vaše obec"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Vaše obec: vyberte obec ze seznamu.")},
    )
    municipality_other = forms.CharField(
        label=_("Obec není v seznamu? Napište ji sem"),
        required=False,
        max_length=100,
    )
    name = forms.CharField(
        label=_("Jméno nebo přezdívka"),
        max_length=200,
        help_text=_("Jak vás máme oslovit. Stačí křestní jméno nebo přezdívka."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        error_messages={"required": _("Napište prosím, jak vás máme oslovit.")},
    )
    contact_method = forms.ChoiceField(
        label=_("Jak se vám máme ozvat?"),
        choices=HelpRequest.ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vyberte prosím, jak se vám máme ozvat.")},
    )
    contact = forms.CharField(
        label=_("Telefon, e-mail nebo kde vás zastihneme"),
        required=False,
        max_length=200,
        help_text=_(
            "Telefon nebo e-mail podle toho, co jste vybrali. U osobní schůzky napište, "
            "kde a kdy vás zastihneme (nepovinné)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "on"}),
    )
    # The template words the consent with the receiving organisation's name.
    consent = forms.BooleanField(
        label=_("Souhlas se zpracováním údajů"),
        error_messages={"required": _("Bez vašeho souhlasu vám nemůžeme odpovědět.")},
    )
    # A field people never see (hidden by CSS, skipped by screen readers and the keyboard);
    # a bot that fills every field gives itself away.
    web_adresa = forms.CharField(label=_("Toto pole nevyplňujte"), required=False, max_length=200)

    def __init__(self, *args, municipality_choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("– vyberte obec –")), *municipality_choices]
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean(self) -> dict:
        data = super().clean()
        method = data.get("contact_method")
        contact = " ".join((data.get("contact") or "").split())
        if method == HelpRequest.ContactMethod.PHONE:
            if not contact:
                self.add_error(
                    "contact", _("Napište prosím telefonní číslo, na kterém vás zastihneme.")
                )
            else:
                try:
                    contact = clean_phone(contact, self.fields["contact"].label)
                except ValidationError:
                    self.add_error(
                        "contact",
                        _("Telefon: napište celé číslo, například 777 123 456."),
                    )
        elif method == HelpRequest.ContactMethod.EMAIL:
            try:
                validate_email(contact)
            except ValidationError:
                self.add_error(
                    "contact", _("E-mail: napište celou adresu, například jana@example.cz.")
                )
        data["contact"] = contact
        return data

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))

    def situation_text(self) -> str:
        """The situation, with an obec typed by hand (there is no field for it otherwise)."""
        situation = self.cleaned_data["situation"].strip()
        other = self.cleaned_data.get("municipality_other", "").strip()
        if other and not self.cleaned_data.get("municipality"):
            # Stored in the site's language, whichever language the resident wrote in.
            with translation.override(settings.LANGUAGE_CODE):
                situation += "\n\n" + _("Obec: %(name)s") % {"name": other}
        return situation


# --- persons and consent -----------------------------------------------------------------------


class PersonForm(forms.Form):
    """A person's record: as little as the work needs. Also the correction form (GDPR art. 16)."""

    organization = forms.ModelChoiceField(
        label=_("Organizace, která osobu eviduje"),
        queryset=None,
        error_messages={"required": _("Vyberte organizaci.")},
    )
    name = forms.CharField(
        label=_("Jméno nebo pseudonym"),
        max_length=200,
        error_messages={"required": _("Vyplňte jméno nebo pseudonym.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    is_pseudonym = forms.BooleanField(
        label=_("Jde o pseudonym (osoba nechce uvést skutečné jméno)"), required=False
    )
    birth_year = forms.IntegerField(
        label=_("Rok narození"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Rok narození: zadejte čtyřmístný rok, například 1958.")},
    )
    municipality = MunicipalityChoiceField(
        label=_("Obec, kde žije"),
        queryset=None,
        required=False,
        empty_label=_("– neuvedeno –"),
    )
    phone = forms.CharField(
        label=_("Telefon"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("E-mail: zadejte platnou adresu, například jana@example.cz.")},
    )

    FIELDS = ("name", "is_pseudonym", "birth_year", "municipality", "phone", "email")

    def __init__(self, *args, organizations=None, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if organizations is None:  # a correction: the organisation does not change
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
            only = list(organizations[:2])
            if len(only) == 1:
                self.fields["organization"].initial = only[0].pk
                self.fields["organization"].widget = forms.HiddenInput()

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.now().year
        if year is not None and not (this_year - 120 <= year <= this_year):
            raise ValidationError(
                _("Rok narození: zadejte rok mezi %(first)s a %(last)s.")
                % {"first": this_year - 120, "last": this_year}
            )
        return year

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"], self.fields["phone"].label)

    def person_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Účel souhlasu"),
        choices=Consent.Purpose.choices,
        initial=Consent.Purpose.REFERRAL,
    )
    scope = forms.MultipleChoiceField(
        label=_("Co smí přijímající služba o osobě vědět"),
        required=False,
        choices=[(key, SCOPE_LABELS[key]) for key in Consent.SHAREABLE],
        initial=list(Consent.SHAREABLE),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Nezaškrtnuté údaje služba neuvidí; uvidí jen, že k ní někoho předáváte, a vaši zprávu."
        ),
    )
    share_with = forms.ModelMultipleChoiceField(
        label=_("S kým smí být údaje sdíleny"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Nechte prázdné, pokud osoba souhlasí se sdílením s kteroukoli službou, "
            "do které ji předáte."
        ),
    )
    legal_basis = forms.ChoiceField(
        label=_("Právní základ"),
        choices=Consent.LegalBasis.choices,
        initial=Consent.LegalBasis.CONSENT,
    )
    given_by = forms.ChoiceField(
        label=_("Kdo souhlas dal"),
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
    expires_on = forms.DateField(
        label=_("Souhlas platí do"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Nechte prázdné, pokud platí do odvolání."),
        error_messages={"invalid": _("Platnost: zadejte datum, například 31. 12. 2026.")},
    )

    def __init__(self, *args, organizations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["share_with"].queryset = organizations

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("given_by") == Consent.GivenBy.VERBAL_WITNESSED
            and not data.get("witness", "").strip()
        ):
            self.add_error("witness", _("U ústního souhlasu uveďte svědka."))
        expires_on = data.get("expires_on")
        if expires_on is not None and expires_on <= timezone.localdate():
            self.add_error("expires_on", _("Platnost souhlasu musí skončit v budoucnosti."))
        return data

    def expires_at(self) -> datetime | None:
        """The end of the chosen day, local time."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Nová důvěrná poznámka"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Čtou ji jen pracovníci vaší organizace; s předáním se nikdy nesdílí."),
        error_messages={"required": _("Poznámka je prázdná.")},
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Hledat podle jména"),
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"required": _("Napište jméno nebo jeho část.")},
    )


# --- referrals --------------------------------------------------------------------------------


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Co osoba potřebuje"),
        required=False,
        max_length=300,
        help_text=_("Napište situaci nebo druh pomoci, například „dluhy“ nebo „péče o maminku“."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Služba"),
        queryset=Service.objects.public(),
        error_messages={
            "required": _("Vyberte službu, do které osobu předáváte."),
            "invalid_choice": _("Vybraná služba se už neposkytuje; vyberte jinou."),
        },
    )
    note = forms.CharField(
        label=_("Zpráva pro přijímající službu"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Zprávu uvidí přijímající služba. Napište, s čím osoba potřebuje pomoci; "
            "nepište nic, co nemá vědět."
        ),
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Referral.Status.choices)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Důvod odmítnutí"),
        required=False,
        choices=[("", _("– vyberte důvod –")), *Referral.DeclineReason.choices],
    )
    outcome = forms.ChoiceField(
        label=_("Výsledek"),
        required=False,
        choices=[("", _("– vyberte výsledek –")), *Referral.Outcome.choices],
    )
    comment = forms.CharField(
        label=_("Poznámka ke změně"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Zpráva druhé organizaci"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Zpráva je prázdná.")},
    )


# --- audit -------------------------------------------------------------------------------------

# Kinds of record in the audit log, as people call them.
OBJECT_TYPES = {
    "referrals.helprequest": _("žádost o pomoc"),
    "referrals.person": _("osoba"),
    "referrals.consent": _("souhlas"),
    "referrals.confidentialnote": _("důvěrná poznámka"),
    "referrals.referral": pgettext_lazy("záznam", "předání"),
    "referrals.referralmessage": _("zpráva k předání"),
    "accounts.auditentry": _("záznam auditu"),
    "events.registration": _("přihláška na akci"),
    "community.meeting": _("komunitní setkání"),
    "community.attendance": _("účast na setkání"),
    "community.communityleader": _("komunitní lídr"),
    "monitoring.participant": _("podpořená osoba"),
}


class AuditFilterForm(forms.Form):
    """GET filters of the coordinator's audit search; bad values are reported, not fatal."""

    uzivatel = forms.CharField(label=_("Uživatel"), required=False, max_length=150)
    akce = forms.ChoiceField(
        label=_("Akce"),
        required=False,
        choices=[("", _("– všechny –")), *AuditEntry.Action.choices],
    )
    typ = forms.ChoiceField(
        label=_("Druh záznamu"),
        required=False,
        choices=[("", _("– všechny –")), *OBJECT_TYPES.items()],
    )
    od = forms.DateField(
        label=_("Od"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Od: zadejte datum.")},
    )
    do = forms.DateField(
        label=_("Do"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Do: zadejte datum.")},
    )

    def filter(self, entries):
        if not self.is_valid():
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        if data.get("uzivatel"):
            entries = entries.filter(actor_username__iexact=data["uzivatel"].strip())
        if data.get("akce"):
            entries = entries.filter(action=data["akce"])
        if data.get("typ"):
            entries = entries.filter(object_type=data["typ"])
        if data.get("od"):
            start = timezone.make_aware(datetime.combine(data["od"], time.min))
            entries = entries.filter(at__gte=start)
        if data.get("do"):
            end = timezone.make_aware(datetime.combine(data["do"] + timedelta(days=1), time.min))
            entries = entries.filter(at__lt=end)
        return entries

"""Persons (clients) of an organisation: list and search, record, card, correction,
consent and its receipt, confidential notes, subject-access export and anonymisation.

Names never travel in URLs: the search is a POST, records are addressed by UUID.
"""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import organizations_in_territory
from directory.models import Location, Organization, Service, ServiceCoverage
from referrals import permissions, services
from referrals.forms import ConsentForm, NoteForm, PersonForm, PersonSearchForm, fold
from referrals.models import WORKER_ROLES, Consent, HelpRequest, Person
from referrals.views_common import (
    PAGE_SIZE,
    area_view,
    audit_list,
    audit_read,
    form_errors_from,
    get_help_request,
    get_person,
    is_intake_worker,
    member_organizations,
    open_request,
    person_territory,
    render_area,
)
from territory.models import Municipality, Territory

SEARCH_LIMIT = 50


def _uuid_or_404(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError as error:
        raise Http404 from error


def _require_editor(user, person: Person) -> None:
    """Provider staff read persons of their organisation; only workers change them."""
    if not permissions.can_record_persons(user, person.organization):
        raise PermissionDenied


def municipalities_for(organization_ids, *, territory_id=None, current=None):
    """Obce of the territories the organisations work in (their services' coverage and their
    seats), for the select of a person's obec; every obec when that says nothing."""
    served = ServiceCoverage.objects.filter(service__organization_id__in=organization_ids)
    seated = Location.objects.filter(organization_id__in=organization_ids)
    territories = Territory.objects.filter(
        Q(municipalities__in=served.values("municipality_id"))
        | Q(municipalities__in=seated.values("municipality_id"))
        | Q(pk=territory_id)
    ).exclude(Q(kind=Territory.Kind.NATIONAL) & ~Q(pk=territory_id))
    # The national territory contains every obec: it would turn the select into 6,258 rows.
    territories = territories.values("id")
    chosen = Q(territories__in=territories)
    if current is not None:
        chosen |= Q(code=current)
    found = Municipality.objects.filter(chosen)
    if not found.exists():
        found = Municipality.objects.all()
    ids = found.values("code")
    return (
        Municipality.objects.filter(code__in=ids)
        .select_related("district")
        .order_by("name", "code")
    )


def shareable_organizations(person: Person):
    """Organisations a consent may name: those working in the person's territory."""
    territory = person_territory(person, open_request(person))
    if territory is not None:
        return organizations_in_territory(territory).order_by("name")
    return Organization.objects.filter(
        id__in=Service.objects.public().values("organization_id")
    ).order_by("name")


# --- list and search ---------------------------------------------------------------------------


@area_view()
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = Person.objects.visible_to(user).filter(anonymised_at__isnull=True)
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    page = None
    found_total = None
    if request.method == "POST" and form.is_valid():
        # Matched in Python so that "novakova" finds "Nováková" on every database.
        wanted = fold(form.cleaned_data["q"])
        ids = [
            pk
            for pk, name in visible.order_by("name").values_list("id", "name")
            if wanted in fold(name)
        ]
        found_total = len(ids)
        persons = list(
            visible.filter(id__in=ids[:SEARCH_LIMIT])
            .select_related("organization", "municipality")
            .order_by("name", "id")
        )
    else:
        page = Paginator(
            visible.select_related("organization", "municipality").order_by("name", "id"),
            PAGE_SIZE,
        ).get_page(request.GET.get("strana"))
        persons = list(page.object_list)
    audit_list(user, persons, object_type="referrals.person")
    return render_area(
        request,
        "referrals/person_list.html",
        {
            "form": form,
            "persons": persons,
            "page": page,
            "found_total": found_total,
            "search_limit": SEARCH_LIMIT,
            "can_record": is_intake_worker(user),
            "several_organizations": member_organizations(user).count() > 1,
        },
    )


# --- record and correct --------------------------------------------------------------------------


@area_view(allow=is_intake_worker)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    help_request = None
    raw = request.POST.get("zadost") if request.method == "POST" else request.GET.get("zadost")
    if raw:
        help_request = get_help_request(user, _uuid_or_404(raw))
        if help_request.person_id:
            messages.info(request, _("Osoba z této žádosti už je zaznamenaná."))
            return redirect("referrals:person_detail", pk=help_request.person_id)
        if not permissions.can_record_persons(user, help_request.organization):
            raise PermissionDenied
        organizations = Organization.objects.filter(pk=help_request.organization_id)
    else:
        organizations = member_organizations(user, WORKER_ROLES)
    initial = {}
    if help_request is not None:
        initial = {"name": help_request.name, "municipality": help_request.municipality_id}
        if help_request.contact_method == HelpRequest.ContactMethod.PHONE:
            initial["phone"] = help_request.contact
        elif help_request.contact_method == HelpRequest.ContactMethod.EMAIL:
            initial["email"] = help_request.contact
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        organizations=organizations,
        municipalities=municipalities_for(
            list(organizations.values_list("pk", flat=True)),
            territory_id=help_request.territory_id if help_request else None,
            current=help_request.municipality_id if help_request else None,
        ),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.record_person(
                actor=user,
                organization=form.cleaned_data["organization"],
                help_request=help_request,
                **form.person_data(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _(
                    "Osoba je zaznamenaná. Než ji předáte do služby, zaznamenejte "
                    "její souhlas s předáním."
                ),
            )
            return redirect("referrals:consent_create", pk=person.pk)
    elif help_request is not None:
        audit_read(user, help_request)  # the form shows the request's data
    return render_area(
        request,
        "referrals/person_form.html",
        {"form": form, "help_request": help_request, "person": None},
        status=400 if form.is_bound and form.errors else 200,
    )


@area_view()
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    person = get_person(user, pk)
    _require_editor(user, person)
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        municipalities=municipalities_for([person.organization_id], current=person.municipality_id),
        initial={
            "name": person.name,
            "is_pseudonym": person.is_pseudonym,
            "birth_year": person.birth_year,
            "municipality": person.municipality_id,
            "phone": person.phone,
            "email": person.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        changes = {
            field: value
            for field, value in form.person_data().items()
            if getattr(person, field) != value
        }
        if changes:
            try:
                services.update_person(actor=user, person=person, **changes)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Údaje osoby jsou opravené."))
                return redirect("referrals:person_detail", pk=person.pk)
        else:
            messages.info(request, _("Nic se nezměnilo."))
            return redirect("referrals:person_detail", pk=person.pk)
    else:
        audit_read(user, person)
    return render_area(
        request,
        "referrals/person_form.html",
        {"form": form, "person": person, "help_request": None},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- the person's card ---------------------------------------------------------------------------


@area_view()
@require_GET
def person_detail(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    person = get_person(user, pk)
    consents = list(person.consents.prefetch_related("share_with").select_related("recorded_by"))
    audit_read(user, person)
    return render_area(
        request,
        "referrals/person_detail.html",
        {
            "person": person,
            "consents": consents,
            "notes": person.notes.select_related("author"),
            "referrals": person.referrals.select_related("service", "to_organization").order_by(
                "-created_at"
            ),
            "help_requests": person.help_requests.order_by("-created_at"),
            "can_edit": permissions.can_record_persons(user, person.organization),
            "can_refer": permissions.can_refer(user, person),
            "has_referral_consent": any(
                c.purpose == Consent.Purpose.REFERRAL and c.is_valid() for c in consents
            ),
            "note_form": NoteForm(),
        },
    )


@area_view()
@require_POST
def note_add(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    person = get_person(user, pk)
    _require_editor(user, person)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(actor=user, person=person, text=form.cleaned_data["text"])
        messages.success(request, _("Poznámka je uložená."))
    else:
        messages.error(request, _("Poznámka je prázdná; nic jsme neuložili."))
    return redirect("referrals:person_detail", pk=person.pk)


@area_view()
@require_GET
def person_export(request: HttpRequest, pk) -> HttpResponse:
    """Subject access (GDPR art. 15): everything about the person, as a JSON download."""
    user = request.user
    person = get_person(user, pk)
    data = services.subject_access_export(actor=user, person=person)  # audits the export
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="osoba-{person.pk}.json"'
    return response


@area_view()
@require_http_methods(["GET", "POST"])
def person_anonymise(request: HttpRequest, pk) -> HttpResponse:
    """Erasure (GDPR art. 17) by anonymisation, after a confirmation."""
    user = request.user
    person = get_person(user, pk)
    _require_editor(user, person)
    if person.anonymised_at is not None:
        messages.info(request, _("Osoba už je anonymizovaná."))
        return redirect("referrals:person_detail", pk=person.pk)
    if request.method == "POST":
        services.anonymise_person(actor=user, person=person)
        messages.success(
            request,
            _(
                "Osoba je anonymizovaná: jméno, kontakty, poznámky a texty žádostí a zpráv "
                "jsou vymazané; předání zůstávají ve statistikách."
            ),
        )
        return redirect("referrals:person_detail", pk=person.pk)
    audit_read(user, person)
    return render_area(
        request,
        "referrals/person_anonymise.html",
        {"person": person, "open_referrals": person.referrals.open().count()},
    )


# --- consent -------------------------------------------------------------------------------------


@area_view()
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    person = get_person(user, pk)
    _require_editor(user, person)
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        organizations=shareable_organizations(person),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.record_consent(
                actor=user,
                person=person,
                purpose=data["purpose"],
                given_by=data["given_by"],
                scope=data["scope"],
                legal_basis=data["legal_basis"],
                witness=data["witness"],
                expires_at=form.expires_at(),
                share_with=list(data["share_with"]),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("Souhlas je zaznamenaný. Vytiskněte osobě potvrzení, které si může nechat."),
            )
            return redirect("referrals:consent_receipt", pk=person.pk, consent=consent.pk)
    else:
        audit_read(user, person)
    return render_area(
        request,
        "referrals/consent_form.html",
        {"form": form, "person": person},
        status=400 if form.is_bound and form.errors else 200,
    )


@area_view()
@require_GET
def consent_receipt(request: HttpRequest, pk, consent) -> HttpResponse:
    """A plain-Czech receipt of the consent, to print and give to the person."""
    user = request.user
    person = get_person(user, pk)
    found = get_object_or_404(
        person.consents.prefetch_related("share_with").select_related("recorded_by"), pk=consent
    )
    audit_read(user, found, organization_id=person.organization_id)
    return render_area(
        request,
        "referrals/consent_receipt.html",
        {
            "person": person,
            "consent": found,
            "can_refer": permissions.can_refer(user, person)
            and found.purpose == Consent.Purpose.REFERRAL
            and found.is_valid(),
        },
    )


@area_view()
@require_POST
def consent_withdraw(request: HttpRequest, pk, consent) -> HttpResponse:
    user = request.user
    person = get_person(user, pk)
    _require_editor(user, person)
    found = get_object_or_404(person.consents.select_related("person__organization"), pk=consent)
    if found.withdrawn_at is None:
        services.withdraw_consent(actor=user, consent=found)
        messages.success(
            request,
            _("Souhlas je odvolaný. Přijímající služby od teď neuvidí údaje, které sdílel."),
        )
    return redirect("referrals:person_detail", pk=person.pk)

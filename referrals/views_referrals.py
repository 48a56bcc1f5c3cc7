"""A referral's own pages: create one from a person, follow it, change its status, message.

The receiving organisation sees the person only through `Referral.shared_person()`; the
sender sees the whole person. A status change carries the version the user saw, so that
two people deciding at once get a clear conflict instead of overwriting each other.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory.search import SearchFilters, search_services
from referrals import permissions, services
from referrals.forms import (
    SCOPE_LABELS,
    MessageForm,
    ReferralForm,
    ServiceSearchForm,
    TransitionForm,
)
from referrals.models import Consent, Referral
from referrals.views import mark_read
from referrals.views_common import (
    area_view,
    audit_read,
    form_errors_from,
    get_person,
    get_referral,
    is_intake_worker,
    open_request,
    person_territory,
    render_area,
)

SUGGESTIONS = 10
QUERY_MAX = 300

# The buttons of each status change, in the order they are offered.
TRANSITIONS = {
    Referral.Status.SENT: gettext_lazy("Odeslat"),
    Referral.Status.ACCEPTED: gettext_lazy("Přijmout"),
    Referral.Status.IN_PROGRESS: gettext_lazy("Zahájit spolupráci"),
    Referral.Status.COMPLETED: gettext_lazy("Dokončit"),
    Referral.Status.DECLINED: gettext_lazy("Odmítnout"),
    Referral.Status.CLOSED: gettext_lazy("Uzavřít bez výsledku"),
    Referral.Status.CANCELLED: gettext_lazy("Zrušit předání"),
}

# What the receiver may be shown, with labels, in this order.
SHARED_FIELDS = (
    ("name", gettext_lazy("Jméno")),
    ("birth_year", gettext_lazy("Rok narození")),
    ("municipality", gettext_lazy("Obec")),
    ("phone", gettext_lazy("Telefon")),
    ("email", gettext_lazy("E-mail")),
    ("situation", gettext_lazy("Situace vlastními slovy")),
)


def _has_room(service) -> bool:
    report = service.latest_capacity
    return report is not None and report.has_room


# --- create --------------------------------------------------------------------------------------


@area_view(allow=is_intake_worker)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    person = get_person(user, pk)
    if not permissions.can_refer(user, person):
        raise PermissionDenied
    if person.anonymised_at is not None:
        messages.error(request, _("Anonymizovanou osobu nelze předat."))
        return redirect("referrals:person_detail", pk=person.pk)
    help_request = open_request(person)
    territory = person_territory(person, help_request)
    step = request.POST.get("krok", "") if request.method == "POST" else ""
    # The worker's own words win; otherwise the resident's own words suggest services.
    typed = (request.POST.get("q", "") if request.method == "POST" else "").strip()[:QUERY_MAX]
    situation = help_request.situation if help_request else ""
    query = typed or situation[:QUERY_MAX]
    search_form = ServiceSearchForm(initial={"q": typed})
    form = ReferralForm(request.POST if step == "predat" else None)
    status = 200
    if step == "predat":
        if form.is_valid():
            try:
                referral = services.create_referral(
                    actor=user,
                    person=person,
                    service=form.cleaned_data["service"],
                    note=form.cleaned_data["note"],
                    help_request=help_request,
                    territory=territory,
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    _("Předání je odeslané službě %(service)s. Ozve se vám do lhůty.")
                    % {"service": referral.service.name},
                )
                return redirect("referrals:referral_detail", pk=referral.pk)
        status = 400
    hits = search_services(
        territory=territory,
        query=query,
        filters=SearchFilters(municipality=person.municipality_id),
        page_size=SUGGESTIONS,
    ).hits
    # Matches stay in their order of relevance, but those with free places now come first.
    hits.sort(key=lambda hit: not _has_room(hit.service))
    consents = [
        c
        for c in person.consents.filter(purpose=Consent.Purpose.REFERRAL).prefetch_related(
            "share_with"
        )
        if c.is_valid()
    ]
    chosen = form.data.get("service", "") if form.is_bound else ""
    audit_read(user, person)
    return render_area(
        request,
        "referrals/referral_create.html",
        {
            "person": person,
            "help_request": help_request,
            "search_territory": territory,
            "search_form": search_form,
            "form": form,
            "typed": typed,
            "hits": hits,
            "chosen": str(chosen),
            "consent": consents[0] if consents else None,
            "scope_labels": [SCOPE_LABELS[k] for k in (consents[0].scope if consents else [])],
        },
        status=status,
    )


# --- detail ------------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    referral: Referral,
    *,
    status: int = 200,
    error: str = "",
    message_form: MessageForm | None = None,
) -> HttpResponse:
    user = request.user
    sender = permissions.is_sender(user, referral)
    allowed = permissions.allowed_transitions(user, referral)
    shared = {} if sender else referral.shared_person()
    audit_read(user, referral, organization_id=referral.from_organization_id)
    mark_read(user, referral=referral)
    return render_area(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "is_sender": sender,
            "is_receiver": permissions.is_receiver(user, referral),
            "shared": [
                (label, shared[key])
                for key, label in SHARED_FIELDS
                if shared.get(key) not in (None, "")
            ],
            "scope_labels": [SCOPE_LABELS[k] for k in referral.consent.scope or []],
            "consent_valid": referral.consent.is_valid(),
            "events": referral.events.select_related("actor", "organization"),
            "thread": referral.messages.select_related("author", "organization"),
            "transitions": [
                {"to": to, "label": label} for to, label in TRANSITIONS.items() if to in allowed
            ],
            "decline_reasons": Referral.DeclineReason.choices,
            "outcomes": Referral.Outcome.choices,
            "error": error,
            "message_form": message_form or MessageForm(),
            "can_message": permissions.can_message(user, referral),
        },
        status=status,
    )


def _fetch(user, pk) -> Referral:
    return get_referral(user, pk)


@area_view()
@require_GET
def referral_detail(request: HttpRequest, pk) -> HttpResponse:
    return _detail(request, _fetch(request.user, pk))


@area_view()
@require_POST
def referral_transition(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    referral = _fetch(user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _detail(
            request,
            referral,
            status=400,
            error=_("Formulář je neúplný; načtěte stránku znovu a zkuste to ještě jednou."),
        )
    data = form.cleaned_data
    try:
        referral = services.transition_referral(
            actor=user,
            referral=referral,
            to=data["to"],
            expected_version=data["version"],
            reason=data["reason"],
            outcome=data["outcome"],
            comment=data["comment"].strip(),
        )
    except services.ReferralConflict:
        label = Referral.Status(data["to"]).label
        return _detail(
            request,
            _fetch(user, pk),
            status=409,
            error=_(
                "Předání mezitím změnil někdo jiný, takže vaše změna na „%(status)s“ se "
                "neuložila. Níže vidíte jeho aktuální stav; rozhodněte prosím znovu."
            )
            % {"status": label},
        )
    except ValidationError as error:
        return _detail(request, referral, status=400, error=" ".join(error.messages))
    messages.success(
        request,
        _("Předání je teď ve stavu „%(status)s“.") % {"status": referral.get_status_display()},
    )
    return redirect("referrals:referral_detail", pk=referral.pk)


@area_view()
@require_POST
def referral_message(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    referral = _fetch(user, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, status=400, message_form=form)
    services.post_message(actor=user, referral=referral, text=form.cleaned_data["text"])
    messages.success(request, _("Zpráva je odeslaná."))
    return redirect(reverse("referrals:referral_detail", kwargs={"pk": referral.pk}) + "#zpravy")

"""Provider self-service and territory coordination: parse the request, call a service, render.

Objects are fetched only through `accounts.permissions`; changes are POST-only and go
through `accounts.services` (or `directory.services.report_capacity`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions, services
from accounts.forms import AddMemberForm, AddOrganizationForm, RemoveMemberForm, TerritoryTextsForm
from accounts.models import Membership
from directory.forms import (
    CapacityForm,
    LocationForm,
    OrganizationForm,
    ScheduleFormSet,
    ServiceForm,
)
from directory.services import report_capacity

DASHBOARD_PAGE_SIZE = 50
CAPACITY_HISTORY_LENGTH = 10


def _posted(request: HttpRequest):
    """The submitted data for a bound form, or None for an unbound one on GET."""
    return request.POST if request.method == "POST" else None


# --- Sign-in ----------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:dashboard")
    success_message = gettext_lazy("Heslo bylo změněno.")


class PasswordSetView(SuccessMessageMixin, auth_views.PasswordResetConfirmView):
    """The one-time link a coordinator hands to a new user; see `services.add_member`."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")
    success_message = gettext_lazy("Heslo je nastavené. Teď se můžete přihlásit.")
    # The placeholder Django puts in the URL instead of the token (not a secret).
    reset_url_token = "nastavit"


# --- Dashboard --------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    service_list = (
        permissions.editable_services(user)
        .select_related("organization", "service_type", "latest_capacity")
        .order_by("organization__name", "name")
    )
    page = Paginator(service_list, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("strana"))
    return render(
        request,
        "accounts/dashboard.html",
        {
            "page": page,
            "memberships": user.memberships.select_related("organization").order_by(
                "organization__name"
            ),
            "coordinated": user.coordinated.select_related("territory").order_by("territory__name"),
        },
    )


# --- Service, capacity, schedules -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def capacity(request: HttpRequest, pk) -> HttpResponse:
    service = permissions.get_service_for_edit(request.user, pk)
    if request.method == "POST":
        form = CapacityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            report_capacity(
                service=service,
                free_places=data["free_places"],
                waiting_list=data["waiting_list"],
                typical_wait_days=data["typical_wait_days"],
                note=data["note"],
                reported_by=request.user,
            )
            messages.success(
                request,
                _("Kapacita služby „%(name)s“ je uložená.") % {"name": service.name},
            )
            return redirect("accounts:dashboard")
    else:
        latest = service.latest_capacity
        initial = {}
        if latest is not None:
            initial = {
                "free_places": latest.free_places,
                "waiting_list": latest.waiting_list,
                "typical_wait_days": latest.typical_wait_days,
                "note": latest.note,
            }
        form = CapacityForm(initial=initial)
    history = service.capacity_reports.select_related("reported_by")[:CAPACITY_HISTORY_LENGTH]
    return render(
        request,
        "accounts/capacity.html",
        {"service": service, "form": form, "history": history},
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk) -> HttpResponse:
    service = permissions.get_service_for_edit(request.user, pk)
    name = service.name  # the form writes the submitted values onto the instance
    form = ServiceForm(_posted(request), instance=service)
    if request.method == "POST" and form.is_valid():
        services.update_service(service=service, by=request.user, data=form.cleaned_data)
        messages.success(request, _("Služba „%(name)s“ je uložená.") % {"name": service.name})
        return redirect("accounts:service_edit", pk=service.pk)
    return render(
        request, "accounts/service_edit.html", {"service": service, "name": name, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedules(request: HttpRequest, pk) -> HttpResponse:
    service = permissions.get_service_for_edit(request.user, pk)
    formset = ScheduleFormSet(_posted(request), instance=service, prefix="hodiny")
    if request.method == "POST" and formset.is_valid():
        rows = []
        for form in formset.forms:
            # UUID primary keys are set at instantiation: "adding" tells a new line.
            instance = None if form.instance._state.adding else form.instance
            if instance is None and not form.has_changed():
                continue  # an empty extra line
            data = form.cleaned_data
            if data.get("DELETE"):
                if instance is not None:
                    rows.append(services.ScheduleRow(schedule=instance, delete=True))
                continue
            rows.append(
                services.ScheduleRow(
                    schedule=instance,
                    weekday=data["weekday"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    note=data.get("note", ""),
                )
            )
        services.update_schedules(service=service, by=request.user, rows=rows)
        messages.success(
            request, _("Otevírací doba služby „%(name)s“ je uložená.") % {"name": service.name}
        )
        return redirect("accounts:schedules", pk=service.pk)
    return render(request, "accounts/schedules.html", {"service": service, "formset": formset})


# --- Organisation and its places --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk) -> HttpResponse:
    organization = permissions.get_organization_for_edit(request.user, pk)
    name = organization.name  # the form writes the submitted values onto the instance
    form = OrganizationForm(_posted(request), instance=organization)
    if request.method == "POST" and form.is_valid():
        services.update_organization(
            organization=organization, by=request.user, data=form.cleaned_data
        )
        messages.success(
            request, _("Organizace „%(name)s“ je uložená.") % {"name": organization.name}
        )
        return redirect("accounts:organization_edit", pk=organization.pk)
    return render(
        request,
        "accounts/organization_edit.html",
        {
            "organization": organization,
            "name": name,
            "form": form,
            "services": permissions.editable_services(request.user)
            .filter(organization=organization)
            .select_related("latest_capacity"),
        },
    )


def _placeable_services(user, organization):
    return permissions.editable_services(user).filter(organization=organization).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def locations(request: HttpRequest, pk) -> HttpResponse:
    """The organisation's places, and a form to add one."""
    organization = permissions.get_organization_for_edit(request.user, pk)
    form = LocationForm(_posted(request), services=_placeable_services(request.user, organization))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        location = services.save_location(
            organization=organization, by=request.user, data=data, services=data["services"]
        )
        messages.success(request, _("Místo „%(name)s“ je přidané.") % {"name": location.name})
        return redirect("accounts:locations", pk=organization.pk)
    return render(
        request,
        "accounts/locations.html",
        {
            "organization": organization,
            "locations": organization.locations.select_related("municipality").prefetch_related(
                "services"
            ),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, pk) -> HttpResponse:
    location = permissions.get_location_for_edit(request.user, pk)
    organization = location.organization
    name = location.name  # the form writes the submitted values onto the instance
    form = LocationForm(
        _posted(request),
        instance=location,
        services=_placeable_services(request.user, organization),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_location(
            organization=organization,
            by=request.user,
            data=data,
            location=location,
            services=data["services"],
        )
        messages.success(request, _("Místo „%(name)s“ je uložené.") % {"name": data["name"]})
        return redirect("accounts:locations", pk=organization.pk)
    return render(
        request,
        "accounts/location_edit.html",
        {"location": location, "name": name, "organization": organization, "form": form},
    )


# --- Territory coordination -------------------------------------------------------------


def _render_territory(request: HttpRequest, territory, **forms) -> HttpResponse:
    organizations = permissions.organizations_in_territory(territory).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("user").order_by("user__username"),
        )
    )
    context = {
        "territory": territory,
        "organizations": organizations,
        "organization_form": forms.get("organization_form")
        or AddOrganizationForm(territory=territory),
        "member_form": forms.get("member_form")
        or AddMemberForm(organizations=permissions.organizations_in_territory(territory)),
    }
    return render(request, "accounts/territory.html", context)


@login_required
@require_http_methods(["GET"])
def territory(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_territory(
        request, permissions.get_territory_for_coordination(request.user, slug)
    )


@login_required
@require_POST
def territory_add_organization(request: HttpRequest, slug: str) -> HttpResponse:
    territory = permissions.get_territory_for_coordination(request.user, slug)
    form = AddOrganizationForm(request.POST, territory=territory)
    if form.is_valid():
        try:
            organization = services.add_organization(
                coordinator=request.user, territory=territory, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Organizace „%(name)s“ je přidaná. Teď jí můžete přidat uživatele.")
                % {"name": organization.name},
            )
            return redirect("accounts:territory", slug=territory.slug)
    return _render_territory(request, territory, organization_form=form)


@login_required
@require_POST
def territory_add_member(request: HttpRequest, slug: str) -> HttpResponse:
    territory = permissions.get_territory_for_coordination(request.user, slug)
    form = AddMemberForm(
        request.POST, organizations=permissions.organizations_in_territory(territory)
    )
    if form.is_valid():
        try:
            added = services.add_member(coordinator=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            link = None
            if added.token:
                link = request.build_absolute_uri(
                    reverse(
                        "accounts:password_set",
                        kwargs={"uidb64": added.uidb64, "token": added.token},
                    )
                )
            # Rendered, not redirected: the one-time link is shown once and is never
            # stored in a message cookie or the session.
            return render(
                request,
                "accounts/member_added.html",
                {"territory": territory, "added": added, "link": link},
            )
    return _render_territory(request, territory, member_form=form)


@login_required
@require_POST
def territory_remove_member(request: HttpRequest, slug: str) -> HttpResponse:
    territory = permissions.get_territory_for_coordination(request.user, slug)
    form = RemoveMemberForm(request.POST)
    if form.is_valid():
        membership = permissions.get_membership_for_coordination(
            request.user, territory, form.cleaned_data["membership"]
        )
        services.remove_member(coordinator=request.user, membership=membership)
        messages.success(
            request,
            _("Uživatel %(username)s už není členem organizace „%(organization)s“.")
            % {"username": membership.user.username, "organization": membership.organization},
        )
    return redirect("accounts:territory", slug=territory.slug)


@login_required
@require_http_methods(["GET", "POST"])
def territory_texts(request: HttpRequest, slug: str) -> HttpResponse:
    territory = permissions.get_territory_for_coordination(request.user, slug)
    form = TerritoryTextsForm(_posted(request), instance=territory)
    if request.method == "POST" and form.is_valid():
        services.update_territory_texts(
            coordinator=request.user, territory=territory, data=form.cleaned_data
        )
        messages.success(request, _("Texty portálu jsou uložené."))
        return redirect("accounts:territory", slug=territory.slug)
    return render(request, "accounts/territory_texts.html", {"territory": territory, "form": form})

"""The coordinator's search of the audit log, and its CSV export (itself audited).

A territory coordinator sees the entries of the organisations working in their
territories: those with a service serving an obec of it, with a seat in it, or taking its
residents' requests. A superuser sees all.
"""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import audit
from accounts.models import AuditEntry
from accounts.permissions import coordinated_organizations
from referrals.forms import AuditFilterForm
from referrals.models import ReferralSettings
from referrals.views_common import PAGE_SIZE, area_view, is_coordinator, render_area

CSV_COLUMNS = (
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "organization_id",
    "count",
    "via",
    "reason",
)


def audit_entries_for(user):
    """The audit entries `user` may search."""
    if not user.is_authenticated:
        return AuditEntry.objects.none()
    if user.is_superuser:
        return AuditEntry.objects.all()
    intake = ReferralSettings.objects.filter(
        territory__coordinators__user=user, intake_organization__isnull=False
    ).values("intake_organization_id")
    orgs = coordinated_organizations(user).values("id")
    return AuditEntry.objects.filter(Q(organization_id__in=orgs) | Q(organization_id__in=intake))


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, object]:
    form = AuditFilterForm(request.GET)
    entries = form.filter(audit_entries_for(request.user)).order_by("-at", "id")
    return form, entries


@area_view(allow=is_coordinator)
@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("strana"))
    return render_area(
        request,
        "referrals/audit.html",
        {
            "form": form,
            "page": page,
            "export_query": request.GET.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@area_view(allow=is_coordinator)
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    _form, entries = _filtered(request)
    total = entries.count()
    audit.record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        object_type="accounts.auditentry",
        count=total,
    )
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # a BOM, so that spreadsheet programs read the Czech letters right
        yield writer.writerow(CSV_COLUMNS)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(entry.at).isoformat(timespec="seconds"),
                    entry.actor_username,
                    entry.action,
                    entry.object_type,
                    entry.object_id,
                    entry.organization_id or "",
                    entry.count,
                    entry.via,
                    entry.reason,
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response

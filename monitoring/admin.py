"""Admin of projects and their set-up. Participant cards and records of support are
personal data: they are not in the admin (workers reach them through /monitoring/, where
access is scoped and audited); values and statistics are read-only there."""

from django.contrib import admin

from monitoring.models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    KeyActivity,
    PeriodEvent,
    Project,
    ProjectPartner,
    ProjectService,
    ReportingPeriod,
    ServiceStatistics,
)


class PartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0
    autocomplete_fields = ["organization"]


class KeyActivityInline(admin.TabularInline):
    model = KeyActivity
    extra = 0
    fields = ["code", "name", "description", "order"]


class ProjectServiceInline(admin.TabularInline):
    model = ProjectService
    extra = 0
    raw_id_fields = ["service"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["code", "name", "unit", "kind", "source", "aggregation", "baseline", "target"]
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "registration_number", "programme", "implementer", "start_date"]
    list_filter = ["programme", "is_demo"]
    search_fields = ["name", "registration_number", "implementer__name"]
    list_select_related = ["implementer"]
    autocomplete_fields = ["implementer"]
    raw_id_fields = ["territory"]
    filter_horizontal = ["target_groups"]
    inlines = [PartnerInline, KeyActivityInline, IndicatorInline, ProjectServiceInline]


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0
    raw_id_fields = ["organization", "period"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "project", "kind", "source", "target"]
    list_filter = ["kind", "source"]
    search_fields = ["code", "name", "project__name"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]
    inlines = [TargetInline]


class PeriodEventInline(admin.TabularInline):
    model = PeriodEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor_username", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    """Locking and reopening go through /monitoring/ (with the reason and the history)."""

    list_display = ["__str__", "project", "locked_at"]
    list_select_related = ["project"]
    search_fields = ["project__name", "project__registration_number"]
    readonly_fields = ["project", "number", "start", "end", "locked_at", "locked_by"]
    inlines = [PeriodEventInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "organization", "value", "status", "is_snapshot"]
    list_filter = ["status", "is_snapshot"]
    list_select_related = ["indicator", "period", "organization"]
    search_fields = ["indicator__code", "indicator__project__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ServiceStatistics)
class ServiceStatisticsAdmin(admin.ModelAdmin):
    list_display = ["service", "period", "clients_total", "status"]
    list_filter = ["status"]
    list_select_related = ["service", "period"]
    search_fields = ["service__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

"""Admin of the directory, for staff; providers use the self-service under /ucet/.

Saving a service or a location here recomputes what is derived from it (coverage and
search text), as the self-service does. Capacity reports are read-only: history is
never rewritten, and a new report goes through `report_capacity`.
"""

from django.contrib import admin

from directory.models import (
    CapacityReport,
    Contact,
    Location,
    Organization,
    RegisteredCapacity,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from directory.services import refresh_service


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "ico", "email", "is_demo", "updated_at"]
    list_filter = ["is_demo"]
    search_fields = ["name", "alternate_name", "ico"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # The provider's name is part of each service's search document.
            for service in obj.services.all():
                refresh_service(service)


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0
    raw_id_fields = ["municipality", "orp", "district", "region"]


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    extra = 0
    raw_id_fields = ["location"]


class RegisteredCapacityInline(admin.TabularInline):
    model = RegisteredCapacity
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "service_type", "status", "is_demo", "updated_at"]
    list_filter = ["status", "is_demo", "service_type"]
    search_fields = ["name", "alternate_name", "organization__name", "mpsv_identifier"]
    list_select_related = ["organization", "service_type"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["target_groups", "age_groups"]
    readonly_fields = ["latest_capacity", "updated_at"]
    inlines = [
        ServiceAtLocationInline,
        ServiceAreaInline,
        ScheduleInline,
        ContactInline,
        RegisteredCapacityInline,
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the code lists, places and areas are saved: coverage and search text.
        refresh_service(form.instance)


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "municipality", "address_hidden"]
    list_filter = ["address_hidden"]
    search_fields = ["name", "street", "city", "organization__name"]
    list_select_related = ["organization", "municipality"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["municipality"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "municipality" in form.changed_data:
            for service in obj.services.all():
                refresh_service(service)


@admin.register(CapacityReport)
class CapacityReportAdmin(admin.ModelAdmin):
    list_display = [
        "service",
        "free_places",
        "waiting_list",
        "typical_wait_days",
        "reported_at",
        "reported_by",
    ]
    list_select_related = ["service", "reported_by"]
    search_fields = ["service__name", "service__organization__name"]
    date_hierarchy = "reported_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

"""Admin of the code lists: mostly for reading; the files in `catalog/data` are the source."""

from django.contrib import admin

from catalog.models import (
    AgeGroup,
    CapacityType,
    LifeSituation,
    ProvisionForm,
    ServiceType,
    SituationServiceType,
    TargetGroup,
)


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "is_registered", "mpsv_code", "mpsv_code_confirmed"]
    list_filter = ["category", "is_registered", "mpsv_code_confirmed"]
    search_fields = ["code", "name", "name_en", "keywords"]


@admin.register(ProvisionForm)
class ProvisionFormAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "is_field"]


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en", "keywords"]


@admin.register(AgeGroup)
class AgeGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "min_age", "max_age"]


@admin.register(CapacityType)
class CapacityTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]


class SituationServiceTypeInline(admin.TabularInline):
    model = SituationServiceType
    extra = 0
    autocomplete_fields = ["service_type"]


@admin.register(LifeSituation)
class LifeSituationAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "question", "order"]
    search_fields = ["slug", "name", "question", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["target_groups"]
    inlines = [SituationServiceTypeInline]

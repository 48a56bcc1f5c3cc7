"""Admin of events (public data). Registrations are personal data and are not in the
admin: organisers see them, audited, in /ucet/akce/."""

from django.contrib import admin

from events import services
from events.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organization", "territory", "start", "status"]
    list_filter = ["kind", "status", "registration", "territory"]
    search_fields = ["title", "organization__name"]
    list_select_related = ["organization", "territory"]
    raw_id_fields = ["organization", "territory", "location", "municipality", "created_by"]
    readonly_fields = ["series_end", "search_document", "created_at", "updated_at"]
    filter_horizontal = ["target_groups", "life_situations"]

    def save_model(self, request, obj, form, change):
        # The derived fields (end of the series) and validation live in the services.
        services.prepare_event(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_search_document(form.instance)

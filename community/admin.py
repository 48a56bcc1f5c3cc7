"""Admin of community work: only the community centres (places, no personal data).

Meetings, attendance and leaders are personal data of the organisations; their workers
manage them, audited, under /komunita/.
"""

from django.contrib import admin

from community.models import CommunityCentre


@admin.register(CommunityCentre)
class CommunityCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "territory", "opened_on", "closed_on"]
    list_filter = ["territory"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization", "territory"]
    raw_id_fields = ["organization", "territory", "location"]

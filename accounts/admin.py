"""Admin of memberships and territory coordinators; coordinators use /ucet/uzemi/ instead."""

from django.contrib import admin

from accounts.models import Membership, TerritoryCoordinator


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "organization__name", "organization__ico"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user", "organization"]


@admin.register(TerritoryCoordinator)
class TerritoryCoordinatorAdmin(admin.ModelAdmin):
    list_display = ["user", "territory"]
    search_fields = ["user__username", "user__email", "territory__name", "territory__slug"]
    list_select_related = ["user", "territory"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["territory"]

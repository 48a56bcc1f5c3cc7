"""Project monitoring, mounted at /monitoring/: UUIDs in URLs, never sequential ids."""

from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.project_list, name="index"),
    path("novy/", views.project_create, name="project_create"),
    path(
        "planovani/<slug:territory>/",
        views.planning,
        name="planning",
    ),
    path("<uuid:pk>/", views.project_dashboard, name="project"),
    path("<uuid:pk>/upravit/", views.project_edit, name="project_edit"),
    # Indicators, their values and targets.
    path("<uuid:pk>/ukazatele/novy/", views.indicator_form, name="indicator_create"),
    path("<uuid:pk>/ukazatele/<uuid:indicator>/", views.indicator_detail, name="indicator"),
    path(
        "<uuid:pk>/ukazatele/<uuid:indicator>/upravit/",
        views.indicator_form,
        name="indicator_edit",
    ),
    path("<uuid:pk>/hodnoty/<uuid:value>/rozhodnuti/", views.value_decide, name="value_decide"),
    path("<uuid:pk>/hodnoty/<uuid:value>/doklad/", views.evidence_download, name="evidence"),
    # Reporting periods.
    path("<uuid:pk>/obdobi/", views.periods, name="periods"),
    path("<uuid:pk>/obdobi/<uuid:period>/uzamknout/", views.period_lock, name="period_lock"),
    path("<uuid:pk>/obdobi/<uuid:period>/otevrit/", views.period_reopen, name="period_reopen"),
    # Participants and their support.
    path("<uuid:pk>/ucastnici/", views.participant_list, name="participants"),
    path("<uuid:pk>/ucastnici/novy/", views.participant_create, name="participant_create"),
    path(
        "<uuid:pk>/ucastnici/export.<str:fmt>",
        views.participant_export,
        name="participants_export",
    ),
    path(
        "<uuid:pk>/ucastnici/<uuid:participant>/",
        views.participant_detail,
        name="participant",
    ),
    path(
        "<uuid:pk>/ucastnici/<uuid:participant>/podpora/<uuid:activity>/smazat/",
        views.activity_delete,
        name="activity_delete",
    ),
    # Service statistics of a funded network.
    path("<uuid:pk>/statistiky/", views.statistics_list, name="statistics"),
    path(
        "<uuid:pk>/statistiky/<uuid:service>/<uuid:period>/",
        views.statistics_form,
        name="statistics_form",
    ),
    path("<uuid:pk>/sit/", views.network, name="network"),
    # The funder's report.
    path("<uuid:pk>/zor/<uuid:period>/", views.zor, name="zor"),
    path("<uuid:pk>/zor/<uuid:period>/xlsx/", views.zor_xlsx, name="zor_xlsx"),
]

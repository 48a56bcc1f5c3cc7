"""Community work, mounted at /komunita/: UUIDs in URLs, never names or sequential ids."""

from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("", views.home, name="home"),
    # Meetings.
    path("setkani/nove/", views.meeting_create, name="meeting_create"),
    path("setkani/<uuid:pk>/", views.meeting_detail, name="meeting_detail"),
    path("setkani/<uuid:pk>/upravit/", views.meeting_edit, name="meeting_edit"),
    path("setkani/<uuid:pk>/smazat/", views.meeting_delete, name="meeting_delete"),
    path("setkani/<uuid:pk>/temata/", views.meeting_topic_add, name="meeting_topic_add"),
    path(
        "setkani/<uuid:pk>/temata/<uuid:topic>/odebrat/",
        views.meeting_topic_remove,
        name="meeting_topic_remove",
    ),
    path("setkani/<uuid:pk>/ucast/", views.attendance_add, name="attendance_add"),
    path("setkani/<uuid:pk>/ucast/novy/", views.participant_add, name="participant_add"),
    path("setkani/<uuid:pk>/pocet/", views.anonymous_count, name="anonymous_count"),
    path("setkani/<uuid:pk>/ukoly/", views.follow_up_add, name="follow_up_add"),
    path("setkani/<uuid:pk>/prezencni-listina/", views.meeting_sheet, name="meeting_sheet"),
    path(
        "setkani/<uuid:pk>/prezencni-listina/zapsat/",
        views.meeting_sheet_record,
        name="meeting_sheet_record",
    ),
    path("ucast/<uuid:pk>/odebrat/", views.attendance_remove, name="attendance_remove"),
    # Follow-up actions.
    path("ukoly/", views.follow_up_list, name="follow_up_list"),
    path("ukoly/<uuid:pk>/hotovo/", views.follow_up_done, name="follow_up_done"),
    # Topics.
    path("temata/", views.topic_board, name="topic_board"),
    path("temata/<uuid:pk>/", views.topic_detail, name="topic_detail"),
    path("temata/<uuid:pk>/stav/", views.topic_status, name="topic_status"),
    # Community leaders.
    path("lidri/", views.leader_list, name="leader_list"),
    path("lidri/novy/", views.leader_create, name="leader_create"),
    path("lidri/<uuid:pk>/", views.leader_detail, name="leader_detail"),
    path("lidri/<uuid:pk>/ukoncit/", views.leader_end, name="leader_end"),
    # Attendance sheets of event occurrences ("termin" is the local start, 20260915T1600).
    path(
        "akce/<uuid:pk>/<str:termin>/prezencni-listina/",
        views.event_sheet,
        name="event_sheet",
    ),
    path(
        "akce/<uuid:pk>/<str:termin>/prezencni-listina/zapsat/",
        views.event_sheet_record,
        name="event_sheet_record",
    ),
]

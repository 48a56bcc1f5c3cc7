"""URLs of events: the public calendar under each territory, the person's registration
link (a random token, nothing else), and the organiser's area under /ucet/akce/.

The iCalendar feed of a territory or an organisation, /api/v1/events.ics, is mapped in
spojka/urls.py (its path is a contract of the public API).
"""

from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("ucet/akce/", views.manage_list, name="manage_list"),
    path("ucet/akce/nova/", views.manage_create, name="manage_create"),
    path("ucet/akce/<uuid:pk>/", views.manage_edit, name="manage_edit"),
    path("ucet/akce/<uuid:pk>/zrusit/", views.manage_cancel, name="manage_cancel"),
    path("ucet/akce/<uuid:pk>/prihlasky/", views.manage_registrations, name="manage_registrations"),
    path(
        "ucet/akce/<uuid:pk>/zrusit-termin/",
        views.manage_cancel_occurrence,
        name="manage_cancel_occurrence",
    ),
    path(
        "ucet/akce/prihlaska/<uuid:pk>/",
        views.manage_registration_action,
        name="manage_registration_action",
    ),
    path("<slug:territory>/akce/", views.calendar_list, name="calendar"),
    path("<slug:territory>/akce/<int:year>/<int:month>/", views.calendar_month, name="month"),
    path("<slug:territory>/akce/<uuid:pk>/", views.detail, name="detail"),
    path("<slug:territory>/akce/<uuid:pk>/prihlasit/", views.register, name="register"),
    path("<slug:territory>/akce/<uuid:pk>/kalendar.ics", views.event_ics, name="ics"),
    path(
        "<slug:territory>/akce/prihlaska/<str:token>/",
        views.registration,
        name="registration",
    ),
    path(
        "<slug:territory>/akce/prihlaska/<str:token>/zrusit/",
        views.registration_cancel,
        name="registration_cancel",
    ),
]

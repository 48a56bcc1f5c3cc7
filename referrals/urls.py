"""The worker area, mounted at /prace/: UUIDs only, never a name or a sequential id."""

from django.urls import path

from referrals import views, views_audit, views_persons, views_referrals

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("oznameni/precteno/", views.notifications_read_all, name="notifications_read_all"),
    path("oznameni/<uuid:pk>/precteno/", views.notification_read, name="notification_read"),
    # The intake queue of residents' requests.
    path("zadosti/", views.help_request_list, name="help_request_list"),
    path("zadosti/<uuid:pk>/", views.help_request_detail, name="help_request_detail"),
    path("zadosti/<uuid:pk>/prevzit/", views.help_request_take, name="help_request_take"),
    path("zadosti/<uuid:pk>/uzavrit/", views.help_request_close, name="help_request_close"),
    # Persons and their consent.
    path("osoby/", views_persons.person_list, name="person_list"),
    path("osoby/nova/", views_persons.person_create, name="person_create"),
    path("osoby/<uuid:pk>/", views_persons.person_detail, name="person_detail"),
    path("osoby/<uuid:pk>/upravit/", views_persons.person_edit, name="person_edit"),
    path("osoby/<uuid:pk>/export/", views_persons.person_export, name="person_export"),
    path(
        "osoby/<uuid:pk>/anonymizovat/",
        views_persons.person_anonymise,
        name="person_anonymise",
    ),
    path("osoby/<uuid:pk>/poznamka/", views_persons.note_add, name="note_add"),
    path("osoby/<uuid:pk>/souhlas/", views_persons.consent_create, name="consent_create"),
    path(
        "osoby/<uuid:pk>/souhlas/<uuid:consent>/potvrzeni/",
        views_persons.consent_receipt,
        name="consent_receipt",
    ),
    path(
        "osoby/<uuid:pk>/souhlas/<uuid:consent>/odvolat/",
        views_persons.consent_withdraw,
        name="consent_withdraw",
    ),
    # Referrals.
    path("osoby/<uuid:pk>/predat/", views_referrals.referral_create, name="referral_create"),
    path("predani/", views.referral_list, name="referral_list"),
    path("predani/<uuid:pk>/", views_referrals.referral_detail, name="referral_detail"),
    path(
        "predani/<uuid:pk>/stav/",
        views_referrals.referral_transition,
        name="referral_transition",
    ),
    path(
        "predani/<uuid:pk>/zpravy/",
        views_referrals.referral_message,
        name="referral_message",
    ),
    # The coordinator's audit search.
    path("audit/", views_audit.audit_search, name="audit"),
    path("audit/export.csv", views_audit.audit_export, name="audit_export"),
]

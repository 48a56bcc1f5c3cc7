"""Provider self-service under /ucet/: UUIDs and slugs only, never a personal record's id."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import otp_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("prihlaseni/", views.LoginView.as_view(), name="login"),
    path("odhlaseni/", auth_views.LogoutView.as_view(), name="logout"),
    path("heslo/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "nastavit-heslo/<uidb64>/<token>/",
        views.PasswordSetView.as_view(),
        name="password_set",
    ),
    path("sluzba/<uuid:pk>/", views.service_edit, name="service_edit"),
    path("sluzba/<uuid:pk>/kapacita/", views.capacity, name="capacity"),
    path("sluzba/<uuid:pk>/oteviraci-doba/", views.schedules, name="schedules"),
    path("organizace/<uuid:pk>/", views.organization_edit, name="organization_edit"),
    path("organizace/<uuid:pk>/mista/", views.locations, name="locations"),
    path("misto/<uuid:pk>/", views.location_edit, name="location_edit"),
    path("uzemi/<slug:slug>/", views.territory, name="territory"),
    path(
        "uzemi/<slug:slug>/organizace/",
        views.territory_add_organization,
        name="territory_add_organization",
    ),
    path("uzemi/<slug:slug>/clenove/", views.territory_add_member, name="territory_add_member"),
    path(
        "uzemi/<slug:slug>/clenove/odebrat/",
        views.territory_remove_member,
        name="territory_remove_member",
    ),
    path("uzemi/<slug:slug>/texty/", views.territory_texts, name="territory_texts"),
]

# Two-factor login: accounts/otp_views.py, enforced by spojka.middleware.
urlpatterns += [
    path("overeni/", otp_views.otp_verify, name="otp_verify"),
    path("overeni/nastaveni/", otp_views.otp_setup, name="otp_setup"),
]

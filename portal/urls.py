"""Public portal URLs; each territory has its own portal under its slug."""

from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:territory>/", views.home, name="home"),
    path("<slug:territory>/hledat/", views.search, name="search"),
    path("<slug:territory>/sluzba/<uuid:pk>/", views.service, name="service"),
    path("<slug:territory>/organizace/<uuid:pk>/", views.organization, name="organization"),
    path("<slug:territory>/obec/<int:code>/", views.municipality, name="municipality"),
    path("<slug:territory>/situace/<slug:slug>/", views.situation, name="situation"),
    path("<slug:territory>/pozadat-o-pomoc/", views.help_request, name="help_request"),
    path(
        "<slug:territory>/pozadat-o-pomoc/odeslano/",
        views.help_request_sent,
        name="help_request_sent",
    ),
    path("<slug:territory>/ochrana-osobnich-udaju/", views.privacy, name="privacy"),
]

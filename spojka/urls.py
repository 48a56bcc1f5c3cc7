"""Top-level URLs: accounts and provider self-service, i18n switch, then the public portal."""

from django.contrib import admin
from django.urls import include, path

from events import views as events_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("ucet/", include("accounts.urls")),
    path("prace/", include("referrals.urls")),
    path("komunita/", include("community.urls")),
    path("monitoring/", include("monitoring.urls")),
    # A contract of the public API, served by a plain view before the api/ app's URLs.
    path("api/v1/events.ics", events_views.feed, name="events_feed"),
    path("api/", include("api.urls")),
    path("", include("events.urls")),
    path("", include("portal.urls")),
]

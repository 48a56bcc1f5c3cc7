"""Top-level URLs: accounts and provider self-service, i18n switch, then the public portal."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("ucet/", include("accounts.urls")),
    path("api/", include("api.urls")),
    path("", include("portal.urls")),
]

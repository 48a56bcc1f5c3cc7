"""URLs of the benchmark: the floor page, then everything the project serves."""

from django.urls import include, path

from bench.views import floor

urlpatterns = [
    path("_bench/floor/", floor, name="bench-floor"),
    path("", include("spojka.urls")),
]

"""URLs of the APIs: /api/hsds/ (public, HSDS 3.0)."""

from django.urls import path

urlpatterns: list = []

"""The HSDS 3.0 read API and the private API (django-ninja), with their OpenAPI documents."""

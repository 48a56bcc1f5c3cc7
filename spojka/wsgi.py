"""WSGI entry point (gunicorn spojka.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from spojka.runtime import freeze_loaded_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spojka.settings")
application = get_wsgi_application()
freeze_loaded_objects()

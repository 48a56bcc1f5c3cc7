"""Settings for the test suite: the real database of DATABASE_URL, fast hashing, local mail."""

import os

from spojka.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so that the live server of browser tests shares it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.get("SPOJKA_TEST_DB") or str(BASE_DIR / "var" / "test.sqlite3")  # noqa: F405
    }

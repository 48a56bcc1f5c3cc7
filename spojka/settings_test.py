"""Settings for the test suite: the real database of DATABASE_URL, fast hashing, local mail."""

import os

from spojka.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Off unless a test turns them on with the `settings` fixture: two-factor login would stand
# between every test and the page it checks, and django-axes refuses `client.login()`,
# which authenticates without a request.
SPOJKA_REQUIRE_2FA = False
AXES_ENABLED = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so that the live server of browser tests shares it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.get("SPOJKA_TEST_DB") or str(BASE_DIR / "var" / "test.sqlite3")  # noqa: F405
    }
elif os.environ.get("SPOJKA_TEST_DB"):
    # Several test runs on one PostgreSQL server each get their own test database.
    _stem = os.path.splitext(os.path.basename(os.environ["SPOJKA_TEST_DB"]))[0]
    DATABASES["default"]["TEST"] = {"NAME": "test_" + _stem.replace("-", "_")}  # noqa: F405

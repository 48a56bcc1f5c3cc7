"""Settings of the benchmark: the project's settings, its own URLconf and templates.

`bench/run.py` sets DATABASE_URL (a SQLite file under bench/work/), DEBUG off and
persistent connections in the environment before Django reads these settings.
"""

from spojka import settings as _project

globals().update({k: v for k, v in vars(_project).items() if k.isupper()})

# The project's URLs plus the floor page /_bench/floor/.
ROOT_URLCONF = "bench.urls"
TEMPLATES = [
    {
        **_project.TEMPLATES[0],
        "DIRS": [*_project.TEMPLATES[0]["DIRS"], _project.BASE_DIR / "bench" / "templates"],
    },
]
# WhiteNoise looks for collected files here; the benchmark needs none (created by run.py).
STATIC_ROOT = _project.BASE_DIR / "bench" / "work" / "static"
# Measure what production runs: no debug bookkeeping (query log, template debug info).
DEBUG = False
LOGGING = {
    **_project.LOGGING,
    "loggers": {
        **_project.LOGGING["loggers"],
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

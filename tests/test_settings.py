"""Settings come from the environment and fail loudly; production passes check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from spojka.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def test_env_bool_rejects_typo(monkeypatch):
    monkeypatch.setenv("SPOJKA_X", "ture")
    with pytest.raises(ImproperlyConfigured, match="SPOJKA_X='ture' is not a boolean"):
        env_bool("SPOJKA_X", default=False)


def test_env_int_rejects_words_and_too_small(monkeypatch):
    monkeypatch.setenv("SPOJKA_N", "thirty")
    with pytest.raises(ImproperlyConfigured, match="SPOJKA_N='thirty' is not a whole number"):
        env_int("SPOJKA_N", 30)
    monkeypatch.setenv("SPOJKA_N", "0")
    with pytest.raises(ImproperlyConfigured, match="must be at least 1"):
        env_int("SPOJKA_N", 30, minimum=1)


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("SPOJKA_L", " a.cz, b.cz ,,")
    assert env_list("SPOJKA_L", []) == ["a.cz", "b.cz"]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    clean.update(env)
    clean.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'check.sqlite3'}")
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SPOJKA_ENV="production",
        SECRET_KEY="x7Kp2-vQ9sLm4Rt8Zw1Yb6Nc3Hd5Fg0Ja7Ue2Io9Pa4Sd6Fg8Hj1Kl3Zx5Cv7Bn",
        ALLOWED_HOSTS="spojka.example.cz",
        DEFAULT_FROM_EMAIL="Spojka <spojka@spojka.example.cz>",
        SPOJKA_BASE_URL="https://spojka.example.cz",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_without_secret_key_refuses_to_start():
    result = _manage("check", SPOJKA_ENV="production", SECRET_KEY="", ALLOWED_HOSTS="x.cz")
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set in production" in result.stderr

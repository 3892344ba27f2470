"""Settings come from the environment; production refuses to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 30 + "-not-a-real-secret-but-long-enough-" + "z" * 10


def palermo(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("PALERMO_", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"))}
    base["DJANGO_SETTINGS_MODULE"] = "palermo.settings"
    return subprocess.run(
        [sys.executable, "-m", "palermo.cli", *args], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.parametrize(("env", "missing"), [
    ({}, "PALERMO_SECRET_KEY"),
    ({"PALERMO_SECRET_KEY": GOOD_KEY}, "PALERMO_ALLOWED_HOSTS"),
    ({"PALERMO_SECRET_KEY": GOOD_KEY, "PALERMO_ALLOWED_HOSTS": "palermo.example.org"},
     "DATABASE_URL"),
    ({"PALERMO_SECRET_KEY": GOOD_KEY, "PALERMO_ALLOWED_HOSTS": "palermo.example.org",
      "DATABASE_URL": "sqlite:///tmp/x.sqlite3"}, "DATABASE_URL (PostgreSQL, not SQLite)"),
    ({"PALERMO_SECRET_KEY": "short", "PALERMO_ALLOWED_HOSTS": "palermo.example.org",
      "DATABASE_URL": "postgres://postgres@127.0.0.1/palermo"}, "PALERMO_SECRET_KEY"),
])
def test_production_refuses_to_start_and_names_what_is_missing(env, missing):
    result = palermo("check", PALERMO_ENV="production", **env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Palermo: PALERMO_ENV=production needs")
    assert missing in lines[0]


def test_production_with_everything_set_passes_the_deployment_checks():
    result = palermo(
        "check", "--deploy", "--fail-level", "WARNING",
        PALERMO_ENV="production", PALERMO_SECRET_KEY=GOOD_KEY,
        PALERMO_ALLOWED_HOSTS="palermo.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/palermo",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("env", "message"), [
    ({"PALERMO_ENV": "staging"}, "PALERMO_ENV must be development or production"),
    ({"PALERMO_DEBUG": "perhaps"}, "PALERMO_DEBUG must be true or false"),
    ({"PALERMO_SESSION_SECONDS": "a day"}, "PALERMO_SESSION_SECONDS must be a whole number"),
])
def test_bad_values_are_refused_with_a_clear_message(env, message):
    result = palermo("check", **env)
    assert result.returncode == 1
    assert message in result.stderr


def test_development_defaults_to_sqlite_in_wal_mode(tmp_path):
    result = palermo("shell", "-c", (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(connection.vendor, c.fetchone()[0])"
    ), PALERMO_VAR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["sqlite", "wal"]

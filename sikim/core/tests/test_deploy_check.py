"""Production settings pass Django's deployment checklist, and refuse to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION_SECRET_KEY = "k3Qv8sWn2Lx7Zr5Tp9Yb4Hc6Jd1Mf0Ga8Ue3Io7Pa2Sd5Fg9Hj4Kl6Zx1Cv0Bn2M"


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("SIKIM_", "DJANGO_"))}
    return {**env, "SIKIM_ENV": "production", "SIKIM_DATA_DIR": str(tmp_path), **extra}


def test_production_settings_pass_check_deploy(tmp_path):
    assert len(PRODUCTION_SECRET_KEY) == 64
    env = _production_env(
        tmp_path,
        SIKIM_SECRET_KEY=PRODUCTION_SECRET_KEY,
        SIKIM_ALLOWED_HOSTS="sikim.example.id",
        SIKIM_EMAIL_HOST="smtp.example.id",
    )

    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = _manage(["check"], _production_env(tmp_path, SIKIM_ALLOWED_HOSTS="sikim.example.id"))

    assert result.returncode != 0
    assert "SIKIM_SECRET_KEY must be set in production" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_without_an_email_server_fails_check_deploy(tmp_path):
    """Without SIKIM_EMAIL_HOST mail goes to the console: nobody would get a password reset."""
    env = _production_env(tmp_path, SIKIM_SECRET_KEY=PRODUCTION_SECRET_KEY, SIKIM_ALLOWED_HOSTS="sikim.example.id")

    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode != 0
    assert "mail.E001" in result.stderr or "SIKIM_EMAIL_HOST" in result.stderr

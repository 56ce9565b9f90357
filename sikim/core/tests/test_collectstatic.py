"""Production serves static files through WhiteNoise's manifest storage: every file must be
collectable (a missing source map once broke it)."""

import os
import subprocess
import sys

from django.conf import settings


def test_collectstatic_with_the_production_storage(tmp_path):
    env = {**os.environ, "SIKIM_ENV": "development", "SIKIM_DEBUG": "false", "SIKIM_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()

"""Loaded by pytest before Django starts (see `addopts` in pyproject.toml): test settings."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ["SIKIM_ENV"] = "test"
# Tests that need quiet hours or the public page cache switch them on with override_settings;
# everywhere else a test must not depend on the hour it runs at or see a stale page.
os.environ.setdefault("SIKIM_QUIET_HOURS", "")
os.environ.setdefault("SIKIM_PUBLIC_CACHE_SECONDS", "0")
# Anonymous intake limits are switched on by the tests that check them (override_settings).
os.environ.setdefault("SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR", "0")
os.environ.setdefault("SIKIM_KIP_ANONYMOUS_PER_HOUR", "0")

# Under `make test-scale` every xdist worker talks to one Redis. Each worker gets its own Redis
# database (1-15), so one test's cache.clear() or cache keys never reach a test running in another
# worker at the same time. (xdist sets PYTEST_XDIST_WORKER before this plugin loads; the run_huey
# processes a worker test starts inherit the same REDIS_URL.)
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_redis_url = os.environ.get("REDIS_URL", "")
if _worker.startswith("gw") and _redis_url:
    _parts = urlsplit(_redis_url)
    os.environ["REDIS_URL"] = urlunsplit(_parts._replace(path=f"/{1 + int(_worker[2:]) % 15}"))

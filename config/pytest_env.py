"""Loaded by pytest before Django starts (see `addopts` in pyproject.toml): test settings."""

import os

os.environ["SIKIM_ENV"] = "test"
# Tests that need quiet hours or the public page cache switch them on with override_settings;
# everywhere else a test must not depend on the hour it runs at or see a stale page.
os.environ.setdefault("SIKIM_QUIET_HOURS", "")
os.environ.setdefault("SIKIM_PUBLIC_CACHE_SECONDS", "0")
# Anonymous intake limits are switched on by the tests that check them (override_settings).
os.environ.setdefault("SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR", "0")
os.environ.setdefault("SIKIM_KIP_ANONYMOUS_PER_HOUR", "0")

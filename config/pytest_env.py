"""Loaded by pytest before Django starts (see `addopts` in pyproject.toml): test settings."""

import os

os.environ["SIKIM_ENV"] = "test"
# Tests that need quiet hours or the public page cache switch them on with override_settings;
# everywhere else a test must not depend on the hour it runs at or see a stale page.
os.environ.setdefault("SIKIM_QUIET_HOURS", "")
os.environ.setdefault("SIKIM_PUBLIC_CACHE_SECONDS", "0")

"""Loaded by pytest before Django starts (see `addopts` in pyproject.toml): test settings."""

import os

os.environ["SIKIM_ENV"] = "test"

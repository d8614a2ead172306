"""Shared fixtures. Tests mirror src/regdesk/ (tests/<app>/test_*.py)."""

from __future__ import annotations

import os

import pytest

# Tests never touch the developer's var/: each run gets its own directory for keys and media.
os.environ.setdefault("REGDESK_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))
# Whitenoise expects the collected static files; the tests serve them through the finders instead.
os.makedirs(os.path.join(os.environ["REGDESK_VAR_DIR"], "static"), exist_ok=True)

pytest_plugins = ["tests.fixtures.simulators", "tests.fixtures.vault"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Give each test run its own PostgreSQL test database, so that runs side by side never collide."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("TEST", {})["NAME"] = f"test_regdesk_{os.getpid()}"

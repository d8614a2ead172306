"""The accounts middleware is inserted here until config/settings.py lists it (the insertion is idempotent), and
passwords use a fast hasher: these tests create many users, and Argon2 is tested once in test_services.

Rate-limit counters live in the database cache: every test that uses the database starts without any (a test's
own are rolled back with its transaction, but those of a transactional test would stay)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.accounts.helpers import with_account_middleware


@pytest.fixture(autouse=True)
def _account_middleware(settings: SettingsWrapper) -> None:
    settings.MIDDLEWARE = with_account_middleware(list(settings.MIDDLEWARE))
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_rate_limit_counters(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    cache.clear()

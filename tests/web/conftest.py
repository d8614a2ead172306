"""The accounts middleware is inserted here until config/settings.py lists it (the insertion is idempotent), and
passwords use a fast hasher: these tests create many users, and Argon2 is tested once in test_services."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.accounts.helpers import with_account_middleware


@pytest.fixture(autouse=True)
def _account_middleware(settings: SettingsWrapper) -> None:
    settings.MIDDLEWARE = with_account_middleware(list(settings.MIDDLEWARE))
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

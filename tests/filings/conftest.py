"""Fixtures of the ICP filing tests: settings, a unit tree with staff and owners, ready-made filings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django import Settings

from tests.filings.builders import World, make_world

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
# The provider's filed networks in the tests (public in form: the rules refuse private and documentation ranges).
PROVIDER_NETWORKS = ["192.88.99.0/24"]


@pytest.fixture(autouse=True)
def _filing_settings(settings: Settings, tmp_path: Path) -> None:
    """Tasks run at once; documents, seal and signing key live in the test's directory; uploads are sent by the
    tests themselves."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.REGDESK_ICP_PROVIDER_NETWORKS = PROVIDER_NETWORKS
    settings.REGDESK_PROVIDER_NAME = "华信云网络科技有限公司"
    settings.REGDESK_PROVIDER_LICENCE = "B1-20260000"
    settings.REGDESK_PROVIDER_SEAL_FILE = str(tmp_path / "keys" / "seal.png")
    settings.REGDESK_CERTIFICATE_KEY_FILE = str(tmp_path / "keys" / "certificate-key.pem")
    settings.REGDESK_PUBLIC_BASE_URL = "https://beian.provider.example.cn"
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = False
    settings.REGDESK_ICP_INTAKE_UNIT = "branch"


@pytest.fixture
def world(db: None) -> World:
    return make_world()

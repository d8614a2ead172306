"""Fixtures of the MIIT adapter's tests: a scripted SOAP province on loopback and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django import Settings

from regdesk.miit.config import miit_settings
from regdesk.miit.transport import MiitClient
from tests.miit.soap_server import Province, ProvinceServer


@pytest.fixture
def province() -> Iterator[ProvinceServer]:
    server = ProvinceServer(Province(slow_seconds=0.6)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def miit_config(settings: Settings, province: ProvinceServer) -> ProvinceServer:
    """Point the adapter at the test province, with short timeouts and no backoff wait."""
    settings.REGDESK_MIIT_URL = province.url
    settings.REGDESK_MIIT_ISP_ID = province.province.isp_id
    settings.REGDESK_MIIT_USER_NAME = province.province.user_name
    settings.REGDESK_MIIT_PASSWORD = province.province.password
    settings.REGDESK_MIIT_AES_KEY = province.province.key.key.decode()
    settings.REGDESK_MIIT_AES_IV = province.province.key.iv.decode()
    settings.REGDESK_MIIT_ENCRYPT_ALGORITHM = 1
    settings.REGDESK_MIIT_CONNECT_TIMEOUT_SECONDS = 2.0
    settings.REGDESK_MIIT_READ_TIMEOUT_SECONDS = 0.3
    settings.REGDESK_MIIT_ATTEMPTS = 3
    settings.REGDESK_MIIT_BACKOFF_SECONDS = 0.0
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = False
    return province


@pytest.fixture
def client(miit_config: ProvinceServer) -> MiitClient:
    return MiitClient(miit_settings(), sleep=lambda _seconds: None)

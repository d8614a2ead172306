"""Key rotation re-seals the TOTP secrets, which the accounts services seal themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from regdesk.accounts.models import TotpDevice
from regdesk.accounts.services import totp_secret
from regdesk.privacy import crypto
from regdesk.privacy.services import vault_rotate
from tests.accounts.helpers import enrol_totp, make_user


@pytest.mark.django_db
def test_rotation_reseals_totp_secrets(ring_file: Path) -> None:
    user = make_user("rotation-user")
    secret = enrol_totp(user)
    before = TotpDevice.objects.get(user=user).secret_sealed

    vault_rotate(actor=None, new_key_id="k-rotated")

    after = TotpDevice.objects.get(user=user)
    assert after.secret_sealed != before
    assert crypto.text_key_id(after.secret_sealed) == "k-rotated"
    assert totp_secret(after) == secret

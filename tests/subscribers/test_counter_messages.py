"""The refusal sentences the counter shows: the per-ID limit names the number of lines the ID holds."""

from __future__ import annotations

import pytest
from django.utils import translation
from pytest_django import Settings

from regdesk.subscribers.selectors import refusal_message


def test_the_per_id_limit_names_the_number_of_lines() -> None:
    with translation.override("en"):
        assert refusal_message("per_id_limit_reached").startswith("This ID already holds 5 active lines")
    with translation.override("zh-hans"):
        assert "该证件已有 5 个在用号码" in refusal_message("per_id_limit_reached")


def test_the_number_follows_the_configured_limit(settings: Settings) -> None:
    settings.REGDESK_LINES_PER_ID = 3
    with translation.override("en"):
        assert "already holds 3 active lines" in refusal_message("per_id_limit_reached")


@pytest.mark.parametrize("reason", ["no_id_shown", "identity_check_failed"])
def test_other_reasons_keep_their_sentence(reason: str) -> None:
    with translation.override("zh-hans"):
        message = refusal_message(reason)
    assert message
    assert message.isascii() is False
    assert refusal_message("") == ""

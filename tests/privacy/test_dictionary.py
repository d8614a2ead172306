"""The data dictionary and its desk page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.utils.translation import gettext_lazy as _

from regdesk.privacy import dictionary
from regdesk.privacy.dictionary import Category, PersonalField, Retention
from tests.audit.people import desk_login, person


def declaration(key: str = "test.phone", **overrides: object) -> PersonalField:
    values: dict[str, object] = {
        "key": key,
        "category": Category.PHONE,
        "purpose": _("Tests"),
        "legal_basis": _("Tests"),
        "retention": Retention(_("Tests"), days=30),
    }
    values.update(overrides)
    return PersonalField(**values)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Declarations made here stay out of the registry other tests see."""
    monkeypatch.setattr(dictionary, "_REGISTRY", dict(dictionary._REGISTRY))


def test_register_is_idempotent_but_refuses_a_different_declaration() -> None:
    first = dictionary.register(declaration())
    assert dictionary.register(declaration()) == first
    assert dictionary.get("test.phone") is first
    with pytest.raises(ValueError, match="differently"):
        dictionary.register(declaration(category=Category.EMAIL))
    with pytest.raises(dictionary.UnknownPersonalFieldError):
        dictionary.get("test.nothing")


@pytest.mark.parametrize("key", ["phone", "Test.Phone", "test.", "test phone.x"])
def test_keys_look_like_app_dot_field(key: str) -> None:
    with pytest.raises(ValueError, match=r"app\.field"):
        declaration(key)


def test_masks_and_index_domains_follow_the_category() -> None:
    assert declaration().apply_mask("13812345678") == "138****5678"
    assert declaration(mask=lambda value: "hidden").apply_mask("13812345678") == "hidden"
    assert declaration().index_domain == "phone"
    assert declaration("test.note", category=Category.FREE_TEXT).index_domain == "test.note"
    assert declaration().associated_data == b"test.phone"


def test_retention_can_be_configured() -> None:
    retention = Retention(_("Tests"), days=30, setting="REGDESK_RETENTION_CARD_READING_DAYS")
    with override_settings(REGDESK_RETENTION_CARD_READING_DAYS=None):
        assert retention.effective_days == 30
    with override_settings(REGDESK_RETENTION_CARD_READING_DAYS=90):
        assert retention.effective_days == 90


def test_a_retention_naming_no_setting_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="REGDESK_RETENTION_TYPO_DAYS is not a setting"):
        assert Retention(_("Tests"), days=30, setting="REGDESK_RETENTION_TYPO_DAYS").effective_days


def test_the_apps_fields_are_declared() -> None:
    keys = {declared.key for declared in dictionary.all_fields()}
    assert {"privacy.contact_phone", "privacy.contact_email"} <= keys


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["compliance_officer", "auditor"])
def test_page_for_compliance_officers_and_auditors(client: Client, role: str) -> None:
    desk_login(client, person("reader", role))
    response = client.get("/desk/privacy/dictionary")
    assert response.status_code == 200
    body = response.content.decode()
    assert "privacy.contact_phone" in body
    assert "138****8000" in body
    assert "13800138000" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("roles", [("administrator",), ("specialist", "counter_clerk"), ()])
def test_page_is_missing_for_others(client: Client, roles: tuple[str, ...]) -> None:
    desk_login(client, person("other", *roles))
    assert client.get("/desk/privacy/dictionary").status_code == 404


@pytest.mark.django_db
def test_page_sends_anonymous_visitors_to_login(client: Client) -> None:
    response = client.get("/desk/privacy/dictionary")
    assert response.status_code == 302

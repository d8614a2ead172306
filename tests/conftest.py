"""Shared fixtures. Tests mirror src/regdesk/ (tests/<app>/test_*.py)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings

if TYPE_CHECKING:
    from execnet import XSpec

# The directory of keys, media and simulator state for the tests, never the developer's var/. pytest-django loads
# the settings before this file, so REGDESK_VAR_DIR must be in the environment already (scripts/test sets it);
# here it reaches the commands the tests start, and each xdist worker's own directory derives from it.
os.environ.setdefault("REGDESK_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))


def _prepare_var_dir(path: str) -> None:
    # Whitenoise expects the collected static files; the tests serve them through the finders instead.
    os.makedirs(os.path.join(path, "static"), exist_ok=True)


_prepare_var_dir(os.environ["REGDESK_VAR_DIR"])

pytest_plugins = ["tests.fixtures.simulators", "tests.fixtures.vault"]

# Under CI (CI=true) the property tests draw the same examples on every run, so that whether a change lands never
# hangs on a fresh random draw; a developer's run draws afresh and finds what CI has not tried yet.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config: pytest.Config, specs: list[XSpec]) -> None:
    """Each xdist worker gets its own var directory, ``$REGDESK_VAR_DIR/<worker id>``, in its environment from the
    start, so that its Django settings load with it: workers never share key files, media or simulator state."""
    for spec in specs:
        var_dir = os.path.join(os.environ["REGDESK_VAR_DIR"], str(spec.id))
        _prepare_var_dir(var_dir)
        spec.env["REGDESK_VAR_DIR"] = var_dir


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``postgres`` needs PostgreSQL: on any other database it is skipped with the reason, so that
    plain ``pytest`` passes on the SQLite default and no test carries a skip of its own."""
    from django.conf import settings

    engine = str(settings.DATABASES["default"]["ENGINE"])
    if engine.endswith("postgresql"):
        return
    skip = pytest.mark.skip(
        reason=f"needs PostgreSQL (REGDESK_DATABASE_URL=postgres://...); the database is {engine.rsplit('.', 1)[-1]}"
    )
    for item in items:
        if item.get_closest_marker("postgres") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Give each test run its own PostgreSQL test database, so that runs side by side never collide."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("TEST", {})["NAME"] = f"test_regdesk_{os.getpid()}"

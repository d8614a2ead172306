"""Shared fixtures. Tests mirror src/regdesk/ (tests/<app>/test_*.py)."""

from __future__ import annotations

import os

# Tests never touch the developer's var/: each run gets its own directory for keys and media.
os.environ.setdefault("REGDESK_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

pytest_plugins = ["tests.fixtures.simulators"]

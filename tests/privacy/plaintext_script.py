"""Run by ``test_plaintext_at_rest`` in a subprocess against a migrated, file-based SQLite database."""

from __future__ import annotations

import json
import os
import sys

import django


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regdesk.config.settings")
    django.setup()
    from django.db import connection

    from tests.privacy.plaintext_data import populate
    from tests.privacy.proof_models import ProofRecord

    with connection.schema_editor() as editor:
        editor.create_model(ProofRecord)
    counts = populate()
    sys.stdout.write(json.dumps(counts) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

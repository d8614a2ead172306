"""Generate the simulators' synthetic data sets: ``identity-people.json`` and ``registry-enterprises.json``.

``python -m regdesk.simulators.data.generate [--seed N] [--out DIR]`` writes both files; the same seed and the same
division table always give the same files. Every person and every enterprise is invented: the names are drawn from
common characters, the numbers are valid by construction (real GB/T 2260 address codes, real birth dates, the
GB 11643 check character; GB 32100 codes with their embedded GB 11714 organisation-code check).

This script is a development tool and the only place that uses regdesk's rules for the simulators: the simulators
read the JSON files at run time and import nothing from regdesk, so that a bug in our rules cannot hide behind the
same bug in a simulator.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from regdesk.rules import divisions
from regdesk.simulators.data.enterprises import generate_enterprises
from regdesk.simulators.data.people import generate_people

DEFAULT_SEED = 20250601
DATA_DIR = Path(__file__).resolve().parent
IDENTITY_FILE = "identity-people.json"
REGISTRY_FILE = "registry-enterprises.json"


def generate(seed: int = DEFAULT_SEED, table: divisions.DivisionTable | None = None) -> dict[str, dict[str, Any]]:
    """Both data sets, keyed by file name; the same seed and table always give the same result."""
    table = table or divisions.load_table()
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not a secret
    people = generate_people(rng, table)
    people["seed"] = seed
    enterprises = generate_enterprises(rng, table, people)
    enterprises["seed"] = seed
    return {IDENTITY_FILE: people, REGISTRY_FILE: enterprises}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regdesk.simulators.data.generate", description=__doc__)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="directory to write the JSON files to")
    options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    options.out.mkdir(parents=True, exist_ok=True)
    for file_name, document in generate(options.seed).items():
        (options.out / file_name).write_text(render(document), encoding="utf-8")
        sys.stdout.write(f"wrote {options.out / file_name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

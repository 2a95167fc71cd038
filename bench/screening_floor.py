"""The floor for offline screening: what any screening of these lines must at least do.

Reads the JSONL lines, validates each against the contract and spaCy-tokenises its narrative
(`spacy.blank("en")`, `make_doc`); `bench/screening.py` times this whole process, start-up
included, beside `dvscreen screen` on the same file.

Run: .venv/bin/python bench/screening_floor.py INPUT.jsonl
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import spacy

from models.contract import Notification


def main() -> int:
    nlp = spacy.blank("en")
    tokens = 0
    with open(sys.argv[1], encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                tokens += len(nlp.make_doc(Notification.model_validate_json(line).narrative))
    print(tokens)
    return 0


if __name__ == "__main__":
    sys.exit(main())

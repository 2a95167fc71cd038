"""Synthetic labelled notifications: training data for the default model, and large labelled
sets for evaluation, benchmarks and threshold what-ifs.

Each row is built from a structured scenario (screening/synth/scenario.py) from which both the
text and the label are derived, so the label is true by the rule book for the text generated.
Rows are plain JSON-able dicts in contract section 5 form and are deterministic for a seed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from screening.synth.record import RecordMaker


def generate(n: int, seed: int = 0) -> Iterator[dict]:
    """Yield n labelled notifications as plain JSON-able dicts in contract section 5 form:
    {"notification": {...contract section 1...}, "label": {"child_involvement": bool,
    "categories": [...]}}. Deterministic for a given seed."""
    if n < 0:
        raise ValueError("n must not be negative")
    maker = RecordMaker(seed)
    for index in range(n):
        row, _ = maker.make(index)
        yield row


def write_jsonl(n: int, path: str, seed: int = 0) -> int:
    """Write n labelled notifications to `path`, one JSON object a line; returns the count."""
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for row in generate(n, seed):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count

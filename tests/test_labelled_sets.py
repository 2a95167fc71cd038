"""Every labelled set kept in tests/data (and the public examples): no involved one screened out.

The sets in tests/data were each written by someone who had not read the rules, measured unseen
first (tests/data/README.md keeps those figures), then kept here as regression sets.
"""

from pathlib import Path

import pytest

from models.contract import LabelledNotification
from screening.screener import load_screener

ROOT = Path(__file__).resolve().parents[1]
SETS = [
    *sorted((ROOT / "tests" / "data").glob("*.jsonl")),
    ROOT.parent / "shared" / "data" / "examples.jsonl",
]


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_no_involved_notification_is_screened_out(path: Path) -> None:
    rows = [LabelledNotification.model_validate_json(line)
            for line in path.read_text("utf-8").splitlines() if line.strip()]
    assert len(rows) >= 50
    results = load_screener().screen_many([r.notification for r in rows])
    missed = [
        (row.notification.reference, row.label.categories)
        for row, result in zip(rows, results, strict=True)
        if row.label.child_involvement and result.route == "screened_out"
    ]
    assert missed == []

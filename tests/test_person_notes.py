"""A listed person's free-text notes are read for children: they can send a notification to a
person (a child only there is involvement), never help screen one out."""

from __future__ import annotations

from typing import Any

from models.contract import Notification
from screening.screener import load_screener
from tests.factories import raw


def _with_suspect_notes(note: str) -> Notification:
    body: dict[str, Any] = raw(narrative="Suspect has been sending IP messages for three weeks. "
                                         "IP lives alone. Bail conditions imposed.")
    suspect = next(p for p in body["people"] if p["role"] == "suspect")
    suspect["notes"] = note
    return Notification.model_validate(body)


def test_a_child_only_in_a_persons_notes_goes_to_the_duty_team() -> None:
    result = load_screener().screen(_with_suspect_notes(
        "Has son Harvey aged 13 from a previous relationship who lives with his mother; "
        "contact alternate weekends"))
    assert result.route == "duty_review"
    noted = [e for e in result.evidence if e.field and e.field.endswith(".notes")]
    assert noted and noted[0].source == "person" and noted[0].start is None


def test_notes_naming_only_adults_send_nothing_to_the_duty_team() -> None:
    result = load_screener().screen(_with_suspect_notes(
        "Works nights as a delivery driver. His son is 24 and lives in Leeds."))
    assert not [e for e in result.evidence
                if e.field and e.field.endswith(".notes") and e.polarity == "positive"]
    assert "child_of_party" not in result.categories

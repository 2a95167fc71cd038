"""Contract tests: what a police system may send, and the clear errors for what it may not."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from models.contract import LabelledNotification, Notification, age_on, normalise_postcode
from models.problems import errors_of, field_errors, validation_problem
from tests.factories import raw

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "examples.jsonl"


def errors_for(**changes: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        Notification.model_validate(raw(**changes))
    return {e["path"]: e["msg"] for e in field_errors(errors_of(caught.value))}


def test_the_hand_written_examples_all_validate() -> None:
    lines = [line for line in EXAMPLES.read_text().splitlines() if line.strip()]
    rows = [LabelledNotification.model_validate_json(line) for line in lines]
    assert len(rows) == len(lines) > 0


def test_unknown_top_level_field_is_rejected_by_name() -> None:
    assert "childrenPresent" in errors_for(childrenPresent=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("children_present", 1),
        ("children_present", "true"),
        ("previous_incidents", True),
        ("previous_incidents", "2"),
        ("narrative", 42),
        ("occurred_at", 1732143240),
    ],
)
def test_no_silent_coercion(field: str, value: object) -> None:
    assert field in errors_for(**{field: value})


def test_occurred_at_needs_an_offset() -> None:
    assert "occurred_at" in errors_for(occurred_at="2026-11-20T23:14:00")
    assert "occurred_at" in errors_for(occurred_at="20/11/2026 23:14")


def test_date_of_birth_must_be_a_date_string() -> None:
    people = [{"role": "victim", "date_of_birth": 19940302}]
    assert "people.0.date_of_birth" in errors_for(people=people)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("le11aa", "LE1 1AA"), ("LE2 1AA", "LE2 1AA"), (" sw1a  1aa ", "SW1A 1AA"),
     ("m11ae", "M1 1AE"), ("EC1A1BB", "EC1A 1BB")],
)
def test_postcodes_are_normalised(given: str, expected: str) -> None:
    assert normalise_postcode(given) == expected
    body = raw(address={"line1": "1 Road", "postcode": given})
    assert Notification.model_validate(body).address.postcode == expected


@pytest.mark.parametrize("bad", ["ZZ", "12345", "LE1", "LE1 1A", "LEE1 1AA1"])
def test_invalid_postcodes_are_rejected(bad: str) -> None:
    assert "address.postcode" in errors_for(address={"line1": "1 Road", "postcode": bad})


def test_reference_characters_and_length() -> None:
    assert "reference" in errors_for(reference="LE 26 0001")
    assert "reference" in errors_for(reference="x" * 65)
    assert "reference" in errors_for(reference="")


def test_people_need_a_victim_and_at_most_thirty() -> None:
    assert errors_for(people=[{"role": "suspect"}])
    assert "people" in errors_for(people=[{"role": "victim"}] * 31)
    assert "people" in errors_for(people=[])


def test_date_of_birth_and_age_disagreeing_by_more_than_a_year_is_rejected() -> None:
    agree = [{"role": "victim", "date_of_birth": "1994-03-02", "age": 32}]
    assert Notification.model_validate(raw(people=agree)).people[0].age == 32
    errors = errors_for(people=[{"role": "victim", "date_of_birth": "1994-03-02", "age": 25}])
    assert "people.0.age" in errors and "disagrees with date_of_birth" in errors["people.0.age"]


def test_age_on_the_day_of_the_incident() -> None:
    assert age_on(date(2009, 11, 21), date(2026, 11, 20)) == 16
    assert age_on(date(2008, 11, 20), date(2026, 11, 20)) == 18
    n = Notification.model_validate(
        raw(people=[{"role": "victim", "age": 30}, {"role": "other_adult",
                                                     "date_of_birth": "2008-11-21"}])
    )
    assert n.age_of(n.people[1]) == 17
    assert n.is_child(n.people[1]) and not n.is_child(n.people[0])


def test_dash_answers_are_numbered_questions() -> None:
    assert errors_for(dash={"level": "high", "answers": {"28": "yes"}})
    assert errors_for(dash={"level": "high", "answers": {"3": "maybe"}})
    assert errors_for(dash={"level": "very_high"})


def test_problem_details_never_echo_the_input() -> None:
    secret = "Jane Secretname"
    with pytest.raises(ValidationError) as caught:
        Notification.model_validate(raw(narrative=secret, children_present=secret))
    body = validation_problem(caught.value, instance="line 3")
    assert body["status"] == 422 and body["instance"] == "line 3"
    assert [e["pointer"] for e in body["errors"]] == ["/children_present"]
    assert secret not in json.dumps(body)

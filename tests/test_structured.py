"""Structured-field rules: tick boxes, people and their ages, pregnancy, DASH answers."""

from __future__ import annotations

from screening.structured import is_silent, structured_findings
from tests.factories import notification


def positives(**changes: object) -> set[tuple[str | None, str]]:
    found = structured_findings(notification(**changes))
    return {(f.category, f.rule) for f in found if f.polarity == "positive"}


def test_ticked_boxes_are_positive_and_unticked_negative() -> None:
    found = structured_findings(
        notification(children_present=True, children_in_household=False, victim_pregnant=None)
    )
    by_field = {f.field: f.polarity for f in found}
    assert by_field == {"children_present": "positive", "children_in_household": "negative"}


def test_child_role_is_involvement_placed_by_presence_and_residence() -> None:
    people = [
        {"role": "victim", "age": 30},
        {"role": "child", "age": 4, "present_at_incident": True, "lives_at_address": True},
        {"role": "child", "lives_at_address": False},
    ]
    found = positives(people=people)
    assert ("present", "child_role") in found
    assert ("household", "child_role") in found
    assert ("child_of_party", "child_role") in found


def test_any_person_under_18_counts_and_17_is_a_child_but_18_is_not() -> None:
    seventeen = [{"role": "victim", "age": 40}, {"role": "witness", "age": 17}]
    eighteen = [{"role": "victim", "age": 40}, {"role": "witness", "age": 18}]
    assert ("household", "person_under_18") in positives(people=seventeen)
    assert positives(people=eighteen) == set()


def test_date_of_birth_is_converted_to_age_on_the_incident_day() -> None:
    # Turns 18 the day after the incident: still a child on the day.
    people = [{"role": "victim", "age": 40},
              {"role": "other_adult", "date_of_birth": "2008-11-21"}]
    assert ("household", "person_under_18") in positives(people=people)
    people[1]["date_of_birth"] = "2008-11-20"
    assert positives(people=people) == set()


def test_a_party_under_18_is_young_party() -> None:
    found = positives(people=[{"role": "victim", "age": 45}, {"role": "suspect", "age": 15}])
    assert found == {("young_party", "suspect_under_18")}


def test_pregnancy_from_tick_box_and_person() -> None:
    assert ("pregnancy", "tick_box_victim_pregnant") in positives(victim_pregnant=True)
    people = [{"role": "victim", "age": 25, "pregnant": True}, {"role": "suspect", "age": 27}]
    assert ("pregnancy", "person_pregnant") in positives(people=people)


def test_dash_child_contact_and_pregnancy_questions() -> None:
    found = positives(dash={"level": "medium", "answers": {"7": "yes", "9": "yes", "1": "yes"}})
    assert found == {
        ("child_of_party", "dash_q7_child_contact"),
        ("pregnancy", "dash_q9_pregnant_or_baby"),
    }


def test_silence_needs_null_tick_boxes_and_a_silent_narrative() -> None:
    n = notification(children_present=None, children_in_household=None)
    assert is_silent(n, [])
    assert not is_silent(notification(children_present=None, children_in_household=False), [])
    assert not is_silent(notification(children_present=False, children_in_household=None), [])
    said = structured_findings(notification(children_present=True))
    assert not is_silent(n, said)

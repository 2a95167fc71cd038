"""Findings from a notification's structured fields: tick boxes, people, ages, DASH answers.

Every rule here traces to `child-involvement.md`: a `child` role or anyone under 18 in `people`
is involvement; a victim or suspect under 18 is `young_party`; a pregnant victim or party is
`pregnancy`; a ticked box is a positive. An unticked box is recorded as a negative, but it never
outweighs a positive found anywhere else (the narrative's facts win).
"""

from __future__ import annotations

from models.contract import Notification, Person
from screening.findings import Finding

PARTY_ROLES = frozenset({"victim", "suspect"})
# SafeLives DASH questions that imply a child: 7 conflict over child contact,
# 9 pregnant or had a baby in the last 18 months.
DASH_CHILD_QUESTIONS: dict[str, tuple[str, str]] = {
    "7": ("child_of_party", "dash_q7_child_contact"),
    "9": ("pregnancy", "dash_q9_pregnant_or_baby"),
}


def _tick_box(name: str, value: bool | None, category: str) -> Finding | None:
    if value is None:
        return None
    return Finding(
        category=category,
        polarity="positive" if value else "negative",
        rule=f"tick_box_{name}",
        source="field",
        field=name,
        value=value,
    )


def _child_categories(person: Person) -> list[str]:
    """Where a child in the people list stands, from what the officer recorded about them."""
    categories: list[str] = []
    if person.present_at_incident:
        categories.append("present")
    if person.lives_at_address:
        categories.append("household")
    if not categories:
        # Residence unknown or elsewhere: still a child connected to the parties.
        categories.append("child_of_party" if person.lives_at_address is False else "household")
    return categories


def _person_findings(notification: Notification, index: int, person: Person) -> list[Finding]:
    path = f"people.{index}"
    age = notification.age_of(person)
    under_age = age is not None and age < 18
    found: list[Finding] = []
    if person.role in PARTY_ROLES and under_age:
        found.append(
            Finding("young_party", "positive", f"{person.role}_under_18", "person",
                    field=f"{path}.age", value=age)
        )
    elif person.role == "child" or under_age:
        rule = "child_role" if person.role == "child" else "person_under_18"
        for category in _child_categories(person):
            found.append(
                Finding(category, "positive", rule, "person", field=f"{path}.role", value=age)
            )
    # The rule book names the victim and the suspect's partner; any pregnant person listed in
    # the notification is taken as involved, since a person cannot be ruled out safely here.
    if person.pregnant:
        found.append(
            Finding("pregnancy", "positive", "person_pregnant", "person",
                    field=f"{path}.pregnant", value=True)
        )
    return found


def _dash_findings(notification: Notification) -> list[Finding]:
    answers = notification.dash.answers if notification.dash else None
    found: list[Finding] = []
    for question, (category, rule) in DASH_CHILD_QUESTIONS.items():
        if answers and answers.get(question) == "yes":
            found.append(
                Finding(category, "positive", rule, "field",
                        field=f"dash.answers.{question}", value="yes")
            )
    return found


def structured_findings(notification: Notification) -> list[Finding]:
    """Every finding the structured fields give, in field order."""
    found: list[Finding] = [
        f
        for f in (
            _tick_box("children_present", notification.children_present, "present"),
            _tick_box("children_in_household", notification.children_in_household, "household"),
            _tick_box("victim_pregnant", notification.victim_pregnant, "pregnancy"),
        )
        if f is not None
    ]
    for index, person in enumerate(notification.people):
        found.extend(_person_findings(notification, index, person))
    found.extend(_dash_findings(notification))
    return found


def is_silent(notification: Notification, narrative: list[Finding]) -> bool:
    """Silence (child-involvement.md): the tick boxes are null and the narrative is silent.

    Both children tick boxes must be null; `narrative` holds the narrative findings that speak
    to children at all (positive, negative or uncertain).
    """
    return (
        notification.children_present is None
        and notification.children_in_household is None
        and not narrative
    )

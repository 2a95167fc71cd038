"""What the item page shows, built from the stored notification, its result and its history.

The notification is re-read through the contract model so ages on the day and who is a child
come from one definition (`Notification.age_of` / `is_child`); the raw JSON is shown as well,
exactly as the police system sent it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from api.web.highlight import Segment, segments
from models.casework_store import EarlierNotification, ItemView
from models.contract import Notification, Person

ROUTE_NAMES = {
    "duty_review": "Duty review",
    "triage_check": "Triage check",
    "screened_out": "Screened out",
}


@dataclass(frozen=True)
class PersonRow:
    person: Person
    name: str
    age: int | None
    is_child: bool
    diversity: list[tuple[str, str]]
    circumstances: list[tuple[str, str]]


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("Yes" if value else "No")


def _person_row(doc: Notification, person: Person) -> PersonRow:
    name = " ".join(p for p in (person.given_name, person.family_name) if p) or "Name not given"
    diversity = [
        (label, value)
        for label, value in (
            ("Ethnicity", person.ethnicity),
            ("Religion", person.religion),
            ("Language", person.language),
            ("Interpreter needed", _yes_no(person.interpreter_needed)),
            ("Disability", _yes_no(person.disability)),
            ("Gender", person.gender),
        )
        if value
    ]
    circumstances = [
        (label, value)
        for label, value in (
            ("Relationship to victim", person.relationship_to_victim),
            ("Present at incident", _yes_no(person.present_at_incident)),
            ("Lives at address", _yes_no(person.lives_at_address)),
            ("Pregnant", _yes_no(person.pregnant)),
            ("Notes", person.notes),
        )
        if value
    ]
    return PersonRow(
        person=person,
        name=name,
        age=doc.age_of(person),
        is_child=doc.is_child(person),
        diversity=diversity,
        circumstances=circumstances,
    )


@dataclass(frozen=True)
class ItemPage:
    view: ItemView
    doc: Notification | None
    raw_pretty: str
    people: list[PersonRow]
    narrative: list[Segment]
    evidence_fields: list[dict[str, Any]]
    other_evidence: list[dict[str, Any]]
    earlier: list[EarlierNotification]

    @property
    def children(self) -> list[PersonRow]:
        return [p for p in self.people if p.is_child]


def build_item_page(view: ItemView, earlier: list[EarlierNotification]) -> ItemPage:
    raw = view.notification.raw_json
    try:
        document = json.loads(raw)
        raw_pretty = json.dumps(document, indent=2, ensure_ascii=False)
    except ValueError:
        document, raw_pretty = None, raw
    try:
        doc = Notification.model_validate(document) if document is not None else None
    except ValidationError:
        doc = None
    evidence: list[dict[str, Any]] = list(view.result.evidence) if view.result else []
    people = [_person_row(doc, p) for p in doc.people] if doc else []
    narrative = segments(doc.narrative, evidence) if doc else []
    return ItemPage(
        view=view,
        doc=doc,
        raw_pretty=raw_pretty,
        people=people,
        narrative=narrative,
        evidence_fields=[e for e in evidence if e.get("source") in ("field", "person")],
        other_evidence=[e for e in evidence if e.get("source") in ("model", "history")],
        earlier=earlier,
    )

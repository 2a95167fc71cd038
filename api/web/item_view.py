"""What the item page shows, built from the stored notification, its result and its history.

The notification is re-read through the contract model so ages on the day and who is a child
come from one definition (`Notification.age_of` / `is_child`); the raw JSON is shown as well,
exactly as the police system sent it. The plain-English summary, the priority's reason and the
deadline in words come from api/web/item_wording.py; the highlights from api/web/highlight.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from api.web.highlight import Fact, Segment, highlight
from api.web.item_wording import (
    Summary,
    due_phrase,
    model_sentence,
    priority_sentence,
    summarise,
    tick_box,
)
from api.web.local_time import london
from models.casework_store import ItemView
from models.contract import Notification, Person
from models.item_context_store import EarlierNotification, ItemContext
from screening.policy import Policy

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
    facts: dict[int, Fact]
    legend: list[tuple[str, str]]
    summary: Summary
    tick_boxes: list[tuple[str, str, str]]
    model_sentence: str | None
    priority_sentence: str
    deadline_local: str
    deadline_phrase: str
    overdue: bool
    working_hours: bool
    source_name: str | None
    received_local: str
    earlier: list[EarlierNotification]

    @property
    def children(self) -> list[PersonRow]:
        return [p for p in self.people if p.is_child]


def _document(raw: str) -> tuple[Notification | None, str]:
    try:
        document = json.loads(raw)
        raw_pretty = json.dumps(document, indent=2, ensure_ascii=False)
    except ValueError:
        return None, raw
    try:
        return Notification.model_validate(document), raw_pretty
    except ValidationError:
        return None, raw_pretty


def _result_policy(context: ItemContext, active: Policy) -> Policy:
    """The policy the result was made under, when it is stored and still valid."""
    if context.result_policy is None:
        return active
    try:
        return Policy.model_validate(context.result_policy)
    except ValidationError:
        return active


# Legend entries that stand for a kind of mark rather than one category.
LEGEND_NAMES = {
    "negative": "Ruled out (listed under What was found)",
    "uncertain": "Not settled: could be a child",
    "other": "Other evidence",
}


def _legend(narrative: list[Segment]) -> list[tuple[str, str]]:
    """(key, name) of each kind of mark in the narrative, in order of first appearance."""
    entries: dict[str, str] = {}
    for piece in narrative:
        for mark in piece.marks:
            entries.setdefault(mark.key, LEGEND_NAMES.get(mark.key, mark.label))
    return list(entries.items())


def _silent(doc: Notification | None, evidence: list[dict[str, Any]]) -> bool:
    return (
        doc is not None
        and doc.children_present is None
        and doc.children_in_household is None
        and not any(e.get("source") == "narrative" for e in evidence)
    )


def build_item_page(
    view: ItemView,
    earlier: list[EarlierNotification],
    *,
    context: ItemContext,
    policy: Policy,
    now: datetime,
) -> ItemPage:
    doc, raw_pretty = _document(view.notification.raw_json)
    result = view.result
    evidence: list[dict[str, Any]] = list(result.evidence) if result else []
    marked = highlight(doc.narrative, evidence) if doc else None
    made_under = _result_policy(context, policy)
    model = None
    if result is not None:
        model = model_sentence(
            score=result.score,
            route=result.route,
            categories=list(result.categories),
            uncertain=any(e.get("polarity") == "uncertain" for e in evidence),
            silent=_silent(doc, evidence),
            policy=made_under,
        )
    item = view.item
    tick_boxes = []
    if doc is not None:
        tick_boxes = [
            ("children_present", "Children present (tick box)", tick_box(doc.children_present)),
            ("children_in_household", "Children in household (tick box)",
             tick_box(doc.children_in_household)),
            ("victim_pregnant", "Victim pregnant (tick box)", tick_box(doc.victim_pregnant)),
        ]
    return ItemPage(
        view=view,
        doc=doc,
        raw_pretty=raw_pretty,
        people=[_person_row(doc, p) for p in doc.people] if doc else [],
        narrative=marked.segments if marked else [],
        facts=marked.facts if marked else {},
        legend=_legend(marked.segments) if marked else [],
        summary=summarise(doc, evidence, marked.facts if marked else {}),
        tick_boxes=tick_boxes,
        model_sentence=model,
        priority_sentence=priority_sentence(
            level=item.priority,
            doc=doc,
            evidence=evidence,
            policy=made_under,
            set_by=context.priority_set_by
            or ("a sample of screened-out notifications is checked at normal priority"
                if item.kind == "manager_sample" else None),
        ),
        deadline_local=london(item.deadline_at),
        deadline_phrase=due_phrase(item.deadline_at, now),
        overdue=item.deadline_at < now and item.status != "closed",
        working_hours=policy.deadlines.in_working_hours(item.priority),
        source_name=context.source_name,
        received_local=london(view.notification.received_at),
        earlier=earlier,
    )

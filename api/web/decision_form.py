"""The decision form: its values as posted, and every error in them at once (the GOV.UK error
pattern lists them all in a summary and beside each field), checked before the store is asked.

The store (models.casework_store.record_decision) checks the same rules again; this module only
finds all the errors a person can fix in one go instead of one per submission.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.contract import CATEGORIES
from models.review_tables import (
    CASE_RECORD_MAX,
    CASE_RECORD_OUTCOMES,
    DECISION_ACTIONS,
    DUTY_OUTCOMES,
    NOT_INVOLVED_OUTCOMES,
    TRIAGE_OUTCOMES,
)
from models.tables import PRIORITIES

ACTION_NAMES = {
    "share_with_school": "Share with school (Operation Encompass)",
    "share_with_health_visitor": "Share with health visitor",
}
# Where on the page each field's error belongs (the id of its first input or its group).
FIELD_IDS = {
    "outcome": "outcome",
    "case_record_id": "case_record_id",
    "priority": "priority",
    "categories": "categories",
    "reasoning": "reasoning",
    "actions": "actions",
}


@dataclass
class DecisionForm:
    outcome: str = ""
    reasoning: str = ""
    categories: list[str] = field(default_factory=list)
    priority: str = ""
    case_record_id: str = ""
    actions: list[str] = field(default_factory=list)

    def as_context(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "reasoning": self.reasoning,
            "categories": list(self.categories),
            "priority": self.priority or None,
            "case_record_id": self.case_record_id,
            "actions": list(self.actions),
        }


def form_errors(kind: str, form: DecisionForm) -> list[tuple[str, str]]:
    """(field, message) for every error in `form` for an item of `kind`, in page order."""
    errors: list[tuple[str, str]] = []
    allowed = DUTY_OUTCOMES if kind == "duty_review" else TRIAGE_OUTCOMES
    if form.outcome not in allowed:
        errors.append(("outcome", "Select an outcome"))
    case_record = form.case_record_id.strip()
    if form.outcome in CASE_RECORD_OUTCOMES:
        if not case_record:
            errors.append(("case_record_id", "Enter the case record ID of the allocated worker"))
        elif len(case_record) > CASE_RECORD_MAX:
            errors.append(
                ("case_record_id", f"Case record ID must be {CASE_RECORD_MAX} characters or fewer")
            )
    involved = form.outcome in allowed and form.outcome not in NOT_INVOLVED_OUTCOMES
    if kind == "triage_check" and form.outcome == "child_involved":
        if form.priority not in PRIORITIES:
            errors.append(("priority", "Select a priority for the duty review"))
    if involved and not [c for c in form.categories if c in CATEGORIES]:
        errors.append(("categories", "Select how a child is involved"))
    if any(c not in CATEGORIES for c in form.categories):
        errors.append(("categories", "Select how a child is involved from the list"))
    if any(a not in DECISION_ACTIONS for a in form.actions):
        errors.append(("actions", "Select actions from the list"))
    if not form.reasoning.strip():
        errors.append(("reasoning", "Write down your reasoning"))
    return errors


def summary_list(errors: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The error summary's list: each message linking to its field."""
    return [{"text": text, "href": "#" + FIELD_IDS.get(name, name)} for name, text in errors]

"""Everything the rules find in one notification, before any model or policy is applied."""

from __future__ import annotations

from dataclasses import dataclass, replace

from models.contract import Notification
from screening.findings import Finding
from screening.linkage.history import NO_HISTORY, History, history_findings
from screening.narrative import AUDIT_ONLY_RULES, narrative_findings
from screening.narrative.names import unlisted_named_people
from screening.route import Facts
from screening.structured import is_silent, structured_findings


@dataclass(frozen=True, slots=True)
class Analysis:
    notification: Notification
    findings: tuple[Finding, ...]  # structured first, then narrative, then history
    silent: bool  # household tick box null and nothing said either way in the narrative
    history: History = NO_HISTORY  # what the people index knows (incident counts, priority)

    @property
    def positive_categories(self) -> set[str]:
        return {f.category for f in self.findings if f.is_positive and f.category}

    def with_polarity(self, polarity: str) -> list[Finding]:
        return [f for f in self.findings if f.polarity == polarity]

    def facts(self) -> Facts:
        return Facts(
            positive_categories=frozenset(self.positive_categories),
            uncertain_rules=frozenset(f.rule for f in self.with_polarity("uncertain")),
            silent=self.silent,
        )


def history_finding(prior_child_at_address: bool | History) -> list[Finding]:
    """A child recorded at the same address in an earlier notification, or known from one to a
    party of this one (screening.linkage.history), is a reason for review."""
    return history_findings(History.of(prior_child_at_address))


# The words officers use for the first victim and the first suspect.
_PARTY_LABELS = {
    "victim": ("ip", "victim", "v", "v1", "aggrieved", "complainant", "vp"),
    "suspect": ("s1", "suspect", "offender", "perpetrator", "ap", "dp"),
}


def party_ages(notification: Notification) -> dict[str, int]:
    """The age on the day of the first listed victim and suspect, by the words that name them;
    and, as "relation:son", the age of the one listed person who is the victim's son (or
    daughter, ...), whom "Son pushed his mother" or "IP's son" names."""
    ages: dict[str, int] = {}
    for role, labels in _PARTY_LABELS.items():
        person = next((p for p in notification.people if p.role == role), None)
        age = notification.age_of(person) if person is not None else None
        if age is not None:
            ages.update(dict.fromkeys(labels, age))
    # Any listed person, not only a party: the witness "Harriet QUINN, 20, daughter" is the one
    # "the couple's daughter" names. Only a relation one listed person holds names anyone.
    relations = [(p.relationship_to_victim or "").strip().lower() for p in notification.people]
    for person, relation in zip(notification.people, relations, strict=True):
        age = notification.age_of(person)
        if relation and age is not None and relations.count(relation) == 1:
            ages[f"relation:{relation}"] = age
    return ages


def notes_findings(notification: Notification, ages: dict[str, int]) -> list[Finding]:
    """What a listed person's free-text notes say for a child ("Has son Harvey aged 13 from a
    previous relationship"), read by the narrative grammar: positive and uncertain findings only,
    so notes can send a notification to a person but never help screen one out. Each names its
    field; offsets into a note are not offsets into the narrative, so none are kept. `ages` is
    `party_ages(notification)`, worked out once for the narrative and the notes."""
    found: list[Finding] = []
    occurred_on = notification.occurred_at.date()
    for index, person in enumerate(notification.people):
        if not person.notes:
            continue
        for f in narrative_findings(person.notes, occurred_on, ages):
            if f.polarity != "negative":
                found.append(replace(f, source="person", field=f"people.{index}.notes",
                                     start=None, end=None))
    return found


def analyse(
    notification: Notification, prior_child_at_address: bool | History = False
) -> Analysis:
    ages = party_ages(notification)
    narrative = narrative_findings(notification.narrative, notification.occurred_at.date(), ages)
    listed = [
        name
        for person in notification.people
        for name in (person.given_name, person.family_name)
        if name
    ]
    if notification.officer and notification.officer.name:
        listed.extend(notification.officer.name.replace(".", " ").split())
    narrative += unlisted_named_people(notification.narrative, listed)
    findings = (
        structured_findings(notification)
        + notes_findings(notification, ages)
        + narrative
        + history_finding(prior_child_at_address)
    )
    # Audit-only negatives (an adult son, a childhood memory) say nothing about who lives there.
    statements = [f for f in narrative if f.rule not in AUDIT_ONLY_RULES]
    return Analysis(
        notification,
        tuple(findings),
        is_silent(notification, statements),
        History.of(prior_child_at_address),
    )

"""What the people index knows about a notification's people, as screening consumes it.

`History` travels where the bare "a child was at this address before" flag travelled
(`screening.screener.Screener.screen`): the address flag itself, each child known from an
earlier notification to a party of this one (`child_of_party`, or `household` when the child
was recorded living with them, the earlier notification its evidence), and the incidents in the
last 12 months per victim, per suspect and per household, which the priority rules may name
(`screening.policy.IncidentCount`). It can only add findings, never take one away.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening.findings import Finding

COUNTED = ("victim", "suspect", "household")
CHILD_KNOWN_RULE = "child_known_from_earlier_notification"


@dataclass(frozen=True, slots=True)
class KnownChild:
    """A child listed in an earlier notification in which a party of this one was a party."""

    position: int  # the party's index in this notification's people
    party_role: str
    category: str  # child_of_party, or household when recorded living with the party
    child_person_id: int
    notification_id: str  # the earlier notification: the evidence
    reference: str


@dataclass(frozen=True, slots=True)
class History:
    child_at_address: bool = False
    known_children: tuple[KnownChild, ...] = ()
    incidents: tuple[tuple[str, int], ...] = ()  # (victim | suspect | household, count)

    @classmethod
    def of(cls, prior: bool | History) -> History:
        """A bare address flag (what triage passed before linkage) as a History."""
        return prior if isinstance(prior, History) else cls(child_at_address=prior)

    def incident_counts(self) -> dict[str, int]:
        return dict(self.incidents)


NO_HISTORY = History()


def history_findings(history: History) -> list[Finding]:
    """Positive history findings: the address flag, then one per known child and party."""
    found: list[Finding] = []
    if history.child_at_address:
        found.append(
            Finding("household", "positive", "child_at_address_before", "history",
                    field="address", value=True)
        )
    for known in history.known_children:
        found.append(
            Finding(
                known.category,
                "positive",
                CHILD_KNOWN_RULE,
                "history",
                field=f"people.{known.position}",
                value={
                    "notification_id": known.notification_id,
                    "reference": known.reference,
                    "child_person_id": known.child_person_id,
                    "party_role": known.party_role,
                },
            )
        )
    return found

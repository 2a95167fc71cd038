"""The structured truth behind one synthetic notification, and the label derived from it.

A `Scenario` says who the parties are, which children exist, how old they are, where they live,
whether they were there, whether anyone is pregnant, and how each fact is shown (in the
narrative, only in `people`, only in a tick box, or hidden). The narrative, the people list, the
tick boxes AND the label are all derived from the scenario, so they cannot disagree.
`label_of` applies the rule book (shared/spec/child-involvement.md) to the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from models.contract import CATEGORIES, age_on
from screening.synth.styles import Styles

# How a fact reaches the notification.
SHOW_NARRATIVE = "narrative"
SHOW_PEOPLE = "people"
SHOW_BOTH = "both"
SHOW_TICKBOX = "tickbox"
SHOW_HIDDEN = "hidden"
SHOW_HISTORY = "history"  # only in the chronology of earlier incidents
SHOW_AGENCY = "agency"  # only through agency shorthand (Op Encompass, HV, SW allocated)

# Where a group of children normally lives.
LIVES_HOME = "home"  # with the victim, at the incident address
LIVES_SUSPECT = "suspect"  # with the suspect, elsewhere
LIVES_OTHER_PARENT = "other_parent"
LIVES_CARE = "care"  # foster care or kinship care
LIVES_OWN_FAMILY = "own_family"  # with their own parents, not a party

DECOY_FAMILIES = ("negation", "adult_relative", "history", "other_sense", "non_party_child")


@dataclass
class SynthPerson:
    role: str
    gender: str
    given: str
    family: str
    age: int
    born: date
    relationship: str | None = None
    lives_at_address: bool | None = None
    present: bool | None = None
    pregnant_weeks: int = 0


@dataclass
class ChildGroup:
    """Children with the same situation (siblings, or the grandchildren who visit)."""

    members: list[SynthPerson]
    kin: str  # child, grandchild, nibling, minded, guest
    carers: frozenset[str]  # parties who are parent, step-parent or carer: victim / suspect
    lives: str
    present: bool
    visits: bool = False
    show: str = SHOW_NARRATIVE
    step_of: str | None = None  # a party who is step-parent (named so in the narrative)

    @property
    def ages(self) -> tuple[int, ...]:
        return tuple(m.age for m in self.members)

    @property
    def household(self) -> bool:
        return self.lives in (LIVES_HOME, LIVES_SUSPECT)


@dataclass
class AdultRelative:
    """A relative aged 18 or over: a decoy, never involvement."""

    person: SynthPerson
    kin: str
    listed: bool
    owner: str = "victim"  # the party they are a relative of
    in_history: bool = False  # mentioned only in the chronology, as a child back then


@dataclass
class Scenario:
    occurred: datetime
    style: str  # terse or prose
    frame: str  # couple, ex, family, young_victim, young_couple, apv, boundary
    victim: SynthPerson
    suspect: SynthPerson
    couple: bool
    cohabit: bool
    at_victim_home: bool = True
    others: list[SynthPerson] = field(default_factory=list)
    groups: list[ChildGroup] = field(default_factory=list)
    pregnant: SynthPerson | None = None
    pregnancy_show: str = SHOW_NARRATIVE
    young_show: str = SHOW_NARRATIVE
    decoys: list[str] = field(default_factory=list)
    adults: list[AdultRelative] = field(default_factory=list)
    silent: bool = False
    tags: set[str] = field(default_factory=set)
    styles: Styles = field(default_factory=Styles)
    history: list = field(default_factory=list)  # synth_chronology.HistoryEntry, oldest first
    history_text: str = ""  # the chronology as written into the narrative
    clean_narrative: str = ""  # the narrative before phone typing and typos

    @property
    def day(self) -> date:
        return self.occurred.date()

    def lives_with(self, group: ChildGroup) -> set[str]:
        """The parties the group lives with."""
        if group.lives == LIVES_HOME:
            return {"victim", "suspect"} if self.cohabit else {"victim"}
        if group.lives == LIVES_SUSPECT:
            return {"suspect"}
        return set()


def label_of(scenario: Scenario) -> dict[str, object]:
    """The rule book applied to the scenario: {"child_involvement": bool, "categories": [...]}."""
    found: set[str] = set()
    for group in scenario.groups:
        if group.present:
            found.add("present")
        if group.household:
            found.add("household")
        if group.carers - scenario.lives_with(group):
            found.add("child_of_party")
        if group.visits and not group.household:
            found.add("regular_visitor")
    if scenario.pregnant is not None:
        found.add("pregnancy")
    for party in (scenario.victim, scenario.suspect):
        if age_on(party.born, scenario.day) < 18:
            found.add("young_party")
    categories = [c for c in CATEGORIES if c in found]
    return {"child_involvement": bool(categories), "categories": categories}

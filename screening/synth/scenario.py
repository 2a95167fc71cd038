"""The structured truth behind one synthetic notification, and the label derived from it.

A `Scenario` says who the parties are, which children exist, how old they are, where they live,
whether they were there, whether anyone is pregnant, and how each fact is shown (in the
narrative, only in `people`, only in a tick box, or hidden). The narrative, the people list, the
tick boxes AND the label are all derived from the scenario, so they cannot disagree.
`label_of` applies the rule book (shared/spec/child-involvement.md) to the scenario.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from models.contract import CATEGORIES, age_on
from screening.synth.faker import FakeSource
from screening.synth.styles import SHARE_SILENT, Styles, draw_styles
from screening.synth.words import birth_date

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


# ---------------------------------------------------------------------------------------------
# building


class ScenarioBuilder:
    """Draws scenarios: a mix of involved (about 55%) and not involved, every category and
    every 'does not count' family, with hard cases (silent rows, people-only children,
    tick-box-only facts, contradicting tick boxes, age boundaries)."""

    def __init__(self, rng: random.Random, fake: FakeSource) -> None:
        self.rng = rng
        self.fake = fake

    # people --------------------------------------------------------------------------------

    def person(
        self,
        role: str,
        gender: str,
        age: int,
        day: date,
        family: str | None = None,
        edge: str = "",
    ) -> SynthPerson:
        return SynthPerson(
            role=role,
            gender=gender,
            given=self.fake.given(gender),
            family=family or self.fake.family(),
            age=age,
            born=birth_date(self.rng, day, age, edge),
        )

    def gender(self, female_share: float = 0.5) -> str:
        return "female" if self.rng.random() < female_share else "male"

    # top level -----------------------------------------------------------------------------

    def build(self, occurred: datetime) -> Scenario:
        rng = self.rng
        style = "terse" if rng.random() < 0.55 else "prose"
        silent = rng.random() < SHARE_SILENT
        styles = draw_styles(rng, silent)
        involved = rng.random() < (0.35 if silent else 0.565)
        primary = self._primary() if involved else None
        scenario = self._frame(occurred, style, primary, involved)
        scenario.silent = silent
        scenario.styles = styles
        if silent:
            scenario.tags.add("silent")
        if primary:
            self._add_category(scenario, primary)
            extra = rng.random()
            if extra < 0.3:
                self._add_category(scenario, self._secondary(scenario, primary))
            if extra < 0.06:
                self._add_category(scenario, self._secondary(scenario, primary))
        if not silent:
            self._add_decoys(scenario, involved)
        if scenario.others:  # a suspect's pregnant partner at the scene: not a remote incident
            styles.remote = False
        self._choose_shows(scenario)
        scenario.tags |= {"style_" + name for name in styles.names()}
        return scenario

    def _primary(self) -> str:
        return self.rng.choices(
            [
                "present",
                "household",
                "pregnancy",
                "child_of_party",
                "young_party",
                "regular_visitor",
                "guest",
            ],
            weights=[28, 22, 12, 14, 10, 10, 4],
        )[0]

    def _secondary(self, scenario: Scenario, primary: str) -> str:
        options = ["present", "household", "child_of_party", "regular_visitor"]
        if self._can_be_pregnant(scenario.victim):
            options.append("pregnancy")
        options = [o for o in options if o != primary] or ["household"]
        return self.rng.choice(options)

    @staticmethod
    def _can_be_pregnant(person: SynthPerson) -> bool:
        return person.gender == "female" and 16 <= person.age <= 44

    # frames --------------------------------------------------------------------------------

    def _frame(
        self, occurred: datetime, style: str, primary: str | None, involved: bool
    ) -> Scenario:
        rng = self.rng
        day = occurred.date()
        if primary == "young_party":
            return self._young_frame(occurred, style)
        if not involved and rng.random() < 0.08:
            return self._boundary_frame(occurred, style)
        if primary == "pregnancy" and rng.random() < 0.15:
            return self._family_frame(occurred, style, pregnant_partner=True)
        if rng.random() < 0.8 or primary == "pregnancy":
            victim_gender = "female" if primary == "pregnancy" else self.gender(0.8)
            lo, hi = (18, 42) if primary == "pregnancy" else (19, 64)
            victim = self.person("victim", victim_gender, rng.randint(lo, hi), day)
            same_sex = rng.random() < 0.05
            s_gender = victim_gender if same_sex else _other(victim_gender)
            s_age = max(18, min(80, victim.age + rng.randint(-4, 8)))
            married = rng.random() < 0.3
            family = victim.family if married and not same_sex else None
            suspect = self.person("suspect", s_gender, s_age, day, family)
            former = rng.random() < 0.3
            suspect.relationship = self._couple_word(s_gender, former, married)
            cohabit = not former and rng.random() < 0.7
            return Scenario(
                occurred,
                style,
                "ex" if former else "couple",
                victim,
                suspect,
                couple=True,
                cohabit=cohabit,
            )
        return self._family_frame(occurred, style)

    def _couple_word(self, gender: str, former: bool, married: bool) -> str:
        if former:
            return self.rng.choice(
                ["ex-partner", "ex-husband" if gender == "male" else "ex-wife", "former partner"]
            )
        if married:
            return "husband" if gender == "male" else "wife"
        return self.rng.choice(["partner", "boyfriend" if gender == "male" else "girlfriend"])

    def _family_frame(
        self, occurred: datetime, style: str, pregnant_partner: bool = False
    ) -> Scenario:
        """Adult family members: an adult son or daughter and a parent, or siblings."""
        rng = self.rng
        day = occurred.date()
        family = self.fake.family()
        if pregnant_partner or rng.random() < 0.6:
            victim = self.person("victim", self.gender(0.75), rng.randint(42, 78), day, family)
            s_gender = "male" if pregnant_partner else self.gender(0.7)
            s_age = rng.randint(19, max(19, min(50, victim.age - 20)))
            suspect = self.person("suspect", s_gender, s_age, day, family)
            suspect.relationship = "son" if s_gender == "male" else "daughter"
        else:
            victim = self.person("victim", self.gender(0.6), rng.randint(19, 60), day, family)
            s_gender = self.gender(0.3)
            s_age = max(18, victim.age + rng.randint(-8, 8))
            suspect = self.person("suspect", s_gender, s_age, day, family)
            suspect.relationship = "brother" if s_gender == "male" else "sister"
        cohabit = rng.random() < 0.6
        return Scenario(occurred, style, "family", victim, suspect, couple=False, cohabit=cohabit)

    def _young_frame(self, occurred: datetime, style: str) -> Scenario:
        """Young party: a teenage victim of a partner, a teenage suspect (adolescent to parent
        violence), or a teenage couple. Ages 13-17; sometimes a birthday right on the edge."""
        rng = self.rng
        day = occurred.date()
        kind = rng.choices(["young_victim", "apv", "young_couple"], weights=[45, 40, 15])[0]
        edge = "eve" if rng.random() < 0.1 else ""
        if kind == "apv":
            family = self.fake.family()
            victim = self.person("victim", self.gender(0.75), rng.randint(33, 56), day, family)
            s_gender = self.gender(0.3)
            suspect = self.person("suspect", s_gender, rng.randint(13, 17), day, family, edge)
            suspect.relationship = self.rng.choice(
                ["son", "stepson"] if s_gender == "male" else ["daughter", "stepdaughter"]
            )
            scenario = Scenario(occurred, style, kind, victim, suspect, couple=False, cohabit=True)
        else:
            v_gender = self.gender(0.85)
            v_age = rng.randint(13, 17) if kind == "young_victim" else rng.randint(16, 19)
            victim = self.person("victim", v_gender, v_age, day, edge=edge)
            s_age = (
                rng.randint(max(15, v_age - 1), v_age + 6)
                if kind == "young_victim"
                else rng.randint(15, 17)
            )
            s_gender = _other(v_gender)
            suspect = self.person("suspect", s_gender, s_age, day)
            suspect.relationship = "boyfriend" if s_gender == "male" else "girlfriend"
            scenario = Scenario(occurred, style, kind, victim, suspect, couple=True, cohabit=False)
            scenario.at_victim_home = rng.random() < 0.6
        scenario.tags.add("young_" + kind)
        if edge:
            scenario.tags.add("birthday_edge")
        return scenario

    def _boundary_frame(self, occurred: datetime, style: str) -> Scenario:
        """A young adult couple with the age stated: 18 or 19 is not a child."""
        rng = self.rng
        day = occurred.date()
        edge = "birthday" if rng.random() < 0.3 else ""
        victim = self.person("victim", self.gender(0.8), rng.choice([18, 18, 19]), day, edge=edge)
        suspect = self.person("suspect", _other(victim.gender), rng.randint(18, 23), day)
        suspect.relationship = "boyfriend" if suspect.gender == "male" else "girlfriend"
        scenario = Scenario(
            occurred, style, "boundary", victim, suspect, couple=True, cohabit=False
        )
        scenario.decoys.append("boundary")
        scenario.tags.add("boundary_age")
        return scenario

    # categories ----------------------------------------------------------------------------

    def _add_category(self, scenario: Scenario, category: str) -> None:
        young_frame = scenario.frame in ("young_victim", "young_couple")
        if category == "young_party":
            return  # made by the frame
        if category == "pregnancy":
            self._add_pregnancy(scenario)
        elif young_frame:
            # a teenage victim or couple: only a baby of their own can be added sensibly
            if scenario.victim.age >= 16 and scenario.at_victim_home:
                self._add_home_children(scenario, present=category == "present", max_age=1)
        elif category == "present":
            self._add_home_children(scenario, present=True)
        elif category == "household":
            self._add_home_children(scenario, present=False)
        elif category == "child_of_party":
            self._add_elsewhere_children(scenario)
        elif category == "regular_visitor":
            self._add_visitors(scenario)
        elif category == "guest":
            self._add_guest(scenario)

    def _children(
        self, count: int, max_age: int, family: str, day: date, min_age: int = 0
    ) -> list[SynthPerson]:
        rng = self.rng
        max_age = max(0, min(17, max_age))
        min_age = max(0, min(min_age, max_age))
        twins = count == 2 and rng.random() < 0.12
        first_age = rng.randint(min_age, max_age)
        members = []
        for index in range(count):
            age = first_age if twins or index == 0 else rng.randint(min_age, max_age)
            members.append(self.person("child", self.gender(), age, day, family))
        members.sort(key=lambda m: -m.age)
        return members

    def _count(self) -> int:
        return self.rng.choices([1, 2, 3], weights=[60, 30, 10])[0]

    def _add_home_children(
        self, scenario: Scenario, present: bool, max_age: int | None = None
    ) -> None:
        rng = self.rng
        victim, suspect = scenario.victim, scenario.suspect
        kin = "child"
        step_of = None
        if scenario.frame in ("family",) and victim.age >= 45 and rng.random() < 0.6:
            kin, carers = "grandchild", frozenset({"victim"})
            limit = 17
        elif scenario.couple and rng.random() < 0.6:
            carers = frozenset({"victim", "suspect"})
            limit = min(victim.age, suspect.age) - 16
        else:
            carers = frozenset({"victim"})
            limit = victim.age - 16
            if scenario.couple and scenario.cohabit and rng.random() < 0.4:
                step_of = "suspect"
        if max_age is not None:
            limit = min(limit, max_age)
        if any(g.lives == LIVES_HOME for g in scenario.groups):
            limit = -1  # one household group per scenario keeps the story coherent
        if limit < 0 or not scenario.at_victim_home:
            self._add_pregnancy(scenario) if self._can_be_pregnant(victim) else None
            if scenario.pregnant is None:
                self._add_guest(scenario)
            return
        family = victim.family if "suspect" not in carers or rng.random() < 0.5 else suspect.family
        parent_age = min(getattr(scenario, p).age for p in carers)
        floor = 0 if kin == "grandchild" else parent_age - 45
        if kin == "grandchild":
            limit = min(limit, victim.age - 34)
        group = ChildGroup(
            self._children(self._count(), limit, family, scenario.day, floor),
            kin,
            carers,
            LIVES_HOME,
            present=present,
            step_of=step_of,
        )
        scenario.groups.append(group)

    def _add_elsewhere_children(self, scenario: Scenario) -> None:
        rng = self.rng
        victim, suspect = scenario.victim, scenario.suspect
        adults = [p for p in ("victim", "suspect") if getattr(scenario, p).age >= 20]
        if not adults:
            self._add_guest(scenario)
            return
        taken = {p for g in scenario.groups if g.kin == "child" for p in g.carers}
        adults = [p for p in adults if p not in taken]
        if not adults:
            self._add_visitors(scenario)
            return
        carer = rng.choice(adults)
        party = victim if carer == "victim" else suspect
        lives = LIVES_CARE if rng.random() < 0.3 else LIVES_OTHER_PARENT
        carers = frozenset({carer})
        if lives == LIVES_CARE and scenario.couple and rng.random() < 0.5:
            carers = frozenset({"victim", "suspect"})
        parent_age = min(getattr(scenario, p).age for p in carers)
        group = ChildGroup(
            self._children(
                self._count(), parent_age - 16, party.family, scenario.day, parent_age - 45
            ),
            "child",
            carers,
            lives,
            present=False,
        )
        lives_at_address = carer == "victim" or scenario.cohabit
        if lives == LIVES_OTHER_PARENT and lives_at_address and rng.random() < 0.25:
            group.visits = True  # contact stays at this address: also a regular visitor
            if rng.random() < 0.3:
                group.present = True
        scenario.groups.append(group)

    def _add_visitors(self, scenario: Scenario) -> None:
        rng = self.rng
        victim = scenario.victim
        options = ["nibling", "minded"]
        if victim.age >= 42:
            options += ["grandchild", "grandchild", "grandchild"]
        if victim.gender == "male":
            options.remove("minded")
        kin = rng.choice(options)
        limit = 17 if kin == "nibling" else 10
        if kin == "grandchild":
            limit = min(17, victim.age - 34)
        group = ChildGroup(
            self._children(self._count(), limit, self.fake.family(), scenario.day),
            kin,
            frozenset(),
            LIVES_OWN_FAMILY,
            present=rng.random() < 0.25,
            visits=True,
        )
        scenario.groups.append(group)

    def _add_guest(self, scenario: Scenario) -> None:
        group = ChildGroup(
            self._children(self.rng.choice([1, 1, 2]), 12, self.fake.family(), scenario.day),
            "guest",
            frozenset(),
            LIVES_OWN_FAMILY,
            present=True,
        )
        scenario.groups.append(group)

    def _add_pregnancy(self, scenario: Scenario) -> None:
        if scenario.pregnant is not None:
            return
        rng = self.rng
        weeks = rng.randint(5, 39)
        if scenario.frame == "family" and scenario.suspect.gender == "male":
            partner = self.person("other_adult", "female", rng.randint(18, 35), scenario.day)
            partner.relationship = "suspect's partner"
            partner.present = True
            partner.pregnant_weeks = weeks
            scenario.others.append(partner)
            scenario.pregnant = partner
            scenario.tags.add("pregnant_suspect_partner")
            return
        if not self._can_be_pregnant(scenario.victim):
            self._add_home_children(scenario, present=False) if scenario.at_victim_home else None
            return
        scenario.victim.pregnant_weeks = weeks
        scenario.pregnant = scenario.victim

    # decoys --------------------------------------------------------------------------------

    def _add_decoys(self, scenario: Scenario, involved: bool) -> None:
        rng = self.rng
        if involved:
            count = 1 if rng.random() < 0.35 else 0
        else:
            count = rng.choices([0, 1, 2, 3], weights=[33, 37, 22, 8])[0]
        families = rng.sample(DECOY_FAMILIES, count)
        for family in families:
            if family == "adult_relative":
                self._add_adult_relative(scenario)
            scenario.decoys.append(family)

    def _add_adult_relative(self, scenario: Scenario) -> None:
        rng = self.rng
        victim = scenario.victim
        edge = "birthday" if rng.random() < 0.15 else ""
        if victim.age >= 38:
            age = (
                rng.choice([18, 18, 19, 20])
                if rng.random() < 0.4
                else rng.randint(18, victim.age - 18)
            )
            gender = self.gender()
            kin = rng.choice(
                ["son", "stepson"] if gender == "male" else ["daughter", "stepdaughter"]
            )
        else:
            age = rng.randint(18, 35)
            gender = self.gender()
            kin = rng.choice(["brother", "cousin"] if gender == "male" else ["sister", "cousin"])
        person = self.person("other_adult", gender, age, scenario.day, victim.family, edge)
        person.relationship = kin
        person.present = rng.random() < 0.5
        scenario.adults.append(AdultRelative(person, kin, listed=rng.random() < 0.4))
        if age == 18:
            scenario.tags.add("adult_18")

    # how facts are shown -------------------------------------------------------------------

    def _choose_shows(self, scenario: Scenario) -> None:
        if scenario.styles.thin:
            self._choose_thin_shows(scenario)
            return
        rng = self.rng
        for group in scenario.groups:
            if scenario.silent:
                group.show = SHOW_HIDDEN
                continue
            roll = rng.random()
            tickable = group.present or group.lives == LIVES_HOME
            if roll < 0.07 and tickable and not group.visits:
                group.show = SHOW_TICKBOX
            elif roll < 0.17 and group.kin in ("child", "grandchild"):
                group.show = SHOW_PEOPLE
            elif roll < 0.3:
                group.show = SHOW_BOTH
            else:
                group.show = SHOW_NARRATIVE
            if (
                scenario.styles.agency
                and group.show == SHOW_NARRATIVE
                and group.lives == LIVES_HOME
                and not group.present
                and group.kin in ("child", "grandchild")
                and rng.random() < 0.3
            ):
                group.show = SHOW_AGENCY
            scenario.tags.add("show_" + group.show)
        if scenario.pregnant is not None:
            if scenario.silent:
                scenario.pregnancy_show = SHOW_HIDDEN
            elif scenario.pregnant is scenario.victim:
                scenario.pregnancy_show = rng.choices(
                    [SHOW_NARRATIVE, SHOW_PEOPLE, SHOW_BOTH, SHOW_TICKBOX], weights=[72, 10, 10, 8]
                )[0]
            else:
                scenario.pregnancy_show = rng.choice([SHOW_NARRATIVE, SHOW_BOTH, SHOW_PEOPLE])
            scenario.tags.add("pregnancy_" + scenario.pregnancy_show)
        young = any(p.age < 18 for p in (scenario.victim, scenario.suspect))
        if young:
            scenario.young_show = (
                SHOW_HIDDEN
                if scenario.silent
                else rng.choice([SHOW_NARRATIVE, SHOW_BOTH, SHOW_PEOPLE])
            )

    def _choose_thin_shows(self, scenario: Scenario) -> None:
        """A thin narrative says nothing: every fact is in `people` or a tick box."""
        rng = self.rng
        for group in scenario.groups:
            tickable = (group.present or group.lives == LIVES_HOME) and not group.visits
            group.show = SHOW_TICKBOX if tickable and rng.random() < 0.15 else SHOW_PEOPLE
            scenario.tags.add("show_" + group.show)
        if scenario.pregnant is not None:
            on_victim = scenario.pregnant is scenario.victim
            scenario.pregnancy_show = (
                SHOW_TICKBOX if on_victim and rng.random() < 0.2 else SHOW_PEOPLE
            )
            scenario.tags.add("pregnancy_" + scenario.pregnancy_show)
        scenario.young_show = SHOW_PEOPLE


def _other(gender: str) -> str:
    return "male" if gender == "female" else "female"

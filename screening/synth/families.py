"""How a synthetic scenario's people and families are drawn: the parties, the children of each
category, pregnancy, decoys, and how each fact is shown (narrative, people, tick box, hidden).

`FamilyParts` is the base of `screening.synth.builder.ScenarioBuilder`, which draws the frame
(who the parties are, how they are related) and calls these to fill it.
"""

from __future__ import annotations

import random
from datetime import date

from screening.synth.faker import FakeSource
from screening.synth.scenario import (
    DECOY_FAMILIES,
    LIVES_CARE,
    LIVES_HOME,
    LIVES_OTHER_PARENT,
    LIVES_OWN_FAMILY,
    SHOW_AGENCY,
    SHOW_BOTH,
    SHOW_HIDDEN,
    SHOW_NARRATIVE,
    SHOW_PEOPLE,
    SHOW_TICKBOX,
    AdultRelative,
    ChildGroup,
    Scenario,
    SynthPerson,
)
from screening.synth.words import birth_date


class FamilyParts:
    """People, children, pregnancy, decoys and shows of a scenario (see the module docstring)."""

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


def other_gender(gender: str) -> str:
    return "male" if gender == "female" else "female"

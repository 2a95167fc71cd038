"""The synthetic scenario builder: the frame of a notification (who the parties are, how they
are related, its date and style), filled with families by `screening.synth.families`.
"""

from __future__ import annotations

from datetime import datetime

from screening.synth.families import FamilyParts, other_gender
from screening.synth.scenario import (
    Scenario,
    SynthPerson,
)
from screening.synth.styles import SHARE_SILENT, draw_styles


class ScenarioBuilder(FamilyParts):
    """Draws scenarios: a mix of involved (about 55%) and not involved, every category and
    every 'does not count' family, with hard cases (silent rows, people-only children,
    tick-box-only facts, contradicting tick boxes, age boundaries)."""

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
            s_gender = victim_gender if same_sex else other_gender(victim_gender)
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
            s_gender = other_gender(v_gender)
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
        suspect = self.person("suspect", other_gender(victim.gender), rng.randint(18, 23), day)
        suspect.relationship = "boyfriend" if suspect.gender == "male" else "girlfriend"
        scenario = Scenario(
            occurred, style, "boundary", victim, suspect, couple=True, cohabit=False
        )
        scenario.decoys.append("boundary")
        scenario.tags.add("boundary_age")
        return scenario

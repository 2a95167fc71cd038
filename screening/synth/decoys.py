"""The synthetic writer's decoys and endings: sentences that are true but involve no child
(negations, adult relatives, childhood, other senses), and the interpreter, outcome and DASH lines.

Every decoy is used only where it is true of the scenario (`claim_holds`), so a label can never
disagree with its narrative.
"""

from __future__ import annotations

from typing import Any

from screening.synth.bank import pick
from screening.synth.phrases import ChildPhrases, pronouns
from screening.synth.scenario import Scenario, SynthPerson
from screening.synth.words import number_word


class Decoys(ChildPhrases):
    """Decoy sentences and the closing lines of a narrative."""


    def _decoy_sentences(self, scenario: Scenario, ctx: dict[str, str]) -> list[str]:
        rng = self.rng
        style = scenario.style
        out: list[str] = []
        for family in scenario.decoys:
            if family == "negation":
                sentence = self._negation(scenario, ctx)
                if sentence:
                    out.append(sentence)
                    scenario.tags.add("negation")
            elif family == "adult_relative":
                for adult in scenario.adults:
                    if not adult.in_history:
                        out.append(self._adult(scenario, adult.person, adult.kin, ctx))
                scenario.tags.add("adult_relative")
            elif family == "boundary":
                bctx = dict(ctx)
                age = scenario.victim.age
                bctx.update(age=str(age), words=number_word(age), sage=str(scenario.suspect.age))
                out.append(self._fmt(pick(rng, self.bank["boundary"][style]), bctx))
            else:
                out.append(self._fmt(pick(rng, self.bank[family][style]), ctx))
                scenario.tags.add(family)
        return out

    def _negation(self, scenario: Scenario, ctx: dict[str, str]) -> str:
        fitting = [
            text
            for text, claims in self.bank["negation"][scenario.style]
            if all(claim_holds(scenario, claim) for claim in claims.split())
        ]
        return self._fmt(self.rng.choice(fitting), ctx) if fitting else ""

    def _adult(self, scenario: Scenario, adult: SynthPerson, kin: str, ctx: dict[str, str]) -> str:
        rng = self.rng
        style = scenario.style
        np_template = pick(rng, self.bank["adult_relative"][f"np_{style}"])
        extra = self.bank["adult_relative_extra"]
        if adult.age == 18 and rng.random() < 0.4:
            np_template = pick(rng, extra[f"eighteen_{style}"])
        elif 20 <= adult.age <= 29 and rng.random() < 0.25:
            np_template = pick(rng, extra[f"twenties_{style}"])
        elif kin == "brother" and scenario.styles.dialect in ("northern", "informal"):
            np_template = pick(rng, extra["our_kid"])
        poss = rng.choice(
            ["IP's", ctx["vp"]] if style == "terse" else [ctx["vp"], f"{ctx['Vn']}'s"]
        )
        actx = dict(ctx)
        actx.update(
            kin=kin, age=str(adult.age), words=number_word(adult.age), apos=pronouns(adult)[2]
        )
        np = f"{poss} " + np_template.format(**actx)
        actx.update(A=np)
        templates = self.bank["adult_relative"][style]
        return self._fmt(pick(rng, templates, remote=scenario.styles.remote), actx)

    # the rest ------------------------------------------------------------------------------

    def _extras(self, scenario: Scenario, ctx: dict[str, str], language: str | None) -> list[str]:
        if not language:
            return []
        if scenario.style == "terse":
            return [
                self.rng.choice(
                    [
                        f"{language} interpreter used.",
                        f"Via {language} interpreter (Language Line).",
                    ]
                )
            ]
        return [f"We spoke to {ctx['Vn']} through a {language} interpreter on Language Line."]

    def _outcome(
        self,
        scenario: Scenario,
        ctx: dict[str, str],
        offence: str | None,
        dash: dict[str, Any] | None,
    ) -> list[str]:
        rng = self.rng
        style = scenario.style
        outcome = self.bank["outcome"]
        out = [rng.choice(outcome[f"bwv_{style}"]).text]
        if offence:
            out.append(self._fmt(rng.choice(outcome[f"arrest_{style}"]).text, ctx))
        else:
            out.append(self._fmt(rng.choice(outcome[f"none_{style}"]).text, ctx))
        if dash:
            out.append(self._dash(style, dash, ctx))
        if rng.random() < 0.6:
            out.append(self._fmt(rng.choice(self.bank["closing"][style]).text, ctx))
        return out

    def _dash(self, style: str, dash: dict[str, Any], ctx: dict[str, str]) -> str:
        rng = self.rng
        level = dash["level"]
        section = self.bank["dash"]
        if level in ("refused", "not_completed"):
            return self._fmt(rng.choice(section[f"{level}_{style}"]).text, ctx)
        count = dash.get("yes_count")
        if count is None:
            templates = section["terse_plain"] if style == "terse" else section["prose"][:2]
        else:
            templates = section[style]
        line = rng.choice(templates).text.format(level=level, n=count, **ctx)
        if level == "high" and rng.random() < 0.6:
            line += " " + rng.choice(section["marac"]).text
        return line


def claim_holds(scenario: Scenario, claim: str) -> bool:
    """Whether a negation's claim is true of the scenario."""
    groups = scenario.groups
    young = min(scenario.victim.age, scenario.suspect.age) < 18
    if claim == "no_present":
        return not young and not any(g.present for g in groups)
    if claim == "no_household":
        return not young and not any(g.household for g in groups)
    if claim == "no_household_other":
        return not any(g.household for g in groups)
    if claim == "no_visitor":
        return not any(g.visits for g in groups)
    if claim == "not_pregnant":
        return scenario.victim.pregnant_weeks == 0 and scenario.victim.gender == "female"
    adult_kids = any(
        a.kin in ("son", "daughter", "stepson", "stepdaughter") for a in scenario.adults
    )
    suspect_adult_kids = any(a.owner == "suspect" for a in scenario.adults)
    if claim == "victim_kids_all_adult":
        adult_child_suspect = scenario.frame == "family" and scenario.suspect.relationship in (
            "son",
            "daughter",
        )
        victim_adult_kids = any(
            a.owner == "victim" and a.kin in ("son", "daughter", "stepson", "stepdaughter")
            for a in scenario.adults
        )
        return (
            (victim_adult_kids or adult_child_suspect)
            and not any("victim" in g.carers for g in groups)
            and scenario.frame != "apv"
        )
    if claim == "victim_childless":
        return (
            not adult_kids
            and not any("victim" in g.carers or g.kin == "grandchild" for g in groups)
            and scenario.frame not in ("apv", "family")
        )
    if claim == "suspect_childless":
        return (
            not suspect_adult_kids
            and not any("suspect" in g.carers for g in groups)
            and scenario.frame != "family"
        )
    if claim == "couple_childless":
        return (
            scenario.couple
            and not adult_kids
            and not any(
                g.carers == frozenset({"victim", "suspect"}) or g.kin == "grandchild"
                for g in groups
            )
        )
    raise ValueError(f"unknown negation claim: {claim}")

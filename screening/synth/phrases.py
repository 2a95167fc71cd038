"""The synthetic writer's base: its state, and the noun phrases that name children.

`ChildPhrases` holds the writer's rng, fake source and phrase banks, and writes the first mention
of a group of children with their ages ("her son Alfie (3)", "their two children, aged 4 and 7")
and the short form for later mentions. `screening.synth.text.NarrativeWriter` builds on it.
"""

from __future__ import annotations

import random
from typing import Any

from screening.synth import dialect as synth_dialect
from screening.synth.bank import banks
from screening.synth.faker import FakeSource
from screening.synth.scenario import ChildGroup, Scenario, SynthPerson
from screening.synth.words import dmy, months_old, number_word, school_stage, school_year


def pronouns(person: SynthPerson) -> tuple[str, str, str]:
    return ("she", "her", "her") if person.gender == "female" else ("he", "him", "his")


def cap(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


class ChildPhrases:
    """The writer's state and its noun phrases for children."""

    def __init__(self, rng: random.Random, fake: FakeSource) -> None:
        self.rng = rng
        self.fake = fake
        self.bank = banks()

    def _fmt(self, text: str, ctx: dict[str, Any]) -> str:
        return text.format(**ctx) if text else ""


    def _possessive(self, scenario: Scenario, group: ChildGroup, ctx: dict[str, str]) -> str:
        rng = self.rng
        terse = scenario.style == "terse"
        if group.kin in ("minded", "guest"):
            return ""
        if group.kin == "child" and group.carers == frozenset({"victim", "suspect"}):
            options = [
                "their",
                "their",
                "IP and S1's" if terse else f"{ctx['Vn']} and {ctx['Sn']}'s",
            ]
        elif "suspect" in group.carers and "victim" not in group.carers:
            options = ["S1's"] if terse else [ctx["sp"], f"{ctx['Sn']}'s"]
        elif group.kin == "grandchild" and scenario.couple and rng.random() < 0.5:
            options = ["their"]
        else:
            options = ["IP's", ctx["vp"]] if terse else [ctx["vp"], f"{ctx['Vn']}'s"]
        return rng.choice(options)

    def _kin_word(
        self, group: ChildGroup, plural: bool, dialect: str | None = None
    ) -> tuple[str, bool]:
        """The kin noun, and whether it already says 'child' without an age; in a dialect row,
        usually the dialect's word (bairn, wean, babby, lad, lass, grandbairns)."""
        rng = self.rng
        members = group.members
        youngest = min(group.ages)
        if dialect and not group.step_of and rng.random() < 0.7:
            regional = synth_dialect.kin_word(
                rng, dialect, group.kin, {m.gender for m in members}, len(members), youngest
            )
            if regional:
                return regional
        if plural:
            genders = {m.gender for m in members}
            if group.kin == "grandchild":
                return rng.choice(["grandchildren", "grandkids"]), False
            if group.kin == "nibling":
                if len(genders) == 1:
                    return ("nephews" if "male" in genders else "nieces"), False
                return ("nephew and niece" if len(members) == 2 else "nephews and nieces"), False
            if group.kin in ("minded", "guest"):
                return rng.choice(["children", "kids"]), False
            if len(members) == 2 and members[0].age == members[1].age and rng.random() < 0.6:
                return "twins", False
            options = ["children", "kids", "children"]
            if len(genders) == 1:
                options.append("sons" if "male" in genders else "daughters")
                options.append("boys" if "male" in genders else "girls")
            if max(group.ages) < 8:
                options += ["little ones", "young children"]
                return rng.choice(options), options[-1] == "young children"
            return rng.choice(options), False
        child = members[0]
        male = child.gender == "male"
        if group.kin == "grandchild":
            return ("grandson" if male else "granddaughter"), False
        if group.kin == "nibling":
            return ("nephew" if male else "niece"), False
        if group.kin in ("minded", "guest"):
            base = "boy" if male else "girl"
            return (
                (f"little {base}", True) if youngest < 8 and rng.random() < 0.5 else (base, False)
            )
        base = "son" if male else "daughter"
        if group.step_of and rng.random() < 0.5:
            return "step" + base, False
        options: list[tuple[str, bool]] = [(base, False), (base, False)]
        options.append(("boy" if male else "girl", False))
        if youngest < 2:
            options += [("baby", True), (f"baby {base}", True)]
        if 1 <= youngest <= 3:
            options.append(("toddler", True))
        if youngest < 6:
            options += [("little one", True), (f"little {'boy' if male else 'girl'}", True)]
        if male and youngest >= 10:
            options.append(("lad", False))
        return rng.choice(options)

    def _age_token(self, member: SynthPerson, prose: bool, day: Any, spelt: bool) -> str:
        """The age as written: '7', 'seven', '8/12', 'eight months'."""
        if member.age == 0:
            months = max(1, months_old(member.born, day))
            if prose:
                return f"{number_word(months)} month" + ("" if months == 1 else "s")
            unit = "month" if months == 1 else "months"
            return self.rng.choice([f"{months}/12", f"{months} {unit}", f"{months} {unit}"])
        return number_word(member.age) if prose and spelt else str(member.age)

    def _noun_phrase(
        self,
        scenario: Scenario,
        group: ChildGroup,
        ctx: dict[str, str],
        owner: str | None = None,
    ) -> tuple[str, str]:
        """The first mention of the group (with ages) and a short form for later mentions;
        `owner` forces the possessive (the carer's his/her)."""
        rng = self.rng
        prose = scenario.style == "prose"
        day = scenario.day
        plural = len(group.members) > 1
        poss = self._possessive(scenario, group, ctx)
        kin, says_child = self._kin_word(group, plural, scenario.styles.dialect)
        if kin.startswith("step") and group.step_of == "suspect":
            poss = "S1's" if not prose else f"{ctx['Sn']}'s"
        if owner and group.kin == "child":
            poss = owner
            kin = kin.removeprefix("step")
        article = "" if poss else ("a" if not plural else "")
        short = f"{poss or 'the'} {kin}"
        if plural:
            return self._plural_phrase(group, poss, kin, prose, day), short
        child = group.members[0]
        token = self._age_token(child, prose, day, rng.random() < 0.7)
        named = rng.random() < 0.3
        if named and rng.random() < 0.5:
            short = child.given
        name = f" {child.given}" if named else ""
        forms: list[str] = []
        if prose:
            forms += [
                "{poss} {kin}{name}, who is {tok} old,"
                if child.age == 0
                else "{poss} {kin}{name}, who is {tok},",
                "{poss} {kin}{name}, aged {tok},",
                "{poss} {kin}{name} ({num})",
            ]
            if child.age > 0:
                forms.append("{poss} {tok}-year-old" + rng.choice([" {kin}", ""]))
            stage = school_stage(rng, child.age)
            if stage:
                forms.append("{poss} {kin}{name}, who is " + stage + ",")
        else:
            forms += [
                "{poss} {kin}{name} ({tok})",
                "{poss} {kin}{name} ({tok})",
                "{poss} {kin}{name} aged {tok}",
                "{poss} {kin}{name} (DOB {dob})",
                "{poss} {kin}{name} ({tok}, DOB {dob})",
            ]
            if child.age > 0:
                forms += [
                    "{poss} {kin}{name} ({tok}yrs)",
                    "{poss} {kin}{name} ({tok} y/o)",
                    "{poss} {kin}{name} {tok}yrs",
                    "{poss} {tok}-yr-old" + rng.choice([" {kin}", ""]),
                ]
            year = school_year(child.age)
            if year and rng.random() < 0.3:
                forms.append("{poss} {kin}{name} (Yr " + str(year) + ")")
        if says_child:
            forms.append("{poss} {kin}{name}")
        form = rng.choice(forms)
        text = form.format(
            poss=poss or article,
            kin=kin,
            name=name,
            tok=token,
            num=str(child.age) if child.age else self._age_token(child, False, day, False),
            dob=dmy(child.born),
        )
        if text.startswith("a ") and text[2:3] in "aeiou8":
            text = "an " + text[2:]
        return text.strip(), short

    def _plural_phrase(self, group: ChildGroup, poss: str, kin: str, prose: bool, day: Any) -> str:
        rng = self.rng
        spelt = rng.random() < 0.6
        tokens = [self._age_token(m, prose, day, spelt) for m in group.members]
        count = len(tokens)
        joined = ", ".join(tokens[:-1]) + " and " + tokens[-1]
        count_word = (
            rng.choice([number_word(count), str(count)]) if not prose else number_word(count)
        )
        lead = f"{poss} " if poss else ""
        if kin == "twins":
            if prose:
                return rng.choice(
                    [f"{lead}twins, who are {tokens[0]},", f"{lead}twins ({tokens[0]})"]
                )
            return f"{lead}twins ({tokens[0]})"
        digits = [str(m.age) if m.age else t for m, t in zip(group.members, tokens, strict=True)]
        names = " and ".join(f"{m.given} ({t})" for m, t in zip(group.members, tokens, strict=True))
        names = names.replace(" and ", ", ", count - 2) if count > 2 else names
        if prose:
            forms = [
                f"{lead}{count_word} {kin}, aged {joined},",
                f"{lead}{kin}, who are {joined},",
                f"{lead}{kin} {names}",
                f"{lead}{count_word} {kin} ({', '.join(digits)})",
            ]
        else:
            forms = [
                f"{lead}{kin} ({', '.join(tokens)})",
                f"{lead}{count_word} {kin} ({joined})",
                f"{lead}{kin} aged {joined}",
                f"{lead}{kin} {names}",
                f"{lead}x{count} {kin} ({', '.join(tokens)})",
                f"{lead}{kin} (DOBs {', '.join(dmy(m.born) for m in group.members)})",
            ]
        return rng.choice(forms)

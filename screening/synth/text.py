"""The narrative of a synthetic notification, written from its scenario.

Two styles: `terse` police shorthand (IP, S1, DASH - medium (11)) in one paragraph, and `prose`
(full sentences with names, in paragraphs). Every sentence about a child, a pregnancy or a young
party is rendered from the scenario's facts, so the label can never disagree with the text;
decoy sentences (negations, adult relatives, childhood, other senses, children of non-parties)
are only used where they are true of the scenario. The extra styles of screening/synth/styles.py
change the wording, never the facts: remote incidents (synth_remote), agency shorthand
(synth_agency), chronologies (synth_chronology), regional words (synth_dialect) and thin
one-line narratives whose facts are only in `people` or the tick boxes.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta
from typing import Any

from screening.synth import agency as synth_agency
from screening.synth import dialect as synth_dialect
from screening.synth import remote as synth_remote
from screening.synth.bank import Template, banks, pick, words
from screening.synth.chronology import render as render_history
from screening.synth.faker import FakeSource
from screening.synth.scenario import (
    LIVES_CARE,
    LIVES_HOME,
    LIVES_OTHER_PARENT,
    LIVES_SUSPECT,
    SHOW_AGENCY,
    SHOW_BOTH,
    SHOW_NARRATIVE,
    ChildGroup,
    Scenario,
    SynthPerson,
)
from screening.synth.words import MONTHS, dmy, months_old, number_word, school_stage, school_year

_NARRATED = (SHOW_NARRATIVE, SHOW_BOTH)
_CLEAN = (
    (", .", "."), (",.", "."), (", ;", ";"), (",;", ";"), (", ,", ","), (",,", ","),
    ("  ", " "), ("..", "."), (" ,", ","), (" .", "."),
)  # fmt: skip


def _pronouns(person: SynthPerson) -> tuple[str, str, str]:
    return ("she", "her", "her") if person.gender == "female" else ("he", "him", "his")


def _cap(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


class NarrativeWriter:
    """Writes narratives; one per generator call (holds the rng and the fake source)."""

    def __init__(self, rng: random.Random, fake: FakeSource) -> None:
        self.rng = rng
        self.fake = fake
        self.bank = banks()

    # public --------------------------------------------------------------------------------

    def write(
        self,
        scenario: Scenario,
        core: dict[str, Any],
        offence: str | None,
        dash: dict[str, Any] | None,
        interpreter: str | None,
    ) -> str:
        """The narrative for `scenario`: `core` is the chosen [[core]] entry of the bank,
        `offence` the short offence name for an arrest line, `dash` the contract's dash
        object, `interpreter` the language of an interpreter used (or None)."""
        rng = self.rng
        style = scenario.style
        remote = scenario.styles.remote
        ctx = self._context(scenario, offence)
        if scenario.styles.thin:
            return self._thin(scenario, ctx, dash)
        facts = self._fact_sentences(scenario, ctx) + self._agency_sentences(scenario, ctx)
        facts += self._decoy_sentences(scenario, ctx)
        dialect = scenario.styles.dialect
        if dialect:
            facts = [synth_dialect.regionalise(f, rng, dialect) for f in facts]
        rng.shuffle(facts)
        opening_key = synth_remote.opening_section("opening", remote)
        attend_key = synth_remote.opening_section("attend", remote)
        opening = self._fmt(rng.choice(self.bank[opening_key][style]).text, ctx)
        attend = self._fmt(rng.choice(self.bank[attend_key][style]).text, ctx)
        body = self._fmt(rng.choice(core[style]).text, ctx)
        extras = self._extras(scenario, ctx, interpreter)
        outcome = self._outcome(scenario, ctx, offence, dash)
        history = render_history(rng, scenario)
        scenario.history_text = history
        if style == "terse":
            front = [f for f in facts if rng.random() < 0.2]
            back = [f for f in facts if f not in front]
            marker = "\x00" if history else ""  # ages are added outside the chronology
            parts = [*front, opening, attend, *extras, body, *back, marker, *outcome]
            text = " ".join(_cap(p) for p in parts if p)
            text = self._decorate_terse(scenario, text).replace("\x00", history)
        else:
            first = [opening, attend, body]
            if rng.random() < 0.5:
                first += extras
                extras = []
            paragraphs = [first, [*extras, *facts], [history], outcome]
            if rng.random() < 0.3 and facts:
                paragraphs = [first + facts, extras, [history], outcome]
            text = "\n\n".join(
                " ".join(_cap(p) for p in para if p) for para in paragraphs if any(para)
            )
            text = self._full_names(scenario, text, ctx)
        for old, new in _CLEAN:
            while old in text:
                text = text.replace(old, new)
        return text.strip()

    def _thin(self, scenario: Scenario, ctx: dict[str, str], dash: dict[str, Any] | None) -> str:
        """One or two lines; whatever is known about children is in `people` or tick boxes."""
        rng = self.rng
        parts = [self._fmt(rng.choice(self.bank["thin"][scenario.style]).text, ctx)]
        if dash and rng.random() < 0.5:
            parts.append(self._dash(scenario.style, dash, ctx))
        return " ".join(parts)

    def _agency_sentences(self, scenario: Scenario, ctx: dict[str, str]) -> list[str]:
        """Agency shorthand: about groups that exist, and adult-only lines, in agency rows;
        and the messages' threats about a party's children in remote rows."""
        rng = self.rng
        out: list[str] = []
        for group in scenario.groups:
            only = group.show == SHOW_AGENCY
            gctx = dict(ctx)
            gctx.update(self._group_vars(scenario, group, ctx))
            gctx["school"] = f"{self.fake.family()} {rng.choice(words('school_suffix'))}"
            narrated = group.show in _NARRATED and group.kin in ("child", "grandchild")
            if only or (
                scenario.styles.agency and narrated and rng.random() < synth_agency.SHARE_GROUP_LINE
            ):
                out.append(self._fmt(synth_agency.group_line(rng, scenario, group, only), gctx))
            if (
                scenario.styles.remote
                and group.show in _NARRATED
                and group.kin == "child"
                and rng.random() < synth_remote.SHARE_CHILD_THREAT
            ):
                line = pick(rng, self.bank["remote_child"][scenario.style])
                out.append(self._fmt(line, gctx))
        if scenario.styles.agency:
            if scenario.pregnant is not None and scenario.pregnancy_show in _NARRATED:
                out.append(synth_agency.pregnancy_line(rng, scenario))
            out += [self._fmt(line, ctx) for line in synth_agency.adult_lines(rng, scenario)]
        if out:
            scenario.tags.add("agency_line" if scenario.styles.agency else "remote_child_line")
        return out

    # context -------------------------------------------------------------------------------

    def _context(self, scenario: Scenario, offence: str | None) -> dict[str, str]:
        victim, suspect = scenario.victim, scenario.suspect
        vs, vo, vp = _pronouns(victim)
        ss, so, sp = _pronouns(suspect)
        when = scenario.occurred
        later = when + timedelta(minutes=self.rng.randint(6, 40))
        ctx = {
            "vs": vs, "vo": vo, "vp": vp, "Vs": _cap(vs),
            "ss": ss, "so": so, "sp": sp, "Ss": _cap(ss),
            "rel": suspect.relationship or "partner",
            "time": later.strftime("%H:%M"),
            "t4": when.strftime("%H%M"),
            "later": later.strftime("%H%M"),
            "town": self.fake.town(),
            "street": self.fake.street(),
            "off": offence or "",
        }  # fmt: skip
        if scenario.style == "terse":
            ctx.update(V="IP", Vn="IP", S="S1", Sn="S1")
        else:
            ctx.update(
                V=self._full(victim), Vn=victim.given, S=self._full(suspect), Sn=suspect.given
            )
        return ctx

    def _full(self, person: SynthPerson) -> str:
        family = person.family.upper() if self.rng.random() < 0.5 else person.family
        return f"{person.given} {family}"

    def _fmt(self, text: str, ctx: dict[str, Any]) -> str:
        return text.format(**ctx) if text else ""

    def _full_names(self, scenario: Scenario, text: str, ctx: dict[str, str]) -> str:
        """In prose, the first mention of each party carries the full name."""
        for person, full in ((scenario.victim, ctx["V"]), (scenario.suspect, ctx["S"])):
            if full not in text:
                text = re.sub(rf"\b{re.escape(person.given)}\b", full, text, count=1)
        return text

    def _decorate_terse(self, scenario: Scenario, text: str) -> str:
        """Sometimes put a party's age after the first IP / S1, as officers do."""
        for person, tag in ((scenario.victim, "IP"), (scenario.suspect, "S1")):
            young = person.age < 18
            if young and (scenario.young_show not in _NARRATED):
                continue
            if self.rng.random() < (0.5 if young else 0.3):
                text = re.sub(rf"\b{tag}\b(?!'| \()", f"{tag} ({person.age})", text, count=1)
        return text

    # facts ---------------------------------------------------------------------------------

    def _fact_sentences(self, scenario: Scenario, ctx: dict[str, str]) -> list[str]:
        out: list[str] = []
        for group in scenario.groups:
            if group.show in _NARRATED:
                out += self._group_sentences(scenario, group, ctx)
        if scenario.pregnant is not None and scenario.pregnancy_show in _NARRATED:
            out.append(self._pregnancy(scenario, ctx))
        if scenario.young_show in _NARRATED:
            out += self._young(scenario, ctx)
        return [s for s in out if s]

    def _group_sentences(
        self, scenario: Scenario, group: ChildGroup, ctx: dict[str, str]
    ) -> list[str]:
        rng = self.rng
        gctx = dict(ctx)
        gctx.update(self._group_vars(scenario, group, ctx))
        sections: list[str] = []
        if group.lives == LIVES_HOME:
            if group.present:
                sections.append("present")
            else:
                sections.append("household_away" if rng.random() < 0.6 else "household")
        elif group.lives == LIVES_SUSPECT:
            sections.append("household_suspect")
        elif group.lives in (LIVES_OTHER_PARENT, LIVES_CARE):
            sections.append("elsewhere" if group.lives == LIVES_OTHER_PARENT else "foster")
            if group.visits:
                sections.append("visitor_contact")
            elif rng.random() < 0.5:
                sections.append("contact")
            if group.present:
                sections.append("present_visiting")
        elif group.kin == "guest":
            sections.append("present_guest")
        elif group.kin == "minded":
            sections.append("minded")
            if group.present:
                sections.append("present")
        else:
            sections.append("present_visiting" if group.present else "visitor")
            if group.present and rng.random() < 0.5:
                sections.append("visitor")
        out = []
        count, ages = len(group.members), group.ages
        if (
            group.lives == LIVES_HOME
            and "suspect" in group.carers
            and not scenario.cohabit
            and rng.random() < 0.7
        ):  # the suspect is a parent who lives elsewhere (child_of_party)
            out.append(
                rng.choice(["S1 does not live at the address.", "S1 lives elsewhere."])
                if scenario.style == "terse"
                else f"{ctx['Sn']} does not live with them."
            )
        remote = scenario.styles.remote
        if group.kin == "grandchild" and sections[0] == "visitor" and rng.random() < 0.5:
            sections[0] = "visitor_nan"
            gctx["nan"] = synth_dialect.grandparent(
                rng, scenario.styles.dialect, scenario.victim.gender
            )
        for index, section in enumerate(sections):
            section = synth_remote.section(section, remote)
            template = pick(rng, self.bank[section][scenario.style], count, ages, remote)
            if index > 0:  # later sentences refer back with a short form
                gctx["K"] = gctx["Kc"] = gctx["Kshort"]
            out.append(self._fmt(template, gctx))
        return out

    def _group_vars(
        self, scenario: Scenario, group: ChildGroup, ctx: dict[str, str]
    ) -> dict[str, str]:
        rng = self.rng
        plural = len(group.members) > 1
        first = group.members[0]
        if plural:
            kp, ko, kpos = "they", "them", "their"
        else:
            kp, ko, kpos = _pronouns(first)
        carer_key = "victim" if "victim" in group.carers or not group.carers else "suspect"
        carer = scenario.victim if carer_key == "victim" else scenario.suspect
        carer_ref = ctx["Vn"] if carer_key == "victim" else ctx["Sn"]
        other = "mother" if carer.gender == "male" else "father"
        other = rng.choice([other, {"mother": "mum", "father": "dad"}[other]])
        away = pick(rng, tuple(self._away_templates()), len(group.members), group.ages)
        np, short = self._noun_phrase(scenario, group, ctx)
        carer_np, _ = self._noun_phrase(scenario, group, ctx, _pronouns(carer)[2])
        return {
            "K": np,
            "Kc": carer_np,
            "Kshort": short,
            "Kp": kp,
            "KP": _cap(kp),
            "Ko": ko,
            "Kpos": kpos,
            "was": "were" if plural else "was",
            "is": "are" if plural else "is",
            "has": "have" if plural else "has",
            "s": "" if plural else "s",
            "es": "" if plural else "es",
            "away": away.format(Kpos=kpos),
            "spot": rng.choice(words("spot")),
            "contact": rng.choice(words("contact")),
            "other_parent": f"{kpos} {other}",
            "carer": carer_ref,
            "cpos": _pronouns(carer)[2],
        }

    def _away_templates(self) -> list[Template]:
        return list(self.bank["words"]["away"])

    # noun phrases for children ---------------------------------------------------------------

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

    # pregnancy and young parties -----------------------------------------------------------

    def _pregnancy(self, scenario: Scenario, ctx: dict[str, str]) -> str:
        rng = self.rng
        person = scenario.pregnant
        assert person is not None
        weeks = person.pregnant_weeks
        due = scenario.day + timedelta(weeks=40 - weeks)
        pctx = dict(ctx)
        pctx.update(
            w=str(weeks),
            ww=number_word(weeks),
            month=MONTHS[due.month - 1],
            hospital=f"{self.fake.town()} {rng.choice(words('hospital_suffix'))}",
            P=f"{person.given} {person.family}",
        )
        section = self.bank["pregnancy"]
        if person is scenario.victim:
            templates = section[scenario.style]
            return self._fmt(pick(rng, templates, remote=scenario.styles.remote), pctx)
        return self._fmt(pick(rng, section[f"suspect_partner_{scenario.style}"]), pctx)

    def _young(self, scenario: Scenario, ctx: dict[str, str]) -> list[str]:
        rng = self.rng
        out = []
        for person, key in ((scenario.victim, "young_victim"), (scenario.suspect, "young_suspect")):
            if person.age >= 18:
                continue
            yctx = dict(ctx)
            yctx.update(
                age=str(person.age),
                words=number_word(person.age),
                dob=dmy(person.born),
                year=str(school_year(person.age) or 11),
                school=f"{self.fake.family()} {rng.choice(words('school_suffix'))}",
                rel=person.relationship or "son",
            )
            section = self.bank[key]
            if key == "young_victim" and person.age in (15, 16) and rng.random() < 0.3:
                out.append(self._fmt(pick(rng, section[f"gcse_{scenario.style}"]), yctx))
            else:
                out.append(self._fmt(pick(rng, section[scenario.style]), yctx))
        return out

    # decoys --------------------------------------------------------------------------------

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
            if all(_claim_holds(scenario, claim) for claim in claims.split())
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
            kin=kin, age=str(adult.age), words=number_word(adult.age), apos=_pronouns(adult)[2]
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


def _claim_holds(scenario: Scenario, claim: str) -> bool:
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

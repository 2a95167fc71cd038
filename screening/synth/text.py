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

import re
from datetime import timedelta
from typing import Any

from screening.synth import agency as synth_agency
from screening.synth import dialect as synth_dialect
from screening.synth import remote as synth_remote
from screening.synth.bank import Template, pick, words
from screening.synth.chronology import render as render_history
from screening.synth.decoys import Decoys
from screening.synth.phrases import cap, pronouns
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
from screening.synth.words import MONTHS, dmy, number_word, school_year

_NARRATED = (SHOW_NARRATIVE, SHOW_BOTH)
_CLEAN = (
    (", .", "."), (",.", "."), (", ;", ";"), (",;", ";"), (", ,", ","), (",,", ","),
    ("  ", " "), ("..", "."), (" ,", ","), (" .", "."),
)  # fmt: skip


class NarrativeWriter(Decoys):
    """Writes narratives; one per generator call (holds the rng and the fake source)."""

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
            text = " ".join(cap(p) for p in parts if p)
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
                " ".join(cap(p) for p in para if p) for para in paragraphs if any(para)
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
        vs, vo, vp = pronouns(victim)
        ss, so, sp = pronouns(suspect)
        when = scenario.occurred
        later = when + timedelta(minutes=self.rng.randint(6, 40))
        ctx = {
            "vs": vs, "vo": vo, "vp": vp, "Vs": cap(vs),
            "ss": ss, "so": so, "sp": sp, "Ss": cap(ss),
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
            kp, ko, kpos = pronouns(first)
        carer_key = "victim" if "victim" in group.carers or not group.carers else "suspect"
        carer = scenario.victim if carer_key == "victim" else scenario.suspect
        carer_ref = ctx["Vn"] if carer_key == "victim" else ctx["Sn"]
        other = "mother" if carer.gender == "male" else "father"
        other = rng.choice([other, {"mother": "mum", "father": "dad"}[other]])
        away = pick(rng, tuple(self._away_templates()), len(group.members), group.ages)
        np, short = self._noun_phrase(scenario, group, ctx)
        carer_np, _ = self._noun_phrase(scenario, group, ctx, pronouns(carer)[2])
        return {
            "K": np,
            "Kc": carer_np,
            "Kshort": short,
            "Kp": kp,
            "KP": cap(kp),
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
            "cpos": pronouns(carer)[2],
        }

    def _away_templates(self) -> list[Template]:
        return list(self.bank["words"]["away"])

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

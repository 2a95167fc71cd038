"""One synthetic labelled notification (contract section 5) assembled from a scenario.

Turns a `Scenario` into the plain JSON-able dict a police system would send: reference, dates,
incident type and offences, address, DASH, the people list, the officer's tick boxes (null,
true, or sometimes false while the narrative shows the fact), and the narrative; and pairs it
with the label derived from the same scenario. A chronology of earlier incidents is planned
here (screening/synth/chronology.py); the finished narrative may then be phone-typed
(synth_phone) and get typing slips (synth_typos, from a per-row rng so that `typos=False` gives
the same rows without them).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from screening.synth.bank import banks, words
from screening.synth.builder import ScenarioBuilder
from screening.synth.chronology import plan_history
from screening.synth.faker import FakeSource
from screening.synth.phone import phone_typed
from screening.synth.remote import pick_core
from screening.synth.scenario import (
    LIVES_HOME,
    SHOW_BOTH,
    SHOW_HIDDEN,
    SHOW_PEOPLE,
    SHOW_TICKBOX,
    ChildGroup,
    Scenario,
    SynthPerson,
    label_of,
)
from screening.synth.text import NarrativeWriter
from screening.synth.typos import maybe_typos, row_rng
from screening.synth.words import years_before

_LISTED = (SHOW_PEOPLE, SHOW_BOTH)
_FIRST_DAY = datetime(2025, 1, 1, tzinfo=UTC)
_DAYS = 730
_SERIAL_MODULUS = 10_000_000
_SERIAL_STEP = 6_364_137  # coprime with the modulus: index -> serial is one-to-one
_HOURS = list(range(24))
_HOUR_WEIGHTS = [5, 4, 3, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7]
_DASH_RANGES = {"standard": (0, 9), "medium": (10, 13), "high": (14, 27)}


class RecordMaker:
    """Makes labelled rows for one generator call (shared rng, Faker and phrase banks)."""

    def __init__(self, seed: int, typos: bool = True) -> None:
        self.seed = seed
        self.typos = typos
        self.rng = random.Random(seed)
        self.fake = FakeSource(seed, self.rng)
        self.builder = ScenarioBuilder(self.rng, self.fake)
        self.writer = NarrativeWriter(self.rng, self.fake)
        self.bank = banks()
        self.serial_offset = self.rng.randrange(_SERIAL_MODULUS)

    def make(self, index: int) -> tuple[dict[str, Any], Scenario]:
        """Row number `index` as {"notification", "label"}, and the scenario behind it."""
        rng = self.rng
        occurred = self._occurred()
        scenario = self.builder.build(occurred)
        if scenario.styles.chronology:
            plan_history(rng, self.builder, scenario)
        core = pick_core(rng, scenario.styles.remote)
        offences = list(rng.choice(core["offences"])) if core["offences"] else None
        offence = rng.choice(core["off"]).text if core["off"] else None
        dash = self._dash()
        victim_extra, language = self._personal_extras(scenario.victim)
        narrative = self.writer.write(scenario, core, offence, dash, language)
        scenario.clean_narrative = narrative
        if scenario.styles.phone:
            narrative = phone_typed(narrative, rng)
        if self.typos:
            narrative, rate = maybe_typos(narrative, row_rng(self.seed, index))
            if rate:
                scenario.tags.add("typos")
        notification: dict[str, Any] = {"reference": self._reference(index, occurred)}
        notification["occurred_at"] = occurred.isoformat()
        if rng.random() < 0.7:
            reported = occurred + timedelta(minutes=rng.choice([2, 5, 10, 15, 25, 40, 90, 600]))
            notification["reported_at"] = reported.isoformat()
        notification["incident_type"] = core["type"]
        if offences and rng.random() < 0.92:
            notification["offences"] = offences
        notification["address"] = self.fake.address()
        if rng.random() < 0.15:
            del notification["address"]["postcode"]
        if dash is not None:
            notification["dash"] = dash
        notification["people"] = self._people(scenario, victim_extra)
        notification.update(self._tick_boxes(scenario))
        if scenario.history:
            year_ago = years_before(scenario.day, 1)
            notification["previous_incidents"] = sum(e.day > year_ago for e in scenario.history)
        elif rng.random() < 0.75:
            notification["previous_incidents"] = rng.choices(range(7), [40, 22, 14, 9, 6, 5, 4])[0]
        notification["narrative"] = narrative
        if rng.random() < 0.85:
            notification["officer"] = self._officer()
        if scenario.occurred.hour in (6, 7):  # dates written with Z now and then
            notification["occurred_at"] = notification["occurred_at"].replace("+00:00", "Z")
        return {"notification": notification, "label": label_of(scenario)}, scenario

    # fields --------------------------------------------------------------------------------

    def _occurred(self) -> datetime:
        rng = self.rng
        day = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS))
        hour = rng.choices(_HOURS, _HOUR_WEIGHTS)[0]
        offset = timedelta(hours=1) if 4 <= day.month <= 10 else timedelta(0)
        moment = day.replace(hour=hour, minute=rng.choice(range(0, 60, 1)))
        return moment.replace(tzinfo=timezone(offset))

    def _reference(self, index: int, occurred: datetime) -> str:
        rng = self.rng
        serial = (index * _SERIAL_STEP + self.serial_offset) % _SERIAL_MODULUS
        code = rng.choice(words("force_code"))
        year = occurred.year
        form = rng.randrange(4)
        if form == 0:
            return f"{code}/{year % 100:02d}/{serial:06d}"
        if form == 1:
            return f"{code}-{year}-{serial:04d}"
        if form == 2:
            return f"{code}-{year % 100:02d}-{serial:07d}"
        return f"{code}{year}{serial:07d}"

    def _dash(self) -> dict[str, Any] | None:
        rng = self.rng
        if rng.random() < 0.1:
            return None
        level = rng.choices(
            ["standard", "medium", "high", "refused", "not_completed"], [45, 30, 13, 5, 7]
        )[0]
        dash: dict[str, Any] = {"level": level}
        if level in _DASH_RANGES and rng.random() < 0.85:
            dash["yes_count"] = rng.randint(*_DASH_RANGES[level])
        if level in _DASH_RANGES and rng.random() < 0.05:
            dash["answers"] = {str(q): rng.choice(["yes", "no", "not_known"]) for q in range(1, 6)}
        return dash

    def _officer(self) -> dict[str, str]:
        rng = self.rng
        officer = {"id": f"{rng.choice(words('officer_rank'))} {rng.randint(100, 9999)}"}
        if rng.random() < 0.5:
            officer["name"] = (
                f"{self.fake.given(rng.choice(['female', 'male']))[0]}. {self.fake.family()}"
            )
        if rng.random() < 0.5:
            officer["station"] = f"{self.fake.street()} {rng.choice(words('station_suffix'))}"
        return officer

    def _personal_extras(self, person: SynthPerson) -> tuple[dict[str, Any], str | None]:
        """Ethnicity, religion, language, interpreter and disability; and the interpreter's
        language when one was used (for the narrative)."""
        rng = self.rng
        extra: dict[str, Any] = {}
        if rng.random() < 0.55:
            extra["ethnicity"] = rng.choice(words("ethnicity"))
        if rng.random() < 0.15:
            extra["religion"] = rng.choice(words("religion"))
        interpreter = None
        if rng.random() < 0.12:
            language = rng.choice(words("languages"))
            extra["language"] = language
            needed = rng.random() < 0.6
            extra["interpreter_needed"] = needed
            if needed and rng.random() < 0.6:
                interpreter = language
        elif rng.random() < 0.2:
            extra["language"] = "English"
            if rng.random() < 0.5:
                extra["interpreter_needed"] = False
        if rng.random() < 0.12:
            extra["disability"] = rng.random() < 0.4
        return extra, interpreter

    # people --------------------------------------------------------------------------------

    def _people(self, scenario: Scenario, victim_extra: dict[str, Any]) -> list[dict[str, Any]]:
        rng = self.rng
        victim = self._party(scenario, scenario.victim)
        victim.update(victim_extra)
        victim["lives_at_address"] = scenario.at_victim_home if rng.random() < 0.6 else None
        if scenario.pregnant is scenario.victim and scenario.pregnancy_show in _LISTED:
            victim["pregnant"] = True
        elif scenario.victim.gender == "female" and not scenario.victim.pregnant_weeks:
            if rng.random() < 0.1:
                victim["pregnant"] = False
        suspect = self._party(scenario, scenario.suspect)
        suspect.update(self._personal_extras(scenario.suspect)[0])
        suspect["relationship_to_victim"] = scenario.suspect.relationship
        if scenario.styles.remote:
            suspect["present_at_incident"] = False if rng.random() < 0.6 else None
        suspect["lives_at_address"] = (
            (scenario.cohabit or not scenario.at_victim_home) if rng.random() < 0.5 else None
        )
        people = [victim, suspect]
        for other in scenario.others:
            if scenario.pregnancy_show == SHOW_HIDDEN:
                continue
            if scenario.pregnancy_show in _LISTED or rng.random() < 0.5:
                entry = self._adult(other, scenario)
                if scenario.pregnancy_show in _LISTED:
                    entry["pregnant"] = True
                people.append(entry)
        for adult in scenario.adults:
            if adult.listed:
                people.append(self._adult(adult.person, scenario))
        for group in scenario.groups:
            if group.show in _LISTED:
                people += [self._child(scenario, group, m) for m in group.members]
        if rng.random() < 0.5:  # people are not always listed victim first
            rng.shuffle(people)
        return [_compact(p) for p in people]

    def _ages(self, person: SynthPerson, must: bool, never: bool = False) -> dict[str, Any]:
        rng = self.rng
        if never or (not must and rng.random() < 0.2):
            return {}
        roll = rng.random()
        if roll < 0.55:
            return {"age": person.age}
        if roll < 0.8:
            return {"date_of_birth": person.born.isoformat()}
        return {"age": person.age, "date_of_birth": person.born.isoformat()}

    def _party(self, scenario: Scenario, person: SynthPerson) -> dict[str, Any]:
        young = person.age < 18
        if young:
            show = scenario.young_show
            ages = self._ages(person, must=show in _LISTED, never=show == SHOW_HIDDEN)
            if show not in _LISTED and show != SHOW_HIDDEN and self.rng.random() < 0.5:
                ages = {}
        else:
            ages = self._ages(person, must=scenario.frame == "boundary")
        entry: dict[str, Any] = {
            "role": person.role,
            "given_name": person.given,
            "family_name": person.family,
            **ages,
            "gender": person.gender if self.rng.random() < 0.9 else person.gender[0].upper(),
            "present_at_incident": True if self.rng.random() < 0.5 else None,
        }
        return entry

    def _adult(self, person: SynthPerson, scenario: Scenario) -> dict[str, Any]:
        rng = self.rng
        return {
            "role": rng.choice(["other_adult", "other_adult", "witness"]),
            "given_name": person.given,
            "family_name": person.family,
            **self._ages(person, must=rng.random() < 0.9),
            "gender": person.gender,
            "relationship_to_victim": person.relationship,
            "present_at_incident": person.present,
        }

    def _child(self, scenario: Scenario, group: ChildGroup, member: SynthPerson) -> dict[str, Any]:
        rng = self.rng
        role = "child"
        if member.age >= 12 and rng.random() < 0.2:
            role = rng.choice(["other_adult", "witness", "unknown"])
        entry: dict[str, Any] = {
            "role": role,
            "given_name": member.given,
            "family_name": member.family,
            **self._ages(member, must=role != "child"),
            "gender": member.gender,
            "relationship_to_victim": _child_relationship(scenario, group, member),
        }
        if rng.random() < 0.75:
            entry["present_at_incident"] = group.present
        if rng.random() < 0.7:
            entry["lives_at_address"] = group.lives == LIVES_HOME
        return entry

    # tick boxes ----------------------------------------------------------------------------

    def _tick_boxes(self, scenario: Scenario) -> dict[str, bool | None]:
        rng = self.rng
        if scenario.silent:
            boxes: dict[str, bool | None] = {
                "children_present": None,
                "children_in_household": None,
                "victim_pregnant": None,
            }
        else:
            young = min(scenario.victim.age, scenario.suspect.age) < 18
            groups = scenario.groups
            present = [g for g in groups if g.present]
            household = [g for g in groups if g.household]
            tick_only_present = any(g.show == SHOW_TICKBOX for g in present)
            tick_only_home = any(g.show == SHOW_TICKBOX for g in household)
            pregnant = scenario.pregnant is scenario.victim
            boxes = {
                "children_present": self._box(
                    bool(present), tick_only_present, young, scenario, "children_present"
                ),
                "children_in_household": self._box(
                    bool(household), tick_only_home, young, scenario, "children_in_household"
                ),
                "victim_pregnant": self._box(
                    pregnant,
                    pregnant and scenario.pregnancy_show == SHOW_TICKBOX,
                    False,
                    scenario,
                    "victim_pregnant",
                ),
            }
        for key in list(boxes):
            if boxes[key] is None and rng.random() < 0.25:
                del boxes[key]  # a missing key is the same as null
        return boxes

    def _box(
        self, fact: bool, tick_only: bool, young: bool, scenario: Scenario, name: str
    ) -> bool | None:
        rng = self.rng
        if tick_only:
            scenario.tags.add(f"tickbox_only_{name}")
            return True
        if fact:
            value = rng.choices([None, True, False], [40, 45, 15])[0]
            if value is False:
                scenario.tags.add(f"tickbox_contradicts_{name}")
            return value
        if young:
            return None
        return rng.choice([None, False])


def _compact(person: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in person.items() if value is not None}


def _child_relationship(scenario: Scenario, group: ChildGroup, member: SynthPerson) -> str | None:
    male = member.gender == "male"
    if group.kin == "grandchild":
        return "grandson" if male else "granddaughter"
    if group.kin == "nibling":
        return "nephew" if male else "niece"
    if group.kin in ("minded", "guest"):
        return None
    base = "son" if male else "daughter"
    if "victim" in group.carers:
        return base
    suspect = scenario.suspect.relationship or ""
    if suspect in ("son", "daughter", "stepson", "stepdaughter"):
        return "grandson" if male else "granddaughter"
    if suspect in ("brother", "sister"):
        return "nephew" if male else "niece"
    return f"partner's {base}"

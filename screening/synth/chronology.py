"""Chronologies of earlier incidents in synthetic narratives, where children may appear only
in the past.

A row with a chronology lists two to seven earlier incidents between the parties. What each
entry says about children is planned from the scenario, and the label stays true to the rules:
- a party's child who is still under 18 may be shown ONLY in the chronology (the group's show
  becomes SHOW_HISTORY); the scenario's group still decides the label (household when the child
  lives with a party here, child_of_party when elsewhere);
- a party's child named in an old incident who is now 18 or over is an adult relative, not
  involvement (recorded as an AdultRelative so that negations stay true);
- a party who was under 18 back then but is an adult now is not a young party;
- children of people who are not parties, in an old incident elsewhere, are not involvement.
Ages in an entry are the ages on that entry's date, computed from the dates of birth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from models.contract import age_on
from screening.synth.bank import banks
from screening.synth.builder import ScenarioBuilder
from screening.synth.scenario import (
    LIVES_HOME,
    LIVES_OTHER_PARENT,
    SHOW_BOTH,
    SHOW_HISTORY,
    SHOW_NARRATIVE,
    AdultRelative,
    ChildGroup,
    Scenario,
)
from screening.synth.words import dmy, months_old, years_before

SHARE_HISTORY_ONLY = 0.45  # eligible groups in a chronology row shown only in the chronology
MAX_YEARS = 12  # how far back a chronology goes


@dataclass
class HistoryEntry:
    day: date
    kind: str  # neutral, child, adult_child, young_then, pregnant_then, non_party
    group: ChildGroup | None = None
    adult: AdultRelative | None = None
    party: str = "victim"
    age: int = 0  # the age on `day` (young_then), or the weeks pregnant (pregnant_then)


def _day_between(rng: random.Random, first: date, last: date) -> date | None:
    if last < first:
        return None
    return date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))


def plan_history(rng: random.Random, builder: ScenarioBuilder, scenario: Scenario) -> None:
    """Fill `scenario.history` (and convert groups / add now-adult children) for a chronology
    row. Silent rows get only neutral entries."""
    today = scenario.day
    start = years_before(today, MAX_YEARS)
    recent = today - timedelta(days=21)
    entries: list[HistoryEntry] = []
    if not scenario.silent:
        for group in scenario.groups:
            entry = _history_only(rng, scenario, group, start, recent)
            if entry:
                entries.append(entry)
        roll = rng.random()
        if roll < 0.35:
            entries += _adult_child(rng, builder, scenario, start, recent)
        elif roll < 0.5:
            entries += _young_then(rng, scenario, recent)
        elif roll < 0.6:
            day = _day_between(rng, start, recent)
            entries += [HistoryEntry(day, "non_party")] if day else []
    for _ in range(rng.randint(max(1, 2 - len(entries)), 5)):
        day = _day_between(rng, start, recent)
        if day:
            entries.append(HistoryEntry(day, "neutral"))
    entries.sort(key=lambda e: e.day)
    scenario.history = entries
    scenario.tags |= {f"history_{e.kind}" for e in entries}


def _history_only(
    rng: random.Random, scenario: Scenario, group: ChildGroup, start: date, recent: date
) -> HistoryEntry | None:
    eligible = (
        group.show in (SHOW_NARRATIVE, SHOW_BOTH)
        and not group.present
        and not group.visits
        and group.kin == "child"
        and bool(group.carers)
    )
    if not eligible or rng.random() >= SHARE_HISTORY_ONLY:
        return None
    born = max(m.born for m in group.members)
    day = _day_between(rng, max(start, born + timedelta(days=60)), recent)
    if day is not None:
        group.show = SHOW_HISTORY
        return HistoryEntry(day, "child", group=group)
    victim = scenario.victim
    if len(group.members) == 1 and "victim" in group.carers and victim.gender == "female":
        weeks = rng.randint(12, 34)
        day = born - timedelta(weeks=40 - weeks)
        if day <= recent:
            group.show = SHOW_HISTORY
            return HistoryEntry(day, "pregnant_then", group=group, age=weeks)
    return None


def _adult_child(
    rng: random.Random,
    builder: ScenarioBuilder,
    scenario: Scenario,
    start: date,
    recent: date,
) -> list[HistoryEntry]:
    options = [
        key
        for key in ("victim", "suspect")
        if getattr(scenario, key).age >= 36 and (key == "victim" or scenario.couple)
    ]
    if not options:
        return []
    key = rng.choice(options)
    party = getattr(scenario, key)
    age_now = rng.randint(18, min(party.age - 16, 30))
    gender = builder.gender()
    child = builder.person("other_adult", gender, age_now, scenario.day, party.family)
    eighteenth = years_before(child.born, -18) - timedelta(days=1)
    day = _day_between(rng, max(start, years_before(child.born, -1)), min(recent, eighteenth))
    if day is None:
        return []
    kin = "son" if gender == "male" else "daughter"
    child.relationship = kin
    adult = AdultRelative(child, kin, listed=False, owner=key, in_history=True)
    scenario.adults.append(adult)
    return [HistoryEntry(day, "adult_child", adult=adult, party=key)]


def _young_then(rng: random.Random, scenario: Scenario, recent: date) -> list[HistoryEntry]:
    options = [k for k in ("victim", "suspect") if 19 <= getattr(scenario, k).age <= 30]
    if not options:
        return []
    key = rng.choice(options)
    born = getattr(scenario, key).born
    first = max(years_before(born, -14), years_before(scenario.day, MAX_YEARS))
    day = _day_between(rng, first, min(recent, years_before(born, -18) - timedelta(days=1)))
    if day is None:
        return []
    return [HistoryEntry(day, "young_then", party=key, age=age_on(born, day))]


# ---------------------------------------------------------------------------------------------
# writing


def _possessive(scenario: Scenario, carers: frozenset[str]) -> str:
    if carers == frozenset({"victim", "suspect"}):
        return "IP and S1's"
    return "IP's" if "victim" in carers else "S1's"


def _group_then(scenario: Scenario, group: ChildGroup, day: date) -> str:
    tokens = [
        str(age_on(m.born, day)) if age_on(m.born, day) else f"{max(1, months_old(m.born, day))}/12"
        for m in group.members
    ]
    if len(group.members) == 1:
        kin = "son" if group.members[0].gender == "male" else "daughter"
        noun = f"{kin} ({tokens[0]})"
    else:
        noun = f"children ({', '.join(tokens)})"
    return f"{_possessive(scenario, group.carers)} {noun}"


def _fill(text: str, **values: str) -> str:
    return text.format(**values)


def render(rng: random.Random, scenario: Scenario) -> str:
    """The chronology as one block of text ("" when the row has none)."""
    if not scenario.history:
        return ""
    bank = banks()["chronology"]
    pick = lambda key: rng.choice(bank[key]).text  # noqa: E731
    lead = pick("lead_" + scenario.style)
    lines = []
    for entry in scenario.history:
        parts = [pick("neutral")]
        if entry.kind == "child" and entry.group is not None:
            group = entry.group
            plural = len(group.members) > 1
            parts.append(_fill(pick("with_child"), K=_group_then(scenario, group, entry.day)))
            if rng.random() < 0.4:
                parts.append(_now_line(scenario, group, plural, rng))
        elif entry.kind == "pregnant_then":
            parts.append(_fill(pick("pregnant_then"), w=str(entry.age)))
        elif entry.kind == "adult_child" and entry.adult is not None:
            person = entry.adult.person
            then = age_on(person.born, entry.day)
            poss = "IP's" if entry.party == "victim" else "S1's"
            parts.append(_fill(pick("with_child"), K=f"{poss} {entry.adult.kin} ({then})"))
            if rng.random() < 0.5:
                pronoun = "he" if person.gender == "male" else "she"
                parts.append(
                    _fill(pick("now_adult"), Kp=pronoun, age=str(person.age), s="s", **{"is": "is"})
                )
        elif entry.kind == "young_then":
            key = "young_then" if entry.party == "victim" else "young_then_suspect"
            parts.append(_fill(pick(key), age=str(entry.age)))
        elif entry.kind == "non_party":
            parts[0] = pick("non_party")
        lines.append(f"{dmy(entry.day)} - " + ", ".join(p for p in parts if p) + ".")
    return " ".join([lead, *lines])


def _now_line(scenario: Scenario, group: ChildGroup, plural: bool, rng: random.Random) -> str:
    """Where the group lives now, when the chronology says it (only ever what is true)."""
    bank = banks()["chronology"]
    kp = "they" if plural else ("he" if group.members[0].gender == "male" else "she")
    if group.lives == LIVES_HOME and "victim" in scenario.lives_with(group):
        return _fill(rng.choice(bank["now_home"]).text, Kp=kp, s="" if plural else "s")
    if group.lives != LIVES_OTHER_PARENT:
        return ""
    carer = scenario.victim if "victim" in group.carers else scenario.suspect
    other = "mother" if carer.gender == "male" else "father"
    kpos = "their" if plural else ("his" if kp == "he" else "her")
    return _fill(
        rng.choice(bank["now_elsewhere"]).text,
        Kp=kp,
        s="" if plural else "s",
        other_parent=f"{kpos} {other}",
    )

"""Synthetic families that recur across notifications, with the truth of who is who.

A family is a victim with a partner (the suspect), children and an address. It comes back in
one to a dozen notifications over three years; between them it may move, the victim may take a
new partner, a child may be born, and each time the officer writes the people down with the
errors of `recurring_noise` (nicknames, misspellings, swapped dates, ages only). A few families
have a son named after his father, or twins, so that linkage meets the people it must keep
apart. Each row is a contract section 5 object; `truth` gives a person id per listed person.
Deterministic for a seed; the labelled generator (`generator`) is not touched.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from faker import Faker

from models.contract import age_on
from screening.synth.faker import FakeSource
from screening.synth.recurring_noise import (
    NO_GENDER,
    written_birth,
    written_family,
    written_given,
)

# The UK's names are far more varied than one locale's list (en_GB alone has about 180 given
# names a gender and 500 family names, Smith at nearly 4% where the real share is about 1.3%),
# so names are drawn from several English-speaking locales' lists, en_GB the most often.
NAME_LOCALES = (("en_GB", 4), ("en_IE", 2), ("en_US", 2), ("en_IN", 1), ("en_NZ", 1))
START = datetime(2023, 6, 1, tzinfo=UTC)
SPAN_DAYS = 3 * 365
_NARRATIVE = "Officers attended a report of a domestic argument between the parties."


@dataclass
class Someone:
    id: str
    given: str
    family: str
    born: date
    gender: str


@dataclass
class Family:
    victim: Someone
    partner: Someone
    address: dict[str, str]
    children: list[Someone] = field(default_factory=list)


class NamePools:
    """Given names by gender and family names, drawn once from seeded Fakers of NAME_LOCALES."""

    def __init__(self, seed: int, rng: random.Random) -> None:
        self.rng = rng
        self.female: list[str] = []
        self.male: list[str] = []
        self.family: list[str] = []
        for locale, share in NAME_LOCALES:
            fake = Faker(locale)
            fake.seed_instance(seed)
            self.female += [fake.first_name_female() for _ in range(300 * share)]
            self.male += [fake.first_name_male() for _ in range(300 * share)]
            self.family += [fake.last_name() for _ in range(600 * share)]

    def given(self, gender: str) -> str:
        return self.rng.choice(self.female if gender == "female" else self.male)

    def family_name(self) -> str:
        return self.rng.choice(self.family)


class RecurringMaker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"dvscreen-recurring:{seed}")
        self.fake = FakeSource(seed, self.rng)
        self.names = NamePools(seed, self.rng)
        self.seed = seed
        self._people = 0

    def someone(self, gender: str, born: date, family: str | None = None,
                given: str | None = None) -> Someone:
        self._people += 1
        return Someone(f"P{self.seed}-{self._people}", given or self.names.given(gender),
                       family or self.names.family_name(), born, gender)

    def born_aged(self, low: int, high: int, on: date) -> date:
        return on - timedelta(days=self.rng.randint(low * 365, high * 365 + 364))

    def family(self, on: date) -> Family:
        rng = self.rng
        victim_gender = "female" if rng.random() < 0.8 else "male"
        victim = self.someone(victim_gender, self.born_aged(18, 55, on))
        partner_gender = "male" if victim_gender == "female" else "female"
        shared = rng.random() < 0.5
        partner = self.someone(partner_gender, self.born_aged(18, 60, on),
                               victim.family if shared else None)
        family = Family(victim, partner, self.fake.address())
        for _ in range(rng.choice([0, 0, 1, 1, 2, 2, 3, 4])):
            self.add_child(family, self.born_aged(0, 16, on))
        if rng.random() < 0.03 and partner.gender == "male":  # a son named after his father
            family.children.append(self.someone("male", self.born_aged(0, 16, on),
                                                partner.family, partner.given))
        if rng.random() < 0.02:  # twins
            day = self.born_aged(0, 12, on)
            self.add_child(family, day)
            self.add_child(family, day)
        return family

    def add_child(self, family: Family, born: date) -> None:
        gender = self.rng.choice(["female", "male"])
        surname = self.rng.choice([family.victim.family, family.partner.family])
        family.children.append(self.someone(gender, born, surname))

    def evolve(self, family: Family, on: date) -> None:
        rng = self.rng
        if rng.random() < 0.15:
            family.address = self.fake.address()
        if rng.random() < 0.12:
            gender = "male" if family.victim.gender == "female" else "female"
            family.partner = self.someone(gender, self.born_aged(18, 60, on))
        if rng.random() < 0.08:
            self.add_child(family, on - timedelta(days=rng.randint(1, 200)))

    def written(self, who: Someone, role: str, on: date, extra: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        dob, age = written_birth(who.born, on, role == "child", rng)
        person: dict[str, Any] = {"role": role, "given_name": written_given(who.given, rng),
                                  "family_name": written_family(who.family, rng)}
        if dob is not None:
            person["date_of_birth"] = dob
        if age is not None:
            person["age"] = age
        if rng.random() >= NO_GENDER:
            person["gender"] = who.gender
        return {**person, **extra}

    def notification(self, family: Family, when: datetime, reference: str
                     ) -> tuple[dict[str, Any], list[str]]:
        rng, on = self.rng, when.date()
        children = [c for c in family.children if c.born <= on and age_on(c.born, on) < 18]
        people = [self.written(family.victim, "victim", on, {}),
                  self.written(family.partner, "suspect", on, {})]
        truth = [family.victim.id, family.partner.id]
        present = False
        for child in children:
            here = rng.random() < 0.5
            present = present or here
            people.append(self.written(child, "child", on, {
                "present_at_incident": here, "lives_at_address": rng.random() < 0.85}))
            truth.append(child.id)
        if rng.random() < 0.15:  # a one-off witness
            witness = self.someone(rng.choice(["female", "male"]), self.born_aged(18, 70, on))
            people.append(self.written(witness, "witness", on, {}))
            truth.append(witness.id)
        categories = (["present"] if present else []) + (["household"] if children else [])
        notification = {
            "reference": reference, "occurred_at": when.isoformat(),
            "incident_type": rng.choice(["incident", "crime"]),
            "address": family.address, "people": people,
            "children_present": present, "children_in_household": bool(children),
            "narrative": _NARRATIVE,
        }
        label = {"child_involvement": bool(children), "categories": categories}
        return {"notification": notification, "label": label}, truth

    def rows(self, n: int) -> Iterator[tuple[dict[str, Any], list[str]]]:
        events: list[tuple[datetime, int, Family]] = []
        made = 0
        while len(events) < n:
            first = START + timedelta(minutes=self.rng.randrange(SPAN_DAYS * 24 * 60))
            family = self.family(first.date())
            count = min(12, 1 + int(self.rng.expovariate(0.6)))
            times = sorted([first] + [first + timedelta(minutes=self.rng.randrange(
                SPAN_DAYS * 24 * 60 // 2)) for _ in range(count - 1)])
            for when in times:
                events.append((when.replace(second=0, microsecond=0), made, family))
            made += 1
        # Families evolve in the order their incidents happen.
        events.sort(key=lambda event: (event[0], event[1]))
        seen: set[int] = set()
        for index, (when, number, family) in enumerate(events[:n]):
            if number in seen:
                self.evolve(family, when.date())
            seen.add(number)
            yield self.notification(family, when, f"RC-{self.seed}-{index:06d}")


def recurring(n: int, seed: int = 0) -> Iterator[tuple[dict[str, Any], list[str]]]:
    """n labelled notifications from recurring families, earliest first, each with the true
    person id of each listed person."""
    if n < 0:
        raise ValueError("n must not be negative")
    return RecurringMaker(seed).rows(n)


def write_recurring(n: int, path: str, truth_path: str, seed: int = 0) -> int:
    """Write the rows to `path` (section 5 JSONL) and the truth to `truth_path` (one
    {"reference", "person_ids"} a line); returns the count."""
    count = 0
    with open(path, "w", encoding="utf-8") as rows, open(truth_path, "w", encoding="utf-8") as out:
        for row, truth in recurring(n, seed):
            rows.write(json.dumps(row, ensure_ascii=False) + "\n")
            reference = row["notification"]["reference"]
            out.write(json.dumps({"reference": reference, "person_ids": truth}) + "\n")
            count += 1
    return count

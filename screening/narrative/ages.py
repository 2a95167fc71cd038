"""Age expressions in a narrative: "(4)", "aged 2, 5 and 7", "a two-year-old", "DOB 01/02/2019".

The forms are regular expressions in `data/age_terms.toml`; this module fills in the number
grammar (digits and English number words, "two and a half"), turns every match into ages in
years on the day of the incident, and reports where it was in the text. Whether an age belongs
to a child, a party or nobody is decided in `screening.narrative`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from models.contract import ADULT_AGE, age_on
from screening.narrative.entries import Chronology, chronology
from screening.narrative.rule_files import RuleFileError, age_terms


@dataclass(frozen=True, slots=True)
class AgeMention:
    """One age expression: character span, the ages it states (in years) and its form."""

    start: int
    end: int
    ages: tuple[float, ...]
    rule: str
    strong: bool  # stands alone as an age; a weak form needs a person word next to it

    @property
    def youngest(self) -> float:
        return min(self.ages)

    @property
    def is_minor(self) -> bool:
        return self.youngest < ADULT_AGE


_LOOKAHEAD = 60  # characters a form's lookahead may read past its match


@dataclass(frozen=True, slots=True)
class _Form:
    rule: str
    strong: bool
    list_strong: bool  # two or more ages at once stand alone ("2 x ch (8, 11)")
    regex: re.Pattern[str]
    # every match contains it, or it begins just before the match (the space a lookbehind
    # reads): try the regex only near it
    anchor: re.Pattern[str] | None
    needles: tuple[str, ...]  # every anchor hit starts with one of these (see _prefilter)
    before: int
    after: int

    def anchor_hits(self, text: str) -> list[tuple[int, int]]:
        """The anchor's hits in `text`; none without a needle in it (a literal test is faster)."""
        assert self.anchor is not None
        for needle in self.needles:
            if needle in text:
                break
        else:
            if self.needles:
                return []
        return [hit.span() for hit in self.anchor.finditer(text)]

    def finditer(self, text: str) -> list[re.Match[str]]:
        """The form's matches in `text` (find_ages finds each anchor's hits once instead)."""
        if self.anchor is None:
            return list(self.regex.finditer(text))
        return self.near(text, self.anchor_hits(text))

    def near(self, text: str, hits: list[tuple[int, int]]) -> list[re.Match[str]]:
        """The regex's matches within `window` of each of the anchor's `hits`."""
        regex, size = self.regex, len(text)
        found: dict[tuple[int, int], re.Match[str]] = {}
        for start, end in hits:
            stop = min(size, end + self.after)
            for match in regex.finditer(text, max(0, start - self.before), stop):
                if match.end() + _LOOKAHEAD >= stop < size:
                    # near the window's end a lookahead sees the window end as the text's end
                    # ("$"): match again on the whole text
                    whole = regex.match(text, match.start())
                    if whole is None:
                        continue
                    match = whole
                found.setdefault(match.span(), match)
        return list(found.values())


_LITERAL_END = re.compile(r"[\\.^$*+?{}\[\]()|]")  # where a regex's plain characters stop


def _branches(pattern: str) -> tuple[list[str], int]:
    """`pattern` cut at its top-level "|", up to the ")" closing it (or its end), and where
    that ")" is (the pattern's length when there is none)."""
    branches, depth, start, index = [], 0, 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 1
        elif char == "[":  # a class: "]" right after "[" or "[^" is in it
            index = pattern.find("]", index + (3 if pattern.startswith("[^", index) else 2))
            if index < 0:
                break
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:index])
            start = index + 1
        index += 1
    return [*branches, pattern[start:index]], min(index, len(pattern))


def _needles(pattern: str) -> tuple[str, ...]:
    """Literals one of which every match of `pattern` starts with; () when that is not sure.

    "(?:over|above|older than)" -> over, above, older than; "age" -> age; "(?:19|20)\\d\\d" ->
    19, 20. Only plain leading characters count, and not one that a "?", "*" or "{" follows.
    """
    branches, _ = _branches(pattern)
    needles: list[str] = []
    for branch in branches:
        if branch.startswith("(?:"):
            inner, close = _branches(branch[3:])
            after = branch[3 + close + 1 : 3 + close + 2]
            found = _needles("|".join(inner)) if close < len(branch) - 3 else ()
            if not found or after in ("?", "*", "{"):
                return ()
            needles.extend(found)
            continue
        stop = _LITERAL_END.search(branch)
        literal = branch if stop is None else branch[: stop.start()]
        if stop is not None and stop.group() in "?*{":
            literal = literal[:-1]  # "ab?": only "a" is sure
        if not literal:
            return ()
        needles.append(literal)
    return tuple(dict.fromkeys(needles))


_MAX_NEEDLES = 3  # more literals to test than this cost more than the anchor's own scan


def _prefilter(anchor: str) -> tuple[str, ...]:
    """The literals to test for before scanning with `anchor`, () for none.

    An anchor that is an alternation ("(?:over|above|older than)") is scanned for slowly: the
    regex engine tries it at every character that may start a branch. Testing `in` for two or
    three literals is faster, and most texts have none of them. An anchor that starts with one
    literal is scanned for as fast as that test, and many literals cost more than they save.
    """
    needles = _needles(anchor)
    needles = tuple(n for n in needles if not any(m != n and m in n for m in needles))
    return needles if 2 <= len(needles) <= _MAX_NEEDLES else ()


@dataclass(frozen=True, slots=True)
class _Grammar:
    numbers: dict[str, int]
    unit_years: dict[str, float]  # unit word -> length in years
    decades: dict[str, int]
    months: dict[str, int]
    forms: tuple[_Form, ...]
    number: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    """A regex matching any of `words`, as a trie so that a failing try costs one character."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        branches = [re.escape(c) + render(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    data = age_terms()
    numbers: dict[str, int] = data.numbers
    per_unit = {"years": 1.0, "months": 1 / 12, "weeks": 1 / 52}
    unit_years = {word: per_unit[unit] for unit, words in data.units.items() for word in words}
    word = _alternation(list(numbers))
    num = (
        rf"(?:\d{{1,3}}(?:\.5)?(?![\d/]|\.\d)|\b(?:{word})(?:[\s-](?:{word}))?\b)"
        rf"(?:\s+and\s+a\s+half|{_AT_LEAST})?"
    )
    number_list = rf"{num}(?:\s*(?:,|and|&)\s*{num})*"
    unit = _alternation(list(unit_years))
    month = _alternation(list(data.months))
    forms = []
    for index, form in enumerate(data.form):
        try:
            regex = re.compile(
                form.regex.replace("{LIST}", number_list)
                .replace("{NUM}", num)
                .replace("{UNIT}", rf"(?:{unit})")
                .replace("{MONTH}", rf"(?:{month})")
                .replace("{WORD}", rf"(?:{word})")
            )
            # in an anchor {NUM} is where a number starts, read ahead only (the hit ends before it)
            anchor_regex = (form.anchor or "").replace("{NUM}", rf"(?=\d|{word})")
            anchor = re.compile(anchor_regex) if anchor_regex else None
        except re.error as error:
            raise RuleFileError(
                f"screening/data/age_terms.toml: form[{index}] (rule '{form.rule}'): regex: {error}"
            ) from None
        forms.append(
            _Form(form.rule, form.strength == "strong", form.list_strength == "strong", regex,
                  anchor, _prefilter(anchor_regex), *form.window)
        )
    return _Grammar(numbers, unit_years, data.decades, data.months, tuple(forms), re.compile(num))


# "thirty-odd", "forty-something", "50+": at least the number, which is the age taken
_AT_LEAST = r"(?:-?odd\b|[\s-]something\b|\s?\+|\s?plus\b)"


def _value(text: str, numbers: dict[str, int]) -> float | None:
    """'7' -> 7, 'twenty-one' -> 21, 'two and a half' -> 2.5, 'thirty-odd' -> 30."""
    text = re.sub(_AT_LEAST + "$", "", text.lower().strip())
    half = 0.5 if text.endswith("half") else 0.0
    head = re.split(r"\s+and\s+a\s+half", text)[0]
    try:
        return float(head) + half
    except ValueError:
        pass
    parts = re.split(r"[\s-]+", head.strip())
    if not parts or any(p not in numbers for p in parts):
        return None
    return float(sum(numbers[p] for p in parts)) + half


_EVENT_DAYS = 31  # a listed date this close before the incident is an event, not a birth


def _birth_age(match: re.Match[str], on: date, listed: bool) -> float | None:
    groups = match.groupdict()
    if groups.get("year"):
        return float(on.year - int(groups["year"]))  # a year of birth alone: the younger reading
    day, month = groups.get("d") or groups["d2"], groups.get("m") or groups["m2"]
    year = int(groups.get("y") or groups["y2"])
    if year < 100:  # two-digit year: the most recent century that is not in the future
        year += 2000 if 2000 + year <= on.year else 1900
    try:
        born = date(year, int(month), int(day))  # UK order: day/month/year
    except ValueError:
        return None
    if born > on or (listed and (on - born).days < _EVENT_DAYS):
        return None
    return float(age_on(born, on))


# Forms that carry their own date or are not years of age: a chronology entry does not move them.
_DATED_ALREADY = frozenset(
    {"then_age", "age_in_year", "age_at_the_time", "date_of_birth", "date_after_name", "gestation",
     "next_age"}
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_YEAR_LOOKBACK = 300  # characters back to the year a chronology entry is dated by


def _carried(match: re.Match[str], grammar: _Grammar, on: date) -> tuple[float, ...]:
    """An age given on an earlier date, carried forward to the day of the incident.

    "2011 - kids present (then aged 8 and 10)": the nearest year written before the age; "was 13
    in February 2023": the year given. With no year to go by, the age stands as written.
    """
    groups = match.groupdict()
    text = groups.get("then") or groups["ages"]
    values = [_value(m.group(0), grammar.numbers) for m in grammar.number.finditer(text)]
    year: int | None = int(groups["inyear"]) if groups.get("inyear") else None
    if year is None:
        before = match.string[max(0, match.start() - _YEAR_LOOKBACK) : match.start()]
        years = [int(y.group(0)) for y in _YEAR.finditer(before)]
        year = years[-1] if years else None
    shift = on.year - year if year is not None and year <= on.year else 0
    return tuple(v + shift for v in values if v is not None)


def _ages(match: re.Match[str], grammar: _Grammar, on: date, rule: str) -> tuple[float, ...]:
    groups = match.groupdict()
    if groups.get("then") or groups.get("inyear"):
        return _carried(match, grammar, on)
    if groups.get("next"):  # "she'll be eighteen in December": one year younger today
        value = _value(groups["next"], grammar.numbers)
        return () if value is None else (value - 1,)
    if groups.get("gestation"):
        return (round(int(groups["gestation"]) / 52, 3),)  # "28/40": weeks of a pregnancy
    if groups.get("d") or groups.get("d2") or groups.get("year"):
        age = _birth_age(match, on, listed=rule == "date_after_name")
        return () if age is None else (age,)
    if groups.get("decade"):
        return (float(grammar.decades[groups["decade"].lower()]),)
    per = grammar.unit_years.get((groups.get("unit") or "year").lower(), 1.0)
    values = (_value(m.group(0), grammar.numbers) for m in grammar.number.finditer(groups["ages"]))
    return tuple(round(v * per, 2) for v in values if v is not None)


def _lower(text: str) -> str:
    """Lower-case `text` keeping every character's offset (case-sensitive regexes are faster)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def find_ages(
    text: str, occurred_on: date, dated: Chronology | None = None
) -> list[AgeMention]:
    """Every age expression in `text`, longest first where two forms overlap, in text order.
    `dated` is `entries.chronology(text, occurred_on)` where the caller has it already."""
    grammar = _grammar()
    if dated is None:
        dated = chronology(text, occurred_on)
    lower = _lower(text)
    found: list[AgeMention] = []
    hits: dict[str, list[tuple[int, int]]] = {}  # anchor -> its hits, found once for its forms
    for form in grammar.forms:
        matches: Iterable[re.Match[str]]
        if form.anchor is None:
            matches = form.regex.finditer(lower)
        else:
            spans = hits.get(form.anchor.pattern)
            if spans is None:
                spans = hits[form.anchor.pattern] = form.anchor_hits(lower)
            if not spans:
                continue
            matches = form.near(lower, spans)
        for match in matches:
            ages = _ages(match, grammar, occurred_on, form.rule)
            if ages and form.rule not in _DATED_ALREADY:
                years = dated.years_before(match.start())
                if years:  # "1999 - three children at home aged 2-8": ages in 1999
                    ages = tuple(a + years for a in ages)
            if ages:
                strong = form.strong or (form.list_strong and len(ages) > 1)
                found.append(AgeMention(match.start(), match.end(), ages, form.rule, strong))
    found.sort(key=lambda a: (a.start - a.end, a.start))
    kept: list[AgeMention] = []
    for age in found:
        if all(age.end <= k.start or age.start >= k.end for k in kept):
            kept.append(age)
    return sorted(kept, key=lambda a: a.start)

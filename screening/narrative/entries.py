"""A chronology's dated entries: "1999 - ABH, three children at home aged 2-8."

Analysts and case files list a couple's history as entries, each a sentence opened by its date
("2008 - ...", "03/2014: ...", "12/05/2011 ..."). What an entry says was true on its date: an age
given in it is that many years younger than the person is on the day of the incident ("ages
stated relative to another date resolved on `occurred_at`"), and a child or a pregnancy in an
entry dated 19 or more years before the incident is no child now (spec: "childhood, or events of
long ago"). An entry is its own sentence only: the text after it is not dated by it. A
sentence that brings itself up to date ("kids 3 and 5, now 15 and 17", "currently", "today")
speaks of today as well, and is dated by nothing. A year
alone may be a time in a control-room log ("2014 attended"), so it opens an entry only in a
text that calls itself a history and opens no line with a time that cannot be a year.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

# A date opening a line, a sentence or a clause after ";", then a separator: "1999 - ",
# "2008: ", "03/2014 ", "12/05/2011 -", "Mar 2014 - ".
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ENTRY = re.compile(
    r"(?:^|(?<=\n)|(?<=[.;:!?] )|(?<=[.;:!?]  ))[ \t]*"
    r"(?:(?P<day>\d{1,2})[/.](?=\d{1,2}[/.]))?(?:(?P<month>\d{1,2})[/.]|"
    r"(?P<month_name>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? )?"
    r"(?P<year>(?:19|20)\d{2})(?:[ \t]*(?P<separator>[-–:)])|[ \t]+(?=[A-Za-z]))",
    re.IGNORECASE,
)
# A year alone could be a time in a control-room log ("2014 attended"): it dates an entry only
# where the text calls itself a history and no line opens with a time that is not a year.
_HISTORY = re.compile(r"\b(?:chronology|chronological|history|timeline|background)\b",
                      re.IGNORECASE)
_LINE_TIME = re.compile(r"(?:^|(?<=\n)|(?<=[.;:!?] ))[ \t]*(?P<hhmm>(?:[01]\d|2[0-3])[0-5]\d)\b")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
_UP_TO_DATE = re.compile(r"\b(?:now|currently|today|tonight|at present|this incident|current)\b",
                         re.IGNORECASE)
# A child (or a pregnancy) then is an adult now when the entry is this old.
LONG_AGO_YEARS = 19


@dataclass(frozen=True, slots=True)
class Entry:
    start: int  # character offset of the entry's date
    end: int  # the end of its sentence
    years_before: int  # whole years from its date (its latest day) to the incident, at least


@dataclass(frozen=True, slots=True)
class Chronology:
    entries: tuple[Entry, ...]

    def years_before(self, at: int) -> int | None:
        """How many years before the incident the text at character `at` is dated, if an
        entry dates it."""
        index = bisect_right([e.start for e in self.entries], at) - 1
        if index < 0:
            return None
        entry = self.entries[index]
        return entry.years_before if at < entry.end else None

    def long_ago(self, at: int) -> bool:
        years = self.years_before(at)
        return years is not None and years >= LONG_AGO_YEARS


NO_CHRONOLOGY = Chronology(())
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")


# What may stand between an entry's opening and its year ("12/05/", "03/", "Mar "), read back
# from a year found in the text: only a year can open an entry, so only years are looked at.
_DATE_PREFIX = re.compile(
    r"(?:\d{1,2}[/.]\d{1,2}[/.]|\d{1,2}[/.]|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.? )?\Z",  # \Z, not $: "$" also matches before a line's newline
    re.IGNORECASE,
)


def chronology(text: str, occurred_on: date) -> Chronology:
    """The dated entries of `text` that lie before the incident."""
    entries = []
    years_alone: bool | None = None  # worked out only when a year alone opens an entry
    for year in _ANY_YEAR.finditer(text):
        prefix = _DATE_PREFIX.search(text, max(0, year.start() - 16), year.start())
        match = _ENTRY.match(text, prefix.start()) if prefix is not None else None
        if match is None or match.start("year") != year.start():
            continue
        if not (match.group("month") or match.group("month_name")):
            # a year alone is followed by its separator ("2008 - "), not a word ("2014
            # attended"), in a text that calls itself a history and is not a log of times
            if years_alone is None:
                years_alone = _HISTORY.search(text) is not None and not any(
                    not 1900 <= int(t.group("hhmm")) <= occurred_on.year
                    for t in _LINE_TIME.finditer(text)
                )
            if not (years_alone and match.group("separator")):
                continue
        dated = _latest_day(match)
        if dated is None or dated >= occurred_on:
            continue
        end_match = _SENTENCE_END.search(text, match.end())
        end = end_match.start() if end_match else len(text)
        if _UP_TO_DATE.search(text, match.end(), end):
            continue  # "2001 - kids 3 and 5, now 15 and 17": the sentence speaks of today too
        entries.append(Entry(match.start(), end, _whole_years(dated, occurred_on)))
    return Chronology(tuple(entries)) if entries else NO_CHRONOLOGY


def _latest_day(match: re.Match[str]) -> date | None:
    """The last day the entry's date can mean ("2008" is up to 31 December 2008), so that the
    years since are never overstated and an age carried forward never turns 18 too soon."""
    year = int(match.group("year"))
    month_name = match.group("month_name")
    month = _MONTHS.index(month_name[:3].lower()) + 1 if month_name else None
    if match.group("month"):
        month = int(match.group("month"))
    if month is None:
        return date(year, 12, 31)
    if not 1 <= month <= 12:
        return None
    day = int(match.group("day")) if match.group("day") else None
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following.toordinal() - 1
    if day is None:
        return date.fromordinal(last)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _whole_years(earlier: date, later: date) -> int:
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return max(years, 0)


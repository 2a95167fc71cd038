"""A chronology's dated entries (screening/narrative/entries.py), both directions: an age given in
an entry is carried to the day of the incident, a child or a pregnancy in an entry 19 or more
years old is history, a year alone that may be a control-room time dates nothing; and children
said to be away after "no children present" exist."""

from datetime import date

import pytest

from screening.narrative import narrative_findings
from screening.narrative.entries import chronology
from tests.narrative_support import blocks_screen_out as blocks

ON = date(2026, 6, 1)


def blocks_screen_out(text: str) -> bool:
    return blocks(text, ON)


def test_entries_are_their_own_sentence_and_not_one_brought_up_to_date() -> None:
    text = ("Chronology: 2008 - two children at the address (4 and 6). 2014 - verbal; kids 10 and "
            "12. 2015 - kids 11 and 13, now 22 and 24. Today IP's son (9) was present.")
    dated = chronology(text, ON)
    assert dated.years_before(text.index("(4 and 6)")) == 17  # 31 Dec 2008 to 1 June 2026
    assert dated.years_before(text.index("10 and")) == 11
    assert dated.years_before(text.index("11 and")) is None  # "now" speaks of today
    assert dated.years_before(text.index("son (9)")) is None  # the next sentence is not dated


def test_a_date_is_read_at_its_latest_day() -> None:
    text = "Background: 06/2008 - IP's daughter (17) present."
    # June 2008 ends on 30 June: 17 whole years to 1 June 2026, not 18
    assert chronology(text, ON).years_before(text.index("(17)")) == 17
    assert chronology("History: 2025 - verbal.", ON).entries[0].years_before == 0


@pytest.mark.parametrize(
    "text",
    [
        "Chronology: 2008 - two children at the address (4 and 6). 2014 - verbal; kids 10 and 12. "
        "2026 - current. Ian pushed Debbie.",
        "Police history (compiled): 1995 - verbal, IP pregnant with third child. 1999 - ABH, three "
        "children at home aged 2-8. 2004 - verbal.",
        "Chronological summary: 1998: Karen 5 months pregnant; Mike arrested ABH.",
        "03/2006 - DV, son (11) present.",
    ],
)
def test_children_of_entries_long_ago_are_adults_now(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        # an entry young enough that its child is a child still
        "History: 2019 - verbal, son (9) present.",
        "03/2014: IP pregnant.",
        # a year alone in a log that opens lines with times is a time, not a date
        "History of DA. 2014 - attended, son (17) present. 2350 left.",
        "2014 attended, son (17) present. History of DA.",
        # without the word history, a year alone dates nothing
        "2014 - attended, son (17) present.",
        # what follows a dated entry is not dated by it
        "Chronology: 2001 - verbal. IP's son (16) lives with her.",
        "History: 2001 - verbal, kids 3 and 5, now 15 and 17.",
    ],
)
def test_what_may_still_be_a_child_stays(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "On arrival no children present - they were at swimming lessons with Olivia's sister.",
        "No children present as both were at their dad's.",
        "No kids present - they were with their nan.",
        "Children: none present, two live with dad.",
    ],
)
def test_children_away_after_no_children_present_exist(text: str) -> None:
    assert {f.rule for f in narrative_findings(text, ON) if f.is_positive} == {"children_away"}


@pytest.mark.parametrize(
    "text",
    [
        "No children present, they were both drunk.",
        "No children at the address, they were on their own.",
        "No children present or resident, they were arguing in the street.",
        "No children present, they live alone.",
        "No kids present, both live alone in the flat.",
        "No children present, two officers attended.",
    ],
)
def test_the_couple_described_after_no_children_is_not_children(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


def test_a_gestation_said_by_her_dates_is_a_pregnancy() -> None:
    found = narrative_findings("She is around 12 weeks by her own dates.", ON)
    assert [(f.category, f.polarity) for f in found] == [("pregnancy", "positive")]


def test_entries_each_on_a_line_of_their_own() -> None:
    text = "Chronology:\n2008 - two children (4 and 6) at the address.\n03/2014: verbal.\n"
    dated = chronology(text, ON)
    assert [e.years_before for e in dated.entries] == [17, 12]
    assert not blocks_screen_out(text), narrative_findings(text, ON)

"""Ages said with a contraction typed without its apostrophe ("whos 5", "theyre 9"), and ages
said of "they" with no one named before (a 999 call: "my two, they're 10 and 12"). Issue 8,
session 10: both screened a fresh set's child out once a denial was appended or the punctuation
removed."""

import pytest

from tests.narrative_support import blocks_screen_out, finding_summary


@pytest.mark.parametrize(
    "text",
    [
        "He said he has a lad Mason whos 5 from his previous relationship",
        "he has a daughter who's 7 who stays weekends",
        "Op: Who else is in the house? Caller: my two, they're 10 and 12, in the front room",
        "Caller: they are 10 and 12, in the front room",
        "theyre 9 and 11 and in bed upstairs",
        "They’re 4 and 6 and were asleep.",
    ],
)
def test_a_minor_age_said_of_a_person_or_of_they_is_a_child(text: str) -> None:
    assert blocks_screen_out(text), finding_summary(text)


@pytest.mark.parametrize(
    "text",
    [
        "Her kids - they are 19 and 21 - were out with friends.",
        "They are 38 and 40 and have been together 10 years.",
        "They were 2 doors down when it started.",
        "Back in 2009, when they were 6 and 8, he left. They are now adults.",
        "The lad whos 19 is her nephew and lives in Leeds.",
    ],
)
def test_adult_or_past_ages_and_counts_are_not(text: str) -> None:
    assert not blocks_screen_out(text), finding_summary(text)

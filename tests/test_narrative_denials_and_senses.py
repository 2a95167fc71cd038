"""Denials and other senses the session-10 fresh sets showed unread, both directions: a court
form's "no relevant children", "neither has a child", "she no longer minds children"; the eye's
pupils; "kiddo" as a name called. A child placed beside the same words still counts."""

import pytest

from tests.narrative_support import blocks_screen_out, finding_summary


@pytest.mark.parametrize(
    "text",
    [
        "The application form records that there are no relevant children.",
        "She did a test and it was negative. Neither has a child.",
        "Nobody else lives there and she no longer minds children.",
        "Officers noted his pupils were dilated and he admitted taking cocaine.",
        "Pinpoint pupils, slurred speech. Arrested.",
        "He kept calling her 'kiddo' to belittle her.",
    ],
)
def test_denials_and_other_senses_are_not_a_child(text: str) -> None:
    assert not blocks_screen_out(text), finding_summary(text)


@pytest.mark.parametrize(
    "text",
    [
        "Her pupils (Year 4) were in the class when he came in.",
        "Neither has a child with her, but her son is 6 and lives there.",
        "the kiddo was asleep upstairs",
        "She minds children at home three days a week.",
        "There are relevant children: two, aged 3 and 5.",
    ],
)
def test_children_beside_the_same_words_still_count(text: str) -> None:
    assert blocks_screen_out(text), finding_summary(text)

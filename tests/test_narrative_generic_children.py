"""Children at large ("unsafe with kids.", "great with kids -", "unfit to be around children.")
are another sense of the words: what a party is said to be like with children, not a child of
this incident (rule book: other senses). Only a bare plural closing its clause; children placed,
owned or aged beside the same words stay mentions."""

import pytest

from tests.narrative_support import blocks_screen_out, finding_summary


@pytest.mark.parametrize(
    "text",
    [
        "He messaged her employer saying she is unsafe with kids. IP has no children.",
        "He phoned the head teacher to say she was unfit to be around kids. No children.",
        "Vicky described him as great with kids - he coaches a football team. He has no "
        "children of his own.",
        "Her ex says she should not be near young children. The couple have no children.",
    ],
)
def test_children_at_large_are_not_a_child_of_the_incident(text: str) -> None:
    assert not blocks_screen_out(text), finding_summary(text)


@pytest.mark.parametrize(
    "text",
    [
        "He is unsafe with kids in the house.",
        "She is great with kids, hers are 4 and 6.",
        "He is good with the kids.",
        "Her mum says he is great with kids. The kids were upstairs.",
        "He is not safe around kids, her two were in the front room.",
        "unsafe with kids at the address",
    ],
)
def test_children_placed_owned_or_aged_beside_them_stay(text: str) -> None:
    assert blocks_screen_out(text), finding_summary(text)

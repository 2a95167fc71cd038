"""Facts of an adult life said with a possessive ("his wife", "her ex-husband", "a family of his
own") make a relative an adult only where the pronoun can stand for that relative (issue 8,
session 10: two children of the fresh sets were screened out by "her three children live with her
ex-husband" and "no children of her own", read as adults)."""

import pytest

from tests.narrative_support import blocks_screen_out, finding_summary


@pytest.mark.parametrize(
    "text",
    [
        # the pronoun is the parent's: the children cannot be "her"
        "IP has left a refuge; her three children live with her ex-husband in Marstow and she "
        "has them on alternate weekends.",
        "His two boys stay with his ex-wife during the week.",
        "Her kids live with her mum and her new husband.",
        "Their sons are with his mortgage adviser's family today.",
        # "no children of her own" says nothing of the age of other children in the narrative
        "She looks after her neighbour's twins most afternoons after school at her house. She "
        "has no children of her own.",
        # a pronoun of the other gender cannot be the relative's
        "Her son lives with her husband's parents.",
        "His daughter is staying with his fiancee this week.",
    ],
)
def test_a_possessive_that_cannot_be_the_relatives_does_not_make_them_adults(text: str) -> None:
    assert blocks_screen_out(text), finding_summary(text)


@pytest.mark.parametrize(
    "text",
    [
        "Her son lives in Leeds with his wife.",
        "His daughter was there with her husband.",
        "Her son has a family of his own now.",
        "The victim's daughter came round with her fiance after the row.",
    ],
)
def test_a_possessive_the_relative_can_own_still_makes_them_adults(text: str) -> None:
    assert not blocks_screen_out(text), finding_summary(text)


@pytest.mark.parametrize(
    "text",
    [
        "She tried to ring her son. Their son, Michael, lives in Perth, Australia with his wife.",
        "Reporting person is Albert's daughter-in-law who does his shopping.",
        "His son-in-law called police.",
    ],
)
def test_a_married_relative_is_an_adult(text: str) -> None:
    assert not blocks_screen_out(text), finding_summary(text)


@pytest.mark.parametrize(
    "text",
    [
        "Her son-in-law, 17, was there.",
        "Her son in law (17) was there.",
        "Her son-in-law who is 17 was there.",
        "Her son and daughter-in-law were present; their baby was asleep.",
    ],
)
def test_an_age_or_a_child_beside_an_in_law_still_counts(text: str) -> None:
    assert blocks_screen_out(text), finding_summary(text)

"""Session 7's grammar (issue 8), both directions: a child word the officer explains as adults
or animals ("'the kids' - meaning her mates", "the 'kids' are their two Staffies"); conduct,
costumes, occupations and shops that use child words; neighbours' children placed by their
flat; plural possessives written without the apostrophe; a few more forms of "no children"."""

from datetime import date

import pytest

from screening.narrative import AUDIT_ONLY_RULES, narrative_findings
from tests.narrative_support import blocks_screen_out

ON = date(2026, 11, 20)


def rules(text: str) -> dict[str, str]:
    return {f.rule: f.polarity for f in narrative_findings(text, ON)}


@pytest.mark.parametrize(
    "text",
    [
        "Erin said 'the kids' were coming round - refers to her mates from the rugby club.",
        "Row about him going out with 'the kids from work' (his colleagues, all in their 20s).",
        "She keeps saying she misses the babies, meaning the dogs her ex took.",
        "He calls them his kids, i.e. the apprentices he supervises.",
    ],
)
def test_a_child_word_explained_as_adults_or_animals_is_not_a_child(text: str) -> None:
    found = rules(text)
    assert found.get("other_referent") == "negative", narrative_findings(text, ON)
    assert not blocks_screen_out(text)
    assert "other_referent" in AUDIT_ONLY_RULES  # it says nothing about who lives there


@pytest.mark.parametrize(
    "text",
    [
        "The kids - meaning her son (4) and daughter (6) - were upstairs.",
        "Her kids (his colleagues' children) were in the garden and saw it.",
        "The kids, meaning the two boys, were in the car.",
        "The dogs were barking and the kids were crying.",
        "The kids are the dogs' owners and were feeding them when he arrived.",
        "The dog is her kids' pet and they were walking it.",
    ],
)
def test_an_explanation_naming_children_or_their_things_keeps_them(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "IP states the 'kids' are their two Staffies.",
        "Cassie laughed and said the only kids they have are the two goats at her mum's farm.",
        "Jennifer calls the dogs her babies.",
        "she said the dog is basically there baby full stop",
        "Talks about her fur babies constantly.",
    ],
)
def test_animals_called_children_are_another_sense(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "Male said she was just being a child about it.",
        "V/S STATES H/B ACTING LIKE A 'SPOILT CHILD'.",
        "BF dressed as a giant baby for Halloween.",
        "She is a retired midwife who delivered hundreds of babies in her career.",
        "Eve works at a children's day nursery in town.",
        "Security at the baby store called police after the couple argued.",
    ],
)
def test_conduct_costumes_occupations_and_shops_are_other_senses(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "The baby was being sick all night.",
        "The children were acting up and crying when officers arrived.",
        "The baby was dressed in a sleepsuit.",
        "She delivered the baby at home last week.",
        "They were in the baby shop buying nappies for their son, 2 months.",
        "Bought a cot from the baby store for the baby due in March.",
    ],
)
def test_real_children_near_those_words_stay(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "Flat above has a family with young children; they were not disturbed.",
        "It's a child seat she keeps for her friends little boy.",
        "The nbrs kids were at school at the time.",
    ],
)
def test_children_of_neighbours_and_friends_are_not_parties_children(text: str) -> None:
    assert rules(text).get("non_party_child") == "negative", narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "The flat above is where her kids sleep.",
        "Her friends kids are staying with her this week and were present.",
    ],
)
def test_a_party_s_children_beside_those_words_still_count(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "CHILDREN <18: NONE.",
        "She said no, they have not been blessed with children.",
        "No current children.",
        "Argument about whether to have children.",
    ],
)
def test_more_forms_of_no_children(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "Argument about Martin taking the kids to his brother's without asking - 'the kids' are "
        "their two spaniels, Bramble and Fudge.",
        "Rosie calls the dog her baby and Adam threatened to 'get rid of the baby'.",
        "1425 'The kids' referred to by IP are the three cats. No human children on site.",
    ],
)
def test_the_explained_word_is_explained_wherever_it_stands(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "She calls the dog her baby. The baby was asleep upstairs in the cot.",
        "She said the dog is her baby and the kids' toys were everywhere.",
        "The 'kids' are the goats; her kids (4 and 7) were at school.",
    ],
)
def test_a_child_placed_or_owning_is_not_explained_away(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "Lucy said 'he's such a baby when he drinks'.",
        "'You're a child,' he shouted at her.",
        "She said he's a right big kid since his stroke.",
        "She said 'I have thirty kids all day, I don't need another one'.",
        "The couple are retired school teachers who 'taught hundreds of kids'.",
        "They have no children; she said 'the bairns at work are enough'.",
        "The children she teaches are in year 2.",
    ],
)
def test_a_party_called_a_child_and_the_children_of_their_work(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "He's a child, he's only 15.",
        "She's a baby, only 4 months old.",
        "There were 30 kids at the party in the house and they saw it all.",
        "IP 32 weeks.",  # a number before a word is not a crowd when it is a gestation
        "IP has DS, 16 - lives with S (father) since Jan.",
        "Her stepdaughter (S1's, 15) lives with them.",
        "Her kids at work with her today were in the back office and saw it.",
    ],
)
def test_children_beside_those_words_still_count(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "IP has grandchildren in Cork, Ireland - no contact for years, none visit.",
        "Grandchildren visit occasionally, at Christmas only, not present.",
        "She went to stay at her son's house.",
        "Her daughter's flat is in Leeds; she has gone there tonight.",
    ],
)
def test_relatives_who_do_not_visit_or_have_homes_of_their_own(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "Grandchildren stay every weekend.",
        "Her son's house is next door; her son (8) lives with her.",
        "Her son (8) was taken to his dad's house.",
        "Her daughter's school called about the incident.",
    ],
)
def test_relatives_who_visit_and_children_beside_homes_still_count(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


def test_a_witness_who_has_children_has_their_own() -> None:
    text = ("W1 has two young children, who were in bed in W1's own flat and did not see or hear "
            "anything.")
    assert not blocks_screen_out(text), narrative_findings(text, ON)
    assert blocks_screen_out("The caller has two kids who were at school at the time.")


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("IP was driving her sister's car, which has a child seat in the back for her sister's "
         "daughter, who was not with them.", False),
        ("She said the baby seat is in the back for when they have her niece; the niece wasn't "
         "with them.", False),
        ("The child seat is for her son (3), who lives with her.", True),
        ("There was a child seat in the back with her daughter in it.", True),
        ("The child seat is for her daughter.", True),
    ],
)
def test_a_car_seat_kept_for_a_relatives_child(text: str, blocks: bool) -> None:
    assert blocks_screen_out(text) == blocks, narrative_findings(text, ON)


def test_what_a_party_calls_the_kids_and_the_chavvies_of_a_site() -> None:
    calls = ('Drew keeps saying he will "take the kids", but there are not any kids, it is what '
             "Drew calls their two ferrets.")
    assert not blocks_screen_out(calls), narrative_findings(calls, ON)
    site = "She has her sister's three chavvies every weekend while the sister works."
    assert blocks_screen_out(site), narrative_findings(site, ON)

"""Session 5's grammar (issue 8), both directions: who lives there said outright ("the only other
occupant", "all occupants are adults"), adult ages said of all of a party's children, "any"
after a negated verb of seeing or having, "a child" under a negated "could", the council's
teams named for children, and numbers that are days of the month, grades or list items rather
than ages."""

from datetime import date

import pytest

from screening.analysis import analyse
from screening.narrative import narrative_findings
from tests.factories import notification
from tests.narrative_support import blocks_screen_out

ON = date(2026, 11, 20)


def rules(text: str) -> dict[str, str]:
    return {f.rule: f.polarity for f in narrative_findings(text, ON)}


@pytest.mark.parametrize(
    "text",
    [
        "Jake's 22-year-old sister is the only other person at home.",
        "Caller lives at home with them and is the only other occupant.",
        "No other occupants at the address.",
        "All three occupants of the house are in their sixties.",
        "All residents are adults.",
    ],
)
def test_who_lives_there_said_outright_is_a_statement(text: str) -> None:
    assert rules(text).get("lives_alone") == "negative", narrative_findings(text, ON)
    assert not blocks_screen_out(text)


@pytest.mark.parametrize(
    "text",
    [
        "She was the only adult in the house.",  # perhaps the one adult among children
        "No other adults were present.",
        "All occupants are in the house.",
    ],
)
def test_words_that_leave_room_for_a_child_are_not_statements(text: str) -> None:
    assert "lives_alone" not in rules(text)


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        ("Their kids are grown up, 20 and 23.", True),
        ("The couple's only son is 26.", True),
        ("The couple's three children, now aged 40 to 47, gave statements.", True),
        ("Her son (24) was present.", False),  # says nothing of any other child
        ("The neighbour's children are 20 and 22.", False),  # not a party's
    ],
)
def test_an_adult_age_said_of_all_of_them_speaks_of_the_household(
    text: str, statement: bool
) -> None:
    found = rules(text)
    assert found.get("adult_children" if statement else "adult_relative") == "negative", found
    assert not blocks_screen_out(text)


def test_adult_children_of_the_parties_are_not_silence() -> None:
    said = notification(narrative="Row over money. The couple's children are 31 and 34.",
                        children_present=None, children_in_household=None)
    alone = notification(narrative="Row over money. Her son (31) rang police.",
                         children_present=None, children_in_household=None)
    assert not analyse(said).silent
    assert analyse(alone).silent


@pytest.mark.parametrize(
    "text",
    [
        "He has lived there 2 years and has never seen any kids going in or out.",
        "Officers did not find any children at the address.",
        "No sign of any children in the flat.",
        "Thank god we've got no kids, I couldn't put a child through this.",
        "She would never bring a child into this.",
        "There's nothing for the children's hub here.",
        "Paula said she'd had enough of this man-child.",
    ],
)
def test_negations_hypotheticals_and_other_senses(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "I didn't know any kids were in the house.",  # a verb of knowing: the kids are real
        "Officers did not check whether any children were present.",
        "He couldn't see the children.",  # definite: real children
        "She could not calm a child who was screaming upstairs.",
        "She says she couldn't cope with a new baby and a toddler.",
        "The children's social worker was informed.",
        "He has never seen any other kids there apart from her son.",
    ],
)
def test_children_stay_found(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "E: wants her bag.\nGrade 3.",
        "V: caller is 44. Grade 3 - scheduled appointment, graded 2 for attendance.",
        "Engagement: good.\nGraded 2 - priority.",
        "On 4 Dec PC Holt wrote: female student alleges.",
        "A DAPO was granted. On 2 April the defendant was found in her garden.",
        "Charges: (1) assault (2) criminal damage.",
    ],
)
def test_days_grades_and_list_items_are_not_ages(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "Caller says Lily 4 and Tom 6 were upstairs.",
        "Children:\nLily 4 was asleep.",
        "Lily (4) was asleep.",
        "Grace 2 was in her cot.",  # not a sentence's first word
    ],
)
def test_named_children_with_ages_stay_found(text: str) -> None:
    assert any(f.polarity == "positive" for f in narrative_findings(text, ON)), text


def test_a_sign_of_a_child_is_answered_by_a_narrative_that_says_there_is_none() -> None:
    """ "A child seat in a car with no child" (the rule book): a car seat alone is for a person,
    but not when its own sentence says there is no child; a denial elsewhere contradicts the
    sign (a person reads it), and a child found anywhere still wins."""
    answered = "There is a child seat in the back but it was empty, no one else in the car."
    assert not blocks_screen_out(answered)
    assert rules(answered)["sign_without_child"] == "negative"
    assert blocks_screen_out("He won't give me the car seat back. No children present.")
    assert blocks_screen_out("There was a child seat in the car.")
    assert blocks_screen_out("Child seat in the car. The children were with their dad.")


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ('Marc keeps calling him a "little boy".', False),
        ('The only "kids" mentioned were the couple\'s cats.', False),
        ('Victim mentioned "my children" several times.', True),  # someone's children
        ('She said "the kids are upstairs".', True),  # speech, not a word named
        ('The "children" were in the car.', True),  # the ones meant, in scare quotes
    ],
)
def test_a_child_word_that_is_the_whole_quotation_is_a_word_named(text: str, child: bool) -> None:
    assert blocks_screen_out(text) == child, narrative_findings(text, ON)



@pytest.mark.parametrize(
    "text",
    [
        'Kids? "None. Don\'t like them."',
        'Childcare responsibilities: "No." Asked if anyone relied on him - no one.',
        'Childcare: "Nope."',
        "Under-18s whose interests are relevant: none identified.",
        "Under 18s: none relevant. Victim lives alone.",
        '"Any children?" - "No, none."',
        "Children present: Yes [ ] No [X]",
        "Children present: [ ] Yes [X] No",
        "Children: two adult daughters, 38 and 41.",
        "Children: the couple's two sons are 20 and 23.",
    ],
)
def test_a_forms_answers_in_the_persons_words_and_boxes(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "Children: No, they are with their dad.",  # the answer goes on about them
        'Children: "No, they are with their dad."',
        "Children present: No, they were at their nan's.",
        "Children present: Yes [X] No [ ]",  # the boxes follow their options: Yes is ticked
        "Children present: [X] Yes [ ] No",
        "Children: Lily and Tom.",
        "Children: two sons (20, 23) and a daughter (4).",
    ],
)
def test_answers_that_leave_a_child_are_not_negations(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("Neither she nor MERTON have children.", False),  # a surname in capitals
        ("KIDS ON SCENE Y/N: Y", True),  # a line of capitals is words, not names
        ("Referring to their now middle-aged children, all living away.", False),
        ('Anna said "we\'re not ready for kids and he knows it".', False),
        ("She is not ready for the children to come home.", True),
        ('Dependants / childcare responsibilities? "None, I don\'t have kids."', False),
    ],
)
def test_surnames_in_capitals_adult_words_and_wishes(text: str, child: bool) -> None:
    assert blocks_screen_out(text) == child, narrative_findings(text, ON)

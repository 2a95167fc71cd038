"""Session 7's grammar (issue 8), both directions: a control room's call handler ("CH asked")
is not the shorthand "ch" for children; an answer reported after a question in the same
sentence ("... any children: caller said no"); ages "all over 40"; a name called in quotes;
informal words for children and their things from other Englishes, pregnancy in other
languages; gestation written without its slash or after a quotation mark; children named only
by a pronoun, asleep through it."""

from datetime import date

import pytest

from screening.narrative import narrative_findings
from tests.narrative_support import blocks_screen_out

ON = date(2026, 11, 20)


def polarities(text: str) -> set[tuple[str | None, str]]:
    return {(f.category, f.polarity) for f in narrative_findings(text, ON)}


@pytest.mark.parametrize(
    "text",
    [
        "CH asked whether the caller has any children with the suspect: caller said no.",
        "CH asked if there are kids in that house - caller says 'no, they just have the dogs'.",
        "CH asked any children: 'no, thank god, we haven't got any'.",
        "Caller states husband has locked himself in the car. CH advised to stay inside.",
    ],
)
def test_the_call_handler_and_answers_reported_after_a_question(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "2 ch at the address.",
        "Ch x2 at addr.",
        "2 X CH PRESENT. CH ASKED FOR DAD.",  # all in capitals: "CH" is the shorthand
        "2 ch said dad hit mum.",
        "Asked if any kids at home, she said no one hit them.",  # not an answer
        "CH asked any children: caller said yes, two.",
    ],
)
def test_the_shorthand_and_unanswered_questions_still_count(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("Their children, all over 40, are being contacted.", False),
        ("Both sons are over 21 and live away.", False),
        ("Kids over 5 go to the school on the corner.", True),
    ],
)
def test_over_an_adult_age_is_an_adult(text: str, blocks: bool) -> None:
    assert blocks_screen_out(text) == blocks, narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "Heather described Neil as 'a big wean'.",
        "Alan sent texts calling her 'a child' and 'pathetic'.",
        "'The kids' Roy mentioned are his allotment chickens.",
        "The dog, a spaniel called Bairn, is the only other member of the household.",
        "Imogen stated: no children live here, nobody visits with children.",
    ],
)
def test_names_called_pets_and_denials(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "IP's sister drops off her two tots (3 and 5) most afternoons.",
        "The littlies were in bed.",
        "He kicked the stroller with the bub in it.",
        "Her 'kindy kid' Archie lives with them.",
        "Argument about who was doing nursery drop-off; he threw the changing bag at her.",
        "He said he'd be late for daycare pick up.",
        "Shona 34 40. Pushed against the kitchen counter.",
        "Shona 3440 Pushed against kitchen counter",
        "Kirsty says she is 'about 8 weeks, not told him yet'.",
        "Corey has a twoyearold from a previous relationship",
    ],
)
def test_more_words_and_forms_for_children_and_pregnancy(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize("text", ["Attended at 2340 hrs.", "PC 3440 attended.", "Arrived 2340."])
def test_times_and_collar_numbers_are_not_gestations(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


def test_children_named_only_by_a_pronoun_asleep_are_a_sign_for_a_person() -> None:
    text = ("She went to check on them and he followed her up the stairs shouting. She said they "
            "didn't wake up.")
    assert polarities(text) >= {("present", "uncertain")}
    assert not any(f.polarity == "negative" for f in narrative_findings(text, ON))
    # and a denial elsewhere contradicts it: still for a person, never screened out
    assert blocks_screen_out(text + " No children present.")


@pytest.mark.parametrize(
    "text",
    [
        "She said 'estou grávida' and showed officers the scan photo on the fridge.",
        "Interpreter: she is 'w ciąży', about four months.",
    ],
)
def test_pregnancy_in_the_words_of_households_speaking_other_languages(text: str) -> None:
    # Only pregnancy: a child word of another language stands as often in that language's own
    # denial ("bachay nahin hain", "carruur ma lihin"), which the grammar cannot read, and an
    # English gloss names the children anyway.
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ('Dependants? "Got two lads, 19 and 22, both working." No under-18s.', False),
        ('Dependants? "Two boys, 4 and 6."', True),
        ("Any children? Her son (25) lives in Leeds and her daughter (9) lives with her.", True),
    ],
)
def test_a_forms_question_answered_with_adults_only(text: str, blocks: bool) -> None:
    assert blocks_screen_out(text) == blocks, narrative_findings(text, ON)


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("IP was asked directly whether any children live at or visit the address - she said no.",
         False),
        ("Unsure whether any children live there, she said no idea.", True),
        ("There may be kids in the house, toys everywhere.", True),
    ],
)
def test_a_supposed_child_answered_in_its_sentence(text: str, blocks: bool) -> None:
    assert blocks_screen_out(text) == blocks, narrative_findings(text, ON)


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("Children: son (25), no others.", False),
        ("Children: son (25), daughter (9).", True),
        ("Children: none present, son (25), daughter (9).", True),
    ],
)
def test_a_fields_entry_of_adults_and_denials(text: str, blocks: bool) -> None:
    assert blocks_screen_out(text) == blocks, narrative_findings(text, ON)

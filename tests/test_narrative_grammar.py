"""The grammar of issue 8: spelling, ages, pregnancy, scope and the safety net, both directions."""

from datetime import date

import pytest

from screening.narrative import narrative_findings
from screening.screener import load_screener
from tests.factories import notification

ON = date(2026, 11, 20)


def polarities(text: str) -> set[tuple[str | None, str]]:
    return {(f.category, f.polarity) for f in narrative_findings(text, ON)}


def positive(text: str) -> bool:
    return any(p == "positive" for _, p in polarities(text))


def blocks_screen_out(text: str) -> bool:
    return any(p in ("positive", "uncertain") for _, p in polarities(text))


# --- spelling, both directions ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Her dauhgter (11) was in the lounge.",
        "The grandkds (7 and 9) stay every weekend.",
        "IP is preganant.",
        "The chidlren were asleep upstairs.",
        "Kdis were in the car.",
        "Her neice (9) was sleeping over.",
        "the bbay was in the cot",
        "she picked the abby up",
        "RP's 2 x juvs (5, 7) normally live w/ RP.",
        "the bairns were upstairs",
        "the weans were in their beds",
        "our kid (15) was in the lounge and saw it",
        "the babby was crying",
    ],
)
def test_misspelt_regional_and_shorthand_child_words_are_read_as_meant(text: str) -> None:
    assert positive(text), polarities(text)


@pytest.mark.parametrize(
    "text",
    [
        "She said he would be back soon.",
        "The sun was out when he left.",
        "There was laughter from the flat next door.",
        "He smashed a piece of the table.",
        "The cost of the damage is not known.",
        "He said he was only kidding.",
        "Sona was the caller and lives alone.",
        "He said 'come here baby' to IP.",
        "She did not want to bother the police.",
        "IP told Mister Khan, the landlord.",
        "IP said 'ro'n i'n disgwyl iddo fo symud ymlaen' (I expected him to move on).",
    ],
)
def test_ordinary_words_never_turn_into_children(text: str) -> None:
    assert not blocks_screen_out(text), polarities(text)


# --- one age grammar --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Her son (11) was upstairs.",
        "Her son, 11yo, was upstairs.",
        "Her son, an 11 yr old, was upstairs.",
        "Her eleven-year-old was upstairs.",
        "Her son aged eleven was upstairs.",
        "Her son DOB 02/03/2015 was upstairs.",
        "S2 (12) was arrested for assaulting his mother.",
        "The lad (14) was in the kitchen.",
        "IP's eldest (14) was in the kitchen.",
        "Her son was 13 in February 2023.",
        "Her son turns 18 next month.",
        "Her daughter Chloe who is seventeen lives with her.",
    ],
)
def test_an_age_under_18_on_any_person_is_a_child(text: str) -> None:
    assert positive(text), polarities(text)


@pytest.mark.parametrize(
    "text",
    [
        "Her son (18) was upstairs.",
        "Her daughter, 24, was present.",
        "Her son turned 18 last month and was present.",
        "Her daughter, who is nineteen, was in the lounge.",
        "Their three children are 22, 25 and 27.",
        "His daughter from his first marriage is 27 and lives in Colchester.",
        "2011 - verbal at the old address, kids present (then aged 8 and 10).",
    ],
)
def test_eighteen_and_over_is_an_adult_whatever_the_word(text: str) -> None:
    assert not blocks_screen_out(text), polarities(text)


# --- pregnancy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "IP is 24/40.",
        "IP states she is 24 weeks.",
        "Her baby is due in March.",
        "EDD 14/03.",
        "V in 2nd trimester.",
        "S1 punched her bump.",
        "She has an antenatal appointment on Monday.",
        "She has a 20-week scan booked.",
        "She is booked in with the midwife.",
        "She said 'I'm 18 wks'.",
    ],
)
def test_pregnancy_in_every_common_form(text: str) -> None:
    assert ("pregnancy", "positive") in polarities(text)


@pytest.mark.parametrize(
    "text",
    [
        "IP is not pregnant.",
        "Her pregnancy test came back negative.",
        "She had a miscarriage last year.",
        "She lost the baby in 2023.",
        "The suspect's sister, who is pregnant, lives in Woking.",
    ],
)
def test_negated_past_or_another_persons_pregnancy_is_not_one(text: str) -> None:
    assert ("pregnancy", "positive") not in polarities(text)


# --- scope ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Neither of them has children.",
        "Neither IP nor Dave has any children.",
        "When asked about children she said no.",
        "Q: Any children in household? A: N",
        "No children linked to either party on PNC.",
        "No one under 18 at the address.",
        "Both confirmed there are no signs of a child at the flat.",
        "Her adult son (25) lives nearby. No other children.",
        "The neighbour's son did not see or hear anything.",
        "She was abused as a child.",
        "He was acting like a child.",
        "Her kid leather jacket was cut up.",
        "IP works at a childrens charity shop.",
        "The woman next door, who has a young son, rang us.",
        "Jenna uses a baby monitor to listen out for her elderly father.",
        "2019 - verbal, IP's son (16) witnessed, he is now 20 and lives away.",
        "2018 - verbal argument, NFA, S1 aged 14 then.",
    ],
)
def test_negation_ownership_history_and_other_senses_resolve_a_mention(text: str) -> None:
    assert not blocks_screen_out(text), polarities(text)


@pytest.mark.parametrize(
    "text",
    [
        # another sense consumes only the words it means
        "S1 threw the child seat at her; the children were in the lounge.",
        # a negation reaches only what it negates
        "No injuries to the child, who was asleep upstairs.",
        # an organisation's name never takes a child who is there
        "She took the children home before police arrived.",
        # a contradiction is for a person: the positive stands
        "The children were asleep upstairs. No children present.",
        # a neighbour's child at the scene counts
        "The neighbour's daughter (12) saw the assault.",
        # a neighbour's children minded every morning visit regularly
        "IP minds her neighbours' two children (5 and 8) every morning.",
    ],
)
def test_scope_never_swallows_a_real_child(text: str) -> None:
    assert positive(text), polarities(text)


# --- the safety net ---------------------------------------------------------------------------


def test_an_unresolved_child_like_word_sends_the_notification_to_a_person() -> None:
    text = "IP assaulted by S1. The childrenzzz were elsewhere. S1 arrested."
    found = narrative_findings(text, ON)
    assert [(f.polarity, f.rule, f.text) for f in found] == [
        ("uncertain", "unresolved_child_word", "childrenzzz")
    ]
    result = load_screener().screen(notification(narrative=text))
    assert result.route == "triage_check"
    assert any(e.text == "childrenzzz" for e in result.evidence if e.source == "narrative")


# --- transcripts, acronyms and counts (the sixth unseen set's styles) --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[00:03:18] PC: any children stay here? IP: no, it's just me and him.",
        "[00:05:00] PC: any kids in the house? S1: naw. IP: no.",
        "[00:03:10] PC: any children living with you or visiting? IP: I've no weans.",
        "PC: are you pregnant at all? IP: God, no.",
        "Verbal DA. No offences. DAQ 8 yes.",
        "Household 2 adults. Couple childless.",
        "[00:01:20] S1 opens door: baby, baby, come on, tell them it was nothing.",
        "S1 told her to stop acting like a big wean.",
        # a capitalised word after a preposition is a place: "Balby" is not "babby"
        "IP is a teaching assistant at a primary school in Balby. IP has no children.",
        # a quote that is only the word, with a determiner: a name for pets or adults
        "IP describes their two rescue greyhounds as 'our babies'. No children.",
    ],
)
def test_answers_acronyms_counts_and_speech_are_not_children(text: str) -> None:
    assert not blocks_screen_out(text), polarities(text)


@pytest.mark.parametrize(
    "text",
    [
        # an answer that names no negation, or says it does not know, settles nothing
        "[00:03:18] PC: any children stay here? IP: I've no idea, ask him.",
        "[00:03:18] PC: any children stay here? IP: yes, my two.",
        # a bracket of ages after shorthand for children
        "UPDATE: IP 2 x ch (8, 11) removed to kinship care with maternal aunt.",
        # a surname in capitals beside a given name still takes its age
        "Other persons: Ellie BELL 12 was upstairs.",
        # a bare number is an age when the word before is a name, not a counted noun
        "Lacey 12 lives with IP.",
        # in a transcript, a child word that is not spoken to anyone is a child
        "[00:01:20] IP: baby was asleep in the cot.",
        "[00:02:00] IP: the baby is upstairs.",
        # a misspelling at a sentence's start, or after a determiner, is still read
        "Chidlren were upstairs.",
        "The Dauhgter (9) was asleep.",
    ],
)
def test_transcripts_and_capitals_never_swallow_a_real_child(text: str) -> None:
    assert blocks_screen_out(text), polarities(text)


def _with_son(narrative: str, son_age: int, role: str = "suspect"):
    return notification(
        narrative=narrative,
        people=[
            {"role": "victim", "given_name": "Joan", "family_name": "Reed", "age": 74},
            {"role": role, "given_name": "Neil", "family_name": "Reed", "age": son_age,
             "relationship_to_victim": "son"},
        ],
    )


def test_a_kinship_word_takes_the_age_of_the_listed_party_it_names() -> None:
    from screening.analysis import analyse

    def unresolved(n) -> bool:
        return any(f.polarity in ("positive", "uncertain") for f in analyse(n).findings)

    # the victim's only listed son is the suspect, aged 49: "Son" and "IP's son" are him
    assert not unresolved(_with_son("Son pushed his mother into a chair.", 49))
    assert not unresolved(_with_son("IP's son shouted at her over money.", 49))
    # a child listed as the son stays a child; another son is not the listed one
    assert unresolved(_with_son("Son pushed his mother into a chair.", 15))
    assert unresolved(_with_son("Her other son was upstairs.", 49))
    assert unresolved(_with_son("His son was upstairs.", 49))


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        ("IP: I've got a son but he's thirty-odd, he lives in Aberdeen.", True),
        ("Ian MOLLISON said to me 'It's a family matter, son.'", True),
        # a tag needs the comma and the end of the speech: a son spoken to stays a son
        ("She shouted 'Son, go upstairs' and he went.", False),
        ("IP said 'my son is upstairs'.", False),
    ],
)
def test_at_least_ages_and_tags_of_address(text: str, settled: bool) -> None:
    assert blocks_screen_out(text) is not settled, polarities(text)


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        # records-system fields run together, leader dots, composition codes
        ("OCC=DOMESTIC;LOC=6 CEDAR GROVE;CHILD_PRES=N;CHILD_HH=N;KIDS=none;SUMMARY=arg", True),
        ("CHILDREN...........: NONE KNOWN\nCHILDREN IN HH.....: N", True),
        ("Household: 2A/0C. Verbal argument.", True),
        ("LOC=6 CEDAR GROVE;HH_COMP=2A 3C;SUMMARY=arg v & s;CHILD_PRES=N;CHILD_HH=N", False),
        ("CHILDREN...........: 2 (4, 7)\nCHILDREN IN HH.....: Y", False),
    ],
)
def test_records_system_exports(text: str, settled: bool) -> None:
    assert blocks_screen_out(text) is not settled, polarities(text)


def categories_of(text: str) -> set[str]:
    return {f.category for f in narrative_findings(text, ON) if f.polarity == "positive"
            and f.category}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the wrong highlights a duty worker saw (issue 9): a surname, a sister, foster care
        ("Ms Child said he hit her.", set()),
        ("Mr Baby left before police arrived.", set()),
        ("Her two children are in foster care.", {"child_of_party"}),
        ("Her two children live with foster carers in Derby.", {"child_of_party"}),
        ("IP and S1 are approved foster carers.", {"regular_visitor"}),
        ("Her offspring, aged between four and twelve, are subject to care orders.",
         {"child_of_party"}),
    ],
)
def test_categories_come_from_what_the_words_mean(text: str, expected: set[str]) -> None:
    assert categories_of(text) == expected, polarities(text)


def test_a_sister_is_ruled_out_as_an_adult_sibling_not_as_someone_elses_child() -> None:
    rules = {f.rule for f in narrative_findings("Her sister Amy came round.", ON)}
    assert rules == {"adult_sibling"}

"""The narrative findings engine (screening/narrative/findings.py), one test group per rule family.

Every sentence here is written for these tests. Each check asserts the category, the polarity
and the text the span points at (and that the span really is that text).
"""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.findings import Finding
from screening.narrative import AUDIT_ONLY_RULES, narrative_findings

ON = date(2026, 3, 1)


def findings(text: str) -> list[Finding]:
    found = narrative_findings(text, ON)
    for f in found:
        assert f.source == "narrative"
        assert f.start is not None and f.end is not None
        assert text[f.start : f.end] == f.text
    return found


def summary(text: str) -> set[tuple[str | None, str, str]]:
    """(category, polarity, span text) of every finding."""
    return {(f.category, f.polarity, f.text) for f in findings(text)}


def involved(text: str) -> bool:
    return any(f.polarity in ("positive", "uncertain") for f in findings(text))


# --- ages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Her son (6) was asleep upstairs when S1 came in.", "son (6)"),
        ("IP's daughter, aged 3, was on the settee.", "daughter, aged 3"),
        ("Her little boy, who is seven, saw S1 punch the door.", "little boy, who is seven"),
        ("Their boy is fourteen and was in his room.", "Their boy is fourteen"),
        ("The baby, 19 months old, was in her cot.", "baby, 19 months old"),
        ("Her son 4yrs was in the bath at the time.", "son 4yrs"),
        ("Her daughter 6 y/o was in bed.", "daughter 6 y/o"),
    ],
)
def test_child_with_age_at_the_scene_is_present(text: str, span: str) -> None:
    assert ("present", "positive", span) in summary(text)


def test_age_on_a_name() -> None:
    text = "Rosie, 5, was watching TV in the lounge while Jack (8) hid upstairs."
    found = summary(text)
    assert ("present", "positive", "Rosie, 5") in found
    assert ("present", "positive", "Jack (8)") in found
    assert {f.rule for f in findings(text)} == {"named_child_with_age"}


def test_date_of_birth_converted_on_the_day() -> None:
    text = "Ellie DOB 01/02/2019 lives at the address with IP."
    assert ("household", "positive", "Ellie DOB 01/02/2019") in summary(text)
    adult = "Liam DOB 01/02/1999 lives at the address with IP."
    assert not involved(adult)


def test_age_list_and_standalone_ages() -> None:
    text = "IP has 3 kids aged 1, 4 and 9 who all live with her."
    assert ("household", "positive", "kids aged 1, 4 and 9") in summary(text)
    text = "The couple have a two-year-old who was at the childminder's."
    assert ("household", "positive", "two-year-old") in summary(text)


def test_seventeen_counts_and_eighteen_does_not() -> None:
    found_17 = summary("Her son is aged 17 and lives with her.")
    assert ("household", "positive", "son is aged 17") in found_17
    found = findings("Her son is aged 18 and lives with her.")
    assert [(f.polarity, f.rule) for f in found] == [("negative", "adult_relative")]


def test_scores_and_durations_are_not_ages() -> None:
    assert findings("DASH - High (15). MARAC referral made.") == []
    assert findings("Her partner (4 months) was arrested; IP (24) declined a DASH.") == []


# --- minor-only words, school and baby signals ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category", "span"),
    [
        ("The kids were asleep in their beds.", "present", "kids"),
        ("A toddler was crying in the hallway.", "present", "toddler"),
        ("IP lives with her two little ones.", "household", "little ones"),
        ("The twins were at nursery at the time.", "household", "The twins"),
        ("School to be informed via Operation Encompass.", "household", "Operation Encompass"),
        ("IP was on the school run when S1 rang.", "household", "school run"),
        ("IP asked officers to leave before the baby woke up.", "present", "baby"),
    ],
)
def test_minor_only_words(text: str, category: str, span: str) -> None:
    assert (category, "positive", span) in summary(text)


# --- kinship -----------------------------------------------------------------------------


def test_kinship_without_age_is_uncertain() -> None:
    found = summary("Her son was in the kitchen when it started.")
    assert ("present", "uncertain", "son") in found
    assert all(p == "uncertain" for _, p, _ in found)


def test_kinship_with_a_minor_cue_is_positive() -> None:
    text = "Their daughter is in Year 8 and lives with them."
    assert ("household", "positive", "daughter") in summary(text)
    text = "Her lad had gone to school early; he lives with IP."
    assert ("household", "positive", "Her lad") in summary(text)


def test_kinship_takes_the_age_given_elsewhere_in_the_narrative() -> None:
    text = "Her son (9) lives with her. The boy was at football at the time."
    assert ("household", "positive", "The boy") in summary(text)


def test_victim_called_daughter_by_her_mother_is_not_a_child_of_the_parties() -> None:
    text = "The victim's mother phoned to say her daughter was locked in the flat."
    found = findings(text)
    assert [(f.category, f.polarity, f.text) for f in found] == [
        ("young_party", "uncertain", "daughter")
    ]


# --- adults ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "all_of_them"),
    [
        ("Her adult son was present throughout.", "adult son", False),
        ("Their son (18) was present throughout.", "son (18)", False),
        ("Her daughter (21) made the call.", "daughter (21)", False),
        ("Both adult children (20, 23) were present.", "adult children (20, 23)", True),
        ("Her son S1 (35) has lived with her since his divorce.", "son S1 (35)", False),
        ("Their daughter is at university in Leeds.", "daughter is at university", False),
        ("His grown-up children live nearby.", "grown-up children", True),
    ],
)
def test_adult_relatives_do_not_count(text: str, span: str, all_of_them: bool) -> None:
    """One adult son is kept for audit only (there may be other children); an adult age said
    of all of them ("both adult children") says something about children: not silence."""
    found = findings(text)
    assert [(f.category, f.polarity, f.text) for f in found] == [(None, "negative", span)]
    assert (found[0].rule not in AUDIT_ONLY_RULES) == all_of_them
    assert (found[0].rule == "adult_children") == all_of_them


def test_bare_mention_after_adults_refers_to_them() -> None:
    text = "Their children are now adults (26 and 29). The children rarely visit."
    found = findings(text)
    assert {f.polarity for f in found} == {"negative"}
    assert {f.rule for f in found} == {"adult_children", "adult_anaphora"}


# --- negation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("No children at the address.", "No children"),
        ("Nil children.", "Nil children"),
        ("Children: none.", "Children: none"),
        ("IP does not have any children.", "not have any children"),
        ("The couple have no kids.", "no kids"),
        ("Neither of them has ever had children.", "Neither of them has ever had children"),
        ("They do not have children together or separately.", "not have children"),
        ("She was unable to have children.", "unable to have children"),
    ],
)
def test_negated_children(text: str, span: str) -> None:
    found = findings(text)
    assert [(f.polarity, f.rule, f.text) for f in found] == [("negative", "negated_children", span)]


def test_no_other_children_is_not_a_negation_of_the_child_before_it() -> None:
    text = "His son (7) lives with his mum in Hull. No other children live at the address."
    found = summary(text)
    assert ("child_of_party", "positive", "son (7)") in found
    # "other" refers to the son: it denies further children, never the son himself
    assert ("household", "negative", "No other children") in found


def test_no_other_children_with_nobody_before_it_implies_a_child() -> None:
    assert summary("No other children live at the address.") == {
        ("household", "uncertain", "No other children")
    }
    found = summary("Her adult son (25) lives nearby. No other children.")
    assert ("household", "negative", "No other children") in found
    assert not any(p in ("positive", "uncertain") for _, p, _ in found)


def test_negation_stops_at_but_and_does_not_reach_past_other_words() -> None:
    text = "IP has no children with S1 but has a daughter (5) from a previous relationship."
    found = summary(text)
    assert (None, "negative", "no children") in found
    assert ("child_of_party", "positive", "daughter (5)") in found
    text = "There were no marks on the baby when officers checked him in his cot."
    assert ("present", "positive", "baby") in summary(text)


# --- history -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("S1 was in care as a child.", "as a child"),
        ("IP has known him since they were kids.", "since they were kids"),
        ("She lived with her aunt when her daughter was little.", "when her daughter was little"),
    ],
)
def test_childhood_and_the_past(text: str, span: str) -> None:
    found = findings(text)
    assert [(f.polarity, f.rule, f.text) for f in found] == [
        ("negative", "historical_childhood", span)
    ]


def test_childhood_words_alone_give_nothing() -> None:
    assert findings("When she was little her father was violent to her mother.") == []
    assert findings("He blames his childhood for his temper.") == []


# --- other senses ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "S1 told her she was being childish.",
        "He said he was only kidding about the car.",
        "The texts said 'babe I'm sorry'.",
        "The spaniel, Baby, was barking. Baby was shut in the kitchen.",
        "Officers treated him with kid gloves.",
        "She wants children one day but not with him.",
    ],
)
def test_other_senses_give_nothing(text: str) -> None:
    assert findings(text) == []


def test_a_child_seat_is_a_sign_for_a_person_not_a_finding() -> None:
    """A car seat says a child may ride in that car: never a positive on its own, never
    ignored either (a mother's online report: "he wont give me the car seat back ... i had to put
    her in the back without it"); the rule book's "child seat in a car with no child" is for
    the narrative to show, and a person to read."""
    for text in ("There was an empty child seat in the back of the car.",
                 "He won't give me the car seat back."):
        assert {f.polarity for f in findings(text)} == {"uncertain"}
    assert findings("No child seat in the car.")[0].polarity == "negative"


def test_child_of_a_non_party() -> None:
    found = findings("Her neighbour's son gave S1 a lift to the pub earlier.")
    assert [(f.polarity, f.rule) for f in found] == [("negative", "non_party_child")]
    text = "A friend's daughter witnessed the assault from the kitchen."
    assert summary(text) == {("present", "uncertain", "daughter")}  # she saw it: a person looks


# --- pregnancy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("IP 30/40, scan booked for next week.", "30/40"),
        ("Victim is 16 weeks pregnant.", "weeks pregnant"),
        ("She is 12 weeks gone and feeling unwell.", "weeks gone"),
        ("She told him she was expecting.", "she was expecting"),
        ("The community midwife will be told.", "midwife"),
        ("She has an antenatal appointment tomorrow.", "antenatal"),
    ],
)
def test_pregnancy(text: str, span: str) -> None:
    assert ("pregnancy", "positive", span) in summary(text)


def test_pregnancy_negated_and_maybe() -> None:
    assert summary("IP not pregnant.") == {("pregnancy", "negative", "not pregnant")}
    assert summary("Pregnant: no.") == {("pregnancy", "negative", "Pregnant: no")}
    assert summary("She thinks she may be pregnant.") == {
        ("pregnancy", "uncertain", "thinks she may be pregnant")
    }


# --- categories ------------------------------------------------------------------------------


def test_household_when_away_for_the_night() -> None:
    text = "The kids were at their nan's for the night - they normally live with IP."
    assert summary(text) == {("household", "positive", "kids")}


def test_child_of_party_living_elsewhere() -> None:
    text = "S1 has a son (3) who lives with his mother in Derby; contact every other Saturday."
    assert summary(text) == {("child_of_party", "positive", "son (3)")}
    assert ("child_of_party", "positive", "children") in summary(
        "IP's children are in foster care."
    )


def test_regular_visitors() -> None:
    text = "Her grandchildren (6 and 9) stay over every weekend."
    assert summary(text) == {("regular_visitor", "positive", "grandchildren (6 and 9)")}
    assert summary("IP child-minds at home on weekdays.") == {
        ("regular_visitor", "positive", "child-minds")
    }


def test_relatives_with_no_link_to_the_address_do_not_count() -> None:
    found = findings("The couple live alone; her nephew in Kent phones weekly.")
    assert {(f.polarity, f.rule) for f in found} == {
        ("negative", "lives_alone"),
        ("negative", "non_party_child"),
    }


def test_young_party() -> None:
    assert ("young_party", "positive", "she is fifteen") in summary(
        "The victim said she is fifteen and her boyfriend is 19."
    )
    assert ("young_party", "positive", "as a juvenile") in summary(
        "S1 was dealt with as a juvenile at the station."
    )
    assert ("young_party", "positive", "IP (16)") in summary("IP (16) reports S1 hit her.")


def test_findings_are_stable_and_spans_ordered() -> None:
    text = "Her son (6) was asleep upstairs. No injuries. Her daughter (19) was out."
    first, second = findings(text), findings(text)
    assert first == second
    assert all(f.start < f.end for f in first)


# --- robustness -------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "her",
        "son",
        "(4)",
        "aged",
        "17",
        "no",
        "children",
        "DOB",
        "31/02/2019",
        "İ",
        "ß",
        "baby",
        "-",
        ";",
        "is",
        "seven",
        "not",
        "pregnant",
        ":",
        "none",
        "Baby",
        "dog",
        ",",
        "as",
        "a",
        "child",
        "24/40",
        "adult",
        "S1",
        "(",
        ")",
        "x",
        "\n",
        "who",
        "the",
        "kids",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(_WORDS, max_size=40).map(" ".join)))
def test_any_text_gives_well_formed_findings(text: str) -> None:
    for f in findings(text):  # findings() checks every span against the text
        assert f.polarity in ("positive", "negative", "uncertain")
        assert f.category in (
            None,
            "present",
            "household",
            "pregnancy",
            "child_of_party",
            "young_party",
            "regular_visitor",
        )


def test_relatives_at_the_scene_or_staying_regularly_count() -> None:
    present = summary("Her niece Amira (8) was there for the weekend and was in the back "
                      "bedroom during the argument.")
    assert ("present", "positive", "niece Amira (8)") in present
    assert ("regular_visitor", "positive", "6-yr-old grandson") in summary(
        "IP has his 6-yr-old grandson overnight every week while his mum works nights.")
    young_unplaced = findings("IP's grandson (5) phoned her on Sunday.")
    assert [(f.polarity, f.rule) for f in young_unplaced] == [
        ("uncertain", "relative_child_unplaced")]


def test_a_non_party_child_who_did_not_witness_does_not_count() -> None:
    found = findings("The neighbour's son (9) was playing in the next-door garden and did not "
                     "witness anything.")
    assert [(f.polarity, f.rule) for f in found] == [("negative", "non_party_child")]


def test_past_pregnancies_do_not_count() -> None:
    assert summary("She lost a pregnancy last year.") == set()
    assert ("pregnancy", "positive", "weeks pregnant") in summary("She is 20 weeks pregnant.")


def test_neither_party_has_children_is_a_negation() -> None:
    found = findings("Neither party has children.")
    assert [(f.polarity, f.rule) for f in found] == [("negative", "negated_children")]


def test_an_age_before_a_kinship_word_belongs_to_the_child_not_the_party() -> None:
    found = summary("IP's 15yo son was present and tried to stop S1.")
    assert ("present", "positive", "15yo son") in found
    assert not any(category == "young_party" for category, _, _ in found)


def test_a_gestation_in_weeks_is_a_pregnancy_not_a_party_age() -> None:
    found = findings("IP is 34 weeks and due any day.")
    assert [(f.category, f.polarity) for f in found] == [("pregnancy", "positive")]


def test_an_undisclosed_household_goes_to_a_person() -> None:
    for text in ("IP refused to say whether any children live at the address.",
                 "Unknown if any children at address."):
        found = findings(text)
        assert found and {(f.polarity, f.rule) for f in found} == {("uncertain", "hypothetical")}


def test_the_couples_child_is_the_parties_child() -> None:
    assert ("household", "positive", "2-year-old") in summary(
        "The couple's 2-year-old was at nursery.")


def test_care_of_a_young_relative_is_household() -> None:
    assert ("household", "positive", "granddaughter (11)") in summary(
        "IP has custody of her granddaughter (11) under an SGO.")


def test_a_quoted_term_of_address_is_not_a_child() -> None:
    assert findings("S1 kept calling IP 'babe' and 'baby' on the phone.") == []


def test_a_parent_of_unknown_children_goes_to_a_person() -> None:
    assert [(f.polarity, f.rule) for f in findings("IP is a mum of three.")] == [
        ("uncertain", "kinship_age_unknown")]


def test_terms_of_address_are_not_children_but_a_quoted_child_is() -> None:
    for text in ("S1 kept calling her 'babe' and saying 'come on baby, don't be like that'.",
                 "A neighbour heard a woman shouting 'Baby come here!' at a man.",
                 "She calls her babe and baby all the time."):
        assert findings(text) == [], text
    for text in ("IP shouted 'get off, the baby is upstairs!' at S1.",
                 "IP said the baby was asleep upstairs."):
        assert ("present", "positive") in {(f.category, f.polarity) for f in findings(text)}


def test_police_abbreviations_for_relatives_reach_a_person() -> None:
    found = findings("S1 objects to IP minding S1's gdtr (Mia, 4) on Mondays.")
    assert found and all(f.polarity in ("positive", "uncertain") for f in found)


def test_a_child_under_a_court_order_is_a_child() -> None:
    found = summary("Their son, Leo, was taken into care at birth and is placed with his "
                    "grandmother under an interim care order.")
    assert ("child_of_party", "positive", "son") in found


def test_a_neighbours_child_counts_only_if_they_witnessed() -> None:
    assert [f.polarity for f in findings(
        "The neighbour's 12-year-old daughter was in her bedroom next door and did not see "
        "anything.")] == ["negative"]
    assert [f.polarity for f in findings(
        "The neighbour's children were playing in the close but did not see or hear anything."
    )] == ["negative"]
    assert ("present", "positive") in {(f.category, f.polarity) for f in findings(
        "The neighbour's children saw S1 hit IP in the street.")}


def test_adults_by_decade_and_chosen_childlessness() -> None:
    assert [f.rule for f in findings("Their boys are both in their twenties.")] == [
        "adult_children"]
    assert findings("His family keep asking when they are going to have kids.") == []


def test_things_only_a_young_child_uses_are_a_child() -> None:
    assert ("present", "positive", "high chair") in summary(
        "IP said Zac was in his high chair in the kitchen and started crying.")
    assert ("household", "positive", "nappy") in summary(
        "She was changing a nappy when he came in shouting.")
    assert [f.polarity for f in findings("There is no cot at the address.")] == ["negative"]


def test_overlapping_cues_of_different_kinds_all_count() -> None:
    assert ("child_of_party", "positive", "children") in summary(
        "IP's children are in foster care.")
    assert summary("S1 has a son (3) who lives with his mother in Derby.") == {
        ("child_of_party", "positive", "son (3)")}


def test_a_pregnancy_said_as_expecting_or_a_booked_scan() -> None:
    assert ("pregnancy", "positive") in {(f.category, f.polarity) for f in findings(
        "IP says she is expecting and only found out last week.")}
    assert ("pregnancy", "positive") in {(f.category, f.polarity) for f in findings(
        "IP stated she has a scan booked for Tuesday.")}
    assert findings("S1 was expecting IP to cook his tea.") == []


def test_police_shorthand_for_children_and_young_people() -> None:
    assert ("household", "positive", "CYP") in summary("x2 CYP at address.")
    assert ("present", "positive", "CYP") in summary("CYP present: Y.")
    for text in ("No CYP.", "CYP: none.", "Tick: no children."):
        assert [f.polarity for f in findings(text)] == ["negative"], text


def test_young_siblings_of_a_party_count_and_adult_ones_do_not() -> None:
    assert ("present", "positive", "little sister (14)") in summary(
        "IP's little sister (14) was present.")
    assert ("household", "positive", "younger brother, 16") in summary(
        "IP's younger brother, 16, lives at the address.")
    assert all(f.polarity == "negative" for f in findings("Her sister Kerry answered the door."))


def test_a_partys_possessive_before_an_age_is_their_child() -> None:
    found = summary("IP's 3 yo was asleep.")
    assert ("present", "positive", "IP's 3 yo") in found
    assert not any(category == "young_party" for category, _, _ in found)


def test_young_people_in_police_words() -> None:
    for text in ("Juvenile present at scene.", "The YP was upstairs.",
                 "Young person (15) present.", "2 x minors at address."):
        assert any(f.polarity == "positive" for f in findings(text)), text
    assert [f.polarity for f in findings("No one else at address.")] == ["negative"]

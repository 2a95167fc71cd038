"""Session 4's grammar (issue 8), both directions: more age forms (an age "of 20", ", now 30,",
"being 24", "both 40s", "his 18th birthday", "(25, her son)"), a list of ages shared by
coordinated kin, a part taking the age of its whole, in-law words, pregnancy as "having a
baby" and "about 14 weeks", numbered form items answered "N", answers that stand alone, and a
modifier for things that does not reach people."""

from datetime import date

import pytest

from screening.narrative import narrative_findings
from screening.screener import load_screener
from tests.factories import notification

ON = date(2026, 11, 20)


def polarities(text: str) -> set[str]:
    return {f.polarity for f in narrative_findings(text, ON)}


def blocks_screen_out(text: str) -> bool:
    return bool(polarities(text) & {"positive", "uncertain"})


@pytest.mark.parametrize(
    "text",
    [
        "S1 has two from that marriage, a son and a daughter now aged 27 and 25, in England.",
        "Her two are grown up - a daughter of 20 and a son of 23, both living in Dublin.",
        "IP has a son, now 30, who lives in Manchester.",
        "The couple's son Ethan, who celebrated his 18th birthday a fortnight ago, rang police.",
        "The youngest of the couple's offspring attained the age of eighteen years this month.",
        "SUSPECT REL: SON-IN-LAW (52).",
        "Son & dtr both 40s, live in England.",
        "The daughter is nineteen and the son's twenty one.",
        "V states the lad (25, her son) pulled S1 off her.",
        "Her daughter being 24 and married, she lives alone.",
        "Q9 had a baby in last 18 months? N. Q10 any children? N.",
        "9. pregnant or had a baby in last 18 months - no 10. escalation - no",
        "Q10 children/dependants - N. Q11 - N.",
        "Dependants: none under 18.",
    ],
)
def test_adults_and_answered_questions_are_not_children(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "A son and a daughter aged 7 and 25 live with IP.",
        "IP has a son, now 13, who lives with her.",
        "The youngest of her children is 4.",
        "Her son's 15 and lives with her.",
        "The boy, who celebrated his 9th birthday last week, was upstairs.",
        "Her daughter (6, at nursery) lives with IP.",
        "Becca told staff she is 'having Tom's baby'.",
        "Staff state she is about 14 weeks.",
        "Q9 pregnant/recent baby: Y 20 weeks.",
        "Q10 children - Y, two, 3 and 7.",
        "2. Son - no injuries, was asleep upstairs.",  # "no injuries" answers nothing
        "Kids are his from before and they live with their mum, he has them alternate Sundays.",
        "She said 'Tom's baby is asleep'.",
    ],
)
def test_children_stay_found(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


def test_a_term_of_address_in_quotes_is_still_no_child() -> None:
    assert not blocks_screen_out("He said 'come on baby, calm down' and left.")


def test_a_listed_witness_names_the_relation_the_narrative_uses() -> None:
    """ "the couple's daughter" is the listed witness whose relationship is daughter, aged 20."""
    base = notification(
        narrative="Police were called by the couple's daughter, who saw her dad push her mum.",
        people=[
            {"role": "victim", "age": 51},
            {"role": "suspect", "age": 54, "relationship_to_victim": "husband"},
            {"role": "witness", "age": 20, "relationship_to_victim": "daughter"},
        ],
        children_present=None,
        children_in_household=None,
    )
    result = load_screener().screen(base)
    assert not any(
        e.polarity in ("positive", "uncertain") and e.source == "narrative" for e in result.evidence
    )
    young = base.model_copy(
        update={"people": [base.people[0], base.people[1], base.people[2].model_copy(
            update={"age": 15})]}
    )
    assert load_screener().screen(young).route == "duty_review"


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("Dominic called Aaron a spoilt child and threw his phone.", False),
        ("She called him a baby in front of his friends.", False),
        ("He called a child over to him.", True),
        ("IP called 999, a child was crying.", True),
    ],
)
def test_a_name_called_is_not_a_child(text: str, child: bool) -> None:
    assert blocks_screen_out(text) is child


def test_a_report_after_a_call_keeps_its_child() -> None:
    assert blocks_screen_out("She called Dad a child was hurt next door and he came round.")


@pytest.mark.parametrize(
    "text",
    [
        "Her son lives with his father who is 45.",
        "Her son lives with the suspect who is 45.",
        "Her daughter was with her boyfriend, who is 19.",
        "Her son was there with Mike who is 40.",
        "Her son and Dave (45) were in the car.",
    ],
)
def test_an_adult_age_of_another_person_is_not_the_childs(text: str) -> None:
    """The age in a clause about the next person along is that person's: the son's age stays
    unknown, so the notification is not screened out."""
    assert blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("Only adults present. S1 arrested.", False),
        ("Just the two of them and the dog at the flat.", False),
        ("Only the two of them live here.", False),
        ("Just the two of them, and her son (4) asleep upstairs.", True),
    ],
)
def test_a_household_of_adults_only_is_a_statement(text: str, child: bool) -> None:
    found = polarities(text)
    assert ("positive" in found) is child and "negative" in found


def test_a_blank_form_field_says_nothing() -> None:
    """ "Children present: -" on its own line is a field not filled in: silence, not a child and
    not a doubt; the narrative's own statement then decides ("Couple, no children")."""
    blank = "Children present: -\nChildren in household: -\nVictim pregnant: -\nAccount: Verbal."
    assert narrative_findings(blank, ON) == []
    stated = blank.replace("Account: Verbal.", "Summary: Couple, no children. Verbal.")
    assert polarities(stated) == {"negative"}
    assert blocks_screen_out("Children present: - see below\nkids upstairs asleep")
    assert blocks_screen_out("Children present: -\nChildren resident: Y (2)\n")


def test_a_blank_form_is_silence_and_silence_is_not_screened_out() -> None:
    silent = notification(
        narrative="Children present: -\nChildren resident: -\nAccount: Couple argued. No assault.",
        people=[{"role": "victim", "age": 40}, {"role": "suspect", "age": 41}],
        children_present=None,
        children_in_household=None,
        victim_pregnant=None,
    )
    assert load_screener().screen(silent).route == "triage_check"


@pytest.mark.parametrize(
    "text",
    [
        "CALL RSN: brothers fighting KIDS ON SCENE Y/N: N DEPENDANTS: 0 DRINK/DRUGS: both intox",
        "[INC CAT] DOM-NONCRIME [RISK] STD [CH] 0 [PREG] N [NOTES] wife threw a drink.",
        "Occurrence: DA Std Kids on scene: N Kids in hh: N NOTES: young couple",
        "Incident type ....... DA Kids present ........ N Pregnant ............ N/A Details .....",
        "Handheld: DA-VERB / Kids N / Preg n/a / notes: row over drinking.",
        "HH box: juvs N / dependants 0. Narrative: verbal only.",
        "HH: TYPE DA-V / U18 0 / PREG 0 / TXT: argued",
        "Children present: [ ] Yes [x] No\nChildren resident: [ ] Yes [x] No",
        "He did a breath test and it was positive.",
    ],
)
def test_code_boxes_answered_no_are_negations(text: str) -> None:
    assert not blocks_screen_out(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "Handheld: DA / Kids 2 / Preg N",
        "KIDS ON SCENE Y/N: Y",
        "Under 18s present: [ ] Yes [x] No\nUnder 18s resident: [ ] Yes [ ] No\nComments: hit.",
        "Q3 Dependants (Y/N, ages): Y 3, 6, 11 Q4 Anyone pregnant: no Q5 Action: S left.",
        "IP has DS, 16 - lives with S (father) since Jan.",
        "IP has DD (9) at home.",
        "I was late for drop off at breakfast club.",
        "She had to get to the primary school for 3.15.",
        "did a test on monday and its positive, i havent told him yet.",
        "I'm 7 month gone and he knows that.",
        "IP looks after them after school. Ages given as 5 and 8.",
        "The baby's dad keeps coming round. Children: none.",
        "My two were upstairs asleep and slept through it.",
        "I'm on maternity leave. Children: none.",
        "Daughter's own kids are with their dad in Luton, long term.",
        "Persons in household:\n  Ayaan UDDIN     14/09/2009\nCircumstances: verbal.",
        "2. Son - No injuries",
    ],
)
def test_indirect_children_stay_found(text: str) -> None:
    assert blocks_screen_out(text), narrative_findings(text, ON)


def test_ds_alone_is_a_detective_sergeant() -> None:
    assert narrative_findings("DS 1234 Patel attended and spoke to IP.", ON) == []
    assert narrative_findings("DS Patel spoke to IP.", ON) == []


def test_a_count_of_none_is_not_an_age() -> None:
    assert not blocks_screen_out("Dependants 0. Verbal only.")


def test_an_anchored_form_does_not_read_its_window_end_as_the_texts_end() -> None:
    """A date read in a window cut short by another date's window: "On 30/10/2025 S1 attended"
    is an event, not a date of birth ending a line."""
    text = ("IP's husband died in 09/2025 and S1 disputes the will. On 30/10/2025 S1 attended the "
            "house. IP lives alone and has no children of her own.")
    assert not blocks_screen_out(text), narrative_findings(text, ON)

"""Session 7's pregnancy grammar (issue 8), both directions: a pregnancy the suspect alleges is
uncertain until her own denial answers it anywhere after; a pregnancy that has ended is the
past; a negative test a night ago; a sister's pregnancy in brackets."""

from datetime import date

import pytest

from screening.narrative import narrative_findings

ON = date(2026, 11, 20)


def pregnancy(text: str) -> set[str]:
    return {f.polarity for f in narrative_findings(text, ON) if f.category == "pregnancy"}


@pytest.mark.parametrize(
    "text",
    [
        "He sent a voice note accusing her of being pregnant 'tae some other guy'. The complainer "
        "was very clear that she is not pregnant.",
        "S claims V 'is pregnant and hormonal' - V denies, says she isn't; PREG=NO.",
        "S1 had claimed on FB that IP was expecting - IP states she is not pregnant.",
        "Megan's pregnancy ended at 20 weeks (stillbirth).",
        "She did a pregnancy test last night - it was negative.",
    ],
)
def test_an_alleged_ended_or_tested_pregnancy_is_resolved(text: str) -> None:
    assert pregnancy(text) <= {"negative"}, narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "S claims IP is pregnant.",  # alleged, never denied: a person looks
        "He accused her of hiding a pregnancy. No children at the address.",
        "She is not pregnant, S claims. S claims IP is pregnant.",  # the denial comes first
    ],
)
def test_an_allegation_not_denied_after_it_goes_to_a_person(text: str) -> None:
    assert "uncertain" in pregnancy(text), narrative_findings(text, ON)


@pytest.mark.parametrize(
    "text",
    [
        "IP may be pregnant. IP is 20 weeks pregnant.",
        "S claims she is pregnant and IP confirms she is 12 weeks pregnant.",
        "The pregnancy is going well; the scan ended early because the baby was moving.",
    ],
)
def test_a_pregnancy_stated_as_fact_stays(text: str) -> None:
    assert "positive" in pregnancy(text), narrative_findings(text, ON)


def test_a_sisters_pregnancy_in_brackets_is_not_a_partys() -> None:
    text = "V was on the phone to her sister (who is pregnant and lives in Leeds)."
    assert pregnancy(text) <= {"negative"}, narrative_findings(text, ON)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Beor's expecting, she says about halfway.", True),
        ("Beors expecting she says about halfway", True),  # its punctuation lost
        ("Beor s expecting  she says about halfway", True),
        ("He was expecting and hoping for trouble.", False),
    ],
)
def test_expecting_where_its_clause_ends(text: str, found: bool) -> None:
    assert ("positive" in pregnancy(text)) == found, narrative_findings(text, ON)

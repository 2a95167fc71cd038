"""Text read off scanned forms (screening/narrative/ocr.py): l/1 and O/0 confusions, words broken
at line ends and split in two are put right where the result is a known word or a number, the
text keeps its length, and codes, times and postcodes are left alone."""

from datetime import date

import pytest

from screening.narrative import narrative_findings
from screening.narrative.spelling import repair_scanned as repair_narrative

ON = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("scanned", "read"),
    [
        ("Chi1dren in househo1d", "Children in household"),
        ("P0LICE attended", "POLICE attended"),
        ("no one under l8", "no one under 18"),
        ("divorced in 2O22", "divorced in 2022"),
        ("Were any chi1-\ndren present?", "Were any children \n present?"),
        ("Chi1dren: two adult daugh ters, 38", "Children: two adult daughters , 38"),
        ("She is 1ive with her. preg nant", "She is live with her. pregnant "),
    ],
)
def test_scanned_text_is_read_as_written(scanned: str, read: str) -> None:
    repaired = repair_narrative(scanned)
    assert repaired == read
    assert len(repaired) == len(scanned)  # every finding's span still points into the original


@pytest.mark.parametrize(
    "text",
    [
        "S1 arrested at 10am on the M6, ref CAD1010, SW10 1AA, Q10 - N, DS1 (4), 1st call.",
        "a daugh ter",  # no other OCR error in the text: words are not joined on a guess
        "self-\nharm",  # not a word when joined
    ],
)
def test_codes_times_and_clean_text_are_left_alone(text: str) -> None:
    assert repair_narrative(text) == text


def test_a_scanned_child_is_found_and_quoted_as_sent() -> None:
    text = "0fficers attended. The coup1e's daughter Mia (4) was in the househo1d."
    found = [f for f in narrative_findings(text, ON) if f.polarity == "positive"]
    assert found
    assert all(f.text == text[f.start : f.end] for f in found)  # evidence quotes what was sent


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("Victim states they have no chi1dren and there are none 1iving at the address.", False),
        ("Chi1dren: the coup1e's two sons are 2O and 23 and both 1ive independent1y.", False),
        ("Chi1dren: two adult daugh ters, 38 and 41. No grandchi1dren.", False),
        ("Husband 1eft to go to work. Officer 1eft advice. Pg 1 of 1", False),
        ("The chi1dren (3 and 5) were in the 1ounge.", True),
        ("Victim is 24 weeks preg nant. She was assaulted in the 1ounge.", True),
    ],
)
def test_scanned_forms_are_judged_as_if_typed(text: str, child: bool) -> None:
    found = narrative_findings(text, ON)
    assert any(f.polarity in ("positive", "uncertain") for f in found) == child, found

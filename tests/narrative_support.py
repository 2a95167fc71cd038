"""What the narrative grammar's tests ask of a sentence: does it block screening out?"""

from datetime import date

from screening.narrative import narrative_findings

ON = date(2026, 11, 20)


def blocks_screen_out(text: str, on: date = ON) -> bool:
    """A positive or uncertain finding: the notification goes to a person, never screened out."""
    return any(f.polarity in ("positive", "uncertain") for f in narrative_findings(text, on))


def finding_summary(text: str, on: date = ON) -> list[tuple[str | None, str, str]]:
    """(category, polarity, rule) of each finding: what a failing assertion shows."""
    return [(f.category, f.polarity, f.rule) for f in narrative_findings(text, on)]

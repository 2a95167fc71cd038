"""What the narrative grammar's tests ask of a sentence: does it block screening out?"""

from datetime import date

from screening.narrative import narrative_findings

ON = date(2026, 11, 20)


def blocks_screen_out(text: str, on: date = ON) -> bool:
    """A positive or uncertain finding: the notification goes to a person, never screened out."""
    return any(f.polarity in ("positive", "uncertain") for f in narrative_findings(text, on))

"""Household composition codes in records-system text: "HH_COMP=2A 3C", "Household: 2A/1C".

A count of children above zero is a `household` finding (child-involvement.md: a child
normally lives at the address); a count of none is a statement that none does. The pattern is
data (`[composition]` in `data/child_terms.toml`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from screening.findings import Finding, Polarity
from screening.narrative.rule_files import child_terms


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str] | None:
    composition = child_terms().composition
    return re.compile(composition.regex) if composition is not None else None


def composition_findings(text: str) -> list[Finding]:
    pattern = _pattern()
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(text):
        children = int(match.group("children"))
        polarity: Polarity = "positive" if children > 0 else "negative"
        rule = "household_composition" if children > 0 else "composition_no_children"
        found.append(
            Finding("household", polarity, rule, "narrative", match.start(), match.end(),
                    match.group())
        )
    return found

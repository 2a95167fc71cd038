"""A finding: one fact about child involvement, from a structured field or the narrative.

Findings are what rules produce and what the policy and the evidence list consume.
`polarity` says which way the fact points:

- `positive`: a child is involved in this category (e.g. "Alfie, aged 3, was on the sofa");
- `negative`: an explicit statement that there is none ("no children at the address");
- `uncertain`: a mention that may be a child but could not be settled ("her son", age unknown,
  who might be an adult); it blocks screening out and sends the notification to a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Polarity = Literal["positive", "negative", "uncertain"]
Source = Literal["field", "narrative", "person", "history"]


@dataclass(frozen=True, slots=True)
class Finding:
    category: str | None  # a category of child-involvement.md, or None for a general negative
    polarity: Polarity
    rule: str  # the name of the rule or pattern that fired, from screening/data
    source: Source = "narrative"
    start: int | None = None  # character offsets into the narrative, for narrative findings
    end: int | None = None
    text: str | None = None
    field: str | None = None  # the contract field path, for structured findings
    value: Any = None

    @property
    def is_positive(self) -> bool:
        return self.polarity == "positive"

"""Terms of address: "baby" or "babe" said to an adult is not a child (child-involvement.md,
"other senses of the words").

A word from `[endearments]` in `data/child_terms.toml` is a term of address when it stands
inside quoted speech with no determiner before it ('come on baby, don't be like that', but not
'the baby is upstairs'), or just after a verb of calling and a pronoun ("she calls her babe and
baby all the time", but not "she called the baby").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from screening.narrative.rule_files import child_terms

# Quoted speech: straight or curly quotes; an apostrophe inside a word ("don't") does not close.
_QUOTED = re.compile(
    r"""(?:(?<=[\s(\[:,])|^)(?:'(?:[^'\n]|(?<=\w)'(?=\w)){1,160}?'(?!\w)"""
    r"""|"[^"\n]{1,160}"|‘[^’\n]{1,160}’|“[^”\n]{1,160}”)"""
)
_LABEL = re.compile(  # a quote that is only a word, with a determiner at most
    r"""^['"‘“]\s*(?:(?:a|an|my|his|her|your|that|those|such\s+a)\s+)?\w+\s*['"’”]$""", re.I
)
_DETERMINED = re.compile(r"\b(?:the|a|an|my|our|your|her|his|their|its|this|that)\s+$", re.I)


@dataclass(frozen=True)
class Endearments:
    words: frozenset[str]
    call: re.Pattern[str]


@lru_cache(maxsize=1)
def endearments() -> Endearments:
    data = child_terms().endearments
    verbs = "|".join(re.escape(v) for v in data.call_verbs)
    words = "|".join(re.escape(w) for w in data.words)
    # "calls her babe and baby": the verb, a pronoun, then at most two words before the word.
    pronoun = r"(?:her|him|me|them|you|each other)"
    call = re.compile(
        rf"\b(?:{verbs})\s+{pronoun}\s+(?:(?:{words}|and|or|a|his|my|her|their|little)\s+){{0,2}}$",
        re.IGNORECASE,
    )
    return Endearments(frozenset(data.words), call)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def is_term_of_address(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> bool:
    """Is text[start:end] an endearment word used as a term of address?"""
    e = endearments()
    if text[start:end].lower() not in e.words:
        return False
    before = text[max(0, start - 40) : start]
    for q_start, q_end in quoted:
        if q_start <= start and end <= q_end:
            if _LABEL.match(text[q_start:q_end]):
                return True  # the whole quote is the word: "refers to her as 'a baby'"
            return not _DETERMINED.search(before)
    return bool(e.call.search(before))

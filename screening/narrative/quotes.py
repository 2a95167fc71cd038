"""Terms of address: "baby" or "babe" said to an adult is not a child (child-involvement.md,
"other senses of the words"); nor is a child word that is the whole of a quotation, the word
named rather than a child meant (`is_quoted_word`).

A word from `[endearments]` in `data/child_terms.toml` is a term of address when it stands
inside quoted speech with no determiner before it ('come on baby, don't be like that', but not
'the baby is upstairs'), or just after a verb of calling and a pronoun ("she calls her babe and
baby all the time", but not "she called the baby"). In a transcript's line ("[00:01:20] S1:
baby, baby, come on") the speech is not quoted, so there the word must also be spoken to
someone: set off by commas or ending the line ("baby was asleep" stays a child).
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
    r"""^['"‘“]\s*(?:(?:a|an|my|our|his|her|your|their|that|those|such\s+a)\s+)?\w+\s*['"’”]$""",
    re.I,
)
# A transcript's line: a time stamp, a speaker of a few words and a colon, then the speech.
_SPOKEN = re.compile(r"\[\s*\d{1,2}:\d{2}(?::\d{2})?\s*\][^:\[\n]{1,30}:\s*([^\[\n]{1,240})")
# A determiner or a possessive before the word: "the baby", "Tom's baby" is a baby, not a name
# called to someone.
_DETERMINED = re.compile(
    r"(?:\b(?:the|a|an|my|our|your|her|his|their|its|this|that)|\w['’]s)\s+$", re.I
)


@dataclass(frozen=True)
class Endearments:
    words: frozenset[str]
    call: re.Pattern[str]
    tags: frozenset[str]


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
    return Endearments(frozenset(data.words), call, frozenset(data.tag_words))


# "the "children" were in the car", "her "baby"": someone's, or the ones meant, in scare quotes
_OWNED = re.compile(r"\b(?:the|my|our|your|her|his|their)\s*$", re.I)


def is_quoted_word(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> bool:
    """Is text[start:end] the whole of a quotation: the word named, not a child ("keeps calling
    him a "little boy"", "the 'baby monitor' she uses for her father", "the only "kids"
    mentioned were the cats")? A quote with more in it is speech ("she said "the kids are
    upstairs"", "my children"), and one after "the" or a possessive stays the ones meant."""
    for q_start, q_end in quoted:
        if q_start <= start and end <= q_end:
            if _OWNED.search(text[max(0, q_start - 8) : q_start]):
                return False
            return text[q_start + 1 : q_end - 1].strip().lower() == text[start:end].lower()
    return False


def quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def spoken_spans(text: str) -> list[tuple[int, int]]:
    """The speech of each time-stamped transcript line."""
    return [(m.start(1), m.end(1)) for m in _SPOKEN.finditer(text)]


def _is_tag(text: str, start: int, end: int, speech: list[tuple[int, int]]) -> bool:
    """ "Whit you lookin' at, son?", "I'm 58, son.": a comma, the word, then the speech ends."""
    for s_start, s_end in speech:
        if s_start <= start and end <= s_end:
            before = text[s_start:start].rstrip()
            after = text[end:s_end].strip()
            return before.endswith(",") and (not after or after[0] in "?!.'\"’”")
    return False


def _vocative(text: str, start: int, end: int, line_start: int) -> bool:
    before = text[line_start:start].rstrip()
    after = text[end : end + 2].lstrip()
    opens = not before or before.endswith((",", "!", "?", ".", "on"))
    return opens and (not after or after[0] in ",.!?")


def is_term_of_address(
    text: str,
    start: int,
    end: int,
    quoted: list[tuple[int, int]],
    spoken: list[tuple[int, int]] | None = None,
) -> bool:
    """Is text[start:end] an endearment word used as a term of address?"""
    e = endearments()
    word = text[start:end].lower()
    if word in e.tags and _is_tag(text, start, end, [*quoted, *(spoken or ())]):
        return True
    if word not in e.words:
        return False
    before = text[max(0, start - 40) : start]
    for q_start, q_end in quoted:
        if q_start <= start and end <= q_end:
            if _LABEL.match(text[q_start:q_end]):
                return True  # the whole quote is the word: "refers to her as 'a baby'"
            return not _DETERMINED.search(before)
    for s_start, s_end in spoken or ():
        if s_start <= start and end <= s_end and _vocative(text, start, end, s_start):
            return not _DETERMINED.search(before)
    return bool(e.call.search(before))

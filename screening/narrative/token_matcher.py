"""spaCy token patterns matched in plain Python from one doc's NORM ids and cached word flags.

Two kinds, both run only in windows where they can start (`patterns._token_patterns`):

- `TokenPattern`: a rule files' pattern that is not a closed word list. spaCy's `Matcher`
  called on each window cost about 16 µs a call, most of it setting up the call and the Span,
  for a window of a few tokens; ten windows a narrative made it a sixth of the engine's time.
  Compiled to steps of (token checks, fewest, most) over the string ids of a few token
  attributes (NORM from the doc's array, the lexeme's flags cached per word), a window is a few
  tuple look-ups. The subset compiled is what the rule files use: the attributes in
  `ATTRIBUTES` with a string, a boolean, `{"IN": [...]}` or `{"NOT_IN": [...]}`, and the
  operators none, "?", "*", "+", "{n}", "{n,m}", "{,m}" and "{n,}"; `compile_pattern` returns
  None for anything else (a REGEX, a "!" operator, an extension attribute), and that pattern
  stays on spaCy's Matcher. Results are spaCy's: every end a match can have from the start
  given (spaCy returns each, not only the longest), within the window.
- `PhrasePattern`: a pattern of closed word lists too large to expand into the PhraseMatcher
  (thousands of phrases each; adding them was most of start-up), matched as those phrases: each
  word as the NORM ids the tokenizer gives it ("long-term" is three tokens), as the expansion
  would hold it.

`tests/test_token_matcher.py` holds the first to spaCy's Matcher (per operator, and on every
labelled narrative) and the second to a PhraseMatcher holding every phrase.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.attrs import (
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    LIKE_NUM,
    LOWER,
    NORM,
    ORTH,
)
from spacy.strings import StringStore
from spacy.vocab import Vocab

# Pattern key -> spaCy attribute id. TEXT and ORTH are the same attribute; NORM is the token's,
# the others the lexeme's (`_LEXEME_NAMES`).
ATTRIBUTES: dict[str, int] = {
    "ORTH": ORTH,
    "TEXT": ORTH,
    "NORM": NORM,
    "LOWER": LOWER,
    "IS_ALPHA": IS_ALPHA,
    "IS_PUNCT": IS_PUNCT,
    "IS_SPACE": IS_SPACE,
    "IS_TITLE": IS_TITLE,
    "LIKE_NUM": LIKE_NUM,
}
_LEXEME_NAMES = {
    ORTH: "orth",
    LOWER: "lower",
    IS_ALPHA: "is_alpha",
    IS_PUNCT: "is_punct",
    IS_SPACE: "is_space",
    IS_TITLE: "is_title",
    LIKE_NUM: "like_num",
}
_EQUAL, _IN, _NOT_IN = 0, 1, 2

Check = tuple[int, int, Any]  # (column, kind, a string id, or a frozenset of them)


@dataclass(frozen=True, slots=True)
class Step:
    """One token pattern: every check holds of each token; between `fewest` and `most` tokens
    (`most` None: any number)."""

    checks: tuple[Check, ...]
    fewest: int
    most: int | None


class Tokens:
    """One doc's tokens as the compiled patterns read them: a row per token of the attribute
    columns (NORM first, from the doc: the spelling layer sets it per token; the rest are the
    lexeme's, looked up by ORTH in `LexicalTable` and built only for the tokens a window tries).
    """

    __slots__ = ("_orths", "_rows", "_table", "norms")

    def __init__(self, norms: list[int], orths: list[int], table: LexicalTable) -> None:
        self.norms, self._orths, self._table = norms, orths, table
        self._rows: dict[int, tuple[int, ...]] = {}

    def row(self, i: int) -> tuple[int, ...]:
        found = self._rows.get(i)
        if found is None:
            found = self._rows[i] = (self.norms[i], *self._table.row(self._orths[i]))
        return found


class LexicalTable:
    """The lexeme attributes (after NORM) of each ORTH id met, kept for the process: a word's
    flags and lower case never change, and a narrative's words are mostly words met before."""

    def __init__(self, vocab: Vocab, attributes: tuple[int, ...]) -> None:
        self._vocab = vocab
        self._names = tuple(_LEXEME_NAMES[a] for a in attributes)
        self._rows: dict[int, tuple[int, ...]] = {}

    def row(self, orth: int) -> tuple[int, ...]:
        found = self._rows.get(orth)
        if found is None:
            lexeme = self._vocab[orth]
            found = self._rows[orth] = tuple(int(getattr(lexeme, n)) for n in self._names)
        return found


@dataclass(frozen=True, slots=True)
class TokenPattern:
    """A compiled pattern; its checks name columns of the attributes it was compiled with."""

    steps: tuple[Step, ...]

    def ends(self, tokens: Tokens, start: int, limit: int) -> list[int]:
        """Every end of a match from `start` that does not pass `limit` (spaCy's Matcher gives
        them all: "a b? b*" on "a b b" is (0,1), (0,2) and (0,3))."""
        positions = {start}
        for step in self.steps:
            following: set[int] = set()
            for position in positions:
                room = limit - position
                most = room if step.most is None else min(step.most, room)
                run = 0
                while run < most and _holds(step.checks, tokens.row(position + run)):
                    run += 1
                if run >= step.fewest:
                    following.update(range(position + step.fewest, position + run + 1))
            if not following:
                return []
            positions = following
        return sorted(p for p in positions if p > start)


def _holds(checks: tuple[Check, ...], row: tuple[int, ...]) -> bool:
    for column, kind, value in checks:
        found = row[column]
        if kind == _EQUAL:
            if found != value:
                return False
        elif kind == _IN:
            if found not in value:
                return False
        elif found in value:
            return False
    return True


def _quantity(op: str) -> tuple[int, int | None] | None:
    if op == "":
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, None
    if op == "+":
        return 1, None
    if op.startswith("{") and op.endswith("}"):
        inner = op[1:-1]
        low, comma, high = inner.partition(",")
        try:
            fewest = int(low) if low.strip() else 0
            most = (int(high) if high.strip() else None) if comma else fewest
        except ValueError:
            return None
        if most is not None and most < fewest:
            return None
        return fewest, most
    return None


def compile_pattern(
    pattern: list[dict[str, Any]], strings: StringStore, columns: dict[int, int]
) -> TokenPattern | None:
    """`pattern` compiled, or None when it uses what this module does not match (left to
    spaCy's Matcher). `columns` maps attribute id -> column, shared by every pattern compiled
    (NORM at 0, as `Tokens` rows have it) and extended with the attributes this one reads; the
    `LexicalTable` is built on the attributes after NORM."""
    steps: list[Step] = []
    wanted = {NORM: 0, **columns}  # the caller's columns are extended only if it compiles
    for token in pattern:
        if not isinstance(token, dict):
            return None
        quantity = _quantity(str(token.get("OP", "")))
        if quantity is None:
            return None
        checks: list[Check] = []
        for key, value in token.items():
            if key == "OP":
                continue
            attribute = ATTRIBUTES.get(key)
            if attribute is None:
                return None
            is_flag = key.startswith(("IS_", "LIKE_"))
            check = _check(value, is_flag, strings)
            if check is None:
                return None
            column = wanted.setdefault(attribute, len(wanted))
            checks.append((column, *check))
        steps.append(Step(tuple(checks), *quantity))
    if not steps:
        return None
    columns.update(wanted)
    return TokenPattern(tuple(steps))


def _check(value: Any, is_flag: bool, strings: StringStore) -> tuple[int, Any] | None:
    if is_flag:
        return (_EQUAL, int(value)) if isinstance(value, bool) else None
    if isinstance(value, str):
        return _EQUAL, strings.add(value)
    if isinstance(value, dict) and len(value) == 1:
        (op, words), = value.items()
        if op in ("IN", "NOT_IN") and all(isinstance(w, str) for w in words):
            ids = frozenset(strings.add(w) for w in words)
            return (_IN if op == "IN" else _NOT_IN), ids
    return None


@dataclass(frozen=True, slots=True)
class PhraseStep:
    """One token pattern of a closed word list, as NORM id sequences by their first id (a word
    may be several tokens: "long-term" is three); `optional`: it may be left out."""

    by_first: dict[int, tuple[tuple[int, ...], ...]]
    optional: bool


@dataclass(frozen=True, slots=True)
class PhrasePattern:
    """A pattern of closed word lists matched as the phrases it expands to, without building
    them: a PhraseMatcher holding every phrase gives the same spans (`tests/test_token_matcher`),
    but thousands of phrases a pattern were most of start-up."""

    steps: tuple[PhraseStep, ...]

    def ends(self, tokens: Tokens, start: int, limit: int) -> list[int]:
        """Every end of one of the phrases from `start`, not past `limit`."""
        norms = tokens.norms
        positions = {start}
        for step in self.steps:
            following = set(positions) if step.optional else set()
            for position in positions:
                if position >= limit:
                    continue
                for words in step.by_first.get(norms[position], ()):
                    end = position + len(words)
                    if end <= limit and (len(words) == 1 or tuple(norms[position:end]) == words):
                        following.add(end)
            if not following:
                return []
            positions = following
        return sorted(p for p in positions if p > start)


def phrase_pattern(choices: list[list[tuple[int, ...]]]) -> PhrasePattern:
    """Each token's words as NORM id sequences (() for "may be left out"), compiled."""
    steps = []
    for choice in choices:
        by_first: dict[int, list[tuple[int, ...]]] = {}
        for words in choice:
            if words:
                by_first.setdefault(words[0], []).append(words)
        steps.append(PhraseStep({k: tuple(v) for k, v in by_first.items()}, () in choice))
    return PhrasePattern(tuple(steps))

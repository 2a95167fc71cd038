"""Typing slips in synthetic narratives: adjacent letters swapped, a letter dropped or doubled.

Officers type fast. About a third of rows get slips in roughly 1-3% of their words, and words
about children, relatives and pregnancy are hit more often than the rest, so that a model and
the rules see "chidlren", "daugher" and "pregant". Each row draws its slips from its own rng,
seeded from the generator seed and the row number, so switching typos off leaves every other
part of the row unchanged (and the label, derived from the scenario, is the same either way).

Slips never touch digits, words of three letters or fewer, words with a capital letter (names,
IP, S1, DASH), number words (ages stay exact) or the few negation words whose slip would hide
the meaning.
"""

from __future__ import annotations

import random
import re

from screening.synth.words import number_word

SHARE_ROWS = 0.33
RATE_RANGE = (0.01, 0.03)  # share of eligible words slipped, per row
CHILD_BOOST = 4.0  # child, kin and pregnancy words are this many times likelier to slip

_CHILD = re.compile(
    r"(child|kid|baby|babies|bairn|wean|son|daughter|toddler|infant|grand|nephew|niece|"
    r"pregnan|expecting|midwife|nursery|school|step|twin|little|foster|weekend|stay)"
)
_KEEP = frozenset(
    {number_word(n) for n in range(100)}
    | {"none", "never", "neither", "nobody", "nothing", "nil", "without", "denied", "denies"}
)


def row_rng(seed: int, index: int) -> random.Random:
    """The rng for row `index` of a generator call with `seed` (independent of the main one)."""
    return random.Random(f"dvscreen-typos:{seed}:{index}")


def slip(word: str, rng: random.Random) -> str:
    """One typing slip in `word` (at least four letters): swap, drop or double a letter."""
    kind = rng.random()
    if kind < 0.4:
        i = rng.randrange(1, len(word) - 1)  # keep the first letter, as most slips do
        if word[i] == word[i + 1]:
            return word[:i] + word[i + 1 :]
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.75:
        i = rng.randrange(1, len(word))
        return word[:i] + word[i + 1 :]
    i = rng.randrange(1, len(word))
    return word[:i] + word[i] + word[i:]


def add_typos(text: str, rng: random.Random, rate: float) -> tuple[str, int, int]:
    """`text` with slips in about `rate` of its eligible words (child words more often);
    returns the new text, how many words were slipped and how many were eligible."""
    slipped = 0
    eligible = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal slipped, eligible
        word = match.group(0)
        if len(word) < 4 or "'" in word or word in _KEEP:
            return word
        eligible += 1
        chance = rate * (CHILD_BOOST if _CHILD.search(word) else 1.0)
        if rng.random() >= chance:
            return word
        slipped += 1
        return slip(word, rng)

    # only all-lower-case words: a capital marks a name, an acronym or IP / S1
    out = re.sub(r"(?<![A-Za-z0-9'])[a-z]+(?:'[a-z]+)?(?![A-Za-z0-9])", replace, text)
    return out, slipped, eligible


def maybe_typos(text: str, rng: random.Random) -> tuple[str, float]:
    """For one row: with chance SHARE_ROWS, `text` with slips at a rate drawn from RATE_RANGE;
    returns the text and the rate used (0.0 for a row left clean)."""
    if rng.random() >= SHARE_ROWS:
        return text, 0.0
    rate = rng.uniform(*RATE_RANGE)
    return add_typos(text, rng, rate)[0], rate

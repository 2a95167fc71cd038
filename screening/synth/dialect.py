"""Regional and informal words for children and relatives in synthetic narratives.

A row written in a dialect (scots, northeast, northern, midlands, or just informal) names its
children with that dialect's words (bairn, wean, babby, little 'un, lad, lass, grandbairns),
calls a grandparent victim nan or gran, and writes the generic words in its other sentences
(negations included: "no bairns at the address") the same way. The lexicons are data, in the
[regional] tables of screening/data/synth_styles.toml.
"""

from __future__ import annotations

import random
import re

from screening.synth.bank import banks

_GENERIC = (
    (re.compile(r"\bgrandchildren\b|\bgrandkids\b"), "grandchildren"),
    (re.compile(r"\b(?:children|kids)\b(?!')"), "children"),
    (re.compile(r"\b(?:Children|Kids)\b(?!')"), "Children"),
)


def lexicon(dialect: str) -> dict[str, tuple[str, ...]]:
    """The dialect's words by key (child, children, baby, little, littles, son, daughter, sons,
    daughters, grandchildren, nan, grandad)."""
    table = banks()["regional"][dialect]
    return {key: tuple(t.text for t in value) for key, value in table.items()}


def word(rng: random.Random, dialect: str, key: str) -> str:
    return rng.choice(lexicon(dialect)[key])


def kin_word(
    rng: random.Random,
    dialect: str,
    kin: str,
    genders: set[str],
    count: int,
    youngest: int,
) -> tuple[str, bool] | None:
    """A regional noun for a group of children, and whether it says 'child' on its own
    (without an age); None when the dialect has nothing better than the standard word."""
    if kin == "grandchild" and count > 1:
        return word(rng, dialect, "grandchildren"), False
    if kin not in ("child", "minded", "guest"):
        return None
    options: list[tuple[str, bool]] = []
    if count > 1:
        options.append((word(rng, dialect, "children"), True))
        if youngest < 6:
            options.append((word(rng, dialect, "littles"), True))
        if len(genders) == 1 and kin == "child":
            key = "sons" if "male" in genders else "daughters"
            options.append((word(rng, dialect, key), False))
        return rng.choice(options)
    options.append((word(rng, dialect, "child"), True))
    if youngest < 2:
        options.append((word(rng, dialect, "baby"), True))
    if youngest < 6:
        options.append((word(rng, dialect, "little"), True))
    if kin == "child":
        options.append((word(rng, dialect, "son" if "male" in genders else "daughter"), False))
    return rng.choice(options)


def grandparent(rng: random.Random, dialect: str | None, gender: str) -> str:
    """What grandchildren call a grandparent of this gender ('nan', 'gran', 'grandad')."""
    key = "nan" if gender == "female" else "grandad"
    if dialect is None:
        return rng.choice(["nan", "gran", "nana"] if key == "nan" else ["grandad", "grandpa"])
    return word(rng, dialect, key)


def regionalise(sentence: str, rng: random.Random, dialect: str) -> str:
    """The sentence with its generic child words ('children', 'kids', 'grandchildren') in the
    dialect about half the time; other words and senses ('childish', "children's") untouched."""
    if rng.random() < 0.5:
        return sentence
    for pattern, key in _GENERIC:
        capital = key[0].isupper()
        words = lexicon(dialect)[key.lower()]
        sentence = pattern.sub(
            lambda _, pool=words, cap=capital: _cased(rng.choice(pool), cap), sentence
        )
    return sentence


def _cased(text: str, capital: bool) -> str:
    return text[:1].upper() + text[1:] if capital else text

"""People named in the narrative but not listed in `people`, doing what children at a scene do.

"IP stated Ruby answered the door", "Lily-Mae was asleep in the front room and woke up
screaming": a child may be named only once and nowhere else. When a name that belongs to no
listed person, is never given with a surname (police introduce adults as "Kirsty DAVIES") and
has no adult relation word before it, is followed closely by a presence cue
from `data/name_cues.toml`, the finding is `uncertain`: a person decides. A narrative written
without capitals (all lower or all upper case) cannot mark names, so there any word that is
not a known non-name, followed at once by a presence cue, counts ("ruby answered the door").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from screening.findings import Finding
from screening.narrative import rule_files

# A capital opening a word: "[A-Z](?<!\w[A-Z])" is "\b[A-Z]", but a regex that starts with its
# capital is scanned for fast (the engine skips to the next capital).
_NAME = re.compile(r"[A-Z](?<!\w[A-Z])[a-z]+(?:-?[A-Z][a-z]+)?\b")  # "Lily-Mae", "LilyMae"
_WORD = re.compile(r"\b[A-Za-z][a-z]+(?:-[A-Za-z][a-z]+)?\b|\b[A-Z]{2,}(?:-[A-Z]+)?\b")
_TITLE_WORD = re.compile(r"[A-Z](?<!\w[A-Z])[a-z]")  # none: the officer wrote without capitals
_WORDS = re.compile(r"[A-Za-z0-9'-]+")
# "Kirsty DAVIES", "Roger Vaughan": a first name introduced with a surname.
_FULL_NAME = re.compile(r"([A-Z](?<!\w[A-Z])[a-z]+) ([A-Z][A-Za-z'-]+)\b")
_AFTER = 80  # characters after a name that its presence cue is looked for in
_VERB_FORM = re.compile(r"^[a-z]{3,}ing$")  # "Shouting heard by passers-by": not a name


@dataclass(frozen=True)
class NameCues:
    window: int
    presence: re.Pattern[str]
    caseless_presence: re.Pattern[str]
    phrases: re.Pattern[str]  # the cues alone, case-sensitive, for lower-case text
    not_names_caseless: frozenset[str]
    not_names: frozenset[str]
    adult_before: frozenset[str]


@lru_cache(maxsize=1)
def name_cues() -> NameCues:
    data = rule_files.name_cues()
    rooms = "|".join(re.escape(r) for r in sorted(data.presence_rooms, key=len, reverse=True))
    phrases = "|".join(
        [re.escape(p) for p in sorted(data.presence, key=len, reverse=True)]
        + [rf"(?:was|were)\s+(?:in|on)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:{rooms})"]
    )
    return NameCues(
        window=data.window,
        presence=re.compile(rf"^\W*(?:\S+\W+){{0,{data.window}}}?(?:{phrases})\b", re.I),
        # written without capitals, any word may be a name: the cue must follow at once
        caseless_presence=re.compile(rf"^\W*(?:{phrases})\b", re.I),
        phrases=re.compile(phrases),
        not_names_caseless=frozenset(data.not_names) | frozenset(data.common_words),
        not_names=frozenset(data.not_names),
        adult_before=frozenset(data.adult_before),
    )


def unlisted_named_people(text: str, listed_names: Iterable[str]) -> list[Finding]:
    """Uncertain `present` findings for unlisted names followed by a presence cue."""
    cues = name_cues()
    listed = {name.lower() for name in listed_names}
    listed.update(
        full.group(1).lower()
        for full in _FULL_NAME.finditer(text)
        if full.group(2).lower() not in cues.not_names
    )
    found: list[Finding] = []
    caseless = _TITLE_WORD.search(text) is None
    names, presence = (_WORD, cues.caseless_presence) if caseless else (_NAME, cues.presence)
    # The common words are never names, capitalised or not ("Tonight she heard", "Staff saw");
    # without capitals, a word's capital cannot mark it either, so more stand out (above).
    not_names = cues.not_names_caseless
    # Where the text is ASCII, its lower case is what re.I matches: a name with no cue in the
    # lower case of its next _AFTER characters (a case-sensitive search, much faster) has none.
    lower = text.lower() if text.isascii() else None
    for match in names.finditer(text):
        name = match.group()
        lowered = name.lower()
        if lowered in not_names or lowered in listed or _VERB_FORM.search(lowered):
            continue
        if "-" in name and any(part.lower() in listed for part in name.split("-")):
            continue
        before = _WORDS.findall(text[max(0, match.start() - 30) : match.start()])
        if before and before[-1].lower() in cues.adult_before:
            continue
        end = match.end()
        if lower is not None and not cues.phrases.search(lower, end, end + _AFTER):
            continue
        if not presence.search(text[end : end + _AFTER]):
            continue
        found.append(
            Finding("present", "uncertain", "unlisted_named_person", "narrative",
                    match.start(), match.end(), name)
        )
    return found

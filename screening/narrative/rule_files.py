"""The schema of the rule files in `screening/data/`: each file read once, validated, typed.

Every rule the narrative engine applies is data in a TOML file; this module says what a valid
file holds, so that a new group of terms, a new cue or a new age form is a data change and a
wrong entry fails at load with an error naming the file, the entry and the field:

    screening/data/child_terms.toml: target[3] (rule 'kinship'): kind: Input should be ...

Each group quotes the line of `child-involvement.md` it comes from (`spec`), which is required.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from models.contract import CATEGORIES

Category = Literal[
    "present", "household", "pregnancy", "child_of_party", "young_party", "regular_visitor"
]
assert set(get_args(Category)) == set(CATEGORIES)  # the contract names the categories

TargetKind = Literal[
    "minor",  # a word that only means a child
    "kin",  # a kinship word that may be an adult ("her son")
    "relative",  # a relative who is a child only there, living there or staying
    "sibling",  # a brother or sister of a party: a child only when shown to be one
    "pregnancy",
    "young_party",  # says a party is under 18
    "implied",  # implies a child without naming one ("no other children")
    "statement",  # an explicit statement that no child lives there
    "other_sense",  # another sense of a child word: consumes its words, reports nothing
]
Effect = Literal["negated", "historical", "hypothetical", "wish", "adult", "non_party",
                 "party_child", "question", "unrecorded", "other_referent"]
CueName = Literal["present", "absent", "household", "elsewhere", "visitor", "minor"]
Pattern = list[dict[str, Any]]


class RuleFileError(ValueError):
    """A rule file that does not parse or does not follow its schema."""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Terms(_Entry):
    """A group of words: phrases (whole tokens, any case) and spaCy Matcher token patterns."""

    spec: str = Field(min_length=1)
    phrases: list[str] = []
    patterns: list[Pattern] = []

    @model_validator(mode="after")
    def _has_terms(self) -> Terms:
        if not self.phrases and not self.patterns:
            raise ValueError("a group needs phrases or patterns")
        return self


class Target(Terms):
    rule: str = Field(min_length=1)
    kind: TargetKind
    category: Category | None = None
    fixed_category: bool = False
    # A sign of a child for a person to look at, never a finding of one ("a car seat"): what
    # would be a positive is uncertain.
    sign_only: bool = False
    # The last tokens of a pattern that only say where it applies ("my two were": "were"), left
    # out of the mention so that modifiers there ("are grown up") still reach it.
    context_after: int = Field(0, ge=0, le=3)


class Modifier(Terms):
    rule: str = Field(min_length=1)
    effect: Effect
    direction: Literal["forward", "backward"]
    scope: Literal["gap", "clause", "sentence", "cover"]
    max_gap: int = Field(0, ge=0, le=12)
    gap_words: list[str] = []
    gap_names: bool = False  # a capitalised name may stand in the gap ("neither Kim nor Dave")
    # The target rules it may reach (child_terms.toml); none listed: every target.
    applies_to: list[str] = []
    # An answer that stands alone: the word after it, if any, is not a word outside gap_words
    # ("Children: none" answers; "Son - no injuries" does not).
    standalone: bool = False
    # A clause-scoped modifier does not reach past these words: another subject stands between
    # ("the couple's children in the home the defendant moved out of": he moved out, not they).
    blocked_by: list[str] = []
    # It does not reach a mention right after one of these: "her kids at work" are her own.
    not_after: list[str] = []
    # Its "his", "her" or "their" says whose it is: it reaches only a mention that pronoun can
    # stand for, in number and gender ("her son ... his wife"; not "her children live with her
    # ex-husband", where "her" is the mother's, nor "no children of her own").
    possessive: bool = False


class Cue(Terms):
    cue: CueName


class Termination(Terms):
    spaced_dashes: list[str] = []


class AgeWords(_Entry):
    spec: str = Field(min_length=1)
    person_nouns: list[str]
    phrase_words: list[str]
    not_after: list[str]
    not_names: list[str]
    party_words: list[str]
    counted_nouns: list[str] = []


class Endearments(_Entry):
    spec: str = Field(min_length=1)
    words: list[str]
    call_verbs: list[str]
    # said to someone as a tag at the end of speech ("It's a family matter, son.")
    tag_words: list[str] = []


class Composition(_Entry):
    """A household composition code ("HH_COMP=2A 3C"): adults and children by count."""

    spec: str = Field(min_length=1)
    regex: str = Field(min_length=1)  # groups "adults" and "children"


class ChildTerms(_Entry):
    target: list[Target]
    referents: dict[str, list[str]]
    ages: AgeWords
    endearments: Endearments
    composition: Composition | None = None


class Answers(_Entry):
    """A question about children in one sentence, its answer at the start of the next."""

    spec: str = Field(min_length=1)
    skip: list[str]  # "A", "Ans", ":" before the answer
    no: list[str]  # "N", "No", "None": a negation
    unknown: list[str]  # "N/K", "TBC": not known, for a person to find out
    yes: list[str] = []  # "Y", "Yes": the question's mention is then a statement
    # words an answer may open with before its "no": "I've no weans", "God, no", "we've nae kids"
    lead: list[str] = []
    # after an opening, the "no" must end the answer or name children: not "I've no idea"
    lead_objects: list[str] = []


class ContextTerms(_Entry):
    termination: Termination
    answers: Answers
    modifier: list[Modifier]
    cue: list[Cue]


class AgeForm(_Entry):
    rule: str = Field(min_length=1)
    strength: Literal["strong", "weak"]
    # the strength when the form states two or more ages at once ("(8, 11)")
    list_strength: Literal["strong", "weak"] | None = None
    regex: str = Field(min_length=1)
    anchor: str | None = None
    window: tuple[int, int] = (0, 0)


class AgeTerms(_Entry):
    numbers: dict[str, int]
    units: dict[Literal["years", "months", "weeks"], list[str]]
    decades: dict[str, int]
    months: dict[str, int]  # month names and abbreviations -> 1..12 ("due in March")
    form: list[AgeForm]


class NameCues(_Entry):
    spec: str = Field(min_length=1)
    window: int = Field(ge=1, le=20)
    presence: list[str]
    presence_rooms: list[str]
    not_names: list[str]
    adult_before: list[str]
    common_words: list[str]  # words that are no name, for text written without capitals


class Spelling(_Entry):
    """The spelling layer: which lexicon words are corrected, and how far a typo may be."""

    spec: str = Field(min_length=1)
    kinds: list[TargetKind]  # target kinds whose single words are the lexicon
    extra_words: list[str] = []  # lexicon words not written as a single-word phrase
    min_length: int = Field(ge=3)
    # [length, distance]: a token of at least `length` letters may be `distance` edits away
    distances: list[tuple[int, int]]
    never: list[str] = []  # ordinary words the English dictionary lacks, never corrected
    abbreviations: dict[str, str] = {}  # police shorthand -> the word meant ("juvs", "w/")
    # an abbreviation in capitals that a log also uses for a role ("CH asked": the call
    # handler), and the words after it that show the role
    role_abbreviations: list[str] = []
    role_words: list[str] = []
    near_stems: list[str] = []  # stems that make an unresolved token uncertain (safety net)


Schema = TypeVar("Schema", bound=BaseModel)


def _where(doc: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """'target[3] (rule 'kinship'): kind' from a pydantic error location."""
    parts: list[str] = []
    node: Any = doc
    for step in loc:
        if isinstance(step, int) and parts:
            parts[-1] += f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            name = node.get("rule") or node.get("cue") if isinstance(node, dict) else None
            if name:
                parts[-1] += f" ({'rule' if 'rule' in node else 'cue'} '{name}')"
            continue
        parts.append(str(step))
        node = node.get(step) if isinstance(node, dict) else None
    head = parts[:-1] if len(parts) > 1 else parts
    return ".".join(head) + (f": {parts[-1]}" if len(parts) > 1 else "")


def parse(name: str, text: str, schema: type[Schema]) -> Schema:
    """`text` of rule file `name` validated against `schema`, or a `RuleFileError`."""
    where = f"screening/data/{name}"
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleFileError(f"{where}: not valid TOML: {error}") from None
    try:
        return schema.model_validate(doc)
    except ValidationError as error:
        lines = [
            f"{where}: {_where(doc, e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in error.errors()
        ]
        raise RuleFileError("\n".join(lines)) from None


def _read(name: str) -> str:
    return resources.files("screening").joinpath(f"data/{name}").read_text("utf-8")


@lru_cache(maxsize=1)
def child_terms() -> ChildTerms:
    return parse("child_terms.toml", _read("child_terms.toml"), ChildTerms)


@lru_cache(maxsize=1)
def context_terms() -> ContextTerms:
    return parse("context_terms.toml", _read("context_terms.toml"), ContextTerms)


@lru_cache(maxsize=1)
def age_terms() -> AgeTerms:
    return parse("age_terms.toml", _read("age_terms.toml"), AgeTerms)


@lru_cache(maxsize=1)
def name_cues() -> NameCues:
    return parse("name_cues.toml", _read("name_cues.toml"), NameCues)


@lru_cache(maxsize=1)
def spelling() -> Spelling:
    return parse("spelling.toml", _read("spelling.toml"), Spelling)

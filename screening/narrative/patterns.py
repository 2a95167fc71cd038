"""The narrative terms (`data/child_terms.toml`, `data/context_terms.toml`) as spaCy matchers.

Built once per process: an English tokenizer, one PhraseMatcher (on NORM: the word as meant,
lower case, spelling corrected by `spelling`) holding the phrases and the small closed patterns
expanded to phrases, and the other token patterns compiled by `token_matcher` (spaCy's Matcher
validates each and runs any it cannot compile), for every group of terms of the validated rule
files (`rule_files`). `match` returns each hit labelled with the group it belongs to; what the
groups mean is decided in `screening.narrative` and `screening.narrative.scope`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.attrs import NORM, ORTH
from spacy.lang.en import English, EnglishDefaults
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from screening.narrative.ocr import has_line_break_hyphen
from screening.narrative.rule_files import RuleFileError, child_terms, context_terms
from screening.narrative.rule_files import Terms as TermGroup
from screening.narrative.sentences import SentenceStarts
from screening.narrative.spelling import SpellingLayer, english_counts, repair_scanned
from screening.narrative.token_matcher import (
    LexicalTable,
    PhrasePattern,
    TokenPattern,
    Tokens,
    compile_pattern,
    phrase_pattern,
)


@dataclass(frozen=True, slots=True)
class Group:
    """One group of terms from the TOML files, with what a hit in it means."""

    section: str  # "target", "modifier", "cue" or "termination"
    rule: str  # rule name (targets, modifiers) or cue name (cues)
    kind: str = ""  # target kind, or modifier effect
    category: str | None = None
    fixed_category: bool = False  # the category is the group's, whatever the cues say
    sign_only: bool = False  # a target whose positives are uncertain ("a car seat")
    context_after: int = 0  # a target's last tokens that are context, not the mention
    direction: str = "forward"
    scope: str = "gap"
    max_gap: int = 0
    gap_words: frozenset[str] = frozenset()
    gap_names: bool = False
    applies_to: frozenset[str] = frozenset()  # a modifier's target rules; empty: all
    standalone: bool = False  # a hit counts only where no other word follows it
    blocked_by: frozenset[str] = frozenset()  # words a clause-scoped modifier does not pass
    not_after: frozenset[str] = frozenset()  # a mention right after one of these is not reached
    possessive: bool = False  # its his/her/their must be able to stand for the mention


@dataclass(frozen=True, slots=True)
class Hit:
    group: Group
    start: int  # token offsets
    end: int


@dataclass(frozen=True, slots=True)
class Terms:
    nlp: Language
    phrases: PhraseMatcher
    patterns: tuple[tuple[Matcher | None, int, Compiled | None, int], ...]
    groups: dict[int, Group]  # matcher key (string store hash) -> group
    referents: dict[str, str]  # lower-case person word -> who it may refer to ("male", ...)
    age_anchor_stop: frozenset[str]  # words before "(6)" that make it a score, not an age
    person_nouns: frozenset[str]  # words naming a person of any age ("a lad (6)")
    phrase_words: frozenset[str]  # words of a phrase between a person and its age
    not_names: frozenset[str]  # capitalised words that are not names ("Her 3-yr-old")
    party_words: frozenset[str]  # words naming a party: "ip", "s1", "victim", "she"
    counted_nouns: frozenset[str]  # a bare number before one counts it ("2 adults")
    spaced_dashes: tuple[str, ...]  # a dash with spaces round it ends a clause
    spelling: SpellingLayer
    sentences: SentenceStarts
    # Each token pattern not held as phrases (`patterns`): its own Matcher, the most tokens
    # its pattern covers, the pattern compiled by `token_matcher` where it can be, which is
    # what is run, and its group's key; the Matcher validates the pattern and runs the rest.
    # A closed pattern too large to expand (`PhrasePattern`) has no Matcher and no window.
    # The compiled patterns read the lexeme attributes they test from `lexical`.
    # `pattern_anchors`: NORM id of a word every match of a pattern holds -> (that pattern's
    # index, how many tokens after the match's start the word may stand); a pattern with no such
    # word is in `unanchored` and reads the whole doc.
    pattern_anchors: dict[int, tuple[tuple[int, frozenset[int]], ...]]
    unanchored: tuple[int, ...]
    lexical: LexicalTable


MAX_EXPANSION = 1000  # phrases one pattern may expand to before it is matched as a PhrasePattern
_WHOLE_DOC = 1 << 30  # a PhrasePattern's window: its phrases may end anywhere in the doc
Compiled = TokenPattern | PhrasePattern
_PUNCT = (".", ",", ";", ":", "!", "?", ")", "(", "-", "'", '"')


def _alternatives(token: dict[str, Any]) -> list[str] | None:
    """The words one token pattern allows (as NORM), or None if it is not a closed list."""
    if set(token) - {"NORM", "TEXT", "IS_PUNCT", "OP"} or token.get("OP", "?") != "?":
        return None
    value = token.get("NORM", token.get("TEXT"))
    if token.get("IS_PUNCT") is True and value is None:
        words = list(_PUNCT)
    elif isinstance(value, str):
        words = [value.lower()]
    elif isinstance(value, dict) and set(value) == {"IN"}:
        words = [w.lower() for w in value["IN"]]
    else:
        return None
    return [*words, ""] if "OP" in token else words


_UNBOUNDED = 12  # tokens a "*" or "+" token pattern is allowed for, in the Matcher's window


def _span(pattern: list[dict[str, Any]]) -> int:
    """The most tokens a Matcher pattern can cover ("{0,5}" counts five, "*" counts twelve)."""
    total = 0
    for token in pattern:
        op = str(token.get("OP", ""))
        if op.startswith("{"):
            total += int(op.strip("{}").split(",")[-1] or _UNBOUNDED)
        elif op in ("*", "+"):
            total += _UNBOUNDED
        else:
            total += 1
    return total


@lru_cache(maxsize=1)
def _rarity() -> Callable[[str], int]:
    """A word's English corpus count, for choosing the rarest word of a pattern to anchor on."""
    counts = english_counts()
    # Punctuation is in no word list but is everywhere ("(", quotes): never the rare word.
    common = max(int(counts.get(w, "0")) for w in ("the", ",", "."))

    def count(word: str) -> int:
        found = counts.get(word)
        if found is None and word and not any(c.isalnum() for c in word):
            return common
        return int(found or "0")

    return count


def _phrase_anchor(
    choices: list[list[str]], options: list[list[tuple[int, ...]]]
) -> tuple[frozenset[int], frozenset[int]] | None:
    """`_anchor` for a pattern matched as its phrases (`PhrasePattern`): the first NORM ids of
    the rarest token every phrase holds, and the token offsets from a match's start it may
    stand at (a word of several tokens moves what follows it by that many)."""
    count = _rarity()
    best: tuple[int, frozenset[int], frozenset[int]] | None = None
    offsets = frozenset({0})
    for choice, option in zip(choices, options, strict=True):
        if () not in option:
            cost = sum(count(w) for w in choice) * len(offsets)
            if best is None or cost < best[0]:
                best = (cost, frozenset(words[0] for words in option), offsets)
        offsets = frozenset(o + len(words) for o in offsets for words in option)
    return None if best is None else (best[1], best[2])


def _anchor(pattern: list[dict[str, Any]]) -> tuple[list[str], set[int]] | None:
    """The rarest closed word list of a Matcher pattern that every match holds, with the token
    offsets from the match's start it may stand at ("called X a child" holds "called" at 0; "did
    a test ... positive" holds "test" at 2), or None when no such list exists.

    The Matcher is then run only in windows around those words: a common first word ("when",
    "did") opened a window at nearly every sentence. Rarity is the words' English corpus counts.
    """
    count = _rarity()
    best: tuple[int, list[str], set[int]] | None = None
    offsets = {0}
    for token in pattern:
        op = token.get("OP")
        words = _alternatives(token) if op is None else None
        if words is not None:
            cost = sum(count(w) for w in words) * len(offsets)
            if best is None or cost < best[0]:
                best = (cost, words, set(offsets))
        if op is None:
            offsets = {o + 1 for o in offsets}
        elif op == "?":
            offsets = offsets | {o + 1 for o in offsets}
        else:
            break  # a repeated token: what follows stands at no fixed offset
    return None if best is None else (best[1], best[2])


def _closed(pattern: list[dict[str, Any]]) -> list[list[str]] | None:
    """Each token's words ("" for a token that may be left out), if the pattern is made only
    of closed word lists."""
    choices = [_alternatives(token) for token in pattern]
    if any(c is None for c in choices):
        return None
    return [c for c in choices if c is not None]


def _choices(pattern: list[dict[str, Any]]) -> list[list[str]] | None:
    """`_closed`, if the pattern matches few enough phrases to hold them all in the
    PhraseMatcher; a larger one is matched as a `PhrasePattern` (the same spans)."""
    choices = _closed(pattern)
    if choices is None or math.prod(len(c) for c in choices) > MAX_EXPANSION:
        return None  # too many phrases: adding them costs more start-up than matching saves
    return choices


def expand(pattern: list[dict[str, Any]]) -> list[list[str]] | None:
    """A token pattern made only of closed word lists, as every phrase it matches.

    spaCy's Matcher tests set predicates in Python for every token; a PhraseMatcher holding the
    expanded phrases does the same work in C, several times faster.
    """
    choices = _choices(pattern)
    if choices is None:
        return None
    return [[w for w in combo if w] for combo in itertools.product(*choices)]


def _groups() -> list[tuple[Group, TermGroup]]:
    child, context = child_terms(), context_terms()
    target_rules = {target.rule for target in child.target}
    out: list[tuple[Group, TermGroup]] = []
    for target in child.target:
        group = Group("target", target.rule, target.kind, target.category,
                      fixed_category=target.fixed_category, sign_only=target.sign_only,
                      context_after=target.context_after)
        out.append((group, target))
    for index, modifier in enumerate(context.modifier):
        unknown = sorted(set(modifier.applies_to) - target_rules)
        if unknown:
            raise RuleFileError(
                f"screening/data/context_terms.toml: modifier[{index}] (rule '{modifier.rule}'): "
                f"applies_to: no target rule {', '.join(map(repr, unknown))} in child_terms.toml"
            )
        group = Group(
            "modifier",
            modifier.rule,
            modifier.effect,
            direction=modifier.direction,
            scope=modifier.scope,
            max_gap=modifier.max_gap,
            gap_words=frozenset(modifier.gap_words),
            gap_names=modifier.gap_names,
            applies_to=frozenset(modifier.applies_to),
            standalone=modifier.standalone,
            blocked_by=frozenset(modifier.blocked_by),
            not_after=frozenset(modifier.not_after),
            possessive=modifier.possessive,
        )
        out.append((group, modifier))
    for cue in context.cue:
        out.append((Group("cue", cue.cue), cue))
    out.append((Group("termination", "termination"), context.termination))
    return out


class PhraseNorms:
    """Phrases as the tokenizer would cut them ("ip's" is two tokens), as the NORM ids the
    PhraseMatcher stores for them.

    The tokenizer cuts text at single spaces and then each piece on its own, so a phrase's
    tokens are its pieces' tokens in turn: each piece is tokenised once, however many of the
    rule files' phrases (thousands, after `expand`) hold it. Making a Doc for every phrase was
    most of start-up. Text the rule does not cover (runs of spaces, tabs) is tokenised whole.
    `tests/test_narrative_patterns.py` holds this to the tokenizer on every phrase.
    """

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        tokenizer = nlp.tokenizer
        assert isinstance(tokenizer, Tokenizer)
        self._special = frozenset(tokenizer.rules or {})
        self._pieces: dict[str, list[int]] = {}

    def _piece(self, piece: str) -> list[int]:
        norms = self._pieces.get(piece)
        if norms is None:
            if piece.isspace() or (piece.isalnum() and piece not in self._special):
                norms = [self._nlp.vocab[piece].norm]
            else:
                norms = [token.norm for token in self._nlp.make_doc(piece)]
            self._pieces[piece] = norms
        return norms

    def of_text(self, text: str) -> list[int]:
        pieces = text.split(" ")
        if any(not piece or not piece.isprintable() for piece in pieces):
            return [token.norm for token in self._nlp.make_doc(text)]
        return [norm for piece in pieces for norm in self._piece(piece)]

    def options(self, choices: list[list[str]]) -> list[list[tuple[int, ...]]]:
        """Each token's words as their NORM ids (() for a word left out)."""
        return [[tuple(self.of_words([w])) if w else () for w in choice] for choice in choices]

    def of_pattern(self, choices: list[list[str]]) -> list[list[int]]:
        """`of_words` of every phrase of an expanded pattern (`_choices`), each word's NORMs
        found once and the phrases made from them (thousands of phrases share a few words)."""
        options = [[self.of_words([w]) if w else [] for w in choice] for choice in choices]
        phrases = (list(itertools.chain.from_iterable(combo))
                   for combo in itertools.product(*options))
        return [phrase for phrase in phrases if phrase]

    def of_words(self, words: list[str]) -> list[int]:
        """An expanded pattern's words; a word that is a space is a token of its own."""
        known = self._pieces
        norms: list[int] = []
        for word in words:
            found = known.get(word)  # pieces held never have a space in them
            if found is None:
                if " " in word and not word.isspace():
                    return self.of_text(" ".join(words))
                found = self._piece(word)
            norms += found
        return norms


class _NarrativeDefaults(EnglishDefaults):
    # Records systems run fields together ("LOC=6 HIGH ST;CHILD_PRES=N|DASH=STD"): split there.
    infixes = [  # noqa: RUF012  (spaCy reads it off the class; its type is a plain list)
        *(EnglishDefaults.infixes or ()),
        r"(?<=[\w.])[;=|](?=[\w.])",
    ]


class _Narrative(English):
    """English tokenisation with the records systems' separators. Built directly, not by
    `spacy.blank("en")` then a new infix rule: that reads a config and then rebuilds the
    tokenizer's special cases, which was a tenth of start-up. No pipeline components: sentences
    are found from the tokens (narrative/sentences.py)."""

    Defaults = _NarrativeDefaults


@lru_cache(maxsize=1)
def terms() -> Terms:
    """The pipeline and matchers, built on first use and shared by the whole process."""
    nlp = _Narrative()
    phrases = PhraseMatcher(nlp.vocab, attr="NORM")
    patterns: list[tuple[Matcher | None, int, Compiled | None, int]] = []
    columns = {NORM: 0}  # attribute -> column of the compiled patterns' token rows
    groups: dict[int, Group] = {}
    anchors: dict[int, list[tuple[int, frozenset[int]]]] = {}  # see Terms.pattern_anchors
    unanchored: list[int] = []
    norms = PhraseNorms(nlp)

    def anchor_next(found: tuple[Iterable[int], frozenset[int]] | None) -> None:
        """Where the next pattern can start: its anchor's NORM ids and offsets, or anywhere."""
        number = len(patterns)
        if found is None:
            unanchored.append(number)
            return
        words, offsets = found
        for norm in words:
            anchors.setdefault(norm, []).append((number, offsets))

    for index, (group, entry) in enumerate(_groups()):
        key = f"{group.section}:{group.rule}:{index}"
        key_id = nlp.vocab.strings.add(key)
        groups[key_id] = group
        # The PhraseMatcher takes a phrase as its NORM ids as well as a Doc (its stub says Doc).
        docs: list[Any] = [norms.of_text(p.lower()) for p in entry.phrases]
        for pattern in entry.patterns:
            choices = _choices(pattern)
            closed = _closed(pattern) if choices is None else None
            if closed is not None:  # too many phrases to add: matched as its phrases
                options = norms.options(closed)
                anchor_next(_phrase_anchor(closed, options))
                patterns.append((None, _WHOLE_DOC, phrase_pattern(options), key_id))
            elif choices is None:
                anchor = _anchor(pattern)
                anchor_next(None if anchor is None else (
                    [nlp.vocab.strings.add(word) for word in anchor[0]], frozenset(anchor[1])
                ))
                matcher = Matcher(nlp.vocab, validate=True)
                try:
                    matcher.add(key, [pattern])
                except (ValueError, KeyError) as error:
                    raise RuleFileError(
                        f"screening/data: {group.section} '{group.rule}': pattern {pattern}: "
                        f"{error}"
                    ) from None
                compiled = compile_pattern(pattern, nlp.vocab.strings, columns)
                patterns.append((matcher, _span(pattern), compiled, key_id))
            else:
                docs.extend(norms.of_pattern(choices))
        if docs:
            phrases.add(key, docs)
    child = child_terms()
    referents = {w: who for who, words in child.referents.items() for w in words}
    return Terms(
        nlp,
        phrases,
        tuple(patterns),
        groups,
        referents,
        frozenset(child.ages.not_after),
        frozenset(child.ages.person_nouns),
        frozenset(child.ages.phrase_words),
        frozenset(child.ages.not_names),
        frozenset(child.ages.party_words),
        frozenset(child.ages.counted_nouns),
        tuple(context_terms().termination.spaced_dashes),
        SpellingLayer(nlp.vocab),
        SentenceStarts(nlp.vocab),
        {norm: tuple(found) for norm, found in anchors.items()},
        tuple(unanchored),
        LexicalTable(nlp.vocab, tuple(columns)[1:]),
    )


def tokenise(text: str) -> tuple[Doc, str, list[int], list[int]]:
    """The narrative as tokens, misspelt lexicon words corrected (NORM); the text as read; its
    orth ids; and the index of each sentence's first token. A scanned form's OCR misreadings
    ("chi1dren") are put right first: the text as read is then not `text`, but of its length.
    (The text is returned because `doc.text` makes a token object of every token to build it.)"""
    t = terms()
    doc, read, orths, starts = _tokens(t, text)
    if not t.spelling.misread.isdisjoint(orths) or has_line_break_hyphen(text):
        read = repair_scanned(text)
        if read != text:  # once: the text as read is not read again
            return _tokens(t, read)
    return doc, read, orths, starts


def _tokens(t: Terms, text: str) -> tuple[Doc, str, list[int], list[int]]:
    doc = t.nlp.make_doc(text)
    orths: list[int] = doc.to_array(ORTH).tolist()
    starts = t.sentences(orths)
    t.spelling.apply(doc, orths, starts)
    return doc, text, orths, starts


def match(doc: Doc, orths: list[int] | None = None) -> list[Hit]:
    """Every phrase and pattern hit in `doc`, labelled with its group (`orths`: the doc's ORTH
    ids, as `tokenise` gives them, so that they are not read again)."""
    t = terms()
    groups = t.groups
    found = t.phrases(doc)
    if t.patterns:
        found += _token_patterns(doc, t, orths)
    return [Hit(groups[key], start, end) for key, start, end in found]


def _token_patterns(
    doc: Doc, t: Terms, orths: list[int] | None = None
) -> list[tuple[int, int, int]]:
    """The Matcher patterns' hits, each pattern run only on windows where it can start.

    spaCy's Matcher tries every pattern at every token; a pattern here holds a word of a closed
    list, so the windows around that word give the same hits for less work, and each window runs
    only the patterns anchored on the word found there. A compiled pattern (`token_matcher`)
    reads the doc's attribute columns; the others run spaCy's Matcher on the window.
    """
    found: set[tuple[int, int, int]] = set()
    norms: list[int] = doc.to_array(NORM).tolist()
    tokens = Tokens(norms, doc.to_array(ORTH).tolist() if orths is None else orths, t.lexical)
    size = len(doc)
    for number in t.unanchored:
        matcher, _length, compiled, key = t.patterns[number]
        if compiled is None:
            assert matcher is not None  # a pattern is compiled, or has its Matcher
            found.update(matcher(doc))
            continue
        for start in range(size):
            found.update((key, start, end) for end in compiled.ends(tokens, start, size))
    anchors = t.pattern_anchors
    tried: set[tuple[int, int]] = set()
    for i, norm in enumerate(norms):
        anchored = anchors.get(norm)
        if anchored is None:
            continue
        for number, offsets in anchored:
            matcher, length, compiled, key = t.patterns[number]
            for start in (i - offset for offset in offsets):
                if start < 0 or (number, start) in tried:
                    continue
                tried.add((number, start))
                if compiled is not None:
                    limit = min(start + length, size)
                    found.update((key, start, end) for end in compiled.ends(tokens, start, limit))
                    continue
                assert matcher is not None
                window = doc[start : start + length]
                found.update((k, start + s, start + e) for k, s, e in matcher(window) if s == 0)
    return sorted(found, key=lambda h: (h[1], h[2]))


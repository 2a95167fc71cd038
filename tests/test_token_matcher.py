"""The plain-Python token matcher gives spaCy's Matcher's hits, pattern by pattern.

Held two ways: constructed patterns for each operator and check kind, against spaCy's Matcher on
the same doc from every start; and the rule files' own patterns on every labelled narrative
(tests/data and the public examples), against the same windows run through spaCy's Matcher.
"""

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from spacy.matcher import Matcher, PhraseMatcher

from models.contract import LabelledNotification
from screening.narrative.patterns import (
    PhraseNorms,
    _choices,
    _closed,
    _groups,
    _token_patterns,
    terms,
    tokenise,
)
from screening.narrative.token_matcher import (
    LexicalTable,
    PhrasePattern,
    PhraseStep,
    Tokens,
    compile_pattern,
)

ROOT = Path(__file__).resolve().parents[1]
SETS = [*sorted((ROOT / "tests" / "data").glob("*.jsonl")),
        ROOT.parent / "shared" / "data" / "examples.jsonl"]

TEXT = (
    "Her son , aged 6 , and her 2 sons were seen . A baby , a baby boy and Baby were NOT there ; "
    "the 3 of them left at 10 . No children , no kids - none at all !  Then a b b c a b ."
)

CASES: list[list[dict[str, Any]]] = [
    [{"NORM": "her"}, {"NORM": "son"}],
    [{"NORM": "her"}, {"LIKE_NUM": True, "OP": "?"}, {"NORM": {"IN": ["son", "sons"]}}],
    [{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}, {"LOWER": "b", "OP": "*"},
     {"LOWER": "c", "OP": "?"}],
    [{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "+"}],
    [{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "{0,4}"}, {"NORM": "boy"}],
    [{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "{2}"}],
    [{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "{1,}"}, {"IS_PUNCT": True}],
    [{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "{,2}"}, {"IS_PUNCT": True}],
    [{"TEXT": "Baby"}, {"IS_TITLE": False}],
    [{"TEXT": {"IN": ["NOT", "not"]}}, {"NORM": {"NOT_IN": ["here", "there"]}}],
    [{"TEXT": {"IN": ["NOT", "not"]}}, {"NORM": {"NOT_IN": ["here"]}}],
    [{"NORM": "no"}, {"NORM": {"IN": ["children", "kids"]}}, {"IS_PUNCT": True, "OP": "*"}],
    [{"IS_SPACE": True}, {"NORM": "then"}],
    [{"LIKE_NUM": True}, {"NORM": "of"}, {"NORM": "them"}],
    [{"IS_PUNCT": True, "OP": "?"}, {"NORM": "none", "OP": "*"}],
]


@pytest.mark.parametrize("pattern", CASES, ids=[str(i) for i in range(len(CASES))])
def test_each_operator_gives_spacys_matches(pattern: list[dict[str, Any]]) -> None:
    nlp = terms().nlp
    doc = nlp.make_doc(TEXT)
    columns: dict[int, int] = {}
    compiled = compile_pattern(pattern, nlp.vocab.strings, columns)
    assert compiled is not None
    matcher = Matcher(nlp.vocab, validate=True)
    matcher.add("case", [pattern])
    expected = {(s, e) for _key, s, e in matcher(doc)}
    orths = [token.orth for token in doc]
    table = LexicalTable(nlp.vocab, tuple(columns)[1:])
    values = Tokens(doc.to_array("NORM").tolist(), orths, table)
    got = {(s, e) for s in range(len(doc)) for e in compiled.ends(values, s, len(doc))}
    assert got == expected
    # Within a window, as the engine runs it: a window of four tokens from each start.
    for start in range(len(doc)):
        limit = min(start + 4, len(doc))
        windowed = {start + e for _key, s, e in matcher(doc[start:limit]) if s == 0}
        assert set(compiled.ends(values, start, limit)) == windowed, start


def test_what_it_does_not_match_is_left_to_spacy() -> None:
    strings = terms().nlp.vocab.strings
    assert compile_pattern([{"NORM": "a", "OP": "!"}], strings, {}) is None
    assert compile_pattern([{"TEXT": {"REGEX": "^a"}}], strings, {}) is None
    assert compile_pattern([{"LEMMA": "be"}], strings, {}) is None
    assert compile_pattern([{"NORM": {"FUZZY": "child"}}], strings, {}) is None
    columns: dict[int, int] = {}
    assert compile_pattern([{"NORM": "a"}, {"LEMMA": "be"}], strings, columns) is None
    assert columns == {}  # a pattern that does not compile adds no column


def test_the_rule_files_patterns_are_compiled() -> None:
    assert all(compiled is not None for _m, _n, compiled, _k in terms().patterns)


def _phrase_patterns() -> PhraseMatcher:
    """A PhraseMatcher holding every phrase of the patterns `terms` matches as PhrasePatterns
    (too many phrases to add), each under its group's key: what they must match."""
    t = terms()
    norms = PhraseNorms(t.nlp)
    matcher = PhraseMatcher(t.nlp.vocab, attr="NORM")
    for index, (group, entry) in enumerate(_groups()):
        key = f"{group.section}:{group.rule}:{index}"
        for pattern in entry.patterns:
            closed = _closed(pattern)
            if _choices(pattern) is None and closed is not None:
                matcher.add(key, norms.of_pattern(closed))  # type: ignore[arg-type]
    return matcher


def _narratives() -> list[str]:
    texts = []
    for path in SETS:
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                texts.append(LabelledNotification.model_validate_json(line).notification.narrative)
    return texts


def test_rule_patterns_on_every_labelled_narrative_equal_spacys() -> None:
    """Every labelled narrative gets the hits that spaCy's Matcher gives for the Matcher patterns
    (on the same windows) and a PhraseMatcher holding every phrase gives for the patterns
    matched as their phrases."""
    t = terms()
    never = PhrasePattern((PhraseStep({}, optional=False),))  # matches nothing
    with_spacy = replace(
        t, patterns=tuple((m, n, None if m else never, k) for m, n, _c, k in t.patterns)
    )
    assert any(m is None for m, _n, _c, _k in t.patterns)  # some are too large to expand
    phrases = _phrase_patterns()
    texts = _narratives()
    assert len(texts) > 3000
    differ = []
    hits = phrase_hits = 0
    for text in texts:
        doc = tokenise(text)[0]
        matched, phrased = _token_patterns(doc, with_spacy), phrases(doc)
        hits += len(matched)
        phrase_hits += len(phrased)
        ours, theirs = set(_token_patterns(doc, t)), set(matched) | set(phrased)
        if ours != theirs:
            differ.append((text[:60], sorted(ours ^ theirs)))
    assert not differ, differ[:5]
    # the patterns do match: the comparisons are not of empty lists
    assert hits > 100 and phrase_hits > 100

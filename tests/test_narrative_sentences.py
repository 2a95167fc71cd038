"""Sentence starts read from the tokens agree with spaCy's Sentencizer, on every labelled
narrative, synthetic ones and edge cases: the engine dropped the pipeline component for speed,
not to change where a sentence ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.attrs import ORTH

from screening.narrative.patterns import terms
from screening.synth import generate

ROOT = Path(__file__).resolve().parents[1]
SETS = [
    *sorted((ROOT / "tests" / "data").glob("*.jsonl")),
    ROOT.parent / "shared" / "data" / "examples.jsonl",
]


def _narratives() -> list[str]:
    texts = [
        json.loads(line)["notification"]["narrative"]
        for path in SETS
        if path.exists()
        for line in path.open()
    ]
    texts += [r["notification"]["narrative"] for r in generate(300, 11)]
    return [*texts, "", "...", "a . , b", "Hi!! there? yes", "N. Q13 escalation? N. std", ". x"]


def test_sentence_starts_agree_with_the_sentencizer() -> None:
    t = terms()
    sentencizer = spacy.blank("en").add_pipe("sentencizer")
    for text in _narratives():
        doc = t.nlp.make_doc(text)
        expected = [
            0,
            *(i for i, token in enumerate(sentencizer(doc)) if token.is_sent_start and i),
        ]
        assert t.sentences(doc.to_array(ORTH).tolist()) == expected, text[:80]


@pytest.mark.parametrize(
    ("text", "starts"),
    [("One. Two! Three? four", [0, 2, 4, 6]), ("Mr. Smith said hi.", [0]), ("No end", [0])],
)
def test_sentence_starts_examples(text: str, starts: list[int]) -> None:
    t = terms()
    doc = t.nlp.make_doc(text)
    assert t.sentences(doc.to_array(ORTH).tolist()) == starts

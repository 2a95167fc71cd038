"""The narrative term files (screening/data/*.toml) and how they are loaded into matchers."""

import tomllib
from importlib import resources

import pytest

from screening.narrative.patterns import PhraseNorms, _choices, _groups, expand, match, terms


def _data(name: str) -> dict:
    return tomllib.loads(resources.files("screening").joinpath(f"data/{name}").read_text("utf-8"))


@pytest.mark.parametrize(
    ("file", "section"),
    [
        ("child_terms.toml", "target"),
        ("context_terms.toml", "modifier"),
        ("context_terms.toml", "cue"),
        ("age_terms.toml", "form"),
    ],
)
def test_every_group_traces_to_the_spec_and_has_terms(file: str, section: str) -> None:
    for group in _data(file)[section]:
        if section != "form":
            assert group.get("spec"), group
            assert group.get("phrases") or group.get("patterns"), group
        else:
            assert group["strength"] in ("strong", "weak")


def test_closed_patterns_expand_to_phrases_and_open_ones_do_not() -> None:
    pattern = [{"NORM": {"IN": ["her", "his"]}}, {"NORM": "big", "OP": "?"}, {"NORM": "boy"}]
    assert sorted(expand(pattern)) == [
        ["her", "big", "boy"],
        ["her", "boy"],
        ["his", "big", "boy"],
        ["his", "boy"],
    ]
    assert expand([{"IS_ALPHA": True}]) is None
    assert expand([{"NORM": "a", "OP": "*"}]) is None


def test_phrases_are_cut_as_the_tokenizer_cuts_them() -> None:
    """The PhraseMatcher holds each phrase of the rule files as the tokenizer's NORMs of it,
    built piece by piece at start-up; here every phrase is tokenised whole and compared."""
    nlp = terms().nlp
    norms = PhraseNorms(nlp)
    texts = [p.lower() for _, entry in _groups() for p in entry.phrases]
    texts += ["ip's kids", "step-son's", "cannot", "a  b", "x\ty", "gonna (6)", ""]
    for text in texts:
        assert norms.of_text(text) == [t.norm for t in nlp.make_doc(text)], text
    expanded = [
        words
        for _, entry in _groups()
        for pattern in entry.patterns
        for words in expand(pattern) or []
        if words and not any(w.isspace() for w in words)
    ]
    expanded += [["every", "wed"], ["cannot", "go"]]  # "wed" is cut "we" "'d"
    for _, entry in _groups():  # built from each word's NORMs, as the phrases' own
        for pattern in entry.patterns:
            choices = _choices(pattern)
            if choices is not None:
                words = [w for w in expand(pattern) or [] if w]
                assert norms.of_pattern(choices) == [norms.of_words(w) for w in words], pattern
    assert len(expanded) > 5000
    for words in expanded:
        tokens = [t.norm for t in nlp.make_doc(" ".join(words))]
        assert norms.of_words(words) == tokens, words


def test_pipeline_is_built_once_and_labels_hits() -> None:
    assert terms() is terms()
    doc = terms().nlp("She has no kids; the dog, Baby, was asleep.")
    labelled = {(h.group.section, doc[h.start : h.end].text) for h in match(doc)}
    assert ("target", "kids") in labelled
    assert ("modifier", "no") in labelled
    assert ("target", "dog, Baby") in labelled  # other sense: a pet called Baby
    assert ("cue", "asleep") in labelled

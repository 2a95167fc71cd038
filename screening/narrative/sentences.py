"""Where a narrative's sentences start, from its tokens' orth ids.

The rule is spaCy's Sentencizer's: a sentence starts at the first token that is neither
punctuation nor a sentence-ending character (".", "!", "?" and their equivalents in other
scripts) after such a character; the first token starts the first sentence. Read from the orth
ids the spelling layer has already taken from the doc, with each word's class cached, it costs
less than the pipeline component (which builds a Token object per token).
`tests/test_narrative_sentences.py` holds it to the Sentencizer on every labelled narrative.
"""

from __future__ import annotations

from spacy.pipeline.sentencizer import Sentencizer
from spacy.vocab import Vocab

_WORD, _PUNCT, _ENDING = 0, 1, 2
_ENDINGS = frozenset(Sentencizer.default_punct_chars)


class SentenceStarts:
    """Sentence starts for docs of one vocabulary."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.kinds: dict[int, int] = {}  # orth id -> _WORD, _PUNCT or _ENDING

    def _kind(self, orth: int) -> int:
        lexeme = self.vocab[orth]
        kind = _ENDING if lexeme.orth_ in _ENDINGS else _PUNCT if lexeme.is_punct else _WORD
        self.kinds[orth] = kind
        return kind

    def __call__(self, orths: list[int]) -> list[int]:
        """The token index of each sentence's first token, in order; [0] for no tokens."""
        kinds = self.kinds
        starts = [0]
        seen_ending = False
        for i, orth in enumerate(orths):
            kind = kinds.get(orth)
            if kind is None:
                kind = self._kind(orth)
            if kind == _ENDING:
                seen_ending = True
            elif kind == _WORD and seen_ending:
                if i:
                    starts.append(i)
                seen_ending = False
        return starts

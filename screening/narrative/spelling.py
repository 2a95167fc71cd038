"""The spelling layer: a misspelt child, kinship or pregnancy word is read as the word meant.

Officers type on handhelds: "dauhgter (11)", "grandkds", "preganant". Before the matchers run,
every word of a narrative that is neither an English word (symspellpy's English frequency
dictionary) nor a lexicon word is looked up in a SymSpell index of the lexicon: the single
words of the target kinds named in `data/spelling.toml`. Within the edit distance allowed for
its length, the word's NORM becomes the lexicon word, so every phrase, pattern and scope rule
reads it as meant while spans keep the officer's own text.

Ordinary words never turn into children: an English word is never corrected ("soon" stays
"soon", "laughter" stays "laughter", "cost" stays "cost") unless, written in lower case, it is
two swapped letters of a lexicon word twenty times commoner ("abby" for "baby"); nor is a word
in `never`, nor one shorter than `min_length` ("sun"). A capitalised word is a name, not a short
kinship word ("Sona", not "sons"), but may be a long kinship word or a word that only means a
child ("Dauhgter", "Kdis"). A police abbreviation reads as the word it stands for
(`abbreviations`: "juvs", "w/"). A word that starts like a child word but that no correction
resolves is a near miss (`near_misses`): the safety net makes it uncertain.

Corrections are made once per distinct word on the shared vocabulary (a lexeme's NORM), so a
word costs a dictionary lookup the first time a process sees it and nothing after.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc
from spacy.vocab import Vocab
from symspellpy import SymSpell, Verbosity

from screening.narrative.ocr import misread, repair
from screening.narrative.rule_files import child_terms, spelling

_SHORT = 5  # words shorter than this are corrected only to a lexicon word of their length
_LONG_NAME_SAFE = 6  # a capitalised word is corrected only towards lexicon words this long


_SWAP_RATIO = 20  # a swapped form this much rarer than the lexicon word is read as a typo of it


@lru_cache(maxsize=1)
def english_counts() -> dict[str, str]:
    """English words and their corpus counts, as written ("the" -> "23135851162"). The counts
    stay text: only a few are compared, and converting all 82,765 cost a tenth of start-up."""
    text = resources.files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt")
    parts = text.read_text("utf-8").split()
    return dict(zip(parts[0::2], parts[1::2], strict=True))


def _rare_swaps(lexicon: frozenset[str], counts: dict[str, str]) -> dict[str, str]:
    """English words that are two swapped letters of a far commoner lexicon word ("abby")."""
    found = {}
    for word in lexicon:
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if swapped in counts and int(counts[swapped]) * _SWAP_RATIO < int(counts.get(word, 0)):
                found[swapped] = word
    return found


# Words after which a capitalised word is a place or a name ("in Balby", "from Kidds").
_PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "from", "to", "near", "of", "via", "towards", "toward", "into", "outside", "off"}
)


@dataclass(frozen=True)
class Speller:
    english: frozenset[str]
    lexicon: frozenset[str]
    index: SymSpell
    distances: tuple[tuple[int, int], ...]
    min_length: int
    never: frozenset[str]
    stems: tuple[str, ...]
    abbreviations: dict[str, str]
    swaps: dict[str, str]  # lower-case English words read as a swap typo of a lexicon word
    short_kin: frozenset[str]  # kinship words a capitalised name may be one edit from

    def distance_for(self, word: str) -> int:
        allowed = 0
        for length, distance in self.distances:
            if len(word) >= length:
                allowed = distance
        return allowed

    def correction(self, orth: str) -> str | None:
        """The lexicon word `orth` is a misspelling of, or None."""
        word = orth.lower()
        if word in self.abbreviations:
            return self.abbreviations[word]
        if word in self.swaps and orth == word:
            return self.swaps[word]
        if (
            len(word) < self.min_length
            or not word.isalpha()
            or word in self.english
            or word in self.lexicon
            or word in self.never
        ):
            return None
        found = self.index.lookup(word, Verbosity.TOP, max_edit_distance=self.distance_for(word))
        if not found:
            return None
        term: str = found[0].term
        if len(word) < _SHORT and len(term) != len(word):
            return None  # a short word is only ever swapped or mistyped, never grown ("iddo")
        if orth[:1].isupper() and term in self.short_kin:
            return None  # "Sona": a name, not "sons"
        return term

    def is_near_miss(self, orth: str) -> bool:
        word = orth.lower()
        return (
            not (orth[:1].isupper() and orth[1:].islower())  # "Childwall": a place or a name
            and len(word) >= self.min_length
            and word.isalpha()
            and word not in self.english
            and word not in self.lexicon
            and word not in self.never
            and word.startswith(self.stems)
        )


def _kin_phrases() -> list[str]:
    """The kinship and relative words of the rule files, lower case ("son", "great-grandson")."""
    return [
        phrase.lower()
        for group in child_terms().target
        if group.kind in ("kin", "relative")
        for phrase in group.phrases
    ]


def _joined(words: set[str], kin: list[str]) -> dict[str, str]:
    """Relatives written as one word: a hyphenated one with its punctuation lost ("greatgrandson")
    read as the word after the hyphen, as the tokenizer reads "great-grandson"; and any relative
    one generation further ("greatnephew", "greatniece") read as the relative."""
    joined = {}
    for phrase in kin:
        whole, last = phrase.replace("-", ""), phrase.rsplit("-", 1)[-1]
        if "-" in phrase and " " not in phrase and whole.isalpha() and last in words and (
            whole not in words  # "grandchildren" is a word of its own
        ):
            joined[whole] = last
    joined.update(
        (f"great{word}", word) for word in kin if word.isalpha() and f"great{word}" not in words
    )
    return joined


@lru_cache(maxsize=1)
def speller() -> Speller:
    config = spelling()
    words = {
        phrase.lower()
        for group in child_terms().target
        if group.kind in config.kinds
        for phrase in group.phrases
        if " " not in phrase and phrase.isalpha()
    } | {w.lower() for w in config.extra_words}
    lexicon = frozenset(w for w in words if len(w) >= config.min_length)
    counts = english_counts()
    kin = _kin_phrases()
    top = max(d for _, d in config.distances)
    index = SymSpell(max_dictionary_edit_distance=top, prefix_length=7)
    for word in sorted(lexicon):
        index.create_dictionary_entry(word, 1)
    return Speller(
        frozenset(counts),
        lexicon,
        index,
        tuple(config.distances),
        config.min_length,
        frozenset(w.lower() for w in config.never),
        tuple(config.near_stems),
        {**_joined(words, kin), **{k.lower(): v.lower() for k, v in config.abbreviations.items()}},
        _rare_swaps(lexicon, counts),
        # "AYRES": a surname, not "wyres" (Welsh)
        frozenset(phrase for phrase in kin if len(phrase) < _LONG_NAME_SAFE),
    )


def english_word(word: str) -> bool:
    return word in english_counts()


def known_word(word: str) -> bool:
    """An English word, or a word of the child, kinship and pregnancy lexicon ("preg")."""
    return word in english_counts() or word in speller().lexicon


def repair_scanned(text: str) -> str:
    """`ocr.repair` with English and the lexicon as the words a misreading may be of."""
    return repair(text, known_word, speller().lexicon.__contains__, english_word)


class SpellingLayer:
    """Sets the NORM of misspelt lexicon words on a vocabulary, each distinct word once."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.speller = speller()
        self.seen: set[int] = set()
        self.corrected: set[int] = set()  # orth ids whose NORM was corrected
        self.near: set[int] = set()  # orth ids of near misses
        self.misread: set[int] = set()  # orth ids of OCR misreadings ("chi1dren", "l8")
        config = spelling()
        self.roles = frozenset(vocab.strings.add(w) for w in config.role_abbreviations)
        self.role_words = frozenset(w.lower() for w in config.role_words)

    def apply(self, doc: Doc, orths: list[int], sentence_starts: list[int]) -> None:
        """Correct the doc's new words (`orths`, its orth ids) on the vocabulary."""
        new = set(orths) - self.seen
        if new:
            self.seen.update(new)
            strings = self.vocab.strings
            for orth in new:
                text = strings[orth]
                term = self.speller.correction(text)
                if term is not None:
                    self.vocab[text].norm_ = term
                    self.corrected.add(orth)
                elif self.speller.is_near_miss(text):
                    self.near.add(orth)
                elif misread(text, known_word):
                    self.misread.add(orth)
        if not self.corrected.isdisjoint(orths):
            self._keep_proper_nouns(doc, orths, frozenset(sentence_starts))
        if not self.roles.isdisjoint(orths):
            self._keep_roles(doc, orths)

    def _keep_roles(self, doc: Doc, orths: list[int]) -> None:
        """ "CH asked any children": in a log that is not all in capitals, "CH" before a verb
        of the log ("asked", "advised") is the call handler, not "ch" (children)."""
        if doc.text.upper() == doc.text:
            return
        last = len(orths) - 1
        for i, orth in enumerate(orths):
            if orth in self.roles and i < last and doc[i + 1].lower_ in self.role_words:
                doc[i].norm_ = doc[i].lower_

    def _keep_proper_nouns(self, doc: Doc, orths: list[int], starts: frozenset[int]) -> None:
        """ "a school in Balby": a capitalised word after a preposition inside a sentence is a
        place or a name, so it keeps its own spelling there ("the Dauhgter", a misspelling at a
        sentence's start, is still read)."""
        for i, orth in enumerate(orths):
            if orth not in self.corrected or i == 0:
                continue
            token = doc[i]
            text = token.text
            if (
                text[:1].isupper()
                and text[1:].islower()
                and i not in starts
                and doc[i - 1].lower_ in _PLACE_PREPOSITIONS
            ):
                token.norm_ = token.lower_

    def near_misses(self, orths: list[int]) -> list[int]:
        """Token indices of words that start like a child word but were not resolved."""
        if self.near.isdisjoint(orths):
            return []
        return [i for i, orth in enumerate(orths) if orth in self.near]

    def was_corrected(self, doc: Doc, start: int, end: int) -> bool:
        return any(doc[i].orth in self.corrected for i in range(start, end))

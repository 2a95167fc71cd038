"""Text scanned from paper forms: the common OCR confusions put right before the narrative is read.

Some forces send notifications as text read off a scanned form. Optical character recognition
confuses "l" with "1" and "O" with "0" ("chi1dren", "P0LICE", "aged l8", "2O22"), breaks words
at line ends ("chil-\\ndren") and splits them ("daugh ters"). `repair` undoes these where the
result is a known word or a number, and nowhere else: "S1", "Q10", "M6", "10am" and postcode
districts stay as they are (too few letters to read as a word), as does a reference such as
"CAD1010" that reads as no word.

Every repair keeps the text's length and each character's offset (a line-end hyphen's "-" and
a split word's space move to the word's end), so findings' spans still point into the text the
police sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_DIGITS = re.compile(r"\d+")  # a misread word or number has digits beside letters
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_HYPHEN_BREAK = re.compile(r"-[ \t]*\n")
_WORD_BEFORE = re.compile(r"[A-Za-z][A-Za-z0-9]+$")
_WORD_AFTER = re.compile(r"[ \t]*([a-z0-9][a-z0-9]+)")
_AS_DIGIT = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0"})
_DIGITS_READ_AS = {"1": "l", "0": "o"}
_MIN_LETTERS = 3  # "S1", "DS1", "10am", "SW10": too few letters to be a misread word
# Two words with one space between (the second found by a lookahead: pairs overlap).
_PAIR = re.compile(r"(?<![A-Za-z])([A-Za-z]{2,}) (?=([a-z]{2,})(?![A-Za-z]))")


def _as_number(word: str) -> str | None:
    """ "l8" -> "18", "2O22" -> "2022": letters that look like digits among digits."""
    fixed = word.translate(_AS_DIGIT)
    return fixed if fixed.isdigit() and fixed != word else None


def _as_word(word: str, known: Callable[[str], bool]) -> str | None:
    """ "chi1dren" -> "children", "P0LICE" -> "POLICE": digits that look like letters."""
    letters = sum(c.isalpha() for c in word)
    if letters < _MIN_LETTERS or any(c.isdigit() and c not in _DIGITS_READ_AS for c in word):
        return None
    chars = list(word)
    for i, c in enumerate(word):
        if c in _DIGITS_READ_AS:
            beside = [word[j] for j in (i - 1, i + 1) if 0 <= j < len(word) and word[j].isalpha()]
            upper = bool(beside) and all(b.isupper() for b in beside)
            chars[i] = _DIGITS_READ_AS[c].upper() if upper else _DIGITS_READ_AS[c]
    fixed = "".join(chars)
    return fixed if known(fixed.lower()) else None


def _mixed_runs(text: str) -> list[tuple[int, int]]:
    """The spans of the letter-and-digit runs that hold a look-alike beside the other kind."""
    runs: dict[int, int] = {}
    for m in _DIGITS.finditer(text):
        start, end = m.start(), m.end()
        before = start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()
        after = end < len(text) and text[end].isascii() and text[end].isalpha()
        if not (before or after):
            continue
        while start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
            start -= 1
        if start not in runs:
            run = _ALNUM.match(text, start)
            if run is not None:
                runs[start] = run.end()
    return sorted(runs.items())


def repair(text: str, known: Callable[[str], bool], lexicon: Callable[[str], bool],
           english: Callable[[str], bool]) -> str:
    """`text` with OCR confusions undone where the result is a `known` word or a number, and
    words split in two joined where neither half is an `english` word and the whole is a
    `lexicon` word (a child, kinship or pregnancy word); of the same length. Words are split
    only in a text that shows other OCR errors."""
    runs = _mixed_runs(text)
    if not runs and "-" not in text:
        return text
    chars = list(text)
    repaired = False
    for start, end in runs:
        fixed = _as_number(text[start:end]) or _as_word(text[start:end], known)
        if fixed is not None:
            chars[start:end] = fixed
            repaired = True
    text = "".join(chars)
    for m in _HYPHEN_BREAK.finditer(text):
        first = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        second = _WORD_AFTER.match(text, m.end())
        if first is None or second is None:
            continue
        joined = first.group() + second.group(1)  # "chi1-\ndren": joined, then read as a word
        if not known(joined.lower()):
            joined = _as_word(joined, known) or ""
        if joined:
            start, end = first.start(), second.end()
            chars[start:end] = joined + " " * (end - start - len(joined) - 1) + "\n"
            repaired = True
    if not repaired:
        return text
    text = "".join(chars)
    for pair in _PAIR.finditer(text):
        head, tail = pair.group(1), pair.group(2)
        if lexicon((head + tail).lower()) and not english(head.lower()) and not english(
            tail.lower()
        ):
            end = pair.start() + len(head) + 1 + len(tail)
            chars[pair.start() : end] = head + tail + " "
    return "".join(chars)



def misread(word: str, known: Callable[[str], bool]) -> bool:
    """Is `word` (one token) a number or a `known` word misread ("chi1dren", "l8")?"""
    if word.isalpha() or word.isdigit() or not word.isascii() or not word.isalnum():
        return False
    return _as_number(word) is not None or _as_word(word, known) is not None


def has_line_break_hyphen(text: str) -> bool:
    return _HYPHEN_BREAK.search(text) is not None

"""Person mentions in a narrative, with the ages that belong to them.

Turns matcher hits (`patterns`) and age expressions (`ages`) into mentions:
- every target hit, overlaps resolved longest-first, other senses ("child seat") removed;
- each age is attached to the person word it describes, looking left past names, commas and
  "who is" ("their son Alfie, aged 3"; "her eldest, Finley, who is 9"), then right ("a 4-year-old
  son"); an age on a party word is a young party ("IP (16)", "she is sixteen"); an age on a name
  is a named person ("Poppy, 4,"); a strong form with no person word stands alone ("a 3-yr-old");
- later mentions of a named child, and not of a pet called Baby.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc

from screening.narrative.ages import AgeMention, find_ages
from screening.narrative.entries import Chronology
from screening.narrative.name_shape import is_acronym, is_name
from screening.narrative.patterns import Hit, Terms
from screening.narrative.rule_files import age_terms

# Tokens the age look-back may pass over between a person word and its age.
_PASS = frozenset(
    {
        ",",
        "(",
        "-",
        "–",
        ":",
        "who",
        "is",
        "was",
        "are",
        "were",
        "all",
        "whom",
        "of",
        "present",
        "attained",
        "reached",
        "aged",
        "age",
        "now",
        "only",
        "just",
        "nearly",
        "almost",
        "and",
        "'s",
        "both",
        "currently",
        "turned",
        "turns",
        "dob",
        "born",
    }
)
_PERSON_KINDS = ("minor", "kin", "relative", "sibling")
# People a relative clause may be about instead of the person word before them.
_OTHER_PEOPLE = frozenset(
    {"partner", "ex", "s1", "ip", "boyfriend", "girlfriend", "husband", "wife", "father", "mother",
     "dad", "mum", "mam", "stepfather", "stepmother", "grandmother", "grandfather", "nan", "gran",
     "grandad", "uncle", "aunt", "auntie", "friend", "neighbour", "brother", "sister", "cousin",
     "carer", "lodger", "man", "woman", "bf", "gf", "fiance", "fiancee", "spouse", "stepdad",
     "stepmum"}
)


@lru_cache(maxsize=1)
def _months() -> frozenset[str]:
    """Month names and abbreviations, from the age rule file."""
    return frozenset(age_terms().months)


_DETERMINERS = frozenset({"a", "an", "the", "her", "his", "their", "my", "our", "one"})
_PRONOUNS = frozenset({"she", "he", "i"})
_COPULAS = frozenset({"is", "was", "are", "were"})  # NORM: "'re" and "re" are "are"
_ANTECEDENT_REACH = 30  # tokens back from "they are 19 and 21" to the people it is said of
# A clause saying who speaks of the people before their age: "the children he refers to are 24"
_SPOKEN_OF = frozenset({"he", "she", "they", "ip", "s1", "refers", "referred", "mentioned",
                        "mentions", "means", "meant", "calls", "called", "talks", "talked",
                        "spoke", "speaks", "about", "to"})
# What may stand between a word for children and the person it is said to be ("one child, a son
# of 20", "their 'bairns' are two grown sons of 35 and 38")
_IDENTITY = frozenset({",", "-", "–", ":", "is", "are", "was", "were", "namely", "a", "an", "both",
                       "two", "three", "four", "grown", "grown-up", "adult", "now", "'", "’", "\"",
                       "”", "(", "being", "one"})
# Weak forms a common word may precede: at a sentence's start, where every word has a capital,
# a dictionary word before them is not a name ("Married two years"). Not a bare number: "Lacey
# 12 lives with IP" starts with a name that is also a word.
_FIRST_WORD_WEAK = frozenset({"age_with_unit", "over_age"})
# Forms that mark an age even beside a word that may or may not be a name ("lily (4)").
# Forms a field's label may precede: "Charges: (1) assault", "Grade: 2".
_LABELLED = frozenset({"age_with_unit", "over_age", "bare_age", "bracket_age"})
_AFTER_PHRASE = frozenset({"bracket_age", "comma_age", "now_age"})  # set off after a phrase
_PLACEABLE = frozenset({"bracket_age", "who_is", "who_is_age", "comma_age", "date_after_name"})
# ("date_after_name" is a date followed by a role word: "khan 05/06/2008 suspect")
_TITLE_WORD = re.compile(r"\b[A-Z][a-z]")  # a narrative with none is written without capitals


@dataclass(slots=True)
class Mention:
    """A word or phrase that may be a child, and what is known about its age."""

    kind: str  # a target kind (child_terms.toml), or "named", "age"
    rule: str
    category: str | None
    start: int  # tokens
    end: int
    char_start: int
    char_end: int
    age: AgeMention | None = None
    names: list[str] = field(default_factory=list)
    fixed_category: bool = False
    sign_only: bool = False

    def take_age(self, age: AgeMention) -> None:
        if self.age is None or age.youngest < self.age.youngest:
            self.age = age
        self.char_start = min(self.char_start, age.start)
        self.char_end = max(self.char_end, age.end)


def longest_first(hits: list[Hit]) -> list[Hit]:
    """Drop every hit overlapping a longer (then earlier) one."""
    kept: list[Hit] = []
    taken: set[int] = set()
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        span = range(hit.start, hit.end)
        if not taken.intersection(span):
            kept.append(hit)
            taken.update(span)
    return sorted(kept, key=lambda h: h.start)


def _mention(doc: Doc, kind: str, rule: str, category: str | None, start: int, end: int) -> Mention:
    last = doc[end - 1]
    return Mention(kind, rule, category, start, end, doc[start].idx, last.idx + len(last))


class _Attacher:
    """Attaches ages to mentions in one doc (see the module docstring)."""

    def __init__(
        self,
        doc: Doc,
        terms: Terms,
        mentions: list[Mention],
        sentence_start: Callable[[int], int],
        capitals_mark_names: bool,
        mixed_case: bool,
        text: str,
    ) -> None:
        self.doc = doc
        self.text = text  # the doc's text (`doc.text` would build it again)
        self.capitals_mark_names = capitals_mark_names
        # lower-case words beside capitals: a word in capitals may be an acronym ("DAQ 8")
        self.mixed_case = mixed_case
        self.terms = terms
        self.mentions = mentions
        self.sentence_start = sentence_start
        self.ending = {m.end: m for m in mentions if m.kind in _PERSON_KINDS}
        self.starting = {m.start: m for m in mentions if m.kind in _PERSON_KINDS}
        self.extra: list[Mention] = []
        self.adult_names: dict[str, AgeMention] = {}  # "Jamie is 20": a name given an adult age

    def attach(self, age: AgeMention, start: int, end: int) -> None:
        doc, terms = self.doc, self.terms
        if age.youngest == 0 and age.rule in {"bare_age", "number_after_person", "comma_age"}:
            return  # "dependants 0", "U18 0": a count of none, not a newborn
        if age.rule == "number_after_person":
            person = self.ending.get(start)
            if person is not None and person.age is None:
                self.give(person, age, [])
            return
        if age.rule == "bare_age" and end < len(doc) and doc[end].norm_ in terms.counted_nouns:
            return  # "Household 2 adults": a count of the noun after it, not an age
        if end < len(doc) and doc[end].norm_ in _months() and doc[end - 1].text[-1:].isdigit():
            return  # "On 4 Dec", "Grace 2 April": a day of the month, not an age
        following = self.starting.get(end)  # "IP's 15yo son": the age describes the son
        if following is not None and following.age is None and age.rule != "bare_age":
            self.give(following, age, [])
            return  # (a bare number before a noun counts it: "3 kids")
        if age.rule == "gestation" or (age.youngest < 1 and doc[start].norm_ in terms.party_words):
            # "I'm 18 wks", "she is 20 weeks": a gestation stated by or of a party
            self.add("pregnancy", "gestation_weeks", start, end, age, [])
            return
        if age.rule == "date_after_name":  # "Daniel MENSAH 11/04/2008 son": the son's too
            after = [m for m in self.mentions
                     if m.kind in _PERSON_KINDS and end <= m.start <= end + 2 and m.age is None]
            for follower in after[:1]:
                follower.take_age(age)
        if doc[start].norm_ == "who":  # "two children from a previous marriage who are 19 and 21"
            head = [m for m in self.mentions if m.kind in _PERSON_KINDS and m.age is None
                    and start - 8 <= m.end <= start
                    and self.sentence_start(m.start) == self.sentence_start(start)]
            if head and self.relative_reaches(head[-1], start):
                self.give(head[-1], age, [])
                return
        if doc[start].norm_ in _PRONOUNS and doc[start].norm_ != "i" and age.rule == "who_is":
            self.party(age, start, end, doc[start].norm_)  # "he's thirty": the person just named
            return
        if (doc[start].norm_ in _COPULAS or age.rule == "aged") and self.phrase_head(age, start):
            return
        if doc[start].norm_ in _COPULAS and self.plural_antecedent(age, start):
            return
        they = start > 0 and doc[start - 1].norm_ == "they"
        if age.is_minor and they and doc[start].norm_ in _COPULAS:
            # "Who else is in the house? - my two, they're 10 and 12": people under 18, whoever
            # "they" are (children, or parties who are children themselves)
            self.add("age", "child_age", start - 1, end, age, [])
            return
        names: list[str] = []
        first_name = start
        floor = self.sentence_start(start)
        word_before = start > 0 and doc[start - 1].is_alpha
        i = start - 1
        while i >= floor and start - i <= 8:
            lower = doc[i].norm_
            person = self.ending.get(i + 1)
            if person is not None:
                self.give(person, age, names)
                return
            if lower in terms.party_words and lower not in {"i"}:
                if age.rule == "bare_age" and all(t.is_space for t in doc[i + 1 : start]):
                    return  # "2. Trevor ... - suspect 3.": a list number, not an age
                if i + 1 < start and doc[i + 1].norm_ in {"'s", "'"} and age.is_minor:
                    # "IP's 3 yo was asleep": the party's child, not the party
                    self.add("age", "child_age", i, end, age, [])
                    return
                self.party(age, i, end, lower)
                return
            if lower in terms.age_anchor_stop:
                if i == start - 1:
                    return  # "DASH high (15)", "Flat 12": a score or a number, not an age
                break
            if lower in terms.person_nouns and age.is_minor:
                self.add("age", "person_with_age", i, end, age, [])  # "a lad (6)", "male, 15"
                return
            if lower in terms.not_names:
                break
            if names and lower in {"and", "&"}:
                break  # "her son and Dave (45)": the age is Dave's, not the son's
            if lower in _PASS or doc[i].is_space:
                i -= 1
                continue
            english = terms.spelling.speller.english
            first = all(doc[j].is_space for j in range(floor, i))  # the sentence's first word
            if age.rule in _FIRST_WORD_WEAK and first and doc[i].norm_ in english:
                break  # "Married two years", "Grade 3 - scheduled": a sentence's first word
            if i + 1 < start and doc[i + 1].text == ":" and age.rule in _LABELLED:
                break  # "Charges: (1) assault", "Grade: 2": a field's label, not a name
            if self.mixed_case and is_acronym(doc, i):
                break
            if is_name(doc[i].text, terms.age_anchor_stop) or (
                not self.capitals_mark_names  # without capitals: a word no dictionary knows
                and doc[i].is_alpha
                and doc[i].norm_ not in english
                and doc[i].norm_ not in terms.party_words
            ):
                names.append(doc[i].text)
                first_name = i
                i -= 1
                continue
            break
        if not names and age.rule in _AFTER_PHRASE and self.phrase_head(age, start):
            return  # "a stepdaughter from his marriage, now 25", "son from her first marriage (27)"
        person = self.starting.get(end) or self.starting.get(end + 1)
        if age.rule == "bare_age":
            person = None  # a bare number before a noun counts it ("3 kids")
        if person is not None and (end >= len(doc) or person.start == end or doc[end].is_punct):
            self.give(person, age, [])
        elif names and age.is_minor:
            self.add("named", "named_child_with_age", first_name, end, age, names)
        elif names:
            self.adult_names.update((name, age) for name in names)
        elif age.strong and age.is_minor and not names:
            self.add("age", "child_age", start, end, age, [])
        elif (age.is_minor and word_before and age.rule in _PLACEABLE
              and (not self.capitals_mark_names or self.unknown_word(start - 1))):
            # Written without capitals, a name cannot be told from a word: "lily (4) asleep";
            # a word no dictionary knows before a child's age may be a misspelt person word
            # ("her nefew (6)"): for a person to read.
            self.add("unplaced_age", "age_of_unnamed_person", start - 1, end, age, [])

    def relative_reaches(self, person: Mention, who: int) -> bool:
        """Does the "who" at token `who` open a clause about `person`? Only when what stands
        between them is the person's own phrase ("two children from a previous marriage who
        are 19", "her son, Jack, who is 4"); another person between ("her son lives with his
        father who is 45", "her daughter was with her boyfriend, who is 19") is whom it is
        about."""
        doc, terms = self.doc, self.terms
        apposition = True  # names straight after the person word are its own ("son Jack")
        for i in range(person.end, who):
            token = doc[i]
            lower = token.norm_
            if token.is_space or lower == ",":
                continue
            if apposition and token.text[:1].isupper() and token.is_alpha:
                continue
            apposition = False
            if lower in _OTHER_PEOPLE or lower in terms.party_words or lower in terms.person_nouns:
                return False
            if lower not in terms.phrase_words:
                return False
        return True

    def phrase_head(self, age: AgeMention, start: int) -> bool:
        """ "his daughter from his first marriage is 27", "Oskar's children (grandkids) are 19 and
        21", "the children he refers to are now 24 and 26": the age of the phrase's person word,
        past the phrase, a bracket, or a clause saying who speaks of them."""
        words = self.terms.phrase_words | {","} | _SPOKEN_OF
        doc = self.doc
        i = start - 1
        while i >= max(0, start - 10):
            if doc[i].text == ")":  # past a bracket closed just before the verb
                opening = next((j for j in range(i - 1, max(-1, i - 6), -1)
                                if doc[j].text == "("), None)
                if opening is None:
                    break
                i = opening - 1
                continue
            if not (doc[i].norm_ in words or doc[i].is_space):
                break
            person = self.ending.get(i)
            if person is not None and person.age is None and i < start - 1:
                self.give(person, age, [])
                return True
            i -= 1
        person = self.ending.get(i + 1)
        if person is not None and person.age is None and i + 1 < start:
            self.give(person, age, [])
            return True
        return False

    def unknown_word(self, i: int) -> bool:
        """A word in lower case that neither the dictionary nor the rules know."""
        token = self.doc[i]
        return (token.is_lower and token.is_alpha
                and token.norm_ not in self.terms.spelling.speller.english
                and token.norm_ not in self.terms.party_words)

    def plural_antecedent(self, age: AgeMention, start: int) -> bool:
        """ "'carruurtayda' (my children) - they are 19 and 21", "Leigh's kids ... - they are now
        18 and 20": ages said of "they" are those of the people last named before, when that is
        a plural word for children (within this sentence or the one before)."""
        doc = self.doc
        if start == 0 or doc[start - 1].norm_ not in {"they", "both", "all"}:
            return False
        first = self.sentence_start(start)
        floor = self.sentence_start(first - 1) if first > 0 else 0  # the sentence before
        for i in range(start - 1, max(floor, start - _ANTECEDENT_REACH) - 1, -1):
            person = self.ending.get(i)
            if person is None:
                continue
            word = doc[i - 1].norm_
            if person.age is None and (word.endswith("s") or word.endswith("ren")):
                self.give(person, age, [])
                return True
            return False  # the nearest person is someone else: the ages are not theirs
        return False

    def give(self, person: Mention, age: AgeMention, names: list[str]) -> None:
        person.take_age(age)
        person.names.extend(names)
        doc = self.doc
        before = person.start - 1
        if len(age.ages) > 1:  # "a son and a daughter now aged 27 and 25": one list for both
            while before >= 1 and doc[before].norm_ in _DETERMINERS:
                before -= 1
        if before >= 1 and doc[before].norm_ in {"and", "&"}:
            partner = self.ending.get(before)  # "nephew and niece (12 and 10)"
            if partner is not None and partner.age is None:
                partner.take_age(age)
        # "the youngest of the couple's offspring attained the age of eighteen": the part is
        # the age of the whole it is taken from
        of = person.start - 1
        while of >= 1 and person.start - of <= 3 and doc[of].norm_ != "of":
            of -= 1
        if of >= 1 and doc[of].norm_ == "of":
            whole = self.ending.get(of)
            if whole is not None and whole.age is None and whole.kind == "kin":
                whole.take_age(age)

    def party(self, age: AgeMention, at: int, end: int, word: str) -> None:
        kin = self.ending.get(at)  # "her son S1 (15)": the party is the son
        if kin is not None:
            self.give(kin, age, [])
        elif word in _PRONOUNS:  # "he is seventeen": the child just mentioned, else the party
            earlier = [
                m
                for m in self.mentions
                if m.kind in _PERSON_KINDS
                and m.end <= at
                and self.sentence_start(m.start) >= self.previous_sentence(at)
            ]
            if earlier and earlier[-1].age is None:
                self.give(earlier[-1], age, [])
                return
            if earlier and " now " in f" {self.text[age.start : age.end].lower()} ":
                # "IP's son (16) witnessed, he is now 20": the age today replaces the age then
                earlier[-1].age = age
                return
        if age.youngest < 1:  # "IP is 34 weeks": a gestation, not the party's age
            self.add("pregnancy", "gestation_weeks", at, end, age, [])
        elif age.is_minor:
            self.add("young_party", "young_party_age", at, end, age, [])

    def previous_sentence(self, token: int) -> int:
        start = self.sentence_start(token)
        return self.sentence_start(start - 1) if start > 0 else 0

    def add(
        self, kind: str, rule: str, start: int, end: int, age: AgeMention, names: list[str]
    ) -> None:
        category = "young_party" if kind == "young_party" else "household"
        mention = _mention(self.doc, kind, rule, category, max(start, 0), end)
        mention.take_age(age)
        mention.names.extend(names)
        self.extra.append(mention)


def build_mentions(
    doc: Doc,
    text: str,
    terms: Terms,
    targets: list[Hit],
    occurred_on: date,
    sentence_start: Callable[[int], int],
    dated: Chronology,
) -> list[Mention]:
    """Mentions from target hits and age expressions (see the module docstring); `dated` is the
    narrative's chronology, whose entries date the ages in them."""
    other = [h for h in targets if h.group.kind == "other_sense"]
    pets = {doc[h.end - 1].text for h in other if doc[h.end - 1].text[:1].isupper()}
    mentions = []
    for h in targets:
        if h.group.kind == "other_sense" or (pets and doc[h.start : h.end].text in pets):
            continue
        end = max(h.start + 1, h.end - h.group.context_after)
        mention = _mention(doc, h.group.kind, h.group.rule, h.group.category, h.start, end)
        mention.fixed_category = h.group.fixed_category
        mention.sign_only = h.group.sign_only
        mentions.append(mention)
    capitals_mark_names = _TITLE_WORD.search(text) is not None
    attacher = _Attacher(
        doc, terms, mentions, sentence_start, capitals_mark_names, text != text.upper(), text
    )
    taken = {i for m in mentions for i in range(m.start, m.end)}
    taken.update(i for h in other for i in range(h.start, h.end))
    for age in find_ages(text, occurred_on, dated):
        span = doc.char_span(age.start, age.end, alignment_mode="expand")
        if span is None or taken.intersection(range(span.start, span.end)):
            continue
        attacher.attach(age, span.start, span.end)
    mentions.extend(attacher.extra)
    _named_adults(doc, mentions, attacher.adult_names)
    _identified(doc, mentions)
    mentions.extend(_named_again(doc, text, mentions))
    return sorted(mentions, key=lambda m: m.char_start)


def _identified(doc: Doc, mentions: list[Mention]) -> None:
    """A word for children said to be a person of known age, straight after it: "IP has one
    child, a son of 20", "their 'bairns' are two grown sons of 35 and 38": the same people."""
    starting = {m.start: m for m in mentions if m.kind in _PERSON_KINDS and m.age is not None}
    if not starting:
        return
    for m in mentions:
        if m.age is not None or m.kind != "minor":
            continue
        i = m.end
        while i < len(doc) and i < m.end + 5 and (doc[i].norm_ in _IDENTITY or doc[i].is_space):
            i += 1
        person = starting.get(i)
        if person is not None and person.age is not None and i > m.end:
            m.take_age(person.age)


def _named_adults(doc: Doc, mentions: list[Mention], ages: dict[str, AgeMention]) -> None:
    """A person word named straight after it ("a son, Jamie, from an earlier relationship") takes
    the adult age that name is given elsewhere ("Jamie is 20"): the same person."""
    if not ages:
        return
    for m in mentions:
        if m.age is not None or m.kind not in _PERSON_KINDS:
            continue
        i, seen = m.end, 0
        while i < len(doc) and seen < 2:
            token = doc[i]
            if token.is_space or token.text == ",":
                i += 1
                continue
            if not (token.is_alpha and token.text[:1].isupper()):
                break
            age = ages.get(token.text)
            if age is not None:
                m.take_age(age)
                break
            seen += 1
            i += 1


def _named_again(doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """Later mentions of a child named with an age ("Alfie (3)" ... "Alfie was screaming")."""
    names = {n: m for m in mentions if m.age is not None and m.age.is_minor for n in m.names}
    if not names:
        return []
    covered = [(m.char_start, m.char_end) for m in mentions]
    found: list[Mention] = []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
    for match in pattern.finditer(text):
        if any(s <= match.start() < e for s, e in covered):
            continue
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        source = names[match.group(0)]
        again = _mention(doc, "named", "named_child", "household", span.start, span.end)
        again.age = source.age
        found.append(again)
    return found

"""Properties, not examples (issue 8 item 8): small changes to the narrative of an involved
notification never screen it out.

Over every involved notification (label.child_involvement true) in every labelled set
(tests/data/*.jsonl, globbed when the tests run, and ../shared/data/examples.jsonl), none of
these changes to `narrative` may route it `screened_out`:

  (a) all lower case; all upper case;
  (b) every character of string.punctuation deleted; or replaced by a space;
  (c) line breaks replaced by spaces;
  (d) two adjacent letters swapped inside a child, kinship, relative, sibling or pregnancy
      word (single words of 4+ letters from screening/data/child_terms.toml, found as whole
      words, case-insensitively);
  (e) a sentence denying children appended at the end.

(a), (b), (c) and (e) are applied to every involved notification, and (d) once per word
occurrence (the middle pair), each collecting every failure so that one run shows them all;
hypothesis then tries other occurrences and pairs for (d). A variant the contract would reject
(a narrative outside 1..20000 characters) is not a notification and is not screened.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.contract import Notification
from screening.screener import Screener, load_screener
from tests.perturbations import (
    SHARED_EXAMPLES,
    TRANSFORMS,
    Case,
    data_files,
    involved_cases,
    is_valid_narrative,
    lexicon,
    middle_swaps,
    occurrences,
    swap,
    swapped_word,
    with_narrative,
)

Failure = tuple[str, Case, str]  # (transform, case, what changed)


@cache  # not a fixture: hypothesis would print the whole list with each example
def swappable_cases() -> list[Case]:
    """The involved cases with a lexicon word in which two adjacent letters can swap."""
    return [case for case in involved_cases()
            if any(o.swappable_pairs() for o in occurrences(case.notification.narrative))]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return load_screener()


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return involved_cases()


@pytest.fixture(scope="module")
def unperturbed_routes(screener: Screener, cases: list[Case]) -> dict[tuple[str, int], str]:
    """The route of each case as written, to show beside a failure (not asserted here)."""
    results = screener.screen_many([case.notification for case in cases])
    return {(case.source, case.line): result.route
            for case, result in zip(cases, results, strict=True)}


def screened_out(screener: Screener, variants: list[tuple[Case, Notification, str, str]]
                 ) -> list[Failure]:
    """Screen (case, changed notification, transform, detail) rows; those screened out."""
    results = screener.screen_many([notification for _, notification, _, _ in variants])
    return [(transform, case, detail)
            for (case, _, transform, detail), result in zip(variants, results, strict=True)
            if result.route == "screened_out"]


def report(failures: list[Failure], unperturbed: dict[tuple[str, int], str],
           checked: int) -> str:
    by_transform = Counter(transform.split(":")[0] for transform, _, _ in failures)
    by_file = Counter(case.source for _, case, _ in failures)
    lines = [f"{len(failures)} of {checked} perturbed involved notifications screened out",
             "by transform: " + ", ".join(f"{k} {v}" for k, v in sorted(by_transform.items())),
             "by file: " + ", ".join(f"{k} {v}" for k, v in sorted(by_file.items()))]
    for transform, case, detail in failures:
        was = unperturbed[(case.source, case.line)]
        lines.append(f"  {case.reference} ({case.source}:{case.line}, unperturbed {was}): "
                     f"{transform}{': ' + detail if detail else ''}")
    return "\n".join(lines)


def test_the_labelled_sets_and_the_lexicon_are_there(cases: list[Case]) -> None:
    assert SHARED_EXAMPLES.exists(), SHARED_EXAMPLES
    assert len(data_files()) >= 2
    for word in ("child", "children", "daughter", "pregnant", "grandson", "sister"):
        assert word in lexicon()
    assert all(len(word) >= 4 and word.isalpha() for word in lexicon())
    assert sum(1 for case in cases if occurrences(case.notification.narrative)) > 100


def test_case_punctuation_line_breaks_and_denials_never_screen_out_a_child(
    screener: Screener, cases: list[Case], unperturbed_routes: dict[tuple[str, int], str]
) -> None:
    variants = []
    for case in cases:
        for transform, change in TRANSFORMS.items():
            narrative = change(case.notification.narrative)
            if is_valid_narrative(narrative):
                variants.append(
                    (case, with_narrative(case.notification, narrative), transform, ""))
    failures = screened_out(screener, variants)
    assert not failures, report(failures, unperturbed_routes, len(variants))


def test_a_transposed_letter_in_any_child_word_never_screens_out_a_child(
    screener: Screener, cases: list[Case], unperturbed_routes: dict[tuple[str, int], str]
) -> None:
    variants = []
    for case in cases:
        narrative = case.notification.narrative
        for occurrence, index in middle_swaps(case):
            detail = (f"{occurrence.word!r} -> {swapped_word(occurrence, index)!r} "
                      f"at {occurrence.start}")
            variants.append((case, with_narrative(case.notification, swap(narrative, index)),
                             "letters_swapped", detail))
    failures = screened_out(screener, variants)
    assert not failures, report(failures, unperturbed_routes, len(variants))


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_transposed_letter_pair_in_a_child_word_never_screens_out_a_child(
    screener: Screener, data: st.DataObject
) -> None:
    swappable = swappable_cases()
    case = swappable[data.draw(st.integers(0, len(swappable) - 1), label="case")]
    narrative = case.notification.narrative
    words = [o for o in occurrences(narrative) if o.swappable_pairs()]
    occurrence = words[data.draw(st.integers(0, len(words) - 1), label="occurrence")]
    index = data.draw(st.sampled_from(occurrence.swappable_pairs()), label="pair")
    changed = with_narrative(case.notification, swap(narrative, index))
    result = screener.screen(changed)
    assert result.route != "screened_out", (
        f"{case.reference} ({case.source}:{case.line}): {occurrence.word!r} -> "
        f"{swapped_word(occurrence, index)!r} at {occurrence.start}")

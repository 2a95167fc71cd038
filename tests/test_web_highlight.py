"""Cutting a narrative into highlighted segments from evidence spans."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from api.web.highlight import segments

TEXT = "Her son (6) was asleep upstairs; no other children."


def ev(start, end, category="present", polarity="positive", source="narrative"):
    return {
        "source": source,
        "start": start,
        "end": end,
        "category": category,
        "polarity": polarity,
        "rule": "r",
    }


def test_one_span_is_cut_out_and_labelled():
    start = TEXT.index("son (6)")
    parts = segments(TEXT, [ev(start, start + len("son (6) was asleep upstairs"))])
    assert [p.text for p in parts] == [
        "Her ",
        "son (6) was asleep upstairs",
        "; no other children.",
    ]
    assert [p.highlighted for p in parts] == [False, True, False]
    assert parts[1].label == "Child present" and parts[1].css == "dv-evidence--present"


def test_overlapping_spans_keep_both_labels_and_positives_win_the_colour():
    parts = segments(
        TEXT, [ev(4, 11, "present"), ev(8, 22, "household"), ev(33, 50, None, "negative")]
    )
    by_text = {p.text: p for p in parts}
    assert by_text["(6)"].label == "Child present; Child in household"
    assert by_text["son "].label == "Child present"
    assert by_text[" was asleep"].css == "dv-evidence--household"
    negated = next(p for p in parts if "other children" in p.text)
    assert negated.css == "dv-evidence--negative" and "(ruled out)" in negated.label


def test_spans_out_of_range_or_not_in_the_narrative_are_ignored_or_clipped():
    parts = segments(
        TEXT,
        [
            ev(-5, 3),
            ev(40, 999),
            ev(10, 5),
            ev(0, 4, source="field"),
            {"source": "narrative", "start": None, "end": 4},
        ],
    )
    assert "".join(p.text for p in parts) == TEXT
    assert [p.text for p in parts if p.highlighted] == ["Her", TEXT[40:]]


@given(
    st.text(max_size=80), st.lists(st.tuples(st.integers(-5, 90), st.integers(-5, 90)), max_size=6)
)
def test_segments_always_rebuild_the_narrative(text, spans):
    parts = segments(text, [ev(a, b) for a, b in spans])
    assert "".join(p.text for p in parts) == text
    assert all(p.text for p in parts) or text == ""

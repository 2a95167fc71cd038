"""Unlisted people named in the narrative doing what children at a scene do go to a person."""

from __future__ import annotations

from screening.narrative.names import unlisted_named_people


def named(text: str, listed: list[str] | None = None) -> list[tuple[str, str, str]]:
    found = unlisted_named_people(text, listed or [])
    assert all(text[f.start:f.end] == f.text for f in found)
    return [(f.text, f.category, f.polarity) for f in found]


def test_an_unlisted_name_at_the_scene_is_uncertain() -> None:
    assert named("IP stated Mabel answered the door to the neighbour.") == [
        ("Mabel", "present", "uncertain")]
    assert named("IP said Rosie-Ann was asleep in the front room and woke up.") == [
        ("Rosie-Ann", "present", "uncertain")]


def test_listed_people_adults_introduced_in_full_and_relatives_are_not() -> None:
    assert named("Mabel answered the door.", listed=["Mabel", "Jones"]) == []
    assert named("We spoke to the victim, Carla MENDES. Carla was crying.") == []
    assert named("Her sister Carla answered the door.") == []


def test_a_name_with_no_presence_cue_is_not_a_finding() -> None:
    assert named("IP said Mabel had been round for coffee last week.") == []


def test_common_words_opening_a_sentence_are_not_names() -> None:
    for text in ("Tonight she heard a bang and saw him walking away.",
                 "Staff heard him say he would wait.", "Shouting heard by passers-by.",
                 "Inside, I saw the complainer sitting on the stairs."):
        assert unlisted_named_people(text, []) == [], text


def test_names_that_are_also_words_still_count() -> None:
    for text in ("Grace was asleep upstairs.", "Ruby answered the door.",
                 "IP said Summer woke up screaming."):
        assert [f.rule for f in unlisted_named_people(text, [])] == ["unlisted_named_person"], text

"""The rule files follow their schema, and a wrong entry is named in the error."""

import pytest

from screening.narrative import rule_files
from screening.narrative.rule_files import ChildTerms, ContextTerms, RuleFileError, parse


def test_every_rule_file_loads_against_its_schema() -> None:
    assert rule_files.child_terms().target
    assert rule_files.context_terms().modifier
    assert rule_files.age_terms().form
    assert rule_files.name_cues().presence
    assert rule_files.spelling().kinds


def test_a_wrong_kind_names_the_file_the_entry_and_the_field() -> None:
    text = """
[[target]]
rule = "ok"
kind = "minor"
spec = "a line of the rule book"
phrases = ["child"]

[[target]]
rule = "kinship"
kind = "kinn"
spec = "a line of the rule book"
phrases = ["son"]

[referents]
[ages]
spec = "x"
not_after = []
not_names = []
party_words = []
[endearments]
spec = "x"
words = []
call_verbs = []
"""
    with pytest.raises(RuleFileError) as error:
        parse("child_terms.toml", text, ChildTerms)
    message = str(error.value)
    assert message.startswith("screening/data/child_terms.toml: target[1] (rule 'kinship'): kind:")
    assert "target[0]" not in message


def test_a_group_without_spec_or_terms_is_refused() -> None:
    text = """
[termination]
spec = "ends a clause"
phrases = ["but"]

[[modifier]]
rule = "negated_children"
effect = "negated"
direction = "forward"
scope = "gap"
phrases = ["no"]

[[modifier]]
rule = "empty"
effect = "negated"
direction = "forward"
scope = "gap"
spec = "a line of the rule book"
phrases = []

[[cue]]
cue = "present"
spec = "present"
phrases = ["asleep"]
"""
    with pytest.raises(RuleFileError) as error:
        parse("context_terms.toml", text, ContextTerms)
    message = str(error.value)
    assert "modifier[0] (rule 'negated_children'): spec: Field required" in message
    assert "modifier[1] (rule 'empty'): a group needs phrases or patterns" in message


def test_an_unknown_field_is_refused_not_ignored() -> None:
    text = """
[termination]
spec = "ends a clause"
phrases = ["but"]
[[modifier]]
rule = "r"
effect = "negated"
direction = "forwards"
scope = "gap"
spec = "s"
phrases = ["no"]
maxgap = 3
[[cue]]
cue = "present"
spec = "present"
phrases = ["asleep"]
"""
    with pytest.raises(RuleFileError) as error:
        parse("context_terms.toml", text, ContextTerms)
    message = str(error.value)
    assert "modifier[0] (rule 'r'): direction:" in message
    assert "modifier[0] (rule 'r'): maxgap: Extra inputs are not permitted" in message


def test_broken_toml_is_a_rule_file_error() -> None:
    with pytest.raises(RuleFileError, match=r"screening/data/x.toml: not valid TOML"):
        parse("x.toml", "[[target]\n", ChildTerms)

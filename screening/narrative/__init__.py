"""The narrative engine: child involvement in the attending officer's free text.

One module an idea: `rule_files` (the schema of the rule files in `screening/data/`), `spelling`
(misspelt and shorthand words read as meant), `patterns` (the rule files as spaCy matchers),
`ages` (age expressions), `entries` (a chronology's dated entries), `mentions` (person mentions
and the ages that belong to them), `scope` (which modifiers and cues reach a mention), `quotes`
(terms of address), `names` (unlisted named people at the scene) and `findings` (each mention
judged: the entry point). `lean_spacy` imports spaCy without its command line.
"""

from screening.narrative.lean_spacy import without_spacy_cli

without_spacy_cli()  # before any module here imports spaCy

from screening.narrative.findings import AUDIT_ONLY_RULES, narrative_findings  # noqa: E402

__all__ = ["AUDIT_ONLY_RULES", "narrative_findings"]

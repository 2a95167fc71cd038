"""The narrative engine: child involvement in the attending officer's free text.

One module an idea: `rule_files` (the schema of the rule files in `screening/data/`), `spelling`
(misspelt and shorthand words read as meant), `patterns` (the rule files as spaCy matchers),
`ages` (age expressions), `mentions` (person mentions and the ages that belong to them), `scope`
(which modifiers and cues reach a mention), `quotes` (terms of address), `names` (unlisted named
people at the scene) and `findings` (each mention judged: the entry point).
"""

from screening.narrative.findings import AUDIT_ONLY_RULES, narrative_findings

__all__ = ["AUDIT_ONLY_RULES", "narrative_findings"]

"""Synthetic labelled notifications: training data for the default model and large labelled sets.

`generator` is the entry point (`generate`, `write_jsonl`); `scenario` draws what is true of a
notification, `record` turns it into the contract's fields, `text` writes the narrative from the
phrase banks (`bank`, `screening/data/synth_*.toml`), and the styles modules (`styles`, `typos`,
`dialect`, `chronology`, `remote`, `agency`, `phone`) vary how it is written. `faker` and
`words` hold names, places, dates and number words.
"""

from screening.synth.generator import generate, write_jsonl

__all__ = ["generate", "write_jsonl"]

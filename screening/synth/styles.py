"""Which extra writing styles one synthetic notification gets, and at what share.

Real notifications are not all tidy: some are remote incidents (calls, messages, breaches of
orders), some use multi-agency shorthand, some carry a long chronology of earlier incidents,
some are one line with the facts only in `people`, some are typed on a phone in lower case, and
many use regional words for children and relatives. `draw_styles` decides these per row from
the generator's seeded rng; typos are drawn separately (screening/synth/typos.py) so that a row
with and without typos is otherwise the same row.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Shares of rows with each style (they combine freely, except thin rows get no chronology and
# silent rows no thin narrative).
SHARE_SILENT = 0.07  # rows that say nothing either way (drawn by the scenario builder)
SHARE_REMOTE = 0.12
SHARE_AGENCY = 0.18
SHARE_CHRONOLOGY = 0.14
SHARE_THIN = 0.07
SHARE_PHONE = 0.07
SHARE_DIALECT = 0.16
DIALECTS = ("scots", "northeast", "northern", "midlands", "informal")


@dataclass
class Styles:
    remote: bool = False
    agency: bool = False
    chronology: bool = False
    thin: bool = False
    phone: bool = False
    dialect: str | None = None

    def names(self) -> set[str]:
        """The styles as tags: remote, agency, chronology, thin, phone, dialect."""
        flags = {
            "remote": self.remote,
            "agency": self.agency,
            "chronology": self.chronology,
            "thin": self.thin,
            "phone": self.phone,
            "dialect": self.dialect is not None,
        }
        return {name for name, on in flags.items() if on}


def draw_styles(rng: random.Random, silent: bool) -> Styles:
    """The styles of one row; `silent` rows (nothing said about children) are never thin."""
    styles = Styles()
    styles.remote = rng.random() < SHARE_REMOTE
    styles.agency = rng.random() < SHARE_AGENCY
    styles.thin = not silent and rng.random() < SHARE_THIN / (1 - SHARE_SILENT)
    styles.chronology = not styles.thin and rng.random() < SHARE_CHRONOLOGY / (1 - SHARE_THIN)
    styles.phone = rng.random() < SHARE_PHONE
    if rng.random() < SHARE_DIALECT:
        styles.dialect = rng.choice(DIALECTS)
    return styles

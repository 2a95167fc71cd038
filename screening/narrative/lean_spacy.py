"""spaCy without its command line: a third of spaCy's import time that screening never uses.

`import spacy` runs the package's `__init__`, which imports `spacy.cli` (typer, weasel, httpx,
jinja2, the project and download commands) only to offer `spacy.info`. Screening uses spaCy's
tokenizer and matchers, never its command line, and `dvscreen screen` on one notification pays
for every import (issue 8: under a second, start-up included). So before spaCy is first
imported, the process is given a stand-in for `spacy.cli` whose `info` says what happened.

Failure behaviour: if spaCy (or its command line) is already imported, nothing is changed; a
later `import spacy.cli` in this process gets the stand-in: `spacy.info()` raises a
`RuntimeError` naming the reason, and any other command is an `AttributeError`. The stand-ins
are plain modules (tools that walk `sys.modules`, such as hypothesis, read them as they would
any module). spaCy's own `python -m spacy` runs in its own process and is
untouched. `tests/test_lean_spacy.py` holds both: the command line is not imported, and the
engine's tokens are spaCy's.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import NoReturn

STAND_IN = "screening.narrative.lean_spacy"


def _unavailable(*_args: object, **_kwargs: object) -> NoReturn:
    raise RuntimeError(
        "spaCy's command line is not loaded in a screening process "
        f"({STAND_IN}); run `python -m spacy` in a process of its own"
    )


def without_spacy_cli() -> bool:
    """Install the stand-in for `spacy.cli` if spaCy is not imported yet; True if installed."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return False
    cli = ModuleType("spacy.cli", f"stand-in for spaCy's command line ({STAND_IN})")
    info = ModuleType("spacy.cli.info", cli.__doc__)
    info.info = _unavailable  # type: ignore[attr-defined]
    cli.info = info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"] = cli
    sys.modules["spacy.cli.info"] = info
    return True

"""spaCy without its command line (screening/narrative/lean_spacy.py): a screening process does
not import spaCy's command line, and finds exactly what it finds with spaCy imported whole."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT.parent / "shared" / "data" / "examples.jsonl"

_FINDINGS = """
import json, sys
from datetime import date
{first}
from screening.narrative import narrative_findings
out = []
for line in open(sys.argv[1]):
    n = json.loads(line)["notification"]
    out.append([[f.rule, f.polarity, f.start, f.end]
                for f in narrative_findings(n["narrative"], date(2026, 6, 1))])
heavy = sorted(m for m in ("spacy.cli.download", "typer", "weasel") if m in sys.modules)
print(json.dumps({{"findings": out, "heavy": heavy}}))
"""


def _run(first: str, data: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _FINDINGS.format(first=first), str(data)],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=300,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_screening_does_not_import_spacys_command_line_and_finds_the_same() -> None:
    lean = _run("", EXAMPLES)
    whole = _run("import spacy", EXAMPLES)  # spaCy first: no stand-in is installed
    assert lean["heavy"] == []
    assert whole["heavy"] != []  # the measurement can fail: spaCy whole does import them
    assert lean["findings"] == whole["findings"]


def test_the_stand_in_says_why_when_used() -> None:
    code = (
        "import screening.narrative, spacy\n"
        "try:\n    spacy.info()\nexcept RuntimeError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=120)
    assert "command line is not loaded" in done.stdout

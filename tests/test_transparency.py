"""The transparency record on PostgreSQL shows the active model's and policy's real figures:
the registry's version, hash, training data and held-out metrics; the active policy version's
thresholds, sample share and retention schedule; every policy version; the figures over the
labelled history per category and per group; sections in the ATRS order; as a page, a
Markdown download and `dvscreen transparency --output FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dvscreen import main
from governance.active_model import ensure_registry
from governance.policy import active_policy, policy_with_changes
from governance.transparency import build_record, record_markdown
from governance.whatif import load_history, run_whatif
from governance.whatif_history import sync_label_facts
from models.db import session_scope
from models.model_registry import active_entry
from models.policy_governance import approve_policy, list_policy_versions, propose_policy
from models.types import utcnow
from tests.ig_support import Person, decide, postgres_schema, seeded
from tests.web_support import add_user, client_for, sign_in

pytestmark = pytest.mark.integration

ATRS_ORDER = ["Metadata", "Tier 1: overview", "Tier 2, section 1: owner and responsibility",
              "Tier 2, section 2: description and rationale",
              "Tier 2, section 3: decision-making process",
              "Tier 2, section 4: tool specification and model card",
              "Tier 2, section 4 (continued): data specification",
              "Tier 2, section 5: risks, mitigations and impact assessments",
              "The current policy and its history"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    gen = postgres_schema(tmp_path_factory.mktemp("atrs"), "atrs")
    settings = next(gen)
    url = settings.database
    first, second = (add_user(settings, n, "head_of_safeguarding") for n in ("head", "head2"))
    duty = add_user(settings, "duty", "duty_worker")
    ensure_registry(url)
    with session_scope(url) as session:
        changed = policy_with_changes(active_policy(session), {
            "screen_out_max_score": 0.17, "sample_share": 0.25,
            "retention": {"screened_out_not_sampled": 9, "screened_out_confirmed": 18}})
        version = propose_policy(session, policy=changed.model_dump(mode="json"),
                                 reason="tighter screen-out", proposed_by=first, now=utcnow())
        approve_policy(session, version=version, approver=second, single_approval=False,
                       now=utcnow())
    for i in range(3):
        made = seeded(settings, f"TR/{i}", [Person(f"G{i}", f"F{i}", "1990-01-01",
                                                   extra=(("ethnicity", "White British"),))],
                      route="duty_review", priority="high", narrative="A child was present.",
                      line1=f"{i} Oak Road")
        decide(settings, made.item_id, duty, "refer_for_assessment", "A child.", ["present"])
    sync_label_facts(url)
    with session_scope(url) as session:
        record = build_record(session, url=url, now=utcnow())
        entry = active_entry(session)
        versions = list_policy_versions(session)
        policy = active_policy(session)
        report = run_whatif(load_history(session), policy).report
    yield {"settings": settings, "record": record, "entry": entry, "versions": versions,
           "policy": policy, "report": report}
    next(gen, None)


def _rows(record: Any) -> dict[str, str]:
    return {label: value for s in record.sections for label, value in s.rows}


def test_sections_in_atrs_order(world: Any) -> None:
    assert [s.title for s in world["record"].sections] == ATRS_ORDER
    text = record_markdown(world["record"])
    positions = [text.index(f"## {title}") for title in ATRS_ORDER]
    assert positions == sorted(positions)


def test_record_shows_the_active_model_from_the_registry(world: Any) -> None:
    entry, rows = world["entry"], _rows(world["record"])
    assert world["record"].model_version == entry.version
    assert rows["Model version"] == entry.version
    assert rows["Artefact SHA-256"] == entry.sha256 and len(entry.sha256) == 64
    for key, value in entry.metrics.items():
        assert f"{key}: {value}" in rows["Held-out metrics"]
    for key, value in entry.trained_on.items():
        assert f"{key}: {value}" in rows["Trained on"]


def test_record_shows_the_active_policy_and_its_history(world: Any) -> None:
    rows, policy = _rows(world["record"]), world["policy"]
    assert policy.version == 2 and world["record"].policy_version == 2
    assert rows["Active version"] == "2"
    assert rows["Screen out at or under score"] == "0.17"
    assert rows["Share of screen-outs sampled"] == "25%"
    assert "screened out and not sampled: 9 months" in rows["Retention"]
    assert "25% of them" in rows["Human decisions and review"]
    history = next(s for s in world["record"].sections if s.key == "policy").tables[0]["rows"]
    assert [(r[0], r[1], r[2]) for r in history] == [
        (v.version, v.status, v.reason) for v in world["versions"]]
    assert history[0][3:5] == ("head", "head2")


def test_record_shows_the_figures_over_the_labelled_history(world: Any) -> None:
    report, rows = world["report"], _rows(world["record"])
    assert report.total == 3
    assert rows["Labelled history"].startswith(f"{report.total} labelled notifications")
    assert rows["Involved screened out (misses)"] == str(report.involved_screened_out)
    tool = next(s for s in world["record"].sections if s.key == "tool")
    per_category = {r[0]: r[1:3] for r in tool.tables[0]["rows"]}
    for name, figures in report.per_category.items():
        assert per_category[name.replace("_", " ")] == (figures.involved, figures.screened_out)
    ethnicity = tool.tables[1]
    assert "ethnicity" in ethnicity["caption"]
    assert [r[0] for r in ethnicity["rows"]] == ["White British"]
    assert ethnicity["rows"][0][1] == "fewer than 10"


def test_page_markdown_and_command(world: Any, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    settings = world["settings"]
    client = client_for(settings)
    sign_in(client, "head")
    page = client.get("/transparency")
    assert page.status_code == 200 and world["entry"].sha256 in page.text
    download = client.get("/transparency.md")
    assert download.headers["content-type"].startswith("text/markdown")
    assert "## Tier 2, section 3: decision-making process" in download.text
    monkeypatch.setenv("DATABASE_URL", settings.database)
    monkeypatch.setenv("DVSCREEN_DATA_DIR", str(tmp_path))
    out = tmp_path / "record.md"
    assert main(["transparency", "--output", str(out)]) == 0
    written = out.read_text()
    assert world["entry"].sha256 in written and "- **Active version**: 2" in written
    duty = client_for(settings)
    sign_in(duty, "duty")
    assert duty.get("/transparency").status_code in (303, 403)

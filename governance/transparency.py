"""The transparency record and model card, generated from the service's own registry and
policy, in the order of the Algorithmic Transparency Recording Standard (ATRS): metadata, the
tier 1 overview, then tier 2: owner and responsibility, description and rationale, the
decision-making process, the tool specification (with the model card: the active model, its
held-out metrics, its figures over the labelled history overall, per category and per group),
the data specification, and risks, mitigations and impact assessments; with the current policy
and its history. Figures only: no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.active_model import ensure_registry
from governance.equality import FIELDS, whatif_breakdown
from governance.policy import active_policy
from governance.whatif import load_history, run_whatif
from models.model_registry import active_entry, list_models
from models.policy_governance import list_policy_versions
from models.tables import TriageResult
from screening.retention_schedule import RETENTION_CLASS_NAMES, RETENTION_CLASSES

STANDARD = "Algorithmic Transparency Recording Standard 3.0"
TOOL_NAME = "Domestic abuse notification screening"
GROUP_FIELDS = ("ethnicity", "gender", "disability", "area")


@dataclass
class Section:
    """One section of the record: a title and (label, value) rows, or a table."""

    key: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)


def _pct(value: object) -> str:
    return "not yet measured" if not isinstance(value, float) else f"{value * 100:.1f}%"


def _volumes(session: Session, now: datetime) -> dict[str, int]:
    since = now - timedelta(days=28)
    rows = session.execute(
        select(TriageResult.route, func.count()).where(TriageResult.created_at >= since)
        .group_by(TriageResult.route)).all()
    return {str(route): int(n) for route, n in rows}


def _overview(policy: Any, model_version: str) -> Section:
    return Section("tier1", "Tier 1: overview", [
        ("Name", TOOL_NAME),
        ("Description", "Police forces notify children's social care of every domestic abuse "
         "incident. This tool reads each notification and sends it to one of three routes: "
         "duty review (a child is or may be involved), a triage check by a person (it cannot "
         "tell), or screened out (it is confident that no child is involved). Every routed "
         "notification says why, with a priority and a deadline."),
        ("How it is used", "It decides the order and route of work only. A person makes every "
         "decision about a child. Screened-out notifications are not acted on, but "
         f"{policy.sample_share * 100:.0f}% of them are sampled and checked by a manager."),
        ("Why it is used", "An inspection found no effective screening of the many domestic "
         "abuse notifications, adding pressure to the duty and assessment service."),
        ("Current versions", f"policy version {policy.version}, model {model_version}"),
        ("Find out more", "Ask the council's data-protection officer; a person may ask for "
         "everything held about them (subject access)."),
    ])


def _owner() -> Section:
    return Section("owner", "Tier 2, section 1: owner and responsibility", [
        ("Organisation", "The council's children's social care service"),
        ("Team", "The duty and assessment team (daily use); heads of safeguarding (policy)"),
        ("Senior responsible owner", "The head of safeguarding who approves policy versions"),
        ("External supplier", "None: built and run by the council"),
    ])


def _rationale() -> Section:
    return Section("rationale", "Tier 2, section 2: description and rationale", [
        ("Detailed description", "Structured fields (children present, in the household, "
         "pregnancy, ages and roles of the people) and rules over the narrative (with negation, "
         "ages and history) find child involvement; a calibrated scikit-learn model scores the "
         "rest. Screening out needs no positive finding and a score at or under the policy's "
         "threshold; anything uncertain goes to a person."),
        ("Benefits", "Duty workers start with the notifications involving children, by "
         "priority and deadline, instead of reading every notification in arrival order."),
        ("Alternatives considered", "Reading every notification by hand (the practice the "
         "inspection found overloaded)."),
    ])


def _decisions(policy: Any, volumes: dict[str, int]) -> Section:
    total = sum(volumes.values())
    return Section("decisions", "Tier 2, section 3: decision-making process", [
        ("Process integration", "Intake stores each notification; the tool routes it; duty "
         "workers claim and decide routed items; managers sign off closures and check the "
         "screened-out sample."),
        ("Information provided", "Route, priority, deadline, categories of involvement, the "
         "reasons, and the evidence (the fields and narrative spans) behind them."),
        ("Frequency and scale", f"{total} notifications in the last 28 days: "
         + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(volumes.items()))),
        ("Human decisions and review", "Duty workers decide every duty review and triage "
         "check, and may find a child where the tool did not. Managers sign off "
         "'no further action' and 'no child involved' closures, and confirm or overturn "
         f"sampled screen-outs ({policy.sample_share * 100:.0f}% of them); an overturn sends "
         "the notification to duty review as urgent and counts as a miss. Heads of "
         "safeguarding change the policy (proposed by one, approved by a second) and promote "
         "or roll back models."),
        ("Required training", "Duty workers and managers are trained in the routes, the "
         "evidence shown and the sample; heads of safeguarding in the what-if and the "
         "equality monitoring."),
        ("Appeals and review", "Every view and action is audited; a person may ask for what "
         "is held about them; the live miss estimate and equality figures are on the "
         "dashboard."),
    ])


def _tool(session: Session, policy: Any) -> Section:
    entry = active_entry(session)
    history = load_history(session)
    report = run_whatif(history, policy).report
    section = Section("tool", "Tier 2, section 4: tool specification and model card", [
        ("System architecture", "FastAPI intake and staff pages, Celery workers, PostgreSQL; "
         "a rule engine and a scikit-learn model in-process; no data leaves the council."),
        ("Phase", "Production"),
        ("Maintenance", "Candidates are trained on the service's own labels, scored in shadow "
         "beside the active model, compared, then promoted by a head of safeguarding; a "
         "rollback is one step."),
        ("Model version", entry.version if entry else "the built-in default"),
        ("Artefact SHA-256", entry.sha256 if entry else ""),
        ("Trained on", ", ".join(f"{k}: {v}" for k, v in (entry.trained_on if entry else {})
                                 .items())),
        ("Held-out metrics", ", ".join(f"{k}: {v}" for k, v in (entry.metrics if entry else {})
                                       .items())),
        ("Labelled history", f"{report.total} labelled notifications ({report.involved} with "
         f"a child involved)"),
        ("Recall of child involvement (policy version " + str(policy.version) + ")",
         _pct(report.recall)),
        ("Not-involved screened out", _pct(report.screen_out_share)),
        ("Involved screened out (misses)", str(report.involved_screened_out)),
    ])
    section.tables.append({
        "caption": "Recall per category of involvement, over the labelled history",
        "columns": ("category", "involved", "screened_out", "recall"),
        "rows": [(name.replace("_", " "), f.involved, f.screened_out, _pct(f.recall))
                 for name, f in report.per_category.items()],
    })
    for name in GROUP_FIELDS:
        rows = whatif_breakdown(session, field_name=name, current=policy, proposed=policy)
        section.tables.append({
            "caption": f"Recall and screen-out share by the victim's {FIELDS[name].lower()} "
                       "(the service's own labels; fewer than 10 suppressed)",
            "columns": ("group", "labelled", "involved", "recall", "missed",
                        "screen_out_share"),
            "rows": [(r[0], r[1], r[2], _pct(r[3]) if isinstance(r[3], float) else r[3], r[5],
                      _pct(r[7]) if isinstance(r[7], float) else r[7]) for r in rows],
        })
    section.tables.append({
        "caption": "Every model the service has registered",
        "columns": ("version", "status", "registered", "promoted"),
        "rows": [(m.version, m.status, m.registered_at.date().isoformat(),
                  m.promoted_at.date().isoformat() if m.promoted_at else "")
                 for m in list_models(session)],
    })
    return section


def _data(policy: Any) -> Section:
    schedule = "; ".join(f"{RETENTION_CLASS_NAMES[c].lower()}: {policy.retention.months(c)} "
                         "months" for c in RETENTION_CLASSES)
    return Section("data", "Tier 2, section 4 (continued): data specification", [
        ("Source data", "Police domestic abuse notifications: incident times and type, "
         "offences, address, DASH risk level and answers, the people (roles, names, dates of "
         "birth or ages, gender, ethnicity, religion, language, disability, relationships), "
         "tick boxes about children and pregnancy, previous incidents, the narrative."),
        ("Data used by the model", "Features from the fields and the narrative rules; the "
         "protected characteristics are not model inputs and are used only to monitor "
         "equality."),
        ("Data sharing", "None beyond the council."),
        ("Data access and storage", "Staff by role; every view audited; stored in the "
         "council's PostgreSQL database."),
        ("Retention", schedule + (" (purged daily; legal holds stop it)"
                                  if policy.retention.enabled else " (purge off)")),
    ])


def _risks() -> Section:
    return Section("risks", "Tier 2, section 5: risks, mitigations and impact assessments", [
        ("A child is missed", "Screening out needs positive confidence; silence is not "
         "screened out by default; a share of screen-outs is checked by managers and the miss "
         "estimate is on the dashboard."),
        ("Groups are treated differently", "Routes, screen-out share, overturns and time to "
         "decision are monitored by ethnicity, gender, disability, language, religion and "
         "area; a what-if shows a change's effect per group before it is made."),
        ("Opacity", "Every route carries its reasons and evidence; this record is generated "
         "from the live registry and policy."),
        ("Data protection", "Retention schedule with purge, legal holds, subject access "
         "exports with third parties marked, no personal data in logs."),
        ("Impact assessments", "The council's data protection impact assessment and equality "
         "impact assessment (to be linked by the council)."),
    ])


def _policy(session: Session, policy: Any) -> Section:
    versions = list_policy_versions(session)
    section = Section("policy", "The current policy and its history", [
        ("Active version", str(policy.version)),
        ("Screen out at or under score", f"{policy.screen_out_max_score:.2f}"),
        ("Duty review at or over score (no rule finding)", f"{policy.review_min_score:.2f}"),
        ("Screen out on silence", "yes" if policy.allow_silence_screen_out else "no"),
        ("Share of screen-outs sampled", f"{policy.sample_share * 100:.0f}%"),
        ("Deadlines (hours)", f"urgent {policy.deadlines.urgent}, high {policy.deadlines.high}, "
                              f"normal {policy.deadlines.normal}"),
    ])
    section.tables.append({
        "caption": "Every policy version",
        "columns": ("version", "status", "reason", "proposed_by", "approved_by", "activated"),
        "rows": [(v.version, v.status, v.reason, v.proposed_by_name or "", v.approved_by_name
                  or "", v.activated_at.date().isoformat() if v.activated_at else "")
                 for v in versions],
    })
    return section


@dataclass
class Record:
    generated_at: datetime
    policy_version: int
    model_version: str
    sections: list[Section]


def build_record(session: Session, *, url: str, now: datetime) -> Record:
    ensure_registry(url)
    policy = active_policy(session)
    entry = active_entry(session)
    model_version = entry.version if entry else "the built-in default"
    metadata = Section("metadata", "Metadata", [
        ("Standard", STANDARD), ("Generated", now.isoformat(timespec="seconds")),
        ("Policy version", str(policy.version)), ("Model version", model_version),
    ])
    sections = [metadata, _overview(policy, model_version), _owner(), _rationale(),
                _decisions(policy, _volumes(session, now)), _tool(session, policy),
                _data(policy), _risks(), _policy(session, policy)]
    return Record(now, policy.version, model_version, sections)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def record_markdown(record: Record) -> str:
    lines = [f"# Algorithmic transparency record: {TOOL_NAME}", ""]
    for section in record.sections:
        lines += [f"## {section.title}", ""]
        lines += [f"- **{label}**: {value}" for label, value in section.rows]
        for table in section.tables:
            lines += ["", f"**{table['caption']}**", "",
                      "| " + " | ".join(c.replace("_", " ") for c in table["columns"]) + " |",
                      "|" + "---|" * len(table["columns"])]
            lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table["rows"]]
        lines.append("")
    return "\n".join(lines)

"""The readable form of a subject access export (Markdown): one section per notification, the
subject's own records, the incident, the narrative with third-party names marked
`[[THIRD PARTY: ...]]`, screening, decisions, samples, labels and every staff view."""

from __future__ import annotations

from typing import Any

from governance.subject_access import THIRD_PARTY, Export


def marked(text: str | None, found: list[dict[str, Any]]) -> str:
    """`text` with each third-party mention wrapped for the reviewer."""
    if not text:
        return ""
    out, at = [], 0
    for m in found:
        out.append(text[at:int(m["start"])])
        out.append(f"[[{THIRD_PARTY}: {m['text']}]]")
        at = int(m["end"])
    out.append(text[at:])
    return "".join(out)


def _person(person: dict[str, Any]) -> str:
    skip = {"third_party", "marker", "notes_third_party_mentions"}
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in person.items()
                     if k not in skip and v is not None)


def _notification(n: dict[str, Any]) -> list[str]:
    lines = [f"## Notification {n['reference']}", "",
             f"Received {n['received_at']}; status {n['status']}."]
    if n.get("match") == "linked":
        lines.append("Found through the people index (a different spelling or a nickname): "
                     "confirm it is the same person before it is sent.")
    if n["purged"]:
        lines.append(f"Its personal data was removed under the retention schedule on "
                     f"{n['purged']['at']} ({n['purged']['retention_class']}).")
    lines += ["", "### About the person asking", ""]
    lines += [f"- {_person(p)}" for p in n["subject"]]
    lines += ["", "### Other people (third parties)", ""]
    lines += [f"- **[{THIRD_PARTY}]** {_person(p)}" for p in n["third_parties"]] or ["- none"]
    if "officer" in n:
        lines.append(f"- **[{THIRD_PARTY}]** officer: {_person(n['officer'])}")
    incident = n["incident"]
    lines += ["", "### The incident", ""]
    lines += [f"- {k.replace('_', ' ')}: {v}" for k, v in incident.items() if v is not None]
    lines += ["", "### What the police wrote", "",
              marked(n["narrative"]["text"], n["narrative"]["third_party_mentions"]) or "-"]
    s = n.get("screening")
    if s:
        lines += ["", "### How it was screened", "",
                  f"- route: {s['route']}; priority: {s['priority']}; score: {s['score']}",
                  f"- categories: {', '.join(s['categories']) or 'none'}",
                  f"- reasons: {'; '.join(s['reasons']) or 'none'}",
                  f"- policy version {s['policy_version']}, model {s['model_version']}, "
                  f"at {s['at']}"]
    lines += ["", "### Decisions", ""]
    for d in n["decisions"]:
        lines.append(f"- {d['decided_at']} {d['decided_by']}: {d['outcome']} "
                     f"(child involved: {d['child_involvement']}; "
                     f"{', '.join(d['categories']) or 'no categories'}). Reasoning: "
                     f"{marked(d['reasoning'], d.get('reasoning_third_party_mentions', []))}")
        if d["signoff_status"]:
            note = marked(d["signoff_note"], d.get("signoff_note_third_party_mentions", []))
            lines.append(f"  - sign-off: {d['signoff_status']} by {d['signed_off_by']}; {note}")
    for sample in n["samples"]:
        why = marked(sample["reasoning"], sample.get("reasoning_third_party_mentions", []))
        lines.append(f"- {sample['decided_at']} {sample['decided_by']}: manager's sample "
                     f"{sample['outcome']}. Reasoning: {why}")
    if not n["decisions"] and not n["samples"]:
        lines.append("- none")
    lines += ["", "### Every staff view and action", "", "| when | who | what |", "|---|---|---|"]
    lines += [f"| {e['at']} | {e['actor']} | {e['action'].replace('_', ' ')} |"
              for e in n["audit"] if e["staff"]]
    lines += ["", "### Every recorded event", ""]
    lines += [f"- {e['at']} {e['actor']}: {e['action'].replace('_', ' ')}" for e in n["audit"]]
    return [*lines, ""]


def markdown(export: Export) -> str:
    head = export.as_dict()["export"]
    subject = head["subject"]
    lines = [f"# Subject access export {export.export_id}", "",
             f"Made {head['made_at']} by {head['made_by']} for {subject['given_name']} "
             f"{subject['family_name']}, born {subject['date_of_birth']}.", "",
             f"> {head['notice']}", "",
             f"Notifications: {len(export.notifications)}; staff views and actions: "
             f"{export.staff_views}; third parties marked: {export.third_parties}.", ""]
    for n in export.notifications:
        lines += _notification(n)
    return "\n".join(lines)

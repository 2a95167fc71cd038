"""Subject access: for a person found by name and date of birth, everything the service holds
on every notification they appear in (the notification, screening, decisions, sample verdicts,
labels, every staff view), with third parties marked for the data-protection officer to review
and redact before anything is sent. The export itself is logged and audited (counts only).

Third parties are the other people in the notification and the officer; their entries carry
`"third_party": true`, and each mention of their names in free text (the narrative, a person's
notes, decision reasoning, sign-off notes) is listed with its position, so the readable export
can mark it. A name the subject shares (a family name) is not marked alone. Where the people
index (issue 12) links the person to other notifications, those are included too, marked as
found by linkage for the officer to confirm.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from models.person_match import PersonKey, appearances, normalise_name, people_of
from models.subject_access_store import (
    linked_mentions,
    raw_documents,
    record_export,
    records_of,
)

THIRD_PARTY = "THIRD PARTY: review for redaction"
TEXT_FIELDS = ("reasoning", "signoff_note")


@dataclass(frozen=True)
class Subject:
    given_name: str
    family_name: str
    date_of_birth: date

    @property
    def key(self) -> PersonKey:
        return PersonKey.of(self.given_name, self.family_name, self.date_of_birth)


def _names_of(person: dict[str, Any]) -> list[str]:
    given = str(person.get("given_name") or "").strip()
    family = str(person.get("family_name") or "").strip()
    full = f"{given} {family}".strip()
    return [n for n in (full, given, family) if n]


def third_party_names(people: list[dict[str, Any]], mine: tuple[int, ...],
                      officer: dict[str, Any] | None) -> list[str]:
    """Names to mark: the other people's and the officer's, longest first, none of the
    subject's own name words alone."""
    own = {normalise_name(w) for i in mine for n in _names_of(people[i]) for w in n.split()}
    own |= {normalise_name(n) for i in mine for n in _names_of(people[i])}
    names: set[str] = set()
    for index, person in enumerate(people):
        if index not in mine:
            names.update(n for n in _names_of(person) if normalise_name(n) not in own)
    if officer and officer.get("name"):
        names.add(str(officer["name"]).strip())
    return sorted(names, key=lambda n: (-len(n), n))


def mentions(text: str | None, names: list[str]) -> list[dict[str, Any]]:
    """Where third-party names occur in `text` (whole words, any case), not overlapping."""
    if not text or not names:
        return []
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for name in names:
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            span = (match.start(), match.end())
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            taken.append(span)
            found.append({"start": span[0], "end": span[1], "text": match.group(0),
                          "marker": THIRD_PARTY})
    return sorted(found, key=lambda m: int(m["start"]))


def _one(record: dict[str, Any], document: dict[str, Any], mine: tuple[int, ...]) -> dict[str, Any]:
    people = [p if isinstance(p, dict) else {} for p in document.get("people") or []]
    officer = document.get("officer") if isinstance(document.get("officer"), dict) else None
    names = third_party_names(people, mine, officer)
    incident = {k: v for k, v in document.items() if k not in ("people", "officer", "narrative")}
    record = {k: v for k, v in record.items() if k != "raw_json"}
    record["incident"] = incident
    record["narrative"] = {"text": document.get("narrative"),
                           "third_party_mentions": mentions(document.get("narrative"), names)}
    record["subject"] = [people[i] for i in mine]
    record["third_parties"] = [
        {**p, "third_party": True, "marker": THIRD_PARTY,
         "notes_third_party_mentions": mentions(p.get("notes"), names)}
        for i, p in enumerate(people) if i not in mine
    ]
    if officer:
        record["officer"] = {**officer, "third_party": True, "marker": THIRD_PARTY}
    for entry in record["decisions"] + record["samples"]:
        for field in TEXT_FIELDS:
            if entry.get(field):
                entry[f"{field}_third_party_mentions"] = mentions(entry[field], names)
    for entry in record["screening"]["evidence"] if record.get("screening") else []:
        if isinstance(entry, dict) and entry.get("text"):
            entry["third_party_mentions"] = mentions(str(entry["text"]), names)
    record["staff_views"] = [e for e in record["audit"] if e["staff"]]
    return record


@dataclass(frozen=True)
class Export:
    export_id: int
    made_at: datetime
    made_by: str
    subject: Subject
    notifications: list[dict[str, Any]]

    @property
    def staff_views(self) -> int:
        return sum(len(n["staff_views"]) for n in self.notifications)

    @property
    def third_parties(self) -> int:
        return sum(len(n["third_parties"]) + (1 if "officer" in n else 0)
                   for n in self.notifications)

    def as_dict(self) -> dict[str, Any]:
        return {
            "export": {"id": self.export_id, "made_at": self.made_at.isoformat(),
                       "made_by": self.made_by,
                       "subject": {"given_name": self.subject.given_name,
                                   "family_name": self.subject.family_name,
                                   "date_of_birth": self.subject.date_of_birth.isoformat()},
                       "notifications": len(self.notifications),
                       "notice": "Draft for the data-protection officer: entries and mentions "
                                 f"marked '{THIRD_PARTY}' are about other people and must be "
                                 "reviewed, and redacted where needed, before it is sent."},
            "notifications": self.notifications,
        }

    def json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False, default=str)


def find(session: Session, *, subject: Subject) -> list[dict[str, Any]]:
    """Every notification the subject appears in, as the export holds it (no audit: the
    caller exports, which is audited). Exact matches on name and date of birth, then the
    notifications the people index links to the same person (a nickname, a typo), marked
    `match: linked` for the data-protection officer to confirm."""
    found = list(appearances(session, key=subject.key))
    documents = {a.notification_id: (a.document, a.person_indexes) for a in found}
    pairs = [(a.notification_id, i) for a in found for i in a.person_indexes]
    linked = linked_mentions(session, found=pairs)
    for notification_id, raw_json in raw_documents(session, notification_ids=list(linked)):
        document, people = people_of(raw_json)
        positions = tuple(i for i in linked[notification_id] if i < len(people))
        if positions:
            documents[notification_id] = (document, positions)
    records = records_of(session, notification_ids=list(documents))
    out = []
    for record in records:
        notification_id = _uuid(record["notification_id"])
        one = _one(record, *documents[notification_id])
        one["match"] = "linked" if notification_id in linked else "exact"
        out.append(one)
    return out


def _uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)


def export(
    session: Session, *, subject: Subject, actor: str, formats: tuple[str, ...], now: datetime
) -> Export:
    """Find, assemble and log the export (audited on every notification it holds)."""
    notifications = find(session, subject=subject)
    staff_views = sum(len(n["staff_views"]) for n in notifications)
    third = sum(len(n["third_parties"]) + (1 if "officer" in n else 0) for n in notifications)
    export_id = record_export(
        session, actor=actor, notification_ids=[_uuid(n["notification_id"]) for n in notifications],
        staff_views=staff_views, third_parties=third, formats=formats, now=now)
    return Export(export_id, now, actor, subject, notifications)

"""The item page in plain English: what the engine's evidence says, in a duty worker's words.

Everything here is pure: it turns the stored evidence (models.contract.Evidence as JSON), the
notification and the policy into sentences, each fact with a link to where it is on the page
(a narrative clause, a person, a tick box). No field paths, rule codes or feature names reach
the page; the model's part is its score and what the rules did or did not find.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from api.web.highlight import CATEGORY_LABELS, Fact
from models.contract import Notification
from screening.findings import Finding
from screening.policy import Policy
from screening.priority import conditions, priority_reason

TICK_BOXES = {
    "children_present": ("Children present (tick box)", "children were present"),
    "children_in_household": ("Children in household (tick box)", "children live in the household"),
    "victim_pregnant": ("Victim pregnant (tick box)", "the victim is pregnant"),
}
DASH_QUESTIONS = {
    "7": "DASH question 7 answered yes: conflict over child contact",
    "9": "DASH question 9 answered yes: pregnant or had a baby in the last 18 months",
}
WHERE_CHILD = {
    "present": "present at the incident",
    "household": "living at the address",
    "child_of_party": "living elsewhere",
    "regular_visitor": "visiting regularly",
}
CONDITION_WORDS = {
    "child_present": "a child was present",
    "dash_high": "the DASH risk is high",
    "weapon": "a weapon was involved",
    "strangulation": "strangulation or choking was reported",
    "child_hurt": "a child was hurt",
    "pregnancy": "someone is pregnant",
    "young_party": "the victim or suspect is under 18",
    "repeat_incidents": "there were 3 or more incidents in the last 12 months",
}
PRIORITY_NAMES = {"urgent": "Urgent", "high": "High", "normal": "Normal"}


@dataclass(frozen=True)
class Statement:
    """One fact in words, where it is on the page, and where it came from."""

    text: str
    href: str | None
    source: str
    quoted: bool = False


@dataclass(frozen=True)
class Summary:
    involvement: list[Statement]
    uncertain: list[Statement]
    ruled_out: list[Statement]


def _join(parts: Sequence[str]) -> str:
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _person_name(doc: Notification, index: int) -> str:
    person = doc.people[index]
    return " ".join(p for p in (person.given_name, person.family_name) if p) or "someone unnamed"


def _person_index(field: Any) -> int | None:
    parts = str(field or "").split(".")
    if len(parts) >= 2 and parts[0] == "people" and parts[1].isdigit():
        return int(parts[1])
    return None


def _category_words(categories: Sequence[str | None]) -> str:
    names = [CATEGORY_LABELS.get(str(c), str(c)).lower() for c in dict.fromkeys(categories) if c]
    return _join(names)


def _people_statements(doc: Notification, evidence: Sequence[Mapping[str, Any]]) -> list[Statement]:
    """One statement per person in the people list that evidence names."""
    by_person: dict[int, list[Mapping[str, Any]]] = {}
    for item in evidence:
        index = _person_index(item.get("field"))
        if item.get("source") == "person" and index is not None and index < len(doc.people):
            by_person.setdefault(index, []).append(item)
    statements = []
    for index, items in sorted(by_person.items()):
        name, age = _person_name(doc, index), doc.age_of(doc.people[index])
        aged = f", {age}," if age is not None else ","
        phrases = []
        places = [WHERE_CHILD[str(i.get("category"))] for i in items
                  if i.get("rule") in ("child_role", "person_under_18")
                  and i.get("category") in WHERE_CHILD]
        if places:
            where = _join(list(dict.fromkeys(places)))
            phrases.append(f"{name}{aged} is listed as a child, {where}")
        if any(i.get("category") == "young_party" for i in items):
            role = doc.people[index].role.replace("_", " ")
            aged_note = f" ({age})" if age is not None else ""
            phrases.append(f"the {role}, {name}, is under 18{aged_note}")
        if any(i.get("rule") == "person_pregnant" for i in items):
            phrases.append(f"{name} is pregnant")
        for phrase in phrases:
            statements.append(Statement(phrase, f"#person-{index}", "people list"))
    return statements


def _narrative_statement(fact: Fact, *, categories: Sequence[str | None]) -> Statement:
    words = _category_words(categories)
    return Statement(
        f"“{fact.text}”" + (f" – {words}" if words else ""),
        f"#{fact.anchor}",
        "officer's account",
        quoted=True,
    )


def summarise(
    doc: Notification | None,
    evidence: Sequence[Mapping[str, Any]],
    facts: Mapping[int, Fact],
) -> Summary:
    """The facts the engine found, for a child and against, in words with their places."""
    involvement: list[Statement] = []
    uncertain: list[Statement] = []
    ruled_out: list[Statement] = []
    by_anchor: dict[str, list[int]] = {}
    for index, fact in facts.items():
        by_anchor.setdefault(fact.anchor, []).append(index)
    done: set[tuple[str, str]] = set()
    for index, item in enumerate(evidence):
        source, polarity = item.get("source"), str(item.get("polarity") or "positive")
        field = str(item.get("field") or "")
        if source == "narrative" and index in facts:
            fact = facts[index]
            if (fact.anchor, polarity) in done:
                continue
            done.add((fact.anchor, polarity))
            same = [evidence[i].get("category") for i in by_anchor[fact.anchor]
                    if str(evidence[i].get("polarity") or "positive") == polarity]
            if polarity == "negative":
                quoted = Statement(f"“{fact.span_text}”", f"#{fact.anchor}", "officer's account",
                                   quoted=True)
                ruled_out.append(quoted)
            elif polarity == "uncertain":
                uncertain.append(Statement(f"“{fact.text}” – could be a child; not settled",
                                           f"#{fact.anchor}", "officer's account", quoted=True))
            else:
                involvement.append(_narrative_statement(fact, categories=same))
        elif source == "field" and field in TICK_BOXES:
            label, phrase = TICK_BOXES[field]
            href = f"#tick-{field}"
            if polarity == "negative":
                ruled_out.append(Statement(f"{label}: No", href, "tick box"))
            else:
                involvement.append(Statement(phrase, href, "tick box"))
        elif source == "field" and field.startswith("dash.answers."):
            question = field.rsplit(".", 1)[-1]
            text = DASH_QUESTIONS.get(question, f"DASH question {question} answered yes")
            involvement.append(Statement(text, "#incident-dash", "DASH form"))
        elif source == "history":
            involvement.append(Statement("a child was recorded at this address before",
                                         "#earlier", "earlier notifications"))
    if doc is not None:
        involvement.extend(_people_statements(doc, evidence))
    return Summary(involvement, uncertain, ruled_out)


TICK_BOX: dict[bool | None, str] = {True: "Yes", False: "No"}


def tick_box(value: bool | None) -> str:
    return TICK_BOX.get(value, "Not recorded")


def percent(score: float) -> str:
    return f"{score * 100:.0f}%"


def model_sentence(
    *,
    score: float,
    route: str,
    categories: Sequence[str],
    uncertain: bool,
    silent: bool,
    policy: Policy,
) -> str:
    """The model's part in words: its score and what it meant for the route."""
    said = f"The model's score was {percent(score)}"
    if categories:
        return (f"{said}. The rules found a child, so the notification goes to duty review "
                "whatever the score.")
    if route == "duty_review":
        return (f"{said}: no rule found a child, but the score is at or over the duty review "
                f"threshold of {percent(policy.review_min_score)}.")
    if uncertain:
        return (f"{said}: no rule found a child, but a possible child could not be ruled in or "
                "out, so a person checks it.")
    if route == "triage_check" and silent:
        return (f"{said}: no rule found a child, and nothing was recorded either way about "
                "children (tick boxes empty, the account silent), so a person checks it.")
    if route == "screened_out":
        return (f"{said}: no rule found a child, and the score is at or under the screen-out "
                f"threshold of {percent(policy.screen_out_max_score)}.")
    return (f"{said}: no rule found a child, but the score is over the screen-out threshold of "
            f"{percent(policy.screen_out_max_score)}, so a person checks it.")


def _findings(evidence: Sequence[Mapping[str, Any]]) -> list[Finding]:
    """Enough of the engine's findings, rebuilt from evidence, to re-evaluate conditions."""
    found = []
    for item in evidence:
        if item.get("source") in ("field", "narrative", "person", "history"):
            polarity = str(item.get("polarity") or "positive")
            if polarity in ("positive", "negative", "uncertain"):
                # `polarity` is one of Polarity's literals (checked just above), but mypy does
                # not narrow a str by `in`.
                found.append(Finding(item.get("category"), polarity,  # type: ignore[arg-type]
                                     str(item.get("rule") or ""), item["source"]))
    return found


def priority_sentence(
    *,
    level: str,
    doc: Notification | None,
    evidence: Sequence[Mapping[str, Any]],
    policy: Policy,
    set_by: str | None = None,
) -> str:
    """`Urgent: a child was present and the DASH risk is high`, or who set the level."""
    name = PRIORITY_NAMES.get(level, level.capitalize())
    if set_by:
        return f"{name}: {set_by}"
    if doc is None:
        return f"{name}: the notification could not be read again to give the reason"
    held = conditions(doc, _findings(evidence))
    computed, rule = priority_reason(held, policy)
    if computed == level and rule:
        return f"{name}: " + _join([CONDITION_WORDS.get(c, c.replace("_", " ")) for c in rule])
    if computed == level:
        return f"{name}: no rule for urgent or high priority applied"
    return f"{name}: set when the item was made (under the policy now in force it would be " \
           f"{computed})"




def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days, rest = divmod(hours, 24)
    return f"{days} days" + (f" {rest} hour{'s' if rest != 1 else ''}" if rest else "")


def due_phrase(deadline: datetime, now: datetime) -> str:
    """`due in 3 hours` or `overdue by 2 hours` (whole units, rounded down)."""
    if deadline >= now:
        return f"due in {_span(deadline - now)}"
    return f"overdue by {_span(now - deadline)}"

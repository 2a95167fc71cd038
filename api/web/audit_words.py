"""An audit event in words: "Dora Smith recorded no further action", "Leicestershire Police
sent the notification", never `source:1` or `decided`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.web.roles import ROLE_NAMES
from models.audit import AuditRow

OUTCOMES = {
    "refer_for_assessment": "refer for assessment",
    "strategy_discussion": "a strategy discussion",
    "early_help": "early help",
    "no_further_action": "no further action",
    "close_no_child": "no child involvement after all",
    "child_involved": "a child involved: moved to duty review",
    "confirm_screen_out": "no child involved: screened out",
}

_PLAIN = {
    "notification_received": "sent the notification",
    "notification_triaged": "screened the notification",
    "triage_failed": "could not screen the notification",
    "triage_replayed": "screened the notification again",
    "viewed": "looked at the notification",
    "audit_viewed": "read this audit trail",
    "claimed": "claimed the item",
    "released": "gave the item back to the queue",
    "signed_off": "signed off the decision",
    "signoff_returned": "returned the decision to its worker",
    "sample_confirmed": "confirmed the screen-out",
    "sample_overturned": "overturned the screen-out: a child is involved",
    "login": "signed in",
    "logout": "signed out",
    "login_failed": "refused a sign-in with a wrong username or password",
    "login_refused_throttled": "refused a sign-in after too many failures",
    "password_changed": "changed the password",
    "activated": "reactivated the account",
    "deactivated": "deactivated the account",
    "policy_proposed": "proposed a policy version",
    "policy_approved": "approved a policy version",
    "policy_rejected": "rejected a policy version",
    "model_registered": "registered a model",
    "model_promoted": "promoted a model",
    "model_rolled_back": "rolled back the model",
}


def _priority(detail: dict[str, Any]) -> str:
    return str(detail.get("priority") or "").replace("_", " ")


def _decided(detail: dict[str, Any]) -> str:
    outcome = str(detail.get("outcome") or "")
    said = OUTCOMES.get(outcome, outcome.replace("_", " ") or "a decision")
    return f"recorded {said}" + (" (for sign-off)" if detail.get("needs_signoff") else "")


def _searched(detail: dict[str, Any]) -> str:
    by = {"dob": "date of birth", "address": "address line"}.get(str(detail.get("by")), "")
    return f"searched by {by or detail.get('by')} and found {detail.get('results', 0)}"


def _with_names(names: dict[str, str]) -> dict[str, Callable[[dict[str, Any]], str]]:
    def staff(key: str, detail: dict[str, Any]) -> str:
        value = detail.get(key)
        return names.get(f"staff:{value}", "a member of staff")

    def source(detail: dict[str, Any]) -> str:
        return names.get(f"source:{detail.get('source')}", "a force")

    def role(key: str, detail: dict[str, Any]) -> str:
        value = str(detail.get(key) or "")
        return ROLE_NAMES.get(value, value).lower()

    return {
        "decided": _decided,
        "searched": _searched,
        "moved_to_duty_review": lambda d: f"moved the notification to duty review ({_priority(d)})",
        "staff_created": lambda d: f"added {staff('staff', d)} as {role('role', d)}",
        "staff_deactivated": lambda d: f"deactivated {staff('staff', d)}",
        "staff_reactivated": lambda d: f"reactivated {staff('staff', d)}",
        "role_changed": lambda d: (
            f"changed {staff('staff', d)} from {role('role_from', d)} to {role('role_to', d)}"
        ),
        "password_reset": lambda d: f"reset the password of {staff('staff', d)}",
        "key_created": lambda d: f"created an API key for {source(d)}",
        "key_revoked": lambda d: f"revoked an API key of {source(d)}",
        "claim_released": lambda d: f"released {staff('from', d)}'s claim",
        "claim_reassigned": lambda d: (
            f"passed the item from {staff('from', d)} to {staff('to', d)}"
            if d.get("from")
            else f"gave the item to {staff('to', d)}"
        ),
    }


def describe(row: AuditRow) -> str:
    """The event as a sentence, its actor (and anyone its detail names) named."""
    special = _with_names(row.names).get(row.action)
    what = special(row.detail) if special else _PLAIN.get(row.action, row.action.replace("_", " "))
    return f"{row.actor_name} {what}"

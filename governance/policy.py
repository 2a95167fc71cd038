"""The active screening policy: one reader for the web, the workers and the command line.

The stored version is validated by `screening.policy.Policy`; when it fails validation every
reader raises `PolicyError` (triage records it as the failure, the web shows it as an alert),
so nobody works silently under a policy other than the one approved. With no stored version
at all (a database never migrated with a default) the built-in `DEFAULT_POLICY` applies.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from models.db import session_scope
from models.deadlines import DeadlineRule
from models.policy_store import StoredPolicy, active_policy_row
from models.tables import PRIORITIES
from screening.policy import DEFAULT_POLICY, Policy

# Workers re-read the active version at most this often, so an approval reaches them quickly.
CACHE_SECONDS = 5.0


class PolicyError(RuntimeError):
    """The stored active policy version does not validate: nothing may be routed under it."""

    def __init__(self, version: int, problems: list[str]) -> None:
        super().__init__(
            f"the active screening policy (version {version}) is not valid: "
            + "; ".join(problems)
        )
        self.version = version
        self.problems = problems


def policy_of(stored: StoredPolicy | None) -> Policy:
    """The validated policy of a stored version (its version number is the stored one)."""
    if stored is None:
        return DEFAULT_POLICY
    try:
        return Policy.model_validate({**stored.policy, "version": stored.version})
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(p) for p in item['loc']) or 'policy'}: {item['msg']}"
            for item in error.errors()
        ]
        raise PolicyError(stored.version, problems) from None


def active_policy(session: Session) -> Policy:
    """The active policy version; raises PolicyError when the stored one is not valid."""
    return policy_of(active_policy_row(session))


_cache: tuple[float, str, Policy] | None = None
_cache_lock = threading.Lock()


def current_policy(url: str) -> Policy:
    """`active_policy` for a worker: re-read at most every CACHE_SECONDS per database."""
    global _cache
    now = time.monotonic()
    with _cache_lock:
        cached = _cache
    if cached is not None and cached[1] == url and now - cached[0] < CACHE_SECONDS:
        return cached[2]
    with session_scope(url) as session:
        policy = active_policy(session)
    with _cache_lock:
        _cache = (now, url, policy)
    return policy


def deadline_hours(policy: Policy) -> DeadlineRule:
    """Hours from receipt to the deadline, per priority, under `policy`, with the priorities
    counted in working time and the working calendar (a mapping of priority to hours)."""
    deadlines = policy.deadlines
    return DeadlineRule(
        hours={priority: policy.deadline_hours(priority) for priority in PRIORITIES},
        working=frozenset(p for p in PRIORITIES if deadlines.in_working_hours(p)),
        region=deadlines.holiday_region,
        day_start=deadlines.working_day_start,
        day_end=deadlines.working_day_end,
    )


def policy_with_changes(base: Policy, changes: dict[str, Any]) -> Policy:
    """`base` with some settings changed, validated (thresholds must stay ordered)."""
    if not changes:
        return base
    return Policy.model_validate({**base.model_dump(mode="json"), **changes})

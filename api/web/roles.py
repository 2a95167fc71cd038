"""Staff roles, what each may open, and the signed-in user as the pages see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DUTY_WORKER = "duty_worker"
MANAGER = "manager"
HEAD_OF_SAFEGUARDING = "head_of_safeguarding"
ADMIN = "admin"
BUSINESS_SUPPORT = "business_support"
ROLES: tuple[str, ...] = (DUTY_WORKER, MANAGER, HEAD_OF_SAFEGUARDING, ADMIN, BUSINESS_SUPPORT)

# Who may read and work notifications (the queue, the item page, claim and decide).
CASEWORK = frozenset({DUTY_WORKER, MANAGER, HEAD_OF_SAFEGUARDING})
# Who may sign off decisions, work the screened-out sample and read audit trails.
MANAGEMENT = frozenset({MANAGER, HEAD_OF_SAFEGUARDING})
# Who may open the screening policy pages.
POLICY = frozenset({HEAD_OF_SAFEGUARDING})
# Who may manage staff accounts and the police sources' API keys.
ADMINISTRATION = frozenset({ADMIN})
# Who may read the audit trail of the whole service (staff and key changes, searches).
OVERSIGHT = frozenset({MANAGER, HEAD_OF_SAFEGUARDING, ADMIN})
# Who may upload a force's daily file, and who may define a force's column mapping.
IMPORTS = frozenset({BUSINESS_SUPPORT, HEAD_OF_SAFEGUARDING, ADMIN})
FILE_MAPPINGS = frozenset({HEAD_OF_SAFEGUARDING, ADMIN})

ROLE_NAMES = {
    DUTY_WORKER: "Duty worker",
    MANAGER: "Manager",
    HEAD_OF_SAFEGUARDING: "Head of safeguarding",
    ADMIN: "Administrator",
    BUSINESS_SUPPORT: "Business support",
}


@dataclass(frozen=True)
class StaffUser:
    id: int
    username: str
    role: str

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)

    def can(self, allowed: frozenset[str]) -> bool:
        return self.role in allowed


def navigation_for(user: StaffUser, current: str | None) -> list[dict[str, Any]]:
    """The service navigation links this user's role may follow."""
    links: list[tuple[str, str, str, frozenset[str]]] = [
        ("queue", "Queue", "/queue", CASEWORK),
        ("search", "Search", "/search", CASEWORK),
        ("mine", "My decisions", "/my-decisions", CASEWORK),
        ("signoff", "Sign-off", "/signoff", MANAGEMENT),
        ("sample", "Screened-out sample", "/sample", MANAGEMENT),
        ("policy", "Policy", "/policy", POLICY),
        ("dashboard", "Dashboard", "/dashboard", POLICY),
        ("models", "Models", "/models", POLICY),
        ("retention", "Retention", "/retention", POLICY),
        ("subject_access", "Subject access", "/subject-access", MANAGEMENT),
        ("transparency", "Transparency", "/transparency", POLICY),
        ("imports", "Daily files", "/imports", IMPORTS),
        ("contacts", "Contacts", "/contacts", MANAGEMENT),
        ("staff", "Staff", "/admin/staff", ADMINISTRATION),
        ("keys", "API keys", "/admin/keys", ADMINISTRATION),
        ("audit", "Audit", "/audit", OVERSIGHT),
    ]
    return [
        {"text": text, "href": href, "current": key == current}
        for key, text, href, allowed in links
        if user.can(allowed)
    ]

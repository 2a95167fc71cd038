"""Remote incidents in synthetic narratives: threatening calls, messages, social media posts and
breaches of orders, where the suspect was never at the scene.

A remote row uses a [[remote_core]] incident, a remote opening and attendance line, and, for
children who were there, sentences about hearing the call or seeing the messages rather than
witnessing an assault. Templates tagged `p` (the suspect was physically present) are never used.
Children in a remote row count exactly as in any other: present if at the victim's home during
the calls, household if living there, and so on.
"""

from __future__ import annotations

import random
from typing import Any

from screening.synth.bank import banks

_PRESENT = {
    "present": "present_remote",
    "present_visiting": "present_remote",
    "present_guest": "present_guest_remote",
}
SHARE_CHILD_THREAT = 0.35  # groups of a party's children that the messages also mention


def pick_core(rng: random.Random, remote: bool) -> dict[str, Any]:
    """An incident core: a remote one for a remote row, otherwise a face-to-face one."""
    return rng.choice(banks()["remote_core" if remote else "core"])


def section(name: str, remote: bool) -> str:
    """The bank section to use for a child sentence in a remote row."""
    return _PRESENT.get(name, name) if remote else name


def opening_section(name: str, remote: bool) -> str:
    """`opening` or `attend`, or their remote versions."""
    return f"remote_{name}" if remote else name

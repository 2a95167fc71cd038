"""Valid notifications with chosen fields changed, for unit tests of the contract and rules.

Built on `tests.notification_factory.make_notification` (the pipeline tests' builder): an
adults-only notification with every tick box false and a fresh reference, then `changes`.
"""

from __future__ import annotations

import itertools
from typing import Any

from models.contract import Notification
from tests.notification_factory import make_notification

_counter = itertools.count(1)


def raw(**changes: Any) -> dict[str, Any]:
    """A valid notification as JSON-able data with a fresh reference, changed by `changes`."""
    body = make_notification(f"TEST/26/{next(_counter):06d}", child=False)
    body["victim_pregnant"] = False
    body.update(changes)
    return body


def notification(**changes: Any) -> Notification:
    return Notification.model_validate(raw(**changes))

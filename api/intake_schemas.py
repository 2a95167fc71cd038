"""Response bodies of the intake API (the request bodies are models.contract.Notification),
with their fields described for the OpenAPI document, and the example notification it shows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.problems import Problem

# A complete, valid notification: the example the API documentation shows.
NOTIFICATION_EXAMPLE: dict[str, Any] = {
    "reference": "LE/26/100001",
    "occurred_at": "2026-11-20T23:14:00+00:00",
    "reported_at": "2026-11-20T23:20:00+00:00",
    "incident_type": "crime",
    "offences": ["Assault occasioning actual bodily harm"],
    "address": {"line1": "4 Willow Close", "town": "Leicester", "postcode": "LE3 9QP"},
    "dash": {"level": "high", "yes_count": 14},
    "people": [
        {
            "role": "victim",
            "given_name": "Kerry",
            "family_name": "Hale",
            "age": 29,
            "pregnant": True,
        },
        {"role": "suspect", "given_name": "Lee", "family_name": "Hale", "age": 31},
        {
            "role": "child",
            "given_name": "Mia",
            "family_name": "Hale",
            "date_of_birth": "2020-02-03",
            "present_at_incident": True,
            "lives_at_address": True,
        },
    ],
    "children_present": True,
    "children_in_household": True,
    "previous_incidents": 2,
    "narrative": "Officers attended after a neighbour called 999. Her daughter Mia (6) was in "
    "the lounge and saw it happen. The victim is 20 weeks pregnant.",
    "officer": {"id": "4521", "station": "Euston Street"},
}


class Links(BaseModel):
    self: str = Field(description="Where to read this notification's status (GET).")


class Accepted(BaseModel):
    """A stored notification: 202 when new, 200 when the same body was sent before."""

    id: uuid.UUID = Field(description="The service's id of the notification.")
    reference: str = Field(description="The force's reference, as sent.")
    status: Literal["received", "triaged", "failed"] = Field(
        description="`received` until screened (seconds), then `triaged`; `failed` if it could "
        "not be screened (a person is told)."
    )
    links: Links


class NotificationState(BaseModel):
    """Where a notification is; route, priority and categories once triaged."""

    id: uuid.UUID
    reference: str
    status: Literal["received", "triaged", "failed"]
    received_at: datetime = Field(description="When the service received it (UTC).")
    triaged_at: datetime | None = Field(default=None, description="When it was screened.")
    route: Literal["duty_review", "triage_check", "screened_out"] | None = Field(
        default=None,
        description="Where screening sent it: the duty team, a quick human check, or screened "
        "out (no child involvement found with confidence).",
    )
    priority: Literal["urgent", "high", "normal"] | None = Field(
        default=None, description="For the duty team's work."
    )
    categories: list[str] | None = Field(
        default=None,
        description="How a child is involved: present, household, pregnancy, child_of_party, "
        "young_party, regular_visitor.",
    )
    links: Links


class BatchItemResult(BaseModel):
    """The outcome of one batch item; `status` is the HTTP status it would have had alone."""

    index: int = Field(description="The item's position in the batch, from 0.")
    status: Literal[200, 202, 403, 409, 413, 422] = Field(
        description="The HTTP status this item would have had on its own."
    )
    reference: str | None = None
    id: uuid.UUID | None = None
    links: Links | None = None
    problem: Problem | None = None


class BatchResult(BaseModel):
    accepted: int = Field(description="New notifications stored (202).")
    repeated: int = Field(description="Sent before with the same body (200).")
    rejected: int = Field(description="Refused items, each with its problem.")
    results: list[BatchItemResult]

"""Schemathesis, in process, over the whole intake API (on the embedded SQLite database), with
every check it has: no 5xx, every response as the OpenAPI document says (status, content type,
schema, headers), schema-valid requests accepted and schema-violating ones refused.

The document says what intake enforces wherever JSON Schema has a keyword for it (the victim
rule, the batch body, date bounds, postcodes, NUL-free text). Three rules relate two fields
(a date of birth after occurred_at, an age more than a year off the date of birth, reported_at
before occurred_at); JSON Schema cannot compare fields, the document states them in words, and
`filter_case` below drops only generated bodies that break one of those three.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from pydantic import ValidationError

from api.app import create_app
from models.contract import Notification
from models.key_store import create_key
from models.migrate import migrate
from models.settings import Settings
from screening.policy import DEFAULT_POLICY
from tests.intake_support import in_session

_settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="dvs-schemathesis-")))
migrate(_settings, DEFAULT_POLICY.model_dump(mode="json"))
KEY = in_session(_settings.database, create_key, source_name="Schemathesis Police")
app = create_app(_settings)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
# Valid-by-schema and schema-violating requests both.
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)

# What the contract's model validator says when two fields disagree (and nothing else).
CROSS_FIELD = ("is after occurred_at", "disagrees with date_of_birth", "is before occurred_at")


def breaks_a_cross_field_rule(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    try:
        Notification.model_validate(document)
    except ValidationError as error:
        return any(
            not e["loc"] and any(phrase in e["msg"] for phrase in CROSS_FIELD)
            for e in error.errors(include_input=False)
        )
    return False


@schema.hook
def filter_case(_context: Any, case: Any) -> bool:
    body = case.body
    items = body.get("notifications") if isinstance(body, dict) else None
    documents = items if isinstance(items, list) else [body]
    return not any(breaks_a_cross_field_rule(document) for document in documents)


def test_the_filter_recognises_only_cross_field_errors():
    body = {
        "reference": "X", "occurred_at": "2020-01-01T00:00:00Z", "incident_type": "crime",
        "address": {"line1": "1"}, "people": [{"role": "victim"}], "narrative": "n",
    }  # fmt: skip
    assert not breaks_a_cross_field_rule(body)
    assert breaks_a_cross_field_rule({**body, "reported_at": "2019-01-01T00:00:00Z"})
    assert not breaks_a_cross_field_rule({**body, "people": [{"role": "child"}]})


@schema.parametrize()
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case):
    # No `checks=`: all of schemathesis's checks run.
    case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"})


def test_unauthenticated_requests_are_documented_401s():
    for operation in schema.get_all_operations():
        op = operation.ok()
        if op.method.upper() != "POST":
            continue
        case = op.Case(body={"reference": "X"}, media_type="application/json")
        response = case.call()
        assert response.status_code == 401
        case.validate_response(response)

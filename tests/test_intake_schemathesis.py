"""Schemathesis, in process, over the whole intake API (on the embedded SQLite database):
no 5xx, and every response as the OpenAPI document says (status, content type, schema)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import checks as core_checks
from schemathesis.specs.openapi import checks as openapi_checks

from api.app import create_app
from models.key_store import create_key
from models.migrate import migrate
from models.settings import Settings
from screening.policy import DEFAULT_POLICY

_settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="dvs-schemathesis-")))
migrate(_settings, DEFAULT_POLICY.model_dump(mode="json"))
KEY = create_key(_settings.database, "Schemathesis Police")
app = create_app(_settings)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
# Valid-by-schema and schema-violating requests both.
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)

CHECKS = [
    core_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.negative_data_rejection,
]


@schema.parametrize()
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"}, checks=CHECKS)


def test_unauthenticated_requests_are_documented_401s():
    for operation in schema.get_all_operations():
        op = operation.ok()
        if op.method.upper() != "POST":
            continue
        case = op.Case(body={"reference": "X"}, media_type="application/json")
        response = case.call()
        assert response.status_code == 401
        case.validate_response(response, checks=CHECKS)

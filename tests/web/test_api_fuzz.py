"""Bounded property-based fuzzing of the API: no input gives a 500 (issue 6).

Schemathesis generates requests from the OpenAPI document, valid and invalid; Hypothesis adds
arbitrary JSON bodies. Both run on the app with the test client raising on a server error, so
the catch-all 500 handler is never what answers.
"""

import json
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from limbsalvage.core.registry import SYSTEMS
from limbsalvage.settings import Settings
from limbsalvage.web.app import OPENAPI_URL, create_app

APP = create_app(Settings(env="demo"))
schema = schemathesis.openapi.from_asgi(OPENAPI_URL, APP)

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_schema_fuzz(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@given(
    name=st.sampled_from(list(SYSTEMS)),
    data=st.data(),
)
@settings(max_examples=300, deadline=None)
def test_any_json_body_is_a_result_or_a_4xx(name: str, data: st.DataObject) -> None:
    system = SYSTEMS[name]
    field_names = st.sampled_from([spec.name for spec in system.fields]) | st.text(max_size=8)
    body: dict[str, Any] = data.draw(st.dictionaries(field_names, json_values, max_size=6))
    with TestClient(APP, raise_server_exceptions=True) as client:
        # json.dumps writes NaN and Infinity, which Python's json (and so the server) reads.
        response = client.post(
            f"/api/v1/classify/{name}",
            content=json.dumps(body),
            headers={"content-type": "application/json"},
        )
    assert response.status_code in {200, 422}
    if response.status_code == 200:
        assert response.json()["system"] == name
    else:
        assert response.json()["error"]["fields"]

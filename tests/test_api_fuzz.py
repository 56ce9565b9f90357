"""Schemathesis drives every operation in our OpenAPI schema with generated input.

Whatever a client sends — wrong types, huge strings, odd unicode — the API must answer
with a documented 4xx JSON error or a success, never a 500.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application  # noqa: E402
from sikim.accounts.models import ApiToken, ApiTokenScope
from sikim.accounts.tokens import generate_token, hash_token

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_test_connection(db, regions):
    """Like Django's test client: keep the test's database connection (and its transaction)
    open across requests made straight to the WSGI application."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(national_admin) -> str:
    token = generate_token()
    ApiToken.objects.create(
        user=national_admin, name="fuzz", prefix=token[:12], token_hash=hash_token(token), scope=ApiTokenScope.WRITE
    )
    return token


@schema.parametrize()
@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, admin_token):
    response = case.call(headers={"Authorization": f"Bearer {admin_token}"})
    case.validate_response(response, checks=[not_a_server_error])
    if 400 <= response.status_code < 500:
        body = response.json()
        assert set(body) >= {"code", "message"}, body


@schema.parametrize()
@hypothesis_settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_anonymous_callers_get_json_errors_not_crashes(case):
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    assert response.headers["content-type"][0].startswith("application/json"), response.headers

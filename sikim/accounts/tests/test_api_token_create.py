import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from sikim.accounts import services
from sikim.accounts.models import ApiToken
from sikim.accounts.services import api_token_create
from sikim.accounts.tests.factories import UserFactory
from sikim.audit.models import AuditEvent


@pytest.fixture
def stranger(db):
    """A plain user; these tests need no regions."""
    return UserFactory()


def test_it_returns_the_token_once_and_stores_only_its_sha256(stranger):
    token, plain = api_token_create(actor=stranger, name="Dashboard", scope="read")

    assert plain.startswith("sikim_") and len(plain) > 40
    token.refresh_from_db()
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert token.prefix == plain[:12]
    assert token.user == stranger
    # The plain token is nowhere in the database: not in the token row, not in the audit log.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
        cursor.execute("SELECT before, after FROM audit_auditevent")
        rows += cursor.fetchall()
    assert plain not in repr(rows)


def test_it_is_audited_without_the_hash(stranger):
    token, _plain = api_token_create(actor=stranger, name="Dashboard", scope="write")

    event = AuditEvent.objects.get(action="accounts.api_token_create")
    assert event.actor == stranger
    assert event.after["scope"] == "write"
    assert token.token_hash not in str(event.after)


def test_it_rejects_an_expiry_in_the_past(stranger):
    with pytest.raises(ValidationError) as excinfo:
        api_token_create(actor=stranger, name="Lama", scope="read", expires_at=timezone.now() - timedelta(days=1))

    assert "expires_at" in excinfo.value.message_dict
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("name", "scope"), [("", "read"), ("   ", "read"), ("x" * 101, "read"), ("ok", "admin")])
def test_it_rejects_bad_input(stranger, name, scope):
    with pytest.raises(ValidationError):
        api_token_create(actor=stranger, name=name, scope=scope)


def test_it_limits_the_number_of_active_tokens(stranger, monkeypatch):
    monkeypatch.setattr(services, "MAX_ACTIVE_TOKENS", 2)
    api_token_create(actor=stranger, name="a", scope="read")
    api_token_create(actor=stranger, name="b", scope="read")

    with pytest.raises(ValidationError):
        api_token_create(actor=stranger, name="c", scope="read")


def test_it_rejects_an_inactive_user(stranger):
    stranger.is_active = False
    with pytest.raises(PermissionDenied):
        api_token_create(actor=stranger, name="a", scope="read")

import pytest
from django.core.exceptions import PermissionDenied

from sikim.accounts.services import api_token_create, api_token_revoke, api_token_revoke_by_admin
from sikim.accounts.tests.factories import UserFactory
from sikim.audit.models import AuditEvent


@pytest.fixture
def stranger(db):
    """A plain user; these tests need no regions."""
    return UserFactory()


def test_it_revokes_an_own_token(stranger):
    token, _plain = api_token_create(actor=stranger, name="a", scope="read")

    api_token_revoke(actor=stranger, token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="accounts.api_token_revoke", actor=stranger).count() == 1


def test_revoking_twice_changes_nothing(stranger):
    token, _plain = api_token_create(actor=stranger, name="a", scope="read")
    api_token_revoke(actor=stranger, token=token)
    first = token.revoked_at

    api_token_revoke(actor=stranger, token=token)

    assert token.revoked_at == first
    assert AuditEvent.objects.filter(action="accounts.api_token_revoke").count() == 1


def test_it_rejects_someone_elses_token(stranger, national_admin):
    token, _plain = api_token_create(actor=stranger, name="a", scope="read")

    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=national_admin, token=token)

    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_national_admin_revokes_through_the_admin_service(stranger, national_admin, outsider):
    token, _plain = api_token_create(actor=stranger, name="a", scope="read")

    with pytest.raises(PermissionDenied):
        api_token_revoke_by_admin(actor=outsider, token=token)
    api_token_revoke_by_admin(actor=national_admin, token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None

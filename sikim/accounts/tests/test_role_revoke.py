import pytest
from django.core.exceptions import PermissionDenied

from conftest import GUNTUNG_PAIKAT
from sikim.accounts import authz
from sikim.accounts.models import Role, RoleGrant
from sikim.accounts.services import role_revoke
from sikim.audit.models import AuditEvent


def test_a_pembina_revokes_a_grant_inside_their_subtree(pembina_banjarbaru, warga_guntung_paikat):
    grant = RoleGrant.objects.get(user=warga_guntung_paikat, role=Role.WARGA)
    assert authz.has_role(warga_guntung_paikat, Role.WARGA)

    role_revoke(actor=pembina_banjarbaru, grant=grant)

    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert not authz.has_role(grant.user, Role.WARGA)
    event = AuditEvent.objects.get(action="accounts.role_revoke")
    assert event.region_id == GUNTUNG_PAIKAT
    assert event.actor == pembina_banjarbaru


def test_it_rejects_the_outsider(outsider, warga_guntung_paikat):
    grant = RoleGrant.objects.get(user=warga_guntung_paikat, role=Role.WARGA)

    with pytest.raises(PermissionDenied):
        role_revoke(actor=outsider, grant=grant)

    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_a_pembina_cannot_revoke_a_pembina(pembina_banjarbaru, national_admin):
    grant = RoleGrant.objects.get(user=pembina_banjarbaru, role=Role.PEMBINA)

    with pytest.raises(PermissionDenied):
        role_revoke(actor=pembina_banjarbaru, grant=grant)
    role_revoke(actor=national_admin, grant=grant)

    grant.refresh_from_db()
    assert grant.revoked_at is not None

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import BANJARBARU, EKASARI, GUNTUNG_PAIKAT, JEMBRANA
from sikim.accounts import authz
from sikim.accounts.authz import Action
from sikim.accounts.models import Role, RoleGrant
from sikim.accounts.services import role_grant
from sikim.audit.models import AuditEvent


def test_a_pembina_grants_warga_inside_their_subtree(pembina_banjarbaru, stranger, regions):
    grant = role_grant(
        actor=pembina_banjarbaru, user=stranger, role=Role.WARGA, region=regions.get(code=GUNTUNG_PAIKAT)
    )

    assert grant.granted_by == pembina_banjarbaru
    assert RoleGrant.objects.filter(user=stranger, role=Role.WARGA, region_id=GUNTUNG_PAIKAT).exists()
    event = AuditEvent.objects.get(action="accounts.role_grant")
    assert event.actor == pembina_banjarbaru
    assert event.region_id == GUNTUNG_PAIKAT
    assert event.after["role"] == "warga"


def test_it_rejects_a_pembina_granting_outside_their_subtree(pembina_banjarbaru, stranger, regions):
    with pytest.raises(PermissionDenied):
        role_grant(actor=pembina_banjarbaru, user=stranger, role=Role.WARGA, region=regions.get(code=EKASARI))
    with pytest.raises(PermissionDenied):
        role_grant(actor=pembina_banjarbaru, user=stranger, role=Role.WARGA, region=regions.get(code=JEMBRANA))
    # The province around Banjarbaru is larger than the pembina's subtree.
    with pytest.raises(PermissionDenied):
        role_grant(actor=pembina_banjarbaru, user=stranger, role=Role.WARGA, region=regions.get(code="63"))

    assert not RoleGrant.objects.filter(user=stranger).exists()
    assert not AuditEvent.objects.filter(action="accounts.role_grant").exists()


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.PEMBINA])
def test_it_rejects_a_pembina_granting_their_own_rank_or_higher(pembina_banjarbaru, stranger, regions, role):
    region = None if role == Role.NATIONAL_ADMIN else regions.get(code=BANJARBARU)

    with pytest.raises(PermissionDenied):
        role_grant(actor=pembina_banjarbaru, user=stranger, role=role, region=region)


def test_it_rejects_a_pembina_granting_without_a_scope(pembina_banjarbaru, stranger):
    with pytest.raises(PermissionDenied):
        role_grant(actor=pembina_banjarbaru, user=stranger, role=Role.WARGA)


def test_it_rejects_people_without_the_grant_action(warga_guntung_paikat, stranger, regions):
    with pytest.raises(PermissionDenied):
        role_grant(actor=warga_guntung_paikat, user=stranger, role=Role.WARGA, region=regions.get(code=GUNTUNG_PAIKAT))


def test_a_national_admin_grants_pembina_and_national_admin(national_admin, stranger, outsider, regions):
    role_grant(actor=national_admin, user=stranger, role=Role.PEMBINA, region=regions.get(code=BANJARBARU))
    role_grant(actor=national_admin, user=outsider, role=Role.NATIONAL_ADMIN)

    assert authz.can(stranger, Action.ROLE_GRANT, regions.get(code=GUNTUNG_PAIKAT))
    assert authz.is_national_admin(outsider)


def test_it_forgets_the_cached_grants(national_admin, stranger, regions):
    assert not authz.can(stranger, Action.ROLE_GRANT, regions.get(code=GUNTUNG_PAIKAT))  # caches "no grants"

    role_grant(actor=national_admin, user=stranger, role=Role.PEMBINA, region=regions.get(code=BANJARBARU))

    assert authz.can(stranger, Action.ROLE_GRANT, regions.get(code=GUNTUNG_PAIKAT))


def test_it_rejects_a_duplicate(pembina_banjarbaru, stranger, regions):
    village = regions.get(code=GUNTUNG_PAIKAT)
    role_grant(actor=pembina_banjarbaru, user=stranger, role=Role.WARGA, region=village)

    with pytest.raises(ValidationError):
        role_grant(actor=pembina_banjarbaru, user=stranger, role=Role.WARGA, region=village)


@pytest.mark.parametrize(
    ("role", "region_code"),
    [("nonsense", None), (Role.PEMBINA, None), (Role.NATIONAL_ADMIN, BANJARBARU), (Role.PENGURUS_KIM, None)],
)
def test_it_rejects_a_scope_that_does_not_fit_the_role(national_admin, stranger, regions, role, region_code):
    region = regions.get(code=region_code) if region_code else None

    with pytest.raises(ValidationError):
        role_grant(actor=national_admin, user=stranger, role=role, region=region)

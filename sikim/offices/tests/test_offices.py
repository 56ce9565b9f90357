"""Government offices: jurisdiction, officers, who manages them, and the admin's scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import login
from sikim.accounts.models import Role
from sikim.accounts.tests.factories import UserFactory
from sikim.audit.models import AuditEvent
from sikim.kim.tests.factories import english  # noqa: F401 (fixture)
from sikim.offices.models import GovernmentOffice, OfficeKind
from sikim.offices.selectors import officers_of, offices_covering, offices_for_admin, offices_in, offices_of_user
from sikim.offices.services import office_officer_add, office_save, office_set_active

pytestmark = [pytest.mark.django_db]


def test_kind_is_checked_by_the_database(regions):
    with pytest.raises(IntegrityError), transaction.atomic():
        GovernmentOffice.objects.create(slug="x", name="X", region_id="63.72", kind="kementerian")


def test_name_is_unique_within_a_region(pupr_banjarbaru):
    with pytest.raises(IntegrityError), transaction.atomic():
        GovernmentOffice.objects.create(slug="other", name=pupr_banjarbaru.name, region_id="63.72")


def test_kind_must_suit_the_level_of_the_region(regions):
    with pytest.raises(ValidationError):
        GovernmentOffice(slug="a", name="A", kind=OfficeKind.KECAMATAN, region_id="63.72").full_clean()
    with pytest.raises(ValidationError):
        GovernmentOffice(slug="b", name="B", kind=OfficeKind.DINAS, region_id="63.72.05").full_clean()
    GovernmentOffice(slug="c", name="C", kind=OfficeKind.KELURAHAN, region_id="63.72.05.1004").full_clean()


def test_offices_covering_a_village_are_the_nearest_first(
    pupr_banjarbaru, pupr_kalsel, kecamatan_banjarbaru_selatan, pupr_jembrana
):
    covering = list(offices_covering("63.72.05.1004"))
    assert covering[0] == kecamatan_banjarbaru_selatan
    assert set(covering) == {kecamatan_banjarbaru_selatan, pupr_banjarbaru, pupr_kalsel}
    assert pupr_jembrana not in covering
    assert set(offices_in("63.72")) == {pupr_banjarbaru, kecamatan_banjarbaru_selatan}
    pupr_banjarbaru.is_active = False
    pupr_banjarbaru.save()
    assert pupr_banjarbaru not in offices_covering("63.72.05.1004")


def test_offices_of_a_user_and_officers_of_an_office(petugas_pupr, pupr_banjarbaru, dlh_banjarbaru, stranger):
    assert list(offices_of_user(petugas_pupr)) == [pupr_banjarbaru]
    assert list(officers_of(pupr_banjarbaru)) == [petugas_pupr]
    assert list(officers_of(dlh_banjarbaru)) == []
    assert list(offices_of_user(stranger)) == []


def test_pembina_manages_offices_of_their_region_only(pembina_banjarbaru, outsider, regions):
    office = office_save(
        actor=pembina_banjarbaru,
        office=GovernmentOffice(name="Dinas Sosial Kota Banjarbaru", region_id="63.72", kind=OfficeKind.DINAS),
    )
    assert office.slug == "dinas-sosial-kota-banjarbaru"
    assert AuditEvent.objects.filter(action="offices.office.create", object_id=str(office.pk)).exists()
    with pytest.raises(PermissionDenied):
        office_save(actor=outsider, office=GovernmentOffice(name="Dinas X", region_id="63.72"))
    office.region_id = "51.01"
    with pytest.raises(PermissionDenied):
        office_save(actor=outsider, office=office)  # moving a Banjarbaru office into Jembrana
    office_set_active(actor=pembina_banjarbaru, office=GovernmentOffice.objects.get(pk=office.pk), is_active=False)
    assert not GovernmentOffice.objects.get(pk=office.pk).is_active


def test_pembina_names_an_officer(pembina_banjarbaru, outsider, pupr_banjarbaru):
    user = UserFactory(full_name="Petugas Baru")
    grant = office_officer_add(actor=pembina_banjarbaru, office=pupr_banjarbaru, user=user)
    assert grant.role == Role.PETUGAS_INSTANSI and grant.organisation == pupr_banjarbaru
    with pytest.raises(PermissionDenied):
        office_officer_add(actor=outsider, office=pupr_banjarbaru, user=UserFactory())
    with pytest.raises(ValidationError):
        office_officer_add(actor=pembina_banjarbaru, office=pupr_banjarbaru, user=user, role=Role.PEMBINA)


def test_admin_scope(pembina_banjarbaru, outsider, petugas_pupr, national_admin, pupr_banjarbaru, pupr_jembrana):
    assert set(offices_for_admin(pembina_banjarbaru)) == {pupr_banjarbaru}
    assert set(offices_for_admin(outsider)) == {pupr_jembrana}
    assert set(offices_for_admin(petugas_pupr)) == {pupr_banjarbaru}
    assert set(offices_for_admin(national_admin)) == {pupr_banjarbaru, pupr_jembrana}


@pytest.mark.usefixtures("english")
def test_admin_pages_for_a_pembina(client, pembina_banjarbaru, pupr_banjarbaru, pupr_jembrana):
    pembina_banjarbaru.is_staff = True
    pembina_banjarbaru.save()
    login(client, pembina_banjarbaru)
    listing = client.get(reverse("admin:offices_governmentoffice_changelist"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Dinas PUPR Kota Banjarbaru" in body and "Dinas PUPRPKP" not in body
    assert client.get(reverse("admin:offices_governmentoffice_change", args=[pupr_jembrana.pk])).status_code == 302
    refused = client.post(
        reverse("admin:offices_governmentoffice_add"),
        {"name": "Dinas Y", "slug": "dinas-y", "kind": "dinas", "region": "51.01", "is_active": "on"},
    )
    assert refused.status_code == 200
    assert "only manage offices inside your own region" in refused.content.decode()
    created = client.post(
        reverse("admin:offices_governmentoffice_add"),
        {"name": "Dinas Sosial", "slug": "dinas-sosial", "kind": "dinas", "region": "63.72", "is_active": "on"},
    )
    assert created.status_code == 302
    assert GovernmentOffice.objects.filter(slug="dinas-sosial", region_id="63.72").exists()

import pytest
from django.urls import reverse

from conftest import login
from sikim.audit.models import AuditEvent
from sikim.kim.models import KimDocument, KimMember, PembinaOffice
from sikim.kim.services.documents import kim_document_upload
from sikim.kim.tests.factories_registry import english, pdf, tmp_media  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "tmp_media")]


def _staff(user):
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def admin_staff(national_admin):
    return _staff(national_admin)


@pytest.fixture
def pembina_staff(pembina_banjarbaru):
    return _staff(pembina_banjarbaru)


@pytest.fixture
def members(kim_guntung_paikat, kim_ekasari):
    KimMember.objects.create(kim=kim_guntung_paikat, name="Nur Halimah", phone="+6281351000004")
    KimMember.objects.create(kim=kim_ekasari, name="I Wayan Sudi", phone="+6281338000002")


def test_pembina_staff_sees_only_their_subtree(client, pembina_staff, kim_guntung_paikat, kim_ekasari, members):
    login(client, pembina_staff)
    kims = client.get(reverse("admin:kim_kim_changelist"))
    assert kims.status_code == 200
    assert "KIM Guntung Paikat" in kims.content.decode()
    assert "KIM Desa Ekasari" not in kims.content.decode()
    assert client.get(reverse("admin:kim_kim_change", args=[kim_ekasari.pk])).status_code == 302  # "doesn't exist"
    people = client.get(reverse("admin:kim_kimmember_changelist")).content.decode()
    assert "Nur Halimah" in people and "+6281351000004" in people
    assert "I Wayan Sudi" not in people


def test_member_search(client, pembina_staff, members):
    login(client, pembina_staff)
    body = client.get(reverse("admin:kim_kimmember_changelist"), {"q": "Halimah"}).content.decode()
    assert "Nur Halimah" in body


def test_pembina_staff_cannot_change_a_kim_or_offices(client, pembina_staff, kim_guntung_paikat):
    login(client, pembina_staff)
    page = client.get(reverse("admin:kim_kim_change", args=[kim_guntung_paikat.pk]))
    assert page.status_code == 200
    assert 'name="pembina_office"' not in page.content.decode()
    assert client.get(reverse("admin:kim_pembinaoffice_add")).status_code == 403
    assert client.get(reverse("admin:kim_kim_add")).status_code == 403


def test_people_without_staff_access_are_kept_out(client, pembina_banjarbaru, ketua_guntung_paikat, regions):
    for user in (pembina_banjarbaru, ketua_guntung_paikat):
        client.logout()
        response = login(client, user).get(reverse("admin:kim_kim_changelist"))
        assert response.status_code == 302


def test_staff_without_a_kim_role_sees_no_kim_admin(client, stranger, kim_guntung_paikat):
    login(client, _staff(stranger))
    assert client.get(reverse("admin:kim_kim_changelist")).status_code == 403
    assert client.get(reverse("admin:kim_kimmember_changelist")).status_code == 403


def test_national_admin_creates_an_office_with_audit(client, admin_staff, regions):
    login(client, admin_staff)
    response = client.post(
        reverse("admin:kim_pembinaoffice_add"),
        {"name": "Diskominfo Kabupaten Banjar", "slug": "diskominfo-banjar", "region": "63.03", "email": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    office = PembinaOffice.objects.get(slug="diskominfo-banjar")
    assert AuditEvent.objects.filter(action="kim.pembina_office.create", object_id=str(office.pk)).exists()


def test_an_office_for_a_village_is_refused(client, admin_staff, regions):
    login(client, admin_staff)
    response = client.post(
        reverse("admin:kim_pembinaoffice_add"),
        {"name": "Kantor Desa", "slug": "kantor-desa", "region": "63.72.05.1004"},
    )
    assert response.status_code == 200
    assert not PembinaOffice.objects.filter(slug="kantor-desa").exists()


def test_national_admin_moves_a_kim_to_another_office(client, admin_staff, kim_guntung_paikat):
    province = PembinaOffice.objects.create(name="Diskominfo Kalsel", slug="diskominfo-kalsel", region_id="63")
    login(client, admin_staff)
    response = client.post(
        reverse("admin:kim_kim_change", args=[kim_guntung_paikat.pk]),
        {
            "pembina_office": province.pk,
            "sectors-TOTAL_FORMS": "0",
            "sectors-INITIAL_FORMS": "0",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.pembina_office == province
    assert AuditEvent.objects.filter(action="kim.set_pembina_office").exists()


def test_an_office_of_another_region_is_refused(client, admin_staff, kim_guntung_paikat, pembina_office_jembrana):
    login(client, admin_staff)
    response = client.post(
        reverse("admin:kim_kim_change", args=[kim_guntung_paikat.pk]),
        {
            "pembina_office": pembina_office_jembrana.pk,
            "sectors-TOTAL_FORMS": "0",
            "sectors-INITIAL_FORMS": "0",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "does not foster" in response.content.decode()
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.pembina_office.region_id == "63.72"


def test_documents_are_deleted_through_the_service(client, pembina_staff, kim_guntung_paikat, kim_ekasari):
    mine = kim_document_upload(actor=pembina_staff, kim=kim_guntung_paikat, kind="other", title="Laporan", file=pdf())
    login(client, pembina_staff)
    listing = client.get(reverse("admin:kim_kimdocument_changelist")).content.decode()
    assert "Laporan" in listing
    response = client.post(reverse("admin:kim_kimdocument_delete", args=[mine.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not KimDocument.objects.exists()
    assert AuditEvent.objects.filter(action="kim.document.delete").exists()


def test_formation_admin_is_read_only_and_scoped(client, pembina_staff, kim_guntung_paikat):
    login(client, pembina_staff)
    assert client.get(reverse("admin:kim_formation_changelist")).status_code == 200
    assert client.get(reverse("admin:kim_formation_add")).status_code == 403

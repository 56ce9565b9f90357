import pytest
from django.contrib.contenttypes.models import ContentType

from sikim.accounts.models import Role, RoleGrant, User
from sikim.accounts.tests.factories import UserFactory
from sikim.offices.models import GovernmentOffice, OfficeKind


def make_office(slug: str, name: str, region: str, kind: str = OfficeKind.DINAS) -> GovernmentOffice:
    return GovernmentOffice.objects.create(slug=slug, name=name, region_id=region, kind=kind)


def make_officer(office: GovernmentOffice, full_name: str, email: str, role: str = Role.PETUGAS_INSTANSI):
    user: User = UserFactory(full_name=full_name, email=email)
    RoleGrant.objects.create(
        user=user,
        role=role,
        organisation_type=ContentType.objects.get_for_model(GovernmentOffice),
        organisation_id=office.pk,
    )
    return user


@pytest.fixture
def pupr_banjarbaru(regions):
    return make_office("dinas-pupr-kota-banjarbaru", "Dinas PUPR Kota Banjarbaru", "63.72")


@pytest.fixture
def dlh_banjarbaru(regions):
    return make_office("dlh-kota-banjarbaru", "Dinas Lingkungan Hidup Kota Banjarbaru", "63.72")


@pytest.fixture
def pupr_kalsel(regions):
    return make_office("dinas-pupr-kalsel", "Dinas PUPR Provinsi Kalimantan Selatan", "63")


@pytest.fixture
def kecamatan_banjarbaru_selatan(regions):
    return make_office(
        "kecamatan-banjarbaru-selatan", "Kantor Kecamatan Banjarbaru Selatan", "63.72.05", OfficeKind.KECAMATAN
    )


@pytest.fixture
def pupr_jembrana(regions):
    return make_office("dinas-puprpkp-jembrana", "Dinas PUPRPKP Kabupaten Jembrana", "51.01")


@pytest.fixture
def petugas_pupr(pupr_banjarbaru):
    return make_officer(pupr_banjarbaru, "Muhammad Rizky", "petugas.pupr@sikim.test")


@pytest.fixture
def petugas_dlh(dlh_banjarbaru):
    return make_officer(dlh_banjarbaru, "Lina Marlina", "petugas.dlh@sikim.test")


@pytest.fixture
def petugas_pupr_jembrana(pupr_jembrana):
    return make_officer(pupr_jembrana, "I Gede Wirawan", "petugas.pupr.jembrana@sikim.test")

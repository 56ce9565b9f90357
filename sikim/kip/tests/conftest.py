"""Fixtures for the KIP tests: public bodies with their PPID and atasan PPID, and a helper that
files a request through the service."""

from datetime import datetime

import pytest

from sikim.accounts.models import Role
from sikim.accounts.tests.factories import UserFactory
from sikim.core.workdays import JAKARTA
from sikim.kim.tests.factories import english  # noqa: F401 (fixture)
from sikim.kip.models import AtasanPpid
from sikim.kip.services.requests import request_file
from sikim.offices.models import OfficeKind
from sikim.offices.tests.conftest import make_office, make_officer

EKASARI = "51.01.04.2004"


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=JAKARTA)


def end_of(year: int, month: int, day: int) -> datetime:
    return wib(year, month, day, 23, 59, 59)


# Tuesday 17 March 2026, 10:00: the last working day before Nyepi and Lebaran.
BEFORE_LEBARAN = wib(2026, 3, 17, 10, 0)


@pytest.fixture
def desa_ekasari(regions):
    return make_office("pemerintah-desa-ekasari", "Pemerintah Desa Ekasari", EKASARI, OfficeKind.DESA)


@pytest.fixture
def dinkes_jembrana(regions):
    return make_office("dinkes-jembrana", "Dinas Kesehatan Kabupaten Jembrana", "51.01")


@pytest.fixture
def dinkes_banjarbaru(regions):
    return make_office("dinkes-banjarbaru", "Dinas Kesehatan Kota Banjarbaru", "63.72")


@pytest.fixture
def ppid_ekasari(desa_ekasari):
    return make_officer(desa_ekasari, "Ni Luh Putu Sukmawati", "ppid.ekasari@sikim.test", Role.PPID)


@pytest.fixture
def ppid_dinkes(dinkes_jembrana):
    """A PPID of another body in the same kabupaten."""
    return make_officer(dinkes_jembrana, "Kadek Dwi Pratama", "ppid.dinkes@sikim.test", Role.PPID)


@pytest.fixture
def petugas_ekasari(desa_ekasari):
    """An officer of the same office without the PPID role."""
    return make_officer(desa_ekasari, "Gede Putra", "petugas.ekasari@sikim.test", Role.PETUGAS_INSTANSI)


@pytest.fixture
def atasan_ekasari(desa_ekasari):
    user = UserFactory(full_name="I Komang Adi Wirawan", email="perbekel.ekasari@sikim.test")
    AtasanPpid.objects.create(body=desa_ekasari, user=user, position="Perbekel Desa Ekasari")
    return user


@pytest.fixture
def citizen(regions):
    return UserFactory(full_name="I Made Artana", email="made.artana@sikim.test", home_region_id=EKASARI)


REQUEST_FIELDS = {
    "requester_name": "I Made Artana",
    "requester_id_number": "5101041203850001",
    "requester_address": "Banjar Ekasari, Desa Ekasari, Melaya, Jembrana",
    "requester_phone": "0813 3800 0123",
    "requester_email": "made.artana@sikim.test",
    "information": "Dokumen APBDes Desa Ekasari Tahun Anggaran 2026.",
    "purpose": "Memantau penggunaan Dana Desa.",
    "access_form": "salinan",
    "copy_format": "softcopy",
    "delivery": "email",
}


@pytest.fixture
def file(desa_ekasari, citizen):
    """file(**overrides) → a registered request by the citizen to Pemerintah Desa Ekasari."""

    def _file(**overrides):
        fields = {"actor": citizen, "body": desa_ekasari, "now": BEFORE_LEBARAN, **REQUEST_FIELDS}
        fields.update(overrides)
        return request_file(**fields)

    return _file

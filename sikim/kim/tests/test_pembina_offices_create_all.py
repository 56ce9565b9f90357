import pytest
from django.core.management import call_command

from sikim.kim.models import Kim, KimStatus, PembinaOffice
from sikim.wilayah.models import Region

pytestmark = pytest.mark.django_db


def test_every_province_and_kabupaten_kota_gets_one_office(regions):
    call_command("create_pembina_offices")
    expected = Region.objects.filter(level__lte=2).count()
    assert PembinaOffice.objects.count() == expected
    banjarbaru = PembinaOffice.objects.get(region_id="63.72")
    assert banjarbaru.name == "Dinas Komunikasi dan Informatika Kota Banjarbaru"
    assert PembinaOffice.objects.get(region_id="51.01").name == "Dinas Komunikasi dan Informatika Kabupaten Jembrana"
    assert (
        PembinaOffice.objects.get(region_id="63").name == "Dinas Komunikasi dan Informatika Provinsi Kalimantan Selatan"
    )
    call_command("create_pembina_offices")
    assert PembinaOffice.objects.count() == expected


def test_orphan_kims_get_their_kabupaten_office(regions):
    kim = Kim.objects.create(name="KIM Uji", slug="kim-uji", region_id="63.72.05.1004", status=KimStatus.DIUSULKAN)
    call_command("create_pembina_offices")
    kim.refresh_from_db()
    assert kim.pembina_office.region_id == "63.72"


def test_existing_offices_are_kept(pembina_office_banjarbaru):
    pembina_office_banjarbaru.phone = "0511-000"
    pembina_office_banjarbaru.save()
    call_command("create_pembina_offices")
    pembina_office_banjarbaru.refresh_from_db()
    assert pembina_office_banjarbaru.phone == "0511-000"
    assert PembinaOffice.objects.filter(region_id="63.72").count() == 1

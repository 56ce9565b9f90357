import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sikim.audit.models import AuditEvent
from sikim.dissemination.models import Delivery, DeliveryStatus, KimInboxItem, OfflineReport
from sikim.dissemination.selectors_reach import offline_reports_for, reach_with_offline
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.services.offline import offline_report_record
from sikim.dissemination.tests.bulletin_fixtures import member

pytestmark = pytest.mark.django_db

HELD_ON = datetime.date(2026, 11, 20)


@pytest.fixture
def city_bulletin(pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat):
    bulletin = bulletin_create(
        actor=pembina_banjarbaru,
        publisher=pembina_office_banjarbaru,
        title="Vaksinasi",
        body_markdown="b",
        kims=[kim_guntung_paikat],
    )
    KimInboxItem.objects.create(bulletin=bulletin, kim=kim_guntung_paikat)
    return bulletin


def record(actor, bulletin, kim, **kwargs):
    fields = {
        "place_type": "mosque",
        "place_name": "Masjid Al-Falah",
        "held_on": HELD_ON,
        "people_reached": 120,
    } | kwargs
    return offline_report_record(actor=actor, bulletin=bulletin, kim=kim, **fields)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "green")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (3.0, 26.0, 0.0)
    gps[3] = "E"
    gps[4] = (114.0, 50.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_pengurus_and_pembina_record_reports(
    ketua_guntung_paikat, pembina_banjarbaru, kim_guntung_paikat, city_bulletin
):
    report = record(ketua_guntung_paikat, city_bulletin, kim_guntung_paikat)
    assert report.reported_by == ketua_guntung_paikat
    record(pembina_banjarbaru, city_bulletin, kim_guntung_paikat, place_type="posyandu", people_reached=30)
    assert AuditEvent.objects.filter(action="dissemination.offline_report").count() == 2
    assert sorted(r.people_reached for r in offline_reports_for(city_bulletin)) == [30, 120]


def test_own_bulletin_counts_as_reached(ketua_guntung_paikat, kim_guntung_paikat):
    own = bulletin_create(
        actor=ketua_guntung_paikat,
        publisher=kim_guntung_paikat,
        title="t",
        body_markdown="b",
        kims=[kim_guntung_paikat],
    )
    assert record(ketua_guntung_paikat, own, kim_guntung_paikat).pk


@pytest.mark.parametrize(
    "actor_name", ["outsider", "ketua_ekasari", "anggota_guntung_paikat", "stranger", "warga_guntung_paikat"]
)
def test_others_may_not_report(request, actor_name, kim_guntung_paikat, city_bulletin):
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(actor_name), city_bulletin, kim_guntung_paikat)
    assert not OfflineReport.objects.exists()


def test_only_for_a_bulletin_that_reached_the_kim(ketua_ekasari, kim_ekasari, city_bulletin):
    with pytest.raises(PermissionDenied):
        record(ketua_ekasari, city_bulletin, kim_ekasari)
    assert not OfflineReport.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [{"people_reached": 0}, {"people_reached": 100_001}, {"place_type": "casino"}, {"place_name": "   "}],
)
def test_bad_input_is_rejected(ketua_guntung_paikat, kim_guntung_paikat, city_bulletin, bad):
    with pytest.raises(ValidationError):
        record(ketua_guntung_paikat, city_bulletin, kim_guntung_paikat, **bad)
    assert not OfflineReport.objects.exists()


def test_photo_gps_is_stripped(ketua_guntung_paikat, kim_guntung_paikat, city_bulletin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    raw = jpeg_with_gps()
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test photo really carries GPS
    photo = SimpleUploadedFile("foto.jpg", raw, content_type="image/jpeg")
    report = record(ketua_guntung_paikat, city_bulletin, kim_guntung_paikat, photo=photo)
    with report.photo.open("rb") as stored, Image.open(stored) as cleaned:
        exif = cleaned.getexif()
        assert not exif.get_ifd(0x8825)
        assert 0x010F not in exif
        assert cleaned.size == (64, 48)


def test_fake_photo_is_rejected(ketua_guntung_paikat, kim_guntung_paikat, city_bulletin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("foto.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        record(ketua_guntung_paikat, city_bulletin, kim_guntung_paikat, photo=fake)
    assert not OfflineReport.objects.exists()


def test_reach_with_offline(ketua_guntung_paikat, pembina_banjarbaru, kim_guntung_paikat, city_bulletin):
    empty = reach_with_offline(city_bulletin)
    assert empty["offline"] == {"reports": 0, "people": 0, "kims": 0}
    someone = member(kim_guntung_paikat, mail=False, consent_whatsapp=True)
    Delivery.objects.create(bulletin=city_bulletin, member=someone, channel="whatsapp", status=DeliveryStatus.DELIVERED)
    Delivery.objects.create(bulletin=city_bulletin, member=someone, channel="sms", status=DeliveryStatus.FAILED)
    record(ketua_guntung_paikat, city_bulletin, kim_guntung_paikat, people_reached=120)
    record(pembina_banjarbaru, city_bulletin, kim_guntung_paikat, people_reached=30)
    reach = reach_with_offline(city_bulletin)
    assert reach["offline"] == {"reports": 2, "people": 150, "kims": 1}
    delivered = sum(c["delivered"] for c in reach["channels"].values())
    assert delivered == 1
    assert reach["channels"]["sms"]["failed"] == 1
    assert reach["total_reached"] == 1 + 150

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sikim.audit.models import AuditEvent
from sikim.kim.models import KimStatus
from sikim.kim.services.profile import kim_update_profile
from sikim.kim.tests.factories_registry import english, jpeg, tmp_media  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "tmp_media")]


def test_ketua_edits_their_own_kim(kim_guntung_paikat, ketua_guntung_paikat):
    kim_update_profile(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        about="KIM aktif sejak 2018.",
        phone="0511 4772100",
        email="KIM.GP@example.id",
        website="https://kim-gp.example.id",
        social_links={"instagram": "https://instagram.com/kimgp", "facebook": ""},
        latitude="-3.457242",
        longitude=Decimal("114.810318"),
        sectors=["umkm", "pertanian"],
    )
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.about == "KIM aktif sejak 2018."
    assert kim_guntung_paikat.phone == "+625114772100"
    assert kim_guntung_paikat.email == "kim.gp@example.id"
    assert kim_guntung_paikat.social_links == {"instagram": "https://instagram.com/kimgp"}
    assert kim_guntung_paikat.latitude == Decimal("-3.457242")
    assert sorted(kim_guntung_paikat.sectors.values_list("sector", flat=True)) == ["pertanian", "umkm"]
    assert kim_guntung_paikat.name == "KIM Guntung Paikat"  # not given, not changed
    event = AuditEvent.objects.get(action="kim.update_profile")
    assert "name" not in event.after
    assert event.after["about"] == "KIM aktif sejak 2018."


def test_the_pembina_edits_a_kim_of_their_region(kim_guntung_paikat, pembina_banjarbaru):
    kim_update_profile(actor=pembina_banjarbaru, kim=kim_guntung_paikat, name="KIM Guntung Paikat Bersatu")
    assert kim_guntung_paikat.name == "KIM Guntung Paikat Bersatu"


@pytest.mark.parametrize("who", ["ketua_ekasari", "outsider", "anggota_guntung_paikat", "stranger"])
def test_the_ketua_of_one_kim_cannot_edit_another(kim_guntung_paikat, who, request):
    with pytest.raises(PermissionDenied):
        kim_update_profile(actor=request.getfixturevalue(who), kim=kim_guntung_paikat, name="Diambil alih")
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.name == "KIM Guntung Paikat"


def test_the_ketua_cannot_edit_kim_ekasari(kim_ekasari, ketua_guntung_paikat):
    with pytest.raises(PermissionDenied):
        kim_update_profile(actor=ketua_guntung_paikat, kim=kim_ekasari, about="x")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "Name the KIM."),
        ({"phone": "12"}, "phone", "Indonesian phone number"),
        ({"email": "bukan-email"}, "email", "valid email"),
        ({"website": "javascript:alert(1)"}, "website", "web address"),
        ({"social_links": {"myspace": "https://myspace.com/x"}}, "social_links", "not a network we know"),
        ({"social_links": {"facebook": "ftp://x"}}, "social_links", "not a web address"),
        ({"latitude": "-3.4"}, "latitude", "both the latitude and the longitude"),
        ({"latitude": "48.85", "longitude": "2.35"}, "latitude", "not in Indonesia"),
        ({"latitude": "abc", "longitude": "2"}, "latitude", "Enter a number"),
        ({"sectors": ["astrologi"]}, "sectors", "not a sector"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(kim_guntung_paikat, ketua_guntung_paikat, changes, field, message):
    with pytest.raises(ValidationError) as caught:
        kim_update_profile(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, about="Berubah", **changes)
    assert message in " ".join(caught.value.message_dict[field])
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.about == "KIM Kelurahan Guntung Paikat, dibentuk 27 Juli 2018."
    assert not AuditEvent.objects.filter(action="kim.update_profile").exists()


def test_logo_is_re_encoded_and_replaced(kim_guntung_paikat, ketua_guntung_paikat):
    kim_update_profile(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, logo=jpeg("logo.jpg"))
    assert kim_guntung_paikat.logo.name.startswith("kim/logos/kim-guntung-paikat-")
    assert kim_guntung_paikat.logo.name.endswith(".jpg")
    kim_update_profile(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, remove_logo=True)
    assert not kim_guntung_paikat.logo


def test_a_logo_that_is_not_a_picture_is_refused(kim_guntung_paikat, ketua_guntung_paikat):
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        kim_update_profile(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, logo=fake)
    assert "not a picture" in caught.value.message_dict["logo"][0]


def test_a_dissolved_kims_profile_is_frozen(kim_guntung_paikat, pembina_banjarbaru):
    kim_guntung_paikat.status = KimStatus.DIBUBARKAN
    kim_guntung_paikat.save()
    with pytest.raises(ValidationError) as caught:
        kim_update_profile(actor=pembina_banjarbaru, kim=kim_guntung_paikat, about="x")
    assert "dissolved" in caught.value.messages[0]


def test_saving_without_changes_writes_no_audit(kim_guntung_paikat, ketua_guntung_paikat):
    kim_update_profile(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="KIM Guntung Paikat")
    assert not AuditEvent.objects.filter(action="kim.update_profile").exists()

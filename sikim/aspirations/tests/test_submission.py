"""Submitting an aspiration: by a citizen, anonymously, on someone's behalf, from a channel; bad input."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sikim.aspirations.models import (
    Aspiration,
    AspirationEvent,
    AspirationState,
    IntakeChannel,
    Visibility,
)
from sikim.aspirations.services.submission import (
    CODE_ALPHABET,
    aspiration_add_correction,
    aspiration_add_photo,
    aspiration_file_on_behalf,
    new_ticket_code,
)
from sikim.aspirations.tests.conftest import MONDAY
from sikim.aspirations.workdays import JAKARTA
from sikim.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def jpeg(name="jalan.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_citizen_submits(submit, warga_guntung_paikat, kim_guntung_paikat):
    aspiration = submit(photos=[jpeg()])
    assert re.fullmatch(rf"ASP-2026-[{CODE_ALPHABET}]{{6}}", aspiration.code)
    assert aspiration.author == warga_guntung_paikat and aspiration.filed_by is None
    assert aspiration.kim == kim_guntung_paikat
    assert aspiration.state == AspirationState.DIAJUKAN
    # Monday 2 February 2026, 09:00: 3 working days → Thursday 5 February, end of day.
    assert aspiration.verify_due.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M") == "2026-02-05 23:59"
    assert aspiration.photos.count() == 1 and aspiration.photos.get().image.name.endswith(".jpg")
    event = AspirationEvent.objects.get(aspiration=aspiration)
    assert (event.kind, event.to_state, event.is_public) == ("submitted", "diajukan", True)
    audit = AuditEvent.objects.get(action="aspirations.submit")
    # The audit log (read by pembina) never holds the author's identity.
    assert "author" not in audit.after and "contact_phone" not in audit.after
    assert audit.after["code"] == aspiration.code


def test_the_title_comes_from_the_text_when_left_empty(submit):
    aspiration = submit(title="", text="Lampu jalan mati di Jl. Karang Anyar\nSudah dua minggu gelap.")
    assert aspiration.title == "Lampu jalan mati di Jl. Karang Anyar"


def test_anonymous_needs_a_contact(submit):
    with pytest.raises(ValidationError) as error:
        submit(actor=None)
    assert "contact_phone" in error.value.message_dict
    aspiration = submit(actor=None, contact_name="Budi", contact_phone="0812 3456 7890")
    assert aspiration.author is None and aspiration.contact_phone == "+6281234567890"


def test_20000_characters_are_refused_with_a_clear_message(submit):
    with pytest.raises(ValidationError) as error:
        submit(text="a" * 20_000)
    message = error.value.message_dict["text"][0]
    assert "5.000" in message and "20.000" in message
    assert not Aspiration.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_stored(submit):
    fake = SimpleUploadedFile("foto.jpg", b"MZ this is an exe, not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        submit(photos=[fake])
    assert "not a picture" in error.value.message_dict["photos"][0]
    assert not Aspiration.objects.exists()


def test_several_errors_at_once(submit):
    with pytest.raises(ValidationError) as error:
        submit(text="", category="nonsense", visibility="everyone", region="63.72", latitude="x", longitude="y")
    assert {"text", "category", "visibility", "region", "latitude"} <= set(error.value.message_dict)


def test_a_village_without_a_kim_nearby_is_told_so(submit, regions):
    with pytest.raises(ValidationError) as error:
        submit(region="51.01.04.2004", kim=None)  # Ekasari: no KIM in this test
    assert "no KIM" in error.value.message_dict["region"][0]


def test_a_kim_of_another_kecamatan_cannot_verify(submit, kim_ekasari):
    with pytest.raises(ValidationError) as error:
        submit(kim=kim_ekasari)
    assert "kim" in error.value.message_dict


def test_the_same_channel_message_makes_one_aspiration(submit):
    first = submit(channel=IntakeChannel.TELEGRAM, source_ref="tg-update-1001")
    again = submit(channel=IntakeChannel.TELEGRAM, source_ref="tg-update-1001")
    assert first.pk == again.pk
    assert Aspiration.objects.count() == 1
    assert submit(channel=IntakeChannel.WHATSAPP, source_ref="tg-update-1001").pk != first.pk


def test_a_pengurus_files_on_behalf_of_a_citizen(ketua_guntung_paikat, ketua_ekasari, kim_guntung_paikat):
    fields = {
        "region": "63.72.05.1004",
        "category": "kesehatan",
        "text": "Posyandu RW 03 kekurangan timbangan bayi.",
        "contact_name": "Ibu Mariani",
        "now": MONDAY,
    }
    aspiration = aspiration_file_on_behalf(actor=ketua_guntung_paikat, **fields)
    assert aspiration.filed_by == ketua_guntung_paikat and aspiration.author is None
    assert aspiration.channel == IntakeChannel.OFFLINE and aspiration.contact_name == "Ibu Mariani"
    with pytest.raises(PermissionDenied):
        aspiration_file_on_behalf(actor=ketua_ekasari, **fields)
    with pytest.raises(ValidationError):
        aspiration_file_on_behalf(actor=ketua_guntung_paikat, **{**fields, "contact_name": ""})


def test_the_text_never_changes_corrections_are_added(submit, warga_guntung_paikat, stranger):
    aspiration = submit()
    original = aspiration.text
    aspiration_add_correction(
        actor=warga_guntung_paikat, aspiration=aspiration, text="Lokasinya di RT 04, bukan RT 03."
    )
    aspiration.refresh_from_db()
    assert aspiration.text == original
    assert aspiration.corrections.get().text == "Lokasinya di RT 04, bukan RT 03."
    with pytest.raises(PermissionDenied):
        aspiration_add_correction(actor=stranger, aspiration=aspiration, text="spam")


def test_photos_are_added_by_the_author_only(submit, warga_guntung_paikat, stranger):
    aspiration = submit()
    aspiration_add_photo(actor=warga_guntung_paikat, aspiration=aspiration, upload=jpeg())
    with pytest.raises(PermissionDenied):
        aspiration_add_photo(actor=stranger, aspiration=aspiration, upload=jpeg())
    for _ in range(4):
        aspiration_add_photo(actor=warga_guntung_paikat, aspiration=aspiration, upload=jpeg())
    with pytest.raises(ValidationError):
        aspiration_add_photo(actor=warga_guntung_paikat, aspiration=aspiration, upload=jpeg())


def test_ticket_codes_are_unguessable_enough():
    codes = {new_ticket_code(MONDAY) for _ in range(2000)}
    assert len(codes) == 2000
    assert all(not set(code[9:]) & set("01ILOU") for code in codes)


def test_visibility_is_kept(submit):
    assert submit(visibility=Visibility.CONFIDENTIAL).visibility == "confidential"

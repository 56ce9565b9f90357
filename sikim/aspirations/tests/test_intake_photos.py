"""Aspirations with a photo: a Telegram photo or a WhatsApp image captioned ASPIRASI….

The fake Bot API and Cloud API serve the registered bytes (getFile + /file/…, media lookup +
/media/…); the picture is stored re-encoded, and when it cannot be had the text still counts.
"""

# ruff: noqa: F811 — the fake-server fixtures are imported, then taken as test arguments by name

import io
import logging

import pytest
from PIL import ExifTags, Image

from sikim.aspirations.models import Aspiration, Category, IntakeChannel
from sikim.aspirations.services.intake import IntakeResult, telegram_photo_intake, whatsapp_image_intake
from sikim.aspirations.services.intake_media import MEDIA_MAX_BYTES, telegram_photo_message, whatsapp_image_messages
from sikim.dissemination.models import TelegramLink
from sikim.dissemination.tests.conftest import (  # noqa: F401 (fixtures; the tests take them by name: F811 below)
    fake_telegram,
    fake_whatsapp,
    short_client_timeout,
)
from sikim.dissemination.tests.fakes import Failure
from sikim.kim.models import KimMember
from sikim.kim.tests.factories import KimMemberFactory

pytestmark = pytest.mark.django_db

GUNTUNG_PAIKAT = "63.72.05.1004"
PHONE = "+6285212345678"
CAPTION = f"ASPIRASI {GUNTUNG_PAIKAT} infrastruktur Jalan di depan SDN Guntung Paikat berlubang besar"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (180, 90, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KameraDesa"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (3.0, 26.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (114.0, 49.0, 10.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's own premise
    return data


def telegram_update(chat_id: int, file_id: str, caption: str = CAPTION, message_id: int = 9) -> dict:
    return {
        "update_id": 2000 + message_id,
        "message": {
            "message_id": message_id,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Siti"},
            "chat": {"id": chat_id, "type": "private"},
            "date": 1763900000,
            # Telegram lists the sizes smallest first; the thumbnail is another file.
            "photo": [
                {"file_id": "thumb-not-registered", "file_unique_id": "t", "file_size": 900, "width": 90, "height": 68},
                {"file_id": file_id, "file_unique_id": "p", "file_size": 40_000, "width": 1280, "height": 960},
            ],
            "caption": caption,
        },
    }


def whatsapp_payload(media_id: str, caption: str = CAPTION, wamid: str = "wamid.IMG001", phone: str = PHONE) -> dict:
    message = {
        "from": phone.lstrip("+"),
        "id": wamid,
        "timestamp": "1763900000",
        "type": "image",
        "image": {"caption": caption, "mime_type": "image/jpeg", "sha256": "abc=", "id": media_id},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": "1234567890"},
        "contacts": [{"profile": {"name": "Siti"}, "wa_id": phone.lstrip("+")}],
        "messages": [message],
    }
    return {"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{"value": value}]}]}


@pytest.fixture
def linked_member(kim_guntung_paikat) -> KimMember:
    member: KimMember = KimMemberFactory.create(kim=kim_guntung_paikat, email="", consent_telegram=False)
    TelegramLink.objects.create(member=member, chat_id="777")
    return member


@pytest.fixture
def telegram(fake_telegram, linked_member, django_capture_on_commit_callbacks):
    def _deliver(update: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return telegram_photo_intake(update=update)

    return _deliver


@pytest.fixture
def whatsapp(fake_whatsapp, kim_guntung_paikat, django_capture_on_commit_callbacks):
    def _deliver(payload: dict) -> int:
        """How many new aspirations the webhook's images made."""
        with django_capture_on_commit_callbacks(execute=True):
            outcomes = whatsapp_image_intake(payload=payload)
        return sum(outcome.result == IntakeResult.CREATED for outcome in outcomes)

    return _deliver


def stored_image(aspiration: Aspiration) -> Image.Image:
    photo = aspiration.photos.get()
    with photo.image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_telegram_photo_with_caption_makes_an_aspiration_with_the_photo_without_gps(telegram, fake_telegram):
    file_id = fake_telegram.add_file(jpeg_with_gps())
    outcome = telegram(telegram_update(777, file_id))
    assert outcome is not None and outcome.result == IntakeResult.CREATED
    aspiration = Aspiration.objects.get()
    assert (aspiration.channel, aspiration.source_ref, aspiration.category) == (
        IntakeChannel.TELEGRAM,
        "777:9",
        Category.INFRASTRUKTUR,
    )
    assert aspiration.text == "Jalan di depan SDN Guntung Paikat berlubang besar"
    image = stored_image(aspiration)
    assert (image.format, image.size) == ("JPEG", (64, 48))
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.Base.Make not in image.getexif()
    # The largest size was asked for, never the thumbnail; the token stays in the path, as the Bot API wants.
    (lookup,) = fake_telegram.requests_to("/getFile")
    assert file_id in lookup.path and "thumb" not in lookup.path
    assert len(fake_telegram.requests_to(f"/file/bot{fake_telegram.token}/")) == 1
    ((chat, text),) = fake_telegram.sent_texts()
    assert chat == "777" and aspiration.code in text


def test_whatsapp_image_makes_an_aspiration_with_the_photo(whatsapp, fake_whatsapp):
    media_id = fake_whatsapp.add_file(jpeg_with_gps())
    assert whatsapp(whatsapp_payload(media_id)) == 1
    aspiration = Aspiration.objects.get()
    assert (aspiration.channel, aspiration.source_ref, aspiration.contact_phone, aspiration.region_id) == (
        IntakeChannel.WHATSAPP,
        "wamid.IMG001",
        PHONE,
        GUNTUNG_PAIKAT,
    )
    image = stored_image(aspiration)
    assert image.format == "JPEG" and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    (lookup,) = fake_whatsapp.requests_to(f"/v21.0/{media_id}")
    (download,) = fake_whatsapp.requests_to(f"/media/{media_id}")
    assert lookup.headers["authorization"] == download.headers["authorization"] == f"Bearer {fake_whatsapp.token}"


def test_a_repeated_delivery_makes_one_aspiration_and_fetches_once(telegram, fake_telegram, whatsapp, fake_whatsapp):
    file_id = fake_telegram.add_file(jpeg_with_gps())
    first, again = telegram(telegram_update(777, file_id)), telegram(telegram_update(777, file_id))
    assert first is not None and again is not None
    assert (first.result, again.result) == (IntakeResult.CREATED, IntakeResult.DUPLICATE)
    assert len(fake_telegram.requests_to("/getFile")) == 1
    assert len(fake_telegram.requests_to("/file/")) == 1

    media_id = fake_whatsapp.add_file(jpeg_with_gps())
    assert (whatsapp(whatsapp_payload(media_id)), whatsapp(whatsapp_payload(media_id))) == (1, 0)
    assert len(fake_whatsapp.requests_to(f"/media/{media_id}")) == 1
    assert Aspiration.objects.count() == 2
    assert all(aspiration.photos.count() == 1 for aspiration in Aspiration.objects.all())


def test_a_file_that_is_not_a_picture_gives_an_aspiration_without_photo(whatsapp, fake_whatsapp, caplog):
    media_id = fake_whatsapp.add_file(b"%PDF-1.4 a document renamed .jpg, not a picture")
    with caplog.at_level(logging.WARNING, logger="sikim.aspirations.services.intake_photos"):
        assert whatsapp(whatsapp_payload(media_id)) == 1
    aspiration = Aspiration.objects.get()
    assert aspiration.photos.count() == 0
    assert aspiration.text.startswith("Jalan di depan SDN")
    assert "photo refused" in caplog.text
    (receipt,) = fake_whatsapp.requests_to("/messages")
    assert (
        receipt.json()["context"] == {"message_id": "wamid.IMG001"}
        and aspiration.code in receipt.json()["text"]["body"]
    )


@pytest.mark.parametrize("failure", ["server_error", "timeout"])
def test_a_failed_download_gives_an_aspiration_without_photo(
    telegram, fake_telegram, short_client_timeout, caplog, failure
):
    file_id = fake_telegram.add_file(jpeg_with_gps())
    fake_telegram.fail_next_download(Failure(failure))
    with caplog.at_level(logging.WARNING, logger="sikim.aspirations.services.intake_photos"):
        outcome = telegram(telegram_update(777, file_id))
    assert outcome is not None and outcome.result == IntakeResult.CREATED
    assert Aspiration.objects.get().photos.count() == 0
    assert "photo not fetched" in caplog.text
    assert fake_telegram.token not in caplog.text  # the bot token is in the URL: never logged
    assert len(fake_telegram.sent_texts()) == 1  # the receipt still goes


def test_a_failed_media_lookup_gives_an_aspiration_without_photo(whatsapp, fake_whatsapp):
    media_id = fake_whatsapp.add_file(jpeg_with_gps())
    fake_whatsapp.fail_next(Failure("server_error"))
    assert whatsapp(whatsapp_payload(media_id)) == 1
    assert Aspiration.objects.get().photos.count() == 0
    assert fake_whatsapp.requests_to("/media/") == []


def test_an_oversized_picture_is_not_downloaded(telegram, fake_telegram, whatsapp, fake_whatsapp):
    big = b"\xff\xd8" + b"\0" * MEDIA_MAX_BYTES
    file_id = fake_telegram.add_file(big)  # getFile reports its file_size: no download
    assert telegram(telegram_update(777, file_id)).result == IntakeResult.CREATED
    assert fake_telegram.requests_to("/file/") == []

    media_id = fake_whatsapp.add_file(big)
    fake_whatsapp.declare_size(media_id, "1000")  # the lookup understates it: the download stops at the limit
    assert whatsapp(whatsapp_payload(media_id)) == 1
    assert len(fake_whatsapp.requests_to(f"/media/{media_id}")) == 1
    assert [aspiration.photos.count() for aspiration in Aspiration.objects.all()] == [0, 0]


def test_a_media_url_on_another_host_is_not_fetched(whatsapp, fake_whatsapp, caplog):
    media_id = fake_whatsapp.add_file(jpeg_with_gps())
    fake_whatsapp.point_media_at(media_id, "http://203.0.113.7/media/steal-the-token")
    with caplog.at_level(logging.WARNING, logger="sikim.aspirations.services.intake_photos"):
        assert whatsapp(whatsapp_payload(media_id)) == 1
    assert Aspiration.objects.get().photos.count() == 0
    assert "203.0.113.7 is not an allowed media host" in caplog.text


def test_a_photo_without_the_keyword_is_not_an_aspiration(telegram, fake_telegram, whatsapp, fake_whatsapp):
    file_id = fake_telegram.add_file(jpeg_with_gps())
    assert telegram(telegram_update(777, file_id, caption="Lihat jalan ini")) is None
    update = telegram_update(777, file_id)
    del update["message"]["caption"]
    assert telegram(update) is None
    media_id = fake_whatsapp.add_file(jpeg_with_gps())
    assert whatsapp(whatsapp_payload(media_id, caption="foto jalan")) == 0
    assert Aspiration.objects.count() == 0
    assert fake_telegram.requests_to("/getFile") == [] and fake_whatsapp.requests_to(f"/{media_id}") == []


def test_a_photo_with_an_unreadable_caption_gets_help_and_no_download(telegram, fake_telegram):
    file_id = fake_telegram.add_file(jpeg_with_gps())
    outcome = telegram(telegram_update(777, file_id, caption="ASPIRASI"))
    assert outcome is not None and outcome.result == IntakeResult.HELP
    assert Aspiration.objects.count() == 0 and fake_telegram.requests_to("/getFile") == []


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        {"message": {"chat": {"id": 1, "type": "group"}, "photo": [{"file_id": "x"}], "caption": CAPTION}},
        {"message": {"chat": {"id": 1, "type": "private"}, "photo": "x", "caption": CAPTION}},
        {"message": {"chat": {"id": 1, "type": "private"}, "photo": [{"file_id": 5}], "caption": CAPTION}},
        {"message": {"chat": {"id": 1, "type": "private"}, "photo": [{"file_size": 1}], "caption": CAPTION}},
        {"message": {"chat": {"id": 1, "type": "private"}, "caption": CAPTION}},
    ],
)
def test_odd_telegram_updates_are_not_photo_messages(payload):
    assert telegram_photo_message(payload) is None


def test_odd_whatsapp_payloads_are_skipped():
    good = whatsapp_payload("123")
    assert len(whatsapp_image_messages(good)) == 1
    for changed in (
        {"image": {"id": "../../me", "caption": CAPTION}},
        {"image": {"id": "123"}},
        {"image": "123"},
        {"type": "video"},
        {"from": "not a phone"},
    ):
        payload = whatsapp_payload("123")
        payload["entry"][0]["changes"][0]["value"]["messages"][0].update(changed)
        assert whatsapp_image_messages(payload) == []
    assert whatsapp_image_messages({"object": "whatsapp_business_account", "entry": [None, {"changes": [1]}]}) == []

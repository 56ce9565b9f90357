"""Photos through the real webhook endpoints (needs the webhooks.py hand-over to intake)."""

# ruff: noqa: F811 — the fake-server fixtures are imported, then taken as test arguments by name

import hashlib
import hmac
import json

import pytest

from sikim.aspirations.models import Aspiration
from sikim.aspirations.tests.test_intake_photos import (  # noqa: F401 (fixtures)
    _media,
    jpeg_with_gps,
    linked_member,
    telegram_update,
    whatsapp_payload,
)
from sikim.dissemination.tests.conftest import (  # noqa: F401 (fixtures)
    fake_telegram,
    fake_whatsapp,
)

pytestmark = pytest.mark.django_db


def test_telegram_webhook_photo_makes_an_aspiration_with_its_photo(
    client, settings, fake_telegram, linked_member, django_capture_on_commit_callbacks
):
    settings.SIKIM_TELEGRAM_WEBHOOK_SECRET = "telegram-webhook-secret"
    file_id = fake_telegram.add_file(jpeg_with_gps())
    for _delivery in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/diseminasi/webhook/telegram/",
                json.dumps(telegram_update(777, file_id)),
                content_type="application/json",
                headers={"X-Telegram-Bot-Api-Secret-Token": "telegram-webhook-secret"},
            )
        assert response.status_code == 200
    assert response.json() == {"result": "aspiration_duplicate"}
    assert Aspiration.objects.get().photos.count() == 1
    assert len(fake_telegram.requests_to("/getFile")) == 1


def test_whatsapp_webhook_image_makes_an_aspiration_with_its_photo(
    client, fake_whatsapp, kim_guntung_paikat, django_capture_on_commit_callbacks
):
    media_id = fake_whatsapp.add_file(jpeg_with_gps())
    body = json.dumps(whatsapp_payload(media_id)).encode()
    signature = "sha256=" + hmac.new(b"whatsapp-app-secret", body, hashlib.sha256).hexdigest()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/diseminasi/webhook/whatsapp/",
            body,
            content_type="application/json",
            headers={"X-Hub-Signature-256": signature},
        )
    assert response.status_code == 200
    assert Aspiration.objects.get().photos.count() == 1

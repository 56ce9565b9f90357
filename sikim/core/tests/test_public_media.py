import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logo = default_storage.save("kim/logos/logo.png", ContentFile(b"\x89PNG logo"))
    document = default_storage.save("kim/documents/internal.pdf", ContentFile(b"%PDF-1.4 secret"))
    return logo, document


def test_public_uploads_are_served(client, stored):
    logo, _ = stored
    response = client.get(f"/media/{logo}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG logo"


def test_private_uploads_and_escapes_are_not(client, stored):
    _, document = stored
    assert client.get(f"/media/{document}").status_code == 404
    assert client.get("/media/kim/logos/../documents/internal.pdf").status_code == 404
    assert client.get("/media/kim/logos/missing.png").status_code == 404

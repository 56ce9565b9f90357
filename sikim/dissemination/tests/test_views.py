"""The dissemination pages, mounted at /diseminasi/ in a test URLconf until the lead mounts them."""

import pytest
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns
from conftest import login
from sikim.dissemination.models import Bulletin, Delivery, InboxStatus, KimInboxItem
from sikim.dissemination.tests import bulletin_fixtures
from sikim.dissemination.tests.bulletin_fixtures import member

urlpatterns = [path("diseminasi/", include("sikim.dissemination.urls")), *site_urlpatterns]

kim_landasan = bulletin_fixtures.kim_landasan  # a shared fixture

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_pembina_creates_previews_and_publishes_then_ketua_redisseminates(
    client, pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat, ketua_guntung_paikat,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    member(kim_guntung_paikat, mail=True, sms=True)
    member(kim_guntung_paikat, mail=False)
    login(client, pembina_banjarbaru)
    listing = client.get("/diseminasi/kelola/")
    assert f"publisher=office:{pembina_office_banjarbaru.pk}" in listing.content.decode()
    response = client.post(
        f"/diseminasi/kelola/baru/?publisher=office:{pembina_office_banjarbaru.pk}",
        {"title": "Imunisasi", "body_markdown": "Hari **Senin** <script>x()</script>", "category": "kesehatan",
         "priority": "urgent", "regions": "63.72"},
    )  # fmt: skip
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert "<script" not in bulletin.body_html
    detail = client.get(f"/diseminasi/kelola/{bulletin.pk}/").content.decode()
    assert 'id="audience-preview"' in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/diseminasi/kelola/{bulletin.pk}/terbitkan/", {"publish_at": ""})
    bulletin.refresh_from_db()
    assert bulletin.status == "published"
    assert client.get(f"/diseminasi/kelola/{bulletin.pk}/progres/").status_code == 200
    assert "Imunisasi" in client.get("/diseminasi/").content.decode()

    login(client, ketua_guntung_paikat)
    inbox = client.get(f"/diseminasi/kotak-masuk/{kim_guntung_paikat.slug}/")
    assert "Imunisasi" in inbox.content.decode()
    item = KimInboxItem.objects.get(kim=kim_guntung_paikat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/diseminasi/kotak-masuk/{kim_guntung_paikat.slug}/{item.pk}/sebarkan/", {"local_note": "Di balai RW"}
        )
    item.refresh_from_db()
    assert (item.status, item.local_note) == (InboxStatus.REDISSEMINATED, "Di balai RW")
    assert Delivery.objects.filter(bulletin=bulletin).count() == 2  # email + sms of the consenting member


def test_pages_are_scoped(
    client, outsider, ketua_ekasari, pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat
):
    from sikim.dissemination.services.bulletins import bulletin_create

    bulletin = bulletin_create(
        actor=pembina_banjarbaru, publisher=pembina_office_banjarbaru, title="t", body_markdown="b", regions=["63.72"]
    )
    assert client.get("/diseminasi/kelola/").status_code == 302  # login required
    login(client, outsider)
    assert client.get(f"/diseminasi/kelola/{bulletin.pk}/").status_code == 404
    assert client.get(f"/diseminasi/kelola/baru/?publisher=office:{pembina_office_banjarbaru.pk}").status_code == 404
    login(client, ketua_ekasari)
    assert client.get(f"/diseminasi/kotak-masuk/{kim_guntung_paikat.slug}/").status_code == 404
    assert client.get(f"/diseminasi/buletin/{bulletin.pk}/").status_code == 404  # a draft is not public

"""Bad input to the bulletin pages and the bulletin API: clear messages, never a 500, nothing sent.

Every case goes through the real page (a POST of the form, as a browser without JavaScript
sends it) and through the API where the API has the same operation. The scene's KIM passes
bulletins on automatically and its members read Telegram and email at fake providers on
127.0.0.1, so anything published or sent by mistake would show up there at once.

Page messages are checked in Bahasa Indonesia (the default language) against the catalogue.

These tests run inside a transaction that is never committed, so work a request leaves for
"after the commit" (the fan-out and the sending, run at once by the immediate task backend)
would never run and "nothing was sent" would prove nothing. The client here runs those
callbacks at the end of every request, as the real server's commit does.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client, TestCase
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from conftest import login
from sikim.accounts.models import User
from sikim.core.uploads import MAX_PDF_BYTES
from sikim.dissemination.models import (
    Bulletin,
    BulletinStatus,
    Delivery,
    FanOutRun,
    InboxStatus,
    KimInboxItem,
    OfflineReport,
    RedisseminationMode,
)
from sikim.dissemination.services.bulletins import bulletin_create, bulletin_publish
from sikim.dissemination.services.inbox import kim_dissemination_setting_set
from sikim.dissemination.tests.bulletin_fixtures import member
from sikim.dissemination.tests.fakes import FakeSmtpServer, FakeTelegramServer, wait_until
from sikim.kim.models import Kim, KimMember, PembinaOffice

pytestmark = pytest.mark.django_db

API = "/api/v1/dissemination/bulletins"
TITLE = "Pemadaman listrik bergilir"
BODY = "Pemadaman listrik di Kota Banjarbaru, Sabtu 09.00–12.00 WITA."


def translated(msgid: str, **params: object) -> str:
    """A message in Indonesian, as the API and the pages give it."""
    with translation.override("id"):
        text = gettext(msgid)
    assert text != msgid, f"no Indonesian translation for {msgid!r}"
    return text % params if params else text


def indonesian(msgid: str, **params: object) -> str:
    """A message as a page shows it: in Indonesian and HTML-escaped."""
    return str(escape(translated(msgid, **params)))


class CommittingClient(Client):
    """A test client whose requests run their on-commit work (fan-out, sending) before returning."""

    def request(self, **request: Any) -> Any:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client() -> Client:
    return CommittingClient()


@dataclass
class Scene:
    pembina: User
    office: PembinaOffice
    kim: Kim
    ketua: User
    on_telegram: KimMember
    by_email: KimMember
    telegram: FakeTelegramServer
    smtp: FakeSmtpServer
    media: Path

    def stored_files(self) -> list[Path]:
        return [path for path in self.media.rglob("*") if path.is_file()]

    def sent(self) -> tuple[int, int, int]:
        """(Telegram messages, emails, delivery rows) so far."""
        return len(self.telegram.received), len(self.smtp.messages), Delivery.objects.count()

    def assert_nothing_sent(self) -> None:
        assert self.sent() == (0, 0, 0)
        assert not FanOutRun.objects.exists()
        assert not KimInboxItem.objects.exists()

    def draft(self, **kwargs: Any) -> Bulletin:
        fields: dict[str, Any] = {"title": TITLE, "body_markdown": BODY, "regions": ["63.72"]} | kwargs
        return bulletin_create(actor=self.pembina, publisher=self.office, **fields)

    def publish(self, bulletin: Bulletin) -> Bulletin:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return bulletin_publish(actor=self.pembina, bulletin=bulletin)

    def published(self, **kwargs: Any) -> Bulletin:
        bulletin = self.publish(self.draft(**kwargs))
        assert wait_until(lambda: self.sent()[:2] == (1, 1)), self.sent()
        return bulletin


@pytest.fixture
def scene(
    settings,
    tmp_path,
    fake_telegram: FakeTelegramServer,
    fake_smtp: FakeSmtpServer,
    pembina_banjarbaru: User,
    pembina_office_banjarbaru: PembinaOffice,
    kim_guntung_paikat: Kim,
    ketua_guntung_paikat: User,
) -> Iterator[Scene]:
    settings.MEDIA_ROOT = tmp_path / "media"
    kim_dissemination_setting_set(
        actor=ketua_guntung_paikat, kim=kim_guntung_paikat, mode=RedisseminationMode.AUTOMATIC
    )
    yield Scene(
        pembina=pembina_banjarbaru,
        office=pembina_office_banjarbaru,
        kim=kim_guntung_paikat,
        ketua=ketua_guntung_paikat,
        on_telegram=member(kim_guntung_paikat, mail=False, telegram=True),
        by_email=member(kim_guntung_paikat, mail=True),
        telegram=fake_telegram,
        smtp=fake_smtp,
        media=settings.MEDIA_ROOT,
    )


def new_url(publisher: PembinaOffice | Kim) -> str:
    kind = "office" if isinstance(publisher, PembinaOffice) else "kim"
    return f"/diseminasi/kelola/baru/?publisher={kind}:{publisher.pk}"


def form(**kwargs: Any) -> dict[str, Any]:
    return {"title": TITLE, "body_markdown": BODY, "category": "pemerintahan", "priority": "normal",
            "regions": "63.72"} | kwargs  # fmt: skip


def api_payload(scene: Scene, **kwargs: Any) -> dict[str, Any]:
    return {"publisher_type": "office", "publisher_id": scene.office.pk, "title": TITLE, "body_markdown": BODY,
            "regions": ["63.72"]} | kwargs  # fmt: skip


def post_json(client: Client, path: str, data: object, method: str = "post") -> Any:
    body = data if isinstance(data, str) else json.dumps(data)
    return getattr(client, method)(path, body, content_type="application/json")


def assert_api_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error: dict[str, Any] = response.json()
    assert set(error) == {"code", "message", "details"} and error["message"]
    return error


def page_text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


# --- A script in the body -----------------------------------------------------------------
SCRIPT_BODY = (
    'Jadwal pemadaman.\n\n<script>alert("xss")</script>\n\n<img src="x" onerror="alert(1)">\n\n'
    '[Lihat jadwal](javascript:alert(2))\n\n<iframe src="https://evil.example/"></iframe>'
)
SCRIPT_TITLE = 'Pemadaman <script>alert("judul")</script>'


def assert_no_script(html: str) -> None:
    for dangerous in ('<script>alert("', "onerror=", "javascript:alert", "<iframe", "evil.example"):
        assert dangerous not in html, dangerous


def test_script_in_the_body_is_stripped_and_never_rendered_page(client, scene):
    login(client, scene.pembina)
    response = client.post(new_url(scene.office), form(title=SCRIPT_TITLE, body_markdown=SCRIPT_BODY))
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert bulletin.body_markdown == SCRIPT_BODY  # kept as written, for the record
    assert_no_script(bulletin.body_html)
    assert "Jadwal pemadaman." in bulletin.body_html
    assert_no_script(page_text(client.get(f"/diseminasi/kelola/{bulletin.pk}/")))

    client.post(f"/diseminasi/kelola/{bulletin.pk}/terbitkan/", {"publish_at": ""})
    assert wait_until(lambda: scene.sent()[:2] == (1, 1)), scene.sent()
    client.logout()
    public = page_text(client.get(f"/diseminasi/buletin/{bulletin.pk}/"))
    assert_no_script(public)
    assert "&lt;script&gt;" in public  # the title is shown as text, not run
    assert_no_script(page_text(client.get("/diseminasi/")))
    mail = scene.smtp.messages[0]
    assert_no_script(mail.body("html"))
    assert '<script>alert("judul")' not in mail.body("html")
    [(_chat, text)] = scene.telegram.sent_texts()  # plain text (no parse mode): the body's script is gone
    assert 'alert("xss")' not in text and "onerror" not in text and "javascript:" not in text


def test_script_in_the_body_is_stripped_and_never_rendered_api(client, scene):
    login(client, scene.pembina)
    created = post_json(client, API, api_payload(scene, title=SCRIPT_TITLE, body_markdown=SCRIPT_BODY))
    assert created.status_code == 201, created.content
    assert_no_script(created.json()["body_html"])
    pk = created.json()["id"]
    assert_no_script(
        post_json(client, f"{API}/{pk}", api_payload(scene, body_markdown=SCRIPT_BODY), "put").json()["body_html"]
    )
    assert post_json(client, f"{API}/{pk}/publish", {}).status_code == 200
    client.logout()
    assert_no_script(page_text(client.get(f"/diseminasi/buletin/{pk}/")))


# --- Attachments --------------------------------------------------------------------------
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 512
    + b"This program cannot be run in DOS mode."
)


@pytest.mark.parametrize(
    ("name", "content"),
    [("surat-edaran.pdf", EXE), ("pengumuman.pdf", b"Ini berkas teks biasa, bukan PDF.\n")],
    ids=["renamed-exe", "renamed-txt"],
)
def test_fake_pdf_attachment_is_refused(client, scene, name, content):
    login(client, scene.pembina)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    html = page_text(client.post(new_url(scene.office), form(attachment=upload)))
    assert indonesian("This file is not a PDF document.") in html
    assert not Bulletin.objects.exists()
    assert scene.stored_files() == []
    scene.assert_nothing_sent()


def oversized_pdf() -> SimpleUploadedFile:
    """A real PDF header and one byte over the limit (zeros are cheap to build)."""
    head = b"%PDF-1.4\n"
    return SimpleUploadedFile("besar.pdf", head + bytes(MAX_PDF_BYTES + 1 - len(head)), content_type="application/pdf")


def test_oversized_attachment_is_refused(client, scene):
    login(client, scene.pembina)
    html = page_text(client.post(new_url(scene.office), form(attachment=oversized_pdf())))
    with translation.override("id"):
        size, limit = filesizeformat(MAX_PDF_BYTES + 1), filesizeformat(MAX_PDF_BYTES)
    assert indonesian("The file is too large (%(size)s). The limit is %(limit)s.", size=size, limit=limit) in html
    assert not Bulletin.objects.exists()
    assert scene.stored_files() == []
    scene.assert_nothing_sent()


def test_bad_attachment_on_edit_leaves_the_draft_unchanged(client, scene):
    draft = scene.draft()
    login(client, scene.pembina)
    upload = SimpleUploadedFile("lampiran.pdf", EXE, content_type="application/pdf")
    html = page_text(client.post(f"/diseminasi/kelola/{draft.pk}/ubah/", form(title="Judul baru", attachment=upload)))
    assert indonesian("This file is not a PDF document.") in html
    draft.refresh_from_db()
    assert (draft.title, draft.attachment.name) == (TITLE, "")
    assert scene.stored_files() == []
    scene.assert_nothing_sent()


def test_a_real_pdf_is_accepted(client, scene):
    """The control for the refusals above: the same form takes a genuine PDF."""
    login(client, scene.pembina)
    pdf = SimpleUploadedFile("jadwal.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")
    assert client.post(new_url(scene.office), form(attachment=pdf)).status_code == 302
    assert Bulletin.objects.get().attachment.name.endswith(".pdf")


def test_photo_that_is_not_an_image_is_refused(client, scene):
    """The only picture upload of the dissemination pages: the photo proof of an offline report."""
    bulletin = scene.published()
    login(client, scene.ketua)
    fake = SimpleUploadedFile("foto.jpg", b"GIF89a bukan gambar sungguhan" + EXE, content_type="image/jpeg")
    url = f"/diseminasi/kotak-masuk/{scene.kim.slug}/{bulletin.pk}/laporan/"
    data = {"place_type": "posyandu", "place_name": "Posyandu Melati", "held_on": "2025-07-08", "people_reached": "40"}
    html = page_text(client.post(url, data | {"photo": fake}))
    assert indonesian("This file is not a picture we can read (use JPEG or PNG).") in html
    assert not OfflineReport.objects.exists()


# --- An empty audience --------------------------------------------------------------------
def test_no_target_at_all_is_refused(client, scene):
    login(client, scene.pembina)
    html = page_text(client.post(new_url(scene.office), form(regions="")))
    assert indonesian("Choose at least one region, KIM or dissemination group.") in html
    error = assert_api_error(post_json(client, API, api_payload(scene, regions=[])), 422)
    assert error["details"][0]["field"] == "targets"
    assert not Bulletin.objects.exists()
    scene.assert_nothing_sent()


def test_publishing_to_nobody_is_refused_page(client, scene):
    # Targets inside the area, but the segment filter leaves no member (all are farmers).
    draft = scene.draft(segments={"segment_sectors": ["perikanan"]})
    login(client, scene.pembina)
    detail = page_text(client.get(f"/diseminasi/kelola/{draft.pk}/"))
    assert 'id="audience-preview"' in detail
    response = client.post(f"/diseminasi/kelola/{draft.pk}/terbitkan/", {"publish_at": ""}, follow=True)
    assert indonesian("No active member matches these targets: nothing would be sent.") in page_text(response)
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT and draft.published_at is None
    scene.assert_nothing_sent()


def test_publishing_to_nobody_is_refused_api(client, scene):
    scene.kim.members.update(is_active=False)
    draft = scene.draft()
    login(client, scene.pembina)
    assert client.get(f"{API}/{draft.pk}/audience").json()["total"] == 0
    error = assert_api_error(post_json(client, f"{API}/{draft.pk}/publish", {}), 422)
    assert [d["message"] for d in error["details"]] == [
        translated("No active member matches these targets: nothing would be sent.")
    ]
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT
    scene.assert_nothing_sent()


# --- Targets outside the publisher's scope ------------------------------------------------
def test_pembina_targets_another_kabupaten_page(client, scene, kim_ekasari):
    login(client, scene.pembina)
    html = page_text(client.post(new_url(scene.office), form(regions="51.01")))
    assert indonesian("A target lies outside the area you publish for.") in html
    html = page_text(client.post(new_url(scene.office), form(regions="63.72, 51.01.04.2004")))
    assert indonesian("A target lies outside the area you publish for.") in html
    # A KIM of Jembrana is not even among the choices.
    response = client.post(new_url(scene.office), form(regions="", kims=[kim_ekasari.pk]))
    assert response.status_code == 200 and response.context["form"].errors["kims"]
    assert not Bulletin.objects.exists()
    scene.assert_nothing_sent()


def test_pembina_targets_another_kabupaten_api(client, scene, kim_ekasari):
    login(client, scene.pembina)
    assert_api_error(post_json(client, API, api_payload(scene, regions=["51.01"])), 403)
    assert_api_error(post_json(client, API, api_payload(scene, regions=[], kim_slugs=[kim_ekasari.slug])), 403)
    assert not Bulletin.objects.exists()
    draft = scene.draft()
    assert_api_error(post_json(client, f"{API}/{draft.pk}", api_payload(scene, regions=["51.01"]), "put"), 403)
    assert list(draft.targets.values_list("region_id", flat=True)) == ["63.72"]
    scene.assert_nothing_sent()


def test_pembina_publishes_as_another_office(client, scene, pembina_office_jembrana):
    login(client, scene.pembina)
    assert client.get(new_url(pembina_office_jembrana)).status_code == 404
    assert client.post(new_url(pembina_office_jembrana), form(regions="51.01")).status_code == 404
    payload = api_payload(scene, publisher_id=pembina_office_jembrana.pk, regions=["51.01"])
    assert_api_error(post_json(client, API, payload), 403)
    assert not Bulletin.objects.exists()


def test_edit_moving_a_draft_out_of_scope_leaves_it_unchanged(client, scene):
    draft = scene.draft()
    login(client, scene.pembina)
    html = page_text(client.post(f"/diseminasi/kelola/{draft.pk}/ubah/", form(title="Diubah", regions="51.01")))
    assert indonesian("A target lies outside the area you publish for.") in html
    draft.refresh_from_db()
    assert draft.title == TITLE
    assert list(draft.targets.values_list("region_id", flat=True)) == ["63.72"]


def test_unknown_region_is_refused(client, scene):
    login(client, scene.pembina)
    html = page_text(client.post(new_url(scene.office), form(regions="63.72.99.9999")))
    assert indonesian("Unknown region %(code)s.", code="63.72.99.9999") in html
    html = page_text(client.post(new_url(scene.office), form(regions="'; DROP TABLE wilayah_region; --")))
    assert "DROP TABLE" in html  # named back as the unknown region, harmlessly
    assert_api_error(post_json(client, API, api_payload(scene, regions=["63.72.99.9999"])), 422)
    assert not Bulletin.objects.exists()


def test_ketua_targets_another_kim(client, scene, kim_ekasari):
    login(client, scene.ketua)
    response = client.post(new_url(scene.kim), form(regions="", kims=[kim_ekasari.pk]))
    assert response.status_code == 200 and response.context["form"].errors["kims"]
    # A KIM publishes to its own members only: not to a region, even its own village.
    html = page_text(client.post(new_url(scene.kim), form(regions="63.72.05.1004")))
    assert indonesian("A target lies outside the area you publish for.") in html
    payload = api_payload(scene, publisher_type="kim", publisher_id=scene.kim.pk, regions=[])
    assert_api_error(post_json(client, API, payload | {"kim_slugs": [kim_ekasari.slug]}), 403)
    assert_api_error(post_json(client, API, payload | {"kim_slugs": [scene.kim.slug, kim_ekasari.slug]}), 403)
    assert_api_error(post_json(client, API, payload | {"regions": ["63.72.05.1004"]}), 403)
    # Nor as the other KIM.
    assert client.get(new_url(kim_ekasari)).status_code == 404
    assert_api_error(
        post_json(client, API, payload | {"publisher_id": kim_ekasari.pk, "kim_slugs": [kim_ekasari.slug]}), 403
    )
    assert not Bulletin.objects.exists()
    scene.assert_nothing_sent()


# --- Impossible state changes -------------------------------------------------------------
def test_publishing_twice_sends_nothing_twice(client, scene):
    bulletin = scene.published()
    before = scene.sent()
    login(client, scene.pembina)
    response = client.post(f"/diseminasi/kelola/{bulletin.pk}/terbitkan/", {"publish_at": ""}, follow=True)
    assert indonesian("This bulletin has already been published.") in page_text(response)
    assert_api_error(post_json(client, f"{API}/{bulletin.pk}/publish", {}), 422)
    assert scene.sent() == before == (1, 1, 2)
    assert FanOutRun.objects.filter(bulletin=bulletin).count() == 1


def test_a_draft_cannot_be_corrected(client, scene):
    draft = scene.draft()
    login(client, scene.pembina)
    data = {"title": "Ralat", "body_markdown": "Jamnya berubah."}
    response = client.post(f"/diseminasi/kelola/{draft.pk}/ralat/", data, follow=True)
    assert indonesian("Only a published bulletin can be corrected; edit the draft instead.") in page_text(response)
    assert_api_error(post_json(client, f"{API}/{draft.pk}/correct", data), 422)
    assert list(Bulletin.objects.all()) == [draft]
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT
    scene.assert_nothing_sent()


def test_an_empty_correction_is_refused(client, scene):
    bulletin = scene.published()
    before = scene.sent()
    login(client, scene.pembina)
    response = client.post(f"/diseminasi/kelola/{bulletin.pk}/ralat/", {"title": " ", "body_markdown": ""}, follow=True)
    assert indonesian("A correction needs a title and a body.") in page_text(response)
    assert_api_error(post_json(client, f"{API}/{bulletin.pk}/correct", {"title": "", "body_markdown": " "}), 422)
    assert Bulletin.objects.count() == 1
    assert scene.sent() == before


def test_a_published_bulletin_cannot_be_edited_or_deleted(client, scene):
    bulletin = scene.published()
    before = scene.sent()
    login(client, scene.pembina)
    message = indonesian("A published bulletin cannot be edited; publish a correction instead.")
    assert message in page_text(client.get(f"/diseminasi/kelola/{bulletin.pk}/ubah/", follow=True))
    response = client.post(f"/diseminasi/kelola/{bulletin.pk}/ubah/", form(title="Diam-diam diubah"), follow=True)
    assert message in page_text(response)
    assert_api_error(post_json(client, f"{API}/{bulletin.pk}", api_payload(scene, title="Diubah"), "put"), 422)
    assert_api_error(client.delete(f"{API}/{bulletin.pk}"), 422)
    bulletin.refresh_from_db()
    assert (bulletin.title, bulletin.status) == (TITLE, BulletinStatus.PUBLISHED)
    assert scene.sent() == before


def test_redisseminating_twice_sends_nothing_twice(client, scene):
    kim_dissemination_setting_set(actor=scene.ketua, kim=scene.kim, mode=RedisseminationMode.APPROVAL)
    bulletin = scene.publish(scene.draft())
    item = KimInboxItem.objects.get(bulletin=bulletin, kim=scene.kim)
    login(client, scene.ketua)
    url = f"/diseminasi/kotak-masuk/{scene.kim.slug}/{item.pk}/sebarkan/"
    client.post(url, {"local_note": "Pertama"})
    assert wait_until(lambda: scene.sent() == (1, 1, 2)), scene.sent()
    response = client.post(url, {"local_note": "Kedua"}, follow=True)
    assert indonesian("This bulletin has already been re-disseminated.") in page_text(response)
    item.refresh_from_db()
    assert (item.status, item.local_note) == (InboxStatus.REDISSEMINATED, "Pertama")
    assert scene.sent() == (1, 1, 2)


def test_redisseminating_for_another_kim_is_not_found(client, scene, ketua_ekasari):
    kim_dissemination_setting_set(actor=scene.ketua, kim=scene.kim, mode=RedisseminationMode.APPROVAL)
    bulletin = scene.publish(scene.draft())
    item = KimInboxItem.objects.get(bulletin=bulletin, kim=scene.kim)
    login(client, ketua_ekasari)
    assert client.post(f"/diseminasi/kotak-masuk/{scene.kim.slug}/{item.pk}/sebarkan/").status_code == 404
    assert client.post(f"/diseminasi/kotak-masuk/kim-desa-ekasari/{item.pk}/sebarkan/").status_code == 404
    item.refresh_from_db()
    assert item.status == InboxStatus.RECEIVED
    assert scene.sent() == (0, 0, 0)


# --- Times --------------------------------------------------------------------------------
def local_input(moment: Any) -> str:
    """A datetime as a datetime-local input sends it, in the site's time zone."""
    return str(timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"))


def test_validity_ending_before_it_starts_is_refused(client, scene):
    start = timezone.now() + timedelta(days=2)
    message = indonesian("The end of validity must come after its start.")
    login(client, scene.pembina)
    for end in (start - timedelta(days=1), start):
        data = form(valid_from=local_input(start), valid_until=local_input(end))
        assert message in page_text(client.post(new_url(scene.office), data))
    assert not Bulletin.objects.exists()
    payload = api_payload(scene, valid_from=start.isoformat(), valid_until=(start - timedelta(hours=1)).isoformat())
    error = assert_api_error(post_json(client, API, payload), 422)
    assert [d["field"] for d in error["details"]] == ["valid_until"]
    assert not Bulletin.objects.exists()

    draft = scene.draft()
    data = form(valid_from=local_input(start), valid_until=local_input(start - timedelta(days=1)))
    assert message in page_text(client.post(f"/diseminasi/kelola/{draft.pk}/ubah/", data))
    assert_api_error(post_json(client, f"{API}/{draft.pk}", payload, "put"), 422)
    draft.refresh_from_db()
    assert (draft.valid_from, draft.valid_until) == (None, None)
    scene.assert_nothing_sent()


@pytest.mark.parametrize("way", ["page", "api"])
def test_scheduling_in_the_past_is_refused(client, scene, way):
    draft = scene.draft()
    yesterday = timezone.now() - timedelta(days=1)
    login(client, scene.pembina)
    if way == "page":
        client.post(f"/diseminasi/kelola/{draft.pk}/terbitkan/", {"publish_at": local_input(yesterday)})
    else:
        assert_api_error(post_json(client, f"{API}/{draft.pk}/publish", {"publish_at": yesterday.isoformat()}), 422)
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT
    scene.assert_nothing_sent()


def test_scheduling_in_the_future_sends_nothing_yet(client, scene):
    """The control for the past: a time to come schedules the bulletin and sends nothing now."""
    draft = scene.draft()
    login(client, scene.pembina)
    tomorrow = timezone.now() + timedelta(days=1)
    client.post(f"/diseminasi/kelola/{draft.pk}/terbitkan/", {"publish_at": local_input(tomorrow)})
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.SCHEDULED
    scene.assert_nothing_sent()


def test_an_unreadable_publish_time_says_so(client, scene):
    draft = scene.draft()
    login(client, scene.pembina)
    response = client.post(f"/diseminasi/kelola/{draft.pk}/terbitkan/", {"publish_at": "besok pagi"}, follow=True)
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT
    scene.assert_nothing_sent()
    assert 'class="notice notice-error"' in page_text(response)


# --- Wrong shapes and types ---------------------------------------------------------------
@pytest.mark.parametrize(
    "changes",
    [
        {"category": "gosip"},
        {"priority": "sangat-penting"},
        {"title": ""},
        {"title": "J" * 201},
        {"body_markdown": "   "},
        {"body_markdown": "x" * 20001},
        {"valid_from": "kemarin sore"},
        {"kims": ["abc"]},
        {"kims": ["999999"]},
        {"segment_sectors": ["alien"]},
        {"regions": "63.72," * 400},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_wrong_values_in_the_page_form(client, scene, changes):
    login(client, scene.pembina)
    response = client.post(new_url(scene.office), form(**changes))
    html = page_text(response)
    assert response.context["form"].errors
    assert 'role="alert"' in html
    assert not Bulletin.objects.exists()
    scene.assert_nothing_sent()


WRONG_PAYLOADS: list[Any] = [
    pytest.param("title-number", {"title": 12345}, id="title-number"),
    pytest.param("title-list", {"title": ["a", "b"]}, id="title-list"),
    pytest.param("title-too-long", {"title": "J" * 201}, id="title-too-long"),
    pytest.param("title-blank", {"title": "   "}, id="title-blank"),
    pytest.param("body-null", {"body_markdown": None}, id="body-null"),
    pytest.param("body-too-long", {"body_markdown": "x" * 20001}, id="body-too-long"),
    pytest.param("category-unknown", {"category": "gosip"}, id="category-unknown"),
    pytest.param("priority-number", {"priority": 3}, id="priority-number"),
    pytest.param("regions-string", {"regions": "63.72"}, id="regions-string"),
    pytest.param("regions-numbers", {"regions": [63.72]}, id="regions-numbers"),
    pytest.param("kim-slugs-object", {"kim_slugs": {"slug": "x"}}, id="kim-slugs-object"),
    pytest.param("kim-slugs-unknown", {"kim_slugs": ["kim-tidak-ada"]}, id="kim-slugs-unknown"),
    pytest.param("group-ids-strings", {"group_ids": ["satu"]}, id="group-ids-strings"),
    pytest.param("group-ids-unknown", {"group_ids": [999999]}, id="group-ids-unknown"),
    pytest.param("valid-from-words", {"valid_from": "kemarin sore"}, id="valid-from-words"),
    pytest.param("segments-string", {"segments": "umkm"}, id="segments-string"),
    pytest.param("segments-unknown-sector", {"segments": {"sectors": ["alien"]}}, id="segments-unknown-sector"),
    pytest.param("publisher-type-unknown", {"publisher_type": "user"}, id="publisher-type-unknown"),
    pytest.param("publisher-id-string", {"publisher_id": "dinas"}, id="publisher-id-string"),
    pytest.param("publisher-id-missing", {"publisher_id": 999999}, id="publisher-id-missing"),
]


@pytest.mark.parametrize(("case", "changes"), WRONG_PAYLOADS)
def test_wrong_types_in_the_api_json(client, scene, case, changes):
    login(client, scene.pembina)
    response = post_json(client, API, api_payload(scene, **changes))
    assert_api_error(response, 404 if case == "publisher-id-missing" else 422)
    draft = scene.draft()
    payload = api_payload(scene, **changes)
    response = post_json(client, f"{API}/{draft.pk}", payload, "put")
    if case.startswith("publisher"):  # a draft's publisher is not changed by PUT; the rest is checked
        assert response.status_code == 200, response.content
    else:
        assert_api_error(response, 422)
    draft.refresh_from_db()
    assert (draft.title, draft.body_markdown, draft.status) == (TITLE, BODY, BulletinStatus.DRAFT)
    assert Bulletin.objects.count() == 1
    scene.assert_nothing_sent()


@pytest.mark.parametrize(
    "body",
    ["{not json", "[]", '"a string"', "null", json.dumps({"title": TITLE})],
    ids=["malformed", "array", "string", "null", "missing-fields"],
)
def test_malformed_api_bodies(client, scene, body):
    login(client, scene.pembina)
    assert_api_error_4xx(post_json(client, API, body))
    draft = scene.draft()
    assert_api_error_4xx(post_json(client, f"{API}/{draft.pk}", body, "put"))
    published = scene.published()
    assert_api_error_4xx(post_json(client, f"{API}/{published.pk}/correct", body))
    assert Bulletin.objects.count() == 2
    draft.refresh_from_db()
    assert (draft.title, draft.status) == (TITLE, BulletinStatus.DRAFT)


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        json.dumps({"publish_at": "besok pagi"}),
        json.dumps({"publish_at": ["2030-01-01T08:00"]}),
        "[]",
        '"nanti"',
    ],
    ids=["malformed", "publish-at-words", "publish-at-list", "array", "string"],
)
def test_malformed_publish_bodies_publish_nothing(client, scene, body):
    draft = scene.draft()
    login(client, scene.pembina)
    response = post_json(client, f"{API}/{draft.pk}/publish", body)
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT
    scene.assert_nothing_sent()
    assert_api_error_4xx(response)


def assert_api_error_4xx(response: Any) -> None:
    assert response.status_code in (400, 422), response.content
    assert_api_error(response, response.status_code)


def test_local_note_too_long_sends_nothing(client, scene):
    kim_dissemination_setting_set(actor=scene.ketua, kim=scene.kim, mode=RedisseminationMode.APPROVAL)
    bulletin = scene.publish(scene.draft())
    item = KimInboxItem.objects.get(bulletin=bulletin, kim=scene.kim)
    login(client, scene.ketua)
    url = f"/diseminasi/kotak-masuk/{scene.kim.slug}/{item.pk}/sebarkan/"
    response = client.post(url, {"local_note": "x" * 2001}, follow=True)
    html = page_text(response)
    item.refresh_from_db()
    assert item.status == InboxStatus.RECEIVED
    assert scene.sent() == (0, 0, 0)
    assert TITLE in html


def test_local_note_too_long_says_so(client, scene):
    kim_dissemination_setting_set(actor=scene.ketua, kim=scene.kim, mode=RedisseminationMode.APPROVAL)
    bulletin = scene.publish(scene.draft())
    item = KimInboxItem.objects.get(bulletin=bulletin, kim=scene.kim)
    login(client, scene.ketua)
    url = f"/diseminasi/kotak-masuk/{scene.kim.slug}/{item.pk}/sebarkan/"
    response = client.post(url, {"local_note": "x" * 2001}, follow=True)
    assert 'class="notice notice-error"' in page_text(response) or 'role="alert"' in page_text(response)

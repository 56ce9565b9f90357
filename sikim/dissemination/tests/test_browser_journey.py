"""The dissemination journey, walked by people on phones (Chromium at 360 px) on the live server.

The pembina of Kota Banjarbaru writes a bulletin for the whole city, checks its audience and
publishes it. It lands in the inbox of KIM Guntung Paikat (which passes bulletins on "after
approval"); the ketua adds a local note and re-disseminates it. One member gets it on Telegram,
another by email — both at fake providers on 127.0.0.1 speaking the real protocols — and the
pembina sees the counts on the reach page.

Tasks run immediately in tests, so the fan-out and the sending happen inside the ketua's request;
the test still waits on conditions, never on a clock.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sikim.accounts.models import User
from sikim.core.tests.browser import fits_the_phone, log_in, log_out
from sikim.dissemination.models import (
    Bulletin,
    BulletinStatus,
    Delivery,
    DeliveryStatus,
    InboxStatus,
    KimInboxItem,
    RedisseminationMode,
)
from sikim.dissemination.services.bulletins import bulletin_create, bulletin_publish
from sikim.dissemination.services.inbox import kim_dissemination_setting_set, kim_inbox_redisseminate
from sikim.dissemination.tests.bulletin_fixtures import member
from sikim.dissemination.tests.fakes import FakeSmtpServer, FakeTelegramServer, wait_until
from sikim.kim.models import Kim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Jadwal Imunisasi Polio Serentak"
BODY = "Imunisasi polio untuk anak **0–7 tahun** di semua posyandu, Senin 8 Juli pukul 08.00."
NOTE = "Berkumpul di Posyandu Melati RT 03, bawa buku KIA."
SCREENSHOT = Path("/tmp/journey-reach.png")  # noqa: S108 (asked for by the issue; read by people)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def reach_cell(page: Page, channel: str, column: str) -> str:
    """The number in the reach table where the row of `channel` meets the column headed `column`.

    The table may sit in a closed disclosure ("table per channel"): it is opened first, as a
    reader would, and the cell must then be visible."""
    header = page.get_by_role("columnheader", name=column, exact=True, include_hidden=True)
    channel_row = page.get_by_role("row", include_hidden=True).filter(has_text=re.compile(channel, re.I))
    table = page.get_by_role("table", include_hidden=True).filter(has=header).filter(has=channel_row).first
    closed = page.locator("details:not([open])").filter(has=table)
    if closed.count():
        closed.first.locator("summary").first.click()
    expect(table).to_be_visible()
    headers = [text.strip() for text in table.get_by_role("columnheader").all_inner_texts()]
    index = headers.index(column)
    for row in table.get_by_role("row").all()[1:]:
        cells = [text.strip() for text in row.get_by_role("cell").or_(row.get_by_role("rowheader")).all_inner_texts()]
        if cells and cells[0].lower() == channel.lower():
            return cells[index]
    raise AssertionError(f"no row for {channel} in the reach table: {headers}")


def test_pembina_publishes_ketua_redisseminates_members_receive_reach_counts(
    page: Page,
    media_root,
    fake_telegram: FakeTelegramServer,
    fake_smtp: FakeSmtpServer,
    pembina_banjarbaru: User,
    pembina_office_banjarbaru,
    kim_guntung_paikat: Kim,
    ketua_guntung_paikat: User,
):
    # The scene: KIM Guntung Paikat passes bulletins on after approval; one member reads Telegram,
    # another email, a third agreed to nothing and must get nothing.
    kim_dissemination_setting_set(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, mode=RedisseminationMode.APPROVAL)
    on_telegram = member(kim_guntung_paikat, mail=False, telegram=True, name="Rudi Telegram")
    by_email = member(kim_guntung_paikat, mail=True, name="Wati Surel", email="wati.surel@example.id")
    member(kim_guntung_paikat, mail=False, name="Tanpa Persetujuan")
    chat_id = on_telegram.telegram_link.chat_id

    # 1. The pembina writes the bulletin for all of Kota Banjarbaru.
    log_in(page, pembina_banjarbaru)
    page.goto("/diseminasi/kelola/")
    office = pembina_office_banjarbaru.name  # "new bulletin as …": a link styled as a button
    page.get_by_role("button", name=office).or_(page.get_by_role("link", name=office)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buletin baru")
    assert fits_the_phone(page)
    page.get_by_label(re.compile(r"^Judul")).fill(TITLE)
    page.get_by_label(re.compile(r"^Isi")).fill(BODY)
    page.get_by_label(re.compile(r"^Kategori")).select_option(label="Kesehatan")
    page.get_by_label(re.compile(r"^Wilayah")).fill("63.72")
    page.get_by_role("button", name="Simpan draf").click()

    # 2. The audience preview: three members, one by email, one on Telegram; nothing sent yet.
    expect(page.get_by_text("Draf sudah disimpan. Periksa penerimanya, lalu terbitkan.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("row", name=re.compile(r"^Anggota\s+3$"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^Email\s+1$"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^Telegram\s+1$"))).to_be_visible()
    assert fits_the_phone(page)
    bulletin = Bulletin.objects.get(title=TITLE)
    assert bulletin.status == BulletinStatus.DRAFT
    assert list(bulletin.targets.values_list("region_id", flat=True)) == ["63.72"]

    # 3. Publish now: the bulletin lands in the KIM's inbox; nobody is messaged yet (after approval).
    page.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(page.get_by_text("Buletin sudah diterbitkan.")).to_be_visible()
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert KimInboxItem.objects.get(bulletin=bulletin, kim=kim_guntung_paikat).status == InboxStatus.RECEIVED
    assert not Delivery.objects.filter(bulletin=bulletin).exists()
    assert fake_telegram.received == [] and fake_smtp.messages == []
    log_out(page)

    # 4. The ketua finds it in the KIM inbox, adds a local note and passes it on.
    log_in(page, ketua_guntung_paikat)
    page.goto(f"/diseminasi/kotak-masuk/{kim_guntung_paikat.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("KIM Guntung Paikat")
    item = page.get_by_role("article").filter(has_text=TITLE)
    expect(item).to_be_visible()
    assert fits_the_phone(page)
    item.get_by_label(re.compile(r"^Catatan lokal")).fill(NOTE)
    item.get_by_role("button", name="Sebarkan ulang ke anggota kami").click()
    expect(page.get_by_text("Sudah diteruskan ke anggota KIM Guntung Paikat.")).to_be_visible()
    expect(page.get_by_role("article").filter(has_text=TITLE)).to_contain_text(NOTE)

    # 5. The messages reached the providers: Telegram to the linked chat, email to the other member.
    assert wait_until(lambda: len(fake_telegram.sent_texts()) >= 1 and len(fake_smtp.messages) >= 1)
    telegram = fake_telegram.sent_texts()
    assert [chat for chat, _text in telegram] == [chat_id]
    assert TITLE in telegram[0][1] and NOTE in telegram[0][1]
    assert "<strong>" not in telegram[0][1] and "0–7 tahun" in telegram[0][1]  # plain text, no markup
    mails = fake_smtp.messages
    assert [mail.rcpt_tos for mail in mails] == [("wati.surel@example.id",)]
    assert TITLE in str(mails[0].message["Subject"])
    assert NOTE in mails[0].body("plain")
    assert wait_until(lambda: Delivery.objects.filter(bulletin=bulletin, status=DeliveryStatus.SENT).count() == 2), (
        list(Delivery.objects.filter(bulletin=bulletin).values("channel", "status", "error"))
    )
    assert set(Delivery.objects.filter(bulletin=bulletin).values_list("member_id", "channel")) == {
        (on_telegram.pk, "telegram"),
        (by_email.pk, "email"),
    }
    log_out(page)

    # 6. The pembina opens the reach page: one sent on Telegram, one by email.
    log_in(page, pembina_banjarbaru)
    page.goto("/diseminasi/kelola/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("link", name=re.compile("jangkauan|reach in detail", re.I)).first.click()
    expect(page).to_have_url(re.compile(rf"/diseminasi/kelola/{bulletin.pk}/jangkauan/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jangkauan")
    assert reach_cell(page, "telegram", "Terkirim") == "1"
    assert reach_cell(page, "email", "Terkirim") == "1"
    assert reach_cell(page, "sms", "Terkirim") == "0"
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_reach_page_fits_a_phone(
    page: Page,
    fake_telegram: FakeTelegramServer,
    fake_smtp: FakeSmtpServer,
    pembina_banjarbaru: User,
    pembina_office_banjarbaru,
    kim_guntung_paikat: Kim,
    ketua_guntung_paikat: User,
):
    """The reach page, like every page, is read on a phone: no sideways scrolling at 360 px."""
    member(kim_guntung_paikat, mail=True)
    member(kim_guntung_paikat, mail=False, telegram=True)
    bulletin = bulletin_create(
        actor=pembina_banjarbaru,
        publisher=pembina_office_banjarbaru,
        title=TITLE,
        body_markdown=BODY,
        regions=["63.72"],
    )
    bulletin_publish(actor=pembina_banjarbaru, bulletin=bulletin)
    item = KimInboxItem.objects.get(bulletin=bulletin, kim=kim_guntung_paikat)
    kim_inbox_redisseminate(actor=ketua_guntung_paikat, item=item, local_note=NOTE)
    assert wait_until(lambda: len(fake_telegram.received) == 1 and len(fake_smtp.messages) == 1)

    log_in(page, pembina_banjarbaru)
    page.goto(f"/diseminasi/kelola/{bulletin.pk}/jangkauan/")
    assert reach_cell(page, "email", "Terkirim") == "1"
    assert fits_the_phone(page), page.evaluate("document.documentElement.scrollWidth")

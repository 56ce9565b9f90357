"""The information-request journey of issue #6, walked on a phone (Chromium at 360 px) in Indonesian.

A citizen of Desa Ekasari asks Pemerintah Desa Ekasari for its 2026 village budget (APBDes); the
body's PPID extends the deadline with a written reason, then grants the request in part on a
Pasal 17 ground with the consequence test and a response PDF; the citizen files an objection;
the atasan PPID answers it; the citizen reads the answer. Everyone moves through the pages only:
links, labelled fields and buttons by their visible (Indonesian) text.

The live server runs on the real clock, so every date the pages show is checked against the
stored moments twice: with a working-day counter written here on `holidays` alone (weekends,
public holidays and cuti bersama are days off; after 16:00 WIB or on a day off a thing counts as
received on the next working day; counting starts the day after), and with `sikim.kip.deadlines`
on the KIP calendar. The two must agree, and the page must show that date.
"""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from playwright.sync_api import Page, expect

from sikim.accounts.models import Role, RoleGrant, User
from sikim.accounts.tests.factories import UserFactory
from sikim.core.tests.browser import fits_the_phone, log_in, log_out
from sikim.kip import deadlines
from sikim.kip.models import InformationRequest, Objection, RequestState
from sikim.kip.selectors.calendar import kip_calendar
from sikim.kip.tests.conftest import EKASARI

WIB = ZoneInfo("Asia/Jakarta")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

INFORMATION = "APBDes 2026 (Anggaran Pendapatan dan Belanja Desa)"
PURPOSE = "Memantau penggunaan Dana Desa Ekasari bersama warga banjar."
NIK = "5101041203850001"
ADDRESS = "Banjar Ekasari, Desa Ekasari, Kecamatan Melaya, Kabupaten Jembrana"
REASON = "Rincian APBDes 2026 masih dihimpun dari kepala-kepala urusan; perlu waktu untuk memisahkan data pribadi."
CONSEQUENCE = (
    "Lampiran daftar penerima BLT Dana Desa memuat nama dan NIK warga; membukanya mengungkap rahasia "
    "pribadi, sedangkan APBDes tanpa lampiran itu tetap memenuhi kepentingan publik."
)
RESPONSE = "Terlampir APBDes 2026 Desa Ekasari; lampiran daftar penerima BLT tidak diberikan."
DOCUMENT = "APBDes-2026-Desa-Ekasari.pdf"
OBJECTION = "Saya minta daftar penerima BLT dibuka dengan NIK disamarkan, bukan ditahan seluruhnya."
ANSWER = "Keberatan diterima sebagian: daftar penerima BLT diberikan dengan NIK dan alamat disamarkan."

# Indonesian as Django writes dates on these pages ("l, j F Y" and "j F Y, H:i"), spelled out here.
BULAN_SINGKAT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


# --- A working-day counter of our own, on the `holidays` package only ----------------------------


# Public holidays and cuti bersama (the KIP calendar's default); the years fill in as they are asked.
DAYS_OFF = holidays.Indonesia(categories=("public", "government"))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in DAYS_OFF


def received_on(moment: datetime) -> date:
    """The day a thing arriving at `moment` counts as received: that day before 16:00 WIB if it works."""
    local = moment.astimezone(WIB)
    day = local.date()
    if is_working_day(day) and local.hour < 16:
        return day
    return nth_working_day_after(day, 1)


def nth_working_day_after(day: date, n: int) -> date:
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def last_day(moment: datetime, n: int) -> date:
    """The last day of n working days from `moment` (the deadline ends at 23:59:59 WIB that day)."""
    return nth_working_day_after(received_on(moment), n)


def long_date(day: date) -> str:
    return f"{HARI[day.weekday()]}, {day.day} {BULAN[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def moment_text(moment: datetime) -> str:
    local = moment.astimezone(WIB)
    return f"{short_date(local.date())}, {local:%H:%M} WIB"


def same_day(deadline: datetime | None, day: date) -> bool:
    """A deadline computed by SIKIM falls at the end (23:59:59 WIB) of `day`."""
    return deadline is not None and deadline.astimezone(WIB) == datetime(
        day.year, day.month, day.day, 23, 59, 59, tzinfo=WIB
    )


@pytest.mark.parametrize(
    ("moment", "n", "last"),
    [
        # Tuesday before Nyepi and Lebaran 2026 (cuti bersama off): Wednesday 8 April.
        (datetime(2026, 3, 17, 10, 0, tzinfo=WIB), 10, date(2026, 4, 8)),
        # The same day after 16:00 counts from Wednesday 18 March (itself a working day).
        (datetime(2026, 3, 17, 16, 30, tzinfo=WIB), 10, date(2026, 4, 9)),
        # Across Christmas, its cuti bersama and the new year.
        (datetime(2026, 12, 23, 9, 0, tzinfo=WIB), 10, date(2027, 1, 12)),
        # A Saturday counts from Monday; 1 working day after Monday is Tuesday.
        (datetime(2026, 11, 21, 9, 0, tzinfo=WIB), 1, date(2026, 11, 24)),
    ],
)
def test_the_tests_own_counter_agrees_with_dates_worked_out_by_hand(moment, n, last):
    assert last_day(moment, n) == last


# --- People and pages ------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def warga_ekasari(regions) -> User:
    user: User = UserFactory(
        full_name="I Made Artana", email="made.artana@sikim.test", phone="+6281338000123", home_region_id=EKASARI
    )
    RoleGrant.objects.create(user=user, role=Role.WARGA, region_id=EKASARI)
    return user


def expect_step(page: Page, key: str, text: str, *, iso: str = "") -> None:
    """A line of the tracking page's timeline shows `text` as its date (and `iso` in its <time>)."""
    when = page.locator(f"#kip-step-{key} time")
    expect(when).to_have_text(text)
    if iso:
        expect(when).to_have_attribute("datetime", iso)


def expect_deadline(page: Page, key: str, day: date) -> None:
    expect_step(page, key, long_date(day), iso=f"{day.isoformat()}T23:59:59+07:00")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_asks_a_village_for_its_budget_through_to_the_atasan_ppids_answer(
    page: Page, media_root, warga_ekasari, desa_ekasari, ppid_ekasari, atasan_ekasari
):
    # 1. The citizen chooses Pemerintah Desa Ekasari on /informasi/ and asks for the APBDes 2026.
    log_in(page, warga_ekasari)
    page.get_by_role("banner").get_by_role("link", name="Informasi publik").click()
    expect(page).to_have_url(re.compile("/informasi/$"))
    page.get_by_label("Nama badan publik").fill("Ekasari")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Minta informasi kepada Pemerintah Desa Ekasari").click()
    expect(page.locator("#kip-body-name")).to_have_text("Pemerintah Desa Ekasari")
    assert fits_the_phone(page)
    expect(page.get_by_label("Nama lengkap")).to_have_value("I Made Artana")
    page.get_by_label("Informasi apa yang Anda minta?").fill(INFORMATION)
    page.get_by_label("Untuk apa informasi ini Anda perlukan?").fill(PURPOSE)
    page.get_by_label("Mendapatkan salinan").check()
    page.get_by_label("Softcopy (berkas elektronik)").check()
    page.get_by_role("group", name="Bagaimana informasi disampaikan kepada Anda?").get_by_label("Email").check()
    page.get_by_label("NIK atau nomor identitas lain").fill(NIK)
    page.get_by_label("Alamat").fill(ADDRESS)
    page.get_by_role("button", name="Kirim permohonan").click()

    expect(page.get_by_role("heading", name="Permohonan Anda telah dicatat")).to_be_visible()
    request = InformationRequest.objects.get(body=desa_ekasari)
    assert request.requester_user_id == warga_ekasari.pk and request.information == INFORMATION
    assert request.received_at is not None and request.decision_due is not None
    year = request.received_at.astimezone(WIB).year
    number = f"PPID-{desa_ekasari.pk:04d}-{year}-000001"
    expect(page.locator("#kip-registration-number")).to_have_text(number)
    assert re.fullmatch(r"PPID-\d{4}-\d{4}-\d{6}", number)
    expect(page.locator("#kip-tracking-code")).to_have_text(re.compile(rf"^KIP-{year}-[0-9A-Z]{{6}}$"))

    # The decision is due 10 working days after the day of receipt (Pasal 22 ayat (7)).
    decision_day = last_day(request.received_at, 10)
    assert same_day(request.decision_due, decision_day)
    assert same_day(deadlines.decision_due(kip_calendar(), request.received_at), decision_day)
    expect(page.locator("#kip-decision-due")).to_have_text(long_date(decision_day))
    assert fits_the_phone(page)

    page.get_by_role("button", name="Lacak permohonan saya").click()  # a link styled as a button
    expect(page).to_have_url(re.compile(f"/informasi/lacak/{request.tracking_code}/$"))
    expect(page.locator("#kip-state")).to_have_text("Terdaftar")
    expect(page.locator("#kip-time-state")).to_have_text("Menunggu keputusan")
    expect(page.locator("#kip-due")).to_have_text(long_date(decision_day))
    expect_step(page, "submitted", moment_text(request.submitted_at))
    expect_step(page, "received", moment_text(request.received_at))
    expect(page.locator("#kip-step-received")).to_contain_text(f"Diterima dan dicatat dengan nomor {number}")
    expect_deadline(page, "decision_due", decision_day)
    log_out(page)

    # 2. The PPID opens the desk and the case, extends with a written reason, then grants in part.
    log_in(page, ppid_ekasari)
    page.get_by_role("banner").get_by_role("link", name="Meja PPID").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=number, level=1)).to_be_visible()
    assert fits_the_phone(page)
    expect(page.locator("#kip-identity")).to_contain_text(NIK)
    expect(page.locator("#kip-decision-due")).to_have_text(long_date(decision_day))
    page.get_by_label("Alasan perpanjangan").fill(REASON)
    page.get_by_role("button", name="Perpanjang 7 hari kerja").click()

    # Seven working days more, counted after the original due day (Pasal 22 ayat (8)).
    extended_day = nth_working_day_after(decision_day, 7)
    expect(page.get_by_role("status")).to_have_text(f"Tenggat diperpanjang sampai {short_date(extended_day)}.")
    request.refresh_from_db()
    assert request.state == RequestState.DIPERPANJANG and request.extension_reason == REASON
    assert same_day(request.extended_due, extended_day)
    assert same_day(deadlines.extended_due(kip_calendar(), request.decision_due), extended_day)
    expect(page.locator("#kip-state")).to_have_text("Jangka waktu diperpanjang")
    expect(page.locator("#kip-extended-due")).to_have_text(long_date(extended_day))
    expect(page.get_by_role("button", name="Perpanjang 7 hari kerja")).to_have_count(0)

    decide = page.locator("#action-decide")
    decide.get_by_label("Dikabulkan sebagian").check()
    decide.get_by_label("Alasan pengecualian (Pasal 17)").select_option(label="h. mengungkap rahasia pribadi")
    decide.get_by_label("Uji konsekuensi").fill(CONSEQUENCE)
    decide.get_by_label("Tanggapan kepada pemohon").fill(RESPONSE)
    decide.get_by_label("Dokumen jawaban (PDF)").set_input_files(
        files=[{"name": DOCUMENT, "mimeType": "application/pdf", "buffer": PDF}]
    )
    decide.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_role("status")).to_have_text("Keputusan telah disimpan.")
    expect(page.locator("#kip-state")).to_have_text("Diputuskan")
    expect(page.locator("#kip-decision")).to_contain_text("Dikabulkan sebagian")
    expect(page.locator("#kip-decision")).to_contain_text("h. mengungkap rahasia pribadi")
    request.refresh_from_db()
    decision = request.decision
    objection_day = last_day(decision.decided_at, 30)
    assert same_day(deadlines.objection_window_after_decision(kip_calendar(), decision.decided_at), objection_day)
    log_out(page)

    # 3. The citizen reads the partial grant on the tracking page and objects on a statutory ground.
    log_in(page, warga_ekasari)
    page.goto("/informasi/saya/")
    page.get_by_role("link", name=number).click()
    expect(page).to_have_url(re.compile(f"/informasi/lacak/{request.tracking_code}/$"))
    expect(page.locator("#kip-state")).to_have_text("Diputuskan")
    expect(page.locator("#kip-time-state")).to_have_text("Diputuskan tepat waktu")
    expect(page.locator("#kip-outcome")).to_have_text("Dikabulkan sebagian")
    expect(page.locator("#kip-exemption-ground")).to_have_text("h. mengungkap rahasia pribadi")
    expect(page.get_by_role("link", name=DOCUMENT)).to_be_visible()
    expect(page.locator("#kip-step-extended")).to_contain_text(REASON)
    expect(page.locator("#kip-step-decided")).to_contain_text(
        "Dasar pengecualian (Pasal 17): h. mengungkap rahasia pribadi"
    )
    expect_step(page, "extended", moment_text(request.extended_at))
    expect_step(page, "decided", moment_text(decision.decided_at))
    expect_deadline(page, "decision_due", decision_day)
    expect_deadline(page, "extended_due", extended_day)
    expect_deadline(page, "objection_window", objection_day)
    objection_section = page.locator("#kip-objection")
    expect(objection_section).to_contain_text(
        f"Anda dapat mengajukan keberatan kepada atasan PPID hingga {long_date(objection_day)}."
    )
    assert fits_the_phone(page)
    objection_section.get_by_label("a. penolakan berdasarkan alasan pengecualian (Pasal 17)").check()
    objection_section.get_by_label("Keberatan Anda").fill(OBJECTION)
    objection_section.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.get_by_role("status")).to_have_text(
        "Keberatan Anda telah diajukan. Atasan PPID wajib memberikan tanggapan secara tertulis."
    )
    objection = Objection.objects.get(request=request)
    assert objection.ground_list == ["a"] and objection.statement == OBJECTION
    answer_day = last_day(objection.filed_at, 30)
    assert same_day(objection.answer_due, answer_day)
    assert same_day(deadlines.objection_answer_due(kip_calendar(), objection.filed_at), answer_day)
    expect(page.locator("#kip-state")).to_have_text("Keberatan diajukan")
    expect(page.locator("#kip-step-objection")).to_contain_text(OBJECTION)
    expect(page.locator("#kip-step-objection")).to_contain_text("a. penolakan berdasarkan alasan pengecualian")
    expect_step(page, "objection", moment_text(objection.filed_at))
    expect_deadline(page, "objection_window", objection_day)
    expect_deadline(page, "objection_answer_due", answer_day)
    log_out(page)

    # 4. The atasan PPID answers the objection from /informasi/atasan/.
    log_in(page, atasan_ekasari)
    page.goto("/informasi/atasan/")
    expect(page.get_by_role("heading", name="Keberatan yang perlu ditanggapi")).to_be_visible()
    line = page.locator(f"#objection-{objection.pk}")
    expect(line).to_contain_text(number)
    expect(line).to_contain_text(long_date(answer_day))
    assert fits_the_phone(page)
    line.get_by_text("Tanggapi keberatan").click()
    line.get_by_label("Tanggapan atasan PPID").fill(ANSWER)
    line.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("status")).to_have_text("Tanggapan atas keberatan telah disimpan.")
    objection.refresh_from_db()
    assert objection.answer == ANSWER and objection.answered_at is not None
    answered = objection.answered_at.astimezone(WIB).date()
    expect(page.locator(f"#objection-{objection.pk}")).to_contain_text(
        f"Dijawab {answered.day} {BULAN_SINGKAT[answered.month - 1]} {answered.year}"
    )
    log_out(page)

    # 5. The citizen reads the answer, and the last day to go to the Information Commission.
    dispute_day = last_day(objection.answered_at, 14)
    assert same_day(deadlines.dispute_window_after_answer(kip_calendar(), objection.answered_at), dispute_day)
    log_in(page, warga_ekasari)
    page.goto("/informasi/saya/")
    page.get_by_role("link", name=number).click()
    expect(page.locator("#kip-state")).to_have_text("Keberatan dijawab")
    expect(page.locator("#kip-step-objection_answered")).to_contain_text("Atasan PPID memberikan tanggapan")
    expect(page.locator("#kip-step-objection_answered")).to_contain_text(ANSWER)
    expect_step(page, "objection_answered", moment_text(objection.answered_at))
    expect_deadline(page, "dispute_window", dispute_day)

    # Every date on the timeline, and nothing else: each one the law's.
    expect(page.locator(".kip-steps > li")).to_have_count(11)
    expect_step(page, "submitted", moment_text(request.submitted_at))
    expect_step(page, "received", moment_text(request.received_at))
    expect_step(page, "extended", moment_text(request.extended_at))
    expect_step(page, "decided", moment_text(decision.decided_at))
    expect_step(page, "objection", moment_text(objection.filed_at))
    expect_deadline(page, "decision_due", decision_day)
    expect_deadline(page, "extended_due", extended_day)
    expect_deadline(page, "objection_window", objection_day)
    expect_deadline(page, "objection_answer_due", answer_day)
    assert fits_the_phone(page)

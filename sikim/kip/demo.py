"""Demo data of information requests for `manage.py seed_demo` (after the offices, order 270).

Dinas Kominfo Kota Banjarbaru as a public body, answered by the Diskominfo PPID demo account of
the KIM registry. Pemerintah Desa Ekasari (Kabupaten Jembrana) as a public body: its PPID and its atasan PPID
(the perbekel) as new demo accounts, the KIP calendar settings as an editable row, three lines
of its Daftar Informasi Publik (the 2026 village budget, the budget realisation report, and the
exempted personal data of aid recipients), and one registered request from a citizen without an
account asking for the 2026 village budget.

Through the services (as the demo national admin and the new PPID); idempotent: accounts by
email, register entries by (body, title), the request by its requester and text. The demo
accounts of other apps are not touched.
"""

from typing import Final

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from sikim.accounts.models import Role, RoleGrant, User
from sikim.core.demo import DEMO_PASSWORD, DemoAccount, DemoSeedError, demo_seeder
from sikim.kip.models import AtasanPpid, CalendarSettings, InformationRequest, RegisterCategory, RegisterEntry
from sikim.kip.services.register import register_entry_save
from sikim.kip.services.requests import request_file
from sikim.kip.services.settings import atasan_appoint
from sikim.offices.models import GovernmentOffice

ADMIN_EMAIL: Final = "admin@demo.sikim.test"
KOMINFO_BODY_SLUG: Final = "diskominfo-kota-banjarbaru"
KOMINFO_PPID_EMAIL: Final = "ppid.diskominfo.banjarbaru@demo.sikim.test"  # the PPID account of sikim.kim.demo
BODY_SLUG: Final = "pemerintah-desa-ekasari"
EKASARI: Final = "51.01.04.2004"
PPID_EMAIL: Final = "ppid.desa.ekasari@demo.sikim.test"
ATASAN_EMAIL: Final = "perbekel.ekasari@demo.sikim.test"
DEMO_REQUESTER: Final = "I Made Artana"
DEMO_INFORMATION: Final = "Dokumen APBDes Desa Ekasari Tahun Anggaran 2026 beserta rinciannya."

ENTRIES: Final = (
    (
        RegisterCategory.BERKALA,
        "APBDes Desa Ekasari Tahun Anggaran 2026",
        "Anggaran Pendapatan dan Belanja Desa tahun 2026 sebagaimana ditetapkan dengan Peraturan Desa.",
        "",
        "",
    ),
    (
        RegisterCategory.BERKALA,
        "Laporan Realisasi APBDes Desa Ekasari Tahun 2025",
        "Laporan realisasi pelaksanaan APBDes tahun anggaran 2025.",
        "",
        "",
    ),
    (
        RegisterCategory.DIKECUALIKAN,
        "Data pribadi penerima bantuan langsung tunai Dana Desa",
        "",
        "h",
        "Memuat NIK, alamat dan keadaan ekonomi warga penerima bantuan; membukanya mengungkap rahasia pribadi "
        "(Pasal 17 huruf h UU 14/2008). Jumlah penerima dan besaran bantuan diumumkan secara berkala.",
    ),
)


def _ppid_grant(user: User, body: GovernmentOffice) -> None:
    RoleGrant.objects.get_or_create(
        user=user,
        role=Role.PPID,
        organisation_type=ContentType.objects.get_for_model(GovernmentOffice),
        organisation_id=body.pk,
        revoked_at=None,
    )


def _seed_kominfo_body() -> None:
    """The Diskominfo PPID of the KIM registry's demo also serves the office as a public body."""
    body = GovernmentOffice.objects.filter(slug=KOMINFO_BODY_SLUG).first()
    ppid = User.objects.filter(email=KOMINFO_PPID_EMAIL).first()
    if body is None or ppid is None:
        return
    _ppid_grant(ppid, body)
    title = "Rencana Strategis Diskominfo Kota Banjarbaru 2025-2029"
    if not RegisterEntry.objects.filter(body=body, title=title).exists():
        register_entry_save(
            actor=ppid,
            entry=RegisterEntry(
                body=body,
                category=RegisterCategory.BERKALA,
                title=title,
                summary="Renstra perangkat daerah: tujuan, sasaran, program dan indikator kinerja lima tahun.",
                year=2025,
                is_published=True,
            ),
        )


def _user(email: str, full_name: str, phone: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, phone=phone, home_region_id=EKASARI)
    return user


@demo_seeder(order=270)
def seed_kip() -> list[DemoAccount]:
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        raise DemoSeedError("The demo national admin is missing: the people seeder must run first.")
    body = GovernmentOffice.objects.filter(slug=BODY_SLUG).first()
    if body is None:
        return []
    CalendarSettings.objects.get_or_create(pk=CalendarSettings.SINGLETON_PK)
    _seed_kominfo_body()
    ppid = _user(PPID_EMAIL, "Ni Luh Putu Sukmawati", "+6281200000040")
    _ppid_grant(ppid, body)
    atasan = _user(ATASAN_EMAIL, "I Komang Adi Wirawan", "+6281200000041")
    if not AtasanPpid.objects.filter(body=body, user=atasan, revoked_at__isnull=True).exists():
        atasan_appoint(actor=admin, body=body, user=atasan, position="Perbekel Desa Ekasari")
    year = timezone.now().year
    for category, title, summary, ground, reason in ENTRIES:
        if RegisterEntry.objects.filter(body=body, title=title).exists():
            continue
        register_entry_save(
            actor=ppid,
            entry=RegisterEntry(
                body=body,
                category=category,
                title=title,
                summary=summary,
                exemption_ground=ground,
                exemption_reason=reason,
                year=year,
                is_published=True,
            ),
        )
    if not InformationRequest.objects.filter(body=body, requester_name=DEMO_REQUESTER).exists():
        request_file(
            actor=None,
            body=body,
            requester_name=DEMO_REQUESTER,
            requester_id_number="5101041203850001",
            requester_address="Banjar Ekasari, Desa Ekasari, Kecamatan Melaya, Jembrana",
            requester_phone="081338000123",
            information=DEMO_INFORMATION,
            purpose="Memantau penggunaan Dana Desa bersama KIM Desa Ekasari.",
            access_form="salinan",
            copy_format="softcopy",
            delivery="ambil",
        )
    return [
        DemoAccount(role=Role.PPID, label="PPID Pemerintah Desa Ekasari", login=PPID_EMAIL, password=DEMO_PASSWORD),
        DemoAccount(
            role=Role.WARGA,
            label="Atasan PPID Desa Ekasari (Perbekel; no role: an appointment in KIP)",
            login=ATASAN_EMAIL,
            password=DEMO_PASSWORD,
        ),
    ]

"""Demo data of the KIM registry for `manage.py seed_demo` (see sikim/core/demo.py).

Real places, offices and the two KIMs of the source documents, plus about twenty synthetic
KIMs over several provinces:

- Dinas Kominfo offices of Kota Banjarbaru, Kalimantan Selatan, Kabupaten Jembrana, Bali and
  a few more;
- KIM Guntung Paikat (Kelurahan Guntung Paikat, Kota Banjarbaru), formed on Friday 27 July 2018
  in a socialisation and formation meeting facilitated by Dinas Kominfo Kota Banjarbaru
  (domain/kim-guntung-paikat-pembentukan.txt), with its board, members and kelompok
  desiminasi, and demo accounts for its ketua and a member;
- the KIM of Desa Ekasari (Kecamatan Melaya, Kabupaten Jembrana), run by Kelompok Tani Kakao
  Merta Abadi (domain/kim-desa-ekasari.txt).

Everything goes through the services, acting as the demo national admin, so the demo data
has the same history, numbers and audit trail as real data. Idempotent: a KIM that exists
(same village and name) is left alone. Synthetic data is deterministic (fixed seed) and drawn
from the villages actually in the Region table, so it also works with a partial import.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from sikim.accounts.models import Role, RoleGrant, User
from sikim.core.demo import DEMO_PASSWORD, DemoAccount, DemoSeedError, demo_seeder
from sikim.kim.models import (
    BoardPositionKind,
    Kim,
    KimMember,
    KimStatus,
    MemberKind,
    OrganisationType,
    PembinaOffice,
    Sector,
)
from sikim.wilayah.models import Region, RegionLevel

DEMO_SEED: Final = 20180727
ADMIN_EMAIL: Final = "admin@demo.sikim.test"
GUNTUNG_PAIKAT: Final = "63.72.05.1004"
EKASARI: Final = "51.01.04.2004"
BANJARBARU_SELATAN: Final = "63.72.05"
BANJARBARU: Final = "63.72"

# Rough centres of the provinces (latitude, longitude), for synthetic map points with jitter.
PROVINCE_CENTROIDS: Final[dict[str, tuple[float, float]]] = {
    "11": (4.37, 96.75),
    "12": (2.19, 99.38),
    "13": (-0.74, 100.80),
    "14": (0.51, 101.80),
    "15": (-1.61, 103.61),
    "16": (-3.32, 104.91),
    "17": (-3.79, 102.26),
    "18": (-4.56, 105.41),
    "19": (-2.74, 106.44),
    "21": (0.92, 104.45),
    "31": (-6.20, 106.85),
    "32": (-6.89, 107.64),
    "33": (-7.15, 110.14),
    "34": (-7.88, 110.43),
    "35": (-7.54, 112.24),
    "36": (-6.41, 106.06),
    "51": (-8.41, 115.19),
    "52": (-8.65, 117.36),
    "53": (-8.66, 121.08),
    "61": (-0.28, 111.48),
    "62": (-1.68, 113.38),
    "63": (-3.09, 115.28),
    "64": (0.54, 116.42),
    "65": (3.07, 116.04),
    "71": (1.00, 124.40),
    "72": (-1.43, 121.45),
    "73": (-3.67, 119.97),
    "74": (-4.14, 122.17),
    "75": (0.70, 122.45),
    "76": (-2.84, 119.23),
    "81": (-3.24, 130.15),
    "82": (1.57, 127.81),
    "91": (-2.53, 139.50),
    "92": (-1.34, 133.17),
    "93": (-7.00, 139.50),
    "94": (-3.80, 136.50),
    "95": (-4.10, 138.90),
    "96": (-1.00, 131.50),
}
# Closer centres for the places the demo tells its stories in.
PLACE_CENTRES: Final[dict[str, tuple[float, float]]] = {
    "63.72": (-3.445, 114.815),
    "63.71": (-3.318, 114.592),
    "51.01": (-8.355, 114.640),
    "51.71": (-8.655, 115.216),
}
# Indonesia's box (the KIM model's check constraint), so a jittered point never falls outside it.
LAT_RANGE: Final = (-11.4, 6.4)
LNG_RANGE: Final = (94.6, 141.4)

FIRST_NAMES: Final = (
    "Ahmad", "Muhammad", "Siti", "Nur", "Dewi", "Rina", "Budi", "Agus", "Wahyu", "Sri", "Hendra", "Rizky",
    "Fitri", "Yusuf", "Putri", "Indah", "Made", "Nyoman", "Ketut", "Wayan", "Ayu", "Fajar", "Rahmat", "Lestari",
    "Bambang", "Ani", "Hasan", "Fauziah", "Syahrul", "Aulia", "Dian", "Eko", "Taufik", "Yuliana", "Arif", "Ratna",
)  # fmt: skip
LAST_NAMES: Final = (
    "Hidayat", "Saputra", "Rahmawati", "Wijaya", "Santoso", "Pratama", "Kurniawan", "Lestari", "Nugroho",
    "Halimah", "Fauzi", "Suarta", "Sudarsana", "Anwar", "Setiawan", "Maulana", "Permata", "Syahputra",
    "Ramadhan", "Safitri", "Hakim", "Gunawan", "Susanti", "Hartono", "Yulianti", "Noor", "Aminah", "Rusdi",
)  # fmt: skip
ORGANISATIONS: Final = (
    ("Kelompok Tani {v}", OrganisationType.KELOMPOK_TANI, Sector.PERTANIAN),
    ("Kelompok Wanita Tani {v}", OrganisationType.KELOMPOK_TANI, Sector.PERTANIAN),
    ("Kelompok Nelayan {v}", OrganisationType.NELAYAN, Sector.PERIKANAN),
    ("Karang Taruna {v}", OrganisationType.KARANG_TARUNA, Sector.SOSIAL_BUDAYA),
    ("PKK {v}", OrganisationType.PKK, Sector.KESEHATAN),
    ("Paguyuban UMKM {v}", OrganisationType.UMKM, Sector.UMKM),
)
OCCUPATIONS: Final = (
    ("Petani", Sector.PERTANIAN),
    ("Pekebun", Sector.PERKEBUNAN),
    ("Nelayan", Sector.PERIKANAN),
    ("Peternak", Sector.PETERNAKAN),
    ("Pedagang", Sector.UMKM),
    ("Guru", Sector.PENDIDIKAN),
    ("Bidan", Sector.KESEHATAN),
    ("Perangkat desa", Sector.PEMERINTAHAN),
    ("Mahasiswa", Sector.TEKNOLOGI),
    ("Pemandu wisata", Sector.PARIWISATA),
)
# Provinces the synthetic KIMs are spread over (those present in the Region table are used).
SYNTHETIC_PROVINCES: Final = ("63", "51", "35", "33", "32", "73", "61", "52")
SYNTHETIC_KIMS: Final = 20
# Status of each synthetic KIM, in order: mostly active, some at every other step.
SYNTHETIC_STATUSES: Final = (
    [KimStatus.AKTIF] * 12
    + [KimStatus.TERDAFTAR] * 3
    + [KimStatus.DIBENTUK] * 2
    + [KimStatus.TIDAK_AKTIF]
    + [KimStatus.DIUSULKAN] * 2
)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def jittered_point(rng: random.Random, code: str, spread: float = 0.5) -> tuple[Decimal, Decimal]:
    """A made-up point near the centre of `code`'s kabupaten/kota (if known) or province."""
    centre = PLACE_CENTRES.get(code[:5])
    if centre is None:
        centre, spread = PROVINCE_CENTROIDS.get(code[:2], (-2.5, 118.0)), spread
    else:
        spread = min(spread, 0.05)
    lat = min(max(centre[0] + rng.uniform(-spread, spread), LAT_RANGE[0]), LAT_RANGE[1])
    lng = min(max(centre[1] + rng.uniform(-spread, spread), LNG_RANGE[0]), LNG_RANGE[1])
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def demo_pdf(title: str) -> SimpleUploadedFile:
    """A tiny valid PDF standing in for a scanned decree."""
    text = title.encode("latin-1", "replace")[:80].replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 50 750 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return SimpleUploadedFile("sk.pdf", bytes(out), content_type="application/pdf")


# --- Offices --------------------------------------------------------------------------------

OFFICES: Final = (
    ("63", "dinas-kominfo-provinsi-kalimantan-selatan", "Dinas Komunikasi dan Informatika Provinsi Kalimantan Selatan"),
    ("63.72", "diskominfo-kota-banjarbaru", "Dinas Komunikasi dan Informatika Kota Banjarbaru"),
    ("63.71", "diskominfo-kota-banjarmasin", "Dinas Komunikasi dan Informatika Kota Banjarmasin"),
    ("51", "dinas-kominfo-provinsi-bali", "Dinas Komunikasi, Informatika dan Statistik Provinsi Bali"),
    ("51.01", "diskominfo-kab-jembrana", "Dinas Komunikasi dan Informatika Kabupaten Jembrana"),
    ("51.71", "diskominfo-kota-denpasar", "Dinas Komunikasi, Informatika dan Statistik Kota Denpasar"),
)


def _seed_offices(admin: User) -> None:
    from sikim.kim.services.offices import pembina_office_save

    present = set(Region.objects.filter(code__in=[code for code, _s, _n in OFFICES]).values_list("code", flat=True))
    existing = set(PembinaOffice.objects.values_list("region_id", flat=True))
    for code, slug, name in OFFICES:
        if code in present and code not in existing and not PembinaOffice.objects.filter(slug=slug).exists():
            pembina_office_save(actor=admin, office=PembinaOffice(region_id=code, slug=slug, name=name))
    # Every other province with synthetic KIMs gets its provincial office, so each KIM has a pembina.
    provinces = Region.objects.filter(code__in=SYNTHETIC_PROVINCES).exclude(code__in=existing)
    for province in provinces:
        if not PembinaOffice.objects.filter(region=province).exists():
            pembina_office_save(
                actor=admin,
                office=PembinaOffice(
                    region=province,
                    slug=f"dinas-kominfo-provinsi-{province.code}",
                    name=f"Dinas Komunikasi dan Informatika Provinsi {province.name}",
                ),
            )


# --- Building one KIM through the services --------------------------------------------------


@dataclass
class KimPlan:
    name: str
    village: str
    status: str
    about: str
    sectors: list[str]
    formed_on: date
    place: str
    facilitator_names: str
    attendees: int
    decree_number: str
    decree_issued_by: str
    minutes: str = ""
    run_by_group: str = ""
    point: tuple[Decimal, Decimal] | None = None
    address: str = ""
    people: Sequence[tuple[str, str, str]] | None = None  # (name, occupation, sector)
    organisations: Sequence[tuple[str, str, str]] | None = None  # (name, organisation_type, sector)
    board_starts_on: date | None = None
    groups: list[str] | None = None
    facilitators: Iterable[User] = ()


def _existing(plan: KimPlan) -> Kim | None:
    return Kim.objects.filter(region_id=plan.village, name=plan.name).exclude(status=KimStatus.DIBUBARKAN).first()


def build_kim(admin: User, plan: KimPlan, rng: random.Random) -> Kim:
    """Propose, form, register and run a KIM with the services, as the demo national admin."""
    from sikim.kim.services.board import PositionSpec, board_term_create
    from sikim.kim.services.groups import dissemination_group_create
    from sikim.kim.services.lifecycle import kim_change_status, kim_propose, kim_record_formation, kim_register
    from sikim.kim.services.members import member_add
    from sikim.kim.services.profile import kim_update_profile

    kim = kim_propose(
        actor=admin,
        name=plan.name,
        village=plan.village,
        about=plan.about,
        sectors=plan.sectors,
        run_by_group=plan.run_by_group,
    )
    if plan.point is not None or plan.address:
        point = plan.point or (None, None)
        kim = kim_update_profile(actor=admin, kim=kim, latitude=point[0], longitude=point[1], address=plan.address)
    if plan.status == KimStatus.DIUSULKAN:
        return kim
    kim_record_formation(
        actor=admin,
        kim=kim,
        held_on=plan.formed_on,
        place=plan.place,
        facilitators=list(plan.facilitators),
        facilitator_names=plan.facilitator_names,
        attendees_count=plan.attendees,
        minutes=plan.minutes,
        decree_number=plan.decree_number,
        decree_date=plan.formed_on,
        decree_issued_by=plan.decree_issued_by,
        decree_pdf=demo_pdf(f"SK {plan.decree_number} - {plan.name}"),
    )
    kim.refresh_from_db()

    members: list[KimMember] = []
    for index, (name, occupation, sector) in enumerate(plan.people or [], start=1):
        members.append(
            member_add(
                actor=admin,
                kim=kim,
                name=name,
                kind=MemberKind.PERSON,
                occupation=occupation,
                sector=sector,
                gender=rng.choice(["l", "p"]),
                age_group=rng.choice(["18_29", "30_44", "45_59", "60plus"]),
                phone=f"+62812{rng.randrange(10_000_000, 99_999_999)}" if index % 3 else None,
                consent_sms=bool(index % 2),
                joined_on=plan.formed_on,
            )
        )
    for name, organisation_type, sector in plan.organisations or []:
        members.append(
            member_add(
                actor=admin,
                kim=kim,
                name=name,
                kind=MemberKind.ORGANISATION,
                organisation_type=organisation_type,
                sector=sector,
                joined_on=plan.formed_on,
            )
        )
    people = [m for m in members if m.kind == MemberKind.PERSON]
    if plan.board_starts_on and len(people) >= 3:
        positions = [
            PositionSpec(position=BoardPositionKind.KETUA, member=people[0]),
            PositionSpec(position=BoardPositionKind.SEKRETARIS, member=people[1]),
            PositionSpec(position=BoardPositionKind.BENDAHARA, member=people[2]),
        ]
        sections = ["Diseminasi Informasi", "Literasi Digital", "Ekonomi Kreatif"]
        for member, section in zip(people[3:6], sections, strict=False):
            positions.append(PositionSpec(position=BoardPositionKind.SEKSI, member=member, section_name=section))
        board_term_create(actor=admin, kim=kim, starts_on=plan.board_starts_on, positions=positions)
    for number, group_name in enumerate(plan.groups or []):
        chunk = people[number :: max(len(plan.groups or []), 1)]
        if chunk:
            dissemination_group_create(actor=admin, kim=kim, name=group_name, coordinator=chunk[0], members=chunk)

    if plan.status in (KimStatus.TERDAFTAR, KimStatus.AKTIF, KimStatus.TIDAK_AKTIF):
        kim_register(actor=admin, kim=kim)
    if plan.status in (KimStatus.AKTIF, KimStatus.TIDAK_AKTIF):
        kim_change_status(actor=admin, kim=kim, to_status=KimStatus.AKTIF, note="")
    if plan.status == KimStatus.TIDAK_AKTIF:
        kim_change_status(
            actor=admin, kim=kim, to_status=KimStatus.TIDAK_AKTIF, note="Tidak ada kegiatan selama satu tahun."
        )
    kim.refresh_from_db()
    return kim


# --- The two KIMs of the source documents ---------------------------------------------------


def guntung_paikat_plan() -> KimPlan:
    return KimPlan(
        name="KIM Guntung Paikat",
        village=GUNTUNG_PAIKAT,
        status=KimStatus.AKTIF,
        about=(
            "Kelompok Informasi Masyarakat Kelurahan Guntung Paikat, Kecamatan Banjarbaru Selatan, Kota "
            "Banjarbaru. Dibentuk pada Jumat, 27 Juli 2018 dalam kegiatan sosialisasi dan pembentukan KIM "
            "yang difasilitasi Dinas Kominfo Kota Banjarbaru.\n\n"
            "Tujuan KIM: mitra pemerintah dalam penyebarluasan, sosialisasi dan diseminasi informasi "
            "pembangunan kepada masyarakat; mediator komunikasi dan informasi pemerintahan dan pembangunan "
            "secara timbal balik dan berkesinambungan; forum media untuk pelayanan komunikasi dan informasi."
        ),
        sectors=[Sector.PEMERINTAHAN, Sector.UMKM, Sector.TEKNOLOGI, Sector.SOSIAL_BUDAYA],
        formed_on=date(2018, 7, 27),
        place="Kelurahan Guntung Paikat, Kecamatan Banjarbaru Selatan, Kota Banjarbaru",
        facilitator_names=(
            "M. Noor Ifansyah, SP, MAP (Kabid Komunikasi dan Informasi Publik, Dinas Kominfo Kota Banjarbaru); "
            "Kasi Dinas Kominfo Kota Banjarbaru; Tim Pembentuk dan Pembina KIM Kota Banjarbaru"
        ),
        attendees=35,
        minutes=(
            "Sosialisasi dan pembentukan Kelompok Informasi Masyarakat (KIM) Kelurahan Guntung Paikat, "
            "Jumat 27 Juli 2018. Dinas Kominfo Kota Banjarbaru, dihadiri Kabid Komunikasi dan Informasi Publik "
            "Bapak M. Noor Ifansyah, SP, MAP beserta Kasi, bersama Tim Pembentuk dan Pembina KIM Kota "
            "Banjarbaru, memfasilitasi Kelurahan Guntung Paikat dalam pembentukan KIM. "
            "(Demo: jumlah peserta dan nomor SK adalah contoh.)"
        ),
        decree_number="01/KIM-GP/VII/2018",
        decree_issued_by="Lurah Guntung Paikat",
        point=(Decimal("-3.458300"), Decimal("114.834700")),
        address="Kelurahan Guntung Paikat, Kecamatan Banjarbaru Selatan, Kota Banjarbaru",
        people=[
            ("Ahmad Fauzi", "Wiraswasta", Sector.UMKM),
            ("Nur Halimah", "Guru", Sector.PENDIDIKAN),
            ("Syahrul Anwar", "Pegawai swasta", Sector.TEKNOLOGI),
            ("Rina Susanti", "Pedagang", Sector.UMKM),
            ("Muhammad Rusdi", "Perangkat kelurahan", Sector.PEMERINTAHAN),
            ("Aulia Rahmawati", "Mahasiswa", Sector.TEKNOLOGI),
            ("Hasan Noor", "Petani", Sector.PERTANIAN),
            ("Fitri Safitri", "Bidan", Sector.KESEHATAN),
            ("Taufik Hidayat", "Pedagang", Sector.UMKM),
            ("Dian Permata", "Ibu rumah tangga", Sector.SOSIAL_BUDAYA),
            ("Rizky Ramadhan", "Mahasiswa", Sector.TEKNOLOGI),
            ("Siti Aminah", "Pedagang", Sector.UMKM),
        ],
        organisations=[
            ("Karang Taruna Kelurahan Guntung Paikat", OrganisationType.KARANG_TARUNA, Sector.SOSIAL_BUDAYA),
            ("PKK Kelurahan Guntung Paikat", OrganisationType.PKK, Sector.KESEHATAN),
            ("Paguyuban UMKM Guntung Paikat", OrganisationType.UMKM, Sector.UMKM),
        ],
        board_starts_on=date(2023, 8, 1),
        groups=["Kelompok Desiminasi RW 01", "Kelompok Desiminasi RW 02", "Kelompok Desiminasi RW 03"],
    )


def ekasari_plan() -> KimPlan:
    return KimPlan(
        name="KIM Desa Ekasari",
        village=EKASARI,
        status=KimStatus.AKTIF,
        about=(
            "Selain menjadi Kelompok Tani Kakao, Kelompok Tani Kakao Merta Abadi juga menjadi Kelompok "
            "Informasi Masyarakat di Desa Ekasari, Kecamatan Melaya, Kabupaten Jembrana."
        ),
        sectors=[Sector.PERKEBUNAN, Sector.PERTANIAN, Sector.UMKM],
        run_by_group="Kelompok Tani Kakao Merta Abadi",
        formed_on=date(2023, 9, 25),
        place="Desa Ekasari, Kecamatan Melaya, Kabupaten Jembrana",
        facilitator_names="Dinas Komunikasi dan Informatika Kabupaten Jembrana",
        attendees=25,
        minutes="(Demo: tanggal pembentukan, jumlah peserta dan nomor SK adalah contoh; sumber bertanggal 25 "
        "September 2023.)",
        decree_number="02/KIM-EKS/IX/2023",
        decree_issued_by="Perbekel Desa Ekasari",
        point=(Decimal("-8.268000"), Decimal("114.522000")),
        people=[
            ("I Ketut Suarta", "Pekebun kakao", Sector.PERKEBUNAN),
            ("Ni Made Ayu Lestari", "Pekebun kakao", Sector.PERKEBUNAN),
            ("I Wayan Sudarsana", "Petani", Sector.PERTANIAN),
            ("I Nyoman Gunawan", "Pekebun kakao", Sector.PERKEBUNAN),
            ("Ni Ketut Yuliani", "Pedagang", Sector.UMKM),
            ("I Made Wijaya", "Perangkat desa", Sector.PEMERINTAHAN),
        ],
        organisations=[("Kelompok Tani Kakao Merta Abadi", OrganisationType.KELOMPOK_TANI, Sector.PERKEBUNAN)],
        board_starts_on=date(2023, 10, 1),
        groups=["Kelompok Desiminasi Banjar Ekasari"],
    )


# --- Synthetic KIMs -------------------------------------------------------------------------


def _synthetic_villages(rng: random.Random) -> list[Region]:
    """Villages for the synthetic KIMs: some in Kota Banjarbaru (for its forums), the rest spread."""
    taken = {GUNTUNG_PAIKAT, EKASARI}
    chosen: list[Region] = []

    def pick(prefix: str, count: int) -> None:
        villages = list(
            Region.objects.filter(level=RegionLevel.DESA_KELURAHAN, code__startswith=f"{prefix}.")
            .exclude(code__in=taken)
            .order_by("code")
            .only("code", "name", "parent_path")
        )
        for village in rng.sample(villages, min(count, len(villages))):
            taken.add(village.code)
            chosen.append(village)

    pick(BANJARBARU_SELATAN, 3)
    pick(BANJARBARU, 3)
    provinces = [p for p in SYNTHETIC_PROVINCES if Region.objects.filter(code=p).exists()]
    remaining = SYNTHETIC_KIMS - len(chosen)
    for index in range(remaining):
        pick(provinces[index % len(provinces)], 1)
    return chosen[:SYNTHETIC_KIMS]


def synthetic_plan(rng: random.Random, village: Region, status: str) -> KimPlan:
    formed_on = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 5 * 365))
    kabupaten = village.parent_path.split(", ")[1] if village.parent_path.count(", ") >= 1 else village.parent_path
    sectors = rng.sample([s.value for s in Sector if s != Sector.LAINNYA], k=rng.randint(1, 3))
    people = []
    for _index in range(rng.randint(6, 14)):
        occupation, sector = rng.choice(OCCUPATIONS)
        people.append((person_name(rng), occupation, sector))
    organisations = []
    for template, organisation_type, sector in rng.sample(ORGANISATIONS, k=rng.randint(0, 2)):
        organisations.append((template.format(v=village.name), organisation_type, sector))
    kind = "Kelurahan" if village.kind == "kelurahan" else "Desa"
    return KimPlan(
        name=f"KIM {village.name}",
        village=village.code,
        status=status,
        about=(
            f"Kelompok Informasi Masyarakat {kind} {village.name}, {village.parent_path}. "
            "Menyebarkan informasi pembangunan kepada warga, menampung aspirasi, dan menggerakkan literasi digital. "
            "(Data demo.)"
        ),
        sectors=sectors,
        formed_on=formed_on,
        place=f"Balai {kind} {village.name}",
        facilitator_names=f"Dinas Komunikasi dan Informatika {kabupaten}",
        attendees=rng.randint(15, 60),
        decree_number=f"{rng.randint(1, 99):02d}/KIM/{formed_on.year}",
        decree_issued_by=f"{'Lurah' if kind == 'Kelurahan' else 'Kepala Desa'} {village.name}",
        point=jittered_point(rng, village.code) if rng.random() < 0.85 else None,
        people=people,
        organisations=organisations,
        board_starts_on=formed_on + timedelta(days=30),
        groups=[f"Kelompok Desiminasi Dusun {n}" for n in range(1, rng.randint(1, 3) + 1)],
    )


# --- The seeder -----------------------------------------------------------------------------

KETUA_EMAIL: Final = "ketua.guntungpaikat@demo.sikim.test"
ANGGOTA_EMAIL: Final = "anggota.guntungpaikat@demo.sikim.test"
# Dinas Kominfo Kota Banjarbaru is itself an office (OPD) that answers aspirations and a public
# body with a PPID: until the aspiration and information-request apps add their own offices and
# public bodies, these two demo accounts act for it.
PETUGAS_EMAIL: Final = "petugas.diskominfo.banjarbaru@demo.sikim.test"
PPID_EMAIL: Final = "ppid.diskominfo.banjarbaru@demo.sikim.test"


def _demo_user(email: str, full_name: str, phone: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, full_name=full_name, phone=phone, home_region_id=GUNTUNG_PAIKAT
        )
    return user


def _kim_grant(user: User, role: str, kim: Kim) -> None:
    kim_type = ContentType.objects.get_for_model(Kim)
    RoleGrant.objects.get_or_create(
        user=user, role=role, organisation_type=kim_type, organisation_id=kim.pk, revoked_at=None
    )


def _office_grant(user: User, role: str, office: PembinaOffice) -> None:
    office_type = ContentType.objects.get_for_model(PembinaOffice)
    RoleGrant.objects.get_or_create(
        user=user, role=role, organisation_type=office_type, organisation_id=office.pk, revoked_at=None
    )


def _link_member(kim: Kim, name: str, user: User) -> None:
    KimMember.objects.filter(kim=kim, name=name, user__isnull=True).update(user=user)


@demo_seeder(order=200)
def seed_kims() -> list[DemoAccount]:
    needed = [GUNTUNG_PAIKAT, EKASARI]
    if Region.objects.filter(code__in=needed).count() < len(needed):
        raise DemoSeedError(
            f"Regions {', '.join(needed)} are not in the database. Load the region tree first: "
            "python manage.py import_wilayah"
        )
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        raise DemoSeedError("The demo national admin is missing: the people seeder must run first.")
    rng = random.Random(DEMO_SEED)  # noqa: S311 - deterministic demo data, not security
    _seed_offices(admin)

    plans = [guntung_paikat_plan(), ekasari_plan()]
    villages = _synthetic_villages(rng)
    plans += [
        synthetic_plan(rng, village, status) for village, status in zip(villages, SYNTHETIC_STATUSES, strict=False)
    ]
    for plan in plans:
        # Every plan draws its own random stream, so skipping an existing KIM changes no other.
        if _existing(plan) is None:
            build_kim(admin, plan, random.Random(f"{DEMO_SEED}-{plan.village}"))  # noqa: S311

    guntung_paikat = Kim.objects.get(region_id=GUNTUNG_PAIKAT, name="KIM Guntung Paikat")
    ketua = _demo_user(KETUA_EMAIL, "Ahmad Fauzi", "+6281200000006")
    anggota = _demo_user(ANGGOTA_EMAIL, "Nur Halimah", "+6281200000007")
    _kim_grant(ketua, Role.PENGURUS_KIM, guntung_paikat)
    _kim_grant(anggota, Role.ANGGOTA_KIM, guntung_paikat)
    _link_member(guntung_paikat, "Ahmad Fauzi", ketua)
    _link_member(guntung_paikat, "Nur Halimah", anggota)
    office = PembinaOffice.objects.get(region_id=BANJARBARU)
    petugas = _demo_user(PETUGAS_EMAIL, "Rina Wulandari", "+6281200000008")
    ppid = _demo_user(PPID_EMAIL, "Hendra Saputra", "+6281200000009")
    _office_grant(petugas, Role.PETUGAS_INSTANSI, office)
    _office_grant(ppid, Role.PPID, office)
    return [
        DemoAccount(
            role=Role.PETUGAS_INSTANSI,
            label="Petugas Diskominfo Kota Banjarbaru",
            login=PETUGAS_EMAIL,
            password=DEMO_PASSWORD,
        ),
        DemoAccount(role=Role.PPID, label="PPID Diskominfo Kota Banjarbaru", login=PPID_EMAIL, password=DEMO_PASSWORD),
        DemoAccount(
            role=Role.PENGURUS_KIM, label="Ketua KIM Guntung Paikat", login=KETUA_EMAIL, password=DEMO_PASSWORD
        ),
        DemoAccount(
            role=Role.ANGGOTA_KIM, label="Anggota KIM Guntung Paikat", login=ANGGOTA_EMAIL, password=DEMO_PASSWORD
        ),
    ]

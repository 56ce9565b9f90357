"""Demo aspirations for `manage.py seed_demo` (after the offices, order 260).

Routing rules for Kota Banjarbaru and Kabupaten Jembrana (by category, a kecamatan rule for
population records, a fallback for Kelurahan Guntung Paikat), the national service level
(3, 5 and 10 working days) as an editable row, and three aspirations of Guntung Paikat at
different steps: a damaged road answered by Dinas PUPR, a waste problem waiting for the KIM,
and a confidential population-records case with the kecamatan.

Through the services (as the demo citizen, the ketua of KIM Guntung Paikat and the PUPR
officer); idempotent: rules by (region, category, office), aspirations by their demo message id.
"""

from dataclasses import dataclass
from typing import Final

from sikim.accounts.models import User
from sikim.aspirations.models import Aspiration, Category, IntakeChannel, RoutingRule, ServiceLevel, Visibility
from sikim.aspirations.services.routing import routing_rule_save, service_level_save
from sikim.aspirations.services.submission import aspiration_submit
from sikim.aspirations.services.workflow import aspiration_answer, aspiration_follow_up, aspiration_verify
from sikim.core.demo import DemoAccount, DemoSeedError, demo_seeder
from sikim.kim.models import Kim
from sikim.offices.models import GovernmentOffice
from sikim.wilayah.models import Region

ADMIN_EMAIL: Final = "admin@demo.sikim.test"
CITIZEN_EMAIL: Final = "warga.guntungpaikat@demo.sikim.test"
KETUA_EMAIL: Final = "ketua.guntungpaikat@demo.sikim.test"
PUPR_OFFICER_EMAIL: Final = "petugas.pupr.banjarbaru@demo.sikim.test"
GUNTUNG_PAIKAT: Final = "63.72.05.1004"

# (region, category or "" for any, office slug)
RULES: Final = (
    ("63", Category.INFRASTRUKTUR, "dinas-pupr-provinsi-kalimantan-selatan"),
    ("63.72", Category.INFRASTRUKTUR, "dinas-pupr-kota-banjarbaru"),
    ("63.72", Category.TRANSPORTASI, "dinas-perhubungan-kota-banjarbaru"),
    ("63.72", Category.KESEHATAN, "dinas-kesehatan-kota-banjarbaru"),
    ("63.72", Category.LINGKUNGAN, "dinas-lingkungan-hidup-kota-banjarbaru"),
    ("63.72", Category.ADMINDUK, "disdukcapil-kota-banjarbaru"),
    ("63.72.05", Category.ADMINDUK, "kecamatan-banjarbaru-selatan"),
    ("63.72", Category.PENDIDIKAN, "dinas-pendidikan-kota-banjarbaru"),
    ("63.72", Category.AIR_LISTRIK, "perumda-air-minum-intan-banjar"),
    ("63.72.05.1004", "", "kelurahan-guntung-paikat"),
    ("51.01", Category.INFRASTRUKTUR, "dinas-puprpkp-kabupaten-jembrana"),
    ("51.01", Category.KESEHATAN, "dinas-kesehatan-kabupaten-jembrana"),
    ("51.01", Category.LINGKUNGAN, "dinas-lingkungan-hidup-kabupaten-jembrana"),
    ("51.01", Category.PERTANIAN, "dinas-pertanian-dan-pangan-kabupaten-jembrana"),
)


@dataclass(frozen=True)
class DemoAspiration:
    ref: str
    category: str
    visibility: str
    title: str
    text: str
    steps: tuple[str, ...]  # "verify", "follow_up", "answer"


ASPIRATIONS: Final = (
    DemoAspiration(
        "demo-aspirasi-1",
        Category.INFRASTRUKTUR,
        Visibility.PUBLIC,
        "Jalan berlubang di Jl. Guntung Paikat dekat SDN Guntung Paikat",
        "Jalan di depan SDN Guntung Paikat berlubang besar sejak musim hujan. Beberapa pengendara motor "
        "sudah jatuh, terutama malam hari karena lampu jalan juga mati. Mohon segera diperbaiki.",
        ("verify", "follow_up", "answer"),
    ),
    DemoAspiration(
        "demo-aspirasi-2",
        Category.LINGKUNGAN,
        Visibility.PUBLIC_ANONYMOUS,
        "Sampah menumpuk di TPS dekat pasar",
        "Sampah di TPS dekat pasar tidak diangkut sudah seminggu dan mulai berbau. Mohon jadwal pengangkutan ditambah.",
        (),
    ),
    DemoAspiration(
        "demo-aspirasi-3",
        Category.ADMINDUK,
        Visibility.CONFIDENTIAL,
        "KTP elektronik belum jadi setelah tiga bulan",
        "Saya merekam KTP elektronik tiga bulan lalu di kecamatan tetapi sampai sekarang belum jadi.",
        ("verify",),
    ),
)


def _user(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        raise DemoSeedError(f"The demo account {email} is missing: the earlier seeders must run first.")
    return user


def _seed_rules(admin: User) -> None:
    offices = {office.slug: office for office in GovernmentOffice.objects.filter(slug__in={r[2] for r in RULES})}
    regions = set(Region.objects.filter(code__in={r[0] for r in RULES}).values_list("code", flat=True))
    for region, category, slug in RULES:
        office = offices.get(slug)
        if office is None or region not in regions:
            continue
        if not RoutingRule.objects.filter(region_id=region, category=category, office=office).exists():
            routing_rule_save(actor=admin, rule=RoutingRule(region_id=region, category=category, office=office))


@demo_seeder(order=260)
def seed_aspirations() -> list[DemoAccount]:
    admin = _user(ADMIN_EMAIL)
    if not ServiceLevel.objects.filter(region__isnull=True).exists():
        service_level_save(actor=admin, level=ServiceLevel())
    _seed_rules(admin)
    kim = Kim.objects.filter(region_id=GUNTUNG_PAIKAT, name="KIM Guntung Paikat").first()
    if kim is None:
        return []
    citizen, ketua, officer = _user(CITIZEN_EMAIL), _user(KETUA_EMAIL), _user(PUPR_OFFICER_EMAIL)
    for plan in ASPIRATIONS:
        if Aspiration.objects.filter(channel=IntakeChannel.WEB, source_ref=plan.ref).exists():
            continue
        aspiration = aspiration_submit(
            actor=citizen,
            region=GUNTUNG_PAIKAT,
            kim=kim,
            category=plan.category,
            visibility=plan.visibility,
            title=plan.title,
            text=plan.text,
            source_ref=plan.ref,
        )
        if "verify" in plan.steps:
            aspiration_verify(actor=ketua, aspiration=aspiration)
        if "follow_up" in plan.steps:
            aspiration_follow_up(
                actor=officer,
                aspiration=aspiration,
                note="Tim Dinas PUPR sudah meninjau lokasi; perbaikan dijadwalkan minggu depan.",
            )
        if "answer" in plan.steps:
            aspiration_answer(
                actor=officer,
                aspiration=aspiration,
                answer="Lubang jalan di depan SDN Guntung Paikat sudah ditambal dan lampu jalan sudah diganti. "
                "Terima kasih atas laporannya.",
            )
    return []

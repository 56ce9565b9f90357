"""Demo government offices for `manage.py seed_demo` (after the KIM demo data, order 250).

Offices (OPD) of Kota Banjarbaru and Kabupaten Jembrana that answer aspirations, a provincial
office of Kalimantan Selatan, the kecamatan office of Banjarbaru Selatan and the kelurahan office
of Guntung Paikat, and the village government of Desa Ekasari (Jembrana), a public body for
information requests; an officer (petugas instansi) for Dinas PUPR Kota Banjarbaru and for Dinas
PUPRPKP Kabupaten Jembrana. Contacts are demo addresses, not the offices' real ones.

Through the services, as the demo national admin; idempotent (an office that exists, by slug,
is left alone). The demo accounts of other apps and their grants are not touched.
"""

from dataclasses import dataclass
from typing import Final

from django.contrib.contenttypes.models import ContentType

from sikim.accounts.models import Role, RoleGrant, User
from sikim.core.demo import DEMO_PASSWORD, DemoAccount, DemoSeedError, demo_seeder
from sikim.offices.models import GovernmentOffice, OfficeKind
from sikim.offices.services import office_save
from sikim.wilayah.models import Region

ADMIN_EMAIL: Final = "admin@demo.sikim.test"


@dataclass(frozen=True)
class OfficePlan:
    slug: str
    name: str
    short_name: str
    kind: str
    region: str
    address: str = ""


OFFICES: Final = (
    OfficePlan(
        "dinas-pupr-kota-banjarbaru",
        "Dinas Pekerjaan Umum dan Penataan Ruang Kota Banjarbaru",
        "Dinas PUPR Kota Banjarbaru",
        OfficeKind.DINAS,
        "63.72",
        "Jl. Pangeran Suriansyah No. 5, Banjarbaru",
    ),
    OfficePlan(
        "dinas-kesehatan-kota-banjarbaru",
        "Dinas Kesehatan Kota Banjarbaru",
        "Dinkes Kota Banjarbaru",
        OfficeKind.DINAS,
        "63.72",
    ),
    OfficePlan(
        "dinas-lingkungan-hidup-kota-banjarbaru",
        "Dinas Lingkungan Hidup Kota Banjarbaru",
        "DLH Kota Banjarbaru",
        OfficeKind.DINAS,
        "63.72",
    ),
    # The Dinas Kominfo is a public body too: its PPID answers information requests (sikim.kip).
    OfficePlan(
        "diskominfo-kota-banjarbaru",
        "Dinas Komunikasi dan Informatika Kota Banjarbaru",
        "Diskominfo Kota Banjarbaru",
        OfficeKind.DINAS,
        "63.72",
    ),
    OfficePlan(
        "dinas-perhubungan-kota-banjarbaru",
        "Dinas Perhubungan Kota Banjarbaru",
        "Dishub Kota Banjarbaru",
        OfficeKind.DINAS,
        "63.72",
    ),
    OfficePlan(
        "disdukcapil-kota-banjarbaru",
        "Dinas Kependudukan dan Pencatatan Sipil Kota Banjarbaru",
        "Disdukcapil Kota Banjarbaru",
        OfficeKind.DINAS,
        "63.72",
    ),
    OfficePlan(
        "dinas-pendidikan-kota-banjarbaru",
        "Dinas Pendidikan Kota Banjarbaru",
        "Disdik Kota Banjarbaru",
        OfficeKind.DINAS,
        "63.72",
    ),
    OfficePlan(
        "perumda-air-minum-intan-banjar",
        "Perumda Air Minum Intan Banjar",
        "PDAM Intan Banjar",
        OfficeKind.BUMD,
        "63.72",
    ),
    OfficePlan(
        "kantor-pertanahan-kota-banjarbaru",
        "Kantor Pertanahan Kota Banjarbaru",
        "BPN Kota Banjarbaru",
        OfficeKind.INSTANSI_VERTIKAL,
        "63.72",
    ),
    OfficePlan(
        "kecamatan-banjarbaru-selatan",
        "Kantor Kecamatan Banjarbaru Selatan",
        "Kecamatan Banjarbaru Selatan",
        OfficeKind.KECAMATAN,
        "63.72.05",
    ),
    OfficePlan(
        "kelurahan-guntung-paikat",
        "Kantor Kelurahan Guntung Paikat",
        "Kelurahan Guntung Paikat",
        OfficeKind.KELURAHAN,
        "63.72.05.1004",
    ),
    OfficePlan(
        "dinas-pupr-provinsi-kalimantan-selatan",
        "Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Selatan",
        "Dinas PUPR Provinsi Kalsel",
        OfficeKind.DINAS,
        "63",
    ),
    OfficePlan(
        "dinas-puprpkp-kabupaten-jembrana",
        "Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman Kabupaten Jembrana",
        "Dinas PUPRPKP Jembrana",
        OfficeKind.DINAS,
        "51.01",
        "Jl. Surapati, Negara, Jembrana",
    ),
    OfficePlan(
        "dinas-kesehatan-kabupaten-jembrana",
        "Dinas Kesehatan Kabupaten Jembrana",
        "Dinkes Jembrana",
        OfficeKind.DINAS,
        "51.01",
    ),
    OfficePlan(
        "dinas-lingkungan-hidup-kabupaten-jembrana",
        "Dinas Lingkungan Hidup Kabupaten Jembrana",
        "DLH Jembrana",
        OfficeKind.DINAS,
        "51.01",
    ),
    OfficePlan(
        "dinas-pertanian-dan-pangan-kabupaten-jembrana",
        "Dinas Pertanian dan Pangan Kabupaten Jembrana",
        "Distanpan Jembrana",
        OfficeKind.DINAS,
        "51.01",
    ),
    # A village government as a public body (badan publik) of information requests (sikim.kip).
    OfficePlan(
        "pemerintah-desa-ekasari",
        "Pemerintah Desa Ekasari",
        "Pemdes Ekasari",
        OfficeKind.DESA,
        "51.01.04.2004",
        "Kantor Perbekel Desa Ekasari, Kecamatan Melaya, Jembrana",
    ),
)


@dataclass(frozen=True)
class OfficerPlan:
    email: str
    full_name: str
    phone: str
    office_slug: str
    label: str
    home_region: str


OFFICERS: Final = (
    OfficerPlan(
        "petugas.pupr.banjarbaru@demo.sikim.test",
        "Muhammad Rizky Pratama",
        "+6281200000020",
        "dinas-pupr-kota-banjarbaru",
        "Petugas Dinas PUPR Kota Banjarbaru",
        "63.72.05.1004",
    ),
    OfficerPlan(
        "petugas.pupr.jembrana@demo.sikim.test",
        "I Gede Wirawan",
        "+6281200000021",
        "dinas-puprpkp-kabupaten-jembrana",
        "Petugas Dinas PUPRPKP Kabupaten Jembrana",
        "51.01.04.2004",
    ),
)


def _officer(plan: OfficerPlan, office: GovernmentOffice) -> User:
    user = User.objects.filter(email=plan.email).first()
    if user is None:
        user = User.objects.create_user(
            plan.email, DEMO_PASSWORD, full_name=plan.full_name, phone=plan.phone, home_region_id=plan.home_region
        )
    RoleGrant.objects.get_or_create(
        user=user,
        role=Role.PETUGAS_INSTANSI,
        organisation_type=ContentType.objects.get_for_model(GovernmentOffice),
        organisation_id=office.pk,
        revoked_at=None,
    )
    return user


@demo_seeder(order=250)
def seed_offices() -> list[DemoAccount]:
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        raise DemoSeedError("The demo national admin is missing: the people seeder must run first.")
    present = set(Region.objects.filter(code__in={plan.region for plan in OFFICES}).values_list("code", flat=True))
    existing = set(GovernmentOffice.objects.values_list("slug", flat=True))
    for plan in OFFICES:
        if plan.slug in existing or plan.region not in present:
            continue
        office_save(
            actor=admin,
            office=GovernmentOffice(
                slug=plan.slug,
                name=plan.name,
                short_name=plan.short_name,
                kind=plan.kind,
                region_id=plan.region,
                address=plan.address,
                email=f"{plan.slug[:40]}@demo.sikim.test",
            ),
        )
    accounts = []
    for officer in OFFICERS:
        office = GovernmentOffice.objects.filter(slug=officer.office_slug).first()
        if office is None:
            continue
        _officer(officer, office)
        accounts.append(
            DemoAccount(role=Role.PETUGAS_INSTANSI, label=officer.label, login=officer.email, password=DEMO_PASSWORD)
        )
    return accounts

"""Demo bulletins for `manage.py seed_demo`: one from Dinas Kominfo Kota Banjarbaru to the whole
city (it lands in every KIM inbox there) and one from KIM Guntung Paikat to its own members, so
the feeds, the inbox and the reach pages have something to show (after the KIMs, order 320).

Through the services, as the demo pembina and ketua; idempotent (a bulletin with the same title
from the same publisher is not made again). Without channel credentials the messages are marked
"channel not configured" (email goes to the console), which the reach page shows as it is.
"""

import contextlib
from typing import Final

from django.core.exceptions import ValidationError

from sikim.accounts.models import User
from sikim.core.demo import DemoAccount, demo_seeder
from sikim.dissemination.models import Bulletin, BulletinCategory, Priority
from sikim.dissemination.services.bulletins import bulletin_create, bulletin_publish
from sikim.kim.models import Kim, PembinaOffice

PEMBINA_EMAIL: Final = "pembina.banjarbaru@demo.sikim.test"
KETUA_EMAIL: Final = "ketua.guntungpaikat@demo.sikim.test"

CITY_BULLETIN: Final = {
    "title": "Jadwal Posyandu Balita dan Imunisasi, Desember 2026",
    "category": BulletinCategory.KESEHATAN,
    "priority": Priority.NORMAL,
    "body_markdown": (
        "Dinas Kesehatan Kota Banjarbaru mengingatkan: **posyandu balita** buka setiap Sabtu pekan kedua "
        "pukul 08.00–11.00 WITA di posyandu kelurahan masing-masing.\n\n"
        "- Bawa buku KIA dan kartu imunisasi.\n"
        "- Imunisasi lanjutan (booster) untuk anak usia 18 bulan.\n"
        "- Pemberian vitamin A bagi balita 6–59 bulan.\n\n"
        "Informasi: puskesmas terdekat."
    ),
}
KIM_BULLETIN: Final = {
    "title": "Kerja bakti membersihkan saluran air, Minggu pagi",
    "category": BulletinCategory.SOSIAL_BUDAYA,
    "priority": Priority.NORMAL,
    "body_markdown": (
        "Menjelang musim hujan, warga Guntung Paikat diajak **kerja bakti** membersihkan saluran air "
        "di sepanjang Jalan Guntung Paikat, Minggu pukul 07.00 WITA. Kumpul di balai kelurahan; bawa "
        "cangkul dan karung."
    ),
}


@demo_seeder(order=320)
def seed_bulletins() -> list[DemoAccount]:
    pembina = User.objects.filter(email=PEMBINA_EMAIL).first()
    office = PembinaOffice.objects.filter(region_id="63.72").first()
    if pembina is not None and office is not None:
        _publish_once(pembina, office, CITY_BULLETIN, regions=["63.72"])
    ketua = User.objects.filter(email=KETUA_EMAIL).first()
    kim = Kim.objects.filter(slug="kim-guntung-paikat").first()
    if ketua is not None and kim is not None and kim.members.filter(is_active=True).exists():
        _publish_once(ketua, kim, KIM_BULLETIN, kims=[kim])
    return []


def _publish_once(actor: User, publisher: PembinaOffice | Kim, spec: dict, **targets: object) -> None:
    publisher_field = "pembina_office" if isinstance(publisher, PembinaOffice) else "kim"
    if Bulletin.objects.filter(title=spec["title"], **{publisher_field: publisher}).exists():
        return
    bulletin = bulletin_create(actor=actor, publisher=publisher, **spec, **targets)  # type: ignore[arg-type]
    # Nobody to reach in this demo data (e.g. no members yet): it stays a draft to look at.
    with contextlib.suppress(ValidationError):
        bulletin_publish(actor=actor, bulletin=bulletin)

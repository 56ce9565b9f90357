"""Demo Forum KIM for `manage.py seed_demo`: Forum KIM Kota Banjarbaru and Forum KIM Kecamatan
Banjarbaru Selatan, with the demo KIMs of their regions (after the KIM demo data, order 200).

Through the services, as the demo national admin; idempotent (a forum that exists is only
topped up with KIMs that are not yet members).
"""

from datetime import date
from typing import Final

from sikim.accounts.models import User
from sikim.core.demo import DemoAccount, DemoSeedError, demo_seeder
from sikim.forums import services
from sikim.forums.models import ForumLevel, ForumMembership, KimForum
from sikim.kim.models import PUBLIC_STATUSES, Kim
from sikim.wilayah.models import Region, subtree_q

ADMIN_EMAIL: Final = "admin@demo.sikim.test"
FORUMS: Final = (
    {
        "name": "Forum KIM Kota Banjarbaru",
        "level": ForumLevel.KABUPATEN_KOTA,
        "region_code": "63.72",
        "about": (
            "Forum Komunikasi KIM Kota Banjarbaru: wahana tukar pendapat dan berbagi pengalaman antar KIM, "
            "sekaligus jejaring pasar (market networking) produk anggota KIM se-Kota Banjarbaru."
        ),
        "formed_on": date(2019, 3, 14),
        "formation_place": "Aula Dinas Kominfo Kota Banjarbaru",
        "decree_number": "(demo) 045/FKIM-BJB/III/2019",
    },
    {
        "name": "Forum KIM Kecamatan Banjarbaru Selatan",
        "level": ForumLevel.KECAMATAN,
        "region_code": "63.72.05",
        "about": "Forum Komunikasi KIM tingkat Kecamatan Banjarbaru Selatan.",
        "formed_on": date(2020, 2, 20),
        "formation_place": "Kantor Kecamatan Banjarbaru Selatan",
        "decree_number": "",
    },
)


def _board_for(forum: KimForum) -> list[services.BoardSeatInput]:
    kims = list(forum.kims.filter(status__in=PUBLIC_STATUSES).order_by("name")[:3])
    if not kims:
        return []
    seats = [("Ketua", "Ahmad Fauzi"), ("Sekretaris", "Aulia Rahmawati"), ("Bendahara", "Rina Susanti")]
    return [
        services.BoardSeatInput(
            person_name=name,
            position=position,
            from_kim=kims[index % len(kims)] if position != "Ketua" else kims[0],
            starts_on=forum.formed_on or date(2020, 1, 1),
        )
        for index, (position, name) in enumerate(seats)
    ]


@demo_seeder(order=300)
def seed_forums() -> list[DemoAccount]:
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        raise DemoSeedError("The demo national admin is missing: the people seeder must run first.")
    for spec in FORUMS:
        region_code = str(spec["region_code"])
        if not Region.objects.filter(code=region_code).exists():
            continue
        forum = KimForum.objects.filter(level=spec["level"], region_id=region_code).first()
        created = forum is None
        if forum is None:
            forum = services.forum_create(actor=admin, **spec)  # type: ignore[arg-type]
        members = set(ForumMembership.objects.filter(forum=forum).values_list("kim_id", flat=True))
        kims = Kim.objects.filter(subtree_q("region_id", region_code), status__in=PUBLIC_STATUSES).order_by("name")
        for kim in kims.select_related("region"):
            if kim.pk not in members:
                services.forum_add_kim(actor=admin, forum=forum, kim=kim, joined_on=forum.formed_on)
        if created:
            services.forum_set_board(actor=admin, forum=forum, seats=_board_for(forum))
    return []

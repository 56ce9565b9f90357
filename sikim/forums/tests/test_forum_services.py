"""Forum KIM services: who may found and run a forum, and which KIMs may join it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sikim.audit.models import AuditEvent
from sikim.forums.models import ForumBoardPosition, ForumLevel, ForumMembership, KimForum
from sikim.forums.services import (
    BoardSeatInput,
    forum_add_kim,
    forum_create,
    forum_remove_kim,
    forum_set_board,
    forum_update,
)
from sikim.kim.models import KimStatus
from sikim.kim.tests.factories import KimFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def messages(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


# --- forum_create -----------------------------------------------------------------------------


def test_pembina_founds_a_forum_in_their_kabupaten(pembina_banjarbaru):
    forum = forum_create(
        actor=pembina_banjarbaru,
        name="Forum KIM Kota Banjarbaru",
        level=ForumLevel.KABUPATEN_KOTA,
        region_code="63.72",
        formed_on=date(2019, 3, 14),
    )
    assert forum.slug == "forum-kim-kota-banjarbaru"
    assert forum.region_id == "63.72"
    event = AuditEvent.objects.get(action="forum.create")
    assert event.region_id == "63.72" and event.actor == pembina_banjarbaru


def test_pembina_founds_a_kecamatan_forum_inside_their_kabupaten(pembina_banjarbaru):
    forum = forum_create(
        actor=pembina_banjarbaru,
        name="Forum KIM Banjarbaru Selatan",
        level=ForumLevel.KECAMATAN,
        region_code="63.72.05",
    )
    assert forum.level == ForumLevel.KECAMATAN


def test_pembina_of_jembrana_cannot_found_a_banjarbaru_forum(outsider):
    with pytest.raises(PermissionDenied):
        forum_create(actor=outsider, name="Forum", level=ForumLevel.KABUPATEN_KOTA, region_code="63.72")
    assert not KimForum.objects.exists()


def test_pembina_of_a_kabupaten_cannot_found_the_province_forum(pembina_banjarbaru):
    with pytest.raises(PermissionDenied):
        forum_create(actor=pembina_banjarbaru, name="Forum KIM Kalsel", level=ForumLevel.PROVINSI, region_code="63")


def test_the_province_pembina_can(pembina_kalsel):
    forum = forum_create(actor=pembina_kalsel, name="Forum KIM Kalsel", level=ForumLevel.PROVINSI, region_code="63")
    assert forum.level == ForumLevel.PROVINSI


def test_only_the_national_admin_founds_the_national_forum(pembina_kalsel, national_admin):
    with pytest.raises(PermissionDenied):
        forum_create(actor=pembina_kalsel, name="Forum KIM Nasional", level=ForumLevel.NASIONAL, region_code=None)
    forum = forum_create(actor=national_admin, name="Forum KIM Nasional", level=ForumLevel.NASIONAL, region_code=None)
    assert forum.region is None


@pytest.mark.parametrize(
    ("level", "code", "text"),
    [
        (ForumLevel.KABUPATEN_KOTA, "63.72.05", "belongs to a kabupaten/kota, but Banjarbaru Selatan is a kecamatan"),
        (ForumLevel.KECAMATAN, "63.72", "belongs to a kecamatan, but Kota Banjarbaru is a kabupaten/kota"),
        (ForumLevel.KECAMATAN, "63.72.05.1004", "Guntung Paikat is a desa/kelurahan"),
        (ForumLevel.PROVINSI, "63.72", "belongs to a province"),
        (ForumLevel.KABUPATEN_KOTA, "", "Choose the region"),
        (ForumLevel.KABUPATEN_KOTA, "99.99", "no region with code 99.99"),
        (ForumLevel.NASIONAL, "63", "leave the region empty"),
        ("desa", "63.72", "Choose the forum's level"),
    ],
)
def test_the_level_must_match_the_region(national_admin, level, code, text):
    with pytest.raises(ValidationError) as error:
        forum_create(actor=national_admin, name="Forum", level=level, region_code=code)
    assert text in messages(error.value)


def test_one_forum_per_region_and_level(pembina_banjarbaru, forum_banjarbaru):
    with pytest.raises(ValidationError) as error:
        forum_create(actor=pembina_banjarbaru, name="Lagi", level=ForumLevel.KABUPATEN_KOTA, region_code="63.72")
    assert "already has a forum: Forum KIM Kota Banjarbaru" in messages(error.value)


def test_details_are_checked(pembina_banjarbaru):
    with pytest.raises(ValidationError) as error:
        forum_create(
            actor=pembina_banjarbaru,
            name="  ",
            level=ForumLevel.KABUPATEN_KOTA,
            region_code="63.72",
            formed_on=timezone.localdate() + timedelta(days=3),
        )
    assert set(error.value.message_dict) == {"name", "formed_on"}


def test_slugs_are_unique_and_never_a_reserved_word(pembina_banjarbaru, pembina_kalsel):
    first = forum_create(actor=pembina_banjarbaru, name="Baru", level=ForumLevel.KECAMATAN, region_code="63.72.05")
    second = forum_create(actor=pembina_kalsel, name="Baru", level=ForumLevel.KECAMATAN, region_code="63.72.04")
    assert first.slug == "baru-2" and second.slug == "baru-3"


def test_update_keeps_level_and_region(pembina_banjarbaru, forum_banjarbaru, outsider):
    forum_update(actor=pembina_banjarbaru, forum=forum_banjarbaru, about="Jejaring pasar produk anggota.")
    forum_banjarbaru.refresh_from_db()
    assert forum_banjarbaru.about == "Jejaring pasar produk anggota."
    with pytest.raises(ValidationError):
        forum_update(actor=pembina_banjarbaru, forum=forum_banjarbaru, region="51.01")
    with pytest.raises(PermissionDenied):
        forum_update(actor=outsider, forum=forum_banjarbaru, about="x")


# --- Members ----------------------------------------------------------------------------------


def test_a_kim_of_the_region_joins(pembina_banjarbaru, forum_banjarbaru, kim_guntung_paikat):
    membership = forum_add_kim(actor=pembina_banjarbaru, forum=forum_banjarbaru, kim=kim_guntung_paikat)
    assert membership.joined_on == timezone.localdate()
    assert list(forum_banjarbaru.kims.all()) == [kim_guntung_paikat]
    assert AuditEvent.objects.filter(action="forum.kim.add").count() == 1


def test_a_kim_outside_the_region_cannot_join(pembina_kalsel, forum_banjarbaru, kim_ekasari, national_admin):
    for actor in (pembina_kalsel, national_admin):
        with pytest.raises(ValidationError) as error:
            forum_add_kim(actor=actor, forum=forum_banjarbaru, kim=kim_ekasari)
        text = messages(error.value)
        assert "KIM Desa Ekasari is in Ekasari — Melaya, Kabupaten Jembrana, Bali" in text
        assert "outside Kota Banjarbaru" in text
    assert not ForumMembership.objects.exists()


def test_pembina_of_jembrana_cannot_manage_a_banjarbaru_forum(outsider, forum_banjarbaru, kim_guntung_paikat):
    with pytest.raises(PermissionDenied):
        forum_add_kim(actor=outsider, forum=forum_banjarbaru, kim=kim_guntung_paikat)
    ForumMembership.objects.create(forum=forum_banjarbaru, kim=kim_guntung_paikat)
    with pytest.raises(PermissionDenied):
        forum_remove_kim(actor=outsider, forum=forum_banjarbaru, kim=kim_guntung_paikat)
    with pytest.raises(PermissionDenied):
        forum_set_board(actor=outsider, forum=forum_banjarbaru, seats=[])


def test_warga_and_pengurus_cannot_manage_forums(
    warga_guntung_paikat, ketua_guntung_paikat, forum_banjarbaru, kim_guntung_paikat
):
    for actor in (warga_guntung_paikat, ketua_guntung_paikat):
        with pytest.raises(PermissionDenied):
            forum_add_kim(actor=actor, forum=forum_banjarbaru, kim=kim_guntung_paikat)


@pytest.mark.parametrize("status", [KimStatus.DIUSULKAN, KimStatus.DIBUBARKAN])
def test_only_formed_kims_join(pembina_banjarbaru, forum_banjarbaru, status):
    kim = KimFactory(status=status, registration_number=None)
    with pytest.raises(ValidationError) as error:
        forum_add_kim(actor=pembina_banjarbaru, forum=forum_banjarbaru, kim=kim)
    assert "only a formed KIM can join a forum" in messages(error.value)


def test_joining_twice_is_refused_clearly(pembina_banjarbaru, forum_banjarbaru, kim_guntung_paikat):
    forum_add_kim(actor=pembina_banjarbaru, forum=forum_banjarbaru, kim=kim_guntung_paikat)
    with pytest.raises(ValidationError) as error:
        forum_add_kim(actor=pembina_banjarbaru, forum=forum_banjarbaru, kim=kim_guntung_paikat)
    assert "already a member" in messages(error.value)


def test_the_national_forum_takes_any_kim(national_admin, kim_ekasari, kim_guntung_paikat):
    forum = forum_create(actor=national_admin, name="Forum KIM Nasional", level=ForumLevel.NASIONAL, region_code=None)
    forum_add_kim(actor=national_admin, forum=forum, kim=kim_ekasari)
    forum_add_kim(actor=national_admin, forum=forum, kim=kim_guntung_paikat)
    assert forum.kims.count() == 2


def test_remove(pembina_banjarbaru, forum_banjarbaru, kim_guntung_paikat):
    forum_add_kim(actor=pembina_banjarbaru, forum=forum_banjarbaru, kim=kim_guntung_paikat)
    forum_remove_kim(actor=pembina_banjarbaru, forum=forum_banjarbaru, kim=kim_guntung_paikat)
    assert not forum_banjarbaru.kims.exists()
    with pytest.raises(ValidationError):
        forum_remove_kim(actor=pembina_banjarbaru, forum=forum_banjarbaru, kim=kim_guntung_paikat)


# --- Board ------------------------------------------------------------------------------------


def test_set_board_replaces_the_current_seats_and_keeps_history(
    pembina_banjarbaru, forum_banjarbaru, kim_guntung_paikat
):
    forum_add_kim(actor=pembina_banjarbaru, forum=forum_banjarbaru, kim=kim_guntung_paikat)
    past = ForumBoardPosition.objects.create(
        forum=forum_banjarbaru, person_name="Ketua Lama", position="Ketua", starts_on=date(2015, 1, 1),
        ends_on=date(2018, 1, 1),
    )  # fmt: skip
    forum_set_board(
        actor=pembina_banjarbaru,
        forum=forum_banjarbaru,
        seats=[
            BoardSeatInput(
                person_name="Ahmad Fauzi", position="Ketua", starts_on=date(2019, 3, 14), from_kim=kim_guntung_paikat
            )
        ],
    )
    forum_set_board(
        actor=pembina_banjarbaru,
        forum=forum_banjarbaru,
        seats=[
            BoardSeatInput(person_name="Aulia Rahmawati", position="Ketua", starts_on=date(2024, 1, 1)),
            BoardSeatInput(person_name="Rina Susanti", position="Sekretaris", starts_on=date(2024, 1, 1)),
        ],
    )
    names = set(forum_banjarbaru.board.values_list("person_name", flat=True))
    assert names == {"Ketua Lama", "Aulia Rahmawati", "Rina Susanti"}
    assert ForumBoardPosition.objects.filter(pk=past.pk).exists()
    assert AuditEvent.objects.filter(action="forum.board.set").count() == 2


def test_board_seats_are_checked(pembina_banjarbaru, forum_banjarbaru, kim_ekasari):
    with pytest.raises(ValidationError) as error:
        forum_set_board(
            actor=pembina_banjarbaru,
            forum=forum_banjarbaru,
            seats=[
                BoardSeatInput(person_name="", position="Ketua", starts_on=date(2024, 1, 1)),
                BoardSeatInput(person_name="A", position="B", starts_on=date(2024, 1, 1), ends_on=date(2023, 1, 1)),
                BoardSeatInput(person_name="C", position="D", starts_on=date(2024, 1, 1), from_kim=kim_ekasari),
            ],
        )
    text = messages(error.value)
    assert "Seat 1: give the person's name" in text
    assert "Seat 2: the end date must come after the start date" in text
    assert "Seat 3: KIM Desa Ekasari is not a member of this forum" in text
    assert not forum_banjarbaru.board.exists()

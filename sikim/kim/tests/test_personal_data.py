"""No member's phone number or email address reaches anyone but the KIM's pengurus and pembina:
not other KIMs, not the pembina of another kabupaten, not anggota, citizens or anonymous visitors —
on pages, in the API, in exports."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from sikim.kim.services.board import PositionSpec, board_term_create
from sikim.kim.services.groups import dissemination_group_create
from sikim.kim.services.member_import import member_import_preview
from sikim.kim.tests.factories import KimMemberFactory, english, member_media  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "member_media")]

PHONE_DIGITS = "81355577001"  # matches +6281355577001, 0813-5557-7001 written without separators…
PHONE = f"+62{PHONE_DIGITS}"
EMAIL = "rahasia.siti@example.id"


@pytest.fixture
def world(kim_guntung_paikat, ketua_guntung_paikat):
    siti = KimMemberFactory(kim=kim_guntung_paikat, name="Siti Rahmawati", phone=PHONE, email=EMAIL)
    board_term_create(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        starts_on=date(2018, 7, 27),
        positions=[PositionSpec("ketua", siti)],
    )
    group = dissemination_group_create(
        actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Dusun Mekar", coordinator=siti
    )
    member_import = member_import_preview(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        upload=SimpleUploadedFile("a.csv", f"nama,telepon,email\nSiti,0{PHONE_DIGITS},{EMAIL}\n".encode()),
    )
    slug = kim_guntung_paikat.slug
    api = f"/api/v1/kim/{slug}"
    return [
        reverse("kim:profile", args=[slug]),
        reverse("kim:directory"),
        reverse("kim:member_list", args=[slug]),
        reverse("kim:member_edit", args=[slug, siti.pk]),
        reverse("kim:member_export_csv", args=[slug]),
        reverse("kim:member_export_xlsx", args=[slug]),
        reverse("kim:member_import", args=[slug]),
        reverse("kim:member_import_detail", args=[slug, member_import.pk]),
        reverse("kim:member_import_progress", args=[slug, member_import.pk]),
        reverse("kim:board", args=[slug]),
        reverse("kim:group_list", args=[slug]),
        reverse("kim:group_edit", args=[slug, group.pk]),
        f"{api}/members",
        f"{api}/members/counts",
        f"{api}/members/{siti.pk}",
        f"{api}/members/export?format=csv",
        f"{api}/members/export?format=xlsx",
        f"{api}/members/import/{member_import.pk}",
        f"{api}/board",
        f"{api}/groups",
    ]


def _leaks(client, urls):
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        content = response.content
        for secret in (PHONE_DIGITS.encode(), EMAIL.encode()):
            if secret in content:
                found.append((url, secret))
    return found


def test_the_ketua_does_see_them(client, world, ketua_guntung_paikat):
    """The positive control: the same pages do show the data to those allowed."""
    login(client, ketua_guntung_paikat)
    leaked_to_ketua = {url for url, _secret in _leaks(client, world)}
    assert reverse("kim:member_list", args=["kim-guntung-paikat"]) in leaked_to_ketua
    assert "/api/v1/kim/kim-guntung-paikat/members" in leaked_to_ketua


@pytest.mark.parametrize(
    "actor_name",
    ["outsider", "ketua_ekasari", "anggota_guntung_paikat", "warga_guntung_paikat", "stranger", None],
)
def test_nobody_else_sees_a_members_phone_or_email_anywhere(client, request, world, actor_name):
    if actor_name is not None:
        login(client, request.getfixturevalue(actor_name))
    assert _leaks(client, world) == []


def test_the_pembina_of_jembrana_cannot_see_banjarbaru_members(client, world, outsider):
    login(client, outsider)
    for url in world[2:]:
        assert client.get(url).status_code == 404, url

"""A KIM's public page /kim/<slug>/: what it shows, what it never shows, and for whom it exists."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from conftest import login
from sikim.accounts.tests.factories import UserFactory
from sikim.forums.models import ForumLevel, ForumMembership, KimForum
from sikim.kim.models import (
    BoardPositionKind,
    DocumentKind,
    Formation,
    KimDocument,
    KimSector,
    KimStatus,
    Sector,
)
from sikim.kim.tests.factories import (  # noqa: F401 (fixture)
    BoardPositionFactory,
    BoardTermFactory,
    DisseminationGroupFactory,
    KimFactory,
    KimMemberFactory,
    OrganisationMemberFactory,
    english,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/kim/kim-guntung-paikat/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def full_kim(kim_guntung_paikat, media):
    """KIM Guntung Paikat with everything its public page shows, and personal data it must not."""
    kim = kim_guntung_paikat
    kim.latitude, kim.longitude = -3.4583, 114.8347
    kim.phone, kim.email = "+625114772000", "kim.guntungpaikat@example.id"
    kim.social_links = {"instagram": "https://instagram.com/kimguntungpaikat", "bad": "javascript:alert(1)"}
    kim.save()
    KimSector.objects.create(kim=kim, sector=Sector.TEKNOLOGI)
    ketua = KimMemberFactory(kim=kim, name="Ahmad Fauzi", phone="+6281351000003", email="ahmad@rahasia.id")
    sekretaris = KimMemberFactory(kim=kim, name="Nur Halimah", phone="+6281351000004", email="nur@rahasia.id")
    others = [KimMemberFactory(kim=kim, sector=Sector.UMKM) for _ in range(3)]
    KimMemberFactory(kim=kim, name="Mantan Anggota", is_active=False)
    OrganisationMemberFactory(kim=kim, name="Karang Taruna Guntung Paikat", sector=Sector.SOSIAL_BUDAYA)
    old = BoardTermFactory(kim=kim, starts_on=date(2018, 7, 27), ends_on=date(2021, 7, 27))
    BoardPositionFactory(term=old, member=others[0], position=BoardPositionKind.KETUA)
    term = BoardTermFactory(kim=kim, starts_on=date(2023, 8, 1), ends_on=None)
    BoardPositionFactory(term=term, member=ketua, position=BoardPositionKind.KETUA)
    BoardPositionFactory(term=term, member=sekretaris, position=BoardPositionKind.SEKRETARIS)
    BoardPositionFactory(term=term, member=others[1], position=BoardPositionKind.SEKSI, section_name="Literasi Digital")
    group = DisseminationGroupFactory(kim=kim, name="Kelompok Desiminasi RW 01", coordinator=ketua)
    group.members.set([ketua, sekretaris, others[2]])
    DisseminationGroupFactory(kim=kim, name="Kelompok Desiminasi RW 02")
    facilitator = UserFactory(full_name="M. Noor Ifansyah")
    formation = Formation.objects.create(
        kim=kim,
        held_on=date(2018, 7, 27),
        place="Kelurahan Guntung Paikat",
        facilitator_names="Tim Pembentuk dan Pembina KIM Kota Banjarbaru",
        attendees_count=35,
        minutes="Notulen internal: nomor HP peserta 0812-0000-0000",
        decree_number="01/KIM-GP/VII/2018",
        decree_date=date(2018, 7, 27),
        decree_issued_by="Lurah Guntung Paikat",
    )
    formation.facilitators.set([facilitator])
    public = KimDocument(kim=kim, kind=DocumentKind.SK, title="SK Pembentukan KIM", is_public=True)
    public.file.save("sk.pdf", ContentFile(PDF), save=True)
    internal = KimDocument(kim=kim, kind=DocumentKind.OTHER, title="Daftar Hadir Internal", is_public=False)
    internal.file.save("hadir.pdf", ContentFile(PDF), save=True)
    forum = KimForum.objects.create(
        name="Forum KIM Kota Banjarbaru", slug="forum-kim-kota-banjarbaru", level=ForumLevel.KABUPATEN_KOTA,
        region_id="63.72",
    )  # fmt: skip
    ForumMembership.objects.create(forum=forum, kim=kim)
    return {"kim": kim, "public_doc": public, "internal_doc": internal}


def test_anyone_sees_the_profile(client, full_kim):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    # About, village path with links to the region pages, status and number.
    assert "<h1>KIM Guntung Paikat</h1>" in body
    assert "dibentuk 27 Juli 2018" in body
    for code in ("63", "63.72", "63.72.05", "63.72.05.1004"):
        assert f'href="/wilayah/{code}/"' in body
    assert "Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan" in body
    assert "Active" in body and "KIM-63.72-0001" in body
    assert "Information technology" in body
    # The KIM's own public contacts; a stored javascript: link is not a link.
    assert "+625114772000" in body and "kim.guntungpaikat@example.id" in body
    assert "https://instagram.com/kimguntungpaikat" in body
    assert "javascript:" not in body


def test_board_of_the_current_term_only(client, full_kim):
    body = client.get(URL).content.decode()
    assert "Chair (ketua): <strong>Ahmad Fauzi</strong>" in body
    assert "Secretary (sekretaris): <strong>Nur Halimah</strong>" in body
    assert "Seksi Literasi Digital" in body
    assert "Term from 1 August 2023" in body


def test_members_appear_as_counts_and_groups_as_names(client, full_kim):
    body = client.get(URL).content.decode()
    assert "6 members" in body
    assert "5 people, 1 member organisations" in body
    assert "Small business (UMKM)</td><td>3</td>" in body
    assert "Kelompok Desiminasi RW 01 — 3 members" in body
    assert "Kelompok Desiminasi RW 02 — 0 members" in body
    assert "Mantan Anggota" not in body


def test_no_personal_data_of_members(client, full_kim):
    body = client.get(URL).content.decode()
    for secret in ("+6281351000003", "ahmad@rahasia.id", "nur@rahasia.id", "anggota", "0812-0000-0000"):
        assert secret not in body
    members = full_kim["kim"].members.all()
    for member in members:
        if member.phone:
            assert member.phone not in body
        if member.email:
            assert member.email not in body


def test_formation_record(client, full_kim):
    body = client.get(URL).content.decode()
    assert "Friday, 27 July 2018" in body
    assert "M. Noor Ifansyah; Tim Pembentuk dan Pembina KIM Kota Banjarbaru" in body
    assert "01/KIM-GP/VII/2018, 27 July 2018 — Lurah Guntung Paikat" in body
    assert "Notulen internal" not in body


def test_decree_number_hidden_when_the_sk_is_kept_internal(client, full_kim):
    full_kim["public_doc"].is_public = False
    full_kim["public_doc"].save()
    body = client.get(URL).content.decode()
    assert "01/KIM-GP/VII/2018" not in body


def test_public_documents_only(client, full_kim):
    body = client.get(URL).content.decode()
    public, internal = full_kim["public_doc"], full_kim["internal_doc"]
    assert f'href="/kim/kim-guntung-paikat/dokumen/{public.pk}/"' in body
    assert "Daftar Hadir Internal" not in body
    download = client.get(f"/kim/kim-guntung-paikat/dokumen/{public.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(f"/kim/kim-guntung-paikat/dokumen/{internal.pk}/").status_code == 404
    assert client.get("/kim/kim-guntung-paikat/dokumen/999999/").status_code == 404


def test_a_document_of_another_kim_is_not_found_under_this_one(client, full_kim, kim_ekasari):
    assert client.get(f"/kim/kim-desa-ekasari/dokumen/{full_kim['public_doc'].pk}/").status_code == 404


def test_forum_and_feed(client, full_kim):
    body = client.get(URL).content.decode()
    assert 'href="/forum/forum-kim-kota-banjarbaru/"' in body
    assert 'id="kim-feed"' in body and "Nothing published yet." in body


@pytest.mark.parametrize("status", [KimStatus.DIUSULKAN, KimStatus.DIBUBARKAN])
def test_proposed_and_dissolved_kims_are_not_found(client, regions, status, pembina_banjarbaru):
    KimFactory(slug="kim-tersembunyi", status=status, registration_number=None)
    assert client.get("/kim/kim-tersembunyi/").status_code == 404
    # Not even for their pembina: they manage it on the management pages.
    login(client, pembina_banjarbaru)
    assert client.get("/kim/kim-tersembunyi/").status_code == 404


@pytest.mark.parametrize("status", [KimStatus.DIBENTUK, KimStatus.TERDAFTAR, KimStatus.TIDAK_AKTIF])
def test_other_statuses_are_public(client, regions, status):
    KimFactory(slug="kim-terbuka", status=status, registration_number=None)
    assert client.get("/kim/kim-terbuka/").status_code == 200


def test_unknown_slug_is_not_found(client, regions):
    assert client.get("/kim/tidak-ada-kim-ini/").status_code == 404


def test_the_fixed_pages_are_not_taken_for_slugs(client, regions):
    assert client.get("/kim/").status_code == 200
    assert client.get("/kim/pilih-wilayah/").status_code == 200


def test_an_empty_kim_still_shows_its_page(client, kim_ekasari):
    body = client.get("/kim/kim-desa-ekasari/").content.decode()
    assert "Kelompok Tani Kakao Merta Abadi" in body
    assert "No current board recorded." in body
    assert "The formation has not been recorded yet." in body
    assert "0 members" in body


def test_a_future_term_is_not_the_current_board(client, kim_guntung_paikat):
    term = BoardTermFactory(kim=kim_guntung_paikat, starts_on=timezone.localdate() + timedelta(days=10), ends_on=None)
    BoardPositionFactory(term=term, member=KimMemberFactory(kim=kim_guntung_paikat, name="Calon Ketua"))
    body = client.get(URL).content.decode()
    assert "Calon Ketua" not in body


def test_bounded_queries_whatever_the_size(client, full_kim, django_assert_max_num_queries):
    kim = full_kim["kim"]
    for _ in range(30):
        KimMemberFactory(kim=kim, sector=Sector.PERTANIAN)
    for n in range(5):
        DisseminationGroupFactory(kim=kim, name=f"Dusun {n}").members.set(kim.members.all()[:10])
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert response.status_code == 200

"""The KIM and Forum KIM demo data (`seed_demo`): real places, the source documents' KIMs, idempotent."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from sikim.accounts.models import Role, RoleGrant, User
from sikim.core.demo import DEMO_PASSWORD
from sikim.forums.models import ForumLevel, KimForum
from sikim.kim.models import (
    BoardTerm,
    DisseminationGroup,
    Kim,
    KimMember,
    KimStatus,
    MemberKind,
    OrganisationType,
    PembinaOffice,
    Sector,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def seeded(regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, ...]:
    return (
        Kim.objects.count(),
        KimMember.objects.count(),
        BoardTerm.objects.count(),
        DisseminationGroup.objects.count(),
        PembinaOffice.objects.count(),
        KimForum.objects.count(),
        User.objects.count(),
        RoleGrant.objects.count(),
    )


def test_running_twice_changes_nothing(seeded):
    counts = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == counts


def _check_the_offices_of_the_real_regions():
    offices = dict(PembinaOffice.objects.values_list("region_id", "name"))
    assert offices["63.72"] == "Dinas Komunikasi dan Informatika Kota Banjarbaru"
    assert offices["51.01"] == "Dinas Komunikasi dan Informatika Kabupaten Jembrana"
    assert {"63", "51", "63.71", "51.71"} <= set(offices)


def _check_kim_guntung_paikat_as_in_the_source():
    kim = Kim.objects.get(slug="kim-guntung-paikat")
    assert kim.region_id == "63.72.05.1004"
    assert kim.status == KimStatus.AKTIF
    assert kim.registration_number == "KIM-63.72-0001"
    assert kim.pembina_office.region_id == "63.72"
    formation = kim.formation
    assert formation.held_on == date(2018, 7, 27)
    assert "M. Noor Ifansyah" in formation.facilitator_names
    assert kim.board_terms.get().positions.filter(position="ketua", member__name="Ahmad Fauzi").exists()
    assert kim.members.filter(kind=MemberKind.PERSON).count() >= 10
    assert kim.members.filter(kind=MemberKind.ORGANISATION).exists()
    assert kim.dissemination_groups.count() == 3
    assert (float(kim.latitude), float(kim.longitude)) == (-3.4583, 114.8347)


def _check_kim_ekasari_is_run_by_the_cocoa_farmers():
    kim = Kim.objects.get(region_id="51.01.04.2004")
    assert kim.run_by_group == "Kelompok Tani Kakao Merta Abadi"
    group = kim.members.get(name="Kelompok Tani Kakao Merta Abadi")
    assert (group.kind, group.organisation_type, group.sector) == (
        MemberKind.ORGANISATION,
        OrganisationType.KELOMPOK_TANI,
        Sector.PERKEBUNAN,
    )


def _check_synthetic_kims_over_several_regions_and_steps():
    kims = Kim.objects.exclude(slug__in=["kim-guntung-paikat", "kim-desa-ekasari"])
    assert kims.count() == 20
    assert {kim.region_id[:2] for kim in kims} == {"63", "51"}  # the test database holds these two
    assert {kim.status for kim in kims} == {
        KimStatus.AKTIF,
        KimStatus.TERDAFTAR,
        KimStatus.DIBENTUK,
        KimStatus.TIDAK_AKTIF,
        KimStatus.DIUSULKAN,
    }
    assert all(kim.region.level == 4 for kim in kims.select_related("region"))


def _check_forums_of_banjarbaru():
    city = KimForum.objects.get(level=ForumLevel.KABUPATEN_KOTA, region_id="63.72")
    kecamatan = KimForum.objects.get(level=ForumLevel.KECAMATAN, region_id="63.72.05")
    assert city.kims.filter(slug="kim-guntung-paikat").exists()
    assert kecamatan.kims.filter(slug="kim-guntung-paikat").exists()
    assert all(kim.region_id.startswith("63.72.05.") for kim in kecamatan.kims.all())
    assert city.kims.count() > kecamatan.kims.count()
    assert city.board.count() == 3


def test_the_demo_data_tells_the_source_documents_stories(seeded):
    """One seeding, every story (seeding takes seconds: it goes through the services)."""
    _check_the_offices_of_the_real_regions()
    _check_kim_guntung_paikat_as_in_the_source()
    _check_kim_ekasari_is_run_by_the_cocoa_farmers()
    _check_synthetic_kims_over_several_regions_and_steps()
    _check_forums_of_banjarbaru()


def test_ketua_and_anggota_accounts_and_pages(seeded, client):
    kim = Kim.objects.get(slug="kim-guntung-paikat")
    ketua = User.objects.get(email="ketua.guntungpaikat@demo.sikim.test")
    anggota = User.objects.get(email="anggota.guntungpaikat@demo.sikim.test")
    assert ketua.check_password(DEMO_PASSWORD) and anggota.check_password(DEMO_PASSWORD)
    assert RoleGrant.objects.filter(user=ketua, role=Role.PENGURUS_KIM, organisation_id=kim.pk).exists()
    assert RoleGrant.objects.filter(user=anggota, role=Role.ANGGOTA_KIM, organisation_id=kim.pk).exists()
    assert "ketua.guntungpaikat@demo.sikim.test" in seeded
    assert "anggota.guntungpaikat@demo.sikim.test" in seeded
    assert "No demo account yet for: KIM" not in seeded
    assert client.get("/kim/kim-guntung-paikat/").status_code == 200
    assert client.get("/kim/", {"provinsi": "63"}).status_code == 200
    forum = KimForum.objects.get(region_id="63.72")
    assert client.get(f"/forum/{forum.slug}/").status_code == 200

"""`manage.py generate_national`: deterministic synthetic data, marked, refused twice, --reset."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sikim.forums.models import KimForum
from sikim.kim.models import BoardPosition, BoardTerm, DisseminationGroup, Kim, KimMember, KimSector, PembinaOffice

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_national", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(Kim.objects.order_by("slug").values_list("slug", "name", "status", "registration_number", "latitude"))


def test_generates_kims_members_boards_and_forums(regions):
    output = generate("--kims", "120", "--members", "3000", "--seed", "7")
    kims = Kim.objects.filter(slug__startswith="nas-")
    assert kims.count() == 120
    assert KimMember.objects.filter(kim__in=kims).count() == 3000
    assert all(kim.region.level == 4 for kim in kims.select_related("region"))
    assert {kim.region_id[:2] for kim in kims} == {"63", "51"}
    assert KimSector.objects.filter(kim__in=kims).exists()
    assert BoardTerm.objects.filter(kim__in=kims).count() > 50
    assert (
        BoardPosition.objects.filter(term__kim__in=kims, position="ketua").count()
        == BoardTerm.objects.filter(kim__in=kims).count()
    )
    assert DisseminationGroup.objects.filter(kim__in=kims, members__isnull=False).exists()
    assert kims.filter(latitude__isnull=False).count() > 50
    assert not kims.filter(status="diusulkan", members__isnull=False).exists()
    # Phones are well formed and unique within each KIM (the model's constraints hold).
    assert KimMember.objects.filter(phone__isnull=False).exists()
    assert "members: 3,000 inserted" in output
    # Every generated office fosters a kabupaten/kota of the data.
    assert PembinaOffice.objects.filter(slug__startswith="nas-").exists()
    forum = KimForum.objects.filter(slug__startswith="nas-").first()
    assert forum is not None and forum.kims.count() >= 5 and forum.board.count() == 3


def test_the_same_seed_gives_the_same_data(regions):
    generate("--kims", "60", "--members", "600", "--seed", "3")
    first = snapshot()
    members = list(KimMember.objects.order_by("kim__slug", "id").values_list("kim__slug", "name", "sector"))
    generate("--kims", "60", "--members", "600", "--seed", "3", "--reset")
    assert snapshot() == first
    assert list(KimMember.objects.order_by("kim__slug", "id").values_list("kim__slug", "name", "sector")) == members
    generate("--kims", "60", "--members", "600", "--seed", "4", "--reset")
    assert snapshot() != first


def test_refuses_to_run_twice_without_reset(regions):
    generate("--kims", "20", "--members", "100")
    with pytest.raises(CommandError, match="--reset"):
        generate("--kims", "20", "--members", "100")
    assert Kim.objects.filter(slug__startswith="nas-").count() == 20


def test_reset_removes_only_generated_rows(kim_guntung_paikat, pembina_office_banjarbaru):
    KimMember.objects.create(kim=kim_guntung_paikat, name="Anggota Nyata")
    generate("--kims", "30", "--members", "300")
    output = generate("--kims", "10", "--members", "50", "--reset")
    assert "deleted" in output
    assert Kim.objects.filter(slug__startswith="nas-").count() == 10
    assert KimMember.objects.filter(kim__slug__startswith="nas-").count() == 50
    assert Kim.objects.filter(pk=kim_guntung_paikat.pk).exists()
    assert KimMember.objects.filter(name="Anggota Nyata").exists()
    assert PembinaOffice.objects.filter(pk=pembina_office_banjarbaru.pk).exists()


def test_generated_kims_never_share_a_village_with_real_ones(kim_guntung_paikat):
    generate("--kims", "200", "--members", "0")
    assert Kim.objects.filter(region_id=kim_guntung_paikat.region_id).count() == 1


def test_asking_for_too_much_is_a_clear_error(regions):
    with pytest.raises(CommandError, match="villages"):
        generate("--kims", "1000000", "--members", "0")
    with pytest.raises(CommandError):
        generate("--kims", "0")


def test_generated_profiles_render(regions, client):
    generate("--kims", "40", "--members", "800", "--seed", "5")
    kim = Kim.objects.filter(slug__startswith="nas-", status="aktif").first()
    assert client.get(f"/kim/{kim.slug}/").status_code == 200
    assert client.get("/kim/", {"provinsi": "63"}).status_code == 200

import pytest
from django.contrib import admin
from django.urls import reverse

from conftest import GUNTUNG_PAIKAT, login
from sikim.wilayah.models import Region, RegionSearchTerm

CHANGELIST = reverse("admin:wilayah_region_changelist")
CHANGE = reverse("admin:wilayah_region_change", args=[GUNTUNG_PAIKAT])


@pytest.fixture
def staff(client, national_admin):
    national_admin.is_staff = True
    national_admin.save()
    return login(client, national_admin)


@pytest.fixture
def superuser(client, stranger):
    stranger.is_staff = True
    stranger.is_superuser = True
    stranger.save()
    return login(client, stranger)


def test_staff_search_regions_by_code_and_name(staff):
    by_code = staff.get(CHANGELIST, {"q": GUNTUNG_PAIKAT})
    by_name = staff.get(CHANGELIST, {"q": "paikat"})

    assert by_code.status_code == 200
    assert "Guntung Paikat" in by_code.text
    assert "Guntung Paikat" in by_name.text


def test_the_list_filters_by_level_and_kind(staff):
    response = staff.get(CHANGELIST, {"level__exact": 4, "kind__exact": "kelurahan", "q": "63.72.05"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("code", flat=True)) == [
        "63.72.05.1001",
        "63.72.05.1002",
        "63.72.05.1003",
        "63.72.05.1004",
    ]


def test_the_list_says_where_regions_come_from(staff, english):
    assert "import_wilayah" in staff.get(CHANGELIST).text


def test_staff_may_look_but_not_change(staff):
    assert staff.get(CHANGE).status_code == 200
    response = staff.post(CHANGE, {"name": "Diubah", "level": 4, "kind": "kelurahan", "parent": "63.72.05"})

    assert response.status_code == 403
    assert Region.objects.get(pk=GUNTUNG_PAIKAT).name == "Guntung Paikat"
    assert staff.get(reverse("admin:wilayah_region_add")).status_code == 403
    assert staff.get(reverse("admin:wilayah_region_delete", args=[GUNTUNG_PAIKAT])).status_code == 403


def test_a_superuser_may_correct_a_postal_code_but_not_the_tree(superuser):
    response = superuser.post(CHANGE, {"postal_code": "70714", "name": "Diubah", "parent": "63.72.02"})

    assert response.status_code == 302
    region = Region.objects.get(pk=GUNTUNG_PAIKAT)
    assert region.postal_code == "70714"
    assert (region.name, region.parent_id) == ("Guntung Paikat", "63.72.05")


def test_nobody_adds_or_deletes_regions_here(superuser):
    assert superuser.get(reverse("admin:wilayah_region_add")).status_code == 403
    assert superuser.get(reverse("admin:wilayah_region_delete", args=[GUNTUNG_PAIKAT])).status_code == 403


def test_people_who_are_not_staff_are_sent_to_the_admin_login(client, regions, outsider):
    login(client, outsider)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_search_terms_are_not_in_the_admin():
    assert not admin.site.is_registered(RegionSearchTerm)

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import login
from sikim.kim.models import DisseminationGroup
from sikim.kim.services.groups import (
    dissemination_group_create,
    dissemination_group_delete,
    dissemination_group_update,
)
from sikim.kim.tests.factories import KimMemberFactory, english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def people(kim_guntung_paikat):
    return [KimMemberFactory(kim=kim_guntung_paikat, name=name) for name in ["Ahmad", "Nur", "Rudi"]]


@pytest.fixture
def foreigner(kim_ekasari):
    return KimMemberFactory(kim=kim_ekasari, name="I Wayan Rahasia")


def test_ketua_creates_a_group_and_the_coordinator_is_a_member(kim_guntung_paikat, ketua_guntung_paikat, people):
    ahmad, nur, _rudi = people
    group = dissemination_group_create(
        actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name=" RT 03 /  RW 02 ", coordinator=ahmad, members=[nur]
    )
    assert group.name == "RT 03 / RW 02"
    assert set(group.members.all()) == {ahmad, nur}


def test_free_text_names_are_unique_per_kim(kim_guntung_paikat, ketua_guntung_paikat):
    dissemination_group_create(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Dusun Mekar")
    with pytest.raises(ValidationError) as caught:
        dissemination_group_create(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="dusun mekar")
    assert caught.value.message_dict["name"] == ["This KIM already has a group with this name."]


def test_a_member_from_another_kim_is_refused(kim_guntung_paikat, ketua_guntung_paikat, people, foreigner):
    with pytest.raises(ValidationError) as caught:
        dissemination_group_create(
            actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="RT 01", members=[people[0], foreigner]
        )
    assert "members" in caught.value.message_dict
    assert "I Wayan" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        dissemination_group_create(
            actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="RT 01", coordinator=foreigner
        )
    assert "coordinator" in caught.value.message_dict
    assert not DisseminationGroup.objects.exists()


def test_update_and_delete(kim_guntung_paikat, ketua_guntung_paikat, people, foreigner):
    ahmad, nur, rudi = people
    group = dissemination_group_create(
        actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="RT 01", members=[ahmad]
    )
    dissemination_group_update(actor=ketua_guntung_paikat, group=group, coordinator=rudi, members=[nur])
    assert set(group.members.all()) == {nur, rudi}
    with pytest.raises(ValidationError):
        dissemination_group_update(actor=ketua_guntung_paikat, group=group, members=[foreigner])
    assert set(group.members.all()) == {nur, rudi}
    dissemination_group_delete(actor=ketua_guntung_paikat, group=group)
    assert not DisseminationGroup.objects.exists()


@pytest.mark.parametrize("actor_name", ["ketua_ekasari", "outsider", "anggota_guntung_paikat"])
def test_others_may_not_manage_groups(request, kim_guntung_paikat, actor_name):
    with pytest.raises(PermissionDenied):
        dissemination_group_create(actor=request.getfixturevalue(actor_name), kim=kim_guntung_paikat, name="RT 09")


# --- Pages ---------------------------------------------------------------------------------------


def test_ketua_sees_groups_with_coordinator_and_members(client, kim_guntung_paikat, ketua_guntung_paikat, people):
    dissemination_group_create(
        actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Dusun Mekar", coordinator=people[0], members=people
    )
    body = (
        login(client, ketua_guntung_paikat)
        .get(reverse("kim:group_list", args=[kim_guntung_paikat.slug]))
        .content.decode()
    )
    assert "Dusun Mekar" in body and "3 members" in body and "Coordinator: Ahmad" in body and "Rudi" in body


def test_anggota_sees_group_names_and_counts_only(
    client, kim_guntung_paikat, ketua_guntung_paikat, anggota_guntung_paikat, people
):
    dissemination_group_create(
        actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Dusun Mekar", coordinator=people[0], members=people
    )
    body = (
        login(client, anggota_guntung_paikat)
        .get(reverse("kim:group_list", args=[kim_guntung_paikat.slug]))
        .content.decode()
    )
    assert "Dusun Mekar" in body and "3 members" in body
    assert "Rudi" not in body and people[0].phone not in body


def test_ketua_creates_and_edits_a_group_through_the_form(client, kim_guntung_paikat, ketua_guntung_paikat, people):
    login(client, ketua_guntung_paikat)
    add = reverse("kim:group_add", args=[kim_guntung_paikat.slug])
    assert client.get(add).status_code == 200
    response = client.post(add, {"name": "RT 03 / RW 02", "coordinator": people[0].pk, "members": [people[1].pk]})
    assert response.status_code == 302
    group = DisseminationGroup.objects.get()
    edit = reverse("kim:group_edit", args=[kim_guntung_paikat.slug, group.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"name": "RT 03 / RW 02", "coordinator": people[0].pk, "members": [people[2].pk]})
    assert set(group.members.all()) == {people[0], people[2]}  # the coordinator stays
    client.post(reverse("kim:group_delete", args=[kim_guntung_paikat.slug, group.pk]))
    assert not DisseminationGroup.objects.exists()


def test_the_form_refuses_a_member_of_another_kim(client, kim_guntung_paikat, ketua_guntung_paikat, foreigner):
    login(client, ketua_guntung_paikat)
    add = reverse("kim:group_add", args=[kim_guntung_paikat.slug])
    assert "I Wayan Rahasia" not in client.get(add).content.decode()
    response = client.post(add, {"name": "RT 01", "members": [foreigner.pk]})
    assert response.status_code == 200
    assert 'value="RT 01"' in response.content.decode()
    assert not DisseminationGroup.objects.exists()


@pytest.mark.parametrize("actor_name", ["ketua_ekasari", "outsider", "warga_guntung_paikat", "stranger"])
def test_others_get_404_on_group_pages(client, request, kim_guntung_paikat, ketua_guntung_paikat, actor_name):
    group = dissemination_group_create(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="RT 01")
    login(client, request.getfixturevalue(actor_name))
    slug = kim_guntung_paikat.slug
    assert client.get(reverse("kim:group_list", args=[slug])).status_code == 404
    assert client.get(reverse("kim:group_add", args=[slug])).status_code == 404
    assert client.post(reverse("kim:group_edit", args=[slug, group.pk]), {"name": "X"}).status_code == 404
    assert client.post(reverse("kim:group_delete", args=[slug, group.pk])).status_code == 404
    assert DisseminationGroup.objects.get().name == "RT 01"


def test_anggota_may_not_add_groups_and_anonymous_logs_in(client, kim_guntung_paikat, anggota_guntung_paikat):
    url = reverse("kim:group_add", args=[kim_guntung_paikat.slug])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    assert login(client, anggota_guntung_paikat).get(url).status_code == 403


def test_group_list_query_count_is_bounded(
    client, kim_guntung_paikat, ketua_guntung_paikat, people, django_assert_max_num_queries
):
    for number in range(5):
        dissemination_group_create(
            actor=ketua_guntung_paikat,
            kim=kim_guntung_paikat,
            name=f"RT {number}",
            coordinator=people[0],
            members=people,
        )
    login(client, ketua_guntung_paikat)
    url = reverse("kim:group_list", args=[kim_guntung_paikat.slug])
    client.get(url)
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200

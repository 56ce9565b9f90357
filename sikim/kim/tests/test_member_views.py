import pytest
from django.urls import reverse

from conftest import login
from sikim.kim.models import KimMember
from sikim.kim.tests.factories import KimMemberFactory, OrganisationMemberFactory, english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PHONE = "+6281355500001"


@pytest.fixture
def siti(kim_guntung_paikat):
    return KimMemberFactory(
        kim=kim_guntung_paikat, name="Siti Rahmawati", phone=PHONE, email="siti.r@example.id", sector="umkm"
    )


def _list(kim):
    return reverse("kim:member_list", args=[kim.slug])


def test_ketua_sees_the_list_with_contact_details_and_counts(client, kim_guntung_paikat, ketua_guntung_paikat, siti):
    OrganisationMemberFactory(kim=kim_guntung_paikat, name="Kelompok Tani Harapan", sector="pertanian")
    response = login(client, ketua_guntung_paikat).get(_list(kim_guntung_paikat))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Siti Rahmawati" in body and PHONE in body and "siti.r@example.id" in body
    assert "Kelompok Tani Harapan" in body
    assert "2 active members: 1 people and 1 member organisations." in body
    assert reverse("kim:member_export_xlsx", args=[kim_guntung_paikat.slug]) in body


def test_pembina_of_the_kim_sees_the_list(client, kim_guntung_paikat, pembina_banjarbaru, siti):
    body = login(client, pembina_banjarbaru).get(_list(kim_guntung_paikat)).content.decode()
    assert "Siti Rahmawati" in body and PHONE in body


def test_anggota_sees_counts_but_no_names_or_contacts(client, kim_guntung_paikat, anggota_guntung_paikat, siti):
    response = login(client, anggota_guntung_paikat).get(_list(kim_guntung_paikat))
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 active member" in body
    assert "Siti Rahmawati" not in body and PHONE not in body and "siti.r@example.id" not in body


@pytest.mark.parametrize("actor_name", ["ketua_ekasari", "outsider", "warga_guntung_paikat", "stranger"])
def test_others_get_404(client, request, kim_guntung_paikat, siti, actor_name):
    login(client, request.getfixturevalue(actor_name))
    slug = kim_guntung_paikat.slug
    urls = [
        _list(kim_guntung_paikat),
        reverse("kim:member_add", args=[slug]),
        reverse("kim:member_edit", args=[slug, siti.pk]),
        reverse("kim:member_import", args=[slug]),
        reverse("kim:member_export_csv", args=[slug]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("kim:member_edit", args=[slug, siti.pk]), {"name": "X"}).status_code == 404
    assert client.post(reverse("kim:member_deactivate", args=[slug, siti.pk])).status_code == 404
    siti.refresh_from_db()
    assert siti.name == "Siti Rahmawati" and siti.is_active


def test_anonymous_is_sent_to_login(client, kim_guntung_paikat, siti):
    for url in [_list(kim_guntung_paikat), reverse("kim:member_add", args=[kim_guntung_paikat.slug])]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_anggota_may_not_add_or_edit(client, kim_guntung_paikat, anggota_guntung_paikat, siti):
    login(client, anggota_guntung_paikat)
    assert client.get(reverse("kim:member_add", args=[kim_guntung_paikat.slug])).status_code == 403
    # The member list is not theirs to see, so a member's page does not exist for them.
    assert client.get(reverse("kim:member_edit", args=[kim_guntung_paikat.slug, siti.pk])).status_code == 404


def test_an_unknown_kim_is_404(client, ketua_guntung_paikat):
    assert login(client, ketua_guntung_paikat).get("/kim/tidak-ada/anggota/").status_code == 404


def test_ketua_adds_a_member_through_the_form(client, kim_guntung_paikat, ketua_guntung_paikat):
    response = login(client, ketua_guntung_paikat).post(
        reverse("kim:member_add", args=[kim_guntung_paikat.slug]),
        {
            "kind": "person",
            "name": "Budi Santoso",
            "phone": "0813-5550-0002",
            "preferred_channel": "sms",
            "consent_sms": "on",
            "sector": "perikanan",
        },
    )
    assert response.status_code == 302
    budi = KimMember.objects.get(name="Budi Santoso")
    assert budi.phone == "+6281355500002" and budi.consent_sms and budi.kim == kim_guntung_paikat


def test_the_form_keeps_what_was_typed_on_a_duplicate_phone(client, kim_guntung_paikat, ketua_guntung_paikat, siti):
    response = login(client, ketua_guntung_paikat).post(
        reverse("kim:member_add", args=[kim_guntung_paikat.slug]),
        {
            "kind": "person",
            "name": "Siti Kedua",
            "phone": "0813 5550 0001",
            "preferred_channel": "web",
            "occupation": "Pedagang",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "This phone number already belongs to a member of this KIM: Siti Rahmawati." in body
    assert 'value="Siti Kedua"' in body and 'value="Pedagang"' in body
    assert KimMember.objects.count() == 1


def test_a_bad_phone_is_explained(client, kim_guntung_paikat, ketua_guntung_paikat):
    response = login(client, ketua_guntung_paikat).post(
        reverse("kim:member_add", args=[kim_guntung_paikat.slug]),
        {"kind": "person", "name": "Budi", "phone": "0812", "preferred_channel": "web"},
    )
    assert response.status_code == 200
    assert "Enter an Indonesian phone number" in response.content.decode()


def test_ketua_edits_and_deactivates_a_member(client, kim_guntung_paikat, ketua_guntung_paikat, siti):
    login(client, ketua_guntung_paikat)
    edit = reverse("kim:member_edit", args=[kim_guntung_paikat.slug, siti.pk])
    page = client.get(edit)
    assert page.status_code == 200 and 'value="Siti Rahmawati"' in page.content.decode()
    response = client.post(
        edit,
        {
            "kind": "person",
            "name": "Siti Rahmawati",
            "phone": PHONE,
            "email": "baru@example.id",
            "preferred_channel": "email",
            "consent_email": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.email == "baru@example.id" and siti.preferred_channel == "email"
    client.post(reverse("kim:member_deactivate", args=[kim_guntung_paikat.slug, siti.pk]))
    siti.refresh_from_db()
    assert not siti.is_active


def test_search_and_sector_filter(client, kim_guntung_paikat, ketua_guntung_paikat, siti):
    KimMemberFactory(kim=kim_guntung_paikat, name="Budi Nelayan", sector="perikanan")
    login(client, ketua_guntung_paikat)
    body = client.get(_list(kim_guntung_paikat), {"q": "rahma"}).content.decode()
    assert "Siti Rahmawati" in body and "Budi Nelayan" not in body
    body = client.get(_list(kim_guntung_paikat), {"q": "0813-5550-0001"}).content.decode()
    assert "Siti Rahmawati" in body and "Budi Nelayan" not in body
    body = client.get(_list(kim_guntung_paikat), {"sector": "perikanan"}).content.decode()
    assert "Budi Nelayan" in body and "Siti Rahmawati" not in body
    assert client.get(_list(kim_guntung_paikat), {"sector": "nonsense", "page": "x"}).status_code == 200


def test_the_list_is_paginated(client, kim_guntung_paikat, ketua_guntung_paikat):
    KimMemberFactory.create_batch(30, kim=kim_guntung_paikat)
    login(client, ketua_guntung_paikat)
    body = client.get(_list(kim_guntung_paikat)).content.decode()
    assert "Page 1 of 2" in body
    assert client.get(_list(kim_guntung_paikat), {"page": "2"}).status_code == 200


def test_member_list_query_count_is_bounded(
    client, kim_guntung_paikat, ketua_guntung_paikat, django_assert_max_num_queries
):
    KimMemberFactory.create_batch(5, kim=kim_guntung_paikat)
    OrganisationMemberFactory.create_batch(5, kim=kim_guntung_paikat)
    login(client, ketua_guntung_paikat)
    client.get(_list(kim_guntung_paikat))  # warm caches (content types)
    with django_assert_max_num_queries(10):
        small = client.get(_list(kim_guntung_paikat))
    KimMemberFactory.create_batch(20, kim=kim_guntung_paikat)
    with django_assert_max_num_queries(10):
        large = client.get(_list(kim_guntung_paikat))
    assert small.status_code == large.status_code == 200


def test_the_page_stays_small(client, kim_guntung_paikat, ketua_guntung_paikat):
    KimMemberFactory.create_batch(25, kim=kim_guntung_paikat)
    body = login(client, ketua_guntung_paikat).get(_list(kim_guntung_paikat)).content
    assert len(body) < 100_000

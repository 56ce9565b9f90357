import pytest
from django.urls import resolve, reverse

from conftest import login
from sikim.kim.models import Kim, KimStatus
from sikim.kim.tests.factories_registry import (  # noqa: F401 (fixtures)
    BANJARBARU_SELATAN,
    SUNGAI_BESAR,
    english,
    tmp_media,
)
from sikim.kim.views import manage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/kim/usulkan/"


def _data(**overrides):
    data = {
        "name": "KIM Sungai Besar",
        "village": SUNGAI_BESAR,
        "about": "Warga ingin KIM.",
        "sectors": ["pertanian", "umkm"],
        "run_by_group": "",
        "proposer_name": "Budi Santoso",
        "proposer_contact": "0812-3456-7890",
        "homepage": "",
    }
    data.update(overrides)
    return data


def test_the_form_lives_at_kim_usulkan(regions):
    assert reverse("kim:propose") == URL
    assert resolve(URL).func is manage.propose
    assert resolve("/kim/kelola/").func is manage.manage_list


def test_anonymous_visitor_sees_the_form(client, regions):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="village"' in body and 'name="proposer_contact"' in body
    assert '<label for="id_village">' in body
    assert len(response.content) < 100_000


def test_anonymous_proposal_works(client, regions, pembina_office_banjarbaru):
    response = client.post(URL, _data())
    assert response.status_code == 302
    assert response["Location"] == reverse("kim:propose_thanks")
    kim = Kim.objects.get()
    assert kim.status == KimStatus.DIUSULKAN
    assert kim.proposer_contact == "+6281234567890"
    assert kim.proposed_by is None
    assert client.get(response["Location"]).status_code == 200


def test_signed_in_citizen_needs_no_contact(client, warga_guntung_paikat):
    response = login(client, warga_guntung_paikat).post(URL, _data(proposer_name="", proposer_contact=""))
    assert response.status_code == 302
    assert Kim.objects.get().proposed_by == warga_guntung_paikat


def test_the_honeypot_stops_bots(client, regions, mailoutbox):
    response = client.post(URL, _data(homepage="http://spam.example"))
    assert response.status_code == 302  # a bot learns nothing
    assert not Kim.objects.exists()
    assert mailoutbox == []


def test_the_honeypot_is_hidden_from_people(client, regions):
    body = client.get(URL).content.decode()
    assert 'aria-hidden="true"' in body
    assert 'name="homepage"' in body and 'tabindex="-1"' in body


def test_a_kecamatan_gets_a_clear_message_and_the_form_keeps_the_input(client, regions):
    response = client.post(URL, _data(village=BANJARBARU_SELATAN))
    assert response.status_code == 400
    body = response.content.decode()
    assert "A KIM belongs to a desa or kelurahan" in body
    assert 'value="KIM Sungai Besar"' in body
    assert 'value="63.72.05"' in body
    assert "Warga ingin KIM." in body
    assert not Kim.objects.exists()


def test_missing_fields_are_explained(client, regions):
    response = client.post(URL, _data(name="", proposer_contact=""))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"name", "proposer_contact"}


def test_a_bad_contact_is_explained(client, regions):
    response = client.post(URL, _data(proposer_contact="tidak ada"))
    assert response.status_code == 400
    assert "Indonesian phone number" in response.context["form"].errors["proposer_contact"][0]

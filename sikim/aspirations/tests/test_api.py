"""The aspirations API: intake, tracking, the desk, transitions, rating, support, per role."""

import json

import pytest
from django.test import Client

from conftest import login
from sikim.aspirations.models import Aspiration, AspirationState, Visibility

API = "/api/v1/aspirations"
pytestmark = pytest.mark.django_db

ROAD = {
    "region": "63.72.05.1004",
    "category": "infrastruktur",
    "title": "Jalan rusak di depan SDN",
    "text": "Jalan berlubang besar, hubungi saya di 0812-3456-7890.",
}


def post(client: Client, path: str, body: object) -> object:
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def routed(submit, rules, ketua_guntung_paikat, petugas_pupr):
    """A confidential road complaint by the citizen, verified and routed to Dinas PUPR."""
    from sikim.aspirations.services.workflow import aspiration_verify

    aspiration = submit(visibility=Visibility.CONFIDENTIAL)
    return aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)


# --- intake ----------------------------------------------------------------------------------------
def test_a_logged_in_citizen_submits(client, warga_guntung_paikat, kim_guntung_paikat):
    login(client, warga_guntung_paikat)
    response = post(client, f"{API}/", ROAD)
    assert response.status_code == 201, response.content
    body = response.json()
    aspiration = Aspiration.objects.get(code=body["code"])
    assert aspiration.author == warga_guntung_paikat
    assert aspiration.channel == "api"
    assert body["state"] == "diajukan"
    assert body["tracking_url"].endswith(f"{aspiration.code}/")


def test_an_anonymous_citizen_submits_with_a_contact(client, kim_guntung_paikat):
    response = post(client, f"{API}/", {**ROAD, "contact_name": "Budi", "contact_phone": "0812 5555 1234"})
    assert response.status_code == 201, response.content
    aspiration = Aspiration.objects.get(code=response.json()["code"])
    assert aspiration.author is None
    assert aspiration.contact_phone == "+6281255551234"


def test_an_anonymous_citizen_without_contact_gets_a_clear_422(client, kim_guntung_paikat):
    response = post(client, f"{API}/", ROAD)
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "contact_phone"
    assert not Aspiration.objects.exists()


def test_a_wrong_token_is_not_an_anonymous_submission(client, kim_guntung_paikat):
    response = client.post(
        f"{API}/",
        data=json.dumps({**ROAD, "contact_phone": "081255551234"}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer sikim_wrong",
    )
    assert response.status_code == 401
    assert not Aspiration.objects.exists()


def test_a_logged_in_browser_needs_the_csrf_token(warga_guntung_paikat, kim_guntung_paikat):
    client = Client(enforce_csrf_checks=True)
    login(client, warga_guntung_paikat)
    assert post(client, f"{API}/", ROAD).status_code == 403
    assert not Aspiration.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {**ROAD, "text": "x" * 20_000},
        {**ROAD, "region": "63.72"},
        {**ROAD, "region": "99.99.99.9999"},
        {**ROAD, "category": "nope"},
        {**ROAD, "kim": "no-such-kim"},
        {**ROAD, "latitude": 40.0, "longitude": 100.0},
        [],
        "text",
    ],
)
def test_bad_intake_is_422_and_stores_nothing(client, warga_guntung_paikat, kim_guntung_paikat, body):
    login(client, warga_guntung_paikat)
    response = post(client, f"{API}/", body)
    assert response.status_code == 422, response.content
    assert response.json()["message"]
    assert not Aspiration.objects.exists()


def test_a_pengurus_files_on_behalf(client, ketua_guntung_paikat, kim_guntung_paikat):
    login(client, ketua_guntung_paikat)
    response = post(client, f"{API}/", {**ROAD, "on_behalf": True, "contact_name": "Pak Darto"})
    assert response.status_code == 201, response.content
    aspiration = Aspiration.objects.get(code=response.json()["code"])
    assert aspiration.filed_by == ketua_guntung_paikat and aspiration.channel == "offline"


def test_an_outsider_may_not_file_on_behalf(client, ketua_ekasari, kim_guntung_paikat):
    login(client, ketua_ekasari)
    response = post(client, f"{API}/", {**ROAD, "on_behalf": True, "contact_name": "Pak Darto"})
    assert response.status_code == 403


# --- tracking ---------------------------------------------------------------------------------------
def test_tracking_is_public_and_masks(client, submit, ketua_guntung_paikat, rules):
    from sikim.aspirations.services.workflow import aspiration_verify

    aspiration = submit(text="Jalan rusak. Telepon 0812-3456-7890 atau siti@contoh.id")
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration, note="Sudah dicek, WA 081299998888")
    response = client.get(f"{API}/track/{aspiration.code.lower()}")
    assert response.status_code == 200
    body = response.json()
    assert "0812-3456-7890" not in body["text"] and "siti@contoh.id" not in body["text"]
    assert body["author"] == "Siti Aminah"  # public visibility: the name is public
    assert [e["kind"] for e in body["timeline"]] == ["submitted", "verified", "forwarded"]
    assert "081299998888" not in json.dumps(body)
    assert body["office"] == "Dinas PUPR Kota Banjarbaru"


def test_tracking_a_confidential_case_names_nobody(client, routed):
    body = client.get(f"{API}/track/{routed.code}").json()
    assert body["text"] == ""
    assert "Siti" not in json.dumps(body)


def test_tracking_an_unknown_code_is_404(client, regions):
    assert client.get(f"{API}/track/ASP-2026-ZZZZZZ").status_code == 404
    assert client.get(f"{API}/track/..%2F..").status_code in (404, 422)


# --- the desk ------------------------------------------------------------------------------------------
def test_the_office_sees_only_its_cases_and_never_a_confidential_author(client, routed, petugas_pupr, submit):
    other = submit(category="kesehatan")  # not routed to PUPR
    login(client, petugas_pupr)
    listed = client.get(f"{API}/").json()
    assert [item["code"] for item in listed["items"]] == [routed.code]
    detail = client.get(f"{API}/{routed.code}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["contact"] is None
    assert "Siti" not in json.dumps(body) and "siti@sikim.test" not in json.dumps(body)
    assert client.get(f"{API}/{other.code}").status_code == 404


def test_the_verifying_pengurus_sees_the_confidential_author(client, routed, ketua_guntung_paikat):
    login(client, ketua_guntung_paikat)
    body = client.get(f"{API}/{routed.code}").json()
    assert body["author"] == "Siti Aminah"
    assert body["contact"]["email"] == "siti@sikim.test"


def test_the_desk_filters(client, routed, submit, pembina_banjarbaru):
    submit(category="kesehatan")
    login(client, pembina_banjarbaru)
    assert client.get(f"{API}/").json()["count"] == 2
    assert [i["code"] for i in client.get(f"{API}/?state=diteruskan").json()["items"]] == [routed.code]
    assert client.get(f"{API}/?category=kesehatan").json()["count"] == 1
    assert client.get(f"{API}/?office=dinas-pupr-kota-banjarbaru").json()["count"] == 1
    assert client.get(f"{API}/?region=51.01").json()["count"] == 0
    assert client.get(f"{API}/?state=bogus").status_code == 422


def test_outsiders_see_nothing(client, routed, outsider, ketua_ekasari, stranger):
    for user in (outsider, ketua_ekasari, stranger):
        login(client, user)
        assert client.get(f"{API}/").json()["count"] == 0
        assert client.get(f"{API}/{routed.code}").status_code == 404
        response = post(client, f"{API}/{routed.code}/transitions", {"action": "answer", "answer": "x"})
        assert response.status_code == 404


def test_anonymous_desk_is_401(client, routed):
    assert client.get(f"{API}/").status_code == 401
    assert client.get(f"{API}/{routed.code}").status_code == 401


# --- transitions ---------------------------------------------------------------------------------------
def test_the_whole_journey_through_the_api(client, submit, rules, ketua_guntung_paikat, petugas_pupr,
                                          warga_guntung_paikat):  # fmt: skip
    aspiration = submit()
    login(client, ketua_guntung_paikat)
    response = post(client, f"{API}/{aspiration.code}/transitions", {"action": "verify", "note": "Benar"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "diteruskan"
    login(client, petugas_pupr)
    response = post(client, f"{API}/{aspiration.code}/transitions", {"action": "follow_up", "note": "Disurvei"})
    assert response.json()["state"] == "ditindaklanjuti"
    response = post(client, f"{API}/{aspiration.code}/transitions", {"action": "answer", "answer": "Diperbaiki."})
    assert response.json()["state"] == "dijawab"
    login(client, warga_guntung_paikat)
    response = post(client, f"{API}/{aspiration.code}/rating", {"rating": 5, "comment": "Cepat"})
    assert response.status_code == 200 and response.json()["rating"] == 5
    assert post(client, f"{API}/{aspiration.code}/rating", {"rating": 4}).status_code == 422
    response = post(client, f"{API}/{aspiration.code}/transitions", {"action": "confirm"})
    assert response.json()["state"] == "selesai"
    response = post(client, f"{API}/{aspiration.code}/transitions", {"action": "reopen", "reason": "Rusak lagi"})
    assert response.json()["state"] == "diteruskan"


def test_an_illegal_jump_is_422_with_the_state(client, submit, petugas_pupr, ketua_guntung_paikat):
    aspiration = submit()
    login(client, ketua_guntung_paikat)
    response = post(client, f"{API}/{aspiration.code}/transitions", {"action": "confirm"})
    assert response.status_code == 403  # only the author confirms
    response = post(client, f"{API}/{aspiration.code}/transitions", {"action": "reject", "reason": "bogus"})
    assert response.status_code == 422
    assert Aspiration.objects.get(pk=aspiration.pk).state == AspirationState.DIAJUKAN


def test_the_author_cannot_jump_states(client, submit, warga_guntung_paikat):
    aspiration = submit()
    login(client, warga_guntung_paikat)
    response = post(client, f"{API}/{aspiration.code}/transitions", {"action": "confirm"})
    assert response.status_code == 422
    assert response.json()["code"] == "illegal_transition"
    assert "Submitted" in response.json()["message"] or "Diajukan" in response.json()["message"]


def test_an_office_may_not_verify_and_a_pengurus_may_not_answer(client, routed, ketua_guntung_paikat, petugas_pupr):
    login(client, ketua_guntung_paikat)
    assert post(client, f"{API}/{routed.code}/transitions", {"action": "answer", "answer": "x"}).status_code == 403
    login(client, petugas_pupr)
    assert post(client, f"{API}/{routed.code}/transitions", {"action": "verify"}).status_code == 403


def test_not_competent_and_forward_by_the_pembina(client, routed, petugas_pupr, pembina_banjarbaru, dlh_banjarbaru):
    login(client, petugas_pupr)
    response = post(client, f"{API}/{routed.code}/transitions", {"action": "not_competent", "note": "Jalan provinsi"})
    assert response.status_code == 200, response.content
    assert response.json()["office"] == "dinas-pupr-kalsel"  # the rules route it to the next office
    login(client, pembina_banjarbaru)
    response = post(client, f"{API}/{routed.code}/transitions", {"action": "forward", "office": "dlh-kota-banjarbaru"})
    assert response.json()["office"] == "dlh-kota-banjarbaru"
    assert post(client, f"{API}/{routed.code}/transitions", {"action": "forward", "office": "nope"}).status_code == 422


@pytest.mark.parametrize("body", [{"action": "fly"}, {}, [], {"action": "verify", "note": 5}])
def test_bad_transition_bodies_are_422(client, routed, ketua_guntung_paikat, body):
    login(client, ketua_guntung_paikat)
    assert post(client, f"{API}/{routed.code}/transitions", body).status_code == 422


# --- support ----------------------------------------------------------------------------------------------
def test_support_once_per_account(client, routed, submit, ketua_guntung_paikat, stranger):
    from sikim.aspirations.services.workflow import aspiration_verify

    public = aspiration_verify(actor=ketua_guntung_paikat, aspiration=submit())
    login(client, stranger)
    first = client.post(f"{API}/{public.code}/support")
    assert first.status_code == 200 and first.json() == {"supported": True, "support_count": 1}
    assert client.post(f"{API}/{public.code}/support").json() == {"supported": False, "support_count": 1}
    assert client.post(f"{API}/{routed.code}/support").status_code == 404  # confidential: not public
    assert Client().post(f"{API}/{public.code}/support").status_code == 401


def test_the_desk_list_takes_a_fixed_number_of_queries(client, submit, pembina_banjarbaru):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit()
    login(client, pembina_banjarbaru)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"{API}/").json()["count"] == 1
    for _ in range(5):
        submit()
    with CaptureQueriesContext(connection) as six:
        assert client.get(f"{API}/").json()["count"] == 6
    assert len(six) == len(one)

import pytest

from conftest import EKASARI, login
from sikim.accounts.services import api_token_create
from sikim.kim.models import Formation, Kim, KimDocument, KimStatus
from sikim.kim.tests.factories_registry import (  # noqa: F401 (fixtures)
    BANJARBARU_SELATAN,
    SUNGAI_BESAR,
    big_pdf,
    english,
    formed,
    not_a_pdf,
    pdf,
    propose,
    tmp_media,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "tmp_media")]

API = "/api/v1/kim"


def _token(user, scope="write"):
    _, plain = api_token_create(actor=user, name="test", scope=scope)
    return {"Authorization": f"Bearer {plain}"}


def _formation_data(**overrides):
    data = {
        "held_on": "2024-07-27",
        "place": "Aula Kelurahan",
        "attendees_count": "35",
        "decree_number": "188/12/2024",
        "decree_date": "2024-07-29",
        "decree_pdf": pdf(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def proposed(regions, pembina_office_banjarbaru):
    return propose(None)


# --- Proposals ------------------------------------------------------------------------------------


def test_a_signed_in_citizen_proposes_by_api(client, warga_guntung_paikat):
    response = client.post(
        f"{API}/proposals",
        {"name": "KIM Sungai Besar", "village_code": SUNGAI_BESAR, "sectors": ["pertanian"]},
        content_type="application/json",
        headers=_token(warga_guntung_paikat),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "diusulkan"
    assert body["region_code"] == SUNGAI_BESAR
    assert Kim.objects.get().proposed_by == warga_guntung_paikat


def test_a_kecamatan_is_refused_by_api(client, warga_guntung_paikat):
    response = client.post(
        f"{API}/proposals",
        {"name": "KIM Kecamatan", "village_code": BANJARBARU_SELATAN},
        content_type="application/json",
        headers=_token(warga_guntung_paikat),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["details"][0]["field"] == "region"
    assert "A KIM belongs to a desa or kelurahan" in body["details"][0]["message"]
    assert not Kim.objects.exists()


def test_proposals_need_an_account(client, regions):
    response = client.post(
        f"{API}/proposals", {"name": "KIM", "village_code": SUNGAI_BESAR}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_unknown_fields_are_refused(client, warga_guntung_paikat):
    response = client.post(
        f"{API}/proposals",
        {"name": "KIM", "village_code": SUNGAI_BESAR, "status": "aktif"},
        content_type="application/json",
        headers=_token(warga_guntung_paikat),
    )
    assert response.status_code == 422


# --- The worklist ---------------------------------------------------------------------------------


def test_worklist_is_scoped(client, pembina_banjarbaru, proposed, kim_guntung_paikat, kim_ekasari):
    response = client.get(f"{API}/manage", headers=_token(pembina_banjarbaru, "read"))
    assert response.status_code == 200
    body = response.json()
    assert [kim["slug"] for kim in body["awaiting_formation"]] == [proposed.slug]
    assert [kim["slug"] for kim in body["running"]] == ["kim-guntung-paikat"]


def test_worklist_refuses_people_without_a_kim_role(client, warga_guntung_paikat, regions):
    assert client.get(f"{API}/manage", headers=_token(warga_guntung_paikat)).status_code == 403
    assert client.get(f"{API}/manage").status_code == 401


# --- Formation ------------------------------------------------------------------------------------


def test_pembina_records_a_formation_by_api(client, pembina_banjarbaru, proposed):
    response = client.post(
        f"{API}/{proposed.slug}/formation",
        _formation_data(facilitators=[str(pembina_banjarbaru.pk)]),
        headers=_token(pembina_banjarbaru),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "dibentuk"
    assert list(Formation.objects.get().facilitators.all()) == [pembina_banjarbaru]


@pytest.mark.parametrize(("upload", "message"), [(not_a_pdf, "not a PDF"), (big_pdf, "too large")])
def test_a_bad_sk_is_refused_by_api(client, pembina_banjarbaru, proposed, upload, message):
    response = client.post(
        f"{API}/{proposed.slug}/formation", _formation_data(decree_pdf=upload()), headers=_token(pembina_banjarbaru)
    )
    assert response.status_code == 422
    detail = response.json()["details"][0]
    assert detail["field"] == "decree_pdf" and message in detail["message"]
    proposed.refresh_from_db()
    assert proposed.status == KimStatus.DIUSULKAN
    assert not Formation.objects.exists() and not KimDocument.objects.exists()


def test_formation_without_the_sk_is_422(client, pembina_banjarbaru, proposed):
    data = _formation_data()
    del data["decree_pdf"]
    response = client.post(f"{API}/{proposed.slug}/formation", data, headers=_token(pembina_banjarbaru))
    assert response.status_code == 422


def test_outsider_gets_404_json(client, outsider, proposed):
    headers = _token(outsider)
    json = {"content_type": "application/json"}
    calls = [
        ("post", "formation", _formation_data(), {}),
        ("post", "register", None, {}),
        ("post", "status", {"to_status": "dibubarkan", "note": "x"}, json),
        ("get", "profile", None, {}),
        ("patch", "profile", {"about": "x"}, json),
        ("get", "documents", None, {}),
        ("post", "documents", {"kind": "other", "title": "X", "file": pdf()}, {}),
    ]
    for method, path, data, kwargs in calls:
        response = getattr(client, method)(f"{API}/{proposed.slug}/{path}", data, headers=headers, **kwargs)
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["code"] == "not_found"
    proposed.refresh_from_db()
    assert proposed.status == KimStatus.DIUSULKAN


def test_anonymous_gets_401_json(client, proposed):
    assert client.post(f"{API}/{proposed.slug}/register").status_code == 401
    assert client.get(f"{API}/{proposed.slug}/documents").status_code == 401


# --- Register, status, profile -------------------------------------------------------------------


def test_pembina_registers_by_api(client, pembina_banjarbaru, proposed):
    formed(pembina_banjarbaru, proposed)
    response = client.post(f"{API}/{proposed.slug}/register", headers=_token(pembina_banjarbaru))
    assert response.status_code == 200
    assert response.json()["registration_number"] == "KIM-63.72-0001"


def test_the_pembina_of_banjarbaru_cannot_register_in_jembrana_by_api(client, pembina_banjarbaru, outsider, regions):
    kim = formed(outsider, propose(None, name="KIM Ekasari Dua", village=EKASARI))
    response = client.post(f"{API}/{kim.slug}/register", headers=_token(pembina_banjarbaru))
    assert response.status_code == 404
    kim.refresh_from_db()
    assert kim.status == KimStatus.DIBENTUK


def test_ketua_gets_403_on_register_and_status(client, ketua_guntung_paikat, kim_guntung_paikat):
    headers = _token(ketua_guntung_paikat)
    assert client.post(f"{API}/kim-guntung-paikat/register", headers=headers).status_code == 403
    response = client.post(
        f"{API}/kim-guntung-paikat/status",
        {"to_status": "dibubarkan", "note": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_illegal_status_jump_is_422(client, pembina_banjarbaru, proposed):
    response = client.post(
        f"{API}/{proposed.slug}/status",
        {"to_status": "aktif", "note": ""},
        content_type="application/json",
        headers=_token(pembina_banjarbaru),
    )
    assert response.status_code == 422
    assert "cannot become Active" in response.json()["details"][0]["message"]


def test_status_change_by_api(client, pembina_banjarbaru, kim_guntung_paikat):
    response = client.post(
        f"{API}/kim-guntung-paikat/status",
        {"to_status": "tidak_aktif", "note": "Vakum"},
        content_type="application/json",
        headers=_token(pembina_banjarbaru),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "tidak_aktif"


def test_ketua_patches_the_profile(client, ketua_guntung_paikat, kim_guntung_paikat):
    response = client.patch(
        f"{API}/kim-guntung-paikat/profile",
        {"about": "Baru", "sectors": ["umkm"], "social_links": {"youtube": "https://youtube.com/@kimgp"}},
        content_type="application/json",
        headers=_token(ketua_guntung_paikat),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["about"] == "Baru"
    assert body["name"] == "KIM Guntung Paikat"
    assert body["sectors"] == ["umkm"]


def test_ketua_of_another_kim_cannot_patch(client, ketua_ekasari, kim_guntung_paikat):
    response = client.patch(
        f"{API}/kim-guntung-paikat/profile",
        {"about": "Diambil"},
        content_type="application/json",
        headers=_token(ketua_ekasari),
    )
    assert response.status_code == 404


def test_a_read_only_token_cannot_change_anything(client, pembina_banjarbaru, kim_guntung_paikat):
    response = client.patch(
        f"{API}/kim-guntung-paikat/profile",
        {"about": "x"},
        content_type="application/json",
        headers=_token(pembina_banjarbaru, "read"),
    )
    assert response.status_code == 401


def test_bad_profile_values_are_422(client, ketua_guntung_paikat, kim_guntung_paikat):
    response = client.patch(
        f"{API}/kim-guntung-paikat/profile",
        {"latitude": "48.85", "longitude": "2.35"},
        content_type="application/json",
        headers=_token(ketua_guntung_paikat),
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "latitude"


# --- Documents -------------------------------------------------------------------------------------


def test_documents_by_api(client, ketua_guntung_paikat, kim_guntung_paikat):
    headers = _token(ketua_guntung_paikat)
    created = client.post(
        f"{API}/kim-guntung-paikat/documents",
        {"kind": "ad_art", "title": "AD/ART", "is_public": "false", "file": pdf("adart.pdf")},
        headers=headers,
    )
    assert created.status_code == 201, created.content
    document = created.json()
    assert document["is_public"] is False
    listed = client.get(f"{API}/kim-guntung-paikat/documents", headers=headers).json()
    assert [item["id"] for item in listed] == [document["id"]]
    patched = client.patch(
        f"{API}/kim-guntung-paikat/documents/{document['id']}",
        {"is_public": True},
        content_type="application/json",
        headers=headers,
    )
    assert patched.json()["is_public"] is True
    assert client.delete(f"{API}/kim-guntung-paikat/documents/{document['id']}", headers=headers).status_code == 204
    assert not KimDocument.objects.exists()


def test_a_document_that_is_not_a_pdf_is_422(client, ketua_guntung_paikat, kim_guntung_paikat):
    response = client.post(
        f"{API}/kim-guntung-paikat/documents",
        {"kind": "other", "title": "X", "file": not_a_pdf()},
        headers=_token(ketua_guntung_paikat),
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "file"


def test_anggota_cannot_list_documents(client, anggota_guntung_paikat, kim_guntung_paikat):
    assert client.get(f"{API}/kim-guntung-paikat/documents", headers=_token(anggota_guntung_paikat)).status_code == 404


def test_session_login_works_too(client, pembina_banjarbaru, proposed):
    login(client, pembina_banjarbaru)
    assert client.get(f"{API}/manage").status_code == 200


def test_endpoints_are_in_the_openapi_schema(client, regions):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/kim/proposals",
        "/api/v1/kim/manage",
        "/api/v1/kim/{slug}/formation",
        "/api/v1/kim/{slug}/register",
        "/api/v1/kim/{slug}/status",
        "/api/v1/kim/{slug}/profile",
        "/api/v1/kim/{slug}/documents",
        "/api/v1/kim/{slug}/documents/{document_id}",
    ]:
        assert path in paths, path
    assert "multipart/form-data" in paths["/api/v1/kim/{slug}/formation"]["post"]["requestBody"]["content"]

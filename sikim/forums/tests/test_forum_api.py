"""/api/v1/forums/: public reads, writes for the pembina of the forum's region."""

from datetime import date

import pytest

from conftest import login
from sikim.forums.models import ForumMembership, KimForum

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def members(forum_banjarbaru, kim_guntung_paikat):
    ForumMembership.objects.create(forum=forum_banjarbaru, kim=kim_guntung_paikat, joined_on=date(2019, 3, 14))
    return forum_banjarbaru


def test_list_and_filters(client, members, forum_jembrana):
    data = client.get("/api/v1/forums/").json()
    assert data["count"] == 2
    by_slug = {item["slug"]: item for item in data["items"]}
    assert by_slug["forum-kim-kota-banjarbaru"]["kim_count"] == 1
    assert by_slug["forum-kim-kota-banjarbaru"]["region_code"] == "63.72"
    assert [i["slug"] for i in client.get("/api/v1/forums/", {"wilayah": "51"}).json()["items"]] == [
        "forum-kim-jembrana"
    ]
    assert client.get("/api/v1/forums/", {"level": "desa"}).status_code == 422
    assert client.get("/api/v1/forums/", {"wilayah": "x"}).status_code == 422


def test_detail_and_kims(client, members):
    detail = client.get("/api/v1/forums/forum-kim-kota-banjarbaru").json()
    assert detail["name"] == "Forum KIM Kota Banjarbaru" and detail["board"] == []
    kims = client.get("/api/v1/forums/forum-kim-kota-banjarbaru/kims").json()
    assert [k["slug"] for k in kims["items"]] == ["kim-guntung-paikat"]
    assert kims["items"][0]["url"] == "/kim/kim-guntung-paikat/"


@pytest.mark.parametrize("url", ["/api/v1/forums/nope", "/api/v1/forums/nope/kims", "/api/v1/forums/%20"])
def test_unknown_forum_is_404_json(client, regions, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_anonymous_writes_are_401(client, members):
    assert client.post("/api/v1/forums/", {}, content_type="application/json").status_code == 401
    assert (
        client.post(
            "/api/v1/forums/forum-kim-kota-banjarbaru/kims", {"kim": "x"}, content_type="application/json"
        ).status_code
        == 401
    )
    assert client.delete("/api/v1/forums/forum-kim-kota-banjarbaru/kims/kim-guntung-paikat").status_code == 401
    assert (
        client.put(
            "/api/v1/forums/forum-kim-kota-banjarbaru/board", {"seats": []}, content_type="application/json"
        ).status_code
        == 401
    )


def test_pembina_creates_a_forum(client, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    response = client.post(
        "/api/v1/forums/",
        {"name": "Forum KIM Banjarbaru Selatan", "level": "kecamatan", "region": "63.72.05"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["region_code"] == "63.72.05"


def test_level_mismatch_is_422_with_the_reason(client, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    response = client.post(
        "/api/v1/forums/",
        {"name": "Forum", "level": "kabupaten_kota", "region": "63.72.05"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "region"


def test_outsider_cannot_write(client, members, outsider):
    login(client, outsider)
    assert (
        client.post(
            "/api/v1/forums/",
            {"name": "F", "level": "kabupaten_kota", "region": "63.72"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/forums/forum-kim-kota-banjarbaru/kims",
            {"kim": "kim-guntung-paikat"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert client.delete("/api/v1/forums/forum-kim-kota-banjarbaru/kims/kim-guntung-paikat").status_code == 403
    assert (
        client.put(
            "/api/v1/forums/forum-kim-kota-banjarbaru/board", {"seats": []}, content_type="application/json"
        ).status_code
        == 403
    )
    assert members.kims.count() == 1


def test_pembina_manages_kims_and_board(client, members, pembina_banjarbaru, sungai_besar, kim_ekasari):
    login(client, pembina_banjarbaru)
    url = "/api/v1/forums/forum-kim-kota-banjarbaru"
    assert client.post(f"{url}/kims", {"kim": "kim-sungai-besar"}, content_type="application/json").status_code == 201
    outside = client.post(f"{url}/kims", {"kim": "kim-desa-ekasari"}, content_type="application/json")
    assert outside.status_code == 422
    assert "outside" in outside.json()["details"][0]["message"]
    assert client.post(f"{url}/kims", {"kim": "tidak-ada"}, content_type="application/json").status_code == 422
    assert client.delete(f"{url}/kims/kim-sungai-besar").status_code == 204
    assert client.delete(f"{url}/kims/kim-sungai-besar").status_code == 422
    assert client.delete(f"{url}/kims/tidak-ada").status_code == 404
    board = client.put(
        f"{url}/board",
        {
            "seats": [
                {
                    "person_name": "Ahmad Fauzi",
                    "position": "Ketua",
                    "from_kim": "kim-guntung-paikat",
                    "starts_on": "2024-01-01",
                }
            ]
        },
        content_type="application/json",
    )
    assert board.status_code == 200, board.content
    assert board.json()[0]["from_kim"] == "kim-guntung-paikat"
    assert KimForum.objects.get().board.count() == 1


def test_board_with_a_kim_from_outside_is_422(client, members, pembina_banjarbaru, kim_ekasari):
    login(client, pembina_banjarbaru)
    response = client.put(
        "/api/v1/forums/forum-kim-kota-banjarbaru/board",
        {
            "seats": [
                {"person_name": "A", "position": "Ketua", "from_kim": "kim-desa-ekasari", "starts_on": "2024-01-01"}
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 422

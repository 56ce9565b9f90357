"""The public KIM API: /api/v1/kim/ (directory), /api/v1/kim/{slug} (profile). No login needed."""

from datetime import date

import pytest

from conftest import login
from sikim.kim.models import BoardPositionKind, KimSector, KimStatus, Sector
from sikim.kim.tests.factories import BoardPositionFactory, BoardTermFactory, KimFactory, KimMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kims(kim_guntung_paikat, kim_ekasari):
    KimSector.objects.create(kim=kim_guntung_paikat, sector=Sector.TEKNOLOGI)
    KimFactory(name="KIM Usulan", slug="kim-usulan", status=KimStatus.DIUSULKAN, registration_number=None)
    KimFactory(name="KIM Bubar", slug="kim-bubar", status=KimStatus.DIBUBARKAN)
    return kim_guntung_paikat


def test_directory_lists_public_kims(client, kims):
    response = client.get("/api/v1/kim/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [item["slug"] for item in data["items"]] == ["kim-desa-ekasari", "kim-guntung-paikat"]
    guntung = data["items"][1]
    assert guntung["region_code"] == "63.72.05.1004"
    assert guntung["region_path"] == "Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan"
    assert guntung["sectors"] == ["teknologi"]
    assert guntung["url"] == "/kim/kim-guntung-paikat/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"wilayah": "63"}, ["kim-guntung-paikat"]),
        ({"wilayah": "51.01.04"}, ["kim-desa-ekasari"]),
        ({"q": "paikat"}, ["kim-guntung-paikat"]),
        ({"sector": "teknologi"}, ["kim-guntung-paikat"]),
        ({"status": "terdaftar"}, []),
    ],
)
def test_directory_filters(client, kims, query, expected):
    data = client.get("/api/v1/kim/", query).json()
    assert [item["slug"] for item in data["items"]] == expected


def test_directory_pages(client, regions):
    for n in range(30):
        KimFactory(name=f"KIM {n:02d}", slug=f"kim-{n:02d}")
    first = client.get("/api/v1/kim/").json()
    assert first["count"] == 30 and len(first["items"]) == 25
    assert len(client.get("/api/v1/kim/", {"page": 2}).json()["items"]) == 5


@pytest.mark.parametrize(
    "query",
    [{"status": "diusulkan"}, {"status": "dibubarkan"}, {"wilayah": "6"}, {"sector": "nope"}, {"page": "x"}],
)
def test_wrong_values_are_422_json(client, kims, query):
    response = client.get("/api/v1/kim/", query)
    assert response.status_code == 422
    assert set(response.json()) >= {"code", "message", "details"}


def test_profile_without_personal_data(client, kims):
    ketua = KimMemberFactory(kim=kims, name="Ahmad Fauzi", phone="+6281351000003", email="ahmad@rahasia.id")
    KimMemberFactory(kim=kims, phone="+6281351000009", email="lain@rahasia.id", sector=Sector.UMKM)
    term = BoardTermFactory(kim=kims, starts_on=date(2023, 8, 1), ends_on=None)
    BoardPositionFactory(term=term, member=ketua, position=BoardPositionKind.KETUA)
    response = client.get("/api/v1/kim/kim-guntung-paikat")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "KIM Guntung Paikat"
    assert [r["code"] for r in data["region_ancestors"]] == ["63", "63.72", "63.72.05", "63.72.05.1004"]
    assert data["board"]["seats"] == [
        {"position": "ketua", "position_label": data["board"]["seats"][0]["position_label"], "section_name": "",
         "name": "Ahmad Fauzi"}
    ]  # fmt: skip
    assert data["members"]["total"] == 2 and data["members"]["people"] == 2
    text = response.content.decode()
    for secret in ("+6281351000003", "ahmad@rahasia.id", "+6281351000009", "lain@rahasia.id"):
        assert secret not in text


@pytest.mark.parametrize("slug", ["kim-usulan", "kim-bubar", "tidak-ada", "bad%20slug", "x" * 300])
def test_non_public_or_unknown_kims_are_404_json(client, kims, slug, pembina_banjarbaru):
    login(client, pembina_banjarbaru)  # even their pembina: the public API shows public KIMs only
    response = client.get(f"/api/v1/kim/{slug}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_management_routes_are_not_taken_for_slugs(client, regions):
    # /api/v1/kim/manage belongs to the management API (login needed), not to a KIM called "manage".
    assert client.get("/api/v1/kim/manage").status_code == 401


@pytest.mark.parametrize("url", ["/api/v1/kim/", "/api/v1/forums/"])
def test_an_absurd_page_number_is_422_not_500(client, regions, url):
    response = client.get(url, {"page": "219780345361495031878564970496"})
    assert response.status_code == 422
    assert client.get(url, {"page": "999999"}).json()["items"] == []

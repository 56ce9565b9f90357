"""Forum KIM pages: public list and page; the pembina's management pages (and who gets 404/403)."""

from datetime import date

import pytest

from conftest import login
from sikim.forums.models import ForumBoardPosition, ForumLevel, ForumMembership, KimForum
from sikim.kim.models import KimStatus
from sikim.kim.tests.factories import KimFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def members(forum_banjarbaru, kim_guntung_paikat):
    ForumMembership.objects.create(forum=forum_banjarbaru, kim=kim_guntung_paikat, joined_on=date(2019, 3, 14))
    hidden = KimFactory(name="KIM Bubar", slug="kim-bubar", status=KimStatus.DIBUBARKAN)
    ForumMembership.objects.create(forum=forum_banjarbaru, kim=hidden)
    ForumBoardPosition.objects.create(
        forum=forum_banjarbaru, person_name="Ahmad Fauzi", position="Ketua", from_kim=kim_guntung_paikat,
        starts_on=date(2019, 3, 14),
    )  # fmt: skip
    return forum_banjarbaru


# --- Public -----------------------------------------------------------------------------------


def test_forum_list_for_anyone(client, members, forum_jembrana):
    response = client.get("/forum/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Forum KIM Kota Banjarbaru" in body and "Forum KIM Kabupaten Jembrana" in body
    assert "1 KIM" in body  # the dissolved member is not counted
    assert "Found a forum" not in body


def test_forum_list_by_region_and_level(client, members, forum_jembrana, regions):
    kecamatan = KimForum.objects.create(
        name="Forum KIM Banjarbaru Selatan", slug="fk-bjs", level=ForumLevel.KECAMATAN, region_id="63.72.05"
    )
    body = client.get("/forum/", {"wilayah": "63.72"}).content.decode()
    assert "Forum KIM Kota Banjarbaru" in body and kecamatan.name in body
    assert "Jembrana" not in body
    body = client.get("/forum/", {"wilayah": "63.72.05.1004"}).content.decode()
    assert "Forum KIM Kota Banjarbaru" in body and kecamatan.name in body  # the forums above the village
    body = client.get("/forum/", {"level": "kecamatan"}).content.decode()
    assert kecamatan.name in body and "Forum KIM Kota Banjarbaru" not in body


@pytest.mark.parametrize("query", [{"wilayah": "xx"}, {"level": "desa"}, {"page": "z"}])
def test_forum_list_bad_filters(client, members, query):
    assert client.get("/forum/", query).status_code == 200


def test_forum_page(client, members):
    response = client.get("/forum/forum-kim-kota-banjarbaru/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/kim/kim-guntung-paikat/"' in body
    assert "KIM Bubar" not in body
    assert "Ketua: <strong>Ahmad Fauzi</strong>" in body
    assert "Manage this forum" not in body


def test_forum_page_unknown(client, regions):
    assert client.get("/forum/tidak-ada/").status_code == 404


def test_forum_page_queries_are_bounded(client, members, django_assert_max_num_queries):
    for n in range(20):
        ForumMembership.objects.create(forum=members, kim=KimFactory(slug=f"kim-{n}"))
    with django_assert_max_num_queries(4):
        assert client.get("/forum/forum-kim-kota-banjarbaru/").status_code == 200


def test_forum_list_queries_are_bounded(client, members, forum_jembrana, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get("/forum/").status_code == 200


# --- Management -------------------------------------------------------------------------------

MANAGE_URLS = [
    ("get", "/forum/forum-kim-kota-banjarbaru/kelola/"),
    ("post", "/forum/forum-kim-kota-banjarbaru/kelola/ubah/"),
    ("post", "/forum/forum-kim-kota-banjarbaru/kelola/kim/"),
    ("post", "/forum/forum-kim-kota-banjarbaru/kelola/kim/kim-guntung-paikat/keluarkan/"),
    ("get", "/forum/forum-kim-kota-banjarbaru/kelola/pengurus/"),
    ("post", "/forum/forum-kim-kota-banjarbaru/kelola/pengurus/"),
]


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_anonymous_goes_to_login(client, members, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/akun/" in response["Location"]


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_pembina_of_jembrana_gets_404(client, members, outsider, method, url):
    login(client, outsider)
    assert getattr(client, method)(url).status_code == 404
    assert members.kims.count() == 2


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_ketua_of_a_member_kim_gets_404(client, members, ketua_guntung_paikat, method, url):
    login(client, ketua_guntung_paikat)
    assert getattr(client, method)(url).status_code == 404


def test_create_page_is_for_pembina_only(client, regions, stranger, warga_guntung_paikat):
    assert client.get("/forum/baru/").status_code == 302
    for user in (stranger, warga_guntung_paikat):
        login(client, user)
        assert client.get("/forum/baru/").status_code == 403


def test_pembina_founds_a_forum(client, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    page = client.get("/forum/baru/")
    assert page.status_code == 200
    assert '<option value="63.72.05">' in page.content.decode()
    assert '<option value="51.01">' not in page.content.decode()
    response = client.post(
        "/forum/baru/",
        {"name": "Forum KIM Banjarbaru Selatan", "level": "kecamatan", "region": "63.72.05", "formed_on": "2020-02-20"},
    )
    assert response.status_code == 302
    forum = KimForum.objects.get()
    assert response["Location"] == f"/forum/{forum.slug}/kelola/"


def test_level_mismatch_is_explained_and_the_form_kept(client, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    response = client.post(
        "/forum/baru/", {"name": "Forum Salah Tingkat", "level": "kabupaten_kota", "region": "63.72.05"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "belongs to a kabupaten/kota, but Banjarbaru Selatan is a kecamatan" in body
    assert 'value="Forum Salah Tingkat"' in body
    assert not KimForum.objects.exists()


def test_a_region_outside_the_grant_is_refused(client, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    response = client.post("/forum/baru/", {"name": "Forum", "level": "kabupaten_kota", "region": "51.01"})
    assert response.status_code == 200
    assert not KimForum.objects.exists()


def test_pembina_manages_members(client, members, pembina_banjarbaru, sungai_besar, kim_ekasari):
    login(client, pembina_banjarbaru)
    page = client.get("/forum/forum-kim-kota-banjarbaru/kelola/")
    assert page.status_code == 200
    body = page.content.decode()
    assert '<option value="kim-sungai-besar">' in body
    assert "kim-desa-ekasari" not in body
    response = client.post("/forum/forum-kim-kota-banjarbaru/kelola/kim/", {"add-kim": "kim-sungai-besar"})
    assert response.status_code == 302
    assert members.kims.filter(pk=sungai_besar.pk).exists()
    response = client.post("/forum/forum-kim-kota-banjarbaru/kelola/kim/kim-sungai-besar/keluarkan/")
    assert response.status_code == 302
    assert not members.kims.filter(pk=sungai_besar.pk).exists()


def test_adding_a_kim_from_elsewhere_is_explained(client, members, pembina_banjarbaru, kim_ekasari):
    login(client, pembina_banjarbaru)
    response = client.post("/forum/forum-kim-kota-banjarbaru/kelola/kim/", {"add-kim": "kim-desa-ekasari"})
    assert response.status_code == 400
    assert "only KIMs inside the forum&#x27;s region can join it" in response.content.decode()
    assert not members.kims.filter(pk=kim_ekasari.pk).exists()


def test_adding_nothing_is_explained(client, members, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    response = client.post("/forum/forum-kim-kota-banjarbaru/kelola/kim/", {"add-kim": ""})
    assert response.status_code == 400


def test_edit_details(client, members, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    response = client.post(
        "/forum/forum-kim-kota-banjarbaru/kelola/ubah/",
        {"details-name": "Forum KIM Kota Banjarbaru", "details-about": "Jejaring pasar.", "details-formed_on": ""},
    )
    assert response.status_code == 302
    members.refresh_from_db()
    assert members.about == "Jejaring pasar."


def test_board_form(client, members, pembina_banjarbaru, kim_guntung_paikat):
    login(client, pembina_banjarbaru)
    page = client.get("/forum/forum-kim-kota-banjarbaru/kelola/pengurus/")
    assert page.status_code == 200
    assert 'value="Ahmad Fauzi"' in page.content.decode()
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0"}
    data.update(
        {
            "form-0-person_name": "Aulia Rahmawati",
            "form-0-position": "Ketua",
            "form-0-from_kim": "kim-guntung-paikat",
            "form-0-starts_on": "2024-01-01",
            "form-1-person_name": "Rina Susanti",
            "form-1-position": "Sekretaris",
            "form-1-starts_on": "2024-01-01",
        }
    )
    response = client.post("/forum/forum-kim-kota-banjarbaru/kelola/pengurus/", data)
    assert response.status_code == 302
    assert sorted(members.board.values_list("person_name", flat=True)) == ["Aulia Rahmawati", "Rina Susanti"]


def test_board_form_errors_keep_the_input(client, members, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-person_name": "Tanpa Jabatan",
        "form-0-starts_on": "2024-01-01",
    }
    response = client.post("/forum/forum-kim-kota-banjarbaru/kelola/pengurus/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give the position." in body and 'value="Tanpa Jabatan"' in body
    assert members.board.count() == 1


def test_province_pembina_manages_the_kabupaten_forum(client, members, pembina_kalsel):
    login(client, pembina_kalsel)
    assert client.get("/forum/forum-kim-kota-banjarbaru/kelola/").status_code == 200
    body = client.get("/forum/forum-kim-kota-banjarbaru/").content.decode()
    assert "Manage this forum" in body

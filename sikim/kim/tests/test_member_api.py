"""/api/v1/kim/{slug}/members, /board, /groups and the member import over the API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from conftest import login
from sikim.audit.models import AuditEvent
from sikim.kim.models import BoardTerm, DisseminationGroup, ImportStatus, KimMember
from sikim.kim.tests.factories import BoardTermFactory, KimMemberFactory, english, member_media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "member_media")]

PHONE = "+6281355500001"
BASE = "/api/v1/kim/kim-guntung-paikat"


@pytest.fixture
def siti(kim_guntung_paikat):
    return KimMemberFactory(kim=kim_guntung_paikat, name="Siti Rahmawati", phone=PHONE, email="siti.r@example.id")


def test_ketua_lists_members_with_personal_data(client, ketua_guntung_paikat, siti):
    response = login(client, ketua_guntung_paikat).get(f"{BASE}/members", {"q": "siti"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["pages"] == 1
    assert body["items"][0]["phone"] == PHONE and body["items"][0]["email"] == "siti.r@example.id"


def test_anggota_may_read_counts_but_not_the_list(client, anggota_guntung_paikat, siti):
    login(client, anggota_guntung_paikat)
    response = client.get(f"{BASE}/members")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    counts = client.get(f"{BASE}/members/counts")
    assert counts.status_code == 200 and counts.json()["total"] == 1
    assert client.get(f"{BASE}/members/{siti.pk}").status_code == 404


@pytest.mark.parametrize("actor_name", ["ketua_ekasari", "outsider", "warga_guntung_paikat", "stranger"])
def test_others_get_404_everywhere(client, request, kim_guntung_paikat, siti, actor_name):
    login(client, request.getfixturevalue(actor_name))
    for url in [
        f"{BASE}/members",
        f"{BASE}/members/counts",
        f"{BASE}/members/{siti.pk}",
        f"{BASE}/members/export?format=csv",
        f"{BASE}/board",
        f"{BASE}/groups",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert client.patch(f"{BASE}/members/{siti.pk}", {"name": "X"}, content_type="application/json").status_code == 404
    assert client.delete(f"{BASE}/members/{siti.pk}").status_code == 404
    assert client.post(f"{BASE}/members", {"name": "X"}, content_type="application/json").status_code == 404
    siti.refresh_from_db()
    assert siti.name == "Siti Rahmawati" and siti.is_active


def test_anonymous_gets_401(client, kim_guntung_paikat, siti):
    for url in [f"{BASE}/members", f"{BASE}/board", f"{BASE}/groups", f"{BASE}/members/export"]:
        response = client.get(url)
        assert response.status_code == 401
        assert PHONE not in response.content.decode()


def test_create_patch_and_delete_a_member(client, ketua_guntung_paikat, kim_guntung_paikat, siti):
    login(client, ketua_guntung_paikat)
    created = client.post(
        f"{BASE}/members",
        {"name": "Budi", "phone": "0813-5550-0002", "sector": "perikanan", "preferred_channel": "sms"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["phone"] == "+6281355500002"
    member_id = created.json()["id"]

    duplicate = client.post(
        f"{BASE}/members", {"name": "Siti 2", "phone": "081355500001"}, content_type="application/json"
    )
    assert duplicate.status_code == 422
    assert duplicate.json()["details"] == [
        {"field": "phone", "message": "This phone number already belongs to a member of this KIM: Siti Rahmawati."}
    ]

    patched = client.patch(
        f"{BASE}/members/{member_id}", {"occupation": "Nelayan", "sector": None}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert patched.json()["occupation"] == "Nelayan" and patched.json()["sector"] == ""
    assert (
        client.patch(f"{BASE}/members/{member_id}", {"name": None}, content_type="application/json").status_code == 422
    )

    assert client.delete(f"{BASE}/members/{member_id}").status_code == 204
    assert KimMember.objects.get(pk=member_id).is_active is False


def test_anggota_may_not_write(client, anggota_guntung_paikat, siti):
    login(client, anggota_guntung_paikat)
    assert client.post(f"{BASE}/members", {"name": "X"}, content_type="application/json").status_code == 403
    assert client.post(f"{BASE}/groups", {"name": "RT 01"}, content_type="application/json").status_code == 403
    assert (
        client.post(
            f"{BASE}/board/terms", {"starts_on": "2024-01-01", "positions": []}, content_type="application/json"
        ).status_code
        == 403
    )


def test_board_over_the_api(
    client, ketua_guntung_paikat, anggota_guntung_paikat, kim_guntung_paikat, kim_ekasari, siti
):
    BoardTermFactory(kim=kim_guntung_paikat)  # 2018-07-27 – 2021-07-27
    budi = KimMemberFactory(kim=kim_guntung_paikat, name="Budi")
    foreign = KimMemberFactory(kim=kim_ekasari, name="I Wayan Rahasia")
    login(client, ketua_guntung_paikat)
    url = f"{BASE}/board/terms"

    overlap = client.post(
        url,
        {
            "starts_on": "2020-01-01",
            "ends_on": "2023-01-01",
            "positions": [{"position": "ketua", "member_id": siti.pk}],
        },
        content_type="application/json",
    )
    assert overlap.status_code == 422
    assert overlap.json()["details"][0]["message"] == "This term overlaps the term 2018-07-27 – 2021-07-27."

    outsider_seat = client.post(
        url,
        {"starts_on": "2021-07-27", "positions": [{"position": "ketua", "member_id": foreign.pk}]},
        content_type="application/json",
    )
    assert outsider_seat.status_code == 422 and "I Wayan" not in outsider_seat.content.decode()

    two_chairs = client.post(
        url,
        {
            "starts_on": "2021-07-27",
            "positions": [{"position": "ketua", "member_id": siti.pk}, {"position": "ketua", "member_id": budi.pk}],
        },
        content_type="application/json",
    )
    assert two_chairs.status_code == 422

    created = client.post(
        url,
        {
            "starts_on": "2021-07-27",
            "decree_number": "188/2021",
            "positions": [
                {"position": "ketua", "member_id": siti.pk},
                {"position": "seksi", "member_id": budi.pk, "section_name": "Seksi Humas"},
            ],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert [seat["position"] for seat in created.json()["positions"]] == ["ketua", "seksi"]
    assert BoardTerm.objects.count() == 2

    client.logout()
    board = login(client, anggota_guntung_paikat).get(f"{BASE}/board").json()
    assert board["current"]["positions"][0]["member_name"] == "Siti Rahmawati"
    assert len(board["terms"]) == 2
    assert PHONE not in str(board)


def test_groups_over_the_api(client, ketua_guntung_paikat, anggota_guntung_paikat, kim_ekasari, siti):
    foreign = KimMemberFactory(kim=kim_ekasari, name="I Wayan Rahasia")
    login(client, ketua_guntung_paikat)
    refused = client.post(
        f"{BASE}/groups", {"name": "RT 01", "member_ids": [foreign.pk]}, content_type="application/json"
    )
    assert refused.status_code == 422 and "I Wayan" not in refused.content.decode()
    created = client.post(
        f"{BASE}/groups", {"name": "Dusun Mekar", "coordinator_id": siti.pk}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["member_ids"] == [siti.pk] and created.json()["member_count"] == 1
    assert DisseminationGroup.objects.count() == 1

    client.logout()
    groups = login(client, anggota_guntung_paikat).get(f"{BASE}/groups").json()
    assert groups == [
        {
            "id": created.json()["id"],
            "name": "Dusun Mekar",
            "member_count": 1,
            "coordinator_id": None,
            "coordinator_name": None,
            "member_ids": None,
        }
    ]


def test_import_over_the_api_previews_confirms_once_and_reports_progress(
    client, ketua_guntung_paikat, kim_guntung_paikat, django_capture_on_commit_callbacks
):
    login(client, ketua_guntung_paikat)
    csv_file = SimpleUploadedFile(
        "anggota.csv",
        b"nama;telepon\nSiti;081355500001\nBudi;0812\nSiti R.;+62 813 5550 0001\n",
        content_type="text/csv",
    )
    uploaded = client.post(f"{BASE}/members/import", {"file": csv_file})
    assert uploaded.status_code == 201
    body = uploaded.json()
    assert body["status"] == "preview" and body["valid_rows"] == 2
    assert body["row_errors"] == [
        {"row": 3, "errors": ["Row 3: the phone number '0812' is not a valid Indonesian number"]}
    ]
    assert [row["action"] for row in body["preview_rows"]] == ["create", "merge_row"]
    assert not KimMember.objects.exists()

    url = f"{BASE}/members/import/{body['id']}"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"{url}/confirm")
    # The worker takes over once the confirmation is committed.
    assert confirmed.status_code == 202 and confirmed.json()["status"] == ImportStatus.RUNNING
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = client.post(f"{url}/confirm")
    assert again.status_code == 202 and again.json()["status"] == ImportStatus.DONE
    assert callbacks == []
    assert KimMember.objects.count() == 1
    assert AuditEvent.objects.filter(action="kim.member_import_apply").count() == 1
    progress = client.get(url).json()
    assert progress["processed_rows"] == 3 and progress["created_count"] == 1 and progress["merged_count"] == 1


def test_import_of_a_bad_file_is_a_422(client, ketua_guntung_paikat, kim_guntung_paikat):
    login(client, ketua_guntung_paikat)
    response = client.post(
        f"{BASE}/members/import", {"file": SimpleUploadedFile("x.csv", b"\x89PNG\r\n\x1a\n\x00\x00")}
    )
    assert response.status_code == 422
    assert "not a CSV or Excel" in response.json()["details"][0]["message"]


def test_import_endpoints_refuse_others(
    client, ketua_ekasari, anggota_guntung_paikat, ketua_guntung_paikat, kim_guntung_paikat
):
    login(client, ketua_guntung_paikat)
    import_id = client.post(f"{BASE}/members/import", {"file": SimpleUploadedFile("a.csv", b"nama\nSiti\n")}).json()[
        "id"
    ]
    client.logout()
    login(client, ketua_ekasari)
    assert (
        client.post(f"{BASE}/members/import", {"file": SimpleUploadedFile("a.csv", b"nama\nSiti\n")}).status_code == 404
    )
    assert client.get(f"{BASE}/members/import/{import_id}").status_code == 404
    assert client.post(f"{BASE}/members/import/{import_id}/confirm").status_code == 404
    client.logout()
    login(client, anggota_guntung_paikat)
    assert (
        client.post(f"{BASE}/members/import", {"file": SimpleUploadedFile("a.csv", b"nama\nSiti\n")}).status_code == 403
    )
    assert client.get(f"{BASE}/members/import/{import_id}").status_code == 404
    assert not KimMember.objects.exists()


def test_export_over_the_api(client, pembina_banjarbaru, anggota_guntung_paikat, siti):
    login(client, pembina_banjarbaru)
    csv_response = client.get(f"{BASE}/members/export", {"format": "csv"})
    assert csv_response.status_code == 200 and PHONE in csv_response.content.decode("utf-8")
    xlsx_response = client.get(f"{BASE}/members/export", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert PHONE in [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert client.get(f"{BASE}/members/export", {"format": "pdf"}).status_code == 422
    assert AuditEvent.objects.filter(action="kim.member_export").count() == 2
    client.logout()
    response = login(client, anggota_guntung_paikat).get(f"{BASE}/members/export")
    assert response.status_code == 403 and PHONE not in response.content.decode()


def test_member_list_query_count_is_bounded(
    client, ketua_guntung_paikat, kim_guntung_paikat, django_assert_max_num_queries
):
    KimMemberFactory.create_batch(30, kim=kim_guntung_paikat)
    login(client, ketua_guntung_paikat)
    client.get(f"{BASE}/members")
    with django_assert_max_num_queries(8):
        assert client.get(f"{BASE}/members").status_code == 200

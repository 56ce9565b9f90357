import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import GUNTUNG_PAIKAT, login
from sikim.kim.models import DocumentKind, Formation, KimDocument, KimStatus
from sikim.kim.services.documents import kim_document_upload
from sikim.kim.tests.factories_registry import (  # noqa: F401 (fixtures)
    big_pdf,
    english,
    formed,
    jpeg,
    not_a_pdf,
    pdf,
    propose,
    tmp_media,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "tmp_media")]


@pytest.fixture
def proposed(regions, pembina_office_banjarbaru):
    return propose(None)


def _formation_post(**overrides):
    data = {
        "held_on": "2024-07-27",
        "place": "Aula Kelurahan",
        "attendees_count": "35",
        "facilitator_names": "Kabid IKP",
        "minutes": "Rapat.",
        "decree_number": "188/12/2024",
        "decree_date": "2024-07-29",
        "decree_issued_by": "Lurah Sungai Besar",
        "decree_pdf": pdf(),
    }
    data.update(overrides)
    return data


# --- Who may open what ---------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, proposed):
    for url in (
        reverse("kim:manage_list"),
        reverse("kim:manage_detail", args=[proposed.slug]),
        reverse("kim:manage_formation", args=[proposed.slug]),
        reverse("kim:manage_profile", args=[proposed.slug]),
        reverse("kim:manage_documents", args=[proposed.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]
    response = client.post(reverse("kim:manage_register", args=[proposed.slug]))
    assert response.status_code == 302


def test_people_without_a_kim_role_get_403_on_the_worklist(client, warga_guntung_paikat, stranger, regions):
    for user in (warga_guntung_paikat, stranger):
        client.logout()
        assert login(client, user).get(reverse("kim:manage_list")).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "kim:manage_detail",
        "kim:manage_formation",
        "kim:manage_profile",
        "kim:manage_documents",
    ],
)
def test_the_pembina_of_jembrana_gets_404_on_a_banjarbaru_kim(client, proposed, outsider, name):
    assert login(client, outsider).get(reverse(name, args=[proposed.slug])).status_code == 404


@pytest.mark.parametrize("name", ["kim:manage_register", "kim:manage_status"])
def test_the_outsider_cannot_act_on_a_banjarbaru_kim(client, kim_guntung_paikat, outsider, name):
    response = login(client, outsider).post(reverse(name, args=[kim_guntung_paikat.slug]), {"to_status": "dibubarkan"})
    assert response.status_code == 404
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.status == KimStatus.AKTIF


def test_the_ketua_of_one_kim_cannot_open_another(client, kim_ekasari, ketua_guntung_paikat):
    login(client, ketua_guntung_paikat)
    assert client.get(reverse("kim:manage_detail", args=[kim_ekasari.slug])).status_code == 404
    assert client.get(reverse("kim:manage_profile", args=[kim_ekasari.slug])).status_code == 404


def test_an_anggota_does_not_manage(client, kim_guntung_paikat, anggota_guntung_paikat):
    login(client, anggota_guntung_paikat)
    assert client.get(reverse("kim:manage_detail", args=[kim_guntung_paikat.slug])).status_code == 404


# --- The worklist ----------------------------------------------------------------------------


def test_worklist_sorts_kims_by_step_and_stays_in_scope(
    client, pembina_banjarbaru, kim_guntung_paikat, kim_ekasari, proposed
):
    sibling = propose(None, name="KIM Paikat Kedua", village=GUNTUNG_PAIKAT)
    response = login(client, pembina_banjarbaru).get(reverse("kim:manage_list"))
    assert response.status_code == 200
    worklist = response.context["worklist"]
    assert set(worklist.awaiting_formation) == {sibling, proposed}
    assert worklist.running == [kim_guntung_paikat]
    assert set(worklist.village_warnings) == {kim_guntung_paikat, sibling}
    body = response.content.decode()
    assert "KIM Desa Ekasari" not in body
    assert reverse("kim:manage_detail", args=[proposed.slug]) in body
    assert "Several KIMs in one village" in body


def test_worklist_query_count_does_not_grow_with_kims(client, pembina_banjarbaru, proposed):
    login(client, pembina_banjarbaru)
    client.get(reverse("kim:manage_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("kim:manage_list"))
    for number in range(8):
        propose(None, name=f"KIM Tambahan {number}", village=GUNTUNG_PAIKAT)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("kim:manage_list"))
    assert len(response.context["worklist"].awaiting_formation) == 9
    assert len(many.captured_queries) == len(few.captured_queries)


def test_ketua_sees_their_own_kim_on_the_worklist(client, ketua_guntung_paikat, kim_ekasari, proposed):
    response = login(client, ketua_guntung_paikat).get(reverse("kim:manage_list"))
    assert [kim.name for kim in response.context["worklist"].running] == ["KIM Guntung Paikat"]
    assert response.context["worklist"].awaiting_formation == []


# --- A KIM's desk ------------------------------------------------------------------------------


def test_pembina_sees_formation_action_and_the_proposer(client, pembina_banjarbaru, proposed):
    response = login(client, pembina_banjarbaru).get(reverse("kim:manage_detail", args=[proposed.slug]))
    assert response.status_code == 200
    assert response.context["can_record_formation"] is True
    assert response.context["can_register"] is False
    body = response.content.decode()
    assert reverse("kim:manage_formation", args=[proposed.slug]) in body
    assert "siti.usul@example.id" in body


def test_ketua_sees_profile_and_documents_but_no_registration_actions(client, ketua_guntung_paikat, kim_guntung_paikat):
    response = login(client, ketua_guntung_paikat).get(reverse("kim:manage_detail", args=[kim_guntung_paikat.slug]))
    assert response.status_code == 200
    context = response.context
    assert context["can_edit_profile"] and context["can_manage_documents"]
    assert not context["can_record_formation"] and not context["can_register"]
    assert context["status_form"] is None
    body = response.content.decode()
    assert reverse("kim:manage_status", args=[kim_guntung_paikat.slug]) not in body
    assert reverse("kim:manage_register", args=[kim_guntung_paikat.slug]) not in body


def test_detail_warns_about_a_second_kim_in_the_village(client, pembina_banjarbaru, kim_guntung_paikat):
    sibling = propose(None, name="KIM Paikat Kedua", village=GUNTUNG_PAIKAT)
    response = login(client, pembina_banjarbaru).get(reverse("kim:manage_detail", args=[sibling.slug]))
    body = response.content.decode()
    assert "Another KIM already exists in this village" in body
    assert "KIM Guntung Paikat" in body


# --- Formation through the page -----------------------------------------------------------------


def test_pembina_records_the_formation_with_the_sk(client, pembina_banjarbaru, proposed):
    login(client, pembina_banjarbaru)
    url = reverse("kim:manage_formation", args=[proposed.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = client.post(url, _formation_post(facilitators=[str(pembina_banjarbaru.pk)], photos=[jpeg()]))
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == KimStatus.DIBENTUK
    assert KimDocument.objects.get(kim=proposed).kind == DocumentKind.SK
    assert list(Formation.objects.get(kim=proposed).facilitators.all()) == [pembina_banjarbaru]


@pytest.mark.parametrize(
    ("upload", "message"),
    [(not_a_pdf, "This file is not a PDF document."), (big_pdf, "The file is too large")],
)
def test_a_bad_sk_is_refused_on_the_page_and_nothing_is_saved(client, pembina_banjarbaru, proposed, upload, message):
    login(client, pembina_banjarbaru)
    response = client.post(reverse("kim:manage_formation", args=[proposed.slug]), _formation_post(decree_pdf=upload()))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'value="Aula Kelurahan"' in body  # what was typed is kept
    proposed.refresh_from_db()
    assert proposed.status == KimStatus.DIUSULKAN
    assert not Formation.objects.exists() and not KimDocument.objects.exists()


def test_ketua_cannot_record_a_formation(client, ketua_guntung_paikat, kim_guntung_paikat):
    login(client, ketua_guntung_paikat)
    url = reverse("kim:manage_formation", args=[kim_guntung_paikat.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, _formation_post()).status_code == 403


# --- Register and status ------------------------------------------------------------------------


def test_pembina_registers_and_sees_the_number(client, pembina_banjarbaru, proposed):
    kim = formed(pembina_banjarbaru, proposed)
    login(client, pembina_banjarbaru)
    response = client.post(reverse("kim:manage_register", args=[kim.slug]), follow=True)
    assert response.status_code == 200
    assert "KIM-63.72-0001" in response.content.decode()
    kim.refresh_from_db()
    assert kim.status == KimStatus.TERDAFTAR


def test_registering_a_proposed_kim_shows_why_not(client, pembina_banjarbaru, proposed):
    login(client, pembina_banjarbaru)
    response = client.post(reverse("kim:manage_register", args=[proposed.slug]), follow=True)
    assert "Record the formation meeting and its SK" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == KimStatus.DIUSULKAN


def test_ketua_cannot_register_or_change_status(client, ketua_guntung_paikat, kim_guntung_paikat):
    login(client, ketua_guntung_paikat)
    assert client.post(reverse("kim:manage_register", args=[kim_guntung_paikat.slug])).status_code == 403
    response = client.post(
        reverse("kim:manage_status", args=[kim_guntung_paikat.slug]), {"to_status": "dibubarkan", "note": "x"}
    )
    assert response.status_code == 403
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.status == KimStatus.AKTIF


def test_pembina_changes_the_status_with_a_note(client, pembina_banjarbaru, kim_guntung_paikat):
    login(client, pembina_banjarbaru)
    response = client.post(
        reverse("kim:manage_status", args=[kim_guntung_paikat.slug]),
        {"to_status": "tidak_aktif", "note": "Tidak ada kegiatan setahun"},
    )
    assert response.status_code == 302
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.status == KimStatus.TIDAK_AKTIF
    detail = client.get(reverse("kim:manage_detail", args=[kim_guntung_paikat.slug])).content.decode()
    assert "Tidak ada kegiatan setahun" in detail


def test_an_impossible_status_is_refused_on_the_page(client, pembina_banjarbaru, kim_guntung_paikat):
    login(client, pembina_banjarbaru)
    response = client.post(
        reverse("kim:manage_status", args=[kim_guntung_paikat.slug]), {"to_status": "diusulkan", "note": ""}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        reverse("kim:manage_status", args=[kim_guntung_paikat.slug]), {"to_status": "dibubarkan", "note": ""}
    )
    assert response.status_code == 400
    assert "Write down why" in response.content.decode()
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.status == KimStatus.AKTIF


# --- Profile and documents ---------------------------------------------------------------------


def test_ketua_edits_the_profile(client, ketua_guntung_paikat, kim_guntung_paikat):
    login(client, ketua_guntung_paikat)
    url = reverse("kim:manage_profile", args=[kim_guntung_paikat.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="KIM Guntung Paikat"' in page.content.decode()
    response = client.post(
        url,
        {
            "name": "KIM Guntung Paikat",
            "about": "Profil baru.",
            "sectors": ["umkm"],
            "phone": "0511-4772-100",
            "social_instagram": "https://instagram.com/kimgp",
            "logo": jpeg("logo.jpg"),
        },
    )
    assert response.status_code == 302
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.about == "Profil baru."
    assert kim_guntung_paikat.social_links == {"instagram": "https://instagram.com/kimgp"}
    assert kim_guntung_paikat.logo.name.endswith(".jpg")


def test_a_bad_profile_value_is_explained(client, ketua_guntung_paikat, kim_guntung_paikat):
    login(client, ketua_guntung_paikat)
    response = client.post(
        reverse("kim:manage_profile", args=[kim_guntung_paikat.slug]),
        {"name": "KIM Guntung Paikat", "about": "Tetap", "latitude": "48.85", "longitude": "2.35"},
    )
    assert response.status_code == 400
    assert "not in Indonesia" in response.content.decode()
    assert 'value="48.85"' in response.content.decode()


def test_ketua_uploads_toggles_downloads_and_deletes_documents(client, ketua_guntung_paikat, kim_guntung_paikat):
    login(client, ketua_guntung_paikat)
    url = reverse("kim:manage_documents", args=[kim_guntung_paikat.slug])
    response = client.post(url, {"kind": "ad_art", "title": "AD/ART", "file": pdf("adart.pdf"), "is_public": "on"})
    assert response.status_code == 302
    document = KimDocument.objects.get()
    download = client.get(reverse("kim:manage_document_download", args=[kim_guntung_paikat.slug, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    client.post(
        reverse("kim:manage_document_visibility", args=[kim_guntung_paikat.slug, document.pk]), {"is_public": "0"}
    )
    document.refresh_from_db()
    assert document.is_public is False
    client.post(reverse("kim:manage_document_delete", args=[kim_guntung_paikat.slug, document.pk]))
    assert not KimDocument.objects.exists()


def test_a_document_that_is_not_a_pdf_is_explained(client, ketua_guntung_paikat, kim_guntung_paikat):
    login(client, ketua_guntung_paikat)
    response = client.post(
        reverse("kim:manage_documents", args=[kim_guntung_paikat.slug]),
        {"kind": "other", "title": "Laporan", "file": not_a_pdf()},
    )
    assert response.status_code == 400
    assert "This file is not a PDF document." in response.content.decode()
    assert 'value="Laporan"' in response.content.decode()


def test_outsiders_get_404_on_documents(client, kim_guntung_paikat, ketua_guntung_paikat, ketua_ekasari, outsider):
    document = kim_document_upload(
        actor=ketua_guntung_paikat, kim=kim_guntung_paikat, kind="other", title="Internal", file=pdf(), is_public=False
    )
    for user in (ketua_ekasari, outsider):
        client.logout()
        login(client, user)
        slug = kim_guntung_paikat.slug
        assert client.get(reverse("kim:manage_document_download", args=[slug, document.pk])).status_code == 404
        assert client.post(reverse("kim:manage_document_delete", args=[slug, document.pk])).status_code == 404
        assert (
            client.post(reverse("kim:manage_document_visibility", args=[slug, document.pk]), {"is_public": "1"})
        ).status_code == 404
    assert KimDocument.objects.get().is_public is False

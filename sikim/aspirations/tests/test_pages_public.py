"""The public aspiration pages: submitting, the receipt, tracking by code, the list and map."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from conftest import login
from sikim.aspirations.models import Aspiration, AspirationState, Category, Visibility
from sikim.aspirations.services.moderation import aspiration_hide
from sikim.aspirations.services.workflow import aspiration_answer, aspiration_verify
from sikim.aspirations.tests.conftest import GUNTUNG_PAIKAT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SUBMIT = "/aspirasi/baru/"


def jpeg(name="jalan.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def form_data(**overrides):
    data = {
        "text": "Jalan berlubang besar di depan SDN Guntung Paikat, motor sering jatuh.",
        "title": "Jalan rusak di depan SDN",
        "category": Category.INFRASTRUKTUR,
        "provinsi": "63",
        "kabupaten": "63.72",
        "kecamatan": "63.72.05",
        "desa": GUNTUNG_PAIKAT,
        "visibility": Visibility.PUBLIC,
    }
    data.update(overrides)
    return data


@pytest.fixture
def verified(submit, ketua_guntung_paikat):
    """A public, verified aspiration (no routing rule: it stays diverifikasi)."""

    def _verified(**overrides):
        aspiration = submit(now=timezone.now(), **overrides)
        return aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)

    return _verified


# --- Submitting -------------------------------------------------------------------------------


def test_the_form_knows_the_citizens_village(client, warga_guntung_paikat, kim_guntung_paikat):
    response = login(client, warga_guntung_paikat).get(SUBMIT)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{GUNTUNG_PAIKAT}" selected>' in html
    assert 'name="contact_phone"' not in html  # the account is the contact


def test_anonymous_sees_contact_fields_and_the_visibility_explained(client, kim_guntung_paikat):
    html = client.get(SUBMIT).content.decode()
    assert 'name="contact_phone"' in html and 'name="contact_email"' in html
    assert "Only the pengurus of your KIM know who you are" in html


def test_a_citizen_submits_and_gets_a_receipt(client, warga_guntung_paikat, kim_guntung_paikat):
    login(client, warga_guntung_paikat)
    response = client.post(SUBMIT, {**form_data(), "photos": [jpeg()]})
    aspiration = Aspiration.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/aspirasi/lacak/{aspiration.code}/terkirim/"
    assert aspiration.author == warga_guntung_paikat and aspiration.region_id == GUNTUNG_PAIKAT
    assert aspiration.photos.count() == 1
    receipt = client.get(response["Location"]).content.decode()
    assert aspiration.code in receipt and f"/aspirasi/lacak/{aspiration.code}/" in receipt
    assert "KIM Guntung Paikat checks your aspiration" in receipt
    assert "5 working days" in receipt and "10 working days" in receipt


def test_anonymous_without_a_contact_is_told_what_to_do(client, kim_guntung_paikat):
    response = client.post(SUBMIT, form_data())
    assert response.status_code == 400
    assert "Leave a phone number or email address" in response.content.decode()
    assert not Aspiration.objects.exists()


def test_anonymous_with_a_phone_number_submits(client, kim_guntung_paikat):
    response = client.post(SUBMIT, form_data(contact_name="Budi", contact_phone="0812 3456 7890"))
    assert response.status_code == 302
    aspiration = Aspiration.objects.get()
    assert aspiration.author is None and aspiration.contact_phone == "+6281234567890"


def test_20000_characters_are_refused_with_a_clear_message(client, warga_guntung_paikat, kim_guntung_paikat):
    response = login(client, warga_guntung_paikat).post(SUBMIT, form_data(text="a" * 20_000))
    assert response.status_code == 400
    assert "At most 5.000 characters" in response.content.decode()
    assert not Aspiration.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused(client, warga_guntung_paikat, kim_guntung_paikat):
    fake = SimpleUploadedFile("jalan.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = login(client, warga_guntung_paikat).post(SUBMIT, {**form_data(), "photos": [fake]})
    assert response.status_code == 400
    assert "not a picture" in response.content.decode()
    assert not Aspiration.objects.exists()


def test_at_most_five_photos(client, warga_guntung_paikat, kim_guntung_paikat):
    response = login(client, warga_guntung_paikat).post(SUBMIT, {**form_data(), "photos": [jpeg() for _ in range(6)]})
    assert response.status_code == 400 and "At most 5 photos" in response.content.decode()
    assert not Aspiration.objects.exists()


def test_a_larger_region_than_a_village_is_refused(client, warga_guntung_paikat, kim_guntung_paikat):
    response = login(client, warga_guntung_paikat).post(SUBMIT, form_data(desa=""))
    assert response.status_code == 400 and "Choose" in response.content.decode()
    assert not Aspiration.objects.exists()


def test_choosing_a_region_without_javascript_refreshes_the_selects(client, kim_guntung_paikat):
    response = client.post(SUBMIT, {"provinsi": "63", "kabupaten": "63.72", "pilih_wilayah": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and '<option value="63.72.05">' in html
    assert "Please correct the errors" not in html and not Aspiration.objects.exists()


def test_similar_aspirations_are_shown_before_submitting(client, verified, warga_guntung_paikat, stranger):
    verified(title="Jalan berlubang depan sekolah", text="Lubang jalan dekat sekolah, hubungi 0812-3456-7890.")
    login(client, stranger)
    response = client.post(SUBMIT, form_data(text="Jalan berlubang dekat sekolah membahayakan"))
    html = response.content.decode()
    assert response.status_code == 200 and "Is it one of these?" in html
    assert "Jalan berlubang depan sekolah" in html and 'name="confirmed" value="1"' in html
    assert Aspiration.objects.count() == 1
    response = client.post(SUBMIT, form_data(text="Jalan berlubang dekat sekolah membahayakan", confirmed="1"))
    assert response.status_code == 302 and Aspiration.objects.count() == 2


def test_the_similar_partial_for_htmx(client, verified, kim_guntung_paikat):
    verified(title="Jalan berlubang depan sekolah")
    response = client.post(
        "/aspirasi/baru/serupa/",
        {"desa": GUNTUNG_PAIKAT, "category": Category.INFRASTRUKTUR, "text": "jalan berlubang sekolah"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Jalan berlubang depan sekolah" in response.content.decode()
    empty = client.post("/aspirasi/baru/serupa/", {"desa": "x", "category": "nope", "text": "a" * 30_000})
    assert empty.status_code == 200 and "<li>" not in empty.content.decode()


def test_region_selects_narrow_down_to_the_village(client, regions):
    response = client.get("/aspirasi/pilih-wilayah/?provinsi=63&kabupaten=63.72&kecamatan=63.72.05")
    assert response.status_code == 200 and f'<option value="{GUNTUNG_PAIKAT}">' in response.content.decode()
    bad = client.get("/aspirasi/pilih-wilayah/?provinsi=63&kabupaten=51.01&kecamatan=zzz")
    assert bad.status_code == 200


def test_a_pengurus_files_on_behalf_of_a_citizen(client, ketua_guntung_paikat):
    login(client, ketua_guntung_paikat)
    url = f"{SUBMIT}?kim=kim-guntung-paikat"
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(contact_name="Pak Darto", contact_phone="081234567890"))
    assert response.status_code == 302
    aspiration = Aspiration.objects.get()
    assert aspiration.filed_by == ketua_guntung_paikat and aspiration.author is None
    assert aspiration.contact_name == "Pak Darto" and aspiration.channel == "offline"


def test_filing_on_behalf_needs_the_citizens_name(client, ketua_guntung_paikat):
    login(client, ketua_guntung_paikat)
    response = client.post(f"{SUBMIT}?kim=kim-guntung-paikat", form_data(contact_phone="081234567890"))
    assert response.status_code == 400 and not Aspiration.objects.exists()


@pytest.mark.parametrize("actor", ["warga_guntung_paikat", "ketua_ekasari", "pembina_banjarbaru"])
def test_only_the_kims_pengurus_file_on_its_behalf(client, request, actor, kim_guntung_paikat):
    login(client, request.getfixturevalue(actor))
    assert client.get(f"{SUBMIT}?kim=kim-guntung-paikat").status_code == 404


# --- Tracking ---------------------------------------------------------------------------------


def test_unknown_and_malformed_codes_are_not_found(client, regions):
    assert client.get("/aspirasi/lacak/ASP-2026-ZZZZZZ/").status_code == 404
    assert client.get("/aspirasi/lacak/%3Cscript%3E/").status_code == 404
    response = client.get("/aspirasi/lacak/?kode=ASP-2026-ZZZZZZ")
    assert response.status_code == 404 and "No aspiration has this ticket code" in response.content.decode()


def test_the_lookup_form_finds_a_code_however_it_is_typed(client, submit):
    aspiration = submit()
    response = client.get(f"/aspirasi/lacak/?kode=+{aspiration.code.lower()}+")
    assert response.status_code == 302 and response["Location"] == f"/aspirasi/lacak/{aspiration.code}/"


def test_the_tracking_page_masks_phone_numbers_and_shows_the_author(client, verified):
    aspiration = verified(text="Jalan rusak parah. Hubungi saya di 0812-3456-7890 atau budi@contoh.id")
    html = client.get(f"/aspirasi/lacak/{aspiration.code}/").content.decode()
    assert "0812-3456-7890" not in html and "0***-****-**90" in html and "budi@contoh.id" not in html
    assert "Siti Aminah" in html  # public: the name is shown
    assert "Verified by the KIM" in html


def test_the_author_sees_their_own_text_unmasked(client, verified, warga_guntung_paikat):
    aspiration = verified(text="Hubungi saya di 0812-3456-7890")
    html = login(client, warga_guntung_paikat).get(f"/aspirasi/lacak/{aspiration.code}/").content.decode()
    assert "0812-3456-7890" in html and "Add a correction" in html


def test_public_without_name_hides_the_name(client, verified):
    aspiration = verified(visibility=Visibility.PUBLIC_ANONYMOUS)
    html = client.get(f"/aspirasi/lacak/{aspiration.code}/").content.decode()
    assert "Siti Aminah" not in html and "Anonymous citizen" in html


def test_a_confidential_aspiration_shows_only_its_timeline(client, verified, stranger):
    aspiration = verified(visibility=Visibility.CONFIDENTIAL, text="Rahasia: pungli di kantor kelurahan")
    for who in (None, stranger):
        if who:
            login(client, who)
        html = client.get(f"/aspirasi/lacak/{aspiration.code}/").content.decode()
        assert "pungli" not in html and "Siti Aminah" not in html and "Confidential citizen" in html
        assert "Verified by the KIM" in html
        assert client.get("/aspirasi/").content.decode().count(aspiration.code) == 0


def test_internal_events_never_show_on_the_tracking_page(client, verified, pembina_banjarbaru):
    aspiration = verified()
    aspiration_hide(actor=pembina_banjarbaru, aspiration=aspiration, reason="Berisi fitnah terhadap Pak RT")
    html = client.get(f"/aspirasi/lacak/{aspiration.code}/").content.decode()
    assert "fitnah" not in html and "hidden by a moderator" in html


# --- The author's actions ---------------------------------------------------------------------


@pytest.fixture
def answered(submit, rules, ketua_guntung_paikat, petugas_pupr):
    aspiration = submit(now=timezone.now())
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    return aspiration_answer(actor=petugas_pupr, aspiration=aspiration, answer="Sudah ditambal, hubungi 0511-4772-123.")


def test_the_author_rates_once(client, answered, warga_guntung_paikat):
    login(client, warga_guntung_paikat)
    url = f"/aspirasi/lacak/{answered.code}/"
    assert "How good was the answer?" in client.get(url).content.decode()
    response = client.post(f"{url}nilai/", {"rating": "5", "comment": "Cepat"})
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.rating == 5
    again = client.post(f"{url}nilai/", {"rating": "1"}, follow=True)
    assert "already rated" in again.content.decode()
    answered.refresh_from_db()
    assert answered.rating == 5


def test_a_bad_rating_is_a_message(client, answered, warga_guntung_paikat):
    login(client, warga_guntung_paikat)
    response = client.post(f"/aspirasi/lacak/{answered.code}/nilai/", {"rating": "9"}, follow=True)
    assert "Choose from 1 to 5 stars" in response.content.decode()


def test_the_author_corrects_confirms_and_cannot_reopen_twice(client, answered, warga_guntung_paikat):
    login(client, warga_guntung_paikat)
    url = f"/aspirasi/lacak/{answered.code}/"
    original = answered.text
    client.post(f"{url}koreksi/", {"text": "Lubangnya ada dua."})
    answered.refresh_from_db()
    assert answered.text == original and answered.corrections.get().text == "Lubangnya ada dua."
    client.post(f"{url}buka-kembali/", {"reason": "Masih berlubang."})
    answered.refresh_from_db()
    assert answered.state == AspirationState.DITERUSKAN and answered.reopened_count == 1
    response = client.post(f"{url}selesai/", follow=True)
    assert response.status_code == 200 and "cannot become" in response.content.decode()


@pytest.mark.parametrize("action", ["nilai", "koreksi", "selesai", "buka-kembali"])
def test_others_cannot_act_as_the_author(client, answered, stranger, petugas_pupr, action):
    for who in (stranger, petugas_pupr):
        login(client, who)
        assert client.post(f"/aspirasi/lacak/{answered.code}/{action}/", {"rating": "1"}).status_code == 403
    client.logout()
    response = client.post(f"/aspirasi/lacak/{answered.code}/{action}/", {"rating": "1"})
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    answered.refresh_from_db()
    assert answered.rating is None and answered.state == AspirationState.DIJAWAB


def test_support_once_per_person(client, verified, stranger, warga_guntung_paikat):
    aspiration = verified()
    login(client, stranger)
    client.post(f"/aspirasi/lacak/{aspiration.code}/dukung/")
    response = client.post(f"/aspirasi/lacak/{aspiration.code}/dukung/", HTTP_HX_REQUEST="true")
    aspiration.refresh_from_db()
    assert aspiration.support_count == 1 and "You support this aspiration" in response.content.decode()
    login(client, warga_guntung_paikat)
    own = client.post(f"/aspirasi/lacak/{aspiration.code}/dukung/", follow=True)
    assert "cannot support your own" in own.content.decode()
    aspiration.refresh_from_db()
    assert aspiration.support_count == 1


# --- The list and the map ---------------------------------------------------------------------


def test_the_list_shows_only_verified_public_aspirations_masked(client, submit, verified):
    shown = verified(title="Jalan rusak, hubungi 081234567890")
    waiting = submit(title="Belum diverifikasi")
    secret = verified(visibility=Visibility.CONFIDENTIAL, title="Rahasia sekali")
    html = client.get("/aspirasi/").content.decode()
    assert shown.code in html and "081234567890" not in html
    assert waiting.code not in html and secret.code not in html and "Rahasia" not in html


def test_the_list_filters_and_never_fails(client, verified):
    road = verified()
    water = verified(category=Category.AIR_LISTRIK, title="Air PDAM mati")
    html = client.get("/aspirasi/?kategori=air_listrik&wilayah=63.72").content.decode()
    assert water.code in html and road.code not in html
    for query in ("status=ditolak", "instansi=abc", "provinsi=99&kabupaten=x", "page=999", "kategori=zzz"):
        assert client.get(f"/aspirasi/?{query}").status_code == 200


def test_the_list_does_not_query_per_row(client, verified):
    for n in range(3):
        verified(title=f"Jalan rusak nomor {n}")
    client.get("/aspirasi/")  # warm caches
    with CaptureQueriesContext(connection) as few:
        client.get("/aspirasi/")
    for n in range(3, 10):
        verified(title=f"Jalan rusak nomor {n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/aspirasi/")
    assert len(many) == len(few)


def test_the_map_has_the_points_with_masked_titles(client, verified):
    pinned = verified(latitude="-3.4431", longitude="114.8123", title="Jalan rusak 0812-3456-7890")
    verified()  # no point
    data = client.get("/aspirasi/peta.geojson").json()
    assert [f["properties"]["code"] for f in data["features"]] == [pinned.code]
    assert "0812-3456-7890" not in data["features"][0]["properties"]["title"]


def test_photos_of_a_confidential_case_stay_inside(client, verified, stranger, ketua_guntung_paikat):
    public = verified(photos=[jpeg()])
    secret = verified(visibility=Visibility.CONFIDENTIAL, photos=[jpeg()])
    response = client.get(f"/aspirasi/lacak/{public.code}/foto/{public.photos.get().pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    secret_url = f"/aspirasi/lacak/{secret.code}/foto/{secret.photos.get().pk}/"
    assert client.get(secret_url).status_code == 404
    assert login(client, stranger).get(secret_url).status_code == 404
    assert login(client, ketua_guntung_paikat).get(secret_url).status_code == 200
    # A photo id of another aspiration is not found under this code.
    assert client.get(f"/aspirasi/lacak/{public.code}/foto/{secret.photos.get().pk}/").status_code == 404

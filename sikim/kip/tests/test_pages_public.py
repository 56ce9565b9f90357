"""The requester's pages: the landing page, filing (anonymous, logged in, for a citizen), the
receipt, the public tracking page with its statutory dates, the objection, "my requests"."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import formats, timezone, translation

from conftest import login
from sikim.kip import deadlines
from sikim.kip.models import InformationRequest, Objection
from sikim.kip.selectors.calendar import kip_calendar
from sikim.kip.services.requests import request_decide, request_extend, request_file
from sikim.kip.tests.conftest import REQUEST_FIELDS, wib

pytestmark = pytest.mark.django_db

NEW = "/informasi/minta/"
EKASARI_FORM = "/informasi/minta/?badan=pemerintah-desa-ekasari"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IDENTITY_BITS = ("5101041203850001", "Banjar Ekasari, Desa Ekasari", "made.artana@sikim.test", "+6281338000123")


def _post_data(**overrides):
    data = {"badan": "pemerintah-desa-ekasari", **REQUEST_FIELDS}
    data.update(overrides)
    return data


def _long_date(moment):
    with translation.override("id"):
        return formats.date_format(timezone.localtime(moment), "l, j F Y")


# --- the landing page --------------------------------------------------------------------------


def test_landing_explains_and_finds_bodies_by_name_and_region(
    client, english, desa_ekasari, dinkes_jembrana, dinkes_banjarbaru
):
    page = client.get("/informasi/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "10 working days" in text and "Pemerintah Desa Ekasari" in text
    assert "/informasi/minta/?badan=pemerintah-desa-ekasari" in text

    found = client.get("/informasi/", {"q": "ekasari"}).content.decode()
    assert "Pemerintah Desa Ekasari" in found and "Dinas Kesehatan Kabupaten Jembrana" not in found

    jembrana = client.get("/informasi/", {"provinsi": "51", "kabupaten": "51.01"}).content.decode()
    assert "Pemerintah Desa Ekasari" in jembrana and "Dinas Kesehatan Kabupaten Jembrana" in jembrana
    assert "Dinas Kesehatan Kota Banjarbaru" not in jembrana

    kalsel = client.get("/informasi/", {"provinsi": "63"}).content.decode()
    assert "Dinas Kesehatan Kota Banjarbaru" in kalsel and "Pemerintah Desa Ekasari" not in kalsel


@pytest.mark.parametrize(
    "query",
    [{"provinsi": "<script>"}, {"provinsi": "51", "kabupaten": "63.72"}, {"q": "x" * 500}, {"page": "-1"}],
)
def test_landing_survives_bad_filters(client, desa_ekasari, query):
    assert client.get("/informasi/", query).status_code == 200


# --- filing --------------------------------------------------------------------------------------


def test_the_form_has_labelled_fields_for_anonymous_and_prefills_a_citizen(client, desa_ekasari, citizen):
    page = client.get(EKASARI_FORM)
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("requester_name", "requester_id_number", "requester_address", "information", "purpose"):
        assert f'for="id_{field}"' in html
    assert "Pemerintah Desa Ekasari" in html
    login(client, citizen)
    html = client.get(EKASARI_FORM).content.decode()
    assert 'value="I Made Artana"' in html and 'value="made.artana@sikim.test"' in html


def test_the_form_without_a_body_offers_a_choice_and_an_unknown_body_is_404(client, desa_ekasari):
    html = client.get(NEW).content.decode()
    assert '<option value="pemerintah-desa-ekasari">' in html
    assert client.get("/informasi/minta/?badan=tidak-ada").status_code == 404


def test_anonymous_filing_registers_at_once_and_gives_the_receipt(client, desa_ekasari):
    response = client.post(EKASARI_FORM, _post_data())
    filed = InformationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/informasi/lacak/{filed.tracking_code}/terdaftar/"
    assert filed.registration_number and filed.requester_user is None and filed.filed_by is None
    page = client.get(response["Location"]).content.decode()
    assert filed.registration_number in page and filed.tracking_code in page
    assert _long_date(filed.decision_due) in page
    pdf = client.get(f"/informasi/lacak/{filed.tracking_code}/tanda-terima.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    # Another browser (no account, not the one that filed) gets no receipt.
    assert Client().get(f"/informasi/lacak/{filed.tracking_code}/tanda-terima.pdf").status_code == 403


def test_a_logged_in_citizen_files_for_themself_and_sees_it_in_my_requests(client, desa_ekasari, citizen):
    login(client, citizen)
    response = client.post(EKASARI_FORM, _post_data())
    filed = InformationRequest.objects.get()
    assert response.status_code == 302 and filed.requester_user == citizen
    mine = client.get("/informasi/saya/")
    assert mine.status_code == 200 and filed.registration_number in mine.content.decode()
    other = login(Client(), citizen)  # the account, not the session, opens the receipt
    assert other.get(f"/informasi/lacak/{filed.tracking_code}/tanda-terima.pdf").status_code == 200


def test_a_kim_pengurus_files_for_a_citizen(client, english, desa_ekasari, ketua_guntung_paikat):
    login(client, ketua_guntung_paikat)
    assert "untuk=warga" in client.get(EKASARI_FORM).content.decode()  # the way to the pengurus form
    form = client.get(f"{EKASARI_FORM}&untuk=warga")
    assert form.status_code == 200 and "The citizen&#x27;s full name" in form.content.decode()
    response = client.post(f"{EKASARI_FORM}&untuk=warga", _post_data())
    assert response.status_code == 302
    filed = InformationRequest.objects.get()
    assert filed.filed_by == ketua_guntung_paikat and filed.requester_user is None
    assert filed.requester_name == "I Made Artana"
    track = client.get(f"/informasi/lacak/{filed.tracking_code}/").content.decode()
    assert "5101041203850001" in track  # the pengurus who filed sees the citizen's data
    assert filed.registration_number in client.get("/informasi/saya/").content.decode()


def test_only_a_pengurus_may_file_for_a_citizen(client, desa_ekasari, citizen):
    assert client.get(f"{EKASARI_FORM}&untuk=warga").status_code == 302  # to the login page
    login(client, citizen)
    assert client.get(f"{EKASARI_FORM}&untuk=warga").status_code == 403
    assert client.post(f"{EKASARI_FORM}&untuk=warga", _post_data()).status_code == 403
    assert not InformationRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"requester_id_number": ""}, "NIK"),
        ({"requester_phone": "", "requester_email": ""}, "phone number or an email"),
        ({"access_form": "salinan", "copy_format": ""}, "softcopy"),
        ({"delivery": "email", "requester_email": ""}, "email"),
        ({"information": "x" * 6000}, "5000"),
        ({"badan": "tidak-ada"}, ""),
        ({"requester_phone": "12", "requester_email": ""}, "0812"),
    ],
)
def test_bad_input_is_explained_and_kept(client, desa_ekasari, english, overrides, message):
    data = _post_data(**overrides)
    response = client.post(NEW, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert REQUEST_FIELDS["purpose"] in html  # what was written is kept
    assert not InformationRequest.objects.exists()


def test_a_bot_filling_the_honeypot_files_nothing(client, desa_ekasari):
    response = client.post(EKASARI_FORM, _post_data(homepage="http://spam.example"))
    assert response.status_code == 302 and not InformationRequest.objects.exists()


def test_anonymous_requests_are_limited_per_hour_with_the_text_kept(client, desa_ekasari, citizen, settings):
    settings.SIKIM_KIP_ANONYMOUS_PER_HOUR = 1
    cache.clear()
    assert client.post(EKASARI_FORM, _post_data()).status_code == 302
    again = client.post(EKASARI_FORM, _post_data(information="Laporan realisasi APBDes 2025."))
    assert again.status_code == 429
    html = again.content.decode()
    assert 'id="kip-limited"' in html and "Laporan realisasi APBDes 2025." in html
    assert InformationRequest.objects.count() == 1
    login(client, citizen)  # an account is not limited
    assert client.post(EKASARI_FORM, _post_data()).status_code == 302
    cache.clear()


# --- the receipt -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "stranger", "ppid_dinkes", "petugas_ekasari", "pembina_ekasari"])
def test_the_receipt_pdf_is_for_the_requester_and_the_ppid_only(client, request, file, who, ppid_ekasari, citizen):
    filed = file()
    url = f"/informasi/lacak/{filed.tracking_code}/tanda-terima.pdf"
    if who == "pembina_ekasari":
        login(client, request.getfixturevalue("outsider"))  # the pembina of Kabupaten Jembrana
    elif who != "anonymous":
        login(client, request.getfixturevalue(who))
    assert client.get(url).status_code == 403
    assert login(Client(), ppid_ekasari).get(url).status_code == 200
    assert login(Client(), citizen).get(url).status_code == 200


# --- tracking ------------------------------------------------------------------------------------


def test_tracking_shows_every_statutory_date(client, file, ppid_ekasari):
    filed = file()
    request_extend(
        actor=ppid_ekasari, request=filed, reason="Dokumen sedang dihimpun dari arsip desa.", now=wib(2026, 4, 6, 9)
    )
    decision = request_decide(
        actor=ppid_ekasari,
        request=filed,
        outcome="granted_partial",
        exemption_ground="h",
        consequence_test="Lampiran memuat data pribadi penerima bantuan.",
        response_text="APBDes terlampir, tanpa lampiran data penerima bantuan.",
        now=wib(2026, 4, 14, 10),
    )
    filed.refresh_from_db()
    page = client.get(f"/informasi/lacak/{filed.tracking_code}/")
    assert page.status_code == 200
    html = page.content.decode()
    window = deadlines.objection_window_after_decision(kip_calendar(), decision.decided_at)
    for key, moment in (
        ("decision_due", filed.decision_due),
        ("extended_due", filed.extended_due),
        ("objection_window", window),
    ):
        assert f'id="kip-step-{key}"' in html
        assert _long_date(moment) in html, key
    assert _long_date(filed.decision_due) == "Rabu, 8 April 2026"
    assert "Dokumen sedang dihimpun dari arsip desa." in html  # the extension's reason is public
    assert "17 Maret 2026, 10:00 WIB" in html  # received
    assert "14 April 2026" in html  # decided
    assert 'id="kip-exemption-ground"' in html
    assert "APBDes terlampir" not in html  # the response itself is for the requester


def test_the_time_state_is_computed_overdue(client, file):
    filed = file()  # March 2026, never decided: long overdue by now
    html = client.get(f"/informasi/lacak/{filed.tracking_code}/").content.decode()
    assert 'id="kip-time-state"' in html and "kip-late" in html
    window = deadlines.objection_window_after_deadline(kip_calendar(), filed.decision_due)
    assert _long_date(window) in html  # no decision: the objection window runs from the deadline


@pytest.mark.parametrize("who", ["anonymous", "stranger", "ppid_dinkes", "outsider", "atasan_ekasari"])
def test_identity_is_masked_for_everyone_but_the_requester_and_ppid(client, request, file, who):
    filed = file()
    if who != "anonymous":
        login(client, request.getfixturevalue(who))
    html = client.get(f"/informasi/lacak/{filed.tracking_code}/").content.decode()
    assert "I M*** A*****" in html
    assert "I Made Artana" not in html
    for bit in IDENTITY_BITS:
        assert bit not in html
    assert "Memantau penggunaan Dana Desa." not in html  # the purpose is the requester's


@pytest.mark.parametrize("who", ["citizen", "ppid_ekasari"])
def test_the_requester_and_the_ppid_see_the_whole_request(client, request, file, who):
    filed = file()
    login(client, request.getfixturevalue(who))
    html = client.get(f"/informasi/lacak/{filed.tracking_code}/").content.decode()
    assert "I Made Artana" in html and "5101041203850001" in html and "Memantau penggunaan Dana Desa." in html


def test_personal_data_in_the_request_text_is_masked_in_public(client, file):
    filed = file(information="Data bantuan atas nama saya, HP 0813 3800 0123, email made.artana@sikim.test.")
    html = client.get(f"/informasi/lacak/{filed.tracking_code}/").content.decode()
    assert "made.artana@sikim.test" not in html and "0813 3800 0123" not in html


def test_tracking_lookup(client, file):
    filed = file()
    found = client.get("/informasi/lacak/", {"kode": filed.tracking_code.lower()})
    assert found.status_code == 302 and found["Location"] == f"/informasi/lacak/{filed.tracking_code}/"
    assert client.get("/informasi/lacak/", {"kode": "KIP-2026-ZZZZZZ"}).status_code == 404
    assert client.get("/informasi/lacak/", {"kode": ""}).status_code == 400
    assert client.get("/informasi/lacak/KIP-2026-ZZZZZZ/").status_code == 404
    assert client.get("/informasi/lacak/%3Cscript%3E/").status_code == 404


def test_response_documents_are_for_the_requester(client, file, ppid_ekasari, citizen):
    filed = file()
    decision = request_decide(
        actor=ppid_ekasari,
        request=filed,
        outcome="granted_full",
        response_text="Terlampir.",
        documents=[SimpleUploadedFile("apbdes-2026.pdf", PDF, content_type="application/pdf")],
        now=wib(2026, 4, 1, 10),
    )
    document = decision.documents.get()
    url = f"/informasi/lacak/{filed.tracking_code}/dokumen/{document.pk}/"
    assert client.get(url).status_code == 403
    login(client, citizen)
    assert url in client.get(f"/informasi/lacak/{filed.tracking_code}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/informasi/lacak/{filed.tracking_code}/dokumen/999999/").status_code == 404


def test_my_requests_needs_a_login(client):
    response = client.get("/informasi/saya/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


# --- the objection -----------------------------------------------------------------------------


def test_the_requester_objects_within_the_window(client, desa_ekasari, citizen, ppid_ekasari):
    now = timezone.now()
    filed = request_file(actor=citizen, body=desa_ekasari, now=now - timedelta(days=3), **REQUEST_FIELDS)
    request_decide(
        actor=ppid_ekasari,
        request=filed,
        outcome="refused",
        exemption_ground="h",
        consequence_test="Memuat data pribadi.",
        now=now - timedelta(hours=1),
    )
    login(client, citizen)
    page = client.get(f"/informasi/lacak/{filed.tracking_code}/").content.decode()
    assert 'action="/informasi/lacak/' in page and 'name="grounds"' in page
    empty = client.post(f"/informasi/lacak/{filed.tracking_code}/keberatan/", {"statement": "Saya keberatan."})
    assert empty.status_code == 400 and "Saya keberatan." in empty.content.decode()
    response = client.post(
        f"/informasi/lacak/{filed.tracking_code}/keberatan/",
        {"grounds": ["a", "e"], "statement": "Informasi anggaran bukan rahasia pribadi."},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.grounds == "a,e"
    html = client.get(f"/informasi/lacak/{filed.tracking_code}/").content.decode()
    assert _long_date(objection.answer_due) in html


def test_an_objection_after_its_window_is_a_clear_message_and_nothing_is_lost(client, file, citizen, ppid_ekasari):
    filed = file()
    request_decide(actor=ppid_ekasari, request=filed, outcome="not_held", now=wib(2026, 4, 1, 10))
    login(client, citizen)
    page = client.get(f"/informasi/lacak/{filed.tracking_code}/").content.decode()
    assert 'id="kip-objection-note"' in page  # the window is shown as closed, no form
    response = client.post(
        f"/informasi/lacak/{filed.tracking_code}/keberatan/",
        {"grounds": ["e"], "statement": "Informasi itu pasti ada di kantor desa."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pasal 36" in html and "Informasi itu pasti ada di kantor desa." in html
    assert not Objection.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "ppid_dinkes", "atasan_ekasari"])
def test_others_may_not_object(client, request, file, who):
    filed = file()
    login(client, request.getfixturevalue(who))
    response = client.post(f"/informasi/lacak/{filed.tracking_code}/keberatan/", {"grounds": ["c"], "statement": "x"})
    assert response.status_code == 403
    assert not Objection.objects.exists()


def test_a_published_response_shows_on_the_public_page_redacted(client, file, ppid_ekasari):
    from sikim.kip.services.register import register_publish_response

    filed = file()
    decision = request_decide(
        actor=ppid_ekasari,
        request=filed,
        outcome="granted_full",
        response_text="APBDes 2026 untuk I Made Artana, HP 0813 3800 0123.",
        now=wib(2026, 4, 1, 10),
    )
    register_publish_response(actor=ppid_ekasari, decision=decision, title="APBDes Desa Ekasari 2026")
    html = client.get(f"/informasi/lacak/{filed.tracking_code}/").content.decode()
    assert 'id="kip-published"' in html and "APBDes Desa Ekasari 2026" in html
    assert "I Made Artana" not in html and "0813 3800 0123" not in html


def test_the_landing_page_links_each_body_to_its_register(client, desa_ekasari):
    html = client.get("/informasi/").content.decode()
    assert "/informasi/daftar/pemerintah-desa-ekasari/" in html

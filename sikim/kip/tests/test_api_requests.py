"""The information request API: filing, the PPID's steps, objections and disputes, and who sees
the requester's identity. Every refused step is a 4xx with the service's message, and nothing is
saved."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import login
from sikim.kip.models import Decision, InformationRequest, Objection, RegisterEntry, RequestState
from sikim.kip.services.requests import request_decide, request_submit
from sikim.kip.tests.conftest import BEFORE_LEBARAN, REQUEST_FIELDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

API = "/api/v1/kip"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IDENTITY_VALUES = ("I Made Artana", "5101041203850001", "Banjar Ekasari", "made.artana@sikim.test", "81338000123")


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def new_request(**overrides):
    return {"body": "pemerintah-desa-ekasari", **REQUEST_FIELDS, **overrides}


@pytest.fixture
def filed_now(file):
    """A request registered today (so its deadlines are still ahead)."""
    return file(now=timezone.now())


def test_citizen_files_a_request_and_gets_its_number_at_once(client, citizen, desa_ekasari):
    login(client, citizen)
    response = post(client, f"{API}/requests", new_request())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["registration_number"].startswith(f"PPID-{desa_ekasari.pk:04d}-")
    assert data["state"] == RequestState.DITERIMA and data["decision_due"]
    assert data["identity"]["id_number"] == "5101041203850001"  # their own
    assert data["receipt_url"].endswith(f"/requests/{data['id']}/receipt")
    request = InformationRequest.objects.get()
    assert request.requester_user == citizen and request.filed_by is None
    receipt = client.get(data["receipt_url"])
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"


def test_kim_pengurus_files_on_behalf_and_a_citizen_may_not(client, ketua_ekasari, citizen, desa_ekasari):
    login(client, citizen)
    response = post(client, f"{API}/requests", new_request(on_behalf=True))
    assert response.status_code == 403
    login(client, ketua_ekasari)
    response = post(client, f"{API}/requests", new_request(on_behalf=True))
    assert response.status_code == 201, response.content
    request = InformationRequest.objects.get()
    assert request.filed_by == ketua_ekasari and request.requester_user is None


def test_anonymous_cannot_file(client, desa_ekasari):
    assert post(client, f"{API}/requests", new_request()).status_code == 401
    assert not InformationRequest.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        [],
        "a request",
        new_request(requester_name=12),
        new_request(access_form="fotokopi"),
        new_request(on_behalf="sometimes"),
        new_request(body="no such body!"),
    ],
)
def test_wrong_input_is_a_422_and_nothing_is_filed(client, citizen, desa_ekasari, body):
    login(client, citizen)
    response = post(client, f"{API}/requests", body)
    assert response.status_code == 422, response.content
    assert set(response.json()) == {"code", "message", "details"}
    assert not InformationRequest.objects.exists()


def test_service_rules_come_back_with_their_message(client, citizen, desa_ekasari):
    login(client, citizen)
    response = post(client, f"{API}/requests", new_request(access_form="salinan", copy_format=""))
    assert response.status_code == 422
    assert response.json()["details"] == [{"field": "copy_format", "message": "Choose a softcopy or a hardcopy."}]
    response = post(client, f"{API}/requests", new_request(body="dinkes-unknown"))
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "body"
    assert not InformationRequest.objects.exists()


def test_lists_show_what_each_may_see(client, file, citizen, ppid_ekasari, ppid_dinkes, outsider, pembina_banjarbaru):
    request = file()
    seen = {}
    for name, user in {
        "citizen": citizen,
        "ppid": ppid_ekasari,
        "other_ppid": ppid_dinkes,
        "pembina": outsider,  # the pembina of Jembrana, Ekasari's kabupaten
        "far_pembina": pembina_banjarbaru,
    }.items():
        login(client, user)
        response = client.get(f"{API}/requests")
        assert response.status_code == 200
        seen[name] = [(item["id"], item["requester"]) for item in response.json()["items"]]
    assert seen["citizen"] == [(request.pk, "I Made Artana")]
    assert seen["ppid"] == [(request.pk, "I Made Artana")]
    assert seen["pembina"] == [(request.pk, "I M*** A*****")]
    assert seen["other_ppid"] == [] and seen["far_pembina"] == []


def test_identity_only_for_the_bodys_ppid_and_the_requester(
    client, file, ppid_ekasari, outsider, atasan_ekasari, ppid_dinkes, stranger, national_admin
):
    request = file()
    login(client, ppid_ekasari)
    assert client.get(f"{API}/requests/{request.pk}").json()["identity"]["phone"] == "+6281338000123"
    for reader in (outsider, atasan_ekasari, national_admin):
        login(client, reader)
        response = client.get(f"{API}/requests/{request.pk}")
        assert response.status_code == 200
        assert response.json()["identity"] is None
        assert not any(value in response.content.decode() for value in IDENTITY_VALUES)
        assert client.get(f"{API}/requests/{request.pk}/receipt").status_code == 403
        assert not any(value in client.get(f"{API}/requests").content.decode() for value in IDENTITY_VALUES)
    for other in (ppid_dinkes, stranger):
        login(client, other)
        assert client.get(f"{API}/requests/{request.pk}").status_code == 404


def test_tracking_is_public_and_shows_no_identity(client, file):
    request = file(information="APBDes 2026, hubungi I Made Artana di 0813 3800 0123.")
    response = client.get(f"{API}/requests/track/{request.tracking_code.lower()}")
    assert response.status_code == 200
    data = response.json()
    assert data["registration_number"] == request.registration_number and data["time_state"]
    assert not any(value in response.content.decode() for value in IDENTITY_VALUES)
    assert client.get(f"{API}/requests/track/KIP-2026-ZZZZZZ").status_code == 404
    assert client.get(f"{API}/requests/track/%3Cscript%3E").status_code in (404, 422)


def test_ppid_registers_a_submitted_request_once(client, desa_ekasari, citizen, ppid_ekasari, ppid_dinkes):
    request = request_submit(actor=citizen, body=desa_ekasari, **REQUEST_FIELDS)
    login(client, ppid_ekasari)
    response = client.post(f"{API}/requests/{request.pk}/decision", {"outcome": "granted_full"})
    assert response.status_code == 422
    assert response.json()["code"] == "not_registered"
    assert "has not been registered yet" in response.json()["message"]
    assert not Decision.objects.exists()
    login(client, ppid_dinkes)
    assert client.post(f"{API}/requests/{request.pk}/register").status_code == 404
    login(client, ppid_ekasari)
    response = client.post(f"{API}/requests/{request.pk}/register")
    assert response.status_code == 200 and response.json()["state"] == RequestState.DITERIMA
    again = client.post(f"{API}/requests/{request.pk}/register")
    assert again.status_code == 422 and again.json()["code"] == "already_registered"


def test_extension_once_with_a_reason(client, filed_now, ppid_ekasari, outsider, ppid_dinkes, citizen):
    path = f"{API}/requests/{filed_now.pk}/extend"
    reason = {"reason": "Dokumen APBDes masih di kecamatan untuk dievaluasi."}
    for user, status in ((citizen, 403), (outsider, 403), (ppid_dinkes, 404)):
        login(client, user)
        assert post(client, path, reason).status_code == status
    login(client, ppid_ekasari)
    assert post(client, path, {"reason": 42}).status_code == 422
    assert post(client, path, {"reason": "   "}).status_code == 422
    response = post(client, path, reason)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == RequestState.DIPERPANJANG and response.json()["extended_due"]
    again = post(client, path, reason)
    assert again.status_code == 422 and again.json()["code"] == "already_extended"
    assert "only one extension" in again.json()["message"]
    filed_now.refresh_from_db()
    assert filed_now.extension_reason == reason["reason"]


def test_refusal_needs_a_ground_and_nothing_is_saved(client, filed_now, ppid_ekasari):
    login(client, ppid_ekasari)
    path = f"{API}/requests/{filed_now.pk}/decision"
    response = client.post(path, {"outcome": "refused", "consequence_test": "Membahayakan."})
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "exemption_ground"
    assert "Pasal 17" in response.json()["message"]
    assert client.post(path, {"outcome": "maybe"}).status_code == 422
    assert client.post(path, {"outcome": "granted_full", "cost": "lots"}).status_code == 422
    not_pdf = SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    assert client.post(path, {"outcome": "granted_full", "documents": [not_pdf]}).status_code == 422
    assert not Decision.objects.exists()
    filed_now.refresh_from_db()
    assert filed_now.state == RequestState.DITERIMA


def test_decision_with_documents_the_requester_downloads(client, filed_now, ppid_ekasari, citizen, ppid_dinkes):
    login(client, ppid_dinkes)
    path = f"{API}/requests/{filed_now.pk}/decision"
    assert client.post(path, {"outcome": "granted_full"}).status_code == 404
    login(client, ppid_ekasari)
    response = client.post(
        path,
        {
            "outcome": "granted_partial",
            "exemption_ground": "h",
            "consequence_test": "Lampiran memuat NIK penerima bantuan; dihitamkan.",
            "response_text": "APBDes terlampir.",
            "documents": [SimpleUploadedFile("apbdes.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 200, response.content
    decision = response.json()["decision"]
    assert decision["outcome"] == "granted_partial" and len(decision["documents"]) == 1
    again = client.post(path, {"outcome": "granted_full"})
    assert again.status_code == 422 and again.json()["code"] == "already_decided"
    login(client, citizen)
    download = client.get(decision["documents"][0]["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment;")


def test_ppid_publishes_the_response_redacted(client, filed_now, ppid_ekasari, citizen):
    request_decide(
        actor=ppid_ekasari,
        request=filed_now,
        outcome="granted_full",
        response_text="Untuk I Made Artana (0813 3800 0123): APBDes 2026 terlampir.",
    )
    login(client, citizen)
    assert post(client, f"{API}/requests/{filed_now.pk}/publish", {"title": "APBDes 2026"}).status_code == 403
    login(client, ppid_ekasari)
    response = post(client, f"{API}/requests/{filed_now.pk}/publish", {"title": "APBDes 2026"})
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["category"] == "setiap_saat" and entry["from_decision"] is True
    assert "I Made Artana" not in entry["summary"] and "0813 3800 0123" not in entry["summary"]
    assert RegisterEntry.objects.get().is_published


def test_objection_after_its_window_is_refused(client, file, ppid_ekasari, citizen):
    request = file()  # registered 17 March 2026
    request_decide(actor=ppid_ekasari, request=request, outcome="not_held", now=BEFORE_LEBARAN + timedelta(days=1))
    login(client, citizen)
    response = post(client, f"{API}/requests/{request.pk}/objection", {"grounds": ["e"], "statement": "Ada di desa."})
    assert response.status_code == 422
    assert response.json()["code"] == "window_closed" and "30 working days" in response.json()["message"]
    assert not Objection.objects.exists()


def test_objection_answer_and_dispute(client, filed_now, ppid_ekasari, citizen, atasan_ekasari, outsider):
    request_decide(actor=ppid_ekasari, request=filed_now, outcome="not_held")
    path = f"{API}/requests/{filed_now.pk}"
    login(client, citizen)
    assert post(client, f"{path}/objection/answer", {"answer": "x"}).status_code == 422  # none filed yet
    assert post(client, f"{path}/objection", {"grounds": ["z"], "statement": "x"}).status_code == 422
    assert post(client, f"{path}/objection", {"grounds": "e", "statement": "x"}).status_code == 422
    objection = {"grounds": ["e", "a"], "statement": "Informasi itu dikuasai desa."}
    response = post(client, f"{path}/objection", objection)
    assert response.status_code == 200, response.content
    assert response.json()["objection"]["grounds"] == ["a", "e"]
    assert post(client, f"{path}/objection", objection).json()["code"] == "already_objected"
    for user in (citizen, ppid_ekasari, outsider):
        login(client, user)
        assert post(client, f"{path}/objection/answer", {"answer": "Ditolak."}).status_code == 403
    login(client, atasan_ekasari)
    response = post(client, f"{path}/objection/answer", {"answer": "PPID diperintahkan memberikan APBDes."})
    assert response.status_code == 200 and response.json()["state"] == RequestState.KEBERATAN_DIJAWAB
    assert response.json()["identity"] is None
    login(client, citizen)
    assert post(client, f"{path}/dispute/outcome", {"outcome": "mediated"}).status_code == 422  # none yet
    future = (timezone.now() + timedelta(days=3)).isoformat()
    assert post(client, f"{path}/dispute", {"commission": "KI Bali", "filed_at": future}).status_code == 422
    assert post(client, f"{path}/dispute", {"commission": "KI Bali", "filed_at": "2026-01-01T10:00"}).status_code == 422
    response = post(client, f"{path}/dispute", {"commission": "Komisi Informasi Provinsi Bali"})
    assert response.status_code == 200 and response.json()["state"] == RequestState.SENGKETA
    login(client, ppid_ekasari)
    assert post(client, f"{path}/dispute/outcome", {"outcome": "pending"}).status_code == 422
    response = post(client, f"{path}/dispute/outcome", {"outcome": "mediated", "reference_number": "012/KI-BALI"})
    assert response.status_code == 200
    assert response.json()["dispute"]["outcome"] == "mediated"
    assert response.json()["dispute"]["reference_number"] == "012/KI-BALI"


def test_unknown_and_huge_ids_are_not_found_or_invalid(client, citizen):
    login(client, citizen)
    assert client.get(f"{API}/requests/999999").status_code == 404
    assert client.get(f"{API}/requests/99999999999999999999").status_code in (404, 422)
    assert client.post(f"{API}/requests/0/register").status_code == 422


@pytest.mark.parametrize(
    "path, body",
    [
        ("extend", {"reason": "x" * 3000}),
        ("extend", {"reason": None}),
        ("extend", {}),
        ("objection", {"grounds": [], "statement": "x"}),
        ("objection", {"grounds": ["a", "a", "b", "c", "d", "e", "f", "g"], "statement": "x"}),
        ("objection", {"grounds": [1], "statement": "x"}),
        ("dispute", {"commission": "KI", "filed_at": "9999-12-31T23:59:59-14:00"}),
        ("dispute", {"commission": "KI", "filed_at": "yesterday"}),
        ("dispute/outcome", {"outcome": "mediated", "outcome_at": "0001-01-01T00:00:00+14:00"}),
        ("publish", {"title": ""}),
        ("publish", {"title": ["APBDes"]}),
    ],
)
def test_odd_json_on_a_real_request_is_a_4xx(client, filed_now, ppid_ekasari, path, body):
    login(client, ppid_ekasari)
    response = post(client, f"{API}/requests/{filed_now.pk}/{path}", body)
    assert 400 <= response.status_code < 500, response.content
    assert set(response.json()) == {"code", "message", "details"}
    filed_now.refresh_from_db()
    assert filed_now.state == RequestState.DITERIMA


@pytest.mark.parametrize(
    "form",
    [
        {"outcome": "granted_full", "cost": "-1"},
        {"outcome": "granted_full", "cost": "99999999999999999999"},
        {"outcome": "refused", "exemption_ground": "z", "consequence_test": "x"},
        {"outcome": "refused", "exemption_ground": "h", "consequence_test": "x" * 6000},
        {"outcome": "granted_full", "exemption_ground": "h"},
        {"outcome": "granted_full", "documents": "not a file"},
    ],
)
def test_odd_decisions_are_a_4xx_and_nothing_is_saved(client, filed_now, ppid_ekasari, form):
    login(client, ppid_ekasari)
    response = client.post(f"{API}/requests/{filed_now.pk}/decision", form)
    assert 400 <= response.status_code < 500, response.content
    assert not Decision.objects.exists()


def test_eleven_documents_are_too_many(client, filed_now, ppid_ekasari):
    login(client, ppid_ekasari)
    documents = [SimpleUploadedFile(f"d{n}.pdf", PDF, content_type="application/pdf") for n in range(11)]
    response = client.post(
        f"{API}/requests/{filed_now.pk}/decision", {"outcome": "granted_full", "documents": documents}
    )
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "documents"
    assert not Decision.objects.exists()

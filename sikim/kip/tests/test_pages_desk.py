"""The PPID desk, the case page and its moves, the atasan PPID page: who may, and clear refusals.

Every move goes through the page as the user who makes it. A refusal of the law (a decision
before registration, a second extension, a refusal without a Pasal 17 ground, a file that is not
a PDF) is a 400 with the service's message and the typed text kept; nothing is saved.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import login
from sikim.core.uploads import MAX_PDF_BYTES
from sikim.kip.models import Decision, InformationRequest, KiDispute, Objection, RegisterEntry, RequestState
from sikim.kip.services.objections import objection_answer, objection_file
from sikim.kip.services.requests import request_decide, request_submit
from sikim.kip.tests.conftest import REQUEST_FIELDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "kip_media")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ID_NUMBER = REQUEST_FIELDS["requester_id_number"]


@pytest.fixture
def kip_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fresh(file):
    """A request registered now, so its deadlines lie ahead (extension still possible)."""

    def _fresh(**overrides):
        return file(now=timezone.now(), **overrides)

    return _fresh


@pytest.fixture
def submitted(desa_ekasari, citizen):
    """A request submitted now and not yet registered."""
    return request_submit(actor=citizen, body=desa_ekasari, now=timezone.now(), **REQUEST_FIELDS)


def url(name, request, **kwargs):
    return reverse(f"kip:{name}", kwargs={"ref": request.registration_number or str(request.pk), **kwargs})


def case_url(request):
    return url("desk_case", request)


# --- The desk -------------------------------------------------------------------------------


def test_ppid_desk_lists_own_body_by_due_date_with_counts(client, file, fresh, ppid_ekasari, dinkes_jembrana):
    late = file()  # registered in March 2026: long overdue by now
    soon = fresh()
    other_body = file(body=dinkes_jembrana, now=timezone.now())
    page = login(client, ppid_ekasari).get(reverse("kip:desk"))
    assert page.status_code == 200
    html = page.content.decode()
    assert late.registration_number in html and soon.registration_number in html
    assert other_body.registration_number not in html
    assert html.index(late.registration_number) < html.index(soon.registration_number)  # the earliest due first
    assert page.context["counts"]["all"] == 2
    assert page.context["counts"]["long_overdue"] == 1 and page.context["counts"]["waiting"] == 1
    assert "I Made Artana" in html  # the body's own PPID sees who asked


@pytest.mark.parametrize(
    ("query", "shown"),
    [("waktu=long_overdue", "late"), ("waktu=waiting", "soon"), ("state=diajukan", "unregistered")],
)
def test_desk_filters_by_time_state_and_state(client, file, fresh, submitted, ppid_ekasari, query, shown):
    cases = {"late": file(), "soon": fresh(), "unregistered": submitted}
    lines = login(client, ppid_ekasari).get(reverse("kip:desk") + "?" + query).context["lines"]
    assert [line["request"].pk for line in lines] == [cases[shown].pk]


def test_desk_ignores_a_bad_filter(client, fresh, ppid_ekasari):
    fresh()
    page = login(client, ppid_ekasari).get(reverse("kip:desk") + "?waktu=kemarin&state=<x>&page=zz")
    assert page.status_code == 200 and len(page.context["lines"]) == 1


def test_pembina_of_the_region_reads_the_desk_without_identity(client, fresh, outsider):
    """`outsider` is the pembina of Kabupaten Jembrana, where Desa Ekasari lies."""
    request = fresh()
    html = login(client, outsider).get(reverse("kip:desk")).content.decode()
    assert request.registration_number in html
    assert "I Made Artana" not in html and "I M*** A*****" in html


def test_desk_refuses_users_without_a_kip_role(client, stranger, petugas_ekasari, citizen):
    for user in (stranger, petugas_ekasari, citizen):
        client.logout()
        assert login(client, user).get(reverse("kip:desk")).status_code == 403
    client.logout()
    assert client.get(reverse("kip:desk")).status_code == 302


def test_desk_sends_an_atasan_to_their_page(client, atasan_ekasari):
    response = login(client, atasan_ekasari).get(reverse("kip:desk"))
    assert response.status_code == 302 and response["Location"] == reverse("kip:atasan")


def test_desk_queries_do_not_grow_with_the_rows(client, fresh, ppid_ekasari, django_assert_max_num_queries):
    fresh()
    login(client, ppid_ekasari)
    client.get(reverse("kip:desk"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("kip:desk"))
    for _ in range(6):
        fresh()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("kip:desk"))


# --- The case page: who sees what -------------------------------------------------------------


def test_ppid_opens_the_case_by_number_or_pk_with_identity_and_dates(client, fresh, ppid_ekasari):
    request = fresh()
    login(client, ppid_ekasari)
    by_number = client.get(case_url(request))
    assert by_number.status_code == 200
    assert client.get(reverse("kip:desk_case", kwargs={"ref": request.pk})).status_code == 200
    html = by_number.content.decode()
    assert ID_NUMBER in html and "made.artana@sikim.test" in html and "Banjar Ekasari" in html
    assert 'id="kip-decision-due"' in html
    assert by_number.context["time_state"] == "waiting"
    assert {a["name"] for a in by_number.context["actions"]} == {"extend", "decide"}


@pytest.mark.parametrize("reader", ["outsider", "national_admin"])
def test_pembina_reads_the_case_without_identity_and_may_not_act(client, request, fresh, reader):
    """The pembina of Jembrana (`outsider`) and a national administrator: read-only, no identity."""
    case = fresh()
    page = login(client, request.getfixturevalue(reader)).get(case_url(case))
    assert page.status_code == 200
    html = page.content.decode()
    assert ID_NUMBER not in html and "made.artana@sikim.test" not in html and "I Made Artana" not in html
    assert page.context["actions"] == []
    for name, data in [
        ("desk_extend", {"extend-reason": "Dokumen masih dikumpulkan dari arsip."}),
        ("desk_decide", {"decide-outcome": "granted_full"}),
        ("desk_dispute", {"dispute-commission": "Komisi Informasi Provinsi Bali"}),
        ("desk_answer", {"answer-answer": "Jawaban."}),
    ]:
        assert client.post(url(name, case), data).status_code == 403
    case.refresh_from_db()
    assert case.state == RequestState.DITERIMA and not case.extended


@pytest.mark.parametrize("actor", ["ppid_dinkes", "pembina_banjarbaru", "petugas_ekasari", "stranger", "citizen"])
def test_outsiders_get_404_on_the_case_and_its_moves(client, request, fresh, submitted, actor):
    case = fresh()
    login(client, request.getfixturevalue(actor))
    assert client.get(case_url(case)).status_code == 404
    assert client.get(reverse("kip:desk_case", kwargs={"ref": case.pk})).status_code == 404
    assert client.post(url("desk_register", submitted)).status_code == 404
    assert client.post(url("desk_decide", case), {"decide-outcome": "granted_full"}).status_code == 404
    assert client.post(url("desk_extend", case), {"extend-reason": "Alasan yang cukup panjang."}).status_code == 404
    assert not Decision.objects.exists()


def test_a_nonsense_reference_is_404(client, ppid_ekasari):
    login(client, ppid_ekasari)
    for ref in ("abc", "PPID-1", "9" * 40, "KIP-2026-XXXXXX"):
        assert client.get(reverse("kip:desk_case", kwargs={"ref": ref})).status_code == 404


# --- Register, extend, decide -----------------------------------------------------------------


def test_ppid_registers_a_submitted_request_once(client, submitted, ppid_ekasari):
    login(client, ppid_ekasari)
    assert "register" in [a["name"] for a in client.get(url("desk_case", submitted)).context["actions"]]
    response = client.post(url("desk_register", submitted))
    submitted.refresh_from_db()
    assert submitted.state == RequestState.DITERIMA and submitted.registration_number
    assert response.status_code == 302 and response["Location"] == case_url(submitted)
    again = client.post(url("desk_register", submitted))
    assert again.status_code == 400
    assert "already registered" in again.content.decode()


def test_a_decision_before_registration_is_refused_and_the_text_kept(client, submitted, ppid_ekasari):
    response = login(client, ppid_ekasari).post(
        url("desk_decide", submitted), {"decide-outcome": "granted_full", "decide-response_text": "Terlampir APBDes."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "has not been registered yet" in html
    assert "Terlampir APBDes." in html  # the typed response is still in the form
    assert not Decision.objects.exists()


def test_ppid_extends_once_with_a_reason(client, fresh, ppid_ekasari):
    request = fresh()
    login(client, ppid_ekasari)
    no_reason = client.post(url("desk_extend", request), {"extend-reason": ""})
    assert no_reason.status_code == 400 and "This field is required" in no_reason.content.decode()
    reason = "Dokumen APBDes masih dikumpulkan dari arsip kantor desa."
    response = client.post(url("desk_extend", request), {"extend-reason": reason})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.DIPERPANJANG and request.extension_reason == reason
    page = client.get(case_url(request))
    assert 'id="kip-extended-due"' in page.content.decode()
    assert "extend" not in [a["name"] for a in page.context["actions"]]
    twice = client.post(url("desk_extend", request), {"extend-reason": "Masih butuh waktu tambahan lagi."})
    assert twice.status_code == 400
    html = twice.content.decode()
    assert "only one" in html and "Masih butuh waktu tambahan lagi." in html
    request.refresh_from_db()
    assert request.extension_reason == reason


def test_a_refusal_without_a_ground_is_refused_with_the_text_kept(client, fresh, ppid_ekasari):
    request = fresh()
    response = login(client, ppid_ekasari).post(
        url("desk_decide", request),
        {"decide-outcome": "refused", "decide-consequence_test": "Membuka data ini merugikan warga penerima."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pasal 17" in html and "Membuka data ini merugikan warga penerima." in html
    assert not Decision.objects.exists()
    no_test = login(client, ppid_ekasari).post(
        url("desk_decide", request), {"decide-outcome": "granted_partial", "decide-exemption_ground": "h"}
    )
    assert no_test.status_code == 400 and "consequence test" in no_test.content.decode()
    assert not Decision.objects.exists()


def test_ppid_grants_in_part_with_a_pdf_and_only_the_ppid_downloads_it(client, fresh, ppid_ekasari, outsider):
    request = fresh()
    login(client, ppid_ekasari)
    response = client.post(
        url("desk_decide", request),
        {
            "decide-outcome": "granted_partial",
            "decide-exemption_ground": "h",
            "decide-consequence_test": "Daftar penerima BLT memuat NIK warga; rekap jumlah diberikan.",
            "decide-response_text": "APBDes 2026 terlampir; data pribadi penerima dihitamkan.",
            "decide-cost": "0",
            "decide-documents": [SimpleUploadedFile("apbdes-2026.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(request=request)
    assert decision.outcome == "granted_partial" and decision.exemption_ground == "h"
    document = decision.documents.get()
    assert document.title == "apbdes-2026.pdf"
    request.refresh_from_db()
    assert request.state == RequestState.DIPUTUSKAN
    download = client.get(url("desk_document", request, document_id=document.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.logout()
    assert login(client, outsider).get(url("desk_document", request, document_id=document.pk)).status_code == 403


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("apbdes.pdf", b"MZ not a pdf at all", content_type="application/pdf"), "not a PDF"),
        (SimpleUploadedFile("besar.pdf", PDF + b"0" * MAX_PDF_BYTES, content_type="application/pdf"), "too large"),
    ],
    ids=["not-pdf", "oversized"],
)
def test_documents_that_are_not_pdfs_or_too_large_are_refused(client, fresh, ppid_ekasari, upload, message):
    request = fresh()
    response = login(client, ppid_ekasari).post(
        url("desk_decide", request),
        {"decide-outcome": "granted_full", "decide-response_text": "Terlampir.", "decide-documents": [upload]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "choose the documents again" in html
    assert response.context["actions"][-1]["form"].errors["documents"]
    assert not Decision.objects.exists()


def test_information_not_held(client, fresh, ppid_ekasari):
    request = fresh()
    response = login(client, ppid_ekasari).post(
        url("desk_decide", request),
        {"decide-outcome": "not_held", "decide-response_text": "Dikuasai Dinas PMD Kabupaten Jembrana."},
    )
    assert response.status_code == 302
    assert Decision.objects.get(request=request).outcome == "not_held"


# --- Publishing the response ------------------------------------------------------------------


def test_ppid_publishes_a_granted_response_once_with_personal_data_masked(client, fresh, ppid_ekasari):
    request = fresh()
    request_decide(
        actor=ppid_ekasari,
        request=request,
        outcome="granted_full",
        response_text="Untuk I Made Artana (0813 3800 0123): APBDes 2026 terlampir.",
    )
    login(client, ppid_ekasari)
    assert "publish" in [a["name"] for a in client.get(case_url(request)).context["actions"]]
    response = client.post(url("desk_publish", request), {"publish-title": "APBDes Desa Ekasari 2026"})
    assert response.status_code == 302
    entry = RegisterEntry.objects.get(source_decision__request=request)
    assert entry.is_published and "I Made Artana" not in entry.summary and "0813 3800 0123" not in entry.summary
    page = client.get(case_url(request))
    assert "publish" not in [a["name"] for a in page.context["actions"]]
    again = client.post(url("desk_publish", request), {"publish-title": "Lagi"})
    assert again.status_code == 400 and "already in the register" in again.content.decode()
    assert RegisterEntry.objects.filter(source_decision__request=request).count() == 1


def test_a_refusal_cannot_be_published(client, fresh, ppid_ekasari):
    request = fresh()
    request_decide(
        actor=ppid_ekasari, request=request, outcome="refused", exemption_ground="h", consequence_test="Data pribadi."
    )
    response = login(client, ppid_ekasari).post(url("desk_publish", request), {"publish-title": "X"})
    assert response.status_code == 400 and "Only information that was given" in response.content.decode()
    assert not RegisterEntry.objects.exists()


# --- Objection, atasan PPID, Komisi Informasi dispute ----------------------------------------


@pytest.fixture
def objected(fresh, ppid_ekasari, citizen):
    request = fresh()
    request_decide(
        actor=ppid_ekasari,
        request=request,
        outcome="refused",
        exemption_ground="h",
        consequence_test="Rincian penerima memuat data pribadi.",
    )
    objection_file(
        actor=citizen, request=request, grounds=["a"], statement="APBDes adalah informasi berkala, bukan rahasia."
    )
    request.refresh_from_db()
    return request


def test_atasan_sees_the_objections_and_answers_them(client, objected, atasan_ekasari):
    login(client, atasan_ekasari)
    page = client.get(reverse("kip:atasan"))
    assert page.status_code == 200
    html = page.content.decode()
    assert objected.registration_number in html and "1 objection waiting" in html
    assert "I Made Artana" not in html  # the atasan never sees who asked
    empty = client.post(url("desk_answer", objected), {"answer-answer": " ", "next": "atasan"})
    assert empty.status_code == 400
    response = client.post(
        url("desk_answer", objected), {"answer-answer": "Keberatan diterima; APBDes diberikan.", "next": "atasan"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("kip:atasan")
    objection = Objection.objects.get(request=objected)
    assert objection.answered_by == atasan_ekasari
    objected.refresh_from_db()
    assert objected.state == RequestState.KEBERATAN_DIJAWAB
    case = client.get(case_url(objected))
    assert case.status_code == 200 and ID_NUMBER not in case.content.decode()


def test_only_the_atasan_answers_an_objection(client, objected, ppid_ekasari, outsider, ppid_dinkes):
    for user, status in ((ppid_ekasari, 403), (outsider, 403), (ppid_dinkes, 404)):
        client.logout()
        response = login(client, user).post(
            url("desk_answer", objected), {"answer-answer": "Dijawab oleh bukan atasan."}
        )
        assert response.status_code == status
    assert Objection.objects.get(request=objected).answered_at is None


def test_the_atasan_page_is_for_atasan_only(client, ppid_ekasari, outsider, stranger):
    for user in (ppid_ekasari, outsider, stranger):
        client.logout()
        assert login(client, user).get(reverse("kip:atasan")).status_code == 403


def test_ppid_records_a_dispute_and_its_outcome(client, objected, ppid_ekasari, atasan_ekasari, outsider):
    objection_answer(actor=atasan_ekasari, objection=objected.objection, answer="Keberatan ditolak.")
    login(client, ppid_ekasari)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    bad = client.post(url("desk_dispute", objected), {"dispute-commission": "KI Bali", "dispute-filed_on": future})
    assert bad.status_code == 400 and "future" in bad.content.decode()
    client.logout()
    assert (
        login(client, outsider).post(url("desk_dispute", objected), {"dispute-commission": "KI Bali"}).status_code
        == 403
    )
    client.logout()
    login(client, ppid_ekasari)
    response = client.post(
        url("desk_dispute", objected),
        {"dispute-commission": "Komisi Informasi Provinsi Bali", "dispute-reference_number": "012/REG-PSI/XI/2026"},
    )
    assert response.status_code == 302
    dispute = KiDispute.objects.get(objection__request=objected)
    assert dispute.reference_number == "012/REG-PSI/XI/2026"
    objected.refresh_from_db()
    assert objected.state == RequestState.SENGKETA
    twice = client.post(url("desk_dispute", objected), {"dispute-commission": "Komisi Informasi Provinsi Bali"})
    assert twice.status_code == 400 and "already recorded" in twice.content.decode()
    outcome = client.post(
        url("desk_dispute_outcome", objected),
        {"dispute_outcome-outcome": "mediated", "dispute_outcome-notes": "Damai."},
    )
    assert outcome.status_code == 302
    dispute.refresh_from_db()
    assert dispute.outcome == "mediated" and dispute.outcome_at is not None
    assert "Settled by mediation" in client.get(case_url(objected)).content.decode()


def test_a_dispute_without_an_objection_is_refused(client, fresh, ppid_ekasari):
    request = fresh()
    response = login(client, ppid_ekasari).post(url("desk_dispute", request), {"dispute-commission": "KI Bali"})
    assert response.status_code == 400 and "No objection" in response.content.decode()
    assert InformationRequest.objects.get(pk=request.pk).state == RequestState.DITERIMA

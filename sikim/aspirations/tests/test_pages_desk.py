"""The desk: each worker sees the cases of their role, and forms only for the moves they may make."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import login
from sikim.aspirations.models import Aspiration, AspirationState, RejectReason, Visibility
from sikim.aspirations.services.workflow import aspiration_verify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
S = AspirationState


@pytest.fixture
def fresh(submit):
    """A just-submitted aspiration of Guntung Paikat (diajukan)."""
    return submit(now=timezone.now(), text="Jalan rusak. Telepon saya 0812-3456-7890.")


@pytest.fixture
def routed(fresh, rules, ketua_guntung_paikat):
    """Verified and routed by the rules to Dinas PUPR Kota Banjarbaru."""
    return aspiration_verify(actor=ketua_guntung_paikat, aspiration=fresh)


def case_url(aspiration, action=""):
    return f"/aspirasi/meja/{aspiration.code}/{action}"


# --- Who may open the desk and a case ---------------------------------------------------------


@pytest.mark.parametrize("actor", ["warga_guntung_paikat", "stranger", "anggota_guntung_paikat", "ppid"])
def test_citizens_and_others_have_no_desk(client, request, actor):
    login(client, request.getfixturevalue(actor))
    assert client.get("/aspirasi/meja/").status_code == 403


def test_anonymous_is_sent_to_log_in(client, regions):
    response = client.get("/aspirasi/meja/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        ("ketua_guntung_paikat", True),
        ("pembina_banjarbaru", True),
        ("national_admin", True),
        ("ketua_ekasari", False),
        ("outsider", False),
        ("petugas_instansi", False),  # an officer of no GovernmentOffice
        ("petugas_pupr", False),  # not routed to PUPR yet
    ],
)
def test_who_sees_a_fresh_case(client, request, fresh, actor, sees, pupr_banjarbaru):
    login(client, request.getfixturevalue(actor))
    desk = client.get("/aspirasi/meja/")
    assert desk.status_code == 200
    assert (fresh.code in desk.content.decode()) is sees
    assert client.get(case_url(fresh)).status_code == (200 if sees else 404)


def test_an_office_sees_only_cases_routed_to_it(client, routed, petugas_pupr, petugas_dlh):
    login(client, petugas_pupr)
    assert routed.code in client.get("/aspirasi/meja/").content.decode()
    assert client.get(case_url(routed)).status_code == 200
    login(client, petugas_dlh)
    assert routed.code not in client.get("/aspirasi/meja/").content.decode()
    assert client.get(case_url(routed)).status_code == 404


def test_overdue_cases_come_first(client, submit, pembina_banjarbaru):
    on_time = submit(now=timezone.now(), title="Baru saja")
    late = submit(now=timezone.now() - timedelta(days=30), title="Sudah lama")
    html = login(client, pembina_banjarbaru).get("/aspirasi/meja/").content.decode()
    assert html.index(late.code) < html.index(on_time.code) and "Overdue" in html
    overdue_only = client.get("/aspirasi/meja/?lihat=overdue").content.decode()
    assert late.code in overdue_only and on_time.code not in overdue_only
    assert client.get("/aspirasi/meja/?lihat=bogus&page=x").status_code == 200


# --- Forms only for the moves this worker may make now ----------------------------------------


def test_the_ketua_is_offered_verify_and_reject(client, fresh, ketua_guntung_paikat):
    html = login(client, ketua_guntung_paikat).get(case_url(fresh)).content.decode()
    assert 'action="/aspirasi/meja/' in html and "verifikasi/" in html and "tolak/" in html
    assert "jawab/" not in html and "teruskan/" not in html
    # The verifying KIM sees the whole text and the contact.
    assert "0812-3456-7890" in html and "Siti Aminah" in html and "+6281351000002" in html


def test_the_ketua_verifies_and_the_rules_forward(client, fresh, rules, ketua_guntung_paikat, pupr_banjarbaru):
    login(client, ketua_guntung_paikat)
    response = client.post(case_url(fresh, "verifikasi/"), {"verify-note": "Sudah dicek ke lokasi."})
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.state == S.DITERUSKAN and fresh.office == pupr_banjarbaru
    page = client.get(case_url(fresh)).content.decode()
    assert "Verified and forwarded to Dinas PUPR Kota Banjarbaru" in page


def test_reject_needs_a_reason(client, fresh, ketua_guntung_paikat):
    login(client, ketua_guntung_paikat)
    response = client.post(case_url(fresh, "tolak/"), {"reject-reason": "lainnya", "reject-note": ""})
    assert response.status_code == 400 and "Explain why" in response.content.decode()
    client.post(case_url(fresh, "tolak/"), {"reject-reason": RejectReason.SPAM})
    fresh.refresh_from_db()
    assert fresh.state == S.DITOLAK and fresh.reject_reason == RejectReason.SPAM


def test_an_illegal_jump_is_a_clear_message(client, routed, ketua_guntung_paikat):
    login(client, ketua_guntung_paikat)
    response = client.post(case_url(routed, "verifikasi/"), {"verify-note": ""})
    assert response.status_code == 400
    assert "that cannot be done now" in response.content.decode()
    routed.refresh_from_db()
    assert routed.state == S.DITERUSKAN


@pytest.mark.parametrize(
    ("actor", "action"),
    [
        ("pembina_banjarbaru", "verifikasi/"),
        ("pembina_banjarbaru", "jawab/"),
        ("ketua_guntung_paikat", "jawab/"),
        ("ketua_guntung_paikat", "teruskan/"),
        ("petugas_pupr", "verifikasi/"),
        ("petugas_pupr", "teruskan/"),
    ],
)
def test_a_move_the_role_may_not_make_is_403(client, request, routed, actor, action):
    login(client, request.getfixturevalue(actor))
    response = client.post(case_url(routed, action), {"answer-answer": "x", "verify-note": "x"})
    assert response.status_code == 403
    routed.refresh_from_db()
    assert routed.state == S.DITERUSKAN


@pytest.mark.parametrize("actor", ["outsider", "ketua_ekasari", "petugas_instansi", "stranger"])
def test_outsiders_cannot_move_a_case(client, request, routed, actor):
    login(client, request.getfixturevalue(actor))
    for action in ("verifikasi/", "tolak/", "teruskan/", "tindak-lanjut/", "jawab/", "bukan-wewenang/"):
        assert client.post(case_url(routed, action), {"answer-answer": "x"}).status_code == 404


def test_the_office_follows_up_and_answers(client, routed, petugas_pupr, warga_guntung_paikat):
    login(client, petugas_pupr)
    html = client.get(case_url(routed)).content.decode()
    assert "tindak-lanjut/" in html and "jawab/" in html and "bukan-wewenang/" in html
    assert "verifikasi/" not in html
    empty = client.post(case_url(routed, "jawab/"), {"answer-answer": "  "})
    assert empty.status_code == 400
    client.post(case_url(routed, "tindak-lanjut/"), {"follow_up-note": "Tim meninjau lokasi."})
    client.post(case_url(routed, "jawab/"), {"answer-answer": "Jalan sudah ditambal."})
    routed.refresh_from_db()
    assert routed.state == S.DIJAWAB and routed.answer == "Jalan sudah ditambal."
    too_long = client.post(case_url(routed, "jawab/"), {"answer-answer": "x" * 20_000})
    assert too_long.status_code == 400


def test_not_our_remit_hands_it_back(client, routed, petugas_pupr, pupr_kalsel):
    login(client, petugas_pupr)
    client.post(case_url(routed, "bukan-wewenang/"), {"not_our_remit-note": "Jalan provinsi."})
    routed.refresh_from_db()
    # The next rule (the provincial PUPR) took it at once.
    assert routed.state == S.DITERUSKAN and routed.office == pupr_kalsel


def test_the_pembina_changes_the_office(client, routed, pembina_banjarbaru, dlh_banjarbaru):
    login(client, pembina_banjarbaru)
    html = client.get(case_url(routed)).content.decode()
    assert "teruskan/" in html and "Dinas Lingkungan Hidup" in html
    response = client.post(case_url(routed, "teruskan/"), {"forward-office": dlh_banjarbaru.pk})
    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.office == dlh_banjarbaru
    bad = client.post(case_url(routed, "teruskan/"), {"forward-office": "999999"})
    assert bad.status_code == 400


def test_a_confidential_identity_never_reaches_the_office(
    client, submit, rules, ketua_guntung_paikat, petugas_pupr, pembina_banjarbaru
):
    aspiration = submit(
        now=timezone.now(),
        visibility=Visibility.CONFIDENTIAL,
        text="Pungli di kantor. Saya Siti, 0812-3456-7890.",
    )
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    for who in (petugas_pupr, pembina_banjarbaru):
        login(client, who)
        html = client.get(case_url(aspiration)).content.decode()
        assert "Siti Aminah" not in html and "+6281351000002" not in html and "siti@sikim.test" not in html
        assert "0812-3456-7890" not in html and "Confidential citizen" in html
        assert "Siti Aminah" not in client.get("/aspirasi/meja/").content.decode()
    login(client, ketua_guntung_paikat)
    html = client.get(case_url(aspiration)).content.decode()
    assert "Siti Aminah" in html and "0812-3456-7890" in html


def test_the_ketua_links_to_filing_for_a_citizen(client, ketua_guntung_paikat):
    html = login(client, ketua_guntung_paikat).get("/aspirasi/meja/").content.decode()
    assert "/aspirasi/baru/?kim=kim-guntung-paikat" in html


def test_every_case_page_answers_without_500(client, routed, national_admin):
    login(client, national_admin)
    assert client.get(case_url(routed)).status_code == 200
    assert client.get("/aspirasi/meja/ASP-2026-NOPE99/").status_code == 404
    assert Aspiration.objects.count() == 1


def test_the_desk_does_not_query_per_row(client, submit, pembina_banjarbaru):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit(now=timezone.now())
    login(client, pembina_banjarbaru)
    client.get("/aspirasi/meja/")  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        client.get("/aspirasi/meja/")
    for _ in range(6):
        submit(now=timezone.now())
    with CaptureQueriesContext(connection) as many:
        client.get("/aspirasi/meja/")
    assert len(many) == len(few)

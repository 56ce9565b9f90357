"""Abuse reports ("Laporkan") and the moderation queue: who may report, who may moderate, what
hiding does, and that outsiders see nothing."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from conftest import login
from sikim.aspirations.models import AbuseReport, AbuseReportOutcome, Visibility
from sikim.aspirations.services.moderation import (
    abuse_report_submit,
    abuse_reports_dismiss,
    aspiration_hide,
)
from sikim.aspirations.services.workflow import aspiration_verify
from sikim.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

API = "/api/v1/aspirations"
QUEUE = "/aspirasi/moderasi/"


@pytest.fixture
def public(submit, ketua_guntung_paikat):
    aspiration = submit(now=timezone.now(), title="Pak RT 05 itu maling", text="Pak RT 05 itu maling dana desa.")
    return aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)


def report_page(code: str) -> str:
    return f"/aspirasi/lacak/{code}/laporkan/"


# --- the service ---------------------------------------------------------------------------------
def test_one_open_report_per_person(public, stranger):
    first, created = abuse_report_submit(actor=stranger, aspiration=public, reason="penghinaan", note="Fitnah")
    again, created_again = abuse_report_submit(actor=stranger, aspiration=public, reason="hoaks")
    assert created and not created_again and again.pk == first.pk
    _, by_device = abuse_report_submit(actor=AnonymousUser(), aspiration=public, reason="spam", reporter_key="abc" * 8)
    _, same_device = abuse_report_submit(
        actor=AnonymousUser(), aspiration=public, reason="spam", reporter_key="abc" * 8
    )
    assert by_device and not same_device
    assert AbuseReport.objects.count() == 2
    assert "abc" not in AbuseReport.objects.get(reporter__isnull=True).reporter_key  # stored hashed
    assert AuditEvent.objects.filter(action="aspirations.abuse_report").count() == 2


def test_the_database_refuses_a_second_open_report(public, stranger):
    AbuseReport.objects.create(aspiration=public, reason="spam", reporter=stranger, created_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        AbuseReport.objects.create(aspiration=public, reason="spam", reporter=stranger, created_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        AbuseReport.objects.create(aspiration=public, reason="spam", created_at=timezone.now())  # nobody
    with pytest.raises(IntegrityError), transaction.atomic():
        AbuseReport.objects.create(
            aspiration=public, reason="spam", reporter_key="k", created_at=timezone.now(), outcome="hidden"
        )  # an outcome without resolved_at


def test_what_cannot_be_reported(submit, public, warga_guntung_paikat, stranger, kim_guntung_paikat):
    with pytest.raises(ValidationError):
        abuse_report_submit(actor=warga_guntung_paikat, aspiration=public, reason="spam")  # one's own
    with pytest.raises(ValidationError):
        abuse_report_submit(actor=stranger, aspiration=public, reason="tidak-ada")
    with pytest.raises(ValidationError):
        abuse_report_submit(actor=stranger, aspiration=public, reason="spam", note="x" * 1001)
    confidential = submit(visibility=Visibility.CONFIDENTIAL)
    with pytest.raises(ValidationError):
        abuse_report_submit(actor=stranger, aspiration=confidential, reason="spam")
    with pytest.raises(PermissionDenied):
        abuse_report_submit(actor=AnonymousUser(), aspiration=public, reason="spam")  # no key at all


def test_hiding_resolves_the_open_reports(public, stranger, ketua_guntung_paikat):
    abuse_report_submit(actor=stranger, aspiration=public, reason="penghinaan")
    aspiration_hide(actor=ketua_guntung_paikat, aspiration=public, reason="Menuduh tanpa bukti")
    report = AbuseReport.objects.get()
    assert report.outcome == AbuseReportOutcome.HIDDEN and report.resolved_by == ketua_guntung_paikat
    public.refresh_from_db()
    assert public.is_hidden and not public.is_public
    # Resolved: the same person may report again later (after it is shown again).
    assert AuditEvent.objects.filter(action="aspirations.abuse_reports_resolve").exists()


def test_dismissing(public, stranger, pembina_banjarbaru, outsider, petugas_pupr):
    abuse_report_submit(actor=stranger, aspiration=public, reason="hoaks")
    for nobody in (outsider, petugas_pupr, stranger):
        with pytest.raises(PermissionDenied):
            abuse_reports_dismiss(actor=nobody, aspiration=public)
    assert abuse_reports_dismiss(actor=pembina_banjarbaru, aspiration=public) == 1
    assert AbuseReport.objects.get().outcome == AbuseReportOutcome.DISMISSED
    _, created = abuse_report_submit(actor=stranger, aspiration=public, reason="hoaks")
    assert created  # the earlier one is closed


# --- the pages -----------------------------------------------------------------------------------
def test_an_anonymous_visitor_reports_from_the_tracking_page(client, public):
    track = client.get(f"/aspirasi/lacak/{public.code}/").content.decode()
    assert report_page(public.code) in track
    form = client.get(report_page(public.code))
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    sent = client.post(report_page(public.code), {"reason": "penghinaan", "note": "Menuduh orang"})
    assert sent.status_code == 302
    again = client.post(report_page(public.code), {"reason": "penghinaan"}, follow=True)
    assert "already reported" in again.content.decode()
    report = AbuseReport.objects.get()
    assert report.reporter is None and report.reporter_key and report.note == "Menuduh orang"


def test_a_bad_report_is_400_and_stores_nothing(client, public):
    assert client.post(report_page(public.code), {"reason": "bukan-alasan"}).status_code == 400
    assert client.post(report_page(public.code), {"reason": "spam", "note": "x" * 5000}).status_code == 400
    assert not AbuseReport.objects.exists()


def test_no_report_link_for_a_hidden_or_confidential_text(client, submit, public, pembina_banjarbaru):
    confidential = submit(visibility=Visibility.CONFIDENTIAL)
    assert client.get(report_page(confidential.code)).status_code == 404
    aspiration_hide(actor=pembina_banjarbaru, aspiration=public, reason="Uji")
    assert client.get(report_page(public.code)).status_code == 404
    assert report_page(public.code) not in client.get(f"/aspirasi/lacak/{public.code}/").content.decode()


def test_too_many_anonymous_reports_are_429(client, public, submit, ketua_guntung_paikat, settings):
    from django.core.cache import cache

    cache.clear()
    settings.SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR = 1
    assert client.post(report_page(public.code), {"reason": "spam"}).status_code == 302
    other = aspiration_verify(actor=ketua_guntung_paikat, aspiration=submit(title="Lain", now=timezone.now()))
    assert client.post(report_page(other.code), {"reason": "spam"}).status_code == 429
    assert AbuseReport.objects.count() == 1
    cache.clear()


@pytest.mark.parametrize("moderator", ["ketua_guntung_paikat", "pembina_banjarbaru", "national_admin"])
def test_moderators_hide_show_and_dismiss_from_the_queue(client, request, public, stranger, moderator):
    abuse_report_submit(actor=stranger, aspiration=public, reason="penghinaan", note="Fitnah ke Pak RT")
    user = request.getfixturevalue(moderator)
    login(client, user)
    desk = client.get("/aspirasi/meja/").content.decode()
    assert QUEUE in desk
    queue = client.get(QUEUE).content.decode()
    assert public.code in queue and "Fitnah ke Pak RT" in queue
    hidden = client.post(f"{QUEUE}{public.code}/sembunyikan/", {f"{public.code}-reason": "Menuduh tanpa bukti"})
    assert hidden.status_code == 302
    public.refresh_from_db()
    assert public.is_hidden and public.hidden_reason == "Menuduh tanpa bukti"
    assert "Menuduh tanpa bukti" in client.get(QUEUE).content.decode()
    assert client.post(f"{QUEUE}{public.code}/tampilkan/").status_code == 302
    public.refresh_from_db()
    assert not public.is_hidden
    abuse_report_submit(actor=stranger, aspiration=public, reason="hoaks")
    assert client.post(f"{QUEUE}{public.code}/abaikan/").status_code == 302
    assert not AbuseReport.objects.filter(resolved_at__isnull=True).exists()


def test_hiding_needs_a_reason(client, public, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    response = client.post(f"{QUEUE}{public.code}/sembunyikan/", {f"{public.code}-reason": ""}, follow=True)
    assert "Give a reason" in response.content.decode()
    public.refresh_from_db()
    assert not public.is_hidden


@pytest.mark.parametrize("nobody", ["outsider", "ketua_ekasari", "petugas_pupr", "stranger", "warga_guntung_paikat"])
def test_outsiders_get_403_or_404(client, request, public, stranger, nobody):
    abuse_report_submit(actor=stranger, aspiration=public, reason="spam")
    login(client, request.getfixturevalue(nobody))
    queue = client.get(QUEUE)
    assert queue.status_code == 403 or public.code not in queue.content.decode()
    for action in ("sembunyikan", "tampilkan", "abaikan"):
        assert client.post(f"{QUEUE}{public.code}/{action}/", {f"{public.code}-reason": "x"}).status_code in (403, 404)
    public.refresh_from_db()
    assert not public.is_hidden and AbuseReport.objects.get().resolved_at is None


def test_anonymous_visitors_are_sent_to_log_in(client, public):
    assert "/akun/masuk/" in client.get(QUEUE)["Location"]
    assert "/akun/masuk/" in client.post(f"{QUEUE}{public.code}/sembunyikan/")["Location"]


def test_the_queue_does_not_query_per_row(client, submit, ketua_guntung_paikat, pembina_banjarbaru, stranger):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_reported():
        a = aspiration_verify(actor=ketua_guntung_paikat, aspiration=submit(now=timezone.now()))
        abuse_report_submit(actor=stranger, aspiration=a, reason="spam")

    add_reported()
    login(client, pembina_banjarbaru)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    for _ in range(3):
        add_reported()
    with CaptureQueriesContext(connection) as four:
        client.get(QUEUE)
    assert len(four) == len(one)


# --- the API -------------------------------------------------------------------------------------
def post(client: Client, path: str, body: object):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_reporting_through_the_api(client, public, stranger):
    path = f"{API}/{public.code}/abuse-reports"
    assert post(client, path, {"reason": "spam"}).status_code == 422  # no account, no device key
    assert post(client, path, {"reason": "spam", "device_key": "a1b2c3d4e5f6a7b8c9"}).status_code == 201
    assert post(client, path, {"reason": "spam", "device_key": "a1b2c3d4e5f6a7b8c9"}).json() == {"received": False}
    assert post(client, path, {"reason": "bukan", "device_key": "a1b2c3d4e5f6a7b8c9"}).status_code == 422
    login(client, stranger)
    assert post(client, path, {"reason": "hoaks", "note": "Tidak benar"}).status_code == 201
    assert AbuseReport.objects.count() == 2


def test_the_api_queue_and_actions(client, public, stranger, ketua_guntung_paikat, outsider):
    abuse_report_submit(actor=stranger, aspiration=public, reason="penghinaan", note="Fitnah")
    login(client, outsider)
    assert client.get(f"{API}/moderation").json() == []
    assert post(client, f"{API}/{public.code}/moderation", {"action": "hide", "reason": "x"}).status_code == 404
    login(client, ketua_guntung_paikat)
    [item] = client.get(f"{API}/moderation").json()
    assert item["code"] == public.code and item["open_reports"][0]["note"] == "Fitnah"
    assert post(client, f"{API}/{public.code}/moderation", {"action": "hide"}).status_code == 422
    hidden = post(client, f"{API}/{public.code}/moderation", {"action": "hide", "reason": "Fitnah"})
    assert hidden.status_code == 200 and hidden.json()["is_hidden"] and hidden.json()["open_reports"] == []
    assert [i["code"] for i in client.get(f"{API}/moderation?hidden=true").json()] == [public.code]
    shown = post(client, f"{API}/{public.code}/moderation", {"action": "unhide"})
    assert shown.status_code == 200 and not shown.json()["is_hidden"]


def test_the_api_queue_is_for_moderators_only(client, stranger, petugas_pupr):
    assert client.get(f"{API}/moderation").status_code == 401
    for user in (stranger, petugas_pupr):
        login(client, user)
        assert client.get(f"{API}/moderation").status_code == 403


# --- the admin -----------------------------------------------------------------------------------
def test_the_admin_lists_reports_without_the_reporter(client, public, stranger, pembina_banjarbaru, outsider):
    abuse_report_submit(actor=stranger, aspiration=public, reason="spam", note="Iklan")
    pembina_banjarbaru.is_staff = True
    pembina_banjarbaru.save()
    login(client, pembina_banjarbaru)
    listing = client.get("/admin/aspirations/abusereport/")
    assert listing.status_code == 200 and public.code in listing.content.decode()
    detail = client.get(f"/admin/aspirations/abusereport/{AbuseReport.objects.get().pk}/change/").content.decode()
    assert "Iklan" in detail and stranger.email not in detail
    outsider.is_staff = True
    outsider.save()
    login(client, outsider)
    assert public.code not in client.get("/admin/aspirations/abusereport/").content.decode()

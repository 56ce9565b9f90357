"""The secret link of a citizen without an account: shown once on the receipt, sent in the
messages, and with it (and only with it) they confirm, rate, reopen and correct."""

import re

import pytest
from django.core.cache import cache

from conftest import login
from sikim.aspirations.models import Aspiration, AspirationEventKind, AspirationState
from sikim.aspirations.selectors.author_key import author_key_for, author_key_holder
from sikim.aspirations.selectors.identity import is_own
from sikim.aspirations.services.workflow import aspiration_answer, aspiration_verify
from sikim.aspirations.tests.test_notifications import _mails_to, run_on_commit, sms, smtp  # noqa: F401
from sikim.aspirations.tests.test_pages_public import form_data
from sikim.dissemination.tests.conftest import fake_sms, fake_smtp  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LINK = re.compile(r"/aspirasi/lacak/(ASP-[0-9A-Z-]+)/\?k=([A-Za-z0-9_-]+)")


def track(code: str) -> str:
    return f"/aspirasi/lacak/{code}/"


@pytest.fixture
def answered(submit, rules, ketua_guntung_paikat, petugas_pupr):
    """An aspiration of a citizen without an account, routed to Dinas PUPR and answered."""
    aspiration = submit(actor=None, contact_name="Budi", contact_phone="081234567890")
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    return aspiration_answer(actor=petugas_pupr, aspiration=aspiration, answer="Diperbaiki minggu depan.")


def test_the_key_opens_one_aspiration_only(submit, kim_guntung_paikat):
    first = submit(actor=None, contact_phone="081234567890")
    second = submit(actor=None, contact_phone="081234567891", title="Lain")
    key = author_key_for(first)
    holder = author_key_holder(first, key)
    assert holder is not None and is_own(first, holder) and not is_own(second, holder)
    assert author_key_holder(second, key) is None
    assert author_key_holder(first, key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert author_key_holder(first, "") is None and author_key_holder(first, "x" * 5000) is None


def test_an_author_with_an_account_has_no_key(submit, kim_guntung_paikat):
    aspiration = submit()
    assert author_key_for(aspiration) == ""
    assert author_key_holder(aspiration, author_key_for(submit(actor=None, contact_phone="081234567890"))) is None


def test_the_receipt_shows_the_link_once_and_to_nobody_else(client, django_user_model, kim_guntung_paikat):
    cache.clear()
    data = form_data(contact_name="Budi", contact_phone="0812 3456 7890", confirmed="on")
    response = client.post("/aspirasi/baru/", data, follow=True)
    body = response.content.decode()
    [(code, key)] = set(LINK.findall(body))
    aspiration = Aspiration.objects.get(code=code)
    assert key == author_key_for(aspiration)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "strict-origin"
    # Shown once: a reload, or anyone else who knows the code, sees no key.
    assert key not in client.get(f"/aspirasi/lacak/{code}/terkirim/").content.decode()
    other = client_class_get(f"/aspirasi/lacak/{code}/terkirim/")
    assert key not in other
    assert key not in client_class_get(track(code))
    assert key not in client_class_get("/aspirasi/") and key not in client_class_get(
        f"/api/v1/aspirations/track/{code}"
    )


def client_class_get(path: str) -> str:
    from django.test import Client

    return Client().get(path).content.decode()


def test_a_logged_in_author_gets_no_link(client, warga_guntung_paikat, kim_guntung_paikat):
    login(client, warga_guntung_paikat)
    body = client.post("/aspirasi/baru/", form_data(confirmed="on"), follow=True).content.decode()
    assert "/terkirim/" in body or "asp-ticket-code" in body
    assert not LINK.findall(body) and "Your secret link" not in body


def test_with_the_link_the_citizen_rates_and_confirms(client, answered):
    key = author_key_for(answered)
    page = client.get(f"{track(answered.code)}?k={key}")
    body = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert 'id="asp-rate"' in body and f'name="k" value="{key}"' in body
    rated = client.post(f"{track(answered.code)}nilai/", {"rating": "4", "comment": "Cepat", "k": key})
    assert rated.status_code == 302 and rated["Location"] == f"{track(answered.code)}?k={key}"
    confirmed = client.post(f"{track(answered.code)}selesai/", {"k": key})
    assert confirmed.status_code == 302
    answered.refresh_from_db()
    assert answered.rating == 4 and answered.state == AspirationState.SELESAI
    assert answered.events.filter(kind=AspirationEventKind.CONFIRMED).exists()


def test_with_the_link_the_citizen_reopens_once(client, answered):
    key = author_key_for(answered)
    first = client.post(f"{track(answered.code)}buka-kembali/", {"reason": "Belum diperbaiki", "k": key})
    assert first.status_code == 302
    answered.refresh_from_db()
    assert answered.state == AspirationState.DITERUSKAN and answered.reopened_count == 1


def test_with_the_link_the_citizen_adds_a_correction(client, answered):
    key = author_key_for(answered)
    response = client.post(f"{track(answered.code)}koreksi/", {"text": "Lubangnya di sisi kiri jalan.", "k": key})
    assert response.status_code == 302
    assert answered.corrections.get().text == "Lubangnya di sisi kiri jalan."


def test_a_wrong_key_is_403_with_a_clear_message(client, answered, submit):
    other = submit(actor=None, contact_phone="081234567899", title="Lain")
    for key in ("salah", author_key_for(other)):
        page = client.get(f"{track(answered.code)}?k={key}")
        assert page.status_code == 403 and "This link is not valid" in page.content.decode()
        assert page["Cache-Control"] == "private, no-store"
        posted = client.post(f"{track(answered.code)}selesai/", {"k": key})
        assert posted.status_code == 403 and "This link is not valid" in posted.content.decode()
    empty = client.get(f"{track(answered.code)}?k=")
    assert empty.status_code == 403
    answered.refresh_from_db()
    assert answered.state == AspirationState.DIJAWAB


def test_without_a_key_an_anonymous_visitor_is_sent_to_log_in(client, answered):
    response = client.post(f"{track(answered.code)}selesai/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    page = client.get(track(answered.code)).content.decode()
    assert 'id="asp-rate"' not in page and 'name="k"' not in page


def test_a_logged_in_stranger_with_a_wrong_key_gets_403(client, answered, stranger):
    login(client, stranger)
    assert client.post(f"{track(answered.code)}selesai/", {"k": "salah"}).status_code == 403
    assert client.post(f"{track(answered.code)}selesai/").status_code == 403


def test_the_messages_carry_the_link_for_a_citizen_without_an_account(
    smtp,  # noqa: F811
    run_on_commit,  # noqa: F811
    submit,
    kim_guntung_paikat,
):
    aspiration = run_on_commit(submit, actor=None, contact_email="budi@contoh.id")
    [mail] = _mails_to(smtp, "budi@contoh.id")
    key = author_key_for(aspiration)
    assert f"/aspirasi/lacak/{aspiration.code}/?k={key}" in mail.body("plain")
    assert f"?k={key}" in mail.body("html")


def test_the_sms_carries_the_link(sms, run_on_commit, submit, kim_guntung_paikat):  # noqa: F811
    aspiration = run_on_commit(submit, actor=None, contact_phone="0812 5555 1234")
    [message] = sms.handed_to_phones
    assert f"?k={author_key_for(aspiration)}" in message.text


def test_an_author_with_an_account_gets_the_plain_link(smtp, run_on_commit, submit):  # noqa: F811
    aspiration = run_on_commit(submit)
    [mail] = _mails_to(smtp, "siti@sikim.test")
    assert f"/aspirasi/lacak/{aspiration.code}/" in mail.body("plain") and "?k=" not in mail.body("plain")


def test_the_api_returns_the_link_once_to_an_anonymous_submitter(client, kim_guntung_paikat, warga_guntung_paikat):
    import json

    body = {
        "region": "63.72.05.1004",
        "category": "infrastruktur",
        "text": "Jalan berlubang.",
        "contact_phone": "081234567890",
    }
    created = client.post("/api/v1/aspirations/", data=json.dumps(body), content_type="application/json").json()
    aspiration = Aspiration.objects.get(code=created["code"])
    assert created["author_url"].endswith(f"/aspirasi/lacak/{aspiration.code}/?k={author_key_for(aspiration)}")
    assert author_key_for(aspiration) not in json.dumps(
        client.get(f"/api/v1/aspirations/track/{aspiration.code}").json()
    )
    login(client, warga_guntung_paikat)
    body["contact_phone"] = ""
    mine = client.post("/api/v1/aspirations/", data=json.dumps(body), content_type="application/json").json()
    assert mine["author_url"] == ""

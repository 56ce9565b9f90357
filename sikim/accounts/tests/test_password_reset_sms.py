"""A password reset for an account with only a phone number: the link comes by SMS, through the
SMS gateway (a fake one on 127.0.0.1), and sets a new password; nothing tells an outsider
which numbers have accounts, and a number or an address cannot be flooded with SMS."""

# ruff: noqa: F811 — the fake-server fixture is imported, then taken as a test argument by name

import re

import pytest
from django.conf import settings
from django.urls import reverse

from sikim.accounts.services import RESET_REQUESTS_PER_ADDRESS_PER_HOUR, RESET_SMS_PER_PHONE_PER_HOUR
from sikim.accounts.tests.factories import UserFactory
from sikim.dissemination.tests.conftest import fake_sms  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

URL = reverse("accounts:password_reset")
DONE = reverse("accounts:password_reset_done")
NEW_PASSWORD = "kata-sandi-baru-789"


@pytest.fixture
def villager(db):
    return UserFactory(email=None, phone="+6281351000444", full_name="Pak Darto")


def _link(text: str) -> str:
    found = re.search(r"https?://\S+/akun/kata-sandi/atur/\S+/", text)
    assert found is not None, text
    return found.group(0)


def test_a_phone_only_account_gets_the_link_by_sms_and_sets_a_new_password(client, fake_sms, villager):
    response = client.post(URL, {"email": "0813-5100-0444"})  # as people type it
    assert (response.status_code, response.url) == (302, DONE)

    [sms] = fake_sms.handed_to_phones
    assert sms.to == "+6281351000444"
    link = _link(sms.text)
    assert link.startswith(settings.SITE_URL)

    form_page = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert "Choose a new password" in form_page.text
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    villager.refresh_from_db()
    assert villager.check_password(NEW_PASSWORD)
    # The link works only once.
    assert "does not work" in client.get(link.removeprefix(settings.SITE_URL), follow=True).text
    login = client.post(reverse("accounts:login"), {"username": "0813 5100 0444", "password": NEW_PASSWORD})
    assert login.status_code == 302 and client.session.get("_auth_user_id") == str(villager.pk)


def test_an_unknown_number_gets_the_same_answer_and_no_sms(client, fake_sms, villager):
    known = client.post(URL, {"email": "081351000444"})
    unknown = client.post(URL, {"email": "081351000999"})
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert [sms.to for sms in fake_sms.handed_to_phones] == ["+6281351000444"]


def test_an_inactive_account_or_a_switched_off_password_gets_no_sms(client, fake_sms, villager):
    villager.set_unusable_password()
    villager.save()
    assert client.post(URL, {"email": "081351000444"}).url == DONE
    UserFactory(email=None, phone="+6281351000555", is_active=False)
    assert client.post(URL, {"email": "081351000555"}).url == DONE
    assert fake_sms.handed_to_phones == []


def test_a_number_gets_at_most_a_few_sms_an_hour(client, fake_sms, villager):
    for _ in range(RESET_SMS_PER_PHONE_PER_HOUR + 2):
        assert client.post(URL, {"email": "081351000444"}).url == DONE  # the same answer throughout
    assert len(fake_sms.handed_to_phones) == RESET_SMS_PER_PHONE_PER_HOUR


def test_one_address_cannot_flood_many_numbers(client, fake_sms):
    for number in range(RESET_REQUESTS_PER_ADDRESS_PER_HOUR + 3):
        UserFactory(email=None, phone=f"+62813510010{number:02d}")
    for number in range(RESET_REQUESTS_PER_ADDRESS_PER_HOUR + 3):
        assert client.post(URL, {"email": f"0813510010{number:02d}"}).url == DONE
    assert len(fake_sms.handed_to_phones) == RESET_REQUESTS_PER_ADDRESS_PER_HOUR


@pytest.mark.parametrize("typed", ["0812", "bukan-email", "+1 202 555 0100"])
def test_neither_an_email_nor_an_indonesian_number_is_a_clear_error(client, fake_sms, typed):
    response = client.post(URL, {"email": typed})
    assert response.status_code == 200
    assert "errorlist" in response.text or 'aria-invalid="true"' in response.text
    assert fake_sms.handed_to_phones == []

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from sikim.accounts.tests.factories import UserFactory
from sikim.audit.models import AuditEvent

URL = reverse("accounts:password_reset")
NEW_PASSWORD = "kata-sandi-baru-456"


@pytest.fixture
def person(db):
    return UserFactory(email="siti@contoh.id", full_name="Siti Aminah")


def test_it_asks_for_an_email_address_or_a_phone_number(client, db):
    response = client.get(URL)

    assert response.status_code == 200
    assert "Email address or phone number of your account" in response.text
    assert "by SMS" in response.text


def test_it_emails_a_link_to_an_email_account(client, person):
    response = client.post(URL, {"email": "Siti@Contoh.id"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@contoh.id"]
    assert "Siti Aminah" in message.body
    assert settings.SITE_URL + "/akun/kata-sandi/atur/" in message.body
    assert message.alternatives  # the HTML part


def test_the_link_uses_the_configured_site_not_the_host_header(client, person, settings):
    settings.ALLOWED_HOSTS = ["*"]
    client.post(URL, {"email": "siti@contoh.id"}, headers={"host": "evil.example"})

    assert "evil.example" not in mail.outbox[0].body


def test_it_does_not_reveal_unknown_accounts(client, person):
    known = client.post(URL, {"email": "siti@contoh.id"})
    unknown = client.post(URL, {"email": "nobody@contoh.id"})

    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url
    assert len(mail.outbox) == 1


def test_the_whole_journey_sets_a_new_password(client, person):
    client.post(URL, {"email": "siti@contoh.id"})
    link = re.search(r"https?://\S+/akun/kata-sandi/atur/\S+/", mail.outbox[0].body).group(0)
    path = link.removeprefix(settings.SITE_URL)

    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.url == reverse("accounts:password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.user_set_password", actor=person).exists()
    # The link works only once.
    assert "does not work" in client.get(path, follow=True).text


def test_a_bad_link_says_so(client, db):
    response = client.get(reverse("accounts:password_reset_confirm", args=["Mw", "bad-token"]))

    assert response.status_code == 200
    assert "does not work" in response.text


def test_done_and_complete_pages_render(client, db):
    assert client.get(reverse("accounts:password_reset_done")).status_code == 200
    assert client.get(reverse("accounts:password_reset_complete")).status_code == 200

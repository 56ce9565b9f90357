from django.urls import reverse

from conftest import login
from sikim.accounts.tests.factories import TEST_PASSWORD, UserFactory
from sikim.audit.models import AuditEvent

URL = reverse("accounts:password_change")
NEW_PASSWORD = "kata-sandi-baru-456"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_needs_the_old_password(client, db):
    user = UserFactory()
    login(client, user)

    response = client.post(URL, {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 200
    assert "old password" in response.text.lower()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_it_changes_the_password_keeps_the_session_and_audits(client, db):
    user = UserFactory()
    login(client, user)

    response = client.post(
        URL, {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.url == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.user_set_password", actor=user).exists()

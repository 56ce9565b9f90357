from django.urls import reverse

from conftest import login
from sikim.accounts.services import api_token_create
from sikim.accounts.tests.factories import UserFactory


def _url(token_id):
    return reverse("accounts:token_revoke", args=[token_id])


def test_it_revokes_an_own_token(client, db):
    user = UserFactory()
    token, _ = api_token_create(actor=user, name="a", scope="read")
    login(client, user)

    response = client.post(_url(token.pk))

    assert response.url == reverse("accounts:tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_get_is_not_allowed(client, db):
    user = UserFactory()
    token, _ = api_token_create(actor=user, name="a", scope="read")
    login(client, user)

    assert client.get(_url(token.pk)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_someone_elses_token_is_not_found(client, db):
    owner = UserFactory()
    token, _ = api_token_create(actor=owner, name="a", scope="read")
    login(client, UserFactory())

    assert client.post(_url(token.pk)).status_code == 404
    assert client.post(_url(10**15)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_is_sent_to_login(client, db):
    token, _ = api_token_create(actor=UserFactory(), name="a", scope="read")

    response = client.post(_url(token.pk))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None

"""Every accounts page, for someone who is not logged in and for the outsider."""

import pytest
from django.urls import reverse

from conftest import login
from sikim.accounts import urls
from sikim.accounts.services import api_token_create

PUBLIC: dict[str, list[str]] = {
    "login": [],
    "signup": [],
    "password_reset": [],
    "password_reset_done": [],
    "password_reset_confirm": ["MQ", "x-y"],
    "password_reset_complete": [],
}
LOGIN_REQUIRED: dict[str, list[int]] = {"profile": [], "password_change": [], "tokens": []}
POST_ONLY: dict[str, list[int]] = {"logout": [], "token_revoke": [1]}


def test_every_page_is_classified_here():
    names = {pattern.name for pattern in urls.urlpatterns}

    assert names == set(PUBLIC) | set(LOGIN_REQUIRED) | set(POST_ONLY)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_open_for_anonymous(client, db, name):
    assert client.get(reverse(f"accounts:{name}", args=PUBLIC[name])).status_code == 200


@pytest.mark.parametrize("name", sorted(LOGIN_REQUIRED))
def test_private_pages_send_anonymous_to_login(client, db, name):
    url = reverse(f"accounts:{name}", args=LOGIN_REQUIRED[name])

    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_the_outsider_sees_only_their_own_account(client, outsider, warga_guntung_paikat):
    token, _plain = api_token_create(actor=warga_guntung_paikat, name="Token Siti", scope="read")
    login(client, outsider)

    for name in LOGIN_REQUIRED:
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 200
        assert "Siti" not in response.text
        assert "Token Siti" not in response.text
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404

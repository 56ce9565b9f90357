import hashlib

from django.urls import reverse

from conftest import login
from sikim.accounts.models import ApiToken
from sikim.accounts.services import api_token_create, api_token_revoke
from sikim.accounts.tests.factories import UserFactory

URL = reverse("accounts:tokens")


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(URL).url.startswith(reverse("accounts:login"))
    response = client.post(URL, {"name": "x", "scope": "read", "expires_in": "30"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_creating_shows_the_token_once(client, db):
    user = UserFactory()
    login(client, user)

    response = client.post(URL, {"name": "Dasbor kecamatan", "scope": "write", "expires_in": "30"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    plain = response.context["new_token"]["plain"]
    assert plain in response.text
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert token.scope == "write"
    assert token.expires_at is not None
    assert "no-cache" in response.headers["Cache-Control"] or "no-store" in response.headers["Cache-Control"]
    # Shown once: the next visit lists it by its prefix only.
    again = client.get(URL)
    assert plain not in again.text
    assert token.prefix in again.text


def test_a_token_without_expiry(client, db):
    login(client, UserFactory())

    client.post(URL, {"name": "Selamanya", "scope": "read", "expires_in": "never"})

    assert ApiToken.objects.get().expires_at is None


def test_it_lists_only_the_persons_unrevoked_tokens(client, db):
    user, other = UserFactory(), UserFactory()
    mine, _ = api_token_create(actor=user, name="Punyaku", scope="read")
    gone, _ = api_token_create(actor=user, name="Dicabut", scope="read")
    api_token_revoke(actor=user, token=gone)
    api_token_create(actor=other, name="Punya orang lain", scope="read")
    login(client, user)

    response = client.get(URL)

    assert "Punyaku" in response.text
    assert "Dicabut" not in response.text
    assert "Punya orang lain" not in response.text
    assert '<label for="id_name">' in response.text


def test_the_list_needs_few_queries(client, db, django_assert_max_num_queries):
    user = UserFactory()
    for n in range(10):
        api_token_create(actor=user, name=f"t{n}", scope="read")
    login(client, user)

    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200


def test_bad_input_is_explained(client, db):
    login(client, UserFactory())

    response = client.post(URL, {"name": "a" * 10_000, "scope": "root", "expires_in": "-5"})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "scope", "expires_in"}
    assert not ApiToken.objects.exists()

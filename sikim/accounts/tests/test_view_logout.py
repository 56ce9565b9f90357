from django.urls import reverse

from conftest import login
from sikim.accounts.tests.factories import UserFactory

URL = reverse("accounts:logout")


def test_get_does_not_log_out_but_offers_a_button(client, db):
    login(client, UserFactory())

    response = client.get(URL)

    assert response.status_code == 200
    assert 'method="post"' in response.text
    assert "_auth_user_id" in client.session


def test_post_logs_out(client, db):
    login(client, UserFactory())

    response = client.post(URL)

    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert "_auth_user_id" not in client.session


def test_an_anonymous_visitor_is_sent_home(client, db):
    assert client.get(URL).url == reverse("core:home")
    assert client.post(URL).status_code == 302

import pytest
from django.urls import reverse

from sikim.accounts.tests.factories import TEST_PASSWORD, UserFactory

URL = reverse("accounts:login")
WRONG = "The email or phone number and the password do not match"


@pytest.fixture
def person(db):
    return UserFactory(email="siti@contoh.id", phone="+6281351000002")


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_it_shows_the_form(client, db):
    response = client.get(URL)

    assert response.status_code == 200
    assert "Email or phone number" in response.text
    assert '<label for="id_username">' in response.text


def test_it_logs_in_by_email_in_any_case(client, person):
    response = client.post(URL, {"username": " Siti@Contoh.id ", "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert _logged_in_as(client) == str(person.pk)


@pytest.mark.parametrize("spelling", ["081351000002", "0813-5100-0002", "+62 813 5100 0002", "6281351000002"])
def test_it_logs_in_by_phone_in_several_spellings(client, person, spelling):
    response = client.post(URL, {"username": spelling, "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert _logged_in_as(client) == str(person.pk)


def test_it_follows_a_safe_next(client, person):
    response = client.post(URL + "?next=/wilayah/", {"username": "siti@contoh.id", "password": TEST_PASSWORD})

    assert response.url == "/wilayah/"


def test_it_ignores_an_unsafe_next(client, person):
    response = client.post(
        URL + "?next=https://evil.example/", {"username": "siti@contoh.id", "password": TEST_PASSWORD}
    )

    assert response.url == reverse("accounts:profile")


@pytest.mark.parametrize("username", ["siti@contoh.id", "nobody@contoh.id", "0899-0000-0000"])
def test_a_wrong_password_or_unknown_login_gives_the_same_message(client, person, username):
    response = client.post(URL, {"username": username, "password": "salah-sekali"})

    assert response.status_code == 200
    assert WRONG in response.text
    assert _logged_in_as(client) is None


def test_an_inactive_account_cannot_log_in(client, person):
    person.is_active = False
    person.save()

    response = client.post(URL, {"username": "siti@contoh.id", "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert _logged_in_as(client) is None


@pytest.mark.parametrize("junk", ["a" * 10_000, "\x00", "😀" * 50, ""])
def test_junk_never_breaks_it(client, db, junk):
    response = client.post(URL, {"username": junk, "password": junk})

    # Re-shown with an error (Django's form fields refuse NUL characters themselves).
    assert response.status_code == 200
    # Refused by the form itself: nothing reaches the lockout log (a 255-character column).
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.filter(username__startswith="aaaaaaaaaa").exists()


def test_it_locks_out_after_five_failures_even_with_the_right_password(client, person):
    # Varying the spelling of the phone number does not buy more attempts.
    spellings = ["081351000002", "0813-5100-0002", "+6281351000002", "62 813 5100 0002", "0813 5100 0002"]
    statuses = [client.post(URL, {"username": s, "password": "salah"}).status_code for s in spellings]
    assert statuses[:4] == [200, 200, 200, 200]

    response = client.post(URL, {"username": "081351000002", "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert "Too many login attempts" in response.text
    assert reverse("accounts:password_reset") in response.text
    assert _logged_in_as(client) is None


def test_a_logged_in_user_is_sent_on(client, person):
    client.force_login(person, backend="sikim.accounts.backends.EmailOrPhoneBackend")

    assert client.get(URL).url == reverse("accounts:profile")


def test_logging_in_sets_the_language_cookie(client, person):
    person.preferred_language = "en"
    person.save()

    response = client.post(URL, {"username": "siti@contoh.id", "password": TEST_PASSWORD})

    assert response.cookies["django_language"].value == "en"

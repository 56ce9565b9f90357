import pytest
from django.core import signing
from django.test import Client

from sikim.audit.models import AuditEvent
from sikim.dissemination.services.optout import optout_token, optout_token_read, optout_url
from sikim.kim.tests.factories import KimMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(kim_guntung_paikat):
    return KimMemberFactory(kim=kim_guntung_paikat, consent_email=True, consent_sms=True)


def path(member, channel: str) -> str:
    return f"/diseminasi/berhenti/{optout_token(member, channel)}/"


def test_token_round_trip_and_url(settings, member):
    settings.SITE_URL = "https://sikim.example.id"
    assert optout_token_read(optout_token(member, "sms")) == (member.pk, "sms")
    assert optout_url(member, "email") == "https://sikim.example.id" + path(member, "email")
    assert optout_token(member, "email") != optout_token(member, "sms")


def test_token_for_unknown_channel_is_refused(member):
    with pytest.raises(ValueError):
        optout_token(member, "web")
    forged = signing.Signer(salt="sikim.dissemination.optout").sign_object({"m": member.pk, "c": "web"})
    assert optout_token_read(forged) is None


def test_get_shows_confirmation_and_changes_nothing(client, member):
    response = client.get(path(member, "sms"))
    assert response.status_code == 200
    assert member.kim.name in response.text
    assert 'id="optout-form"' in response.text
    member.refresh_from_db()
    assert member.consent_sms


def test_post_withdraws_that_consent_only_and_is_idempotent(member):
    client = Client(enforce_csrf_checks=True)
    url = path(member, "sms")
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    member.refresh_from_db()
    assert not member.consent_sms
    assert member.consent_email
    event = AuditEvent.objects.get(action="dissemination.consent_withdrawn")
    assert event.after == {"consent_sms": False, "source": "optout_link"}
    assert event.actor is None
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 200
    assert AuditEvent.objects.filter(action="dissemination.consent_withdrawn").count() == 1
    # Afterwards the page says it is already done, with no button.
    assert 'id="optout-form"' not in client.get(url).text


def test_works_for_a_logged_in_outsider_too(client, outsider, member):
    """The token, not the login, is the credential: anyone holding the link may stop it."""
    client.force_login(outsider)
    assert client.post(path(member, "email")).status_code == 200
    member.refresh_from_db()
    assert not member.consent_email


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_or_foreign_token_is_404(client, member, method):
    token = optout_token(member, "sms")
    for bad in (token[:-3] + "abc", "nonsense", signing.Signer(salt="other").sign_object({"m": member.pk, "c": "sms"})):
        assert getattr(client, method)(f"/diseminasi/berhenti/{bad}/").status_code == 404
    member.refresh_from_db()
    assert member.consent_sms


def test_token_of_deleted_member_is_404(client, member):
    url = path(member, "sms")
    member.delete()
    assert client.get(url).status_code == 404

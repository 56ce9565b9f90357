"""What each composed message carries: the delivery's tracked link, the member's way to stop the
channel, the idempotency keys (SMS reference, email Message-ID), and no query per message."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from sikim.dissemination.channels import segmentation
from sikim.dissemination.channels.email import EmailChannel
from sikim.dissemination.channels.sms import SmsChannel
from sikim.dissemination.channels.telegram import MAX_TEXT as TELEGRAM_MAX_TEXT
from sikim.dissemination.channels.whatsapp import SUMMARY_MAX
from sikim.dissemination.models import Delivery, DeliveryStatus, FanOutRun
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.services.fanout import fanout_create_deliveries
from sikim.dissemination.services.optout import optout_url
from sikim.dissemination.services.sending import _address, build_message, deliveries_send
from sikim.dissemination.services.tracking import tracked_link
from sikim.dissemination.tests.bulletin_fixtures import RecordingChannel, member
from sikim.kim.models import KimMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(ketua_guntung_paikat, kim_guntung_paikat, settings):
    settings.SITE_URL = "https://sikim.example.id"

    def make(title: str = "Rapat warga", body: str = "Jam **9** di balai.", **kwargs) -> list[int]:
        bulletin = bulletin_create(
            actor=ketua_guntung_paikat, publisher=kim_guntung_paikat, title=title, body_markdown=body,
            kims=[kim_guntung_paikat], **kwargs,
        )  # fmt: skip
        fanout_create_deliveries(run=FanOutRun.objects.create(bulletin=bulletin))
        return list(Delivery.objects.filter(bulletin=bulletin).order_by("pk").values_list("pk", flat=True))

    return make


def send_recording(ids: list[int]) -> dict[str, RecordingChannel]:
    channels = {name: RecordingChannel(name=name) for name in ("email", "telegram", "whatsapp", "sms")}
    deliveries_send(delivery_ids=ids, get_channel=lambda name: channels.get(name))
    return channels


def test_email_carries_tracked_link_and_opt_out_in_text_html_and_headers(publish, kim_guntung_paikat):
    person = member(kim_guntung_paikat, mail=True)
    [delivery_id] = publish()
    channels = send_recording([delivery_id])
    [message] = channels["email"].sent
    delivery = Delivery.objects.get(pk=delivery_id)
    link, optout = tracked_link(delivery), optout_url(person, "email")
    assert message.link == link
    assert "/diseminasi/l/" in link and f"/diseminasi/buletin/{delivery.bulletin_id}/" not in message.text
    assert link in message.text and optout in message.text
    assert f'href="{link}"' in message.html and f'href="{optout}"' in message.html
    assert message.options["list_unsubscribe"] == optout
    assert message.options["message_id"] == f"<delivery-{delivery.pk}.{delivery.bulletin_id}@sikim.example.id>"
    assert message.options["reference"] == f"sikim-{delivery.pk}"
    assert message.options["member_id"] == str(person.pk)


def test_the_tracked_link_in_a_message_marks_read_and_opens_the_bulletin(publish, kim_guntung_paikat, client):
    member(kim_guntung_paikat, mail=True)
    [delivery_id] = publish()
    [message] = send_recording([delivery_id])["email"].sent
    response = client.get(message.link.removeprefix("https://sikim.example.id"))
    delivery = Delivery.objects.get(pk=delivery_id)
    assert response.status_code == 302
    assert response["Location"] == reverse("dissemination:public_detail", kwargs={"pk": delivery.bulletin_id})
    assert delivery.status == DeliveryStatus.READ


def test_email_headers_reach_the_smtp_server(publish, kim_guntung_paikat, fake_smtp):
    person = member(kim_guntung_paikat, mail=True)
    [delivery_id] = publish()
    deliveries_send(delivery_ids=[delivery_id])
    [mail] = fake_smtp.messages
    delivery = Delivery.objects.get(pk=delivery_id)
    optout = optout_url(person, "email")
    assert mail.message["List-Unsubscribe"] == f"<{optout}>"
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.message["Message-ID"] == f"<delivery-{delivery.pk}.{delivery.bulletin_id}@sikim.example.id>"
    assert delivery.provider_id == f"delivery-{delivery.pk}.{delivery.bulletin_id}@sikim.example.id"
    assert optout in mail.body("plain") and optout in mail.body("html")
    assert tracked_link(delivery) in mail.body("plain")


def test_one_click_unsubscribe_post_works_without_a_session_or_csrf_token(publish, kim_guntung_paikat):
    person = member(kim_guntung_paikat, mail=True)
    path = optout_url(person, "email").removeprefix("https://sikim.example.id")
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.consent_email is False


def test_telegram_text_keeps_link_and_opt_out_even_when_the_body_is_cut(publish, kim_guntung_paikat):
    person = member(kim_guntung_paikat, mail=False, telegram=True)
    [delivery_id] = publish(body="Banjir. " * 1000)
    [message] = send_recording([delivery_id])["telegram"].sent
    link, optout = tracked_link(Delivery.objects.get(pk=delivery_id)), optout_url(person, "telegram")
    assert len(message.text) <= TELEGRAM_MAX_TEXT
    assert message.text.startswith("Rapat warga\n\nBanjir.")
    assert message.text.endswith(optout)
    assert link in message.text and "…" in message.text


def test_whatsapp_summary_keeps_the_opt_out_link_within_the_template_limit(publish, kim_guntung_paikat):
    person = KimMember.objects.create(
        kim=kim_guntung_paikat, name="Wati", phone="+6281299990001", consent_whatsapp=True
    )
    [delivery_id] = publish(body="Pupuk subsidi tersedia. " * 100)
    [message] = send_recording([delivery_id])["whatsapp"].sent
    assert message.link == tracked_link(Delivery.objects.get(pk=delivery_id))
    assert len(message.text) <= SUMMARY_MAX and "\n" not in message.text
    assert message.text.startswith("Pupuk subsidi tersedia.")
    assert message.text.endswith(optout_url(person, "whatsapp"))


def test_sms_ends_with_the_tracked_link_and_a_stop_hint_when_it_fits(publish, kim_guntung_paikat, fake_sms):
    KimMember.objects.create(kim=kim_guntung_paikat, name="Udin", phone="+6281299990002", consent_sms=True)
    [delivery_id] = publish(title="Posyandu Sabtu")
    deliveries_send(delivery_ids=[delivery_id])
    [request] = fake_sms.received
    delivery = Delivery.objects.get(pk=delivery_id)
    hint = gettext("Reply STOP to stop")
    assert request.json()["text"] == f"Posyandu Sabtu {tracked_link(delivery)} {hint}"
    assert request.json()["reference"] == f"sikim-{delivery.pk}"
    assert delivery.provider_id == fake_sms.handed_to_phones[0].id


def test_sms_drops_the_hint_rather_than_the_link_or_an_extra_part(publish, kim_guntung_paikat, settings):
    settings.SIKIM_SMS_GATEWAY_URL, settings.SIKIM_SMS_GATEWAY_TOKEN = "http://127.0.0.1:9/messages", "t"
    settings.SIKIM_SMS_MAX_SEGMENTS = 1
    KimMember.objects.create(kim=kim_guntung_paikat, name="Udin", phone="+6281299990003", consent_sms=True)
    [delivery_id] = publish()
    delivery = Delivery.objects.select_related("bulletin", "member").get(pk=delivery_id)
    message = build_message(delivery, "+6281299990003", "")
    channel, hint = SmsChannel(), gettext("Reply STOP to stop")
    room = 160 - len(message.link) - 1  # one GSM-7 part: the text, a space, the link
    assert channel.compose(replace(message, text="Banjir")) == f"Banjir {message.link} {hint}"
    # The text and link fill the part: the hint would cost a second part, so it is left out.
    full = channel.compose(replace(message, text="B" * (room - 3)))
    assert full == f"{'B' * (room - 3)} {message.link}"
    assert segmentation.segment(full).segments == 1
    # A text cut to fit keeps the link whole and gets no hint.
    cut = channel.compose(replace(message, text="Banjir " * 40))
    assert cut.endswith(f"... {message.link}") and hint not in cut
    assert segmentation.segment(cut).segments == 1


def test_webpush_is_addressed_by_member_id(publish, kim_guntung_paikat):
    person = member(kim_guntung_paikat, mail=True)
    [delivery_id] = publish()
    delivery = Delivery.objects.select_related("bulletin", "member").get(pk=delivery_id)
    delivery.channel = "webpush"  # the channel of web push, not saved
    assert _address(delivery) == str(person.pk)
    message = build_message(delivery, _address(delivery), "")
    assert message.options["member_id"] == str(person.pk)
    assert message.link == tracked_link(delivery)


def _queries_for(ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as queries:
        send_recording(ids)
    return len(queries)


def test_no_query_per_message_beyond_recording_its_outcome(publish, kim_guntung_paikat):
    for n in range(12):
        member(kim_guntung_paikat, mail=True, telegram=n % 2 == 0)
    ids = publish()
    assert len(ids) == 18
    few, many = _queries_for(ids[:3]), _queries_for(ids[3:])
    assert many - few == 15 - 3  # one UPDATE per message (its outcome) and nothing else per message


def test_email_message_id_is_stable_so_a_resend_is_the_same_mail(publish, kim_guntung_paikat, fake_smtp):
    member(kim_guntung_paikat, mail=True)
    [delivery_id] = publish()
    delivery = Delivery.objects.select_related("bulletin", "member").get(pk=delivery_id)
    # A worker sent it and was killed before recording the outcome; the delivery is sent again.
    EmailChannel().send(build_message(delivery, delivery.member.email, ""))
    deliveries_send(delivery_ids=[delivery_id])
    assert len(fake_smtp.messages) == 2
    assert len(fake_smtp.unique_message_ids) == 1


def test_sms_resent_after_a_lost_outcome_reaches_the_phone_once(publish, kim_guntung_paikat, fake_sms):
    KimMember.objects.create(kim=kim_guntung_paikat, name="Udin", phone="+6281299990004", consent_sms=True)
    [delivery_id] = publish()
    delivery = Delivery.objects.select_related("bulletin", "member").get(pk=delivery_id)
    # A worker sent it and was killed before recording the outcome; the delivery is sent again.
    first = SmsChannel().send(build_message(delivery, "+6281299990004", ""))
    assert deliveries_send(delivery_ids=[delivery_id]).sent == 1
    delivery.refresh_from_db()
    assert fake_sms.request_count == 2
    assert [sms.reference for sms in fake_sms.handed_to_phones] == [f"sikim-{delivery_id}"]
    assert delivery.provider_id == first.provider_id

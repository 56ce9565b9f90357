"""The whole path against the fake providers on 127.0.0.1: publish, cascade, re-disseminate, send
through the real channels (registry), and record the outcome per delivery."""

import pytest

from sikim.dissemination.models import Delivery, DeliveryStatus, KimInboxItem
from sikim.dissemination.selectors import reach_for
from sikim.dissemination.services.bulletins import bulletin_create, bulletin_publish
from sikim.dissemination.services.inbox import kim_inbox_redisseminate
from sikim.dissemination.services.sending import deliveries_send
from sikim.dissemination.tests.bulletin_fixtures import member
from sikim.dissemination.tests.fakes.http import Failure

pytestmark = pytest.mark.django_db


def test_city_bulletin_reaches_telegram_and_email_through_the_kim(
    pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat, ketua_guntung_paikat,
    fake_smtp, fake_telegram, django_capture_on_commit_callbacks,
):  # fmt: skip
    by_mail = member(kim_guntung_paikat, mail=True, email="siti@example.id")
    by_telegram = member(kim_guntung_paikat, mail=False, telegram=True)
    member(kim_guntung_paikat, mail=False, sms=True)  # SMS is switched off here: no gateway configured
    bulletin = bulletin_create(
        actor=pembina_banjarbaru, publisher=pembina_office_banjarbaru, title="Banjir di Landasan Ulin",
        body_markdown="Warga diminta **waspada**.", priority="emergency", regions=["63.72"],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(actor=pembina_banjarbaru, bulletin=bulletin)
    item = KimInboxItem.objects.get(bulletin=bulletin, kim=kim_guntung_paikat)
    with django_capture_on_commit_callbacks(execute=True):
        kim_inbox_redisseminate(actor=ketua_guntung_paikat, item=item, local_note="Posko di kantor lurah.")

    [mail] = fake_smtp.messages
    assert mail.rcpt_tos == ("siti@example.id",)
    assert "Posko di kantor lurah." in mail.body("plain")
    [(chat_id, text)] = fake_telegram.sent_texts()
    assert chat_id == by_telegram.telegram_link.chat_id
    assert text.startswith("Banjir di Landasan Ulin")
    reach = reach_for(bulletin)
    assert (reach["email"]["sent"], reach["telegram"]["sent"], reach["sms"]["failed"]) == (1, 1, 1)
    assert Delivery.objects.get(member=by_mail).provider_id  # the Message-ID, kept as proof
    assert Delivery.objects.get(channel="sms").error == "channel not configured"


def test_provider_failures_retry_or_fail(
    ketua_guntung_paikat, kim_guntung_paikat, fake_telegram, django_capture_on_commit_callbacks
):
    first = member(kim_guntung_paikat, mail=False, telegram=True)
    blocked = member(kim_guntung_paikat, mail=False, telegram=True)
    fake_telegram.fail_address(
        blocked.telegram_link.chat_id,
        Failure("error", status=403, code=403, description="Forbidden: bot was blocked by the user"),
    )
    fake_telegram.fail_next(Failure("server_error", status=500))
    bulletin = bulletin_create(
        actor=ketua_guntung_paikat, publisher=kim_guntung_paikat, title="Rapat", body_markdown="Jam 9.",
        kims=[kim_guntung_paikat],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(actor=ketua_guntung_paikat, bulletin=bulletin)
    statuses = dict(Delivery.objects.values_list("member_id", "status"))
    assert statuses[blocked.pk] == DeliveryStatus.FAILED
    assert statuses[first.pk] == DeliveryStatus.QUEUED  # the 500: retried later with backoff
    retry = Delivery.objects.get(member=first)
    assert retry.next_attempt_at is not None and retry.attempts == 1
    Delivery.objects.filter(pk=retry.pk).update(next_attempt_at=retry.created_at)  # the backoff has passed
    deliveries_send(delivery_ids=[retry.pk])
    retry.refresh_from_db()
    assert (retry.status, retry.attempts) == (DeliveryStatus.SENT, 2)
    assert [chat for chat, _ in fake_telegram.sent_texts()] == [first.telegram_link.chat_id]

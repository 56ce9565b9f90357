"""Fan-out and the KIM inbox cascade, end to end through the tasks (run at once in tests)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sikim.dissemination.models import Delivery, FanOutRun, InboxStatus, KimInboxItem, RedisseminationMode
from sikim.dissemination.selectors import fanout_progress, reach_for
from sikim.dissemination.services import sending
from sikim.dissemination.services.bulletins import bulletin_create, bulletin_publish
from sikim.dissemination.services.fanout import fanout_create_deliveries, fanout_execute
from sikim.dissemination.services.inbox import kim_dissemination_setting_set, kim_inbox_redisseminate
from sikim.dissemination.tests import bulletin_fixtures
from sikim.dissemination.tests.bulletin_fixtures import RecordingChannel, member

kim_landasan = bulletin_fixtures.kim_landasan  # a shared fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(monkeypatch):
    """Every channel is a recording channel (the sender's channel lookup is its seam)."""
    recorded: dict[str, RecordingChannel] = {}

    def get(name: str) -> RecordingChannel:
        return recorded.setdefault(name, RecordingChannel(name=name))

    monkeypatch.setattr(sending, "default_get_channel", get)
    monkeypatch.setattr(sending.deliveries_send, "__kwdefaults__", {"get_channel": get})
    return recorded


def _city_bulletin(pembina, office):
    return bulletin_create(
        actor=pembina, publisher=office, title="Vaksinasi", body_markdown="Di puskesmas.", regions=["63.72"]
    )


def test_ketua_redisseminates_with_a_local_note(
    pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat, kim_landasan, ketua_guntung_paikat,
    ketua_ekasari, channels, django_capture_on_commit_callbacks,
):  # fmt: skip
    a = member(kim_guntung_paikat, mail=True, sms=True)
    member(kim_landasan, mail=True)
    bulletin = _city_bulletin(pembina_banjarbaru, pembina_office_banjarbaru)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(actor=pembina_banjarbaru, bulletin=bulletin)
    item = KimInboxItem.objects.get(bulletin=bulletin, kim=kim_guntung_paikat)
    assert item.status == InboxStatus.RECEIVED
    with pytest.raises(PermissionDenied):
        kim_inbox_redisseminate(actor=ketua_ekasari, item=item, local_note="x")
    with django_capture_on_commit_callbacks(execute=True):
        kim_inbox_redisseminate(actor=ketua_guntung_paikat, item=item, local_note="Bawa KTP ya.")
    assert set(Delivery.objects.values_list("member_id", "channel", "status")) == {
        (a.pk, "email", "sent"),
        (a.pk, "sms", "sent"),
    }
    assert channels["email"].sent[0].text.startswith("Vaksinasi\n\nBawa KTP ya.")
    assert reach_for(bulletin)["email"]["sent"] == 1
    assert fanout_progress(bulletin)["finished"]
    with pytest.raises(ValidationError):
        kim_inbox_redisseminate(actor=ketua_guntung_paikat, item=item, local_note="again")


def test_automatic_kims_receive_at_publish(
    pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat, kim_landasan, ketua_guntung_paikat,
    channels, django_capture_on_commit_callbacks,
):  # fmt: skip
    kim_dissemination_setting_set(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        mode=RedisseminationMode.AUTOMATIC,
        default_note="Dari KIM GP",
    )
    a = member(kim_guntung_paikat, mail=True)
    member(kim_landasan, mail=True)
    bulletin = _city_bulletin(pembina_banjarbaru, pembina_office_banjarbaru)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(actor=pembina_banjarbaru, bulletin=bulletin)
    assert list(Delivery.objects.values_list("member_id", flat=True)) == [a.pk]
    auto = KimInboxItem.objects.get(kim=kim_guntung_paikat)
    assert (auto.status, auto.local_note) == (InboxStatus.REDISSEMINATED, "Dari KIM GP")
    assert KimInboxItem.objects.get(kim=kim_landasan).status == InboxStatus.RECEIVED
    assert "Dari KIM GP" in channels["email"].sent[0].text


def test_fanout_rerun_creates_and_sends_nothing_twice(
    ketua_guntung_paikat, kim_guntung_paikat, channels, django_capture_on_commit_callbacks
):
    for _ in range(5):
        member(kim_guntung_paikat, mail=True, telegram=True)
    member(kim_guntung_paikat, mail=False)
    bulletin = bulletin_create(
        actor=ketua_guntung_paikat,
        publisher=kim_guntung_paikat,
        title="t",
        body_markdown="b",
        kims=[kim_guntung_paikat],
    )
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(actor=ketua_guntung_paikat, bulletin=bulletin)
    run = FanOutRun.objects.get(bulletin=bulletin)
    assert (run.total, run.status) == (10, "done")
    assert fanout_create_deliveries(run=run) == 0  # the fan-out task ran again
    fanout_execute(run_id=run.pk, enqueue=lambda ids: sending.deliveries_send(delivery_ids=ids))
    assert Delivery.objects.count() == 10
    assert len(channels["email"].sent) == 5
    assert len(channels["telegram"].sent) == 5
    assert {m.address for m in channels["telegram"].sent} == set(
        Delivery.objects.filter(channel="telegram").values_list("member__telegram_link__chat_id", flat=True)
    )

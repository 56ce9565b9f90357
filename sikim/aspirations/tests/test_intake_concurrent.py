"""The same message delivered by several webhook calls at once makes one aspiration and one reply."""

# ruff: noqa: F811 — the fake-server fixture is imported, then taken as a test argument by name

import threading

import pytest
from django.db import connection

from sikim.aspirations.models import Aspiration
from sikim.aspirations.services.intake import InboundMessage, IntakeResult, aspiration_intake
from sikim.dissemination.tests.conftest import fake_sms  # noqa: F401 (fixture; the tests take it by name: F811 below)

GUNTUNG_PAIKAT = "63.72.05.1004"
WORKERS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_make_one_aspiration(fake_sms, kim_guntung_paikat):
    message = InboundMessage(
        channel="sms", source_ref="gw-race", sender="+6285212345678", text=f"ASPIRASI {GUNTUNG_PAIKAT} jalan rusak"
    )
    barrier = threading.Barrier(WORKERS)
    results: list[IntakeResult] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(aspiration_intake(message=message).result)
        except BaseException as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(results) == sorted([IntakeResult.CREATED] + [IntakeResult.DUPLICATE] * (WORKERS - 1))
    assert Aspiration.objects.filter(source_ref="gw-race").count() == 1
    # One receipt reached the gateway (the citizen's notice: SMS to the sender).
    assert [sms.to for sms in fake_sms.handed_to_phones] == ["+6285212345678"]

"""Fault test: SIGKILL the worker in the middle of a fan-out to 100,000 members, start another.

A real `manage.py run_huey` process sends through the real SMS channel to the fake gateway on
127.0.0.1. After the kill, the claims the dead worker held are released (what the sweeper does
once they are older than CLAIM_TIMEOUT) and the same fan-out task is enqueued again. At the end:
exactly one delivery row per recipient, every one sent, and every phone got exactly one SMS.
The messages in flight at the kill are requested from the gateway a second time (the window
between the provider's answer and the database update), but with the same reference, so the
gateway answers with the first id and does not send them again (channels/sms.py). The test
prints how many such duplicate requests there were.

SIKIM_KILL_TEST_MEMBERS sets the size (2,000 by default, so the suite stays quick).
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from sikim.core.tests.test_worker_process import WAIT_SECONDS, _test_database_url, queue_env  # noqa: F401
from sikim.dissemination import tasks
from sikim.dissemination.models import Delivery, DeliveryStatus, FanOutRun
from sikim.dissemination.services.bulletins import bulletin_create, bulletin_publish
from sikim.dissemination.services.sending import deliveries_release_stale
from sikim.dissemination.tests.fakes import FakeSmsGateway
from sikim.kim.models import KimMember

# 100,000 for the full fault test (see the report); a smaller default keeps the suite quick.
MEMBERS = int(os.environ.get("SIKIM_KILL_TEST_MEMBERS", "2000"))
FINISH_SECONDS = 600.0
SETTINGS = """\
from config.settings import *  # noqa: F403

SIKIM_SMS_GATEWAY_URL = {url!r}
SIKIM_SMS_GATEWAY_TOKEN = {token!r}
SIKIM_SMS_RATE_PER_SECOND = 1_000_000.0
SIKIM_CHANNEL_TIMEOUT = 5.0
SIKIM_QUIET_HOURS = ""  # a normal bulletin: send at any hour of the test
"""


def _start_worker(queue_env: dict[str, str], tmp_path: Path, gateway: FakeSmsGateway, n: int) -> subprocess.Popen:  # noqa: F811
    (tmp_path / "killtest_settings.py").write_text(SETTINGS.format(url=gateway.endpoint, token=gateway.token))
    env = {
        **os.environ,
        **queue_env,
        "SIKIM_ENV": "test",
        "SIKIM_TASKS_IMMEDIATE": "false",
        "DATABASE_URL": _test_database_url(),
        "SIKIM_WORKERS": os.environ.get("SIKIM_KILL_TEST_WORKERS", "4"),
        "DJANGO_SETTINGS_MODULE": "killtest_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
    }
    log = (tmp_path / f"worker-{n}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--max-delay", "1"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait(condition, what: str, worker: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}) before {what}")
        time.sleep(0.2)  # polling a condition with a bound
    pytest.fail(f"no {what} after {seconds:.0f} s")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_fanout_sends_one_message_per_recipient(
    queue_env,  # noqa: F811
    tmp_path,
    ketua_guntung_paikat,
    kim_guntung_paikat,
):
    KimMember.objects.bulk_create(
        [
            KimMember(kim=kim_guntung_paikat, name=f"Warga {n}", phone=f"+62812{n:08d}", consent_sms=True)
            for n in range(MEMBERS)
        ],
        batch_size=5000,
    )
    gateway = FakeSmsGateway().start()
    worker = None
    phases: dict[str, float] = {}
    started = time.monotonic()
    try:
        bulletin = bulletin_create(
            actor=ketua_guntung_paikat, publisher=kim_guntung_paikat, title="Siaga banjir",
            body_markdown="Waspada.", kims=[kim_guntung_paikat],
        )  # fmt: skip
        bulletin_publish(actor=ketua_guntung_paikat, bulletin=bulletin)  # enqueues the fan-out (on commit)

        worker = _start_worker(queue_env, tmp_path, gateway, 1)
        _wait(
            lambda: len(gateway.received) >= min(5000, MEMBERS // 4),
            "messages before the kill",
            worker,
            WAIT_SECONDS * 4,
        )
        phases["until the kill"] = time.monotonic() - started
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=WAIT_SECONDS) == -signal.SIGKILL
        sent_before = len(gateway.received)
        assert Delivery.objects.filter(bulletin=bulletin).count() == MEMBERS
        assert Delivery.objects.filter(bulletin=bulletin, status=DeliveryStatus.SENT).count() < MEMBERS

        # The sweeper's job once the dead worker's claims are older than CLAIM_TIMEOUT, then the
        # same fan-out task once more (as a re-delivered task would be).
        deliveries_release_stale(now=timezone.now() + timedelta(hours=1))
        tasks.fanout_run.enqueue(FanOutRun.objects.get(bulletin=bulletin).pk)
        worker = _start_worker(queue_env, tmp_path, gateway, 2)
        _wait(
            lambda: not Delivery.objects.filter(bulletin=bulletin).exclude(status=DeliveryStatus.SENT).exists(),
            "all deliveries sent",
            worker,
            FINISH_SECONDS,
        )
        phases["until all sent"] = time.monotonic() - started
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=WAIT_SECONDS)
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        gateway.stop()

    handed = gateway.handed_to_phones
    per_phone = Counter(sms.to for sms in handed)
    references = {sms.reference for sms in handed}
    print(
        f"\n{MEMBERS} members, {sent_before} requests before the kill, {gateway.request_count} gateway"
        f" requests in all, {gateway.duplicate_requests} duplicate requests (same reference, not resent),"
        f" {len(per_phone)} phones reached, {len(handed)} SMS handed to phones;"
        f" phases {', '.join(f'{name} {seconds:.1f} s' for name, seconds in phases.items())}"
    )
    assert Delivery.objects.filter(bulletin=bulletin).count() == MEMBERS
    assert len(per_phone) == MEMBERS  # everyone reached
    assert len(handed) == MEMBERS  # exactly one SMS at each phone
    assert set(per_phone.values()) == {1}
    assert references == {
        f"sikim-{pk}" for pk in Delivery.objects.filter(bulletin=bulletin).values_list("pk", flat=True)
    }
    # Every delivery recorded the id the gateway gave its one SMS.
    ids_by_reference = {sms.reference: sms.id for sms in handed}
    recorded = dict(Delivery.objects.filter(bulletin=bulletin).values_list("pk", "provider_id"))
    assert recorded == {pk: ids_by_reference[f"sikim-{pk}"] for pk in recorded}

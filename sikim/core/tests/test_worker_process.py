"""A real `manage.py run_huey` process runs what this process enqueues.

The rest of the suite runs tasks immediately, in-process. Here the test process switches Huey to
the real queue (a SQLite file under tmp_path, or a Redis queue with a name of its own when
REDIS_URL is set), enqueues through `django.tasks`, and starts a worker subprocess on the same
test database and the same queue.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from sikim.core.durable import durable_tasks_sweep, enqueue_after_commit
from sikim.core.models import DurableTask, QueueProbe
from sikim.core.tasks import record_queue_probe

WAIT_SECONDS = 30.0


def _test_database_url() -> str:
    """The URL of the database this test runs on, for the worker's DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    assert connection.vendor == "postgresql", connection.vendor
    credentials = f"{quote(db['USER'], safe='')}:{quote(db['PASSWORD'], safe='')}@" if db["USER"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}{db['HOST']}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def queue_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Point this process's Huey at a real queue of its own; yields the worker's queue variables."""
    saved_name, saved_kwargs = HUEY.name, dict(HUEY.storage_kwargs)
    if settings.REDIS_URL:
        HUEY.name = f"sikim-test-{uuid.uuid4().hex}"
        env = {"SIKIM_QUEUE_NAME": HUEY.name}
    else:
        queue_file = str(tmp_path / "queue.sqlite3")
        HUEY.storage_kwargs["filename"] = queue_file
        env = {"SIKIM_QUEUE_FILE": queue_file}
    # Leaving immediate mode makes Huey build its real storage from name and storage_kwargs.
    HUEY.immediate = False
    try:
        yield env
    finally:
        HUEY.storage.flush_all()
        HUEY.storage.close()
        HUEY.name, HUEY.storage_kwargs = saved_name, saved_kwargs
        HUEY.immediate = True  # back to the in-memory storage the rest of the suite uses


class Worker:
    """One `manage.py run_huey` subprocess, its output kept in a log file."""

    def __init__(self, queue_env: dict[str, str], log_path: Path) -> None:
        env = {
            **os.environ,
            **queue_env,
            "SIKIM_ENV": "test",
            # SIKIM_ENV=test runs tasks immediately unless told otherwise.
            "SIKIM_TASKS_IMMEDIATE": "false",
            "DATABASE_URL": _test_database_url(),
            "SIKIM_WORKERS": "1",
        }
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            # --no-periodic: the scheduler would enqueue the minute sweeps beside the test's own
            # tasks whenever a minute turns, and the tests count what waits in the queue.
            [sys.executable, "manage.py", "run_huey", "--max-delay", "1", "--no-periodic"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def wait_for[T](self, condition: Callable[[], T | None], what: str) -> T:
        """Poll `condition` until it returns something, while watching that the worker lives."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            try:
                self.process.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(f"the worker exited ({self.process.returncode}) before {what}:\n{self.log()}")
        pytest.fail(f"no {what} after {WAIT_SECONDS:.0f} s; worker output:\n{self.log()}")

    def stop(self) -> int:
        """Huey's graceful stop (SIGINT): finish the running task, then exit."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        returncode = self.process.wait(timeout=WAIT_SECONDS)
        self._log.close()
        return returncode

    def kill(self) -> int:
        self.process.kill()
        returncode = self.process.wait(timeout=WAIT_SECONDS)
        self._log.close()
        return returncode


@pytest.fixture
def start_worker(queue_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[[], Worker]]:
    workers: list[Worker] = []

    def start() -> Worker:
        worker = Worker(queue_env, tmp_path / f"worker-{len(workers) + 1}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.process.poll() is None:
            worker.kill()


def _probe(token: str) -> QueueProbe | None:
    return QueueProbe.objects.filter(token=token).first()


@task()
def record_queue_probe_once_released(token: str, gate: str) -> int:
    """A task still running when its worker is killed: it waits for the file `gate` first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not Path(gate).exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # a stand-in for a slow provider, inside the worker
    return record_queue_probe.call(token)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_runs_a_task_enqueued_here(start_worker):
    token = uuid.uuid4().hex
    result = record_queue_probe.enqueue(token)
    assert result.status == TaskResultStatus.READY
    assert HUEY.pending_count() == 1

    worker = start_worker()
    probe = worker.wait_for(lambda: _probe(token), "queue probe")

    assert probe.worker_pid == worker.pid
    assert probe.worker_pid != os.getpid()

    def finished():
        result.refresh()
        return result.status == TaskResultStatus.SUCCESSFUL

    worker.wait_for(finished, "successful task result")
    assert result.return_value == worker.pid
    assert HUEY.pending_count() == 0
    assert worker.stop() == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_while_no_worker_runs_waits_for_the_next_worker(start_worker):
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    record_queue_probe.enqueue(first)
    crashed = start_worker()
    crashed.wait_for(lambda: _probe(first), "first probe")
    # The worker dies without any chance to clean up, like a machine losing power.
    assert crashed.kill() == -signal.SIGKILL

    result = record_queue_probe.enqueue(second)
    assert HUEY.pending_count() == 1
    assert _probe(second) is None
    result.refresh()
    assert result.status == TaskResultStatus.READY

    replacement = start_worker()
    probe = replacement.wait_for(lambda: _probe(second), "second probe")

    assert probe.worker_pid == replacement.pid
    assert QueueProbe.objects.get(token=first).worker_pid == crashed.pid
    assert replacement.stop() == 0


def test_the_task_is_idempotent(db):
    """Queues deliver at least once: running the task twice leaves one probe, from the first run."""
    token = uuid.uuid4().hex
    QueueProbe.objects.create(token=token, worker_pid=1)

    record_queue_probe.call(token)

    assert QueueProbe.objects.get(token=token).worker_pid == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_durable_task_killed_with_its_worker_runs_again_on_another(start_worker, tmp_path):
    token, gate = uuid.uuid4().hex, tmp_path / "released"
    enqueue_after_commit(record_queue_probe_once_released, token, str(gate))  # autocommit: enqueued now

    killed = start_worker()
    killed.wait_for(lambda: DurableTask.objects.filter(claimed_until__isnull=False).exists(), "the claim")
    assert killed.kill() == -signal.SIGKILL  # mid-task: Huey has already taken it off the queue
    gate.touch()
    assert HUEY.pending_count() == 0
    assert _probe(token) is None

    # Ten minutes on, the claim has run out and the sweep enqueues the row again.
    long_ago = timezone.now() - timedelta(minutes=11)
    DurableTask.objects.update(claimed_until=long_ago, next_attempt_at=long_ago)
    assert durable_tasks_sweep() == 1
    replacement = start_worker()
    probe = replacement.wait_for(lambda: _probe(token), "the probe from the replacement worker")

    assert probe.worker_pid == replacement.pid
    replacement.wait_for(lambda: not DurableTask.objects.exists(), "the finished row gone")
    assert replacement.stop() == 0

"""200 aspirations at once through the web form and the SMS, Telegram and WhatsApp webhooks: each stored once.

    .venv/bin/python bench/bench_aspirations.py              # SQLite; about 2 minutes
    .venv/bin/python bench/bench_aspirations.py --postgres   # PostgreSQL of scripts/scale-services.sh

1. A fresh database (SQLite in a temporary folder, or the database "sikim_bench_aspirations",
   dropped and created again, on the throw-away PostgreSQL of scripts/scale-services.sh on
   127.0.0.1:54329): migrations, the regions of Kalimantan Selatan and Bali, the demo data
   (`seed_demo`'s seeders: KIMs, offices, routing rules) so that every submission has a KIM to
   verify it, and KIM members whose Telegram chats are linked (an unlinked chat is refused).
2. The fake SMS gateway, Telegram Bot API and WhatsApp Cloud API of the test suite
   (sikim/dissemination/tests/fakes) in another process on 127.0.0.1, so that nothing can go to
   the internet. gunicorn (2 sync workers, DEBUG off) serves the real site with the webhook
   secrets set and the anonymous per-hour limit off (the whole bench comes from one address).
3. 200 distinct submissions, a quarter on each path: the web form (/aspirasi/baru/: the form page
   is fetched first for the CSRF cookie and token, untimed; then the POST is sent), and keyword
   messages "ASPIRASI [kode desa] <kategori> <teks>" to the SMS, Telegram and WhatsApp webhooks,
   authenticated as each provider does (X-Sikim-Token, X-Telegram-Bot-Api-Secret-Token,
   X-Hub-Signature-256). They are released at the same instant, one thread and one connection
   each, together with a second delivery of every third webhook message (providers deliver more
   than once; the two copies race). Those messages are delivered a third time after the burst.
   Printed: p50/p95 latency per path and submissions per second over the burst (from the release
   to the last answer). Then 10 more per path one at a time: what one submission costs with no
   queue in front of it, and the rate that cost allows the workers.
4. The database is counted: every distinct submission stored exactly once, no repeated delivery
   stored, nothing lost, and each webhook message answered "created" exactly once.
5. Beside it, the physical limit in the same run, with the same burst shape (200 requests
   released at once, 3 times): a trivial view (200 bytes, same middleware) and a view doing one
   INSERT in one transaction; and a raw INSERT loop, one row per transaction, in one process
   straight on the database. The load average before and after.
6. Replies: the intake and the citizen notices queue their messages as tasks, so the burst measures
   the requests alone. Afterwards a task worker (`run_huey`) empties the queue, and every
   aspiration's ticket code must have reached its sender exactly once on the channel it came by
   (the web form's contact phone: by SMS), with no message handed to a provider twice.

Exits with status 1 when a submission is lost or stored twice, or a receipt is missing or repeated.
Nothing outside the temporary folder (and, with --postgres, that one database) is touched; a
PostgreSQL server started here is stopped again.
"""

import dataclasses
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_wilayah import (  # noqa: E402 (the sibling bench script, not a package)
    BENCH_SETTINGS,
    GUNICORN,
    PYTHON,
    ROOT,
    WORKERS,
    free_port,
    wait_until_up,
)

SUBMISSIONS = 200
PATHS = ("web form", "SMS webhook", "Telegram webhook", "WhatsApp webhook")
DUPLICATE_EVERY = 3  # every third webhook message is delivered twice in the burst, and once more after it
WARMUP_SUBMISSIONS = 4
SEQUENTIAL_PER_PATH = 10
BASELINE_ROUNDS = 3
RAW_INSERT_ROWS = 2_000
CATEGORIES = ("infrastruktur", "lingkungan", "kesehatan", "pendidikan", "sosial", "lainnya")
SMS_SECRET = "bench-sms-webhook-secret"  # noqa: S105 (a throw-away server's)
TELEGRAM_SECRET = "bench-telegram-webhook-secret"  # noqa: S105
WHATSAPP_APP_SECRET = "bench-whatsapp-app-secret"  # noqa: S105
TELEGRAM_CHAT_BASE = 700_000_000
POSTGRES = "--postgres" in sys.argv
POSTGRES_ADMIN_URL = "postgres://sikim:sikim@127.0.0.1:54329/sikim"
POSTGRES_DATABASE = "sikim_bench_aspirations"
POSTGRES_BENCH_URL = f"postgres://sikim:sikim@127.0.0.1:54329/{POSTGRES_DATABASE}"
SCALE_SERVICES = str(ROOT / "scripts" / "scale-services.sh")
RAW_TABLE = "bench_raw_insert"
RAW_TABLE_DDL = {
    "sqlite": f"CREATE TABLE {RAW_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL,"
    " created_at TEXT NOT NULL)",
    "postgresql": f"CREATE TABLE {RAW_TABLE} (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL,"
    " created_at TIMESTAMPTZ NOT NULL)",
}
# The site's URLs plus a trivial view and a one-INSERT view, behind the same middleware.
BENCH_URLS = """\
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("x" * 200, content_type="text/plain")


@csrf_exempt
def insert(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_raw_insert (body, created_at) VALUES (%s, %s)",
            [request.body.decode()[:500], timezone.now()],
        )
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), path("bench/insert/", insert), *site_urlpatterns]
"""


# --- child processes ----------------------------------------------------------------------------
def child_prepare() -> None:
    """Regions, demo data, linked Telegram chats and the raw table; prints the villages that have a
    verifying KIM and the linked chats."""
    import django

    django.setup()
    from django.db import connection

    from sikim.aspirations.selectors.routing import verifying_kim_for
    from sikim.core.demo import demo_seed_all
    from sikim.dissemination.models import TelegramLink
    from sikim.kim.models import Kim, KimMember
    from sikim.wilayah.models import Region, RegionLevel
    from sikim.wilayah.services import region_tree_import

    region_tree_import(only_prefixes=["63", "51"])
    demo_seed_all()
    with connection.cursor() as cursor:
        cursor.execute(RAW_TABLE_DDL[connection.vendor])
    kims = list(Kim.objects.select_related("region").filter(region__level=RegionLevel.DESA_KELURAHAN).order_by("pk"))
    villages = [
        code
        for kecamatan in sorted({kim.region.parent_id or "" for kim in kims})
        for code in Region.objects.filter(parent_id=kecamatan, level=RegionLevel.DESA_KELURAHAN)
        .order_by("code")
        .values_list("code", flat=True)
        if verifying_kim_for(code) is not None
    ]
    verifying = [kim for kim in kims if verifying_kim_for(kim.region_id) is not None]
    chats = []
    for number in range(SUBMISSIONS // len(PATHS) + WARMUP_SUBMISSIONS):
        kim = verifying[number % len(verifying)]
        member = KimMember.objects.create(
            kim=kim, name=f"Anggota Telegram {number}", phone=f"+62819{5000000 + number:07d}", consent_telegram=True
        )
        chat_id = str(TELEGRAM_CHAT_BASE + number)
        TelegramLink.objects.create(member=member, chat_id=chat_id)
        chats.append(chat_id)
    print("RESULT " + json.dumps({"villages": villages, "telegram_chats": chats}))


def child_count() -> None:
    """Every aspiration's channel, text, ticket code, contact phone and source reference, as JSON."""
    import django

    django.setup()
    from sikim.aspirations.models import Aspiration

    rows = Aspiration.objects.values_list("channel", "text", "code", "contact_phone", "source_ref")
    print("RESULT " + json.dumps(list(rows)))


def child_raw_insert() -> None:
    """RAW_INSERT_ROWS rows, one per transaction, straight on the database the site uses."""
    body = "x" * 300
    started = time.perf_counter()
    if os.environ.get("DATABASE_URL"):
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as pg:
            started = time.perf_counter()
            for _ in range(RAW_INSERT_ROWS):
                with pg.transaction():
                    pg.execute(f"INSERT INTO {RAW_TABLE} (body, created_at) VALUES (%s, now())", (body,))  # noqa: S608
    else:
        lite = sqlite3.connect(Path(os.environ["SIKIM_DATA_DIR"]) / "sikim.sqlite3", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "cache_size=-32000"):
            lite.execute(f"PRAGMA {pragma}")  # the pragmas of the site's own connections
        started = time.perf_counter()
        for _ in range(RAW_INSERT_ROWS):
            lite.execute("BEGIN IMMEDIATE")  # as the site's transactions (transaction_mode IMMEDIATE)
            lite.execute(f"INSERT INTO {RAW_TABLE} (body, created_at) VALUES (?, datetime('now'))", (body,))  # noqa: S608
            lite.execute("COMMIT")
        lite.close()
    print(f"RESULT {RAW_INSERT_ROWS} {time.perf_counter() - started:.4f}")


def serve_fakes(pipe: Connection) -> None:  # runs in the fake servers' process
    sys.path.insert(0, str(ROOT))
    from sikim.dissemination.tests.fakes import FakeSmsGateway, FakeTelegramServer, FakeWhatsAppServer

    sms, telegram, whatsapp = FakeSmsGateway().start(), FakeTelegramServer().start(), FakeWhatsAppServer().start()
    pipe.send(
        {
            "SIKIM_SMS_GATEWAY_URL": sms.endpoint,
            "SIKIM_SMS_GATEWAY_TOKEN": sms.token,
            "SIKIM_TELEGRAM_API_URL": telegram.url,
            "SIKIM_TELEGRAM_BOT_TOKEN": telegram.token,
            "SIKIM_WHATSAPP_API_URL": f"{whatsapp.url}/v21.0",
            "SIKIM_WHATSAPP_TOKEN": whatsapp.token,
            "SIKIM_WHATSAPP_PHONE_NUMBER_ID": whatsapp.phone_number_id,
        }
    )
    pipe.recv()  # until told to stop
    received: list[tuple[str, str, str]] = []  # channel, address, the request's body
    for channel, fake, field in (("sms", sms, "to"), ("telegram", telegram, "chat_id"), ("whatsapp", whatsapp, "to")):
        for request in fake.received:
            try:
                address = str(request.json().get(field, ""))
            except ValueError:
                address = ""
            if channel == "whatsapp":
                address = "+" + address.lstrip("+")
            received.append((channel, address, request.body.decode(errors="replace")))
    pipe.send(received)
    for fake in (sms, telegram, whatsapp):
        fake.stop()


def run_child(env: dict[str, str], *args: str) -> str:
    """Run this script (or manage.py) as a child; its "RESULT …" line."""
    done = subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
    if done.returncode or line is None:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return line.removeprefix("RESULT ")


# --- the requests -------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Submission:
    """One HTTP request; `marker` is the word that finds its aspiration in the database again."""

    path: str  # one of PATHS, or a baseline's name
    channel: str  # the aspiration's channel
    marker: str
    url: str
    method: str = "POST"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    duplicate: bool = False


@dataclasses.dataclass(frozen=True)
class Outcome:
    submission: Submission
    status: int
    started: float
    ended: float
    body: bytes

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def ok(self) -> bool:
        return self.status == (302 if self.submission.path == "web form" else 200)


def marker(number: int, prefix: str = "uji") -> str:
    """A word of letters only, unique per submission: no two texts share a meaningful word, so the
    web form's "similar aspirations" step never holds a submission back for confirmation."""
    letters = ""
    for _ in range(4):
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
    return f"{prefix}{letters}"


def aspiration_text(word: str) -> str:
    # Besides the marker only short words (the similarity check counts words of 4+ letters).
    return f"{word}: air got di RT 3 RW 2 bau, ada 12 KK di jl ini, dan got itu tak ada tim."


def send(host: str, port: int, submission: Submission) -> Outcome:
    connection = http.client.HTTPConnection(host, port, timeout=120)
    started = time.perf_counter()
    try:
        connection.request(submission.method, submission.url, body=submission.body, headers=dict(submission.headers))
        response = connection.getresponse()
        body, status = response.read(), response.status
    except OSError as error:
        body, status = str(error).encode(), 0
    finally:
        connection.close()
    return Outcome(submission, status, started, time.perf_counter(), body)


def burst(host: str, port: int, submissions: list[Submission]) -> tuple[list[Outcome], float]:
    """Release every request at the same instant, one thread and one connection each: the
    outcomes and the wall time from the release to the last answer."""
    if not submissions:
        return [], 0.0
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(submissions) + 1)

    def worker(submission: Submission) -> None:
        gate.wait()
        outcome = send(host, port, submission)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(submission,)) for submission in submissions]
    for thread in threads:
        thread.start()
    gate.wait()
    released = time.perf_counter()
    for thread in threads:
        thread.join()
    return outcomes, max(outcome.ended for outcome in outcomes) - released


_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def web_form(host: str, port: int, number: int, village: str, category: str, word: str) -> Submission:
    """GET the form as a browser does (the CSRF cookie and token); the POST to send later."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.request("GET", "/aspirasi/baru/")
    response = connection.getresponse()
    page = response.read()
    cookies = [value for name, value in response.getheaders() if name.lower() == "set-cookie"]
    connection.close()
    token = _CSRF_INPUT.search(page)
    cookie = next((c.split(";")[0] for c in cookies if c.startswith("csrftoken=")), None)
    if response.status != 200 or token is None or cookie is None:
        sys.exit(f"the form page answered {response.status} without a CSRF token and cookie")
    parts = village.split(".")
    fields = {
        "csrfmiddlewaretoken": token.group(1).decode(),
        "title": "",
        "text": aspiration_text(word),
        "category": category,
        "provinsi": parts[0],
        "kabupaten": ".".join(parts[:2]),
        "kecamatan": ".".join(parts[:3]),
        "desa": village,
        "latitude": "",
        "longitude": "",
        "visibility": "public",
        "contact_name": f"Warga {word.capitalize()}",
        "contact_phone": f"+62812{7000000 + number:07d}",
        "contact_email": "",
        "homepage": "",
    }
    return Submission(
        path="web form",
        channel="web",
        marker=word,
        url="/aspirasi/baru/",
        headers=(("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie)),
        body=urllib.parse.urlencode(fields).encode(),
    )


def sms_message(number: int, village: str, category: str, word: str) -> Submission:
    """The SMS gateway's inbound report (contract in sikim/dissemination/channels/sms.py)."""
    payload = {
        "type": "inbound",
        "id": f"gw-{word}",
        "from": f"+62813{6000000 + number:07d}",
        "text": f"ASPIRASI {village} {category} {aspiration_text(word)}",
    }
    return Submission(
        path="SMS webhook",
        channel="sms",
        marker=word,
        url="/diseminasi/webhook/sms/",
        headers=(("Content-Type", "application/json"), ("X-Sikim-Token", SMS_SECRET)),
        body=json.dumps(payload).encode(),
    )


def telegram_message(number: int, chat_id: str, category: str, word: str) -> Submission:
    """A Bot API update from a linked chat: the village is the member's KIM's, so none in the text."""
    payload = {
        "update_id": 500_000 + number,
        "message": {
            "message_id": 10 + number,
            "from": {"id": int(chat_id), "is_bot": False, "first_name": "Warga"},
            "chat": {"id": int(chat_id), "type": "private", "first_name": "Warga"},
            "date": int(time.time()),
            "text": f"ASPIRASI {category} {aspiration_text(word)}",
        },
    }
    return Submission(
        path="Telegram webhook",
        channel="telegram",
        marker=word,
        url="/diseminasi/webhook/telegram/",
        headers=(("Content-Type", "application/json"), ("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET)),
        body=json.dumps(payload).encode(),
    )


def whatsapp_message(number: int, village: str, category: str, word: str) -> Submission:
    """A Cloud API `messages` webhook with one text, signed with the app secret."""
    phone = f"62814{8000000 + number:07d}"
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": "1234567890"},
        "contacts": [{"profile": {"name": "Warga"}, "wa_id": phone}],
        "messages": [
            {
                "from": phone,
                "id": f"wamid.{word}",
                "timestamp": str(int(time.time())),
                "type": "text",
                "text": {"body": f"ASPIRASI {village} {category} {aspiration_text(word)}"},
            }
        ],
    }
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
        }
    ).encode()
    signature = hmac.new(WHATSAPP_APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return Submission(
        path="WhatsApp webhook",
        channel="whatsapp",
        marker=word,
        url="/diseminasi/webhook/whatsapp/",
        headers=(("Content-Type", "application/json"), ("X-Hub-Signature-256", f"sha256={signature}")),
        body=body,
    )


def created_by(outcome: Outcome) -> int:
    """How many aspirations the webhook says this delivery made (each message's first delivery: 1)."""
    try:
        answer = json.loads(outcome.body)
    except ValueError:
        return 0
    if outcome.submission.path == "Telegram webhook":
        return int(answer.get("result") == "aspiration_created")
    return int(answer.get("aspirations", 0))


def submissions_for(
    host: str, port: int, numbers: range, villages: list[str], chats: list[str], prefix: str = "uji"
) -> list[Submission]:
    """Submission `n` goes by PATHS[n % 4] (the form pages are fetched a few at a time, untimed)."""

    def build(number: int) -> Submission:
        village, category = villages[number % len(villages)], CATEGORIES[number % len(CATEGORIES)]
        word = marker(number, prefix)
        path = PATHS[number % len(PATHS)]
        if path == "web form":
            return web_form(host, port, number, village, category, word)
        if path == "SMS webhook":
            return sms_message(number, village, category, word)
        if path == "Telegram webhook":
            return telegram_message(number, chats[number // len(PATHS) % len(chats)], category, word)
        return whatsapp_message(number, village, category, word)

    with ThreadPoolExecutor(max_workers=WORKERS * 2) as pool:
        return list(pool.map(build, numbers))


# --- reporting ----------------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


HEADER = f"   {'':<36} {'reqs':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"


def latency_line(label: str, seconds: list[float], extra: str = "") -> str:
    ms = [value * 1000 for value in seconds]
    return (
        f"   {label:<36} {len(ms):>5} {statistics.median(ms):7.0f} {percentile(ms, 0.95):7.0f} {max(ms):7.0f}  {extra}"
    )


def count_stored(env: dict[str, str], expected: list[Submission]) -> tuple[int, list[str], list[str], list[Any]]:
    """(stored exactly once, lost, stored more than once, every row) for the expected markers."""
    rows = json.loads(run_child(env, __file__, "--child-count"))
    found: dict[str, int] = {}
    for channel, text, *_ in rows:
        for word in re.findall(r"\b(?:uji|seri|pemanasan)[a-z]{4}\b", text):
            found[f"{channel}:{word}"] = found.get(f"{channel}:{word}", 0) + 1
    keys = {f"{s.channel}:{s.marker}" for s in expected}
    once = sum(found.get(key) == 1 for key in keys)
    lost = sorted(key for key in keys if key not in found)
    twice = sorted(key for key, count in found.items() if count > 1)
    return once, lost, twice, rows


def baseline(host: str, port: int, make: Callable[[int], Submission]) -> tuple[list[float], float]:
    """BASELINE_ROUNDS bursts of SUBMISSIONS requests: every latency, and requests per second."""
    seconds: list[float] = []
    walls = 0.0
    for round_number in range(BASELINE_ROUNDS):
        outcomes, wall = burst(host, port, [make(round_number * SUBMISSIONS + n) for n in range(SUBMISSIONS)])
        failed = [outcome for outcome in outcomes if outcome.status != 200]
        if failed:
            sys.exit(
                f"{failed[0].submission.path}: {len(failed)} failed, e.g. {failed[0].status} {failed[0].body[:300]!r}"
            )
        seconds += [outcome.seconds for outcome in outcomes]
        walls += wall
    return seconds, len(seconds) / walls


# --- main ---------------------------------------------------------------------------------------
def postgres_prepare() -> bool:
    """Start the throw-away PostgreSQL (True when this run started it) and create a fresh database."""
    import psycopg

    status = subprocess.run([SCALE_SERVICES, "status"], capture_output=True, text=True, check=False).stdout
    was_running = "PostgreSQL: running" in status
    subprocess.run([SCALE_SERVICES, "start"], check=True, stdout=subprocess.DEVNULL)
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    return not was_running


class FakeProviders:
    """The fake SMS gateway, Telegram and WhatsApp servers, in a process of their own."""

    def __init__(self) -> None:
        self.pipe, child = multiprocessing.Pipe()
        self.process: BaseProcess = multiprocessing.get_context("spawn").Process(
            target=serve_fakes, args=(child,), daemon=True
        )
        self.process.start()
        self.settings: dict[str, str] = self.pipe.recv()
        self.received: list[tuple[str, str, str]] | None = None

    def stop(self) -> list[tuple[str, str, str]]:
        """Stop them (once): every request they received as (channel, address, body)."""
        if self.received is None:
            self.pipe.send("stop")
            self.received = [tuple(item) for item in self.pipe.recv()]  # type: ignore[misc]
            self.process.join(timeout=10)
        return self.received


def drain_queue(env: dict[str, str], timeout_s: float = 120) -> float:
    """Run a task worker until the queue has been empty for 2 s (the replies and notices are
    tasks); seconds taken."""
    queue = Path(env["SIKIM_DATA_DIR"]) / "queue.sqlite3"
    consumer = subprocess.Popen(
        [PYTHON, "manage.py", "run_huey"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    started = time.perf_counter()
    try:
        empty_since: float | None = None
        while time.perf_counter() - started < timeout_s:
            try:
                with sqlite3.connect(queue, timeout=20) as connection:
                    pending = sum(
                        connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                        for table in ("task", "schedule")
                    )
            except sqlite3.OperationalError:  # the worker is creating its tables
                pending = 1
            now = time.perf_counter()
            empty_since = (empty_since or now) if pending == 0 else None
            if empty_since is not None and now - empty_since >= 2:
                break
            time.sleep(0.2)
    finally:
        consumer.terminate()
        consumer.wait(timeout=30)
    return time.perf_counter() - started


def check_replies(rows: list[Any], received: list[tuple[str, str, str]]) -> tuple[dict[str, list[int]], int]:
    """Per path: how many of the burst's aspirations got exactly one / no / several messages with
    their ticket code on the channel they came by (the web form: an SMS to the contact phone); and
    how many messages were handed over twice (same channel, address and body)."""
    by_address: dict[tuple[str, str], list[str]] = {}
    for channel, address, body in received:
        by_address.setdefault((channel, address), []).append(body)
    tally: dict[str, list[int]] = {}
    for channel, text, code, phone, source_ref in rows:
        if not re.search(r"\buji[a-z]{4}\b", text):
            continue
        address = (source_ref or "").split(":")[0] if channel == "telegram" else phone
        reply_channel = "sms" if channel == "web" else channel
        count = sum(code in body for body in by_address.get((reply_channel, address), []))
        counts = tally.setdefault(channel, [0, 0, 0])
        counts[0 if count == 1 else 1 if count == 0 else 2] += 1
    repeated = len(received) - len(set(received))
    return tally, repeated


def start_gunicorn(env: dict[str, str], host: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            GUNICORN,
            "config.wsgi:application",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            f"--bind={host}:{port}",
            "--backlog=2048",
            "--log-level=warning",
            f"--chdir={ROOT}",
        ],
        env=env,
    )
    wait_until_up(f"http://{host}:{port}/bench/trivial/")
    return server


def bench_env(workdir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "SIKIM_DATA_DIR": str(workdir),
        "SIKIM_ENV": "development",
        "SIKIM_DEBUG": "false",
        "SIKIM_LOG_LEVEL": "WARNING",
        "SIKIM_PUBLIC_CACHE_SECONDS": "0",
        "SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR": "0",  # the whole bench comes from 127.0.0.1
        "SIKIM_QUIET_HOURS": "",
        "SIKIM_SMS_WEBHOOK_SECRET": SMS_SECRET,
        "SIKIM_TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "SIKIM_WHATSAPP_APP_SECRET": WHATSAPP_APP_SECRET,
        "DJANGO_SETTINGS_MODULE": "sikim_bench_settings",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    (workdir / "sikim_bench_settings.py").write_text(BENCH_SETTINGS)
    (workdir / "sikim_bench_urls.py").write_text(BENCH_URLS)
    return env


def run(env: dict[str, str], host: str, port: int, prepared: dict[str, list[str]], fakes: FakeProviders) -> bool:
    """Steps 3 to 6 against a running server; True when every submission was stored exactly once
    and every message got exactly one receipt."""
    villages, chats = prepared["villages"], prepared["telegram_chats"]
    # Warm-up: each worker imports and answers every path once before anything is measured.
    warmup = submissions_for(host, port, range(WARMUP_SUBMISSIONS), villages, chats[-WARMUP_SUBMISSIONS:], "pemanasan")
    failed = [outcome for outcome in burst(host, port, warmup)[0] if not outcome.ok]
    if failed:
        sys.exit(f"warm-up: {failed[0].submission.path} answered {failed[0].status}: {failed[0].body[:500]!r}")

    distinct = submissions_for(host, port, range(SUBMISSIONS), villages, chats)
    messages = [submission for submission in distinct if submission.path != "web form"]
    copies = [dataclasses.replace(submission, duplicate=True) for submission in messages[::DUPLICATE_EVERY]]
    print(
        f"\n3. Burst: {len(distinct)} distinct submissions ("
        + ", ".join(f"{sum(s.path == p for s in distinct)} {p}" for p in PATHS)
        + f") and {len(copies)} second deliveries of webhook messages, released at once"
    )
    load_before = os.getloadavg()[0]
    outcomes, wall = burst(host, port, distinct + copies)
    load_after = os.getloadavg()[0]
    late, _ = burst(host, port, copies)  # a third delivery, after the first ones were answered
    print(HEADER)
    for path in PATHS:
        print(
            latency_line(
                path, [o.seconds for o in outcomes if o.submission.path == path and not o.submission.duplicate]
            )
        )
    print(latency_line("second deliveries (during the burst)", [o.seconds for o in outcomes if o.submission.duplicate]))
    print(latency_line("every request of the burst", [o.seconds for o in outcomes]))
    rate = len(distinct) / wall
    print(f"   {wall:.2f} s from the release to the last answer: {rate:.0f} submissions/s")

    # The same paths one request at a time: what one submission costs, with no queue in front of it.
    numbers = range(SUBMISSIONS, SUBMISSIONS + SEQUENTIAL_PER_PATH * len(PATHS))
    sequential = [send(host, port, s) for s in submissions_for(host, port, numbers, villages, chats, "seri")]
    trivial_one = [send(host, port, Submission("trivial", "", "", "/bench/trivial/", "GET")) for _ in numbers]
    print(f"   one at a time ({SEQUENTIAL_PER_PATH} per path, after the burst):")
    for path in PATHS:
        times = [o.seconds for o in sequential if o.submission.path == path]
        print(latency_line(path, times, f"= {WORKERS / statistics.median(times):.0f}/s for {WORKERS} workers"))
    print(latency_line("trivial view (200 B)", [o.seconds for o in trivial_one]))
    failed = [outcome for outcome in outcomes + late + sequential if not outcome.ok]
    if failed:
        print(f"   FAILED requests: {len(failed)}, e.g. {failed[0].submission.path} answered {failed[0].status}:")
        print(f"   {failed[0].body[:300]!r}")

    expected = distinct + warmup + [o.submission for o in sequential]
    once, lost, twice, rows = count_stored(env, expected)
    webhook_outcomes = [o for o in outcomes + late + sequential if o.submission.path != "web form"]
    reported = sum(created_by(o) for o in webhook_outcomes)
    created = len(messages) + sum(o.submission.path != "web form" for o in sequential)
    ok = once == len(expected) and not twice and not failed and reported == created
    print(
        f"\n4. Counted in the database: {len(rows)} aspirations (3 demo, {len(warmup)} warm-up, "
        f"{len(distinct)} of the burst, {len(sequential)} one at a time)"
    )
    print(
        f"   stored exactly once: {once}/{len(expected)}; lost: {len(lost)}; stored more than once: "
        f'{len(twice)} (after {len(copies) * 2} repeated deliveries); webhooks answering "created": {reported} '
        f"for {created} messages  {'OK' if ok else 'FAILED'}"
    )
    for key in (lost + twice)[:5]:
        print(f"   e.g. {key}")

    print(f"\n5. Physical limit in the same run, same burst shape ({SUBMISSIONS} requests at once, x{BASELINE_ROUNDS})")
    trivial, trivial_rps = baseline(host, port, lambda n: Submission("trivial", "", "", "/bench/trivial/", "GET"))
    inserts, insert_rps = baseline(
        host, port, lambda n: Submission("insert", "", "", "/bench/insert/", body=aspiration_text(marker(n)).encode())
    )
    raw_rows, raw_seconds = run_child(env, __file__, "--child-raw-insert").split()
    raw_rate = int(raw_rows) / float(raw_seconds)
    print(HEADER + "  req/s")
    print(latency_line("trivial view (200 B)", trivial, f"{trivial_rps:.0f}"))
    print(latency_line("view doing one INSERT", inserts, f"{insert_rps:.0f}"))
    print(f"   raw INSERT, one row per transaction, one process: {raw_rate:,.0f} rows/s")
    p95 = percentile([o.seconds for o in outcomes], 0.95)
    print(
        f"\n   Submissions: {rate:.0f}/s = {rate / insert_rps:.2f}x the one-INSERT view's requests/s "
        f"({rate / trivial_rps:.2f}x the trivial view's); p95 {p95 * 1000:.0f} ms = "
        f"{p95 / percentile(trivial, 0.95):.1f}x the trivial view's p95 under the same burst."
    )
    print(
        f"   Load average: {load_before:.2f} before the burst, {load_after:.2f} after it, "
        f"{os.getloadavg()[0]:.2f} at the end (CPUs: {os.cpu_count()})"
    )

    drained = drain_queue(env)
    tally, repeated = check_replies(rows, fakes.stop())
    replies_ok = repeated == 0 and all(
        counts[1] == counts[2] == 0 for channel, counts in tally.items() if channel != "web"
    )
    print(
        f"\n6. Replies: a task worker emptied the queue in {drained:.1f} s (after the measurements); the fake "
        f"providers received {len(fakes.stop())} messages, {repeated} of them twice  {'OK' if replies_ok else 'FAILED'}"
    )
    print("   the ticket code reached the sender on their own channel (web form: SMS to the contact phone):")
    for channel, (one, none, several) in sorted(tally.items()):
        print(f"   {channel:<9} exactly once {one}, never {none}, more than once {several}")
    return ok and replies_ok


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="sikim-bench-aspirations-"))
    env = bench_env(workdir)
    started_postgres = False
    server: subprocess.Popen[bytes] | None = None
    fakes: FakeProviders | None = None
    ok = False
    try:
        if POSTGRES:
            started_postgres = postgres_prepare()
            env["DATABASE_URL"] = POSTGRES_BENCH_URL
        engine = "PostgreSQL (127.0.0.1:54329, fsync off)" if POSTGRES else "SQLite (WAL)"
        print(f"{engine}; data folder {workdir}; CPUs: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
        started = time.perf_counter()
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        prepared = json.loads(run_child(env, __file__, "--child-prepare"))
        print(
            f"1. Database migrated, regions of 63 and 51, demo data and {len(prepared['telegram_chats'])} linked "
            f"Telegram chats in {time.perf_counter() - started:.1f} s; {len(prepared['villages'])} villages have a KIM"
        )
        fakes = FakeProviders()
        env.update(fakes.settings)
        host, port = "127.0.0.1", free_port()
        server = start_gunicorn(env, host, port)
        print(f"2. gunicorn {WORKERS} sync workers on {host}:{port}; fake SMS, Telegram and WhatsApp servers up")
        ok = run(env, host, port, prepared, fakes)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if fakes is not None:
            fakes.stop()
        if started_postgres:
            subprocess.run([SCALE_SERVICES, "stop"], check=False, stdout=subprocess.DEVNULL)
        shutil.rmtree(workdir, ignore_errors=True)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    children = {"--child-prepare": child_prepare, "--child-count": child_count, "--child-raw-insert": child_raw_insert}
    if len(sys.argv) > 1 and sys.argv[1] in children:
        sys.path.insert(0, str(ROOT))
        children[sys.argv[1]]()
    else:
        main()

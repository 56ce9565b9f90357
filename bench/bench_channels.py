"""Messages per second per worker process through the SMS and Telegram channels.

    .venv/bin/python bench/bench_channels.py [messages]      # default 20,000 per run; ~20 s

The fake SMS gateway and fake Telegram Bot API of the test suite (sikim/dissemination/tests/fakes)
run in a separate process on 127.0.0.1, so the sender's process does only the sender's work.
One sending process, one thread, one kept-alive connection — what a single task worker does —
sends `messages` messages through:

1. a raw loop of keep-alive `http.client` POSTs of the same JSON (the physical limit of this
   client/server pair: no channel code at all),
2. `SmsChannel.send()` (composition, GSM-7 segmentation, response mapping),
3. `TelegramChannel.send()`.

It prints messages/s for each and the ratio of each channel to the raw loop.
**Target: at least 1,000 messages/s per worker process through each channel.**
The provider's own rate limit (the token bucket of channels/registry.py) is not applied here:
this measures what the channel code costs, not how fast a provider lets us send.
"""

import http.client
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 1000.0


def serve(kind: str, conn) -> None:  # runs in the server process
    from sikim.dissemination.tests.fakes import FakeSmsGateway, FakeTelegramServer

    fake = FakeSmsGateway() if kind == "sms" else FakeTelegramServer()
    fake.start()
    conn.send((fake.url, fake.token))
    conn.recv()  # wait until told to stop
    conn.send(len(fake.received))
    fake.stop()


def start_server(kind: str):
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(target=serve, args=(kind, child), daemon=True)
    process.start()
    url, token = parent.recv()
    return process, parent, url, token


def stop_server(process, pipe) -> int:
    pipe.send("stop")
    received = pipe.recv()
    process.join(timeout=10)
    return received


def raw_loop(url: str, path: str, payload: dict, headers: dict, count: int) -> float:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    body = json.dumps(payload).encode()
    all_headers = {"Content-Type": "application/json", **headers}
    started = time.perf_counter()
    for _ in range(count):
        conn.request("POST", path, body=body, headers=all_headers)
        response = conn.getresponse()
        response.read()
        assert response.status < 300, response.status
    elapsed = time.perf_counter() - started
    conn.close()
    return count / elapsed


def channel_loop(channel, messages) -> float:
    started = time.perf_counter()
    for message in messages:
        channel.send(message)
    return len(messages) / (time.perf_counter() - started)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    import django
    from django.conf import settings

    sms_process, sms_pipe, sms_url, sms_token = start_server("sms")
    tg_process, tg_pipe, tg_url, tg_token = start_server("telegram")
    settings.configure(
        USE_I18N=False,
        SIKIM_SMS_GATEWAY_URL=f"{sms_url}/messages",
        SIKIM_SMS_GATEWAY_TOKEN=sms_token,
        SIKIM_TELEGRAM_BOT_TOKEN=tg_token,
        SIKIM_TELEGRAM_API_URL=tg_url,
    )
    django.setup()
    from sikim.dissemination.channels.base import OutgoingMessage
    from sikim.dissemination.channels.sms import SmsChannel
    from sikim.dissemination.channels.telegram import TelegramChannel

    text = "Posyandu Melati buka Sabtu pukul 08.00 di balai kelurahan Guntung Paikat. Bawa buku KIA."
    link = "https://sikim.example/b/abc123"
    sms_messages = [
        OutgoingMessage(address=f"+62812{n:08d}", subject="Posyandu", text=text, link=link) for n in range(count)
    ]
    tg_messages = [
        OutgoingMessage(address=str(100000 + n), subject="Posyandu", text=text, link=link) for n in range(count)
    ]
    print(f"bench_channels: {count:,} messages per run, 1 process, 1 connection; load average {os.getloadavg()[0]:.2f}")

    # Warm-up (imports, first connection), then the measured runs.
    raw_loop(
        sms_url, "/messages", {"to": "+6281200000000", "text": text}, {"Authorization": f"Bearer {sms_token}"}, 200
    )
    sms_raw = raw_loop(
        sms_url,
        "/messages",
        {"to": "+6281200000000", "text": f"{text} {link}"},
        {"Authorization": f"Bearer {sms_token}"},
        count,
    )
    sms = SmsChannel()
    channel_loop(sms, sms_messages[:200])
    sms_rate = channel_loop(sms, sms_messages)
    tg_raw = raw_loop(
        tg_url, f"/bot{tg_token}/sendMessage", {"chat_id": "100000", "text": f"{text}\n\n{link}"}, {}, count
    )
    telegram = TelegramChannel()
    channel_loop(telegram, tg_messages[:200])
    tg_rate = channel_loop(telegram, tg_messages)

    sms_received = stop_server(sms_process, sms_pipe)
    tg_received = stop_server(tg_process, tg_pipe)
    # Every message reached its fake: raw run + channel run + warm-ups.
    assert sms_received == 2 * count + 400, sms_received
    assert tg_received == 2 * count + 200, tg_received

    for label, rate, raw in (("SmsChannel", sms_rate, sms_raw), ("TelegramChannel", tg_rate, tg_raw)):
        verdict = "OK" if rate >= TARGET else "BELOW TARGET"
        print(
            f"  {label:<16} {rate:8,.0f} msg/s   raw keep-alive POST loop {raw:8,.0f} req/s   "
            f"ratio {rate / raw:.2f}   target >= {TARGET:,.0f} msg/s: {verdict}"
        )


if __name__ == "__main__":
    main()

"""Region tree benchmark: the import, and region search latency next to a trivial view.

    .venv/bin/python bench/bench_wilayah.py

1. A fresh SQLite database in a temporary folder: `manage.py import_wilayah` (all 91,599
   regions) with its wall time and peak memory, then a second run (which changes nothing).
2. gunicorn (2 sync workers, DEBUG off, static files collected) on 127.0.0.1, loaded by wrk
   with 2 connections for 10 s per target: a trivial view (200 bytes, same middleware), the
   API search and the htmx autocomplete partial, each over 200 real village names.
   The target: search p95 at most 3x the trivial view's p95.

Takes about a minute and a half. Nothing outside the temporary folder is touched.
"""

import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
MANAGE = str(ROOT / "manage.py")
WORKERS = 2
CONNECTIONS = 2
DURATION_S = 10
WARMUP_S = 2
QUERY_COUNT = 200
TARGET_RATIO = 3.0
SEED = 20250101

# A settings module and an urlconf written to the temporary folder: the site's own URLs
# plus one trivial view, so both go through the same middleware.
BENCH_SETTINGS = """\
from config.settings import *  # noqa: F403

ROOT_URLCONF = "sikim_bench_urls"
# Compressed but not hashed: the measured responses hold no static URLs, and a manifest
# would make the bench depend on every vendored file's source-map references.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
"""
BENCH_URLS = """\
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("x" * 200, content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *site_urlpatterns]
"""
# wrk: rotate over the paths in PATHS_FILE (one per line); print p50/p95/p99 in microseconds.
WRK_SCRIPT = """\
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
local htmx = os.getenv("HTMX") == "1"
local counter = 0
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 97)
  threads[#threads + 1] = thread
end

function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  local headers = {}
  if htmx then headers["HX-Request"] = "true" end
  return wrk.format("GET", paths[(counter % #paths) + 1], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def run_manage(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Run manage.py: wall seconds, the peak memory (MB) of that process alone (wait4), its output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, MANAGE, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{output}")
    return elapsed, usage.ru_maxrss / 1024, output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own 127.0.0.1 server)
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers start
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url} within {timeout_s} s")


def sample_village_names(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM wilayah_region WHERE level = 4 ORDER BY code")]
    return random.Random(SEED).sample(names, QUERY_COUNT)


def wrk(base_url: str, paths: list[str], workdir: Path, *, htmx: bool, seconds: int) -> dict[str, float]:
    paths_file = workdir / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    script = workdir / "rotate.lua"
    script.write_text(WRK_SCRIPT)
    env = {**os.environ, "PATHS_FILE": str(paths_file), "HTMX": "1" if htmx else "0"}
    result = subprocess.run(
        ["wrk", f"-t{CONNECTIONS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), base_url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", result.stdout, re.M)
    if not match:
        sys.exit(f"unexpected wrk output:\n{result.stdout}\n{result.stderr}")
    requests, duration_us, p50, p95, p99, errors = (int(value) for value in match.groups())
    return {
        "requests": requests,
        "rps": requests / (duration_us / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "errors": errors,
    }


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")
    workdir = Path(tempfile.mkdtemp(prefix="sikim-bench-wilayah-"))
    env = {
        **os.environ,
        "SIKIM_DATA_DIR": str(workdir),
        "SIKIM_ENV": "development",
        "SIKIM_DEBUG": "false",
        "SIKIM_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "sikim_bench_settings",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    (workdir / "sikim_bench_settings.py").write_text(BENCH_SETTINGS)
    (workdir / "sikim_bench_urls.py").write_text(BENCH_URLS)
    server = None
    try:
        print(f"Data folder: {workdir}  (CPUs: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f})")
        run_manage(env, "migrate", "--noinput", "-v", "0")
        run_manage(env, "collectstatic", "--noinput", "-v", "0")

        first_s, first_mb, first_out = run_manage(env, "import_wilayah")
        second_s, second_mb, second_out = run_manage(env, "import_wilayah")
        print("\n1. Import of the region tree (manage.py import_wilayah, fresh SQLite)")
        print(f"   first run:  {first_s:5.1f} s wall, peak memory {first_mb:4.0f} MB")
        print(f"               {first_out.strip().splitlines()[-1]}")
        print(f"   second run: {second_s:5.1f} s wall, peak memory {second_mb:4.0f} MB")
        print(f"               {second_out.strip().splitlines()[-1]}")

        names = sample_village_names(workdir / "sikim.sqlite3")
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi:application",
                f"--workers={WORKERS}",
                "--worker-class=sync",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
                f"--chdir={ROOT}",
            ],
            env=env,
        )
        wait_until_up(f"{base_url}/bench/trivial/")
        targets = [
            ("trivial view (200 B)", ["/bench/trivial/"], False),
            ("API /api/v1/wilayah/search", [f"/api/v1/wilayah/search?q={quote(name)}" for name in names], False),
            ("htmx partial /wilayah/cari/", [f"/wilayah/cari/?q={quote(name)}" for name in names], True),
        ]
        print(
            f"\n2. Latency: gunicorn {WORKERS} sync workers, wrk {CONNECTIONS} connections x {DURATION_S} s, "
            f"{QUERY_COUNT} village names rotating"
        )
        results = {}
        for label, paths, htmx in targets:
            wrk(base_url, paths, workdir, htmx=htmx, seconds=WARMUP_S)
            results[label] = wrk(base_url, paths, workdir, htmx=htmx, seconds=DURATION_S)
        print(f"   {'target':<30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for label, figures in results.items():
            print(
                f"   {label:<30} {figures['rps']:8.0f} {figures['p50']:8.2f} {figures['p95']:8.2f} "
                f"{figures['p99']:8.2f} {figures['errors']:7d}"
            )
        trivial_p95 = results[targets[0][0]]["p95"]
        for label, _, _ in targets[1:]:
            ratio = results[label]["p95"] / trivial_p95
            verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
            print(f"   p95 ratio {label} / trivial: {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x: {verdict})")
        print(f"   load average after the run: {os.getloadavg()[0]:.1f}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

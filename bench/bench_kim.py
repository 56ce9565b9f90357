"""KIM directory and profile pages on the national data set, next to a trivial view.

    .venv/bin/python bench/bench_kim.py

1. A fresh SQLite database in a temporary folder: the whole region tree (`import_wilayah`),
   then `generate_national --kims 12000 --members 1000000 --seed 1`, with its wall time and
   peak memory.
2. gunicorn (2 sync workers, DEBUG off, static files collected) on 127.0.0.1, loaded by wrk
   (2 connections, 10 s per target after a 2 s warm-up) as an anonymous visitor: a trivial
   view (same middleware), the directory filtered by a province (/kim/?provinsi=63), the
   directory rotating over all 38 provinces, and KIM profile pages rotating over 2,000 public
   KIMs. Twice: with the public page cache on as in production (SIKIM_PUBLIC_CACHE_SECONDS=60,
   every URL requested a few times just before its target is measured, so both workers hold
   a copy), then with it off (every request rendered), each run with its own trivial view.
   The target, with the cache on: p95 at most 50 ms and at most 3x the trivial view's p95.

Reuses the gunicorn/wrk helpers of bench/bench_wilayah.py. Takes 3 to 6 minutes (idle vs busy machine).
Set SIKIM_BENCH_KIM_DIR to a folder to keep the generated database there and reuse it on the
next run (generation is then skipped). Nothing else outside the temporary folder is touched.
"""

import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_wilayah import (  # noqa: E402 (the sibling bench script, not a package)
    BENCH_SETTINGS,
    BENCH_URLS,
    GUNICORN,
    ROOT,
    WORKERS,
    free_port,
    run_manage,
    wait_until_up,
    wrk,
)

KIMS = 12_000
MEMBERS = 1_000_000
GENERATION_SEED = 1
PROFILE_COUNT = 2_000
DURATION_S = 10
WARMUP_S = 2
TARGET_P95_MS = 50.0
TARGET_RATIO = 3.0
SEED = 20180727
CACHE_SECONDS = 60  # the production default of SIKIM_PUBLIC_CACHE_SECONDS
# Each URL is requested this many times before it is measured: gunicorn hands a request to
# whichever worker is free, and each worker keeps its own copies (LocMemCache), so a few
# requests per URL leave both workers holding one (a miss left over costs one render).
WARMUP_PASSES = 6
PUBLIC_STATUSES = ("dibentuk", "terdaftar", "aktif", "tidak_aktif")


def public_slugs(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        slugs = [
            row[0]
            for row in connection.execute(
                f"SELECT slug FROM kim_kim WHERE status IN ({','.join('?' * len(PUBLIC_STATUSES))}) ORDER BY slug",  # noqa: S608
                PUBLIC_STATUSES,
            )
        ]
    return random.Random(SEED).sample(slugs, min(PROFILE_COUNT, len(slugs)))


def province_codes(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [row[0] for row in connection.execute("SELECT code FROM wilayah_region WHERE level = 1 ORDER BY code")]


def counts(database: Path) -> tuple[int, int, int]:
    with sqlite3.connect(database) as connection:
        kims = connection.execute("SELECT COUNT(*) FROM kim_kim").fetchone()[0]
        members = connection.execute("SELECT COUNT(*) FROM kim_kimmember").fetchone()[0]
        in_63 = connection.execute(
            f"SELECT COUNT(*) FROM kim_kim WHERE region_id LIKE '63.%' AND status IN "  # noqa: S608
            f"({','.join('?' * len(PUBLIC_STATUSES))})",
            PUBLIC_STATUSES,
        ).fetchone()[0]
    return kims, members, in_63


def check_pages(base_url: str, paths: list[str]) -> None:
    """Every measured page answers 200 before it is measured (wrk would count errors silently)."""
    for path in paths:
        with urllib.request.urlopen(base_url + path, timeout=30) as response:  # noqa: S310 (our 127.0.0.1 server)
            if response.status != 200:
                sys.exit(f"{path} answered {response.status}")


def warm_up(base_url: str, paths: list[str], passes: int) -> float:
    """Request every URL `passes` times, as many at once as there are workers: seconds taken."""

    def fetch(path: str) -> None:
        with urllib.request.urlopen(base_url + path, timeout=30) as response:  # noqa: S310 (our 127.0.0.1 server)
            response.read()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(fetch, paths * passes))
    return time.perf_counter() - started


def measure(
    env: dict[str, str], workdir: Path, targets: list[tuple[str, list[str]]], *, passes: int
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Start gunicorn with `env`; warm up, then load each target with wrk; stop it."""
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
    try:
        wait_until_up(f"{base_url}/bench/trivial/")
        check_pages(base_url, [paths[0] for _, paths in targets])
        results, warmups = {}, {}
        for label, paths in targets:
            warmups[label] = warm_up(base_url, paths, passes)
            wrk(base_url, paths, workdir, htmx=False, seconds=WARMUP_S)
            results[label] = wrk(base_url, paths, workdir, htmx=False, seconds=DURATION_S)
        return results, warmups
    finally:
        server.terminate()
        server.wait(timeout=20)


def print_results(results: dict[str, dict[str, float]], trivial_label: str, *, judged: bool) -> None:
    trivial = results[trivial_label]
    print(
        f"   {'target':<30} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'p95 x trivial':>13} {'errors':>6}  verdict"
    )
    for label, figures in results.items():
        ratio = figures["p95"] / trivial["p95"]
        if label == trivial_label:
            verdict = "(reference)"
        elif not judged:
            verdict = "(for comparison)"
        else:
            ok = figures["p95"] <= TARGET_P95_MS and ratio <= TARGET_RATIO
            verdict = "ok" if ok else "OVER TARGET"
        print(
            f"   {label:<30} {figures['rps']:7.0f} {figures['p50']:7.2f} {figures['p95']:7.2f} "
            f"{figures['p99']:7.2f} {ratio:12.2f}x {figures['errors']:6d}  {verdict}"
        )


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")
    keep = os.environ.get("SIKIM_BENCH_KIM_DIR")
    workdir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="sikim-bench-kim-"))
    workdir.mkdir(parents=True, exist_ok=True)
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
    database = workdir / "sikim.sqlite3"
    try:
        print(f"Data folder: {workdir}  (CPUs: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f})")
        reuse = keep is not None and database.exists() and counts(database)[0] >= KIMS
        run_manage(env, "migrate", "--noinput", "-v", "0")
        run_manage(env, "collectstatic", "--noinput", "-v", "0")
        print("\n1. The national data set (fresh SQLite)")
        if reuse:
            print("   reusing the database generated earlier in SIKIM_BENCH_KIM_DIR")
        else:
            import_s, import_mb, _ = run_manage(env, "import_wilayah")
            print(f"   import_wilayah:    {import_s:6.1f} s wall, peak memory {import_mb:4.0f} MB")
            gen_s, gen_mb, gen_out = run_manage(
                env,
                "generate_national",
                "--kims",
                str(KIMS),
                "--members",
                str(MEMBERS),
                "--seed",
                str(GENERATION_SEED),
            )
            print(f"   generate_national: {gen_s:6.1f} s wall, peak memory {gen_mb:4.0f} MB")
            for line in gen_out.strip().splitlines():
                if not re.match(r"\s*members: [\d,]+/", line):  # not the progress lines
                    print(f"     {line.strip()}")
        kims, members, in_63 = counts(database)
        print(f"   database: {kims:,} KIMs, {members:,} members, {database.stat().st_size / 1e6:,.0f} MB")
        print(f"   public KIMs in Kalimantan Selatan (63): {in_63:,}")

        slugs = public_slugs(database)
        provinces = province_codes(database)
        targets = [
            ("trivial view", ["/bench/trivial/"]),
            ("directory /kim/?provinsi=63", ["/kim/?provinsi=63"]),
            ("directory, 38 provinces", [f"/kim/?provinsi={code}" for code in provinces]),
            (f"profiles, {len(slugs):,} KIMs", [f"/kim/{slug}/" for slug in slugs]),
        ]
        runs = [
            ("with the public page cache (SIKIM_PUBLIC_CACHE_SECONDS=60)", CACHE_SECONDS),
            ("without it (SIKIM_PUBLIC_CACHE_SECONDS=0), every request rendered", 0),
        ]
        for number, (title, seconds) in enumerate(runs, start=2):
            passes = WARMUP_PASSES if seconds else 1
            print(
                f"\n{number}. Latency {title}: anonymous visitors, gunicorn {WORKERS} sync workers, DEBUG off, "
                f"wrk 2 connections x {DURATION_S} s after {WARMUP_S} s" + f", every URL requested {passes}x before"
            )
            print(f"   load average before: {os.getloadavg()[0]:.1f}")
            results, warmups = measure(
                {**env, "SIKIM_PUBLIC_CACHE_SECONDS": str(seconds)}, workdir, targets, passes=passes
            )
            print_results(results, targets[0][0], judged=bool(seconds))
            print("   warm-up: " + ", ".join(f"{label} {took:.0f} s" for label, took in warmups.items()))
            if seconds and max(warmups.values()) + WARMUP_S + DURATION_S > seconds:
                # Copies made at the start of the warm-up expire before wrk is done: the
                # figures then include renders the cache would have spared on a quieter machine.
                print(f"   WARNING: a warm-up took longer than the {seconds} s the copies live: machine too busy")
            print(f"   load average after:  {os.getloadavg()[0]:.1f}")
        print(
            f"\n   target: p95 <= {TARGET_P95_MS:.0f} ms and <= {TARGET_RATIO:.0f}x the trivial view's p95 (cache on)"
        )
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Fan-out of one bulletin to 1,000,000 members: delivery rows per second vs a raw bulk insert.

    .venv/bin/python bench/bench_fanout.py

1. A fresh SQLite database in a temporary folder: the region tree (`import_wilayah`), then
   `generate_national --kims 12000 --members 1000000 --seed 1` (about 30 s).
2. In a child process: a national Forum KIM publishes one bulletin targeting every province,
   every KIM re-disseminating automatically, through the real services (`bulletin_publish`,
   then `fanout_create_deliveries`: one `INSERT … SELECT … ON CONFLICT DO NOTHING` per channel).
   The delivery creation is timed; the child's peak memory is read with wait4.
3. In another child process: the same (bulletin, member, channel) rows, read into memory first,
   are inserted with `executemany` in one transaction into a copy of the delivery table with the
   same columns, UNIQUE constraint and indexes (the physical limit of a bulk insert).
Prints both rates, the ratio (target >= 0.5) and the peak memory of each process.

Set SIKIM_BENCH_FANOUT_DIR to keep the generated database and reuse it on the next run (the
delivery rows of earlier runs are deleted first). Nothing outside that folder is touched.

    .venv/bin/python bench/bench_fanout.py --postgres

The same on PostgreSQL: the throw-away server of `make test-scale` (scripts/scale-services.sh,
127.0.0.1:54329) gets a database "sikim_bench_fanout", kept between runs (the national data set is
generated once). The raw side is measured twice on a copy of the delivery table (same columns,
UNIQUE, indexes and foreign keys): psycopg `executemany` (pipelined) and `COPY`, PostgreSQL's
fastest bulk load. The ratio is printed against both.
"""

import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = str(ROOT / "manage.py")
KIMS = 12_000
MEMBERS = 1_000_000
TARGET_RATIO = 0.5


def run(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Run a child: wall seconds, its own peak memory (MB, from wait4), its output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(args), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(args)} failed:\n{output}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, output


def child_fanout() -> None:
    import django

    django.setup()
    from django.db import connection

    from sikim.accounts.models import User
    from sikim.dissemination.models import (
        Bulletin,
        Delivery,
        FanOutRun,
        KimDisseminationSetting,
        KimInboxItem,
        RedisseminationMode,
    )
    from sikim.dissemination.services.bulletins import bulletin_create, bulletin_publish
    from sikim.dissemination.services.fanout import fanout_create_deliveries
    from sikim.forums.models import ForumLevel, KimForum
    from sikim.kim.models import Kim
    from sikim.wilayah.models import Region

    with connection.cursor() as cursor:  # earlier runs on a kept database
        cursor.execute("DROP TABLE IF EXISTS bench_delivery_raw")
    Delivery.objects.all().delete()
    FanOutRun.objects.all().delete()
    KimInboxItem.objects.all().delete()
    Bulletin.objects.all().delete()
    KimDisseminationSetting.objects.all().delete()
    KimDisseminationSetting.objects.bulk_create(
        [
            KimDisseminationSetting(kim_id=pk, mode=RedisseminationMode.AUTOMATIC)
            for pk in Kim.objects.values_list("pk", flat=True)
        ],
        batch_size=5000,
    )
    admin = User.objects.filter(email="bench-admin@sikim.test").first() or User.objects.create_superuser(
        email="bench-admin@sikim.test", password=None
    )
    forum, _ = KimForum.objects.get_or_create(
        slug="forum-kim-nasional-bench", defaults={"name": "Forum KIM Nasional", "level": ForumLevel.NASIONAL}
    )
    provinces = list(Region.objects.filter(level=1).values_list("pk", flat=True))
    bulletin = bulletin_create(
        actor=admin, publisher=forum, title="Siaga banjir", body_markdown="Waspada **banjir**.", regions=provinces
    )
    before_publish = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    bulletin = bulletin_publish(actor=admin, bulletin=bulletin)  # inbox items for every KIM, the run
    publish_s = time.perf_counter() - started
    run = FanOutRun.objects.get(bulletin=bulletin, kim__isnull=True)
    tracemalloc.start()
    started = time.perf_counter()
    created = fanout_create_deliveries(run=run)
    fanout_s = time.perf_counter() - started
    python_peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    started = time.perf_counter()
    again = fanout_create_deliveries(run=run)
    rerun_s = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "MEMORY process peak (RSS; on SQLite it includes the 256 MB mmap and 32 MB page cache):"
        f" {before_publish:.0f} MB before"
        f" publishing, {peak:.0f} MB after the fan-out;"
        f" Python objects allocated during the fan-out: {python_peak:.2f} MB"
    )
    print(f"RESULT {created} {fanout_s:.3f} {publish_s:.3f} {again} {rerun_s:.3f} {peak:.0f} {bulletin.pk}")


def child_raw(database: str, bulletin_id: str) -> None:
    connection = sqlite3.connect(database, isolation_level=None)
    # The same pragmas as the site's connections (config/settings.py), foreign keys checked too.
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        "cache_size=-32000",
        "mmap_size=268435456",
    ):
        connection.execute(f"PRAGMA {pragma}")
    rows = connection.execute(
        "SELECT bulletin_id, member_id, channel FROM dissemination_delivery WHERE bulletin_id = ?", (int(bulletin_id),)
    ).fetchall()
    ddl = [
        re.sub(r'INDEX "?(\w+)"?', r'INDEX "raw_\1"', sql.replace("dissemination_delivery", "bench_delivery_raw"))
        for (sql,) in connection.execute(
            "SELECT sql FROM sqlite_master"
            " WHERE tbl_name = 'dissemination_delivery' AND sql IS NOT NULL ORDER BY type DESC"
        )
    ]
    connection.execute("DROP TABLE IF EXISTS bench_delivery_raw")
    for statement in ddl:  # the table first ("table" sorts after "index" descending), then its indexes
        connection.execute(statement)
    started = time.perf_counter()
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO bench_delivery_raw (bulletin_id, member_id, channel) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", rows
    )
    connection.execute("COMMIT")
    raw_s = time.perf_counter() - started
    connection.execute("DROP TABLE bench_delivery_raw")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT {len(rows)} {raw_s:.3f} {peak:.0f}")


def child_raw_postgres(bulletin_id: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        rows = connection.execute(
            "SELECT bulletin_id, member_id, channel FROM dissemination_delivery WHERE bulletin_id = %s",
            (int(bulletin_id),),
        ).fetchall()
        timings = []
        for method in ("executemany", "copy"):
            connection.execute("DROP TABLE IF EXISTS bench_delivery_raw")
            # Same columns, defaults, UNIQUE, CHECKs and indexes; the foreign keys added by hand.
            connection.execute("CREATE TABLE bench_delivery_raw (LIKE dissemination_delivery INCLUDING ALL)")
            connection.execute(
                "ALTER TABLE bench_delivery_raw"
                " ADD FOREIGN KEY (bulletin_id) REFERENCES dissemination_bulletin (id) DEFERRABLE INITIALLY DEFERRED,"
                " ADD FOREIGN KEY (member_id) REFERENCES kim_kimmember (id) DEFERRABLE INITIALLY DEFERRED"
            )
            started = time.perf_counter()
            with connection.transaction():
                if method == "executemany":
                    with connection.cursor() as cursor:
                        cursor.executemany(
                            "INSERT INTO bench_delivery_raw (bulletin_id, member_id, channel) VALUES (%s, %s, %s)"
                            " ON CONFLICT DO NOTHING",
                            rows,
                        )
                else:
                    copy_sql = "COPY bench_delivery_raw (bulletin_id, member_id, channel) FROM STDIN"
                    with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
                        for row in rows:
                            copy.write_row(row)
            timings.append(time.perf_counter() - started)
        connection.execute("DROP TABLE bench_delivery_raw")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT {len(rows)} {timings[0]:.3f} {timings[1]:.3f} {peak:.0f}")


SEND_MESSAGES = 20_000
SEND_TARGET = 1_000.0


def child_send(bulletin_id: str) -> None:
    """The whole sender (claim, compose, send, record) for SEND_MESSAGES SMS deliveries, one
    process and one thread, to the fake SMS gateway running in another process."""
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_channels  # the fake-server helpers

    server, pipe, url, token = bench_channels.start_server("sms")
    os.environ.update(
        {
            "SIKIM_SMS_GATEWAY_URL": f"{url}/messages",
            "SIKIM_SMS_GATEWAY_TOKEN": token,
            "SIKIM_SMS_RATE_PER_SECOND": "1000000",  # measure our code, not the provider's limit
            "SIKIM_QUIET_HOURS": "",  # a night-time run would hold normal bulletins back
        }
    )
    import django

    django.setup()
    from sikim.dissemination.models import Delivery, DeliveryStatus
    from sikim.dissemination.services.sending import deliveries_send

    ids = list(
        Delivery.objects.filter(bulletin_id=int(bulletin_id), channel="sms", status=DeliveryStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)[:SEND_MESSAGES]
    )
    deliveries_send(delivery_ids=ids[:200])  # warm-up: imports, first connection
    measured = ids[200:]
    started = time.perf_counter()
    sent = 0
    for start in range(0, len(measured), 500):
        sent += deliveries_send(delivery_ids=measured[start : start + 500]).sent
    send_s = time.perf_counter() - started
    raw_rate = bench_channels.raw_loop(
        url,
        "/messages",
        {"to": "+6281200000000", "text": "x" * 120},
        {"Authorization": f"Bearer {token}"},
        len(measured),
    )
    received = bench_channels.stop_server(server, pipe)
    assert received == len(ids) + len(measured), received  # every message reached the gateway once
    print(f"RESULT {sent} {send_s:.3f} {raw_rate:.0f}")


def result(output: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return line.split()[1:]


POSTGRES_ADMIN_URL = "postgres://sikim:sikim@127.0.0.1:54329/sikim"
POSTGRES_BENCH_URL = "postgres://sikim:sikim@127.0.0.1:54329/sikim_bench_fanout"


def postgres_prepare() -> None:
    """Start the throw-away PostgreSQL of `make test-scale` and create the bench database once."""
    import psycopg

    subprocess.run([str(ROOT / "scripts" / "scale-services.sh"), "start"], check=True, stdout=subprocess.DEVNULL)
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = 'sikim_bench_fanout'").fetchone()
        if not exists:
            connection.execute("CREATE DATABASE sikim_bench_fanout")


def count_members(database: Path, *, active: bool = False) -> int:
    where = " WHERE is_active" if active else ""
    if POSTGRES:
        import psycopg

        with psycopg.connect(POSTGRES_BENCH_URL) as connection:
            row = connection.execute(f"SELECT count(*) FROM kim_kimmember{where}").fetchone()  # noqa: S608
    else:
        with sqlite3.connect(database) as connection:
            row = connection.execute(f"SELECT count(*) FROM kim_kimmember{where}").fetchone()  # noqa: S608
    return int(row[0]) if row else 0


POSTGRES = "--postgres" in sys.argv


def main() -> None:
    keep = os.environ.get("SIKIM_BENCH_FANOUT_DIR")
    workdir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="sikim-bench-fanout-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SIKIM_DATA_DIR": str(workdir),
        "SIKIM_ENV": "development",
        "SIKIM_DEBUG": "false",
        "SIKIM_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if POSTGRES:
        postgres_prepare()
        env["DATABASE_URL"] = POSTGRES_BENCH_URL
    database = workdir / "sikim.sqlite3"
    try:
        engine = "PostgreSQL (127.0.0.1:54329)" if POSTGRES else "SQLite"
        print(f"{engine}; data folder: {workdir}  (CPUs: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f})")
        run(env, PYTHON, MANAGE, "migrate", "--noinput", "-v", "0")
        members = count_members(database)
        if members < MEMBERS:
            seconds, _, _ = run(env, PYTHON, MANAGE, "import_wilayah")
            print(f"import_wilayah:    {seconds:6.1f} s")
            seconds, _, _ = run(
                env, PYTHON, MANAGE, "generate_national", "--kims", str(KIMS), "--members", str(MEMBERS), "--seed", "1"
            )
            print(f"generate_national: {seconds:6.1f} s")
        members = count_members(database, active=True)
        print(f"Active members: {members:,}")

        _, fanout_mb, output = run(env, PYTHON, __file__, "--child-fanout")
        created, fanout_s, publish_s, again, rerun_s, _, bulletin_id = result(output)
        print(next(line for line in output.splitlines() if line.startswith("MEMORY ")))
        rows = int(created)
        fanout_rate = rows / float(fanout_s)
        print(f"\nPublish (audience check, {KIMS:,} inbox items): {float(publish_s):.2f} s")
        print(f"Fan-out (INSERT … SELECT … ON CONFLICT per channel): {rows:,} rows in {float(fanout_s):.2f} s")
        print(f"   {fanout_rate:,.0f} rows/s; peak memory of that process {fanout_mb:.0f} MB")
        print(f"   re-run of the same fan-out: {int(again)} rows added in {float(rerun_s):.2f} s")

        if POSTGRES:
            _, raw_mb, output = run(env, PYTHON, __file__, "--child-raw-postgres", bulletin_id)
            raw_rows, raw_s, copy_s, _ = result(output)
        else:
            _, raw_mb, output = run(env, PYTHON, __file__, "--child-raw", str(database), bulletin_id)
            raw_rows, raw_s, _ = result(output)
        raw_rate = int(raw_rows) / float(raw_s)
        print(
            f"Raw executemany of the same {int(raw_rows):,} rows (same table, UNIQUE and indexes): {float(raw_s):.2f} s"
        )
        print(f"   {raw_rate:,.0f} rows/s; peak memory of that process {raw_mb:.0f} MB (all rows held in memory)")
        ratio = fanout_rate / raw_rate
        verdict = "OK" if ratio >= TARGET_RATIO else "BELOW TARGET"
        print(f"\nRatio fan-out / raw bulk insert: {ratio:.2f} (target >= {TARGET_RATIO}) {verdict}")
        if POSTGRES:
            copy_rate = int(raw_rows) / float(copy_s)
            print(f"COPY of the same rows (same table, UNIQUE, indexes, foreign keys): {float(copy_s):.2f} s")
            copy_ratio = fanout_rate / copy_rate
            verdict = "OK" if copy_ratio >= TARGET_RATIO else "BELOW TARGET"
            print(f"   {copy_rate:,.0f} rows/s; ratio fan-out / COPY: {copy_ratio:.2f} {verdict}")

        _, _, output = run(env, PYTHON, __file__, "--child-send", bulletin_id)
        sent, send_s, raw_post_rate = result(output)
        send_rate = int(sent) / float(send_s)
        verdict = "OK" if send_rate >= SEND_TARGET else "BELOW TARGET"
        print(
            f"\nSending {int(sent):,} SMS deliveries through the whole sender (claim, compose, send, record),"
            " 1 process, 1 thread, fake gateway in another process:"
        )
        print(
            f"   {send_rate:,.0f} msg/s (target >= {SEND_TARGET:,.0f}) {verdict};"
            f" raw keep-alive POST loop to the same gateway: {float(raw_post_rate):,.0f} req/s"
            f" (ratio {send_rate / float(raw_post_rate):.2f})"
        )
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-fanout":
        sys.path.insert(0, str(ROOT))
        child_fanout()
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-send":
        sys.path.insert(0, str(ROOT))
        child_send(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-raw-postgres":
        child_raw_postgres(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-raw":
        child_raw(sys.argv[2], sys.argv[3])
    else:
        main()

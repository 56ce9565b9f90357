#!/usr/bin/env python3
"""`make run`: get the database ready, then run the web server and the task worker together.

1. In a child process: migrate, import_wilayah (about 1 s when the regions are already
   loaded), create_pembina_offices, seed_demo, collectstatic (skipped when no static file changed).
2. gunicorn (config.wsgi) on 127.0.0.1:8000 and `manage.py run_huey`, each in its own
   process group so that Ctrl-C reaches them once, through this script.
3. Ctrl-C (SIGINT) or SIGTERM: gunicorn gets SIGTERM and Huey SIGINT (each one's graceful
   stop: requests and tasks in progress finish), we wait for both and exit 0. A second
   signal stops them at once. If either dies on its own, the other is stopped and we exit 1.

Run it with the project's virtualenv Python: `.venv/bin/python scripts/run.py [--port 8000]`.
"""

import argparse
import contextlib
import ctypes
import hashlib
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
STOP_TIMEOUT = 30.0
READY_TIMEOUT = 60.0


def prepare(accounts_file: Path) -> None:
    """Runs in a child process: everything the site needs before it can serve."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Django is imported here, in the child, so that the supervising process stays small.
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    print("» migrate", flush=True)
    call_command("migrate", interactive=False, verbosity=1)
    print("» import_wilayah", flush=True)
    call_command("import_wilayah")
    print("» create_pembina_offices", flush=True)
    call_command("create_pembina_offices")
    print("» seed_demo", flush=True)
    accounts = io.StringIO()
    call_command("seed_demo", stdout=accounts)
    accounts_file.write_text(accounts.getvalue())
    # collectstatic post-processes (hashes, compresses) every file on every run, which takes
    # half a minute: skip it when no static file changed since the last run.
    stamp = Path(settings.STATIC_ROOT) / ".sikim-collected"
    fingerprint = _static_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        print("» collectstatic: no static file changed", flush=True)
    else:
        print("» collectstatic", flush=True)
        call_command("collectstatic", interactive=False, verbosity=1)
        stamp.write_text(fingerprint)
    print(f"» ready in {time.perf_counter() - started:.1f} s", flush=True)


def _static_fingerprint() -> str:
    """Names, sizes and modification times of every static source file, and the storage used."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    digest.update("\n".join(sorted(entries)).encode())
    return digest.hexdigest()


def _child_setup() -> None:
    """In each child, before exec: our signals back to default, and die if this script dies."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, cwd=BASE_DIR, env=env, process_group=0, preexec_fn=_child_setup)


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _wait_until_ready(url: str, web: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline and web.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local URL
                return True
        except urllib.error.HTTPError:
            return True  # it answers; /healthz says what is wrong
        except OSError:
            time.sleep(0.2)
    return False


class Supervisor:
    """Keeps the web server and the worker running; stops both when told or when one dies."""

    # Each program's own graceful stop signal (requests and tasks in progress finish) and its
    # "stop now" signal.
    GRACEFUL = {"web": signal.SIGTERM, "worker": signal.SIGINT}
    NOW = {"web": signal.SIGINT, "worker": signal.SIGTERM}

    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stop_requested = 0  # how many stop signals we received
        self._signalled: set[str] = set()

    def on_signal(self, signum: int, _frame: object) -> None:
        self.stop_requested += 1
        graceful = self.stop_requested == 1
        print(
            f"\n» {signal.Signals(signum).name}: stopping {'gracefully' if graceful else 'now'}…",
            file=sys.stderr,
            flush=True,
        )
        self.signal_children(graceful=graceful)

    def signal_children(self, *, graceful: bool) -> None:
        for name, child in self.children.items():
            if child.poll() is not None or (graceful and name in self._signalled):
                continue
            self._signalled.add(name)
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, (self.GRACEFUL if graceful else self.NOW).get(name, signal.SIGTERM))

    def run(self) -> int:
        while not self.stop_requested:
            dead = [name for name, child in self.children.items() if child.poll() is not None]
            if dead:
                print(f"» the {' and '.join(dead)} process stopped on its own; stopping the rest.", file=sys.stderr)
                self.signal_children(graceful=True)
                self.wait_all()
                return 1
            time.sleep(0.2)
        # A child started just after the signal arrived has not been told yet.
        self.signal_children(graceful=True)
        return 0 if self.wait_all() else 1

    def wait_all(self) -> bool:
        deadline = time.monotonic() + STOP_TIMEOUT
        clean = True
        for name, child in self.children.items():
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                print(f"» the {name} process did not stop in {STOP_TIMEOUT:.0f} s; killing it.", file=sys.stderr)
                child.kill()
                child.wait()
                clean = False
        return clean


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--prepare", metavar="ACCOUNTS_FILE", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.prepare:
        prepare(Path(options.prepare))
        return 0

    env = dict(os.environ)
    env.setdefault("SIKIM_ENV", "development")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env["PYTHONUNBUFFERED"] = "1"

    if not _port_is_free(options.host, options.port):
        print(f"Port {options.port} on {options.host} is in use. Stop what runs there or use --port.", file=sys.stderr)
        return 1

    # Signal handlers first, so a Ctrl-C at any moment stops cleanly.
    supervisor = Supervisor()
    signal.signal(signal.SIGINT, supervisor.on_signal)
    signal.signal(signal.SIGTERM, supervisor.on_signal)

    with tempfile.TemporaryDirectory(prefix="sikim-run-") as tmp:
        accounts_file = Path(tmp) / "accounts.txt"
        prepare_child = _spawn([sys.executable, str(Path(__file__).resolve()), "--prepare", str(accounts_file)], env)
        supervisor.children["prepare"] = prepare_child
        returncode = prepare_child.wait()
        del supervisor.children["prepare"]
        if supervisor.stop_requested:
            return 0
        if returncode != 0:
            print("» preparing the database failed (see above).", file=sys.stderr)
            return returncode
        accounts = accounts_file.read_text()

    base_url = f"http://{options.host}:{options.port}"
    supervisor.children["web"] = _spawn(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            f"--bind={options.host}:{options.port}",
            f"--workers={options.web_workers}",
            "--graceful-timeout=10",
            "--timeout=60",
            "--no-control-socket",
            # Load the application once, then fork the workers: a faster start on a small machine.
            "--preload",
        ],
        env,
    )
    supervisor.children["worker"] = _spawn([sys.executable, "manage.py", "run_huey"], env)
    web, worker = supervisor.children["web"], supervisor.children["worker"]

    if _wait_until_ready(f"{base_url}/healthz", web) and not supervisor.stop_requested:
        print(
            f"\n  SIKIM runs at {base_url}/   (admin: {base_url}/admin/, health: {base_url}/healthz)\n\n"
            + "".join(f"  {line}\n" for line in accounts.splitlines())
            + f"\n  web server pid {web.pid}, task worker pid {worker.pid}."
            " Press Ctrl-C to stop both.\n",
            flush=True,
        )
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())

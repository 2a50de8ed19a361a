import logging
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

WORKER = [sys.executable, "-m", "jamsosdesa", "db_worker", "--no-startup-delay", "--interval", "0.5"]
GRACE_SECONDS = 20  # a worker in the middle of a job finishes it first; after this it is killed (the job expires)
WATCH_SECONDS = 1  # how often serve looks at its workers
CLEANUP_SECONDS = 300  # how often it fails lost jobs and removes files past their time (core.jobs.jobs_cleanup)
RESTART_MAX_SECONDS = 30  # a worker that keeps dying at once is restarted at most this often
logger = logging.getLogger(__name__)


def _die_with_parent() -> None:
    """In the worker, before it starts (Linux): if serve itself is killed outright, the worker is told to stop
    too, instead of running on without its server."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop(signum, frame):
    raise SystemExit(128 + signum)  # unwinds runserver, so the workers are stopped on the way out


class Command(BaseCommand):
    help = gettext_noop(
        "Jalankan server web dan pekerja latar (impor, pendaftaran skema) bersama: untuk demo dan instalasi kecil.")

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=settings.JOB_WORKERS,
                            help=gettext_lazy("Jumlah pekerja latar (bawaan: 2 untuk PostgreSQL, 1 untuk SQLite; "
                                       "env JAMSOSDESA_WORKERS)."))

    def handle(self, *args, addrport, workers, **options):
        if workers < 1:
            raise CommandError(_("--workers paling sedikit 1."))
        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        supervisor = Supervisor(workers, self.stdout)
        try:
            supervisor.start()
            call_command("runserver", addrport, use_reloader=False)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            supervisor.stop()


class Supervisor:
    """Keeps `count` workers running: one that dies (killed, crashed, out of memory) has the job it held failed
    at once, saying so, and is replaced; every few minutes lost jobs are failed and old files removed
    (core.jobs.jobs_cleanup). stop() ends the watching first, then the workers."""

    def __init__(self, count: int, stdout):
        self.count, self.stdout = count, stdout
        self.workers: list[subprocess.Popen] = []
        self.started_at: list[float] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.watch, name="jamsosdesa-workers", daemon=True)

    def start(self) -> None:
        for _n in range(self.count):
            self.workers.append(self.spawn())
            self.started_at.append(time.monotonic())
        self.thread.start()

    def spawn(self) -> subprocess.Popen:
        worker = subprocess.Popen(WORKER, preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        self.stdout.write(_("Pekerja latar berjalan (pid %(pid)s).") % {"pid": worker.pid})
        self.stdout.flush()
        return worker

    def watch(self) -> None:
        cleanup_at = 0.0  # at once: jobs held by workers that died with an earlier serve
        delays = [0.0] * self.count
        restart_at: dict[int, float] = {}  # worker slot -> when to start its replacement
        while not self.stopping.wait(WATCH_SECONDS):
            now = time.monotonic()
            died = False
            for n, worker in enumerate(self.workers):
                if worker.poll() is None or n in restart_at:
                    continue
                died = True  # its job fails below, at once; the worker is replaced (later if it died at once)
                lived = now - self.started_at[n]
                delays[n] = 0.0 if lived > RESTART_MAX_SECONDS else min(max(delays[n] * 2, 1.0), RESTART_MAX_SECONDS)
                restart_at[n] = now + delays[n]
                self.stdout.write(_("Pekerja latar pid %(pid)s berhenti (kode %(code)s); dijalankan lagi.")
                                  % {"pid": worker.pid, "code": worker.returncode})
            if died or now >= cleanup_at:
                self.cleanup()
                cleanup_at = time.monotonic() + CLEANUP_SECONDS
            for n, at in list(restart_at.items()):
                if time.monotonic() < at:
                    continue
                with self.lock:
                    if self.stopping.is_set():
                        return
                    self.workers[n] = self.spawn()
                    self.started_at[n] = time.monotonic()
                del restart_at[n]

    def cleanup(self) -> None:
        from jamsosdesa.core.jobs import jobs_cleanup
        from jamsosdesa.core.periodic import run_periodic

        try:
            jobs_cleanup()
        except Exception:  # noqa: BLE001 - a database not migrated yet, or busy: the next round tries again
            logger.exception("job clean-up failed")
        try:
            run_periodic()  # what packages registered (core.periodic), e.g. billing's monthly run
        finally:
            connections.close_all()

    def stop(self) -> None:
        with self.lock:
            self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=GRACE_SECONDS)
        stop_workers(self.workers)


def stop_workers(workers: list[subprocess.Popen]) -> None:
    """SIGTERM each worker (a worker between jobs exits at once, one in a job finishes it), then wait; kill
    whichever is still there after the grace period."""
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

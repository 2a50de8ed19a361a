import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

WORKER = [sys.executable, "-m", "jamsosdesa", "db_worker", "--no-startup-delay", "--interval", "0.5"]
GRACE_SECONDS = 20  # a worker in the middle of a job finishes it first; after this it is killed (the job expires)


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
                            help="Jumlah pekerja latar (bawaan: 2 untuk PostgreSQL, 1 untuk SQLite; "
                                 "env JAMSOSDESA_WORKERS).")

    def handle(self, *args, addrport, workers, **options):
        if workers < 1:
            raise CommandError(_("--workers paling sedikit 1."))
        started = []
        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for _n in range(workers):
                worker = subprocess.Popen(WORKER, preexec_fn=_die_with_parent if sys.platform == "linux" else None)
                started.append(worker)
                self.stdout.write(_("Pekerja latar berjalan (pid %(pid)s).") % {"pid": worker.pid})
            self.stdout.flush()
            call_command("runserver", addrport, use_reloader=False)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            stop_workers(started)


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

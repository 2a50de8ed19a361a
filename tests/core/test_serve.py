"""`jamsosdesa serve` starts background workers and stops them when it is stopped (a service manager's SIGTERM,
or Ctrl+C): no worker is left running on its own; a worker that dies is replaced, and the job it was running fails
at once, saying so. Real processes, a temporary SQLite database."""

import os
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads process states from /proc")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3", "JAMSOSDESA_VAR_DIR": str(folder),
           "PYTHONUNBUFFERED": "1"}
    subprocess.run([sys.executable, "-m", "jamsosdesa", "migrate", "--noinput"], env=env,
                   check=True, capture_output=True, timeout=300)
    return env


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_serve_stops_the_workers_it_started(env, how):
    port = _free_port()
    serve = subprocess.Popen([sys.executable, "-m", "jamsosdesa", "serve", f"127.0.0.1:{port}", "--workers", "2"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while (len(workers) < 2 or not _listening(port)) and time.monotonic() < deadline:
            ready, _w, _x = select.select([serve.stdout], [], [], 0.2)
            if ready:
                line = serve.stdout.readline()
                if "(pid " in line:
                    workers.append(int(line.split("(pid ")[1].split(")")[0]))
            assert serve.poll() is None, "serve stopped by itself"
        assert len(workers) == 2 and _listening(port), "serve did not come up"
        time.sleep(1)  # the workers are polling for tasks, not just starting
        assert all(_alive(pid) for pid in workers)

        serve.send_signal(how)
        serve.wait(timeout=60)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "a worker was left running"
        assert not _listening(port)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        serve.stdout.close()


class Serve:
    """A running `jamsosdesa serve` whose output is read as it comes."""

    def __init__(self, env, workers: int):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jamsosdesa", "serve", f"127.0.0.1:{self.port}", "--workers", str(workers)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []

    def read(self, seconds: float = 0.2) -> None:
        ready, _w, _x = select.select([self.process.stdout], [], [], seconds)
        if ready:
            self.lines.append(self.process.stdout.readline())

    def workers(self) -> list[int]:
        return [int(line.split("(pid ")[1].split(")")[0]) for line in self.lines if "berjalan (pid " in line]

    def wait_for(self, what, seconds: float, message: str):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = what()
            if found:
                return found
            self.read()
            assert self.process.poll() is None, "serve stopped by itself:\n" + "".join(self.lines)
        raise AssertionError(message + "\n" + "".join(self.lines))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in self.workers():
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.process.stdout.close()


QUEUE = """
from django.core.files.uploadedfile import SimpleUploadedFile
from jamsosdesa.accounts.models import User
from jamsosdesa.imports.services import import_job_create
user, _new = User.objects.get_or_create(username="admin.serve", defaults={"role": "national_admin"})
rows = "".join(f"33111105059{i:05d};Orang {i};05-05-1990;L\\n" for i in range(ROWS))
upload = SimpleUploadedFile("desa.csv", ("nik;nama;tanggal_lahir;jenis_kelamin\\n" + rows).encode())
print("JOB", import_job_create(actor=user, upload=upload, desa="").pk)
"""


def _queue_import(env, rows: int) -> int:
    """Queue an import of `rows` rows as the page does (its task goes to the workers); its id."""
    done = subprocess.run([sys.executable, "-m", "jamsosdesa", "shell", "-c", QUEUE.replace("ROWS", str(rows))],
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    return int(done.stdout.split("JOB ")[1].split()[0])


def _job(env, pk: int) -> dict:
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path, timeout=10) as db:
        row = db.execute("SELECT status, message, worker, file_path FROM imports_importjob WHERE id = ?",
                         [pk]).fetchone()
    return dict(zip(["status", "message", "worker", "file_path"], row, strict=True))


def test_a_killed_worker_fails_its_job_at_once_and_is_replaced(env):
    serve = Serve(env, workers=1)
    try:
        (first,) = serve.wait_for(serve.workers, 60, "serve did not start its worker")
        big = _queue_import(env, 50_000)  # long enough to be killed in the middle
        serve.wait_for(lambda: _job(env, big)["status"] == "running", 60, "the worker did not take the job")
        assert f":{first}:" in _job(env, big)["worker"]

        os.kill(first, signal.SIGKILL)
        lost = serve.wait_for(lambda: _job(env, big)["status"] == "failed" and _job(env, big), 15,
                              "the killed worker's job was not failed")
        assert "berhenti di tengah jalan" in lost["message"]
        assert os.path.exists(lost["file_path"])  # kept for "Coba lagi"
        second = serve.wait_for(lambda: [p for p in serve.workers() if p != first], 30, "no new worker")[0]
        assert _alive(second) and not _alive(first)

        small = _queue_import(env, 3)
        serve.wait_for(lambda: _job(env, small)["status"] == "done", 60, "the new worker did not run a job")
        assert f":{second}:" in _job(env, small)["worker"]
    finally:
        serve.close()
    assert not any(_alive(pid) for pid in serve.workers()), "a worker was left running"

"""`jamsosdesa serve` starts background workers and stops them when it is stopped (a service manager's SIGTERM,
or Ctrl+C): no worker is left running on its own. Real processes, a temporary SQLite database."""

import os
import select
import signal
import socket
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
    # The workers need only the task table; the web server starts without the rest.
    subprocess.run([sys.executable, "-m", "jamsosdesa", "migrate", "django_tasks_database", "--noinput"], env=env,
                   check=True, capture_output=True, timeout=120)
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

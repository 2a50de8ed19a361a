"""The server refuses to start without a secret key unless it is the demo, which stores its own under var/."""

import os
import stat
import subprocess
import sys


def run_cli(*args, var_dir, **env_extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith("JAMSOSDESA_")}
    env.update(DJANGO_SETTINGS_MODULE="jamsosdesa.settings", JAMSOSDESA_VAR_DIR=str(var_dir),
               DATABASE_URL=f"sqlite:///{var_dir}/db.sqlite3", **env_extra)
    return subprocess.run([sys.executable, "-m", "jamsosdesa", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_without_a_secret_key_the_server_refuses_to_start(tmp_path):
    result = run_cli("check", var_dir=tmp_path)
    assert result.returncode != 0
    assert "JAMSOSDESA_SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_a_secret_key_from_the_environment_is_used(tmp_path):
    result = run_cli("check", var_dir=tmp_path, JAMSOSDESA_SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_the_demo_stores_a_private_key_under_var_and_uses_it(tmp_path):
    result = run_cli("demo-secret-key", var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert run_cli("demo-secret-key", var_dir=tmp_path).returncode == 0
    assert key_file.read_text().strip() == key  # kept, not replaced
    shown = run_cli("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", var_dir=tmp_path)
    assert shown.stdout.strip().splitlines()[-1] == key

"""A command run before `jamsosdesa migrate` (a fresh var/, a DATABASE_URL to a new database) says in one line what
to do, in the chosen language, and ends with 1: not a database traceback about a missing table."""

import os
import uuid

import pytest
from django.db import connection

from tests.test_cli_help import run_cli


def _empty_postgresql_database():
    """A new, empty database beside the test database: created and dropped here, outside any transaction."""
    import psycopg

    settings = connection.settings_dict
    name = f"jsd_unmigrated_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                            user=settings["USER"], password=settings["PASSWORD"] or None, dbname="postgres",
                            autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    host = f"{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgresql://{host}/{name}", lambda: (admin.execute(f'DROP DATABASE "{name}"'), admin.close())


@pytest.fixture
def empty_database(tmp_path):
    """An empty SQLite file; on a PostgreSQL run, an empty PostgreSQL database (the ProgrammingError path)."""
    if connection.vendor == "postgresql":
        url, drop = _empty_postgresql_database()
        yield url
        drop()
    else:
        path = tmp_path / "kosong.sqlite3"
        path.touch()
        yield f"sqlite:///{path}"


@pytest.mark.parametrize(("lang", "words"), [(None, "Basis data belum disiapkan"),
                                             ("en", "The database is not set up yet")])
def test_a_command_on_an_unmigrated_database_says_to_migrate(empty_database, tmp_path, lang, words):
    args = ["regions", "search", "krajan", *(["--lang", lang] if lang else [])]
    result = run_cli(*args, env_extra={"DATABASE_URL": empty_database, "JAMSOSDESA_VAR_DIR": str(tmp_path),
                                       "JAMSOSDESA_SECRET_KEY": "x", "PYTHONPATH": os.getcwd()})
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr
    assert "jamsosdesa migrate" in lines[0] and "jamsosdesa regions load" in lines[0]
    assert "Traceback" not in result.stderr

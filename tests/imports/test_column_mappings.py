"""Issue 11, "Leaks and abuse" 7: saved column mappings belonged to nobody, so one user's mapping overwrote
another's of the same name. A mapping belongs to the user who saved it and may be shared in their regions."""

import io
import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jamsosdesa.core.roles import Role
from jamsosdesa.imports.forms import UploadForm
from jamsosdesa.imports.models import ColumnMapping, ImportJob
from jamsosdesa.imports.selectors import mapping_resolve, mappings_visible
from jamsosdesa.imports.services import mapping_save
from tests.conftest import DESA_A, DESA_C, make_user

pytestmark = pytest.mark.django_db

OURS = {"nik": "No Induk", "full_name": "Nama Warga", "birth_date": "Tgl Lahir"}
THEIRS = {"nik": "NIK", "full_name": "NAMA", "birth_date": "TGL"}
DATA = b"No Induk;Nama Warga;Tgl Lahir\n3311110505900003;Sugeng;05-05-1990\n"


@pytest.fixture
def official(db):
    return make_user("pemkab", Role.DISTRICT_OFFICIAL, ["33.11"])  # Kab. Sukoharjo, holds desa A


@pytest.fixture
def far_operator(db):
    return make_user("op_c", Role.VILLAGE_OPERATOR, [DESA_C])  # Gianyar, Bali


def test_two_users_saving_the_same_name_each_keep_their_own(operator_a, operator_b):
    mine = mapping_save(actor=operator_a, name="Sheet kecamatan", columns=OURS)
    theirs = mapping_save(actor=operator_b, name="Sheet kecamatan", columns=THEIRS)
    mine.refresh_from_db()
    assert mine.pk != theirs.pk and mine.columns == OURS and mine.owner == operator_a
    assert theirs.columns == THEIRS and theirs.owner == operator_b
    again = mapping_save(actor=operator_a, name="Sheet  kecamatan", columns={**OURS, "sex": "JK"})
    assert again.pk == mine.pk and ColumnMapping.objects.count() == 2  # one's own is replaced, no one else's


def test_a_mapping_is_private_unless_shared_and_then_only_where_regions_overlap(operator_a, operator_b, official,
                                                                               far_operator, admin_user):
    private = mapping_save(actor=operator_a, name="Pribadi", columns=OURS)
    shared = mapping_save(actor=operator_a, name="Bersama", columns=OURS, shared=True)
    assert set(mappings_visible(operator_a)) == {private, shared}
    assert set(mappings_visible(official)) == {shared}  # Kab. Sukoharjo contains desa A
    assert set(mappings_visible(operator_b)) == set()  # desa B: a neighbour, not an overlap
    assert set(mappings_visible(far_operator)) == set()
    assert set(mappings_visible(admin_user)) == {shared}
    from_above = mapping_save(actor=official, name="Kabupaten", columns=THEIRS, shared=True)
    assert set(mappings_visible(operator_b)) == {from_above}  # desa B lies in the official's kabupaten
    assert set(mappings_visible(far_operator)) == set()


def test_a_name_resolves_to_ones_own_mapping_first_then_a_shared_one(operator_a, official):
    shared = mapping_save(actor=official, name="Sheet kecamatan", columns=THEIRS, shared=True)
    assert mapping_resolve(operator_a, "Sheet kecamatan") == shared
    own = mapping_save(actor=operator_a, name="Sheet kecamatan", columns=OURS)
    assert mapping_resolve(operator_a, "Sheet kecamatan") == own
    assert mapping_resolve(official, "Sheet kecamatan") == shared
    ColumnMapping.objects.filter(pk=shared.pk).update(shared=False)
    assert mapping_resolve(operator_a, "Nope") is None


def test_the_upload_page_offers_and_accepts_only_the_mappings_in_reach(operator_a, operator_b,
                                                                       django_capture_on_commit_callbacks):
    theirs = mapping_save(actor=operator_b, name="Milik desa B", columns=OURS)
    mine = mapping_save(actor=operator_a, name="Milik saya", columns=OURS)
    assert list(UploadForm(user=operator_a).fields["mapping"].queryset) == [mine]
    client = Client()
    client.force_login(operator_a)
    page = client.get("/impor/").content.decode()
    assert "Milik saya" in page and "Milik desa B" not in page

    def upload(mapping):
        return client.post("/impor/", {"file": SimpleUploadedFile("desa.csv", DATA), "desa": DESA_A,
                                       "format": "auto", "all_or_nothing": "0", "mapping": str(mapping.pk)})

    response = upload(theirs)
    assert response.status_code == 200 and ImportJob.objects.count() == 0  # not a valid choice
    with django_capture_on_commit_callbacks(execute=True):
        upload(mine)
    assert ImportJob.objects.get().summary["counts"]["new"] == 1


def test_saving_a_mapping_on_the_page_never_touches_another_users(operator_a, operator_b,
                                                                  django_capture_on_commit_callbacks):
    theirs = mapping_save(actor=operator_b, name="Sheet kecamatan", columns=THEIRS)
    client = Client()
    client.force_login(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/impor/", {"file": SimpleUploadedFile("desa.csv", DATA), "desa": DESA_A, "format": "auto",
                                "all_or_nothing": "0"})
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/impor/{job.pk}/pemetaan/", {"name": "Sheet kecamatan", "shared": "on",
                                                   **{f"col_{k}": v for k, v in OURS.items()}})
    job.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.columns == THEIRS and theirs.owner == operator_b and not theirs.shared
    assert job.mapping.owner == operator_a and job.mapping.shared and job.summary["counts"]["new"] == 1


def test_the_import_command_resolves_mapping_by_the_users_own_then_shared(operator_a, operator_b, official,
                                                                         tmp_path):
    path = tmp_path / "desa.csv"
    path.write_bytes(DATA)
    mapping_save(actor=operator_b, name="Sheet kecamatan", columns=OURS)  # not shared: not operator_a's to use

    def run_as(user):
        out = io.StringIO()
        call_command("import", "participants", str(path), "--desa", DESA_A, "--mapping", "Sheet kecamatan",
                     "--dry-run", "--quiet", "--user", user.username, stdout=out)
        return out.getvalue()

    with pytest.raises(CommandError, match="Sheet kecamatan"):
        run_as(operator_a)
    mapping_save(actor=official, name="Sheet kecamatan", columns=OURS, shared=True)
    assert "baru" in run_as(operator_a)


def test_the_migration_keeps_each_existing_mappings_creator_as_its_owner(tmp_path):
    database = tmp_path / "lama.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "JAMSOSDESA_VAR_DIR": str(tmp_path / "var")}
    env.pop("JAMSOSDESA_EXPECT_DB_VENDOR", None)

    def migrate(*target):
        subprocess.run([sys.executable, "-m", "jamsosdesa", "migrate", *target, "-v", "0"], env=env, check=True,
                       capture_output=True)

    migrate("imports", "0003")
    with sqlite3.connect(database) as db:
        required = [(name, kind) for _cid, name, kind, notnull, _default, pk in
                    db.execute("PRAGMA table_info(accounts_user)") if notnull and not pk]
        for pk in (1, 2):
            values = {name: f"u{pk}" if name == "username" else "2026-01-01" if "date" in kind.lower()
                      else 0 if kind.lower() in ("bool", "integer", "bigint") else "" for name, kind in required}
            db.execute(f"INSERT INTO accounts_user (id, {', '.join(values)}) VALUES (?{', ?' * len(values)})",
                       [pk, *values.values()])
        db.execute("INSERT INTO imports_columnmapping (name, columns, created_at, created_by_id) VALUES "
                   "('Sheet kecamatan', '{}', '2026-01-01', 2), ('Lain', '{}', '2026-01-01', 1)")
    migrate("imports")
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT name, owner_id, shared FROM imports_columnmapping ORDER BY name").fetchall()
    assert rows == [("Lain", 1, 0), ("Sheet kecamatan", 2, 0)]

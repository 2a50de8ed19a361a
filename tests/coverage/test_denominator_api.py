"""/api/v1/coverage/denominators: set, list, and import a file with its report per row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamsosdesa.accounts.models import ApiToken
from jamsosdesa.coverage.models import Denominator
from tests.conftest import api_client

from .region_fixtures import DESA_A, DESA_B, this_year

pytestmark = pytest.mark.django_db


def test_set_and_list_through_the_api(operator_a):
    call = api_client(operator_a)
    body = {"region": DESA_A, "year": this_year(), "count": 2500, "source": "village_count"}
    made = call("post", "/coverage/denominators", body)
    assert made.status_code == 200 and made.json()["source_label"] == "pendataan desa sendiri"
    listed = call("get", f"/coverage/denominators?region={DESA_A}").json()
    assert [(d["region"], d["count"]) for d in listed] == [(DESA_A, 2500)]
    for bad, status, code in [({"count": -1}, 422, "invalid"), ({"region": "33.99"}, 422, "invalid"),
                              ({"region": DESA_B}, 404, "not_found"), ({"region": "33.11"}, 403, "forbidden")]:
        answer = call("post", "/coverage/denominators", {**body, **bad})
        assert (answer.status_code, answer.json()["error"]["code"]) == (status, code), bad
    assert call("get", f"/coverage/denominators?region={DESA_B}").status_code == 404


def test_import_through_the_api_reports_each_row(official):
    _token, raw = ApiToken.issue(user=official, name="test")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    data = f"kode;tahun;jumlah;sumber\n33.11;{this_year()};480000;BPS\n33.77;{this_year()};5;BPS\n".encode()
    answer = client.post("/api/v1/coverage/denominators/import",
                         {"file": SimpleUploadedFile("bps.csv", data)})
    assert answer.status_code == 200, answer.content
    report = answer.json()
    assert not report["loaded"] and report["problems"][0]["row"] == 3 and not Denominator.objects.exists()
    answer = client.post("/api/v1/coverage/denominators/import",
                         {"file": SimpleUploadedFile("bps.csv", data), "partial": "true"})
    assert answer.json()["created"] == 1 and Denominator.objects.get().region_code == "33.11"
    broken = client.post("/api/v1/coverage/denominators/import",
                         {"file": SimpleUploadedFile("rusak.xlsx", b"PK\x03\x04 not a workbook")})
    assert broken.status_code == 422 and broken.json()["error"]["fields"]["file"]

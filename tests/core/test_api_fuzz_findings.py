"""What the schemathesis run (tests/fuzz/run_schemathesis.py) found, each kept as a regression test: every answer
is one the OpenAPI document declares, in the API's error shape, never a 500."""

import pytest
from django.test import Client

from jamsosdesa.accounts.models import ApiToken
from jamsosdesa.participants.models import Participant
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def refused_body(response):
    assert response.status_code == 422, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "validation_error" and list(error["fields"]) == ["body"], error
    return error


@pytest.mark.parametrize("body", ["\x00", "R\ufffd,", "{", "[null, null"])
def test_a_body_that_is_not_json_is_a_documented_422(admin_user, body):
    """django-ninja answered 400 ('Cannot parse request body'), a status no operation declares."""
    api = api_client(admin_user)
    for method, path in (("post", "/participants"), ("post", "/schemes"), ("patch", "/participants/3311110505900003")):
        refused_body(api(method, path, body))
    assert Participant.objects.count() == 0


def test_a_multipart_body_without_its_boundary_is_a_json_422_for_the_api(admin_user):
    """Reading such a body raised in the middleware that looks for NUL bytes: Django answered an HTML 400."""
    _token, raw = ApiToken.issue(user=admin_user, name="test")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    for path in ("/api/v1/schemes", "/api/v1/participants"):
        response = client.generic("POST", path, b"x=1", content_type="multipart/form-data")
        assert response["Content-Type"] == "application/json"
        refused_body(response)


def test_a_page_still_answers_400_for_a_multipart_body_without_its_boundary(operator_a):
    client = Client()
    client.force_login(operator_a)
    assert client.generic("POST", "/peserta/baru/", b"x=1", content_type="multipart/form-data").status_code == 400


@pytest.mark.parametrize("depth", [100_000, 950])
def test_a_deeply_nested_json_body_is_a_422_not_a_500(admin_user, depth):
    """Found by hand (issue 11 review): `[[[[...]]]]` a hundred thousand deep made the NUL-byte middleware's
    json.loads raise RecursionError, a 500; one just under Python's limit decoded but was too deep to walk."""
    api = api_client(admin_user)
    body = "[" * depth + "]" * depth
    for method, path in (("post", "/participants"), ("post", "/schemes"), ("patch", "/participants/3311110505900003")):
        response = api(method, path, body)
        assert response.status_code == 422, (depth, path, response.status_code)
        assert response.json()["error"]["code"] == "validation_error"
    assert Participant.objects.count() == 0


def test_a_body_over_the_size_or_field_limits_is_a_json_422_for_the_api(admin_user, settings):
    """Django's own refusal (RequestDataTooBig, TooManyFieldsSent) came out as the HTML 400 page under /api/."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = api_client(admin_user)
    response = api("post", "/participants", {"nik": "3311110505900003", "full_name": "x" * 2000})
    assert response["Content-Type"] == "application/json"
    assert "terlalu besar" in refused_body(response)["message"]
    _token, raw = ApiToken.issue(user=admin_user, name="fields")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    many = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.generic("POST", "/api/v1/schemes", many, content_type="application/x-www-form-urlencoded")
    assert response["Content-Type"] == "application/json"
    refused_body(response)
    assert Participant.objects.count() == 0

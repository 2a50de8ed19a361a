"""The same submission arriving twice at once (the service worker's background sync and "Kirim sekarang" side by
side) on PostgreSQL: one participant, and both answers name it. A transactional test: each thread has its own
connection and sees only what is committed."""

import threading
import time

import pytest
from django.db import connection

from jamsosdesa.agents import field
from jamsosdesa.agents.field import SubmissionRequest, client_submission_receive
from jamsosdesa.agents.models import ClientSubmission
from jamsosdesa.participants.models import Participant
from tests.browser.conftest import reference_data  # noqa: F401 (regions, occupations, rules; the flush's guard)

from .conftest import make_field_agent, worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def test_the_same_token_sent_twice_at_once_makes_one_participant(reference_data, monkeypatch):  # noqa: F811
    agent = make_field_agent("agen_balapan")
    real = field.actor_refusal

    def slow_refusal(user, on):  # the first one holds its token's row a moment, so the second one waits for it
        time.sleep(0.5)
        return real(user, on)

    monkeypatch.setattr(field, "actor_refusal", slow_refusal)
    request = SubmissionRequest(token="3f9a1c2e-5d4b-4e6f-8a7b-9c0d1e2f3a4b", kind="registration", data=worker())
    answers, errors = [], []

    def send():
        try:
            answers.append(client_submission_receive(actor=agent.user, request=request))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(a.replayed for a in answers) == [False, True]
    assert {a.submission.object_id for a in answers} == {Participant.objects.get(nik="3311114506900001").pk}
    assert ClientSubmission.objects.count() == 1

"""The demo has an outreach event whose page shows registrations and how many of them are still protected."""

from io import StringIO

import pytest
from django.core.management import call_command

from jamsosdesa.coverage.event_selectors import event_conversion
from jamsosdesa.coverage.models import OutreachEvent

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_outreach_event_with_registrations_some_still_protected():
    call_command("demo", stdout=StringIO())
    event = OutreachEvent.objects.get()
    result = event_conversion(event)
    assert result.registered > 0 and 0 < result.protected < result.registered
    call_command("demo", stdout=StringIO())  # again: nothing added
    assert OutreachEvent.objects.count() == 1 and event_conversion(event).registered == result.registered

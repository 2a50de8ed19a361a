"""The list's pages: keyset paging, and a total that is counted only when the answer does not fit on one page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jamsosdesa.participants.models import Participant
from jamsosdesa.participants.selectors import ParticipantFilter, participant_page
from tests.conftest import DESA_A
from tests.funding.conftest import people

pytestmark = pytest.mark.django_db


def counted(fn):
    """What `fn` returned, and whether it ran a COUNT query."""
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    return result, any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_an_answer_that_fits_on_one_page_is_not_counted_again(operator_a):
    people(30, DESA_A)
    whole, count_ran = counted(lambda: participant_page(user=operator_a, filters=ParticipantFilter()))
    assert (len(whole.items), whole.total, whole.total_capped) == (25, 30, False) and count_ran
    second, count_ran = counted(lambda: participant_page(user=operator_a, filters=ParticipantFilter(),
                                                         after=whole.next_after))
    assert (len(second.items), second.total, second.next_after) == (5, 30, None) and count_ran  # all, not this page

    three = [p.pk for p in Participant.objects.order_by("pk")[:3]]
    Participant.objects.filter(pk__in=three).update(full_name="Theresia Manurung", search_name="THERESIA MANURUNG")
    search = ParticipantFilter(q="theresia manurung")  # fewer than a page
    found, count_ran = counted(lambda: participant_page(user=operator_a, filters=search))
    assert (found.total, len(found.items), found.next_after, count_ran) == (3, 3, None, False)
    one, count_ran = counted(lambda: participant_page(user=operator_a, filters=ParticipantFilter(
        q=found.items[0].nik)))
    assert (one.total, [p.nik for p in one.items]) == (1, [found.items[0].nik]) and not count_ran

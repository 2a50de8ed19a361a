"""The demo's targets and denominators (coverage.demo_figures): set through coverage's services for the nation and
the demo's provinces, kabupaten and desa, once."""

import pytest

from jamsosdesa.core import clock
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.coverage.demo_figures import FIGURES, demo_figures
from jamsosdesa.coverage.denominators import denominator_for
from jamsosdesa.coverage.models import NATION, Denominator, Target
from jamsosdesa.coverage.targets import TargetRequest, target_for, target_set
from jamsosdesa.participants.demo import KRAJAN, demo_desa

pytestmark = pytest.mark.django_db


def test_the_demo_regions_get_this_years_target_and_denominator(admin_user):
    written = demo_figures()
    today = clock.today()
    codes = {NATION, "33", "51", "35", "12", "33.11", "33.10", "51.04", "35.25", "12.71"} | {
        c for c, _n in demo_desa()}
    assert written == 2 * len(codes)
    for code in codes:
        assert target_for(code, today) is not None, code
        assert denominator_for(code, today.year) is not None, code
    assert target_for(NATION, today).count == FIGURES[NATION][0]
    assert target_for(KRAJAN, today).count == 1_000  # the "at least 1,000 protected"
    assert denominator_for("33.11", today.year).count == FIGURES["33.11"][1]
    assert "contoh" in denominator_for("33.11", today.year).source  # says it is not an official figure


def test_running_it_again_changes_nothing(admin_user):
    demo_figures()
    events = AuditEvent.objects.count()
    rows = (Target.objects.count(), Denominator.objects.count())
    assert demo_figures() == 0
    assert AuditEvent.objects.count() == events
    assert (Target.objects.count(), Denominator.objects.count()) == rows


def test_a_target_changed_since_is_kept(admin_user):
    demo_figures()
    target_set(actor=admin_user, request=TargetRequest(region=KRAJAN, year=clock.today().year, count=1_200))
    demo_figures()
    assert target_for(KRAJAN, clock.today()).count == 1_200


def test_without_the_demo_admin_nothing_is_set(db):
    assert demo_figures() == 0
    assert not Target.objects.exists()

"""A registry keeps its entries in the order they were registered; an entry asked to come before another goes in
front of it, and an order that cannot be kept (the other is not registered) is a configuration error, never an
entry quietly added at the end (the demo's wadah would then run after the ledger that needs it)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from jamsosdesa.core.registry import Registry


def test_an_entry_goes_before_the_one_it_names():
    steps = Registry("steps")
    steps.register("a", 1)
    steps.register("c", 3)
    steps.register("b", 2, before="c")
    assert list(steps) == [1, 2, 3]


def test_before_an_entry_that_is_not_there_is_refused():
    steps = Registry("steps")
    steps.register("a", 1)
    with pytest.raises(ImproperlyConfigured):
        steps.register("b", 2, before="missing")
    assert list(steps) == [1]

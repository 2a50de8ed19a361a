"""Fixtures every claims test may ask for by name."""

import pytest

from tests.claims.file_world import branch_officer


@pytest.fixture
def officer():
    """The branch officer of Sukoharjo who processes Krajan's claims."""
    return branch_officer()

from __future__ import annotations

import pytest

from tests.directory.factories import World, make_world


@pytest.fixture
def world(state_a) -> World:
    """State A's public and restricted entries, with a marker in every field."""
    return make_world(state_a)

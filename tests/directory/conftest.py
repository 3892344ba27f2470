import pytest

from tests.directory.factories import World, make_world


@pytest.fixture
def world(state_a) -> World:
    return make_world(state_a)

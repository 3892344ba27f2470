import pytest

from tests.directory.factories import World, make_world


@pytest.fixture
def world(state_a) -> World:
    return make_world(state_a)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Generated editions go to a temporary folder, not the installation's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"

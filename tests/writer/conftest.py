import pytest

from tests.writer.factories import WriterWorld, make_writer_world


@pytest.fixture
def writer_world(reference_data: None) -> WriterWorld:
    return make_writer_world()

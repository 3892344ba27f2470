"""The writer's pages run a bounded number of queries, whatever the request holds."""

from __future__ import annotations

import pytest

from palermo.writer import services
from tests.personas import client_for
from tests.writer.factories import COMPLETE_CONTENT, make_draft

pytestmark = pytest.mark.django_db

# session, user, the user's memberships (once), then the page's own
BOUND = 22


@pytest.mark.parametrize("path", ["", "start/", "parties/", "measures/", "case/", "persons/",
                                  "assistance/", "procedure/", "contact/", "share/"])
def test_pages_are_bounded_even_with_many_rows(writer_world, path,
                                                django_assert_max_num_queries):
    draft = make_draft(writer_world)
    many = {key: COMPLETE_CONTENT[key] * 40 for key in ("persons", "accounts", "annexes")}
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="test", content=many)
    client = client_for(writer_world.author)
    client.get("/en/requests/")  # session warm-up
    with django_assert_max_num_queries(BOUND):
        assert client.get(f"/en/requests/{draft.pk}/{path}").status_code == 200


def test_the_list_is_bounded(writer_world, django_assert_max_num_queries):
    for number in range(15):
        make_draft(writer_world, title=f"Case {number}")
    client = client_for(writer_world.author)
    client.get("/en/requests/")
    with django_assert_max_num_queries(8):
        assert client.get("/en/requests/").status_code == 200

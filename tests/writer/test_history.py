"""The request's history page: who did what and when, and each version with what changed."""

from __future__ import annotations

import html as html_text
import re

import pytest

from palermo.writer import services
from palermo.writer.models import Draft, TranslationStatus
from tests.personas import client_for
from tests.writer.factories import MARKER, make_draft

pytestmark = pytest.mark.django_db


def history_url(draft: Draft, language: str = "en") -> str:
    return f"/{language}/requests/{draft.pk}/history/"


def rows_of(html: str) -> list[str]:
    """The rows of the events table, as text."""
    table = html.split('id="events-heading"', 1)[1].split("</table>", 1)[0]
    return [html_text.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip()
            for row in table.split("<tr>")[2:]]


def test_each_step_of_the_review_is_in_the_history_with_who_and_when(writer_world):
    world = writer_world
    draft = make_draft(world)
    draft = services.draft_save(draft=draft, user=world.author, version=draft.version,
                                section="case", content={"facts": "Funds moved in 2025."})
    services.draft_share(draft=draft, user=world.author, colleagues=[world.colleague])
    draft = services.draft_submit(draft=draft, user=world.author, version=draft.version,
                                  note="Please look at the accounts.")
    services.review_comment(draft=draft, user=world.reviewer, section="persons",
                            text="Give the holder's nationality.")
    draft = services.review_return(draft=draft, user=world.reviewer, version=draft.version,
                                   note="See the comment.")
    draft = services.draft_submit(draft=draft, user=world.author, version=draft.version)
    draft = services.review_approve(draft=draft, user=world.reviewer, version=draft.version,
                                    translation_status=TranslationStatus.DONE)
    services.record_document(draft=draft, user=world.author, filename="request-en.docx")

    response = client_for(world.author).get(history_url(draft))
    assert response.status_code == 200
    rows = rows_of(response.content.decode())
    author, reviewer = str(world.author), str(world.reviewer)
    expected = [
        (author, "Created", ""), (author, "Saved", ""),
        (author, "Saved", "The case, the offences and the law"),
        (author, "Sharing changed", str(world.colleague)),
        (author, "Submitted for review", "Please look at the accounts."),
        (reviewer, "Commented", "Give the holder's nationality."),
        (reviewer, "Returned for changes", "See the comment."),
        (author, "Submitted for review", ""), (reviewer, "Approved", ""),
        (author, "Document produced", "request-en.docx"),
    ]
    assert len(rows) == len(expected)
    for row, (who, what, detail) in zip(rows, expected, strict=True):
        assert who in row and what in row and detail in row, row
    assert "Persons, accounts, items and places" in rows[5]  # the comment's section
    for event in draft.events.all():
        assert event.at.strftime("%Y-%m-%dT%H:%M") in response.content.decode()


def test_each_version_shows_the_words_that_changed(writer_world):
    draft = make_draft(writer_world)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="case",
                                content={"facts": "The suspects moved funds in March."})
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="case",
                                content={"facts": "The suspects moved funds in May.",
                                         "persons": [{"name": "Ana Test", "role": "witness"}]})
    html = client_for(writer_world.author).get(history_url(draft)).content.decode()
    assert "<del>March</del><ins>May</ins>" in html
    assert "Summary of the facts" in html
    after = re.sub(r"<[^>]+>", "", re.sub(r"<del>.*?</del>", "", html, flags=re.S))
    assert "Name: Ana Test; Role: Witness or expert" in after  # rows read as text
    versions = html.split('id="versions-heading"', 1)[1]
    assert versions.count('class="history-entry"') == draft.history.count()
    assert "current version" in versions.split('class="history-entry"')[1]


def test_text_in_the_history_is_escaped(writer_world):
    draft = make_draft(writer_world)
    services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                        section="case", content={"facts": "<script>alert(1)</script>"})
    html = client_for(writer_world.author).get(history_url(draft)).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_whoever_may_see_the_request_sees_its_history(writer_world):
    draft = make_draft(writer_world)
    services.draft_share(draft=draft, user=writer_world.author,
                         colleagues=[writer_world.colleague])
    assert client_for(writer_world.colleague).get(history_url(draft)).status_code == 200
    assert client_for(writer_world.reviewer).get(history_url(draft)).status_code == 404
    draft = services.draft_submit(draft=draft, user=writer_world.author, version=draft.version)
    response = client_for(writer_world.reviewer).get(history_url(draft, "fr"))
    assert response.status_code == 200 and MARKER in response.content.decode()
    for outsider in (writer_world.other_practitioner, writer_world.practitioner_b):
        response = client_for(outsider).get(history_url(draft))
        assert response.status_code == 404 and MARKER not in response.content.decode()


def test_the_history_page_runs_a_bounded_number_of_queries(writer_world,
                                                            django_assert_max_num_queries):
    draft = make_draft(writer_world)
    for number in range(12):
        draft = services.draft_save(draft=draft, user=writer_world.author,
                                    version=draft.version, section="case",
                                    content={"facts": f"Version {number}"})
    client = client_for(writer_world.author)
    client.get(history_url(draft))
    with django_assert_max_num_queries(15):
        response = client.get(history_url(draft))
    assert response.content.decode().count('class="history-entry"') == 14

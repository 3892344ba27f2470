"""The leak matrix of the request writer: every channel that shows a request × every persona.

A request is seen by its author, the colleagues it is shared with and, once submitted, the
reviewers of the requesting State's central authority. Everyone else — another authority's
practitioner, a reviewer elsewhere, the other State, focal points, editors, the secretariat,
anonymous visitors — gets what they would get for a request that does not exist, and the
marker planted in every text of the request (DRAFTSECRET) reaches none of them: not through a
page, a step, a document, a review comment, the history, a list, a search or the API.
A new channel is not done until it is listed here.
"""

from __future__ import annotations

import pytest

from palermo.writer import services
from palermo.writer.models import Draft
from tests.editions.readers import docx_text, pdf_text
from tests.personas import client_for, make_person
from tests.writer.factories import MARKER, make_draft, make_reviewer

pytestmark = pytest.mark.django_db

COMMENT = "REVIEWCOMMENTSECRET"


def channels(draft: Draft) -> dict[str, tuple[str, str]]:
    """name → (url, how to read it: html | json | docx | pdf)."""
    pk = draft.pk
    return {
        "overview": (f"/en/requests/{pk}/", "html"),
        "overview in Arabic": (f"/ar/requests/{pk}/", "html"),
        "step: the case": (f"/en/requests/{pk}/case/", "html"),
        "step: persons": (f"/en/requests/{pk}/persons/", "html"),
        "sharing": (f"/en/requests/{pk}/share/", "html"),
        "list, searched": ("/en/requests/?q=RAFTSECRE", "html"),
        "list": ("/en/requests/", "html"),
        "DOCX": (f"/en/requests/{pk}/request.docx", "docx"),
        "PDF": (f"/en/requests/{pk}/request.pdf", "pdf"),
        "DOCX in Arabic beside English": (f"/en/requests/{pk}/request.docx?language=ar&second=en",
                                          "docx"),
        "review page": (f"/en/requests/{pk}/review/", "html"),
        "reviewers' queue": ("/en/requests/review/", "html"),
        "history": (f"/en/requests/{pk}/history/", "html"),
        "API list": ("/api/v1/requests", "json"),
        "API list by status": ("/api/v1/requests?status=in_review", "json"),
        "API request": (f"/api/v1/requests/{pk}", "json"),
        "API completeness": (f"/api/v1/requests/{pk}/completeness", "json"),
        "API document": (f"/api/v1/requests/{pk}/document.docx", "docx"),
    }


# Who sees a submitted request that is shared with a colleague (and who does not).
INSIDERS = {"author", "colleague", "reviewer", "reviewer of the State"}
# Who reaches a channel among the insiders, where not all of them do: the queue lists what
# reviewers review; only the author changes whom a request is shared with.
REACHED_BY = {"reviewers' queue": {"reviewer", "reviewer of the State"},
              "sharing": {"author"}}
# Channels that show the request's state, not its text.
WITHOUT_TEXT = {"API completeness"}
# A submitted request cannot be changed: its steps send whoever may read it to the overview.
STEPS = {"step: the case", "step: persons"}


@pytest.fixture
def people(writer_world, secretariat, focal_point_a, editor_a, focal_point_b):
    w = writer_world
    return {
        "anonymous": None,
        "author": w.author,
        "colleague": w.colleague,
        "reviewer": w.reviewer,
        "reviewer of the State": make_reviewer("state-reviewer@example.org", w.requesting, None),
        "reviewer of another authority": make_reviewer("elsewhere@example.org", w.requesting,
                                                       w.other_a),
        "reviewer of the other State": make_reviewer("fr-reviewer@example.org", w.requested,
                                                     None),
        "practitioner of another authority": w.other_practitioner,
        "practitioner of the requested State": w.practitioner_b,
        "focal point of the State": focal_point_a,
        "editor of the State": editor_a,
        "focal point of the requested State": focal_point_b,
        "secretariat": secretariat,
        "practitioner without an authority": make_person(
            "loose@example.org", state="MEX", role="practitioner"),
    }


def _read(response, how: str) -> str:
    if response.status_code != 200:
        return response.content.decode(errors="replace")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if how == "docx":
        return docx_text(data)
    if how == "pdf":
        return pdf_text(data)
    return data.decode()


@pytest.fixture
def submitted(writer_world):
    w = writer_world
    draft = make_draft(w)
    services.draft_share(draft=draft, user=w.author, colleagues=[w.colleague])
    draft = services.draft_submit(draft=draft, user=w.author, version=draft.version)
    services.review_comment(draft=draft, user=w.reviewer, section="case",
                            text=f"{COMMENT} cite the law in full")
    return draft


@pytest.mark.parametrize("channel", list(channels(Draft(pk=1))))
def test_a_request_reaches_exactly_who_may_see_it(submitted, people, channel):
    url, how = channels(submitted)[channel]
    for name, user in people.items():
        response = client_for(user).get(url)
        body = _read(response, how)
        insider = name in REACHED_BY.get(channel, INSIDERS)
        if insider and channel in STEPS:
            assert response.status_code == 302, f"{channel}: {response.status_code} for {name}"
            assert response["Location"] == f"/en/requests/{submitted.pk}/"
        elif insider:
            assert response.status_code == 200, f"{channel}: {response.status_code} for {name}"
            if channel not in WITHOUT_TEXT:
                assert MARKER in body, f"{channel}: the request is missing for {name}"
        else:
            assert MARKER not in body, f"{channel}: the request leaked to {name}"
            assert COMMENT not in body, f"{channel}: a review comment leaked to {name}"
            if channel not in ("list", "list, searched", "reviewers' queue", "API list",
                               "API list by status"):
                assert response.status_code in (302, 401, 403, 404), (channel, name)


def test_a_draft_not_yet_submitted_reaches_no_reviewer(writer_world, people):
    draft = make_draft(writer_world)
    for name in ("reviewer", "reviewer of the State"):
        client = client_for(people[name])
        for url, _how in channels(draft).values():
            if url.startswith("/api/v1/requests?") or url.endswith("/requests/"):
                continue
            response = client.get(url)
            assert MARKER not in _read(response, "html" if response.status_code != 200
                                       else "docx" if url.endswith("docx") else "html"), url


def test_a_request_answers_like_one_that_does_not_exist(submitted, people):
    import re

    def normalize(html: str, pk: int) -> str:
        html = html.replace(f"/requests/{pk}/", "/requests/N/")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    outsider = client_for(people["practitioner of another authority"])
    for suffix in ("", "case/", "history/", "review/", "share/", "request.docx"):
        hidden = outsider.get(f"/en/requests/{submitted.pk}/{suffix}")
        missing = outsider.get(f"/en/requests/999999/{suffix}")
        assert hidden.status_code == missing.status_code == 404, suffix
        assert normalize(hidden.content.decode(), submitted.pk) == \
            normalize(missing.content.decode(), 999999), suffix

"""The leak matrix of implementation reporting: every channel × every persona × every marker.

The rules (``palermo.reporting.access`` and ``analysis.selectors``): a State's focal points
and the experts invited to a response are its people and see it with its confidential
answers; the secretariat sees everything; everyone else sees no response, no answer and no
clarification. Figures shown to anyone but the secretariat are computed without confidential
answers; named answers (needs, exports, reports) are the reader's own State's; a response
not yet submitted counts and shows in no analysis, report or export, for anyone. What a user
may not see answers exactly like what does not exist (404, the same page as a missing id).

The markers and the world: ``tests/reporting/leak_world.py``. A new channel is not done until
it is listed here.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from palermo.accounts.models import Invitation
from palermo.accounts.services import expert_invitation_create
from palermo.reporting.models import (
    Answer,
    ClarificationMessage,
    ClarificationRequest,
    Cycle,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseContributor,
    Section,
)
from tests.editions.readers import docx_text, pdf_text
from tests.personas import client_for

from .leak_world import *  # noqa: F403 - the world's fixture
from .leak_world import (
    CLARIFICATION,
    CONF_A,
    DRAFT_A,
    FILE_A,
    MARKERS,
    PERSONAS,
    QUESTIONNAIRE_DRAFT,
    STATE_B,
    LeakWorld,
)

pytestmark = pytest.mark.django_db

MISSING = 999999
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
SECRETARIAT = frozenset({"secretariat"})
# The people of each response, and the secretariat.
A1 = frozenset({"focal_point_a", "expert_a", "secretariat"})  # A's submitted response
A2 = frozenset({"focal_point_a", "secretariat"})  # A's draft (the expert is not invited to it)
B1 = frozenset({"focal_point_b", "expert_b", "secretariat"})
CYCLE1 = A1 | B1
CYCLE2 = frozenset({"focal_point_a", "focal_point_b", "secretariat"})  # B2: not started
NOBODY: frozenset[str] = frozenset()
# Those who see most ask first: anything kept (cached) for them and shown to the next would show.
ORDER = ["secretariat", "focal_point_a", "expert_a", "focal_point_b", "expert_b",
         "practitioner_a", "editor_a", "reviewer_a", "anonymous"]


@dataclass
class Channel:
    url: str
    how: str = "html"  # html | json | csv | xlsx | docx | pdf | file
    reached_by: frozenset[str] = EVERYONE  # who gets 200; everyone else 404
    shows: dict[str, frozenset[str]] = field(default_factory=dict)  # marker → who sees it
    missing: str | None = None  # the same channel for an object that does not exist
    # Lists: strings (links, ids) → who sees them.
    lists: dict[str, frozenset[str]] = field(default_factory=dict)


def channels(w: LeakWorld) -> dict[str, Channel]:
    r = "/en/reporting"
    a1, a2, b1 = w.a1.pk, w.a2.pk, w.b1.pk
    supp = w.supplementary_a.pk
    c1, c2 = w.cycle.pk, w.cycle2.pk
    art5, cases = w.section_pk("art-5"), w.section_pk("cases")
    q64 = w.question_pk("6-4")
    clar = w.clarification.pk
    ours = r + "/questionnaires/leak-untoc/v1/"
    draft = r + "/questionnaires/leak-draft/v1/"
    links = {f'href="{r}/responses/{a1}/"': A1 - SECRETARIAT,
             f'href="{r}/responses/{a2}/"': A2 - SECRETARIAT,
             f'href="{r}/responses/{b1}/"': B1 - SECRETARIAT,
             f'href="{r}/responses/{supp}/"': A2 - SECRETARIAT}

    def obj(url: str, pk: int, **kwargs: Any) -> Channel:
        return Channel(url, missing=url.replace(f"/{pk}/", f"/{MISSING}/", 1)
                       if f"/{pk}/" in url else url.replace(f"/{pk}", f"/{MISSING}", 1),
                       **kwargs)

    analysis = f"{r}/analysis/cycles/"
    return {
        # Questionnaires: published ones are public, drafts the secretariat's.
        "questionnaire list": Channel(f"{r}/questionnaires/",
                                      shows={QUESTIONNAIRE_DRAFT: SECRETARIAT}),
        "questionnaire page": Channel(f"{r}/questionnaires/leak-untoc/"),
        "published version": Channel(ours),
        "draft questionnaire page": Channel(f"{r}/questionnaires/leak-draft/",
                                            reached_by=SECRETARIAT,
                                            shows={QUESTIONNAIRE_DRAFT: SECRETARIAT},
                                            missing=f"{r}/questionnaires/missing-code/"),
        "draft version": Channel(draft, reached_by=SECRETARIAT,
                                 shows={QUESTIONNAIRE_DRAFT: SECRETARIAT},
                                 missing=f"{r}/questionnaires/leak-draft/v9/"),
        "draft version: edit": Channel(draft + "edit/", reached_by=SECRETARIAT,
                                       shows={QUESTIONNAIRE_DRAFT: SECRETARIAT},
                                       missing=f"{r}/questionnaires/leak-draft/v9/edit/"),
        "draft version: new section": Channel(draft + "sections/new/", reached_by=SECRETARIAT,
                                              shows={QUESTIONNAIRE_DRAFT: SECRETARIAT},
                                              missing=f"{r}/questionnaires/leak-draft/v9/"
                                                      "sections/new/"),
        "draft version: new question": Channel(draft + "questions/new/",
                                               reached_by=SECRETARIAT,
                                               shows={QUESTIONNAIRE_DRAFT: SECRETARIAT}),
        "draft version: delete a section": Channel(
            draft + f"sections/{w.draft_section_pk}/delete/", reached_by=SECRETARIAT,
            shows={QUESTIONNAIRE_DRAFT: SECRETARIAT}),
        "draft version: a section": Channel(draft + f"sections/{w.draft_section_pk}/",
                                            reached_by=SECRETARIAT,
                                            shows={QUESTIONNAIRE_DRAFT: SECRETARIAT}),
        "draft version: a question": Channel(draft + f"questions/{w.draft_question_pk}/",
                                             reached_by=SECRETARIAT,
                                             shows={QUESTIONNAIRE_DRAFT: SECRETARIAT}),
        "draft version: new choice": Channel(
            draft + f"questions/{w.draft_question_pk}/choices/new/", reached_by=SECRETARIAT,
            shows={QUESTIONNAIRE_DRAFT: SECRETARIAT}),
        "draft version: a choice": Channel(
            draft + f"questions/{w.draft_question_pk}/choices/{w.draft_choice_pk}/",
            reached_by=SECRETARIAT, shows={QUESTIONNAIRE_DRAFT: SECRETARIAT}),
        "draft version: new column": Channel(
            draft + f"questions/{w.draft_question_pk}/columns/new/", reached_by=SECRETARIAT,
            shows={QUESTIONNAIRE_DRAFT: SECRETARIAT}),
        "new questionnaire": Channel(f"{r}/questionnaires/new/", reached_by=SECRETARIAT),
        # Cycles (the secretariat's pages) and their clarification requests.
        "cycle list": Channel(f"{r}/cycles/", reached_by=SECRETARIAT, lists={
            f'href="{r}/responses/{supp}/"': SECRETARIAT}),
        "new cycle": Channel(f"{r}/cycles/new/", reached_by=SECRETARIAT),
        "cycle page": obj(f"{r}/cycles/{c1}/", c1, reached_by=SECRETARIAT),
        "cycle page, filtered": obj(f"{r}/cycles/{c1}/?status=submitted", c1,
                                    reached_by=SECRETARIAT),
        "second cycle page": obj(f"{r}/cycles/{c2}/", c2, reached_by=SECRETARIAT),
        "clarifications of the cycle": obj(f"{r}/cycles/{c1}/clarifications/", c1,
                                           reached_by=CYCLE1, lists={
                                               f"/clarifications/{clar}/": A1}),
        # Responses, their sections, answers' history and files.
        "responses list": Channel(f"{r}/responses/", reached_by=SIGNED_IN, lists=links),
        "A's response": obj(f"{r}/responses/{a1}/", a1, reached_by=A1, lists={
            f"/clarifications/{clar}/": A1}),
        "A's draft": obj(f"{r}/responses/{a2}/", a2, reached_by=A2),
        "B's response": obj(f"{r}/responses/{b1}/", b1, reached_by=B1),
        "A's supplementary information": obj(f"{r}/responses/{supp}/", supp, reached_by=A2),
        "API A's supplementary information": obj(f"/api/v1/responses/{supp}", supp,
                                                 how="json", reached_by=A2),
        "A's section art-5": obj(f"{r}/responses/{a1}/sections/{art5}/", a1, reached_by=A1),
        "A's section cases": obj(f"{r}/responses/{a1}/sections/{cases}/", a1, reached_by=A1,
                                 shows={CONF_A: A1, FILE_A: A1}),
        "A's draft section cases": obj(f"{r}/responses/{a2}/sections/{cases}/", a2,
                                       reached_by=A2, shows={DRAFT_A: A2}),
        "B's section cases": obj(f"{r}/responses/{b1}/sections/{cases}/", b1, reached_by=B1,
                                 shows={STATE_B: B1}),
        "A's section, added row": obj(f"{r}/responses/{a1}/sections/{cases}/?add_row=1", a1,
                                      reached_by=A1, shows={CONF_A: A1, FILE_A: A1}),
        "history of A's confidential answer": obj(
            f"{r}/responses/{a1}/questions/{q64}/history/", a1, reached_by=A1,
            shows={CONF_A: A1}),
        "history of A's draft answer": obj(f"{r}/responses/{a2}/questions/{q64}/history/", a2,
                                           reached_by=A2, shows={DRAFT_A: A2}),
        "history of B's answer": obj(f"{r}/responses/{b1}/questions/{q64}/history/", b1,
                                     reached_by=B1, shows={STATE_B: B1}),
        "A's confidential file": obj(f"{r}/responses/{a1}/files/{w.file.pk}/", a1, how="file",
                                     reached_by=A1, shows={FILE_A: A1}),
        "A's file through B's response": obj(f"{r}/responses/{b1}/files/{w.file.pk}/", b1,
                                             how="file", reached_by=NOBODY),
        "reopen A's response": obj(f"{r}/responses/{a1}/reopen/", a1,
                                   reached_by=SECRETARIAT),
        "ask A to clarify": obj(f"{r}/responses/{a1}/clarifications/new/", a1,
                                reached_by=SECRETARIAT, shows={CONF_A: NOBODY}),
        "clarification request": obj(f"{r}/clarifications/{clar}/", clar, reached_by=A1,
                                     shows={CLARIFICATION: A1, CONF_A: A1}),
        # Analysis: figures for the cycle's people; named answers of one's own State.
        "analysis overview": Channel(f"{r}/analysis/", reached_by=SIGNED_IN),
        "analysis of the cycle": obj(f"{analysis}{c1}/", c1, reached_by=CYCLE1),
        "analysis of the cycle, every section": obj(f"{analysis}{c1}/?section=all", c1,
                                                    reached_by=CYCLE1),
        "analysis of the second cycle": obj(f"{analysis}{c2}/?section=all", c2,
                                            reached_by=CYCLE2, shows={DRAFT_A: NOBODY}),
        "compliance": obj(f"{analysis}{c1}/compliance/", c1, reached_by=CYCLE1),
        "compliance, article 5": obj(f"{analysis}{c1}/compliance/?article=5", c1,
                                     reached_by=CYCLE1),
        "needs": obj(f"{analysis}{c1}/needs/", c1, reached_by=CYCLE1,
                     shows={CONF_A: A1 - SECRETARIAT, STATE_B: B1 - SECRETARIAT}),
        "needs, criminalization": obj(f"{analysis}{c1}/needs/?area=criminalization", c1,
                                      reached_by=CYCLE1, shows={CONF_A: A1, STATE_B: B1}),
        # Another State than one's own is no choice: the filter is ignored, and one's own
        # State's answers are listed.
        "needs of State A": obj(f"{analysis}{c1}/needs/?state={w.a1.state_id}", c1,
                                reached_by=CYCLE1,
                                shows={CONF_A: A1, STATE_B: B1 - SECRETARIAT}),
        "needs of State B": obj(f"{analysis}{c1}/needs/?state={w.b1.state_id}", c1,
                                reached_by=CYCLE1,
                                shows={STATE_B: B1, CONF_A: A1 - SECRETARIAT}),
        "needs of the second cycle": obj(f"{analysis}{c2}/needs/?area=criminalization", c2,
                                         reached_by=CYCLE2, shows={DRAFT_A: NOBODY}),
        "report DOCX": obj(f"{analysis}{c1}/report.docx", c1, how="docx", reached_by=CYCLE1,
                           shows={CONF_A: A1, STATE_B: B1}),
        "report DOCX in Arabic": obj(f"{analysis}{c1}/report.docx?language=ar", c1,
                                     how="docx", reached_by=CYCLE1,
                                     shows={CONF_A: A1, STATE_B: B1}),
        "report PDF": obj(f"{analysis}{c1}/report.pdf", c1, how="pdf", reached_by=CYCLE1,
                          shows={CONF_A: A1, STATE_B: B1}),
        "report for circulation": obj(f"{analysis}{c1}/report.docx?edition=circulation", c1,
                                      how="docx", reached_by=CYCLE1,
                                      shows={CONF_A: A1 - SECRETARIAT, STATE_B: B1}),
        "report of the second cycle": obj(f"{analysis}{c2}/report.docx", c2, how="docx",
                                          reached_by=CYCLE2, shows={DRAFT_A: NOBODY}),
        # The report to the Conference on the replies to clarification requests (3/1 h).
        "report on clarifications DOCX": obj(f"{analysis}{c1}/clarifications.docx", c1,
                                             how="docx", reached_by=SECRETARIAT,
                                             shows={CLARIFICATION: SECRETARIAT}),
        "report on clarifications PDF in French": obj(
            f"{analysis}{c1}/clarifications.pdf?language=fr", c1, how="pdf",
            reached_by=SECRETARIAT, shows={CLARIFICATION: SECRETARIAT}),
        "answers CSV": obj(f"{analysis}{c1}/answers.csv", c1, how="csv", reached_by=CYCLE1,
                           shows={CONF_A: A1, STATE_B: B1}),
        "answers XLSX": obj(f"{analysis}{c1}/answers.xlsx", c1, how="xlsx",
                            reached_by=CYCLE1, shows={CONF_A: A1, STATE_B: B1}),
        "answers CSV of the second cycle": obj(f"{analysis}{c2}/answers.csv", c2, how="csv",
                                               reached_by=CYCLE2, shows={DRAFT_A: NOBODY}),
        # The API.
        "API questionnaires": Channel("/api/v1/questionnaires", how="json",
                                      shows={QUESTIONNAIRE_DRAFT: SECRETARIAT}),
        "API published version": Channel("/api/v1/questionnaires/leak-untoc/versions/1",
                                         how="json"),
        "API draft version": Channel("/api/v1/questionnaires/leak-draft/versions/1",
                                     how="json", reached_by=SECRETARIAT,
                                     shows={QUESTIONNAIRE_DRAFT: SECRETARIAT},
                                     missing="/api/v1/questionnaires/leak-draft/versions/9"),
        "API cycles": Channel("/api/v1/cycles", how="json", lists={
            f'"id": {c1},': CYCLE1, f'"id": {c2},': CYCLE2}),
        "API cycle": obj(f"/api/v1/cycles/{c1}", c1, how="json", reached_by=CYCLE1, lists={
            '"state": "MEX"': A1, '"state": "FRA"': B1}),
        "API second cycle": obj(f"/api/v1/cycles/{c2}", c2, how="json", reached_by=CYCLE2,
                                lists={'"state": "MEX"': A2,
                                       '"state": "FRA"': frozenset({"focal_point_b",
                                                                    "secretariat"})}),
        "API responses": Channel("/api/v1/responses", how="json", lists={
            f'"id": {a1},': A1, f'"id": {a2},': A2, f'"id": {b1},': B1,
            f'"id": {supp},': A2}),
        "API responses of the second cycle": Channel(f"/api/v1/responses?cycle={c2}",
                                                     how="json",
                                                     lists={f'"id": {a2},': A2}),
        "API A's response": obj(f"/api/v1/responses/{a1}", a1, how="json", reached_by=A1,
                                shows={CONF_A: A1}),
        "API A's draft": obj(f"/api/v1/responses/{a2}", a2, how="json", reached_by=A2,
                             shows={DRAFT_A: A2}),
        "API B's response": obj(f"/api/v1/responses/{b1}", b1, how="json", reached_by=B1,
                                shows={STATE_B: B1}),
    }


def read(response: Any, how: str) -> str:
    """What a reader of the response gets: text of the page or document, headers of a file."""
    data = (b"".join(response.streaming_content) if response.streaming
            else response.content)
    if response.status_code != 200:
        return data.decode(errors="replace")
    if how == "docx":
        return docx_text(data)
    if how == "pdf":
        return pdf_text(data)
    if how == "xlsx":
        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(
            values_only=True) for cell in row)
    if how == "json":
        return json.dumps(json.loads(data), ensure_ascii=False)
    text = data.decode(errors="replace")
    if how == "file":
        text = response.get("Content-Disposition", "") + "\n" + text
    return text


def normalize(body: str, url: str) -> str:
    """The page without its own address (in every language's link) and its CSRF token."""
    path = re.sub(r"^/(en|fr|es|ru|ar|zh-hans)/", "/", url.split("?")[0])
    body = body.replace(path, "/PATH")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)




def _names() -> list[str]:
    from types import SimpleNamespace

    fake = SimpleNamespace(a1=SimpleNamespace(pk=1, state_id=1), a2=SimpleNamespace(pk=2),
                           supplementary_a=SimpleNamespace(pk=11), draft_question_pk=12,
                           draft_choice_pk=13,
                           b1=SimpleNamespace(pk=3, state_id=2), cycle=SimpleNamespace(pk=4),
                           cycle2=SimpleNamespace(pk=5), clarification=SimpleNamespace(pk=6),
                           file=SimpleNamespace(pk=7), section_pk=lambda code: 8,
                           question_pk=lambda code: 9, draft_section_pk=10)
    return list(channels(fake))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", _names())
def test_each_marker_reaches_exactly_who_may_see_it(leak_world: LeakWorld, name: str) -> None:
    channel = channels(leak_world)[name]
    problems: list[str] = []
    assert sorted(ORDER) == sorted(PERSONAS)
    for persona in ORDER:
        client = client_for(leak_world.people[persona])
        response = client.get(channel.url)
        body = read(response, channel.how)
        reached = persona in channel.reached_by
        expected_status = 200 if reached else 404
        if response.status_code != expected_status:
            problems.append(f"{persona}: status {response.status_code}, not {expected_status}")
        for marker in MARKERS:
            should = reached and persona in channel.shows.get(marker, NOBODY)
            if (marker in body) != should:
                problems.append(f"{persona}: {marker} "
                                + ("LEAKED" if not should else "missing"))
        for text, audience in channel.lists.items():
            should = reached and persona in audience
            if (text in body) != should:
                problems.append(f"{persona}: {text!r} " + ("LEAKED" if not should else "missing"))
        if not reached and channel.missing is not None:
            missing = client.get(channel.missing)
            if (missing.status_code != response.status_code
                    or normalize(read(missing, channel.how), channel.missing)
                    != normalize(body, channel.url)):
                problems.append(f"{persona}: answers unlike a missing object "
                                f"({response.status_code} vs {missing.status_code})")
    assert not problems, f"{name} ({channel.url}):\n" + "\n".join(problems)


# Writes ----------------------------------------------------------------------------------------

def snapshot() -> list[Any]:
    """Everything a write of the reporting app could change."""
    return [
        list(Response.objects.order_by("pk").values_list(
            "pk", "status", "extended_until", "version", "state_id", "cycle_id")),
        list(Answer.objects.order_by("pk").values_list("pk", "value", "confidential",
                                                       "version")),
        list(ResponseContributor.objects.order_by("pk").values_list("pk", "user_id")),
        list(Invitation.objects.order_by("pk").values_list("pk", "email", "revoked_at",
                                                           "mail_error")),
        list(ClarificationRequest.objects.order_by("pk").values_list("pk", "status")),
        ClarificationMessage.objects.count(),
        list(Questionnaire.objects.order_by("pk").values_list("pk", "code")),
        list(QuestionnaireVersion.objects.order_by("pk").values_list("pk", "status",
                                                                     "version")),
        list(Section.objects.order_by("pk").values_list("pk", "position")),
        Cycle.objects.count(),
    ]


@dataclass
class Write:
    url: str
    data: dict[str, Any]
    allowed: frozenset[str]  # who may do it (not tried here)
    sees: frozenset[str]  # who sees the object: 403 for the others who see it, else 404


def writes(w: LeakWorld) -> dict[str, Write]:
    r = "/en/reporting"
    a1, a2, b1 = w.a1.pk, w.a2.pk, w.b1.pk
    cases = w.section_pk("cases")
    q64 = w.question_pk("6-4")
    clar = f"{r}/clarifications/{w.clarification.pk}/"
    draft = f"{r}/questionnaires/leak-draft/v1/"
    contributor = ResponseContributor.objects.get(response=w.a1).pk
    focal_point_a = w.people["focal_point_a"]
    assert focal_point_a is not None
    invitation = (Invitation.objects.filter(response=w.a1).first()
                  or expert_invitation_create(email="leak-expert@example.org", response=w.a1,
                                              language="en", invited_by=focal_point_a))
    answer = {"version": 1, f"q{q64}": "LEAKWRITE", f"q{q64}-confidential": "on"}
    questionnaire = {"code": "leak-new", "kind": "questionnaire",
                     "instrument": w.version.questionnaire.instrument_id,
                     **{f"title_{code}": "LEAKWRITE" for code in
                        ("en", "fr", "es", "ru", "ar", "zh_hans", "zh-hans")}}
    return {
        "submit A's draft": Write(f"{r}/responses/{a2}/submit/", {}, frozenset(
            {"focal_point_a"}), A2),
        "invite to A's response": Write(f"{r}/responses/{a1}/invite/",
                                        {"email": "practitioner-a@example.org"},
                                        frozenset({"focal_point_a"}), A1),
        "remove A's expert": Write(f"{r}/responses/{a1}/experts/{contributor}/remove/", {},
                                   frozenset({"focal_point_a"}), A1),
        "invite a new address to A's response": Write(
            f"{r}/responses/{a1}/invite/", {"email": "leak-new@example.org"},
            frozenset({"focal_point_a"}), A1),
        "revoke an expert's invitation to A's response": Write(
            f"{r}/responses/{a1}/invitations/{invitation.pk}/revoke/", {},
            frozenset({"focal_point_a"}), A1),
        "send an expert's invitation to A's response again": Write(
            f"{r}/responses/{a1}/invitations/{invitation.pk}/send-again/", {},
            frozenset({"focal_point_a"}), A1),
        "extend A's deadline": Write(f"{r}/responses/{a1}/extend/", {"until": "2099-01-01"},
                                     SECRETARIAT, SECRETARIAT),
        "reopen A's response": Write(f"{r}/responses/{a1}/reopen/", {"reason": "LEAKWRITE"},
                                     SECRETARIAT, SECRETARIAT),
        "ask A to clarify": Write(f"{r}/responses/{a1}/clarifications/new/",
                                  {"questions": [q64], "text": "LEAKWRITE"}, SECRETARIAT,
                                  SECRETARIAT),
        "reply to A's clarification": Write(clar, {"text": "LEAKWRITE"}, A1, A1),
        "close A's clarification": Write(clar, {"close": "1"}, A1, A1),
        "save A's submitted section": Write(f"{r}/responses/{a1}/sections/{cases}/", answer,
                                            NOBODY, A1),
        "save A's draft section": Write(f"{r}/responses/{a2}/sections/{cases}/", answer,
                                        frozenset({"focal_point_a"}), A2),
        "save B's section": Write(f"{r}/responses/{b1}/sections/{cases}/", answer, NOBODY, B1),
        "start supplementary information for A": Write(
            f"{r}/responses/supplementary/",
            {"state": w.a1.state_id, "version": w.supplementary.pk},
            frozenset({"focal_point_a"}), NOBODY),
        "open a cycle": Write(f"{r}/cycles/new/", {"questionnaire_version": w.version.pk,
                                                   "title_en": "LEAKWRITE"},
                              SECRETARIAT, NOBODY),
        "new questionnaire": Write(f"{r}/questionnaires/new/", questionnaire, SECRETARIAT,
                                   NOBODY),
        "new version": Write(f"{r}/questionnaires/leak-untoc/new-version/", {}, SECRETARIAT,
                             NOBODY),
        "publish the draft": Write(draft + "publish/", {"token": 1}, SECRETARIAT, NOBODY),
        "edit the draft": Write(draft + "edit/", {"token": 1, "title_en": "LEAKWRITE"},
                                SECRETARIAT, NOBODY),
        "add a section": Write(draft + "sections/new/", {"token": 1, "code": "leak",
                                                         "title_en": "LEAKWRITE"},
                               SECRETARIAT, NOBODY),
        "delete a section": Write(draft + f"sections/{w.draft_section_pk}/delete/",
                                  {"token": 1}, SECRETARIAT, NOBODY),
        "move a section": Write(draft + f"sections/{w.draft_section_pk}/move/",
                                {"token": 1, "direction": "down"}, SECRETARIAT, NOBODY),
    }


@pytest.mark.parametrize("name", [
    "submit A's draft", "invite to A's response", "remove A's expert",
    "invite a new address to A's response", "revoke an expert's invitation to A's response",
    "send an expert's invitation to A's response again", "extend A's deadline",
    "reopen A's response", "ask A to clarify", "reply to A's clarification",
    "close A's clarification", "save A's submitted section", "save A's draft section",
    "save B's section", "start supplementary information for A", "open a cycle",
    "new questionnaire", "new version", "publish the draft", "edit the draft",
    "add a section", "delete a section", "move a section"])
def test_who_may_not_write_gets_404_or_403_and_nothing_changes(leak_world: LeakWorld,
                                                               name: str) -> None:
    write = writes(leak_world)[name]
    problems: list[str] = []
    before = snapshot()
    for persona in PERSONAS:
        if persona in write.allowed:
            continue
        response = client_for(leak_world.people[persona]).post(write.url, write.data)
        expected = (403, 404) if persona in write.sees else (404,)
        if response.status_code not in expected:
            problems.append(f"{persona}: status {response.status_code}, not {expected}")
        if snapshot() != before:
            problems.append(f"{persona}: CHANGED the data")
            before = snapshot()
        if "LEAKWRITE" in response.content.decode(errors="replace"):
            problems.append(f"{persona}: the refusal echoes what was sent")
    assert not problems, f"{name} ({write.url}):\n" + "\n".join(problems)


# Figures -----------------------------------------------------------------------------------------

FIGURES = [r"<td>(\d+(?: %)?)</td>", r"\d+ answers? counted", r"\d+ \(\d+ %\)",
           r"(?:Yes|No|Partly): \d+", r"\d+ of \d+", r"(?m)^\d+$"]


def figures(client: Any, url: str, how: str) -> list[str]:
    """Every figure a page or report shows, in order."""
    body = read(client.get(url), how)
    return [found for pattern in FIGURES for found in re.findall(pattern, body)]


def figure_channels(cycle: Cycle) -> dict[str, tuple[str, str]]:
    base = f"/en/reporting/analysis/cycles/{cycle.pk}/"
    return {"analysis": (base + "?section=all", "html"),
            "compliance": (base + "compliance/", "html"),
            "compliance, article 5": (base + "compliance/?article=5", "html"),
            "needs": (base + "needs/", "html"),
            "needs, training": (base + "needs/?area=training", "html"),
            "report": (base + "report.docx", "docx"),
            "report for circulation": (base + "report.docx?edition=circulation", "docx")}


def all_figures(w: LeakWorld, cycle: Cycle, personas: frozenset[str]
                ) -> dict[tuple[str, str], list[str]]:
    # The secretariat first: a figure of its own kept for others would show.
    return {(persona, name): figures(client_for(w.people[persona]), url, how)
            for persona in sorted(personas, key=lambda p: (p != "secretariat", p))
            for name, (url, how) in figure_channels(cycle).items()}


def test_a_confidential_yes_changes_no_figure_shown_to_anyone_but_the_secretariat(
        leak_world: LeakWorld) -> None:
    """A's confidential "yes" to 5-1 (art. 5(1)(a), training; it shows 5-2): the figures of
    every non-secretariat reader are those without A's answer; the secretariat's are those
    with it, confidential or not."""
    w = leak_world
    a_yes = w.answer(w.a1, "5-1")
    assert a_yes.value == "yes" and a_yes.confidential
    confidential = all_figures(w, w.cycle, CYCLE1)
    a_yes.confidential = False
    a_yes.save()
    public = all_figures(w, w.cycle, CYCLE1)
    a_yes.delete()
    without = all_figures(w, w.cycle, CYCLE1)
    problems = []
    for (persona, channel), shown in confidential.items():
        if persona == "secretariat":
            if shown != public[persona, channel] and channel != "report for circulation":
                problems.append(f"{channel}: the secretariat's figures leave the answer out")
        elif shown != without[persona, channel]:
            problems.append(f"{channel}: {persona}'s figures count the confidential answer: "
                            f"{shown} (without it: {without[persona, channel]})")
    for channel in ("analysis", "compliance", "needs, training", "report"):
        assert public["focal_point_b", channel] != without["focal_point_b", channel], (
            f"{channel}: the answer, not confidential, should count: the test reads no figure")
    assert public["secretariat", "report for circulation"] != confidential[
        "secretariat", "report for circulation"], "the edition for circulation counts it"
    assert not problems, "\n".join(problems)


def test_a_draft_counts_for_nobody(leak_world: LeakWorld) -> None:
    """A's answers in progress in the second cycle change no figure for anyone; submitted,
    they would."""
    w = leak_world
    drafting = all_figures(w, w.cycle2, CYCLE2)
    for answer in Answer.objects.filter(response=w.a2):
        answer.delete()
    assert all_figures(w, w.cycle2, CYCLE2) == drafting, "a draft answer is counted"
    Answer.objects.create(response=w.a2, question=w.version.sections.get(code="art-5")
                          .questions.get(code="5-1"), value="no")
    Answer.objects.create(response=w.a2, question=w.version.sections.get(code="cases")
                          .questions.get(code="6-4"), value=f"{DRAFT_A} again")
    assert all_figures(w, w.cycle2, CYCLE2) == drafting, "a draft answer is counted"
    a2 = Response.objects.get(pk=w.a2.pk)
    a2.status, a2.submitted_at = Response.Status.SUBMITTED, timezone.now()
    a2.save()
    submitted = all_figures(w, w.cycle2, CYCLE2)
    assert submitted["secretariat", "analysis"] != drafting["secretariat", "analysis"], (
        "the test reads no figure")

"""The request writer's API: drafts read, written, checked, reviewed and printed, each only by
whom the pages allow."""

from __future__ import annotations

import io
import typing
from typing import Any

import pytest
from django.test import Client

from palermo.accounts.models import Membership, User
from palermo.accounts.services import membership_grant
from palermo.api.services import token_create
from palermo.writer import schemas, services, steps
from palermo.writer.models import Draft, Kind, Status, TranslationStatus
from tests.personas import client_for, make_person
from tests.writer.factories import MARKER, WriterWorld, make_draft

pytestmark = pytest.mark.django_db

BASE = "/api/v1/requests"


class Api:
    """A client that talks JSON with a personal API token (or, with ``session``, a session)."""

    def __init__(self, user: User | None, *, session: bool = False) -> None:
        self.headers: dict[str, Any] = {}
        self.client = client_for(user) if session else Client()
        if user is not None and not session:
            _token, secret = token_create(user=user, name="test")
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, **self.headers)

    def send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        return getattr(self.client, method)(path, body, content_type="application/json",
                                            **self.headers)


def submitted(world: WriterWorld, **kwargs: Any) -> Draft:
    draft = make_draft(world, **kwargs)
    return services.draft_submit(draft=draft, user=world.author, version=draft.version)


def test_anonymous_requests_are_refused_with_401(writer_world):
    draft = make_draft(writer_world)
    anonymous = Api(None)
    assert anonymous.get(BASE).status_code == 401
    assert anonymous.get(f"{BASE}/{draft.pk}").status_code == 401
    response = anonymous.send("post", BASE, {"kind": "mla", "title": "x"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert MARKER not in response.content.decode()


def test_the_author_lists_and_reads_their_drafts(writer_world, django_assert_max_num_queries):
    draft = make_draft(writer_world)
    make_draft(writer_world, title="Second")
    api = Api(writer_world.author)
    api.get(BASE)
    with django_assert_max_num_queries(8):
        response = api.get(BASE, page_size=1)
    page = response.json()
    assert response.status_code == 200
    assert page["count"] == 2 and page["pages"] == 2 and len(page["results"]) == 1
    detail = api.get(f"{BASE}/{draft.pk}").json()
    assert detail["content"]["facts"].startswith(MARKER)
    assert detail["requesting_state"] == "MEX" and detail["requested_state"] == "FRA"
    assert detail["requested_authority"] == writer_world.central_b.pk
    assert detail["measures"] == ["mla-f"] and detail["drafting_language"] == "en"
    assert detail["author"]["id"] == writer_world.author.pk


def test_a_request_and_its_comments_take_a_bounded_number_of_queries(
        writer_world, django_assert_max_num_queries):
    draft = submitted(writer_world)
    for section in ("case", "persons", "procedure", "contact", "start"):
        services.review_comment(draft=draft, user=writer_world.reviewer, section=section,
                                text=f"About {section}")
    api = Api(writer_world.author)
    api.get(f"{BASE}/{draft.pk}")
    with django_assert_max_num_queries(8):
        assert api.get(f"{BASE}/{draft.pk}").status_code == 200
    with django_assert_max_num_queries(8):
        assert len(api.get(f"{BASE}/{draft.pk}/comments").json()) == 5


def test_the_list_filters_by_status_and_kind(writer_world):
    submitted(writer_world)
    make_draft(writer_world, title="Still a draft")
    api = Api(writer_world.author)
    assert api.get(BASE, status="in_review").json()["count"] == 1
    assert api.get(BASE, status="draft").json()["results"][0]["title"] == "Still a draft"
    assert api.get(BASE, kind="extradition").json()["count"] == 0
    assert api.get(BASE, status="lost").status_code == 422


def test_a_request_is_started_prefilled_from_the_directory(writer_world):
    api = Api(writer_world.author)
    response = api.send("post", BASE, {"kind": "mla", "title": "Case 7", "requested_state": "fra",
                                       "urgent": True, "needed_by": "2030-01-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["requesting_authority"] == writer_world.central_a.pk
    assert body["requested_authority"] == writer_world.central_b.pk
    assert "untoc" in body["legal_bases"] and body["status"] == "draft"
    assert Draft.objects.get(pk=body["id"]).author == writer_world.author


def test_bad_input_on_a_new_request_is_explained_and_creates_nothing(writer_world, secretariat):
    api = Api(writer_world.author)
    for body in ({"kind": "mla", "title": ""}, {"kind": "letter", "title": "x"},
                 {"kind": "mla", "title": "x", "requested_state": "ZZZ"},
                 {"kind": "mla", "title": "x", "requested_state": "MEX"},
                 {"kind": "mla", "title": "x", "colour": "blue"},
                 {"kind": "mla", "title": "a\x00b"}):
        response = api.send("post", BASE, body)
        assert response.status_code == 422, body
        assert response.json()["detail"], body
    response = Api(secretariat).send("post", BASE, {"kind": "mla", "title": "x"})
    assert response.status_code == 403
    response = api.send("post", BASE, {"kind": "mla", "title": "x", "requesting_state": "FRA"})
    assert response.status_code == 403
    assert not Draft.objects.exists()


def test_a_save_changes_what_is_sent_and_keeps_the_rest(writer_world):
    draft = make_draft(writer_world)
    api = Api(writer_world.author)
    response = api.send("patch", f"{BASE}/{draft.pk}", {
        "version": draft.version, "section": "case", "urgent": False,
        "drafting_language": "es", "content": {"facts": "New facts",
                                               "persons": [{"name": "A", "role": "witness"}]}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == draft.version + 1 and body["urgent"] is False
    assert body["content"]["facts"] == "New facts"
    assert body["content"]["purpose"].startswith(MARKER)  # kept
    assert body["drafting_language"] == "es"
    assert draft.events.filter(action="saved", section="case").exists()


def test_bad_input_on_a_save_is_refused_and_changes_nothing(writer_world):
    draft = make_draft(writer_world)
    api = Api(writer_world.author)
    for body in ({"content": {"facts": 3}}, {"content": {"secret_key": "x"}},
                 {"requested_authority": 999999}, {"drafting_language": "xx"},
                 {"legal_bases": ["nothing"]}, {"measures": ["mla-z"]},
                 {"content": {"persons": [{"name": "A", "role": "king"}]}},
                 {"requested_state": "MEX"}, {"title": None},
                 {"content": {"facts": "x" * 20001}}):
        response = api.send("patch", f"{BASE}/{draft.pk}", {"version": draft.version, **body})
        assert response.status_code == 422, (body, response.content)
    saved = Draft.objects.get(pk=draft.pk)
    assert saved.version == draft.version and saved.content == draft.content


def test_a_stale_save_answers_409_with_the_draft_as_saved(writer_world):
    draft = make_draft(writer_world)
    api = Api(writer_world.author)
    opened = draft.version
    assert api.send("patch", f"{BASE}/{draft.pk}", {
        "version": opened, "content": {"facts": "first"}}).status_code == 200
    response = api.send("patch", f"{BASE}/{draft.pk}", {
        "version": opened, "content": {"facts": "second"}})
    assert response.status_code == 409
    assert response.json()["current"]["content"]["facts"] == "first"
    assert Draft.objects.get(pk=draft.pk).text("facts") == "first"


def test_completeness_names_what_is_missing_and_warns_of_the_language(writer_world):
    draft = make_draft(writer_world)
    api = Api(writer_world.author)
    body = api.get(f"{BASE}/{draft.pk}/completeness").json()
    assert body == {"complete": True, "missing": [], "warnings": []}
    api.send("patch", f"{BASE}/{draft.pk}", {
        "version": draft.version, "drafting_language": "es",
        "content": {"facts": "", "purpose": ""}})
    body = api.get(f"{BASE}/{draft.pk}/completeness").json()
    assert not body["complete"]
    assert {(item["step"], item["citation"]) for item in body["missing"]} >= {
        ("case", "art. 18(15)(c)"), ("procedure", "art. 18(15)(f)")}
    assert len(body["warnings"]) == 1 and "Spanish" in body["warnings"][0]


def test_an_incomplete_request_cannot_be_submitted_and_says_what_is_missing(writer_world):
    draft = make_draft(writer_world)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="case", content={"facts": ""})
    api = Api(writer_world.author)
    response = api.send("post", f"{BASE}/{draft.pk}/submit", {"version": draft.version})
    assert response.status_code == 422
    missing = response.json()["detail"]
    assert missing[0]["type"] == "missing_element" and missing[0]["step"] == "case"
    assert missing[0]["field"] == "facts" and missing[0]["citation"] == "art. 18(15)(c)"
    assert Draft.objects.get(pk=draft.pk).status == Status.DRAFT


def test_the_review_through_the_api(writer_world):
    draft = make_draft(writer_world)
    author, reviewer = Api(writer_world.author), Api(writer_world.reviewer)
    response = author.send("post", f"{BASE}/{draft.pk}/submit", {"version": draft.version})
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    version = response.json()["version"]
    assert reviewer.get(BASE, status="in_review").json()["count"] == 1

    response = reviewer.send("post", f"{BASE}/{draft.pk}/comments", {
        "version": version, "section": "case", "text": "Which dates?"})
    assert response.status_code == 200 and response.json()["section"] == "case"
    assert author.get(f"{BASE}/{draft.pk}/comments").json()[0]["text"] == "Which dates?"
    response = author.send("post", f"{BASE}/{draft.pk}/comments", {
        "version": version, "section": "case", "text": "Mine"})
    assert response.status_code == 403

    response = reviewer.send("post", f"{BASE}/{draft.pk}/return", {"version": version})
    assert response.status_code == 200 and response.json()["status"] == "returned"
    version = response.json()["version"]
    response = author.send("patch", f"{BASE}/{draft.pk}", {
        "version": version, "section": "case", "content": {"facts": "On 3 March 2025 ..."}})
    version = response.json()["version"]
    response = author.send("post", f"{BASE}/{draft.pk}/submit", {"version": version})
    version = response.json()["version"]

    response = author.send("post", f"{BASE}/{draft.pk}/approve", {"version": version})
    assert response.status_code == 403
    response = reviewer.send("post", f"{BASE}/{draft.pk}/approve", {
        "version": version - 1, "translation_status": "done"})
    assert response.status_code == 409
    response = reviewer.send("post", f"{BASE}/{draft.pk}/approve", {
        "version": version, "translation_status": "done", "note": "Fine"})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["translation_status"] == "done"
    assert author.get(f"{BASE}/{draft.pk}/comments").json()[0]["resolved_at"]


def test_the_translation_status_is_recorded_by_writers_and_reviewers(writer_world):
    draft = make_draft(writer_world)
    response = Api(writer_world.author).send("put", f"{BASE}/{draft.pk}/translation", {
        "version": draft.version, "translation_status": "needed"})
    assert response.status_code == 200 and response.json()["translation_status"] == "needed"
    draft.refresh_from_db()
    draft = services.draft_submit(draft=draft, user=writer_world.author, version=draft.version)
    response = Api(writer_world.reviewer).send("put", f"{BASE}/{draft.pk}/translation", {
        "version": draft.version, "translation_status": "in_progress"})
    assert response.status_code == 200
    assert Draft.objects.get(pk=draft.pk).translation_status == TranslationStatus.IN_PROGRESS


def test_a_reviewer_without_a_second_factor_changes_nothing(writer_world):
    draft = submitted(writer_world)
    unprotected = make_person("reviewer-no-2fa@example.org", second_factor=False)
    membership_grant(user=unprotected, state=writer_world.requesting,
                     role=Membership.Role.REVIEWER, authority=writer_world.central_a)
    api = Api(unprotected)
    assert api.get(f"{BASE}/{draft.pk}").status_code == 200  # reading needs no second factor
    for action, body in (("approve", {}), ("return", {"note": "x"}),
                         ("comments", {"section": "case", "text": "x"})):
        response = api.send("post", f"{BASE}/{draft.pk}/{action}",
                            {"version": draft.version, **body})
        assert response.status_code == 403, action
        assert "second factor" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW and not draft.comments.exists()


def test_outsiders_get_404_and_do_not_find_the_request(writer_world, secretariat,
                                                       focal_point_a):
    draft = submitted(writer_world)
    services.review_comment(draft=draft, user=writer_world.reviewer, section="case",
                            text=f"{MARKER} comment")
    outsiders = {"other authority": writer_world.other_practitioner,
                 "French practitioner": writer_world.practitioner_b,
                 "secretariat": secretariat, "focal point": focal_point_a}
    for who, user in outsiders.items():
        api = Api(user)
        listed = api.get(BASE)
        assert listed.status_code == 200 and listed.json()["count"] == 0, who
        reads = [api.get(f"{BASE}/{draft.pk}"), api.get(f"{BASE}/{draft.pk}/comments"),
                 api.get(f"{BASE}/{draft.pk}/completeness"),
                 api.get(f"{BASE}/{draft.pk}/document.docx"),
                 api.send("patch", f"{BASE}/{draft.pk}", {"version": draft.version,
                                                          "title": "taken"}),
                 api.send("post", f"{BASE}/{draft.pk}/comments", {
                     "version": draft.version, "section": "case", "text": "x"}),
                 api.send("post", f"{BASE}/{draft.pk}/approve", {"version": draft.version}),
                 api.send("post", f"{BASE}/{draft.pk}/return", {"version": draft.version,
                                                                "note": "x"}),
                 api.send("post", f"{BASE}/{draft.pk}/submit", {"version": draft.version}),
                 api.send("put", f"{BASE}/{draft.pk}/translation", {
                     "version": draft.version, "translation_status": "done"})]
        for response in reads:
            assert response.status_code == 404, (who, response.request["PATH_INFO"])
            assert response.json() == {"detail": "Not found."}
            assert MARKER not in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW and draft.comments.count() == 1
    assert not draft.events.filter(action="document").exists()


def test_with_the_session_a_write_needs_the_csrf_token(writer_world):
    draft = make_draft(writer_world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer_world.author)
    response = client.patch(f"{BASE}/{draft.pk}", {"version": draft.version, "title": "CSRF"},
                            content_type="application/json")
    assert response.status_code == 403
    assert client.get(f"{BASE}/{draft.pk}").status_code == 200
    client.get("/en/requests/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.patch(f"{BASE}/{draft.pk}", {"version": draft.version, "title": "CSRF"},
                            content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert Draft.objects.get(pk=draft.pk).title == "CSRF"


def test_the_documents_are_produced_and_recorded(writer_world):
    import docx

    draft = make_draft(writer_world)
    api = Api(writer_world.author)
    response = api.get(f"{BASE}/{draft.pk}/document.docx", language="fr")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert MARKER in text
    response = api.get(f"{BASE}/{draft.pk}/document.pdf", single=True)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert draft.events.filter(action="document").count() == 2
    assert api.get(f"{BASE}/{draft.pk}/document.odt").status_code in (404, 422)
    assert api.get(f"{BASE}/{draft.pk}/document.pdf", language="xx").status_code == 422


def test_the_schema_codes_are_the_models_and_the_steps(client, db):
    def values(literal: Any) -> list[str]:
        return list(typing.get_args(literal))

    assert values(schemas.KindCode) == list(Kind.values)
    assert values(schemas.StatusCode) == list(Status.values)
    assert values(schemas.TranslationCode) == list(TranslationStatus.values)
    assert values(schemas.SectionCode) == steps.STEP_IDS
    assert values(schemas.MeasureCode) == steps.MLA_MEASURES + steps.CONFISCATION_MEASURES
    assert values(schemas.OutputLanguage) == [code for code, _name in
                                              __import__("django.conf").conf.settings.LANGUAGES]
    content_keys = {key for step in steps.STEPS for key in step.content_keys}
    assert set(schemas.Content.model_fields) == content_keys
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/requests", "/api/v1/requests/{id}", "/api/v1/requests/{id}/submit",
            "/api/v1/requests/{id}/document.{fmt}"} <= set(paths)


@pytest.mark.django_db(transaction=False)
def test_the_requests_api_keeps_its_contract_on_real_drafts(writer_world):
    """schemathesis on every operation of /requests with the number of a real draft, as its
    author and as its reviewer: no server error, every answer as the schema says."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from schemathesis import GenerationMode
    from schemathesis.core.result import Err

    from tests.api.test_schema_contract import connection_kept_open, run_operation

    author_draft, review_draft = make_draft(writer_world), submitted(writer_world)
    with connection_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
        operations = []
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                raise result.err()
            if "/requests" in result.ok().path:
                operations.append(result.ok())
        assert len(operations) == 12
        for user, draft in ((writer_world.author, author_draft),
                            (writer_world.reviewer, review_draft)):
            _token, secret = token_create(user=user, name="contract")
            headers = {"Authorization": f"Bearer {secret}"}
            for operation in operations:
                ids = {"id": draft.pk} if "{id}" in operation.path else None
                examples = 3 if "document" in operation.path else 8
                more = len(operation.query) + len(operation.body) + ("{fmt}" in operation.path)
                modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE][:1 + bool(more)]
                for mode in modes:
                    run_operation(operation.as_strategy(generation_mode=mode,
                                                         path_parameters=ids),
                                  {}, headers, examples)

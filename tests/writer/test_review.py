"""Review by the central authority, through its pages: the queue, comments per section,
return for changes and approval with the translation status, the second factor, the mails,
and who may not see any of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from palermo.accounts.models import Membership, User
from palermo.accounts.services import membership_grant
from palermo.writer import services
from palermo.writer.models import Draft, Event, ReviewComment, Status, TranslationStatus
from tests.personas import client_for, make_person
from tests.writer.factories import MARKER, WriterWorld, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """Queued mails are sent at once, in the test's transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def url(name: str, draft: Draft, language: str = "en") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse(f"writer:{name}", kwargs={"pk": draft.pk})


def submitted(world: WriterWorld, **kwargs: Any) -> Draft:
    draft = make_draft(world, **kwargs)
    return services.draft_submit(draft=draft, user=world.author, version=draft.version)


def test_a_submitted_request_is_in_its_reviewers_queue_urgent_first(writer_world):
    calm = submitted(writer_world, title="Calm request", urgent=False)
    urgent = submitted(writer_world, title="Urgent request")
    make_draft(writer_world, title="Not submitted")
    client = client_for(writer_world.reviewer)
    response = client.get("/en/requests/review/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Urgent request") < html.index("Calm request")
    assert "Not submitted" not in html
    assert url("review", urgent) in html and url("review", calm) in html
    assert urgent.needed_by.isoformat() in html


def test_the_queue_is_only_for_reviewers(writer_world):
    submitted(writer_world)
    for user in (writer_world.author, writer_world.practitioner_b):
        assert client_for(user).get("/en/requests/review/").status_code == 404


def test_the_queue_runs_a_bounded_number_of_queries(writer_world, django_assert_max_num_queries):
    for number in range(6):
        submitted(writer_world, title=f"Request {number}")
    client = client_for(writer_world.reviewer)
    client.get("/en/requests/review/")
    with django_assert_max_num_queries(10):
        response = client.get("/en/requests/review/")
    assert response.content.decode().count("Request ") >= 6


def test_review_journey_comment_return_fix_resubmit_approve(writer_world, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    world = writer_world
    User.objects.filter(pk=world.author.pk).update(language="es")
    draft = make_draft(world)
    author, reviewer = client_for(world.author), client_for(world.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert author.post(f"/en/requests/{draft.pk}/submit/",
                           {"version": draft.version}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert [mail.to for mail in mailoutbox] == [[world.reviewer.email]]
    assert f"/en/requests/{draft.pk}/review/" in mailoutbox[0].body

    # The reviewer reads the request section by section, with the completeness list.
    page = reviewer.get(url("review", draft))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bank statements of the account from 1 January 2024" in html
    assert 'id="section-case"' in html and 'id="section-procedure"' in html
    assert "every element the treaty and the requested State require" in html

    # A comment on the facts, then the request goes back to its author.
    response = reviewer.post(url("review_comment", draft), {
        "version": draft.version, "section": "case",
        "text": "Say when the transfers took place."})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(url("review_return", draft), {
            "version": draft.version, "note": "See the comment on the case."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.RETURNED
    returned_mail = mailoutbox[-1]
    assert returned_mail.to == [world.author.email]
    assert returned_mail.extra_headers["Content-Language"] == "es"
    assert "/es/requests/" in returned_mail.body
    assert "See the comment on the case." in returned_mail.body

    # The author sees the open comment, with a link to the step where it is fixed.
    comments = author.get(url("comments", draft)).content.decode()
    assert "Say when the transfers took place." in comments
    assert f"/en/requests/{draft.pk}/case/" in comments
    assert author.get(url("comments", draft), HTTP_HX_REQUEST="true").content.decode() \
        .lstrip().startswith("<section")
    draft = services.draft_save(draft=draft, user=world.author, version=draft.version,
                                section="case", content={"facts": "In March 2025 ..."})
    assert author.post(f"/en/requests/{draft.pk}/submit/",
                       {"version": draft.version}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW

    # Approved, with the state of the translation.
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(url("review_approve", draft), {
            "version": draft.version, "translation_status": TranslationStatus.DONE,
            "note": "Send it."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    assert draft.translation_status == TranslationStatus.DONE
    assert not ReviewComment.objects.filter(draft=draft, resolved_at__isnull=True).exists()
    assert mailoutbox[-1].to == [world.author.email]
    assert "aprob" in mailoutbox[-1].subject.lower() or "approved" in mailoutbox[-1].subject

    actions = list(draft.events.values_list("action", "actor_id"))
    assert (Event.Action.COMMENTED, world.reviewer.pk) in actions
    assert (Event.Action.RETURNED, world.reviewer.pk) in actions
    assert (Event.Action.APPROVED, world.reviewer.pk) in actions
    assert [action for action, _actor in actions].count(Event.Action.SUBMITTED) == 2


def test_the_review_page_runs_a_bounded_number_of_queries(writer_world,
                                                           django_assert_max_num_queries):
    draft = submitted(writer_world)
    for section in ("case", "persons", "procedure", "contact"):
        services.review_comment(draft=draft, user=writer_world.reviewer, section=section,
                                text=f"About {section}")
    client = client_for(writer_world.reviewer)
    client.get(url("review", draft))
    with django_assert_max_num_queries(25):
        response = client.get(url("review", draft))
    assert response.content.decode().count("About ") == 4


def test_a_stale_decision_says_so_and_changes_nothing(writer_world):
    draft = submitted(writer_world)
    opened = draft.version
    services.review_return(draft=draft, user=writer_world.reviewer, version=opened,
                           note="First reviewer")
    reviewer = client_for(writer_world.reviewer)
    response = reviewer.post(url("review_approve", draft), {
        "version": opened, "translation_status": TranslationStatus.DONE})
    assert response.status_code == 409
    assert "changed since you opened the page" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.RETURNED
    assert draft.translation_status == TranslationStatus.NOT_NEEDED
    response = reviewer.post(url("review_comment", draft), {
        "version": opened, "section": "case", "text": "Late"})
    assert response.status_code == 409
    assert not ReviewComment.objects.filter(text="Late").exists()


def test_returning_without_any_reason_is_refused(writer_world):
    draft = submitted(writer_world)
    response = client_for(writer_world.reviewer).post(url("review_return", draft), {
        "version": draft.version, "note": " "})
    assert response.status_code == 422
    assert "Say what must change" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


def test_the_author_reads_the_review_page_but_may_not_decide(writer_world):
    draft = submitted(writer_world)
    author = client_for(writer_world.author)
    page = author.get(url("review", draft))
    assert page.status_code == 200
    assert MARKER in page.content.decode()
    assert url("review_approve", draft) not in page.content.decode()
    for name, data in (("review_approve", {"translation_status": "done"}),
                       ("review_return", {"note": "x"}),
                       ("review_comment", {"section": "case", "text": "x"})):
        response = author.post(url(name, draft), {"version": draft.version, **data})
        assert response.status_code == 403, name
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert not draft.comments.exists()


def test_writers_and_reviewers_record_the_translation_status(writer_world):
    draft = make_draft(writer_world)
    author = client_for(writer_world.author)
    response = author.post(url("translation", draft), {
        "version": draft.version, "translation_status": TranslationStatus.NEEDED})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.translation_status == TranslationStatus.NEEDED
    draft = services.draft_submit(draft=draft, user=writer_world.author, version=draft.version)
    response = client_for(writer_world.reviewer).post(url("translation", draft), {
        "version": draft.version, "translation_status": TranslationStatus.IN_PROGRESS})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.translation_status == TranslationStatus.IN_PROGRESS
    # Once submitted, its author no longer edits it.
    response = author.post(url("translation", draft), {
        "version": draft.version, "translation_status": TranslationStatus.DONE})
    assert response.status_code == 403


def test_a_reviewer_without_a_second_factor_is_sent_to_set_one_up(writer_world):
    draft = submitted(writer_world)
    unprotected = make_person("reviewer-no-2fa@example.org", second_factor=False)
    membership_grant(user=unprotected, state=writer_world.requesting,
                     role=Membership.Role.REVIEWER, authority=writer_world.central_a)
    client = client_for(unprotected)
    response = client.get(url("review", draft))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    for name, data in (("review_approve", {"translation_status": "done"}),
                       ("review_return", {"note": "No"}),
                       ("review_comment", {"section": "case", "text": "No"})):
        response = client.post(url(name, draft), {"version": draft.version, **data})
        assert response.status_code == 302, name
        assert response["Location"] == reverse("mfa_activate_totp")
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW and not draft.comments.exists()


def test_reviewers_are_mailed_in_their_own_language(writer_world, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    User.objects.filter(pk=writer_world.reviewer.pk).update(language="fr")
    draft = make_draft(writer_world)
    client = client_for(writer_world.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/requests/{draft.pk}/submit",
                               {"version": draft.version}, content_type="application/json")
    assert response.status_code == 200
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [writer_world.reviewer.email]
    assert mail.extra_headers["Content-Language"] == "fr"
    assert f"/fr/requests/{draft.pk}/review/" in mail.body
    assert "Fiscalía" not in mail.subject  # the request's own reference, not the authority


@pytest.fixture
def outsiders(writer_world, secretariat, focal_point_a) -> dict[str, User]:
    return {"other authority": writer_world.other_practitioner,
            "French practitioner": writer_world.practitioner_b,
            "secretariat": secretariat, "focal point": focal_point_a}


def test_outsiders_get_404_on_the_review_comments_and_history_pages(writer_world, outsiders):
    draft = submitted(writer_world)
    services.review_comment(draft=draft, user=writer_world.reviewer, section="case",
                            text=f"{MARKER} comment")
    for who, user in outsiders.items():
        client = client_for(user)
        for name in ("review", "comments", "history"):
            response = client.get(url(name, draft))
            assert response.status_code == 404, (who, name)
            assert MARKER not in response.content.decode(), (who, name)
        for name in ("review_comment", "review_return", "review_approve", "translation"):
            response = client.post(url(name, draft), {
                "version": draft.version, "section": "case", "text": "x", "note": "x",
                "translation_status": "done"})
            assert response.status_code in (404, 302), (who, name)
            if response.status_code == 302:  # the second factor's guard comes first
                assert response["Location"] == reverse("mfa_activate_totp")
        assert MARKER not in client.get("/en/requests/review/").content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW and draft.comments.count() == 1


def test_anonymous_visitors_are_asked_to_sign_in(writer_world):
    draft = submitted(writer_world)
    for name in ("review", "comments", "history"):
        response = client_for(None).get(url(name, draft))
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_draft_not_yet_submitted_is_not_the_reviewers(writer_world):
    draft = make_draft(writer_world)
    response = client_for(writer_world.reviewer).get(url("review", draft))
    assert response.status_code == 404


def test_reviewers_of_another_central_authority_do_not_see_it(writer_world):
    draft = submitted(writer_world)
    other = make_person("reviewer-other@example.org", second_factor=True)
    membership_grant(user=other, state=writer_world.requesting,
                     role=Membership.Role.REVIEWER, authority=writer_world.other_a)
    assert client_for(other).get(url("review", draft)).status_code == 404
    assert dt.date.today() <= draft.needed_by

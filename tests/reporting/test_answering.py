"""Answering a response: sections by type, conditions, autosave, stale saves, submission,
experts, history, and who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from palermo.accounts.models import User
from palermo.reporting.models import Answer, Response, ResponseContributor
from tests.personas import client_for, make_person

from .cycles_world import *  # noqa: F403 - the world's fixtures
from .cycles_world import (
    MARKER,
    answers_of,
    detail_url,
    question,
    save_section,
    section_url,
    version_on_page,
)

pytestmark = pytest.mark.django_db


def submit(client: Any, response: Response) -> Any:
    return client.post(reverse("reporting:response_submit", kwargs={"pk": response.pk}))


# Conditions -----------------------------------------------------------------------------------

def test_a_question_whose_condition_is_not_met_is_hidden_skipped_and_not_required(
        focal_point_a: User, response_a: Response) -> None:
    client = client_for(focal_point_a)
    version = response_a.questionnaire_version
    assert save_section(client, response_a, "art-5", {"5-1": "yes"}).status_code == 302
    # 5-2 is shown once 5-1 is saved as yes (autosave refreshes the page then).
    assert b"Which approach?" in client.get(section_url(response_a, "art-5")).content
    save_section(client, response_a, "art-5", {"5-1": "yes", "5-2": "conduct"})
    assert answers_of(response_a) == {"5-1": "yes", "5-2": "conduct"}

    assert save_section(client, response_a, "art-5", {"5-1": "no"}).status_code == 302
    page = client.get(section_url(response_a, "art-5"))
    assert f'id="q{question(version, "5-2").pk}"'.encode() not in page.content
    assert b"Which approach?" not in page.content
    # The stale answer stays stored, but is neither shown nor counted.
    assert answers_of(response_a)["5-2"] == "conduct"
    save_section(client, response_a, "cases", {"6-1": "3"})
    assert submit(client, response_a).status_code == 302
    response_a.refresh_from_db()
    assert response_a.status == Response.Status.SUBMITTED


def test_a_shown_conditional_question_is_required(focal_point_a: User,
                                                  response_a: Response) -> None:
    client = client_for(focal_point_a)
    save_section(client, response_a, "art-5", {"5-1": "partly"})
    save_section(client, response_a, "cases", {"6-1": "3"})
    page = client.get(section_url(response_a, "art-5"))
    assert b"Which approach?" in page.content
    refused = submit(client, response_a)
    assert refused.status_code == 400
    assert b"Which approach?" in refused.content


def test_submitting_with_a_missing_required_answer_lists_it_with_a_link(
        focal_point_a: User, response_a: Response) -> None:
    client = client_for(focal_point_a)
    save_section(client, response_a, "art-5", {"5-1": "no"})
    page = submit(client, response_a)
    assert page.status_code == 400
    text = page.content.decode()
    assert "How many convictions?" in text
    convictions = question(response_a.questionnaire_version, "6-1").pk
    assert f'{section_url(response_a, "cases")}#q{convictions}' in text
    assert "Is participation criminalized?" not in text.split('id="missing-heading"')[1].split(
        "</section>")[0]
    response_a.refresh_from_db()
    assert response_a.status == Response.Status.IN_PROGRESS


# Saving ---------------------------------------------------------------------------------------

def test_two_experts_saving_one_section_the_second_stale_save_is_refused_and_nothing_lost(
        expert_a: User, expert_a2: User, response_a: Response) -> None:
    first, second = client_for(expert_a), client_for(expert_a2)
    opened_by_second = version_on_page(second.get(section_url(response_a, "cases")))
    assert save_section(first, response_a, "cases", {"6-1": "12", "6-4": "Text of the first"},
                        version=version_on_page(first.get(section_url(response_a, "cases")))
                        ).status_code == 302

    refused = save_section(second, response_a, "cases", {"6-1": "40", "6-4": "Second's text"},
                           version=opened_by_second)
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Someone else saved this section" in text
    assert "Text of the first" in text  # saved now
    assert "Second&#x27;s text" in text  # the second expert's input, kept in the form
    assert 'value="40"' in text
    assert answers_of(response_a) == {"6-1": 12, "6-4": "Text of the first"}

    # Saving again from the refused page (which carries the new version) replaces it.
    again = save_section(second, response_a, "cases", {"6-1": "40", "6-4": "Second's text"},
                         version=version_on_page(refused))
    assert again.status_code == 302
    assert answers_of(response_a) == {"6-1": 40, "6-4": "Second's text"}


def test_autosave_with_htmx_returns_a_small_fragment_with_the_new_version(
        focal_point_a: User, response_a: Response) -> None:
    client = client_for(focal_point_a)
    page = save_section(client, response_a, "cases", {"6-1": "5"}, version=0,
                        HX_Request="true")
    assert page.status_code == 200
    assert b"<html" not in page.content
    assert b'name="version" value="1"' in page.content
    assert "HX-Refresh" not in page
    # The same form saved again with the version it had (Save pressed before the autosave's
    # answer came back) follows the person's own save: applied, not a conflict.
    again = save_section(client, response_a, "cases", {"6-1": "6"}, version=0,
                         HX_Request="true")
    assert b'name="version" value="2"' in again.content
    assert answers_of(response_a) == {"6-1": 6}
    # Two saves behind, it is refused as stale, and nothing changes.
    stale = save_section(client, response_a, "cases", {"6-1": "7"}, version=0,
                         HX_Request="true")
    assert b"Someone else saved this section" in stale.content
    assert answers_of(response_a) == {"6-1": 6}


def test_autosave_asks_for_a_refresh_when_a_condition_shows_a_question(
        focal_point_a: User, response_a: Response) -> None:
    client = client_for(focal_point_a)
    page = save_section(client, response_a, "art-5", {"5-1": "yes"}, version=0,
                        HX_Request="true")
    assert page["HX-Refresh"] == "true"


def test_every_type_is_saved_and_a_table_row_is_added_without_javascript(
        focal_point_a: User, response_a: Response) -> None:
    client = client_for(focal_point_a)
    table = question(response_a.questionnaire_version, "6-2").pk
    added = save_section(client, response_a, "cases", {"6-1": "2.5"}, extra={
        f"q{table}-rows": "1", f"q{table}-0-year": "2024", f"q{table}-0-summary": "First case",
        "add_row": str(table)})
    assert added.status_code == 302
    assert added["Location"].endswith(f"?add_row={table}#q{table}")
    page = client.get(added["Location"])
    assert f'name="q{table}-1-summary"'.encode() in page.content
    save_section(client, response_a, "cases", {"6-1": "2.5"}, extra={
        f"q{table}-rows": "2", f"q{table}-0-year": "2024", f"q{table}-0-summary": "First case",
        f"q{table}-1-year": "2025", f"q{table}-1-summary": "Second case"})
    assert answers_of(response_a) == {"6-1": 2.5, "6-2": [
        {"year": 2024, "summary": "First case"}, {"year": 2025, "summary": "Second case"}]}


def test_a_file_is_attached_within_the_size_limit(
        focal_point_a: User, focal_point_b: User, response_a: Response, response_b: Response,
        settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.PALERMO_ANSWER_FILE_MAX_BYTES = 100
    client = client_for(focal_point_a)
    pk = question(response_a.questionnaire_version, "6-3").pk
    too_big = save_section(client, response_a, "cases", {
        "6-3": SimpleUploadedFile("law.pdf", b"x" * 101, content_type="application/pdf")})
    assert too_big.status_code == 200
    assert b"larger than" in too_big.content
    assert Answer.objects.filter(response=response_a).count() == 0
    save_section(client, response_a, "cases", {
        "6-3": SimpleUploadedFile("law.pdf", b"x" * 50, content_type="application/pdf")})
    answer = Answer.objects.get(response=response_a, question_id=pk)
    assert [f.name for f in answer.files.all()] == ["law.pdf"]
    attached = answer.files.get()
    assert answer.value == [attached.pk]
    url = reverse("reporting:answer_file", kwargs={"pk": response_a.pk, "file_pk": attached.pk})
    assert url in client.get(section_url(response_a, "cases")).content.decode()
    download = client.get(url)
    assert download.getvalue() == b"x" * 50
    assert client_for(focal_point_b).get(url).status_code == 404
    other = reverse("reporting:answer_file", kwargs={"pk": response_b.pk,
                                                     "file_pk": attached.pk})
    assert client_for(focal_point_b).get(other).status_code == 404


def test_a_submitted_response_is_read_only_until_reopened(
        focal_point_a: User, response_a: Response) -> None:
    client = client_for(focal_point_a)
    save_section(client, response_a, "art-5", {"5-1": "no"})
    save_section(client, response_a, "cases", {"6-1": "1"})
    submit(client, response_a)
    page = client.get(section_url(response_a, "cases"))
    assert b"disabled" in page.content
    assert b"hx-post" not in page.content
    assert save_section(client, response_a, "cases", {"6-1": "9"},
                        version=version_on_page(page)).status_code == 403
    assert answers_of(response_a)["6-1"] == 1


def test_the_history_of_an_answer_lists_each_saved_value(
        focal_point_a: User, response_a: Response) -> None:
    client = client_for(focal_point_a)
    save_section(client, response_a, "cases", {"6-1": "1"})
    save_section(client, response_a, "cases", {"6-1": "2"})
    url = reverse("reporting:answer_history", kwargs={
        "pk": response_a.pk, "question_pk": question(response_a.questionnaire_version,
                                                     "6-1").pk})
    page = client.get(url)
    assert page.status_code == 200
    cells = page.content.decode().split("<tbody>")[1]
    assert cells.index("<bdi>2</bdi>") < cells.index("<bdi>1</bdi>")


def test_the_section_page_runs_a_bounded_number_of_queries(
        focal_point_a: User, response_a: Response,
        django_assert_max_num_queries: Any) -> None:
    client = client_for(focal_point_a)
    save_section(client, response_a, "art-5", {"5-1": "yes"})
    save_section(client, response_a, "art-5", {"5-1": "yes", "5-2": "agreement"})
    url = section_url(response_a, "art-5")
    client.get(url)
    with django_assert_max_num_queries(25):
        client.get(url)
    with django_assert_max_num_queries(25):
        client.get(detail_url(response_a))


# Experts --------------------------------------------------------------------------------------

def test_a_focal_point_invites_an_expert_who_then_answers(
        focal_point_a: User, response_a: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    expert = make_person("invited-expert@example.org")
    expert.language = "fr"
    expert.save(update_fields=["language"])
    client = client_for(focal_point_a)
    invite = reverse("reporting:response_invite", kwargs={"pk": response_a.pk})
    assert client_for(expert).get(detail_url(response_a)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite, {"email": "Invited-Expert@example.org"})
    assert ResponseContributor.objects.filter(response=response_a, user=expert).exists()
    assert [m.to for m in mail.outbox] == [["invited-expert@example.org"]]
    assert mail.outbox[0].extra_headers["Content-Language"] == "fr"
    assert f"/fr/reporting/responses/{response_a.pk}/" in mail.outbox[0].body
    expert_client = client_for(expert)
    assert save_section(expert_client, response_a, "cases", {"6-1": "7"}).status_code == 302
    # An expert answers but does not submit.
    assert submit(expert_client, response_a).status_code == 403


# An address without an account is invited to create one: tests/reporting/
# test_expert_invitations.py.


# Who sees what --------------------------------------------------------------------------------

def test_an_expert_of_state_a_cannot_see_state_bs_response(
        expert_a: User, focal_point_a: User, response_b: Response) -> None:
    for user in (expert_a, focal_point_a):
        client = client_for(user)
        assert client.get(detail_url(response_b)).status_code == 404
        assert client.get(section_url(response_b, "cases")).status_code == 404
        assert save_section(client, response_b, "cases", {"6-1": "1"},
                            version=0).status_code == 404
        assert submit(client, response_b).status_code == 404
        assert client.get(reverse("reporting:answer_history", kwargs={
            "pk": response_b.pk,
            "question_pk": question(response_b.questionnaire_version, "6-1").pk,
        })).status_code == 404
    assert not Answer.objects.filter(response=response_b).exists()


@pytest.mark.parametrize("name", ["anonymous", "practitioner_a", "focal_point_b"])
def test_a_confidential_answer_is_seen_only_by_the_state_and_the_secretariat(
        name: str, request: pytest.FixtureRequest, focal_point_a: User, expert_a: User,
        secretariat: User, response_a: Response) -> None:
    save_section(client_for(focal_point_a), response_a, "cases", {"6-4": MARKER, "6-1": "1"},
                 confidential=("6-4",))
    assert Answer.objects.get(value=MARKER).confidential
    history = reverse("reporting:answer_history", kwargs={
        "pk": response_a.pk, "question_pk": question(response_a.questionnaire_version,
                                                     "6-4").pk})
    urls = [detail_url(response_a), section_url(response_a, "cases"), history,
            reverse("reporting:response_list")]
    for user in (focal_point_a, expert_a, secretariat):
        client = client_for(user)
        assert MARKER.encode() in client.get(section_url(response_a, "cases")).content
        assert MARKER.encode() in client.get(history).content
    outsider = None if name == "anonymous" else request.getfixturevalue(name)
    client = client_for(outsider)
    for url in urls:
        page = client.get(url)
        assert page.status_code in (200, 404)
        assert MARKER.encode() not in page.content


# Supplementary information --------------------------------------------------------------------

def test_a_focal_point_starts_and_submits_supplementary_information_without_a_cycle(
        focal_point_a: User, state_a: Any, secretariat: User) -> None:
    from .cycles_world import build_version

    version = build_version("supplementary-untoc")
    questionnaire = version.questionnaire
    questionnaire.kind = "supplementary"
    questionnaire.save()
    client = client_for(focal_point_a)
    listing = client.get(reverse("reporting:response_list"))
    assert b"Submit supplementary information" in listing.content
    started = client.post(reverse("reporting:supplementary_start"),
                          {"state": state_a.pk, "version": version.pk})
    response = Response.objects.get(cycle=None)
    assert started["Location"] == detail_url(response)
    assert response.state == state_a
    save_section(client, response, "art-5", {"5-1": "no"})
    save_section(client, response, "cases", {"6-1": "0"})
    assert submit(client, response).status_code == 302
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    cycles_page = client_for(secretariat).get(reverse("reporting:cycle_list")).content.decode()
    assert detail_url(response) in cycles_page.split('id="supplementary-heading"')[1]


def test_a_focal_point_of_state_b_cannot_start_supplementary_information_for_state_a(
        focal_point_b: User, state_a: Any) -> None:
    from .cycles_world import build_version

    version = build_version("supplementary-untoc")
    version.questionnaire.kind = "supplementary"
    version.questionnaire.save()
    page = client_for(focal_point_b).post(reverse("reporting:supplementary_start"),
                                          {"state": state_a.pk, "version": version.pk})
    assert page.status_code == 404
    assert not Response.objects.exists()


def test_the_pages_speak_the_language_of_the_url(focal_point_a: User, secretariat: User,
                                                 response_a: Response) -> None:
    with translation.override("ar"):
        section = section_url(response_a, "art-5")
        cycle = reverse("reporting:cycle_detail", kwargs={"pk": response_a.cycle_id})
    page = client_for(focal_point_a).get(section).content.decode()
    assert 'dir="rtl"' in page
    assert "Is participation criminalized? [ar]" in page
    assert "First cycle [ar]" in client_for(secretariat).get(cycle).content.decode()

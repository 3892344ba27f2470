"""Who sees which response and answer (the access layer every channel reads through)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from palermo.accounts.models import User
from palermo.reference.models import State
from palermo.reporting import access
from palermo.reporting.models import (
    Answer,
    Cycle,
    Question,
    QuestionnaireVersion,
    Response,
    ResponseContributor,
)
from tests.personas import make_person

from .factories import published_version, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(reference_data: None) -> QuestionnaireVersion:
    return published_version()


@pytest.fixture
def cycle(version: QuestionnaireVersion, secretariat: User) -> Cycle:
    return Cycle.objects.create(
        questionnaire_version=version, title=texts("First cycle"), parties_on=dt.date(2026, 1, 1),
        opens_on=dt.date(2026, 2, 1), closes_on=dt.date(2026, 6, 30), created_by=secretariat)


def _response(cycle: Cycle, state: State) -> Response:
    response = Response.objects.create(state=state, cycle=cycle,
                                       questionnaire_version=cycle.questionnaire_version,
                                       status=Response.Status.IN_PROGRESS)
    version = cycle.questionnaire_version
    Answer.objects.create(response=response, value="yes",
                          question=Question.objects.get(questionnaire_version=version,
                                                        code="5-1"))
    Answer.objects.create(response=response, value="conduct", confidential=True,
                          question=Question.objects.get(questionnaire_version=version,
                                                        code="5-2"))
    return response


@pytest.fixture
def response_a(cycle: Cycle, state_a: State) -> Response:
    return _response(cycle, state_a)


@pytest.fixture
def response_b(cycle: Cycle, state_b: State) -> Response:
    return _response(cycle, state_b)


@pytest.fixture
def expert_a(response_a: Response, focal_point_a: User) -> User:
    expert = make_person("expert-a@example.org")
    ResponseContributor.objects.create(response=response_a, user=expert,
                                       invited_by=focal_point_a)
    return expert


def test_a_focal_point_sees_only_its_states_responses(
        focal_point_a: User, response_a: Response, response_b: Response) -> None:
    assert list(access.responses_visible_to(focal_point_a)) == [response_a]
    assert access.get_response_for_user(focal_point_a, response_a.pk) == response_a
    with pytest.raises(Http404):
        access.get_response_for_user(focal_point_a, response_b.pk)


def test_an_invited_expert_sees_the_response_and_its_confidential_answers(
        expert_a: User, response_a: Response, response_b: Response) -> None:
    assert list(access.responses_visible_to(expert_a)) == [response_a]
    answers = access.answers_visible_to(expert_a)
    assert {a.response_id for a in answers} == {response_a.pk}
    assert answers.filter(confidential=True).count() == 1
    assert access.may_edit_response(expert_a, response_a)
    assert not access.may_submit_response(expert_a, response_a)
    with pytest.raises(Http404):
        access.get_response_for_user(expert_a, response_b.pk)


def test_the_secretariat_sees_every_response_and_answer(
        secretariat: User, response_a: Response, response_b: Response) -> None:
    assert set(access.responses_visible_to(secretariat)) == {response_a, response_b}
    assert access.answers_visible_to(secretariat).filter(confidential=True).count() == 2
    assert not access.may_edit_response(secretariat, response_a)
    assert access.manages_questionnaires(secretariat)


@pytest.mark.parametrize("name", ["anonymous", "practitioner_a", "focal_point_b"])
def test_others_see_nothing_of_state_as_response(
        name: str, request: pytest.FixtureRequest, response_a: Response) -> None:
    user = None if name == "anonymous" else request.getfixturevalue(name)
    assert response_a not in access.responses_visible_to(user)
    assert not access.answers_visible_to(user).filter(response=response_a).exists()
    assert not access.answer_history_visible_to(user).filter(
        response_id=response_a.pk).exists()
    assert not access.cycles_visible_to(user).filter(responses=response_a).exists()
    assert not access.may_edit_response(user, response_a)
    assert not access.manages_questionnaires(user)
    with pytest.raises(Http404):
        access.get_response_for_user(user, response_a.pk)


def test_a_submitted_response_is_no_longer_editable_but_can_be_reopened(
        focal_point_a: User, secretariat: User, response_a: Response) -> None:
    assert access.may_edit_response(focal_point_a, response_a)
    assert access.may_submit_response(focal_point_a, response_a)
    assert not access.may_reopen_response(secretariat, response_a)
    response_a.status = Response.Status.SUBMITTED
    assert not access.may_edit_response(focal_point_a, response_a)
    assert access.may_reopen_response(secretariat, response_a)


def test_drafts_of_questionnaires_are_the_secretariats(
        secretariat: User, focal_point_a: User, version: QuestionnaireVersion) -> None:
    draft = QuestionnaireVersion.objects.create(
        questionnaire=version.questionnaire, number=2, title=texts("Draft"))
    assert draft in access.questionnaire_versions_visible_to(secretariat)
    assert draft not in access.questionnaire_versions_visible_to(focal_point_a)
    assert version in access.questionnaire_versions_visible_to(None)
    with pytest.raises(Http404):
        access.get_version_for_user(focal_point_a, version.questionnaire.code, 2)


def test_the_response_list_costs_a_bounded_number_of_queries(
        focal_point_a: User, response_a: Response, expert_a: User,
        django_assert_max_num_queries: pytest.FixtureRequest) -> None:
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        assert len(list(access.answers_visible_to(focal_point_a))) == 2

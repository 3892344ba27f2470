from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from palermo.reporting.models import (
    Choice,
    PublishedVersionError,
    Question,
    QuestionnaireVersion,
    Section,
)

from .factories import draft_version, published_version, texts

pytestmark = pytest.mark.django_db


def test_a_published_version_refuses_every_write(reference_data: None) -> None:
    version = published_version()
    question = Question.objects.get(questionnaire_version=version, code="5-1")
    question.required = False
    with pytest.raises(PublishedVersionError):
        question.save()
    with pytest.raises(ValidationError, match="is published and cannot be changed"):
        question.full_clean()
    with pytest.raises(PublishedVersionError):
        Choice.objects.filter(question__code="5-2").first().delete()  # type: ignore[union-attr]
    with pytest.raises(PublishedVersionError):
        Section.objects.create(questionnaire_version=version, code="new", title=texts("New"))
    version.title = texts("Changed")
    with pytest.raises(PublishedVersionError):
        version.save()
    with pytest.raises(PublishedVersionError):
        QuestionnaireVersion.objects.get(pk=version.pk).delete()
    assert Question.objects.get(pk=question.pk).required is True


def test_a_draft_can_change(reference_data: None) -> None:
    version = draft_version()
    question = Question.objects.get(questionnaire_version=version, code="5-1")
    question.required = False
    question.full_clean()
    question.save()
    assert Question.objects.get(pk=question.pk).required is False


def test_texts_follow_the_active_language_with_english_fallback(reference_data: None) -> None:
    version = draft_version()
    question = Question.objects.get(questionnaire_version=version, code="5-1")
    with translation.override("ru"):
        assert question.localized_text == "Is participation criminalized? [ru]"
    question.text = {"en": "Only English"}
    with translation.override("ar"):
        assert question.localized_text == "Only English"


def test_a_condition_shows_the_question_only_for_its_answers(reference_data: None) -> None:
    version = draft_version()
    dependent = Question.objects.get(questionnaire_version=version, code="5-2")
    assert dependent.is_shown({"5-1": "yes"})
    assert not dependent.is_shown({"5-1": "no"})
    assert not dependent.is_shown({})

"""Small questionnaires built directly, for tests of reporting."""

from __future__ import annotations

from django.utils import timezone

from palermo.reference.models import Article, Instrument
from palermo.reporting.models import (
    Choice,
    Question,
    QuestionCitation,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)


def texts(english: str) -> dict[str, str]:
    """A text in the six languages, each marked with its language."""
    return {code: f"{english} [{code}]" if code != "en" else english
            for code in ("en", "fr", "es", "ru", "ar", "zh-hans")}


def draft_version(code: str = "test-untoc", *, kind: str = "questionnaire",
                  instrument: str = "untoc") -> QuestionnaireVersion:
    """A draft with one section (art. 5) of two questions: 5-1 (yes/no/partly) and 5-2
    (single choice, shown when 5-1 is yes or partly)."""
    questionnaire = Questionnaire.objects.create(
        code=code, kind=kind, instrument=Instrument.objects.get(code=instrument),
        title=texts("Test questionnaire"))
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, title=texts("Test questionnaire"))
    article = Article.objects.get(instrument__code=instrument, number=5)
    section = Section.objects.create(questionnaire_version=version, position=1, code="art-5",
                                     title=texts("Participation in an organized criminal group"))
    section.articles.add(article)
    first = Question.objects.create(section=section, position=1, code="5-1",
                                    type=Question.Type.YES_NO_PARTLY, required=True,
                                    text=texts("Is participation criminalized?"))
    QuestionCitation.objects.create(question=first, article=article,
                                    paragraph=article.paragraphs.get(number=1),
                                    subparagraph="a")
    second = Question.objects.create(section=section, position=2, code="5-2",
                                     type=Question.Type.SINGLE, required=True,
                                     text=texts("Which approach?"), depends_on=first,
                                     allowed_values=["yes", "partly"])
    QuestionCitation.objects.create(question=second, article=article)
    Choice.objects.create(question=second, position=1, code="agreement",
                          label=texts("Agreement"))
    Choice.objects.create(question=second, position=2, code="conduct",
                          label=texts("Conduct"))
    return version


def published_version(code: str = "test-untoc", **kwargs: str) -> QuestionnaireVersion:
    version = draft_version(code, **kwargs)
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    return version

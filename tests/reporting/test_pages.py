"""Questionnaire pages: reading a version in the visitor's language, and the secretariat
building a draft, publishing it and making a new version, through the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palermo.accounts.models import User
from palermo.reporting.models import Choice, Question, QuestionnaireVersion, Section
from tests.personas import client_for, make_person

from .factories import draft_version, published_version

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh-hans")


def texts(name: str, english: str, *, six: bool = True) -> dict[str, str]:
    """Form data for a text: English, and the five other languages when ``six``."""
    return {f"{name}_{code}": (english if code == "en" else f"{english} ({code})")
            for code in (LANGUAGES if six else ("en",))}


def url(name: str, version: QuestionnaireVersion, **kwargs: Any) -> str:
    return reverse(f"reporting:{name}", kwargs={
        "code": version.questionnaire.code, "number": version.number, **kwargs})


def token(version: QuestionnaireVersion) -> int:
    return QuestionnaireVersion.objects.get(pk=version.pk).version


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Reading --------------------------------------------------------------------------------------

def test_a_version_shows_questions_citations_conditions_and_help_in_the_visitors_language(
        reference_data: None, django_assert_max_num_queries: Any) -> None:
    version = published_version()
    page = url("version", version).replace("/en/", "/ru/", 1)
    with django_assert_max_num_queries(12):
        response = Client().get(page)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Is participation criminalized? [ru]" in body
    assert 'href="/ru/instruments/untoc/articles/5/#p1"' in body
    assert "5-1" in body and "Agreement [ru]" in body


def test_the_query_count_does_not_grow_with_the_questions(
        reference_data: None, django_assert_max_num_queries: Any) -> None:
    version = draft_version()
    section = Section.objects.get(questionnaire_version=version)
    for n in range(30):
        question = Question.objects.create(section=section, position=10 + n, code=f"q{n}",
                                           type=Question.Type.SINGLE, text={"en": f"Q{n}"})
        Choice.objects.create(question=question, code="a", label={"en": "A"})
    version.status, version.published_at = "published", version.created_at
    version.save()
    with django_assert_max_num_queries(12):
        assert Client().get(url("version", version)).status_code == 200


def test_drafts_are_the_secretariats_and_others_get_404(
        reference_data: None, focal_point_a: User, secretariat: User) -> None:
    version = draft_version()
    for client in (Client(), client_for(focal_point_a)):
        assert client.get(url("version", version)).status_code == 404
        assert client.get(reverse("reporting:questionnaire",
                                  kwargs={"code": "test-untoc"})).status_code == 404
        assert "test-untoc" not in client.get(reverse("reporting:questionnaires")).content.decode()
        assert client.get(url("section_create", version)).status_code == 404
        assert client.post(url("section_create", version), {
            "token": version.version, "code": "x", **texts("title", "X")}).status_code == 404
    assert not Section.objects.filter(code="x").exists()
    assert client_for(secretariat).get(url("version", version)).status_code == 200


def test_the_secretariat_needs_its_second_factor_to_edit(reference_data: None) -> None:
    person = make_person("new-secretariat@example.org", secretariat=True, second_factor=False)
    version = draft_version()
    response = client_for(person).get(url("section_create", version))
    assert response.status_code == 302 and "totp" in response["Location"]


# Building a questionnaire ---------------------------------------------------------------------

def test_the_secretariat_builds_and_publishes_a_questionnaire(
        reference_data: None, secretariat: User) -> None:
    client = client_for(secretariat)
    response = client.post(reverse("reporting:questionnaire_create"), {
        "code": "som-criminalization", "kind": "questionnaire",
        "instrument": _instrument_pk("som"), **texts("title", "Smuggling: criminalization"),
        **texts("introduction", "Answer for the law in force")})
    version = QuestionnaireVersion.objects.get(questionnaire__code="som-criminalization")
    assert response.status_code == 302 and response["Location"] == url("version", version)

    client.post(url("section_create", version), {
        "token": token(version), "code": "art-6", **texts("title", "Criminalization"),
        "articles": [_article_pk("som", 6)]})
    section = Section.objects.get(questionnaire_version=version)
    client.post(url("question_create", version), {
        "token": token(version), "section": section.pk, "code": "6-1-a",
        "type": "yes_no_partly", "required": "on", "citations": "6(1)(a)",
        "tags": ["smuggling"], **texts("text", "Is smuggling an offence?"),
        **texts("help", "", six=False)})
    source = Question.objects.get(code="6-1-a")
    response = client.post(url("question_create", version), {
        "token": token(version), "section": section.pk, "code": "6-1-a-how", "type": "single",
        "citations": "art. 6(1)", "depends_on": source.pk, "allowed_values": "yes, partly",
        **texts("text", "Where?")})
    assert response.status_code == 302, response.content.decode()
    dependent = Question.objects.get(code="6-1-a-how")
    for code in ("penal-code", "special-law"):
        client.post(url("choice_create", version, question=dependent.pk), {
            "token": token(version), "code": code, **texts("label", code)})

    page = client.get(url("version", version)).content.decode()
    assert "Shown only when the answer to 6-1-a is: Yes, Partly" in page
    assert 'href="/en/instruments/som/articles/6/#p1"' in page

    response = client.post(url("version_publish", version), {"token": token(version)},
                           follow=True)
    assert "Version 1 is published" in " ".join(messages_of(response))
    version.refresh_from_db()
    assert version.is_published and version.published_by == secretariat
    assert [c.code for c in dependent.choices.all()] == ["penal-code", "special-law"]
    assert dependent.depends_on == source and dependent.allowed_values == ["yes", "partly"]
    citation = source.citations.get()
    assert (citation.article.number, citation.paragraph_number, citation.subparagraph) == (
        6, 1, "a")


def test_a_draft_with_missing_translations_is_not_published(
        reference_data: None, secretariat: User) -> None:
    version = draft_version()
    client = client_for(secretariat)
    question = Question.objects.get(questionnaire_version=version, code="5-1")
    client.post(url("question_edit", version, pk=question.pk), {
        "token": token(version), "section": question.section_id, "code": "5-1",
        "type": "yes_no_partly", "citations": "5(1)(a)",
        **texts("text", "Only in English", six=False)})
    response = client.post(url("version_publish", version), {"token": token(version)},
                           follow=True)
    shown = " ".join(messages_of(response))
    assert "Question 5-1: the text is missing in ar, zh-hans, fr, ru, es." in shown
    assert not QuestionnaireVersion.objects.get(pk=version.pk).is_published


def test_a_published_version_refuses_every_write_with_a_message(
        reference_data: None, secretariat: User) -> None:
    version = published_version()
    client = client_for(secretariat)
    question = Question.objects.get(questionnaire_version=version, code="5-1")
    choice = Choice.objects.get(question__questionnaire_version=version, code="agreement")
    attempts: list[tuple[str, dict[str, Any]]] = [
        (url("version_edit", version), texts("title", "Changed")),
        (url("section_create", version), {"code": "new", **texts("title", "New")}),
        (url("question_edit", version, pk=question.pk), {
            "section": question.section_id, "code": "5-1", "type": "text",
            "citations": "5", **texts("text", "Changed")}),
        (url("choice_edit", version, question=choice.question_id, pk=choice.pk),
         {"code": "changed", **texts("label", "Changed")}),
        (url("item_delete", version, kind="questions", pk=question.pk), {}),
        (url("item_move", version, kind="questions", pk=question.pk), {"direction": "down"}),
        (url("version_publish", version), {}),
    ]
    for address, data in attempts:
        response = client.post(address, {"token": version.version, **data}, follow=True)
        assert "Version 1 is published and cannot be changed" in " ".join(
            messages_of(response)), address
    assert client.get(url("section_create", version)).status_code == 302
    question.refresh_from_db()
    assert (question.text["en"], question.type, question.position) == (
        "Is participation criminalized?", "yes_no_partly", 1)
    assert Choice.objects.filter(pk=choice.pk, code="agreement").exists()
    assert Section.objects.filter(questionnaire_version=version).count() == 1


def test_a_stale_form_is_refused_and_nothing_is_lost(
        reference_data: None, secretariat: User) -> None:
    version = draft_version()
    section = Section.objects.get(questionnaire_version=version)
    opened = token(version)
    first, second = client_for(secretariat), client_for(secretariat)
    first.post(url("section_edit", version, pk=section.pk), {
        "token": opened, "code": "art-5", **texts("title", "First title")})
    response = second.post(url("section_edit", version, pk=section.pk), {
        "token": opened, "code": "art-5", **texts("title", "Second title")})
    assert response.status_code == 409
    assert "Someone else changed this draft" in response.content.decode()
    assert 'value="Second title"' in response.content.decode()
    section.refresh_from_db()
    assert section.title["en"] == "First title"


def test_a_new_version_copies_the_published_one_which_stays_unchanged(
        reference_data: None, secretariat: User) -> None:
    first = published_version()
    client = client_for(secretariat)
    response = client.post(reverse("reporting:version_new", kwargs={"code": "test-untoc"}))
    second = QuestionnaireVersion.objects.get(questionnaire__code="test-untoc", number=2)
    assert response["Location"] == url("version", second)
    assert second.status == "draft" and second.based_on == first
    copied = Question.objects.get(questionnaire_version=second, code="5-2")
    assert copied.depends_on.code == "5-1"  # type: ignore[union-attr]
    assert copied.depends_on.questionnaire_version == second  # type: ignore[union-attr]
    assert [c.code for c in copied.choices.all()] == ["agreement", "conduct"]
    client.post(url("question_edit", second, pk=copied.pk), {
        "token": token(second), "section": copied.section_id, "code": "5-2",
        "type": "single", "citations": "5", "depends_on": copied.depends_on_id,
        "allowed_values": "yes", **texts("text", "Changed in version 2")})
    original = Question.objects.get(questionnaire_version=first, code="5-2")
    assert original.text["en"] == "Which approach?"
    assert original.allowed_values == ["yes", "partly"]
    assert Question.objects.get(pk=copied.pk).text["en"] == "Changed in version 2"
    again = client.post(reverse("reporting:version_new", kwargs={"code": "test-untoc"}),
                        follow=True)
    assert "Version 2 is a draft already" in " ".join(messages_of(again))


def test_reordering_keeps_conditions_pointing_back(
        reference_data: None, secretariat: User) -> None:
    version = draft_version()
    client = client_for(secretariat)
    dependent = Question.objects.get(questionnaire_version=version, code="5-2")
    response = client.post(url("item_move", version, kind="questions", pk=dependent.pk),
                           {"token": token(version), "direction": "up"}, follow=True)
    assert "cannot come before the question it depends on" in " ".join(messages_of(response))
    assert Question.objects.get(pk=dependent.pk).position == 2
    choice = Choice.objects.get(question=dependent, code="conduct")
    client.post(url("item_move", version, kind="choices", pk=choice.pk),
                {"token": token(version), "direction": "up"})
    assert [c.code for c in dependent.choices.order_by("position")] == ["conduct",
                                                                       "agreement"]


def test_deleting_what_a_condition_needs_is_refused(
        reference_data: None, secretariat: User) -> None:
    version = draft_version()
    client = client_for(secretariat)
    source = Question.objects.get(questionnaire_version=version, code="5-1")
    page = client.get(url("item_delete", version, kind="questions", pk=source.pk))
    assert page.status_code == 200
    response = client.post(url("item_delete", version, kind="questions", pk=source.pk),
                           {"token": token(version)}, follow=True)
    assert "Questions 5-2 are shown depending on" in " ".join(messages_of(response))
    assert Question.objects.filter(pk=source.pk).exists()
    dependent = Question.objects.get(questionnaire_version=version, code="5-2")
    client.post(url("item_delete", version, kind="questions", pk=dependent.pk),
                {"token": token(version)})
    client.post(url("item_delete", version, kind="questions", pk=source.pk),
                {"token": token(version)})
    assert not Question.objects.filter(questionnaire_version=version).exists()


def _instrument_pk(code: str) -> int:
    from palermo.reference.models import Instrument

    return Instrument.objects.get(code=code).pk


def _article_pk(instrument: str, number: int) -> int:
    from palermo.reference.models import Article

    return Article.objects.get(instrument__code=instrument, number=number).pk

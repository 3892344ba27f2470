"""The ``load_questionnaires`` command: strict checks, published versions, idempotence."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from palermo.reporting.loaders import QUESTIONNAIRES_DIR
from palermo.reporting.models import Question, Questionnaire, QuestionnaireVersion

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "questionnaires" / "test-som.json"


def _load(directory: Path) -> str:
    out = StringIO()
    call_command("load_questionnaires", directory=directory, stdout=out)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(FIXTURE, tmp_path / "test-som.json")
    return tmp_path


def _edit(folder: Path, change: Any) -> None:
    path = folder / "test-som.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_file_becomes_a_published_version(reference_data: None, folder: Path) -> None:
    assert "Questionnaire published: test-som v1" in _load(folder)
    version = QuestionnaireVersion.objects.get(questionnaire__code="test-som")
    assert version.is_published and version.published_at is not None
    assert version.questionnaire.instrument.code == "som"
    questions = {q.code: q for q in Question.objects.filter(questionnaire_version=version)}
    assert list(questions) == ["6-1-a", "6-1-a-how", "6-cases"]
    first = questions["6-1-a"]
    citation = first.citations.get()
    assert (citation.article.number, citation.paragraph_number, citation.subparagraph) == (
        6, 1, "a")
    assert citation.get_absolute_url() == "/en/instruments/som/articles/6/#p1"
    assert sorted(first.tags.values_list("area", flat=True)) == ["criminalization",
                                                                "smuggling"]
    dependent = questions["6-1-a-how"]
    assert dependent.depends_on == first and dependent.allowed_values == ["yes", "partly"]
    assert list(dependent.choices.values_list("code", flat=True)) == ["penal-code",
                                                                      "special-law"]
    assert list(questions["6-cases"].columns.values_list("code", "type")) == [
        ("year", "number"), ("convicted", "yes_no")]


def test_loading_the_same_file_again_changes_nothing(reference_data: None,
                                                     folder: Path) -> None:
    _load(folder)
    version = QuestionnaireVersion.objects.get(questionnaire__code="test-som")
    assert "nothing changed" in _load(folder)
    assert QuestionnaireVersion.objects.filter(questionnaire__code="test-som").count() == 1
    assert QuestionnaireVersion.objects.get().updated_at == version.updated_at


def test_a_changed_file_makes_a_new_version_and_leaves_the_published_one(
        reference_data: None, folder: Path) -> None:
    _load(folder)

    def reword(data: dict[str, Any]) -> None:
        data["sections"][0]["questions"][0]["text"]["en"] = "Reworded question"

    _edit(folder, reword)
    assert "test-som v2" in _load(folder)
    first, second = QuestionnaireVersion.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.questions.get(code="6-1-a").text["en"] == (
        "Is the smuggling of migrants a criminal offence?")
    assert second.questions.get(code="6-1-a").text["en"] == "Reworded question"
    assert second.is_published
    assert "nothing changed" in _load(folder)


def _missing_russian(data: dict[str, Any]) -> None:
    del data["sections"][0]["questions"][1]["text"]["ru"]


def _bad_condition(data: dict[str, Any]) -> None:
    data["sections"][0]["questions"][1]["condition"]["in"] = ["maybe"]


def _later_condition(data: dict[str, Any]) -> None:
    data["sections"][0]["questions"][0]["condition"] = {"question": "6-1-a-how",
                                                        "in": ["penal-code"]}


def _unknown_article(data: dict[str, Any]) -> None:
    data["sections"][0]["questions"][2]["articles"] = [{"article": 99}]


def _unknown_paragraph(data: dict[str, Any]) -> None:
    data["sections"][0]["questions"][0]["articles"][0]["paragraph"] = 9


def _no_citation(data: dict[str, Any]) -> None:
    data["sections"][0]["questions"][2]["articles"] = []


def _unknown_tag(data: dict[str, Any]) -> None:
    data["sections"][0]["questions"][0]["tags"] = ["weather"]


def _choices_on_text(data: dict[str, Any]) -> None:
    data["sections"][0]["questions"][2]["type"] = "text"


def _unknown_key(data: dict[str, Any]) -> None:
    data["sections"][0]["questions"][0]["hint"] = {}


def _twice(data: dict[str, Any]) -> None:
    data["sections"][0]["questions"][2]["code"] = "6-1-a"


@pytest.mark.parametrize(("change", "message"), [
    (_missing_russian, "question 6-1-a-how: text must have exactly the six languages"),
    (_bad_condition, "question 6-1-a-how: the condition's answers maybe are not answers"),
    (_later_condition, "question 6-1-a: the condition refers to '6-1-a-how', which is not an "
                       "earlier question"),
    (_unknown_article, "question 6-cases: article 99 is not an article of the instrument"),
    (_unknown_paragraph, "question 6-1-a: article 6 has no paragraph 9"),
    (_no_citation, "question 6-cases: articles must be a non-empty list"),
    (_unknown_tag, "question 6-1-a: unknown tags weather"),
    (_choices_on_text, "question 6-cases: only table questions have columns"),
    (_unknown_key, "question 6-1-a: the question has unknown keys hint"),
    (_twice, "question 6-1-a: the question code is used twice"),
])
def test_a_bad_file_is_refused_naming_file_and_question_and_nothing_is_written(
        reference_data: None, folder: Path, change: Any, message: str) -> None:
    _edit(folder, change)
    with pytest.raises(CommandError) as error:
        _load(folder)
    assert f"test-som.json: {message}" in str(error.value)
    assert not Questionnaire.objects.exists()


def test_a_bad_file_among_good_ones_loads_none(reference_data: None, folder: Path) -> None:
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.json: not valid UTF-8 JSON"):
        _load(folder)
    assert not Questionnaire.objects.exists()


def test_the_shipped_questionnaires_load_and_cite_their_articles(reference_data: None) -> None:
    shipped = sorted(QUESTIONNAIRES_DIR.glob("*.json"))
    assert shipped, "no questionnaire is shipped"
    _load(QUESTIONNAIRES_DIR)
    assert Questionnaire.objects.count() == len(shipped)
    questions = Question.objects.filter(questionnaire_version__status="published")
    assert questions.exists()
    assert not questions.filter(citations=None).exists()
    assert "nothing changed" in _load(QUESTIONNAIRES_DIR)


def test_the_shipped_questionnaires_read_in_arabic_with_working_article_links(
        reference_data: None, django_assert_max_num_queries: Any) -> None:
    from django.test import Client

    _load(QUESTIONNAIRES_DIR)
    client = Client()
    for version in QuestionnaireVersion.objects.select_related("questionnaire"):
        address = version.get_absolute_url().replace("/en/", "/ar/", 1)
        with django_assert_max_num_queries(12):
            page = client.get(address)
        assert page.status_code == 200
        first = Question.objects.filter(questionnaire_version=version).first()
        assert first is not None and first.text["ar"] in page.content.decode()
        citation = first.citations.first()
        assert citation is not None
        article_page = client.get(citation.get_absolute_url().split("#")[0])
        assert article_page.status_code == 200

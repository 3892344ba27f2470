"""Load the questionnaires shipped in ``questionnaires/*.json`` (format: one questionnaire per
file, every text in the six languages; see the module's checks below).

Every file is checked whole before anything is written; the first problem stops the load
with a message naming the file and the section or question. Loading is idempotent: a file
that has not changed since it was last loaded changes nothing; a changed file becomes a new
published version, and published versions are never changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction

from palermo.reference.models import Article, Instrument

from . import services
from .models import (
    YES_NO_PARTLY,
    Choice,
    PriorityArea,
    Question,
    QuestionCitation,
    Questionnaire,
    QuestionnaireVersion,
    QuestionTag,
    Section,
    TableColumn,
)
from .texts import language_codes

QUESTIONNAIRES_DIR = Path(__file__).resolve().parent / "questionnaires"
INSTRUMENTS = ("untoc", "tip", "som", "firearms")
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
SUBPARAGRAPH = re.compile(r"^[a-z]{1,4}$")
COLUMN_TYPES = [c.value for c in TableColumn.Type]


class QuestionnaireFileError(Exception):
    """A shipped file that is not a valid questionnaire; the message names the place."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)  # "code vN"
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


# Checking ------------------------------------------------------------------------------------

class _Checker:
    """Checks one parsed file; ``fail`` raises with the file and place in the message."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.where = ""

    def fail(self, problem: str) -> NoReturn:
        place = f" {self.where}:" if self.where else ""
        raise QuestionnaireFileError(f"{self.name}:{place} {problem}")

    def keys(self, value: Any, required: set[str],
             optional: frozenset[str] | set[str] = frozenset(),
             what: str = "object") -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"{what} must be a JSON object")
        missing = sorted(required - set(value))
        if missing:
            self.fail(f"{what} lacks {', '.join(missing)}")
        unknown = sorted(set(value) - required - set(optional))
        if unknown:
            self.fail(f"{what} has unknown keys {', '.join(unknown)}")
        return value

    def texts(self, value: Any, what: str) -> dict[str, str]:
        codes = language_codes()
        if not isinstance(value, dict) or set(value) != set(codes):
            self.fail(f"{what} must have exactly the six languages {', '.join(codes)}")
        for code in codes:
            if not isinstance(value[code], str) or not value[code].strip():
                self.fail(f"{what} is empty in {code}")
        return {code: value[code].strip() for code in codes}

    def slug(self, value: Any, what: str) -> str:
        if not isinstance(value, str) or not SLUG.match(value) or len(value) > 60:
            self.fail(f"{what} must be a slug (lower-case letters, digits, - or _), "
                      f"at most 60 characters: {value!r}")
        return str(value)

    def boolean(self, value: Any, what: str) -> bool:
        if not isinstance(value, bool):
            self.fail(f"{what} must be true or false")
        return bool(value)

    def number(self, value: Any, what: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.fail(f"{what} must be a whole number")
        return int(value)

    def items(self, value: Any, what: str, *, allow_empty: bool = False) -> list[Any]:
        if not isinstance(value, list) or (not value and not allow_empty):
            self.fail(f"{what} must be a {'' if allow_empty else 'non-empty '}list")
        return list(value)


@dataclass
class _Articles:
    """The articles and paragraphs of one instrument, by number."""

    by_number: dict[int, Article]
    paragraphs: dict[tuple[int, int], Any]

    @classmethod
    def of(cls, instrument: Instrument) -> _Articles:
        articles = list(Article.objects.filter(instrument=instrument)
                        .prefetch_related("paragraphs"))
        return cls({a.number: a for a in articles},
                   {(a.number, p.number): p for a in articles for p in a.paragraphs.all()})


def check_file(path: Path) -> dict[str, Any]:
    """Parse and check one file; returns the parsed questionnaire, with its instrument,
    articles and paragraphs resolved, or raises :class:`QuestionnaireFileError`."""
    checker = _Checker(path.name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        checker.fail(f"not valid UTF-8 JSON ({error})")
    checker.keys(data, {"code", "kind", "instrument", "title", "introduction", "sections"},
                 what="the questionnaire")
    checker.slug(data["code"], "code")
    if data["kind"] not in Questionnaire.Kind.values:
        checker.fail(f"kind must be one of {', '.join(Questionnaire.Kind.values)}")
    if data["instrument"] not in INSTRUMENTS:
        checker.fail(f"instrument must be one of {', '.join(INSTRUMENTS)}")
    instrument = Instrument.objects.filter(code=data["instrument"]).first()
    if instrument is None:
        checker.fail(f"instrument {data['instrument']} is not in the reference data "
                     f"(run load_reference)")
    checker.texts(data["title"], "title")
    checker.texts(data["introduction"], "introduction")
    articles = _Articles.of(instrument)
    seen: dict[str, dict[str, Any]] = {}
    sections: set[str] = set()
    for section in checker.items(data["sections"], "sections"):
        named = isinstance(section, dict) and isinstance(section.get("code"), str)
        checker.where = f"section {section['code']}" if named else "a section"
        checker.keys(section, {"code", "title", "articles", "questions"}, what="the section")
        code = checker.slug(section["code"], "section code")
        checker.where = f"section {code}"
        if code in sections:
            checker.fail("the section code is used twice")
        sections.add(code)
        checker.texts(section["title"], "title")
        section["_articles"] = [
            _article(checker, articles, checker.number(n, "article"))
            for n in checker.items(section["articles"], "articles", allow_empty=True)]
        for question in checker.items(section["questions"], "questions"):
            _check_question(checker, articles, question, seen, code)
    checker.where = ""
    data["_instrument"] = instrument
    return data


def _article(checker: _Checker, articles: _Articles, number: int) -> Article:
    if number not in articles.by_number:
        checker.fail(f"article {number} is not an article of the instrument")
    return articles.by_number[number]


def _check_question(checker: _Checker, articles: _Articles, question: Any,
                    seen: dict[str, dict[str, Any]], section: str) -> None:
    named = isinstance(question, dict) and isinstance(question.get("code"), str)
    checker.where = (f"question {question['code']}" if named
                     else f"section {section}, a question")
    checker.keys(question, {"code", "type", "required", "articles", "text"},
                 {"help", "choices", "columns", "condition", "tags"}, what="the question")
    code = checker.slug(question["code"], "question code")
    checker.where = f"question {code}"
    if code in seen:
        checker.fail("the question code is used twice")
    kind = question["type"]
    if kind not in Question.Type.values:
        checker.fail(f"type must be one of {', '.join(Question.Type.values)}")
    checker.boolean(question["required"], "required")
    checker.texts(question["text"], "text")
    if "help" in question:
        checker.texts(question["help"], "help")
    question["_citations"] = [_citation(checker, articles, cite)
                              for cite in checker.items(question["articles"], "articles")]
    _check_choices(checker, question, kind)
    _check_columns(checker, question, kind)
    if "condition" in question:
        _check_condition(checker, question["condition"], seen)
    tags = checker.items(question.get("tags", []), "tags", allow_empty=True)
    unknown = sorted(set(map(str, tags)) - set(PriorityArea.values))
    if unknown:
        checker.fail(f"unknown tags {', '.join(unknown)}; use "
                     f"{', '.join(PriorityArea.values)}")
    if len(set(tags)) != len(tags):
        checker.fail("a tag is given twice")
    seen[code] = question


def _citation(checker: _Checker, articles: _Articles, cite: Any) -> dict[str, Any]:
    checker.keys(cite, {"article"}, {"paragraph", "subparagraph"}, what="a cited article")
    article = _article(checker, articles, checker.number(cite["article"], "article"))
    paragraph = None
    if "paragraph" in cite:
        number = checker.number(cite["paragraph"], "paragraph")
        paragraph = articles.paragraphs.get((article.number, number))
        if paragraph is None:
            checker.fail(f"article {article.number} has no paragraph {number}")
    subparagraph = cite.get("subparagraph", "")
    if subparagraph and (not isinstance(subparagraph, str)
                         or not SUBPARAGRAPH.match(subparagraph)):
        checker.fail(f"subparagraph must be a letter or roman numeral in lower case: "
                     f"{subparagraph!r}")
    if subparagraph and paragraph is None:
        # An article without numbered paragraphs has one, number 0 (art. 23(a)).
        paragraph = articles.paragraphs.get((article.number, 0))
        if paragraph is None:
            checker.fail(f"article {article.number} has numbered paragraphs: give the "
                         f"paragraph of subparagraph {subparagraph}")
    return {"article": article, "paragraph": paragraph, "subparagraph": subparagraph}


def _check_choices(checker: _Checker, question: dict[str, Any], kind: str) -> None:
    if kind not in ("single", "multiple"):
        if "choices" in question:
            checker.fail("only single and multiple choice questions have choices")
        return
    choices = checker.items(question.get("choices"), "choices")
    if len(choices) < 2:
        checker.fail("a choice question needs at least two choices")
    codes: set[str] = set()
    for choice in choices:
        checker.keys(choice, {"code", "label"}, what="a choice")
        code = checker.slug(choice["code"], "choice code")
        if code in codes:
            checker.fail(f"choice {code} is given twice")
        codes.add(code)
        checker.texts(choice["label"], f"the label of choice {code}")


def _check_columns(checker: _Checker, question: dict[str, Any], kind: str) -> None:
    if kind != "table":
        if "columns" in question:
            checker.fail("only table questions have columns")
        return
    codes: set[str] = set()
    for column in checker.items(question.get("columns"), "columns"):
        checker.keys(column, {"code", "type", "label"}, what="a column")
        code = checker.slug(column["code"], "column code")
        if code in codes:
            checker.fail(f"column {code} is given twice")
        codes.add(code)
        if column["type"] not in COLUMN_TYPES:
            checker.fail(f"column {code}: type must be one of {', '.join(COLUMN_TYPES)}")
        checker.texts(column["label"], f"the label of column {code}")


def _check_condition(checker: _Checker, condition: Any,
                     seen: dict[str, dict[str, Any]]) -> None:
    checker.keys(condition, {"question", "in"}, what="the condition")
    source = seen.get(condition["question"])
    if source is None:
        checker.fail(f"the condition refers to {condition['question']!r}, which is not an "
                     f"earlier question of the file")
        return
    if source["type"] == "yes_no_partly":
        codes = set(YES_NO_PARTLY)
    elif source["type"] in ("single", "multiple"):
        codes = {choice["code"] for choice in source["choices"]}
    else:
        checker.fail(f"the condition refers to {source['code']}, which is neither a "
                     f"yes/no/partly nor a choice question")
    values = checker.items(condition["in"], "the condition's answers")
    unknown = sorted(set(map(str, values)) - codes)
    if unknown:
        checker.fail(f"the condition's answers {', '.join(unknown)} are not answers to "
                     f"{source['code']} ({', '.join(sorted(codes))})")


# Loading -------------------------------------------------------------------------------------

def digest(path: Path) -> str:
    """A digest of the file's content, independent of its layout and key order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_questionnaires(directory: Path = QUESTIONNAIRES_DIR) -> LoadReport:
    """Check every file, then load them all in one transaction."""
    paths = sorted(directory.glob("*.json"))
    checked = [(path, check_file(path)) for path in paths]
    codes = [data["code"] for _path, data in checked]
    for code in {c for c in codes if codes.count(c) > 1}:
        names = [path.name for path, data in checked if data["code"] == code]
        raise QuestionnaireFileError(f"{', '.join(names)}: the code {code} is used twice")
    report = LoadReport()
    with transaction.atomic():
        for path, data in checked:
            _load(path, data, report)
    return report


def _load(path: Path, data: dict[str, Any], report: LoadReport) -> None:
    source_digest = digest(path)
    questionnaire = Questionnaire.objects.filter(code=data["code"]).first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            code=data["code"], kind=data["kind"], instrument=data["_instrument"],
            title=data["title"])
    elif (questionnaire.kind, questionnaire.instrument_id) != (data["kind"],
                                                              data["_instrument"].pk):
        raise QuestionnaireFileError(
            f"{path.name}: questionnaire {questionnaire.code} exists with another kind or "
            f"instrument; give the file a new code")
    loaded = questionnaire.versions.exclude(source_digest="").order_by("-number").first()
    if loaded is not None and loaded.source_digest == source_digest:
        report.unchanged.append(f"{questionnaire.code} v{loaded.number}")
        return
    draft = questionnaire.versions.filter(status=QuestionnaireVersion.Status.DRAFT).first()
    if draft is not None:
        raise QuestionnaireFileError(
            f"{path.name}: version {draft.number} of {questionnaire.code} is a draft being "
            f"edited in Palermo; publish or delete it before loading a changed file")
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=services._next_number(questionnaire),
        title=data["title"], introduction=data["introduction"], source_digest=source_digest)
    _build(version, data)
    try:
        services.publish(version)
    except ValidationError as error:
        raise QuestionnaireFileError(f"{path.name}: {' '.join(error.messages)}") from error
    report.created.append(f"{questionnaire.code} v{version.number}")


def _build(version: QuestionnaireVersion, data: dict[str, Any]) -> None:
    questions: dict[str, Question] = {}
    for section_position, spec in enumerate(data["sections"], start=1):
        section = Section.objects.create(questionnaire_version=version,
                                         position=section_position, code=spec["code"],
                                         title=spec["title"])
        section.articles.set(spec["_articles"])
        for position, item in enumerate(spec["questions"], start=1):
            condition = item.get("condition")
            question = Question.objects.create(
                section=section, position=position, code=item["code"], type=item["type"],
                required=item["required"], text=item["text"], help=item.get("help", {}),
                depends_on=questions[condition["question"]] if condition else None,
                allowed_values=list(condition["in"]) if condition else [])
            questions[question.code] = question
            QuestionCitation.objects.bulk_create(
                QuestionCitation(question=question, position=n, **cite)
                for n, cite in enumerate(item["_citations"], start=1))
            QuestionTag.objects.bulk_create(QuestionTag(question=question, area=tag)
                                            for tag in item.get("tags", []))
            Choice.objects.bulk_create(
                Choice(question=question, position=n, code=c["code"], label=c["label"])
                for n, c in enumerate(item.get("choices", []), start=1))
            TableColumn.objects.bulk_create(
                TableColumn(question=question, position=n, code=c["code"], type=c["type"],
                            label=c["label"])
                for n, c in enumerate(item.get("columns", []), start=1))

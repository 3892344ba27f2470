"""Writes to questionnaires: every change to a questionnaire goes through here.

Only the secretariat builds questionnaires, with its second factor
(:func:`palermo.accounts.guards.may_change`). Each function is keyword-only and atomic,
validates what it writes (``full_clean``) and refuses:

- any write to a published version (:class:`~palermo.reporting.models.PublishedVersionError`):
  changes make a new version (:func:`version_new`);
- a stale write (:class:`StaleDraft`): a form carries the draft's version number, and every
  change to a draft or its contents first claims it with a conditional
  ``UPDATE … SET version = version + 1 WHERE pk = … AND version = … AND status = 'draft'``.
  When someone else changed the draft since, nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.guards import may_change
from palermo.reference.models import Article, Instrument, Paragraph

from . import access
from .models import (
    Choice,
    PriorityArea,
    PublishedVersionError,
    Question,
    QuestionCitation,
    Questionnaire,
    QuestionnaireVersion,
    QuestionTag,
    Section,
    TableColumn,
)
from .texts import cleaned, missing_languages


class NotAllowed(Exception):
    """The user may not manage questionnaires (pages answer 404)."""


class StaleDraft(Exception):
    """Someone changed the draft since the form was opened; nothing was written."""


@dataclass(frozen=True)
class CitationInput:
    article: Article
    paragraph: Paragraph | None = None
    subparagraph: str = ""


# Guards ---------------------------------------------------------------------------------------

def _check_user(user: Any) -> None:
    if not access.manages_questionnaires(user) or not may_change(user):
        raise NotAllowed


def _claim(version: QuestionnaireVersion, token: str | int | None) -> None:
    """Claim the draft for one change, or refuse: published, or changed since ``token``."""
    try:
        number = int(token)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise StaleDraft from exc
    claimed = QuestionnaireVersion.objects.filter(
        pk=version.pk, version=number, status=QuestionnaireVersion.Status.DRAFT,
    ).update(version=F("version") + 1, updated_at=timezone.now())
    if claimed:
        version.version = number + 1
        return
    current = QuestionnaireVersion.objects.filter(pk=version.pk).only("status").first()
    if current is not None and current.is_published:
        raise PublishedVersionError
    raise StaleDraft


def _begin(user: Any, version: QuestionnaireVersion, token: str | int | None) -> None:
    _check_user(user)
    if version.is_published:
        raise PublishedVersionError
    _claim(version, token)


def _belongs(item: models.Model | None, version: QuestionnaireVersion) -> None:
    """Refuse an item of another version (a form tampered with, or a stale page)."""
    if item is None:
        return
    version_id = getattr(item, "questionnaire_version_id", None)
    if version_id is None and isinstance(item, (Choice, TableColumn, QuestionCitation)):
        version_id = item.question.questionnaire_version_id
    if version_id != version.pk:
        raise NotAllowed


def _next_position(qs: models.QuerySet[Any]) -> int:
    return int(qs.aggregate(top=Max("position"))["top"] or 0) + 1


# Questionnaires and versions ------------------------------------------------------------------

@transaction.atomic
def questionnaire_create(*, user: Any, code: str, kind: str, instrument: Instrument,
                         title: dict[str, str],
                         introduction: dict[str, str] | None = None) -> QuestionnaireVersion:
    """A new questionnaire, with its first version as an empty draft."""
    _check_user(user)
    questionnaire = Questionnaire(code=code, kind=kind, instrument=instrument,
                                  title=cleaned(title))
    questionnaire.full_clean()
    questionnaire.save()
    version = QuestionnaireVersion(questionnaire=questionnaire, number=1, title=cleaned(title),
                                   introduction=cleaned(introduction or {}))
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def version_update(*, user: Any, version: QuestionnaireVersion, token: str | int | None,
                   title: dict[str, str], introduction: dict[str, str]) -> QuestionnaireVersion:
    _begin(user, version, token)
    version.title = cleaned(title)
    version.introduction = cleaned(introduction)
    version.full_clean()
    version.save()
    return version


def completeness_problems(version: QuestionnaireVersion) -> list[str]:
    """What keeps a draft from being published, each problem naming its place."""
    problems: list[str] = []

    def texts(value: Any, where: str, *, optional: bool = False) -> None:
        if optional and not value:
            return
        missing = missing_languages(value)
        if missing:
            problems.append(_("%(where)s: the text is missing in %(languages)s.") % {
                "where": where, "languages": ", ".join(missing)})

    texts(version.title, _("Title"))
    texts(version.introduction, _("Introduction"), optional=True)
    sections = list(version.sections.prefetch_related(
        "questions__choices", "questions__columns", "questions__citations__article",
        "questions__depends_on"))
    if not sections:
        problems.append(_("The questionnaire has no section."))
    for section in sections:
        where = _("Section %(code)s") % {"code": section.code}
        texts(section.title, where)
        questions = list(section.questions.all())
        if not questions:
            problems.append(_("%(where)s has no question.") % {"where": where})
        for question in questions:
            problems += _question_problems(question, texts)
    return problems


def _question_problems(question: Question, texts: Any) -> list[str]:
    problems: list[str] = []
    where = _("Question %(code)s") % {"code": question.code}
    texts(question.text, where)
    texts(question.help, where + " " + _("(help)"), optional=True)
    if not question.citations.all():
        problems.append(_("%(where)s cites no article.") % {"where": where})
    choices = list(question.choices.all())
    if question.has_choices and len(choices) < 2:
        problems.append(_("%(where)s needs at least two choices.") % {"where": where})
    for choice in choices:
        texts(choice.label, _("Question %(code)s, choice %(choice)s") % {
            "code": question.code, "choice": choice.code})
    columns = list(question.columns.all())
    if question.has_columns and not columns:
        problems.append(_("%(where)s needs at least one column.") % {"where": where})
    for column in columns:
        texts(column.label, _("Question %(code)s, column %(column)s") % {
            "code": question.code, "column": column.code})
    try:
        question._clean_condition()
    except ValidationError as error:
        problems.append(f"{where}: {' '.join(error.messages)}")
    return problems


def publish(version: QuestionnaireVersion, *, by: Any = None) -> QuestionnaireVersion:
    """Publish a complete draft (for the services and the loader of shipped files)."""
    problems = completeness_problems(version)
    if problems:
        raise ValidationError(problems)
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = by
    version.full_clean()
    version.save()
    questionnaire = version.questionnaire
    questionnaire.title = version.title
    questionnaire.save(update_fields=["title", "updated_at"])
    return version


@transaction.atomic
def version_publish(*, user: Any, version: QuestionnaireVersion,
                    token: str | int | None) -> QuestionnaireVersion:
    _begin(user, version, token)
    return publish(version, by=user)


@transaction.atomic
def version_new(*, user: Any, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """A new draft, copied from the newest published version."""
    _check_user(user)
    draft = questionnaire.versions.filter(status=QuestionnaireVersion.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(_("Version %(number)d is a draft already: change that one.")
                              % {"number": draft.number})
    source = (questionnaire.versions.filter(status=QuestionnaireVersion.Status.PUBLISHED)
              .order_by("-number").first())
    if source is None:
        raise ValidationError(_("This questionnaire has no published version to copy."))
    return copy_version(source, number=_next_number(questionnaire))


def _next_number(questionnaire: Questionnaire) -> int:
    return int(questionnaire.versions.aggregate(top=Max("number"))["top"] or 0) + 1


def copy_version(source: QuestionnaireVersion, *, number: int) -> QuestionnaireVersion:
    """A draft with everything ``source`` holds: sections, questions, citations, tags,
    choices, columns and conditions."""
    draft = QuestionnaireVersion.objects.create(
        questionnaire=source.questionnaire, number=number, title=source.title,
        introduction=source.introduction, based_on=source)
    questions: dict[int, Question] = {}
    sections = source.sections.prefetch_related(
        "articles", "questions__citations", "questions__tags", "questions__choices",
        "questions__columns")
    for section in sections:
        copy = Section.objects.create(questionnaire_version=draft, position=section.position,
                                      code=section.code, title=section.title)
        copy.articles.set(section.articles.all())
        for question in section.questions.all():
            questions[question.pk] = _copy_question(question, copy)
    for old_pk, question in questions.items():
        source_question = next(q for s in sections for q in s.questions.all() if q.pk == old_pk)
        if source_question.depends_on_id is not None:
            question.depends_on = questions[source_question.depends_on_id]
            question.save(update_fields=["depends_on"])
    return draft


def _copy_question(question: Question, section: Section) -> Question:
    copy = Question.objects.create(
        section=section, position=question.position, code=question.code, type=question.type,
        required=question.required, text=question.text, help=question.help,
        allowed_values=question.allowed_values)
    for citation in question.citations.all():
        QuestionCitation.objects.create(question=copy, position=citation.position,
                                        article_id=citation.article_id,
                                        paragraph_id=citation.paragraph_id,
                                        subparagraph=citation.subparagraph)
    for tag in question.tags.all():
        QuestionTag.objects.create(question=copy, area=tag.area)
    for choice in question.choices.all():
        Choice.objects.create(question=copy, position=choice.position, code=choice.code,
                              label=choice.label)
    for column in question.columns.all():
        TableColumn.objects.create(question=copy, position=column.position, code=column.code,
                                   type=column.type, label=column.label)
    return copy


# Sections -------------------------------------------------------------------------------------

@transaction.atomic
def section_save(*, user: Any, version: QuestionnaireVersion, token: str | int | None,
                 section: Section | None, code: str, title: dict[str, str],
                 articles: Sequence[Article] = ()) -> Section:
    """Create (``section`` None, placed last) or change a section of a draft."""
    _begin(user, version, token)
    _belongs(section, version)
    _check_articles(version, articles)
    if section is None:
        section = Section(questionnaire_version=version,
                          position=_next_position(version.sections.all()))
    section.code = code
    section.title = cleaned(title)
    section.full_clean()
    section.save()
    section.articles.set(articles)
    return section


def _check_articles(version: QuestionnaireVersion, articles: Sequence[Article]) -> None:
    instrument_id = version.questionnaire.instrument_id
    if any(article.instrument_id != instrument_id for article in articles):
        raise ValidationError(_("Cite only articles of the questionnaire's instrument."))


# Questions ------------------------------------------------------------------------------------

@transaction.atomic
def question_save(*, user: Any, version: QuestionnaireVersion, token: str | int | None,
                  question: Question | None, section: Section, code: str, type: str,
                  required: bool, text: dict[str, str], help: dict[str, str],
                  depends_on: Question | None = None, allowed_values: Sequence[str] = (),
                  citations: Sequence[CitationInput] = (),
                  tags: Sequence[str] = ()) -> Question:
    """Create (``question`` None, placed last in its section) or change a question of a draft,
    with its condition, cited provisions and priority areas."""
    _begin(user, version, token)
    for item in (question, section, depends_on):
        _belongs(item, version)
    _check_articles(version, [citation.article for citation in citations])
    unknown = sorted(set(tags) - set(PriorityArea.values))
    if unknown:
        raise ValidationError(_("Unknown priority areas: %(areas)s.") % {
            "areas": ", ".join(unknown)})
    if question is None:
        question = Question(section=section, position=_next_position(section.questions.all()))
    elif question.section_id != section.pk:
        question.section = section
        question.position = _next_position(section.questions.all())
    question.questionnaire_version = version
    question.code, question.type, question.required = code, type, required
    question.text, question.help = cleaned(text), cleaned(help)
    question.depends_on = depends_on
    question.allowed_values = list(allowed_values) if depends_on is not None else []
    question.full_clean()
    if question.pk is not None:
        _check_dependents_still_valid(question)
    question.save()
    _replace_question_details(question, citations, tags)
    _check_conditions_point_back(version)  # the question may have moved to another section
    return question


def _check_dependents_still_valid(question: Question) -> None:
    if question.type in Question.CONDITIONAL_TYPES:
        if not question.has_choices:
            question.choices.all().delete()
        return
    dependents = list(question.dependents.values_list("code", flat=True))
    if dependents:
        raise ValidationError(_(
            "Questions %(codes)s are shown depending on the answer to this one: it must stay "
            "a yes/no/partly or choice question.") % {"codes": ", ".join(dependents)})
    question.choices.all().delete()


def _replace_question_details(question: Question, citations: Sequence[CitationInput],
                              tags: Sequence[str]) -> None:
    if question.type != Question.Type.TABLE:
        question.columns.all().delete()
    question.citations.all().delete()
    for position, citation in enumerate(citations, start=1):
        row = QuestionCitation(question=question, position=position, article=citation.article,
                               paragraph=citation.paragraph, subparagraph=citation.subparagraph)
        row.full_clean()
        row.save()
    question.tags.all().delete()
    QuestionTag.objects.bulk_create(
        QuestionTag(question=question, area=area) for area in dict.fromkeys(tags))


# Choices and columns --------------------------------------------------------------------------

@transaction.atomic
def choice_save(*, user: Any, version: QuestionnaireVersion, token: str | int | None,
                question: Question, choice: Choice | None, code: str,
                label: dict[str, str]) -> Choice:
    _begin(user, version, token)
    _belongs(question, version)
    _belongs(choice, version)
    if not question.has_choices:
        raise ValidationError(_("Only single and multiple choice questions have choices."))
    if choice is None:
        choice = Choice(question=question, position=_next_position(question.choices.all()))
    elif choice.code != code:
        _check_choice_unused(choice)
    choice.code, choice.label = code, cleaned(label)
    choice.full_clean()
    choice.save()
    return choice


def _check_choice_unused(choice: Choice) -> None:
    """A choice that a condition tests keeps its code."""
    users = [q.code for q in choice.question.dependents.all() if choice.code in q.allowed_values]
    if users:
        raise ValidationError(_(
            "Questions %(codes)s are shown when this choice is chosen: change their condition "
            "first.") % {"codes": ", ".join(users)})


@transaction.atomic
def column_save(*, user: Any, version: QuestionnaireVersion, token: str | int | None,
                question: Question, column: TableColumn | None, code: str, type: str,
                label: dict[str, str]) -> TableColumn:
    _begin(user, version, token)
    _belongs(question, version)
    _belongs(column, version)
    if not question.has_columns:
        raise ValidationError(_("Only table questions have columns."))
    if column is None:
        column = TableColumn(question=question,
                             position=_next_position(question.columns.all()))
    column.code, column.type, column.label = code, type, cleaned(label)
    column.full_clean()
    column.save()
    return column


# Deleting and reordering ----------------------------------------------------------------------

DraftItem = Section | Question | Choice | TableColumn


def _siblings(item: DraftItem) -> models.QuerySet[Any]:
    if isinstance(item, Section):
        return Section.objects.filter(questionnaire_version_id=item.questionnaire_version_id)
    if isinstance(item, Question):
        return Question.objects.filter(section_id=item.section_id)
    if isinstance(item, Choice):
        return Choice.objects.filter(question_id=item.question_id)
    return TableColumn.objects.filter(question_id=item.question_id)


@transaction.atomic
def item_delete(*, user: Any, version: QuestionnaireVersion, token: str | int | None,
                item: DraftItem) -> None:
    """Delete a section (with its questions), a question, a choice or a column of a draft."""
    _begin(user, version, token)
    _belongs(item, version)
    if isinstance(item, Choice):
        _check_choice_unused(item)
    questions = (list(item.questions.all()) if isinstance(item, Section)
                 else [item] if isinstance(item, Question) else [])
    leaving = {q.pk for q in questions}
    dependents = sorted(code for code, pk in Question.objects.filter(depends_on__in=leaving)
                        .exclude(pk__in=leaving).values_list("code", "pk"))
    if dependents:
        raise ValidationError(_(
            "Questions %(codes)s are shown depending on an answer to what you are deleting: "
            "change their condition first.") % {"codes": ", ".join(dependents)})
    Question.objects.filter(pk__in=leaving).update(depends_on=None)
    item.delete()


@transaction.atomic
def item_move(*, user: Any, version: QuestionnaireVersion, token: str | int | None,
              item: DraftItem, offset: int) -> None:
    """Move an item up (``offset`` -1) or down (+1) among its siblings."""
    _begin(user, version, token)
    _belongs(item, version)
    ordered = list(_siblings(item).order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, sibling in enumerate(ordered, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    if isinstance(item, (Section, Question)) and offset:
        _check_conditions_point_back(version)


def _check_conditions_point_back(version: QuestionnaireVersion) -> None:
    """After a move, every condition still refers to an earlier question."""
    for question in version.questions.exclude(depends_on=None).select_related(
            "section", "depends_on__section"):
        try:
            question._clean_condition()
        except ValidationError as error:
            raise ValidationError(_(
                "Question %(code)s cannot come before the question it depends on.")
                % {"code": question.code}) from error

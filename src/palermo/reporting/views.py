"""Questionnaire pages: the list, a version with its sections and questions, and, for the
secretariat, building a draft (sections, questions, choices, columns, conditions), publishing
it and making a new version of a published one.

Views are thin: access through :mod:`.access`, writes through :mod:`.services`. A published
version refuses every write with a message; a stale form (someone changed the draft since it
was opened) is shown again with what was typed and a warning, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.guards import second_factor_required

from . import access, services
from .forms import (
    ANSWER_LABELS,
    ChoiceForm,
    ColumnForm,
    MoveForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
    TokenForm,
    VersionForm,
)
from .models import (
    Choice,
    PublishedVersionError,
    Question,
    QuestionnaireVersion,
    Section,
    TableColumn,
)

ITEM_KINDS: dict[str, type[Section] | type[Question] | type[Choice] | type[TableColumn]] = {
    "sections": Section, "questions": Question, "choices": Choice, "columns": TableColumn,
}


# Reading --------------------------------------------------------------------------------------

def questionnaire_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    versions = access.questionnaire_versions_visible_to(user).order_by("-number")
    questionnaires = (access.questionnaires_visible_to(user).select_related("instrument")
                      .prefetch_related(Prefetch("versions", queryset=versions)))
    return render(request, "reporting/questionnaires/list.html", {
        "questionnaires": questionnaires,
        "manages": access.manages_questionnaires(user),
    })


def questionnaire_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    questionnaire = access.get_questionnaire_for_user(user, code)
    versions = list(access.questionnaire_versions_visible_to(user)
                    .filter(questionnaire=questionnaire).order_by("-number"))
    has_draft = any(v.status == QuestionnaireVersion.Status.DRAFT for v in versions)
    return render(request, "reporting/questionnaires/questionnaire.html", {
        "questionnaire": questionnaire, "versions": versions,
        "may_make_version": (access.manages_questionnaires(user) and not has_draft
                             and any(v.is_published for v in versions)),
    })


def version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = access.get_version_for_user(request.user, code, number)
    sections = list(version.sections.prefetch_related(
        "articles",
        Prefetch("questions", queryset=Question.objects.select_related("depends_on")
                 .prefetch_related("choices", "columns", "tags", "depends_on__choices",
                                   "citations__article", "citations__paragraph")),
    ))
    _label_conditions(sections)
    _share_instrument(sections, version.questionnaire.instrument)
    return render(request, "reporting/questionnaires/version.html", {
        "version": version, "questionnaire": version.questionnaire, "sections": sections,
        "editable": access.may_edit_version(request.user, version),
        "manages": access.manages_questionnaires(request.user),
        "token": version.version,
    })


def _share_instrument(sections: list[Section], instrument: Any) -> None:
    """Every cited article is of the questionnaire's instrument: links need no more query."""
    for section in sections:
        for article in section.articles.all():
            article.instrument = instrument
        for question in section.questions.all():
            for citation in question.citations.all():
                citation.article.instrument = instrument


def _label_conditions(sections: list[Section]) -> None:
    """Give each conditional question ``condition_label``: the answers that show it, in the
    reader's language."""
    for section in sections:
        for question in section.questions.all():
            source = question.depends_on
            if source is None:
                continue
            labels = {c.code: c.localized_label for c in source.choices.all()}
            labels.update({code: str(label) for code, label in ANSWER_LABELS.items()})
            question.condition_label = ", ".join(  # type: ignore[attr-defined]
                labels.get(v, v) for v in question.allowed_values)


# Guards ---------------------------------------------------------------------------------------

def _managed_version(request: HttpRequest, code: str, number: int) -> QuestionnaireVersion:
    if not access.manages_questionnaires(request.user):
        raise Http404
    return access.get_version_for_user(request.user, code, number)


def _refused_published(request: HttpRequest, version: QuestionnaireVersion) -> HttpResponse:
    messages.error(request, _("Version %(number)d is published and cannot be changed. Make a "
                              "new version to change the questionnaire.")
                   % {"number": version.number})
    return HttpResponseRedirect(version.get_absolute_url())


def _stale(request: HttpRequest) -> None:
    messages.error(request, _(
        "Someone else changed this draft after you opened the page. Nothing was saved. Look at "
        "the form again and save it if it is still what you want."))


def _with_current_token(data: QueryDict, version: QuestionnaireVersion) -> QueryDict:
    fresh = data.copy()
    fresh["token"] = str(QuestionnaireVersion.objects.get(pk=version.pk).version)
    return fresh


# Questionnaires and versions ------------------------------------------------------------------

@second_factor_required
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    if not access.manages_questionnaires(request.user):
        raise Http404
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.questionnaire_create(
                user=request.user, code=form.cleaned_data["code"],
                kind=form.cleaned_data["kind"], instrument=form.cleaned_data["instrument"],
                title=form.texts_of("title"), introduction=form.texts_of("introduction"))
        except services.NotAllowed as exc:
            raise Http404 from exc
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The questionnaire is created, with an empty draft."))
            return HttpResponseRedirect(version.get_absolute_url())
    return render(request, "reporting/questionnaires/form.html", {
        "form": form, "heading": _("New questionnaire"),
        "cancel_url": reverse("reporting:questionnaires")})


@require_POST
@second_factor_required
def version_new(request: HttpRequest, code: str) -> HttpResponse:
    if not access.manages_questionnaires(request.user):
        raise Http404
    questionnaire = access.get_questionnaire_for_user(request.user, code)
    try:
        version = services.version_new(user=request.user, questionnaire=questionnaire)
    except services.NotAllowed as exc:
        raise Http404 from exc
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(questionnaire.get_absolute_url())
    messages.success(request, _("Version %(number)d is a new draft, copied from the last "
                                "published version.") % {"number": version.number})
    return HttpResponseRedirect(version.get_absolute_url())


@require_POST
@second_factor_required
def version_publish(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _managed_version(request, code, number)
    form = TokenForm(request.POST)
    try:
        if not form.is_valid():
            raise services.StaleDraft
        services.version_publish(user=request.user, version=version,
                                 token=form.cleaned_data["token"])
    except services.NotAllowed as exc:
        raise Http404 from exc
    except PublishedVersionError:
        return _refused_published(request, version)
    except services.StaleDraft:
        _stale(request)
    except ValidationError as error:
        messages.error(request, _("The draft cannot be published yet:"))
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %(number)d is published. It can no longer "
                                    "change.") % {"number": version.number})
    return HttpResponseRedirect(version.get_absolute_url())


# Editing a draft ------------------------------------------------------------------------------

def _edit(request: HttpRequest, version: QuestionnaireVersion, form: Any,
          save: Callable[[Any], Any], heading: str, done: str) -> HttpResponse:
    """Show ``form``; on a valid POST call ``save(form)`` and go back to the version."""
    if version.is_published:
        return _refused_published(request, version)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except services.NotAllowed as exc:
            raise Http404 from exc
        except PublishedVersionError:
            return _refused_published(request, version)
        except services.StaleDraft:
            _stale(request)
            form = type(form)(_with_current_token(request.POST, version),
                              **form.init_kwargs)
            form.is_valid()
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(version.get_absolute_url())
    return render(request, "reporting/questionnaires/form.html", {
        "form": form, "heading": heading, "version": version,
        "cancel_url": version.get_absolute_url()}, status=status)


def _form(form_class: type, request: HttpRequest, draft: QuestionnaireVersion,
          **kwargs: Any) -> Any:
    form = form_class(request.POST or None, initial={"token": draft.version}, **kwargs)
    form.init_kwargs = kwargs
    return form


@second_factor_required
def version_edit(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _managed_version(request, code, number)
    form = _form(VersionForm, request, version, version=version)

    def save(form: VersionForm) -> None:
        services.version_update(user=request.user, version=version,
                                token=form.cleaned_data["token"],
                                title=form.texts_of("title"),
                                introduction=form.texts_of("introduction"))

    return _edit(request, version, form, save, _("Title and introduction"), _("Saved."))


def _item(version: QuestionnaireVersion, model: type[Any], pk: int | None) -> Any:
    if pk is None:
        return None
    lookup = ("question__questionnaire_version" if model in (Choice, TableColumn)
              else "questionnaire_version")
    try:
        return model.objects.get(pk=pk, **{lookup: version})
    except model.DoesNotExist as exc:
        raise Http404 from exc


@second_factor_required
def section_form(request: HttpRequest, code: str, number: int,
                 pk: int | None = None) -> HttpResponse:
    version = _managed_version(request, code, number)
    section = _item(version, Section, pk)
    form = _form(SectionForm, request, version, version=version, section=section)

    def save(form: SectionForm) -> None:
        services.section_save(user=request.user, version=version,
                              token=form.cleaned_data["token"], section=section,
                              code=form.cleaned_data["code"], title=form.texts_of("title"),
                              articles=list(form.cleaned_data["articles"]))

    heading = (_("Section %(code)s") % {"code": section.code} if section
               else _("New section"))
    return _edit(request, version, form, save, heading, _("The section is saved."))


@second_factor_required
def question_form(request: HttpRequest, code: str, number: int,
                  pk: int | None = None) -> HttpResponse:
    version = _managed_version(request, code, number)
    question = _item(version, Question, pk)
    form = _form(QuestionForm, request, version, version=version, question=question)
    if question is None and request.GET.get("section", "").isdigit():
        form.fields["section"].initial = int(request.GET["section"])

    def save(form: QuestionForm) -> None:
        data = form.cleaned_data
        services.question_save(
            user=request.user, version=version, token=data["token"], question=question,
            section=data["section"], code=data["code"], type=data["type"],
            required=data["required"], text=form.texts_of("text"), help=form.texts_of("help"),
            depends_on=data["depends_on"], allowed_values=data["allowed_values"],
            citations=data["citations"], tags=data["tags"])

    heading = (_("Question %(code)s") % {"code": question.code} if question
               else _("New question"))
    return _edit(request, version, form, save, heading, _("The question is saved."))


def _option_form(request: HttpRequest, code: str, number: int, question_pk: int,
                 pk: int | None, model: type[Choice] | type[TableColumn]) -> HttpResponse:
    version = _managed_version(request, code, number)
    question = _item(version, Question, question_pk)
    item = _item(version, model, pk)
    if item is not None and item.question_id != question.pk:
        raise Http404
    is_choice = model is Choice
    form = _form(ChoiceForm if is_choice else ColumnForm, request, version, item=item)

    def save(form: ChoiceForm) -> None:
        data = form.cleaned_data
        if is_choice:
            services.choice_save(user=request.user, version=version, token=data["token"],
                                 question=question, choice=item, code=data["code"],
                                 label=form.texts_of("label"))
        else:
            services.column_save(user=request.user, version=version, token=data["token"],
                                 question=question, column=item, code=data["code"],
                                 type=data["type"], label=form.texts_of("label"))

    if is_choice:
        heading = (_("Choice %(code)s of question %(question)s") if item
                   else _("New choice for question %(question)s"))
    else:
        heading = (_("Column %(code)s of question %(question)s") if item
                   else _("New column for question %(question)s"))
    heading = heading % {"code": item.code if item else "", "question": question.code}
    return _edit(request, version, form, save, heading, _("Saved."))


@second_factor_required
def choice_form(request: HttpRequest, code: str, number: int, question: int,
                pk: int | None = None) -> HttpResponse:
    return _option_form(request, code, number, question, pk, Choice)


@second_factor_required
def column_form(request: HttpRequest, code: str, number: int, question: int,
                pk: int | None = None) -> HttpResponse:
    return _option_form(request, code, number, question, pk, TableColumn)


def _kind(kind: str) -> Any:
    model = ITEM_KINDS.get(kind)
    if model is None:
        raise Http404
    return model


@second_factor_required
def item_delete(request: HttpRequest, code: str, number: int, kind: str,
                pk: int) -> HttpResponse:
    version = _managed_version(request, code, number)
    item = _item(version, _kind(kind), pk)
    if version.is_published:
        return _refused_published(request, version)
    form = TokenForm(request.POST or None, initial={"token": version.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.item_delete(user=request.user, version=version,
                                 token=form.cleaned_data["token"], item=item)
        except services.NotAllowed as exc:
            raise Http404 from exc
        except PublishedVersionError:
            return _refused_published(request, version)
        except services.StaleDraft:
            _stale(request)
            form = TokenForm(initial={"token": QuestionnaireVersion.objects.get(
                pk=version.pk).version})
            status = 409
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(version.get_absolute_url())
        else:
            messages.success(request, _("Deleted."))
            return HttpResponseRedirect(version.get_absolute_url())
    return render(request, "reporting/questionnaires/delete.html", {
        "form": form, "item": item, "kind": item._meta.verbose_name, "version": version,
        "questions": list(item.questions.all()) if isinstance(item, Section) else [],
        "cancel_url": version.get_absolute_url()}, status=status)


@require_POST
@second_factor_required
def item_move(request: HttpRequest, code: str, number: int, kind: str, pk: int) -> HttpResponse:
    version = _managed_version(request, code, number)
    item = _item(version, _kind(kind), pk)
    form = MoveForm(request.POST)
    try:
        if not form.is_valid():
            raise services.StaleDraft
        services.item_move(user=request.user, version=version,
                           token=form.cleaned_data["token"], item=item,
                           offset=-1 if form.cleaned_data["direction"] == "up" else 1)
    except services.NotAllowed as exc:
        raise Http404 from exc
    except PublishedVersionError:
        return _refused_published(request, version)
    except services.StaleDraft:
        _stale(request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return HttpResponseRedirect(f"{version.get_absolute_url()}#{kind}-{item.pk}")

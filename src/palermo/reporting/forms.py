"""Forms of the questionnaire pages. A text in six languages is six fields, one per language,
grouped under one legend; every form that changes a draft carries the draft's version."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from palermo.reference.models import Article, Instrument

from .models import (
    YES_NO_PARTLY,
    PriorityArea,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    TableColumn,
)
from .services import CitationInput

RTL = set(settings.LANGUAGES_BIDI)
CITATION = re.compile(r"^(?:art\.?\s*)?(\d+)(?:\s*\((\d+)\))?(?:\s*\(([a-z]{1,4})\))?$")


class TextsMixin:
    """Adds six fields per text (``<name>_<language>``) and reads them back as a dict."""

    texts: tuple[tuple[str, Any, bool, bool], ...] = ()  # name, legend, required, long
    fields: dict[str, forms.Field]

    def add_texts(self, initial: dict[str, dict[str, str]] | None = None) -> None:
        initial = initial or {}
        for name, _legend, required, long in self.texts:
            for code, language in settings.LANGUAGES:
                attrs = {"lang": code, "dir": "rtl" if code in RTL else "ltr"}
                widget = (forms.Textarea(attrs={**attrs, "rows": 3}) if long
                          else forms.TextInput(attrs=attrs))
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=language, required=required and code == "en", max_length=5000,
                    widget=widget, initial=(initial.get(name) or {}).get(code, ""))

    def texts_of(self, name: str) -> dict[str, str]:
        data: dict[str, Any] = self.cleaned_data  # type: ignore[attr-defined]
        return {code: data.get(f"{name}_{code}", "") for code, _language in settings.LANGUAGES}

    def layout(self) -> list[dict[str, Any]]:
        """Fields in order, each text's six fields grouped under its legend."""
        grouped = {f"{name}_{code}": name for name, *_rest in self.texts
                   for code, _language in settings.LANGUAGES}
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        for field in self:  # type: ignore[attr-defined]
            group = grouped.get(field.name)
            if group is None:
                items.append({"field": field})
            elif group not in seen:
                seen.add(group)
                legend = next(legend for name, legend, *_ in self.texts if name == group)
                items.append({"legend": legend, "fields": [
                    self[f"{group}_{code}"]  # type: ignore[index]
                    for code, _language in settings.LANGUAGES]})
        return items


class TokenForm(forms.Form):
    """What a draft's forms carry: the version of the draft they were opened with."""

    token = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MoveForm(TokenForm):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class QuestionnaireForm(TextsMixin, forms.Form):
    texts = (("title", _("Title"), True, False),
             ("introduction", _("Introduction"), False, True))

    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("Lower-case letters, digits and hyphens, e.g. "
                                       "untoc-cooperation."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Questionnaire.Kind.choices)
    instrument: forms.ModelChoiceField[Instrument] = forms.ModelChoiceField(
        label=_("Instrument"), queryset=Instrument.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.filter(  # type: ignore[attr-defined]
            code__in=("untoc", "tip", "som", "firearms"))
        self.add_texts()

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if Questionnaire.objects.filter(code=code).exists():
            raise ValidationError(_("A questionnaire with this code exists."))
        return code


class VersionForm(TextsMixin, TokenForm):
    texts = (("title", _("Title"), True, False),
             ("introduction", _("Introduction"), False, True))

    def __init__(self, *args: Any, version: QuestionnaireVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_texts({"title": version.title, "introduction": version.introduction})


class SectionForm(TextsMixin, TokenForm):
    texts = (("title", _("Title"), True, False),)

    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("Unique in the questionnaire, e.g. art-5."))
    articles = forms.ModelMultipleChoiceField(
        label=_("Articles"), queryset=Article.objects.none(), required=False,
        help_text=_("The articles of the instrument that the section is about."),
        widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args: Any, version: QuestionnaireVersion,
                 section: Section | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["articles"].queryset = Article.objects.filter(  # type: ignore[attr-defined]
            instrument_id=version.questionnaire.instrument_id)
        self.fields["articles"].label_from_instance = _article_label  # type: ignore[attr-defined]
        if section is not None:
            self.fields["code"].initial = section.code
            self.fields["articles"].initial = list(section.articles.all())
        self.add_texts({"title": section.title if section else {}})


def _article_label(article: Article) -> str:
    from palermo.reference.citations import format_citation

    label = format_citation(article.number)
    return f"{label} — {article.title}" if article.title else label


class QuestionForm(TextsMixin, TokenForm):
    texts = (("text", _("Question"), True, True), ("help", _("Help"), False, True))

    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none())
    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("Unique in the questionnaire, e.g. 5-1-a."))
    type = forms.ChoiceField(label=_("Type of answer"), choices=Question.Type.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    citations = forms.CharField(
        label=_("Cited provisions"), max_length=500,
        help_text=_("Articles of the instrument, with paragraph and subparagraph if any, "
                    "separated by semicolons: 5(1)(a); 6(2)."))
    depends_on = forms.ModelChoiceField(
        label=_("Shown only when the answer to"), queryset=Question.objects.none(),
        required=False, help_text=_("Leave empty to show the question always."))
    allowed_values = forms.CharField(
        label=_("is one of these codes"), max_length=500, required=False,
        help_text=_("yes, no, partly, or codes of the choices, separated by commas."))
    tags = forms.MultipleChoiceField(
        label=_("Priority areas (decision 3/4)"), choices=PriorityArea.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Areas in which answers to this question show difficulties or needs for "
                    "technical assistance."))

    def __init__(self, *args: Any, version: QuestionnaireVersion,
                 question: Question | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        sections = version.sections.all()
        self.fields["section"].queryset = sections  # type: ignore[attr-defined]
        self.fields["section"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.code} — {s.localized_title}")
        sources = version.questions.filter(type__in=Question.CONDITIONAL_TYPES)
        if question is not None:
            sources = sources.exclude(pk=question.pk)
        self.fields["depends_on"].queryset = sources  # type: ignore[attr-defined]
        self.fields["depends_on"].label_from_instance = (  # type: ignore[attr-defined]
            lambda q: f"{q.code} — {q.localized_text}")
        if question is not None:
            self.fields["section"].initial = question.section_id
            self.fields["code"].initial = question.code
            self.fields["type"].initial = question.type
            self.fields["required"].initial = question.required
            self.fields["citations"].initial = "; ".join(
                c.citation.removeprefix("art. ") for c in question.citations.all())
            self.fields["depends_on"].initial = question.depends_on_id
            self.fields["allowed_values"].initial = ", ".join(question.allowed_values)
            self.fields["tags"].initial = [t.area for t in question.tags.all()]
        self.add_texts({"text": question.text, "help": question.help} if question else {})

    def clean_citations(self) -> list[CitationInput]:
        articles = {a.number: a for a in Article.objects.filter(
            instrument_id=self.version.questionnaire.instrument_id)
            .prefetch_related("paragraphs")}
        cited: list[CitationInput] = []
        for part in self.cleaned_data["citations"].split(";"):
            part = part.strip()
            if not part:
                continue
            match = CITATION.match(part)
            if match is None:
                raise ValidationError(_("“%(part)s” is not a citation like 5(1)(a).")
                                      % {"part": part})
            cited.append(_citation(articles, *match.groups()))
        if not cited:
            raise ValidationError(_("Cite at least one article."))
        return cited

    def clean_allowed_values(self) -> list[str]:
        raw: str = self.cleaned_data["allowed_values"]
        return [value.strip() for value in raw.split(",") if value.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("depends_on") is None and data.get("allowed_values"):
            self.add_error("depends_on", _("Choose the question whose answer shows this one."))
        return data


def _citation(articles: dict[int, Article], number: str, paragraph: str | None,
              subparagraph: str | None) -> CitationInput:
    article = articles.get(int(number))
    if article is None:
        raise ValidationError(_("The instrument has no article %(number)s.")
                              % {"number": number})
    paragraphs = {p.number: p for p in article.paragraphs.all()}
    if paragraph is None:
        found = paragraphs.get(0) if subparagraph else None
        if subparagraph and found is None:
            raise ValidationError(_("Give the paragraph of subparagraph (%(sub)s) of article "
                                    "%(number)s.") % {"sub": subparagraph, "number": number})
        return CitationInput(article=article, paragraph=found, subparagraph=subparagraph or "")
    found = paragraphs.get(int(paragraph))
    if found is None:
        raise ValidationError(_("Article %(number)s has no paragraph %(paragraph)s.")
                              % {"number": number, "paragraph": paragraph})
    return CitationInput(article=article, paragraph=found, subparagraph=subparagraph or "")


class ChoiceForm(TextsMixin, TokenForm):
    texts = (("label", _("Label"), True, False),)

    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("Unique in the question; conditions refer to it."))

    def __init__(self, *args: Any, item: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if item is not None:
            self.fields["code"].initial = item.code
        self.add_texts({"label": item.label if item else {}})


class ColumnForm(ChoiceForm):
    type = forms.ChoiceField(label=_("Type"), choices=TableColumn.Type.choices)

    def __init__(self, *args: Any, item: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, item=item, **kwargs)
        self.fields["code"].help_text = _("Unique in the table.")
        if item is not None:
            self.fields["type"].initial = item.type


# The labels of the answers to yes/no/partly questions, by code.
ANSWER_LABELS = dict(zip(YES_NO_PARTLY, (_("Yes"), _("No"), _("Partly")), strict=True))

"""Implementation reporting (decision 3/1): questionnaires, cycles, responses and answers.

A questionnaire has numbered versions. A draft version is built by the secretariat (sections,
questions, choices, table columns, conditions); once published it never changes, here in
``save``/``delete``/``clean`` as well as in the services, and changes make a new version.
Answers belong to a :class:`Response`, which knows the version it answers: a State's response
in a reporting :class:`Cycle`, or, without a cycle, a voluntary submission of supplementary
information (3/1 i, j) on a supplementary questionnaire.

Texts of questionnaires are ``{language: text}`` values in the six languages (see ``texts``);
``localized_*`` properties give the text in the active language, falling back to English.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from palermo.core.models import TimeStampedModel, VersionedModel
from palermo.reference.models import Article, Instrument, Paragraph, State

from .texts import localized, validate_optional_texts, validate_required_texts


def _texts(verbose_name: Any, *, required: bool = True) -> models.JSONField:
    return models.JSONField(
        verbose_name, default=dict, blank=not required,
        validators=[validate_required_texts if required else validate_optional_texts],
        help_text=_("The text in each of the six languages."),
    )


class PublishedVersionError(ValidationError):
    """A write to a published questionnaire version, which never changes."""

    def __init__(self) -> None:
        super().__init__(_("This version of the questionnaire is published and cannot be "
                           "changed. Make a new version to change it."), code="published")


class Questionnaire(TimeStampedModel):
    """A questionnaire of the Conference, or a model form for supplementary information."""

    class Kind(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        SUPPLEMENTARY = "supplementary", _("Model form for supplementary information")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices,
                            default=Kind.QUESTIONNAIRE)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT,
                                   related_name="questionnaires", verbose_name=_("instrument"))
    title = _texts(_("title"))

    class Meta:
        ordering = ["instrument__position", "code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.code

    @property
    def localized_title(self) -> str:
        return localized(self.title) or self.code

    def get_absolute_url(self) -> str:
        return reverse("reporting:questionnaire", kwargs={"code": self.code})


class QuestionnaireVersion(VersionedModel):
    """One numbered version of a questionnaire: a draft, or published and immutable.

    ``version`` (the lost-update guard) counts every change to the draft and its contents;
    ``number`` is the version's number as people see it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="versions", verbose_name=_("questionnaire"))
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    title = _texts(_("title"))
    introduction = _texts(_("introduction"), required=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("published by"),
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("copied from"),
    )
    source_digest = models.CharField(
        _("digest of the shipped file"), max_length=64, blank=True, editable=False,
        help_text=_("Set when the version was loaded from a file shipped with Palermo."),
    )

    class Meta:
        ordering = ["questionnaire_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"],
                                    name="questionnaire_version_unique"),
            models.UniqueConstraint(fields=["questionnaire"], condition=Q(status="draft"),
                                    name="questionnaire_one_draft"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="questionnaire_version_published_at",
            ),
        ]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")

    def __str__(self) -> str:
        return f"{self.questionnaire_id and self.questionnaire.code} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._stored_published():
            raise PublishedVersionError
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def localized_title(self) -> str:
        return localized(self.title)

    @property
    def localized_introduction(self) -> str:
        return localized(self.introduction)

    def get_absolute_url(self) -> str:
        return reverse("reporting:version", kwargs={"code": self.questionnaire.code,
                                                    "number": self.number})

    def _stored_published(self) -> bool:
        return bool(self.pk) and QuestionnaireVersion.objects.filter(
            pk=self.pk, status=self.Status.PUBLISHED).exists()

    def clean(self) -> None:
        if self._stored_published():
            raise PublishedVersionError
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._stored_published():
            raise PublishedVersionError
        return super().delete(*args, **kwargs)


class DraftContent(models.Model):
    """Contents of a questionnaire version: written only while the version is a draft."""

    # The lookup from this model to its QuestionnaireVersion.
    version_path: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.in_published_version():
            raise PublishedVersionError
        super().save(*args, **kwargs)

    def target_version_id(self) -> int | None:
        raise NotImplementedError

    def in_published_version(self) -> bool:
        target = self.target_version_id()
        published = QuestionnaireVersion.Status.PUBLISHED
        if target and QuestionnaireVersion.objects.filter(pk=target, status=published).exists():
            return True
        return bool(self.pk) and type(self)._default_manager.filter(
            pk=self.pk, **{f"{self.version_path}__status": published}).exists()

    def clean(self) -> None:
        super().clean()
        if self.in_published_version():
            raise PublishedVersionError

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.in_published_version():
            raise PublishedVersionError
        return super().delete(*args, **kwargs)


class Section(DraftContent):
    version_path = "questionnaire_version"

    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections",
        verbose_name=_("questionnaire version"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    title = _texts(_("title"))
    articles = models.ManyToManyField(Article, blank=True, related_name="+",
                                      verbose_name=_("articles"))

    class Meta:
        ordering = ["questionnaire_version_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire_version", "code"],
                                    name="section_code_unique"),
        ]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.code

    def target_version_id(self) -> int | None:
        return self.questionnaire_version_id

    @property
    def localized_title(self) -> str:
        return localized(self.title)


class PriorityArea(models.TextChoices):
    """The priority areas of decision 3/4, by which answers reveal difficulties and needs."""

    CRIMINALIZATION = "criminalization", _("Criminalization")
    EXTRADITION_MLA = "extradition_mla", _("Extradition and mutual legal assistance")
    CENTRAL_AUTHORITIES = "central_authorities", _("Central authorities")
    CONFISCATION = "confiscation", _("Confiscation")
    VICTIMS = "victims", _("Assistance to and protection of victims")
    WITNESS_PROTECTION = "witness_protection", _("Witness protection")
    FIREARMS = "firearms", _("Firearms")
    SMUGGLING = "smuggling", _("Smuggling of migrants")
    TRAFFICKING = "trafficking", _("Trafficking in persons")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement cooperation")
    TRAINING = "training", _("Training and technical assistance")


YES_NO_PARTLY = ("yes", "no", "partly")


class Question(DraftContent):
    version_path = "questionnaire_version"

    class Type(models.TextChoices):
        YES_NO_PARTLY = "yes_no_partly", _("Yes, no or partly")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        TEXT = "text", _("Text")
        FILE = "file", _("File")
        TABLE = "table", _("Table (one row per case)")

    # Types whose answers are codes that a condition can test.
    CONDITIONAL_TYPES: ClassVar[tuple[str, ...]] = ("yes_no_partly", "single", "multiple")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions",
                                verbose_name=_("section"))
    # Denormalized from the section: codes are unique, and conditions refer, within a version.
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions",
        editable=False, verbose_name=_("questionnaire version"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    required = models.BooleanField(_("required"), default=False)
    text = _texts(_("question"))
    help = _texts(_("help"), required=False)
    depends_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="dependents",
        verbose_name=_("shown only when the answer to"),
    )
    allowed_values = models.JSONField(
        _("is one of"), default=list, blank=True,
        help_text=_("Codes of the answers (yes, no, partly or choice codes) that show this "
                    "question."),
    )

    class Meta:
        ordering = ["questionnaire_version_id", "section__position", "section_id", "position",
                    "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire_version", "code"],
                                    name="question_code_unique"),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.section_id is not None:
            self.questionnaire_version_id = self.section.questionnaire_version_id
        super().save(*args, **kwargs)

    def target_version_id(self) -> int | None:
        return self.questionnaire_version_id

    @property
    def localized_text(self) -> str:
        return localized(self.text)

    @property
    def localized_help(self) -> str:
        return localized(self.help)

    @property
    def has_choices(self) -> bool:
        return self.type in (self.Type.SINGLE, self.Type.MULTIPLE)

    @property
    def has_columns(self) -> bool:
        return self.type == self.Type.TABLE

    def answer_codes(self) -> list[str]:
        """The codes an answer to this question can take (for conditions)."""
        if self.type == self.Type.YES_NO_PARTLY:
            return list(YES_NO_PARTLY)
        if self.has_choices:
            return [choice.code for choice in self.choices.all()]
        return []

    def clean(self) -> None:
        if self.section_id is not None:
            self.questionnaire_version_id = self.section.questionnaire_version_id
        super().clean()
        self._clean_condition()

    def _clean_condition(self) -> None:
        if not isinstance(self.allowed_values, list) or not all(
                isinstance(value, str) for value in self.allowed_values):
            raise ValidationError({"allowed_values": _("Give a list of answer codes.")})
        source = self.depends_on
        if source is None:
            if self.allowed_values:
                raise ValidationError({"depends_on": _(
                    "Choose the question whose answer shows this one.")})
            return
        if source.pk == self.pk and self.pk is not None:
            raise ValidationError({"depends_on": _("A question cannot depend on itself.")})
        if source.questionnaire_version_id != self.questionnaire_version_id:
            raise ValidationError({"depends_on": _(
                "A condition can only refer to a question of the same version.")})
        if source.type not in self.CONDITIONAL_TYPES:
            raise ValidationError({"depends_on": _(
                "A condition can only refer to a yes/no/partly or choice question.")})
        if self.section_id is not None and (
                (source.section.position, source.position, source.pk or 0)
                >= (self.section.position, self.position, self.pk or 10**12)):
            raise ValidationError({"depends_on": _(
                "A condition can only refer to an earlier question.")})
        if not self.allowed_values:
            raise ValidationError({"allowed_values": _(
                "Choose at least one answer that shows this question.")})
        unknown = sorted(set(self.allowed_values) - set(source.answer_codes()))
        if unknown:
            raise ValidationError({"allowed_values": _(
                "These are not answers to the question %(code)s: %(values)s.") % {
                    "code": source.code, "values": ", ".join(unknown)}})

    def is_shown(self, answers: dict[str, Any]) -> bool:
        """Whether the question is shown, given the answers by question code."""
        source = self.depends_on
        if source is None:
            return True
        value = answers.get(source.code)
        values = value if isinstance(value, list) else [value]
        return any(v in self.allowed_values for v in values)


class QuestionCitation(DraftContent):
    """A provision a question is about: an article, optionally a paragraph and subparagraph."""

    version_path = "question__questionnaire_version"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="citations",
                                 verbose_name=_("question"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("article"))
    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("paragraph"))
    subparagraph = models.CharField(_("subparagraph"), max_length=4, blank=True)

    class Meta:
        ordering = ["question_id", "position", "pk"]
        verbose_name = _("cited provision")
        verbose_name_plural = _("cited provisions")

    def __str__(self) -> str:
        return self.citation

    def get_absolute_url(self) -> str:
        url = self.article.get_absolute_url()
        if self.paragraph is not None:
            url += f"#{self.paragraph.anchor}"
        return url

    def target_version_id(self) -> int | None:
        return self.question.questionnaire_version_id if self.question_id else None

    @property
    def paragraph_number(self) -> int | None:
        """The paragraph's number; None for none, and for the unnumbered paragraph (0) of an
        article without numbered paragraphs."""
        paragraph = self.paragraph
        return paragraph.number if paragraph is not None and paragraph.number else None

    @property
    def citation(self) -> str:
        """As the treaty texts cite: art. 5(1)(a), art. 23(a)."""
        cite = f"art. {self.article.number}"
        if self.paragraph_number is not None:
            cite += f"({self.paragraph_number})"
        if self.subparagraph:
            cite += f"({self.subparagraph})"
        return cite

    @property
    def localized_citation(self) -> str:
        from django.utils.translation import gettext

        from palermo.reference.citations import format_citation

        if self.paragraph_number is None and self.subparagraph:
            return gettext("art. %(article)s(%(subparagraph)s)") % {
                "article": self.article.number, "subparagraph": self.subparagraph}
        return format_citation(self.article.number, self.paragraph_number,
                               self.subparagraph if self.paragraph_number else "")

    def clean(self) -> None:
        super().clean()
        if self.paragraph is not None and self.paragraph.article_id != self.article_id:
            raise ValidationError({"paragraph": _("This paragraph is not of that article.")})


class QuestionTag(DraftContent):
    """A priority area (decision 3/4) in which answers to the question reveal needs."""

    version_path = "question__questionnaire_version"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tags",
                                 verbose_name=_("question"))
    area = models.CharField(_("priority area"), max_length=30, choices=PriorityArea.choices,
                            db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "area"],
                                               name="question_tag_unique")]
        ordering = ["question_id", "area"]
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")

    def __str__(self) -> str:
        return self.area

    def target_version_id(self) -> int | None:
        return self.question.questionnaire_version_id if self.question_id else None


class Choice(DraftContent):
    version_path = "question__questionnaire_version"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices",
                                 verbose_name=_("question"))
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    label = _texts(_("label"))

    class Meta:
        ordering = ["question_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "code"],
                                               name="choice_code_unique")]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.code

    def target_version_id(self) -> int | None:
        return self.question.questionnaire_version_id if self.question_id else None

    @property
    def localized_label(self) -> str:
        return localized(self.label)


class TableColumn(DraftContent):
    version_path = "question__questionnaire_version"

    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        YES_NO = "yes_no", _("Yes or no")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="columns",
                                 verbose_name=_("question"))
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.TEXT)
    label = _texts(_("label"))

    class Meta:
        ordering = ["question_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "code"],
                                               name="column_code_unique")]
        verbose_name = _("table column")
        verbose_name_plural = _("table columns")

    def __str__(self) -> str:
        return self.code

    def target_version_id(self) -> int | None:
        return self.question.questionnaire_version_id if self.question_id else None

    @property
    def localized_label(self) -> str:
        return localized(self.label)


class Cycle(TimeStampedModel):
    """A reporting cycle: a published questionnaire version put to the parties of its
    instrument on ``parties_on``, open from ``opens_on`` to ``closes_on``."""

    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="cycles",
        verbose_name=_("questionnaire version"),
    )
    title = _texts(_("title"))
    parties_on = models.DateField(
        _("States parties on"),
        help_text=_("The States that are parties to the instrument on this date are asked."),
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("deadline"))
    remind_days_before = models.PositiveSmallIntegerField(
        _("reminder, days before the deadline"), default=14)
    remind_days_after = models.PositiveSmallIntegerField(
        _("reminder, days after the deadline"), default=7)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )
    # The fictional cycle of the demo data (``palermo.reporting.demo``): its pages carry the
    # demo banner and its report says it is fictional.
    is_demo = models.BooleanField(_("fictional demo cycle"), default=False, editable=False)

    class Meta:
        ordering = ["-opens_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(opens_on__lte=models.F("closes_on")),
                                              name="cycle_opens_before_closing")]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")

    def __str__(self) -> str:
        return localized(self.title) or f"cycle {self.pk}"

    @property
    def localized_title(self) -> str:
        return localized(self.title)

    def parties_in_scope(self) -> models.QuerySet[State]:
        """The States parties to the questionnaire's instrument on ``parties_on``."""
        instrument_id = self.questionnaire_version.questionnaire.instrument_id
        return State.objects.filter(
            participations__instrument_id=instrument_id,
            participations__consent_on__lte=self.parties_on,
        ).distinct()

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The deadline cannot be before the opening.")
        version = self.questionnaire_version if self.questionnaire_version_id else None
        if version is not None:
            if not version.is_published:
                errors["questionnaire_version"] = _("Only a published version can be sent.")
            elif version.questionnaire.kind != Questionnaire.Kind.QUESTIONNAIRE:
                errors["questionnaire_version"] = _(
                    "A model form for supplementary information is not sent in cycles.")
        if errors:
            raise ValidationError(errors)


class Response(VersionedModel):
    """A State's answers to one questionnaire version: in a cycle, or, without a cycle, a
    voluntary submission of supplementary information. It carries the State's status."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="responses",
                              verbose_name=_("State"))
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses",
        verbose_name=_("questionnaire version"),
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="responses", verbose_name=_("reporting cycle"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.NOT_STARTED, db_index=True)
    extended_until = models.DateField(_("deadline extended to"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("submitted by"),
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("reopened by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle_id", "state__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "state"], condition=Q(cycle__isnull=False),
                                    name="response_once_per_cycle"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="response_submitted_at",
            ),
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.state_id and self.state.code} — {self.questionnaire_version}"

    @property
    def deadline(self) -> Any:
        """The State's deadline: its extension, else the cycle's (None without a cycle)."""
        if self.extended_until is not None:
            return self.extended_until
        return self.cycle.closes_on if self.cycle_id and self.cycle else None

    @property
    def is_supplementary(self) -> bool:
        return self.cycle_id is None

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def clean(self) -> None:
        if not self.questionnaire_version_id:
            return
        version = self.questionnaire_version
        if not version.is_published:
            raise ValidationError({"questionnaire_version": _(
                "Only a published version can be answered.")})
        cycle = self.cycle
        if cycle is not None and cycle.questionnaire_version_id != version.pk:
            raise ValidationError({"questionnaire_version": _(
                "A response answers its cycle's questionnaire version.")})
        supplementary = version.questionnaire.kind == Questionnaire.Kind.SUPPLEMENTARY
        if self.cycle_id is None and not supplementary:
            raise ValidationError({"cycle": _(
                "Outside a reporting cycle a State can only submit supplementary "
                "information.")})


class ResponseSection(VersionedModel):
    """A section of a response, saved as a whole: its version refuses stale autosaves."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="sections",
                                 verbose_name=_("response"))
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("section"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("last saved by"),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "section"],
                                               name="response_section_unique")]
        verbose_name = _("section of a response")
        verbose_name_plural = _("sections of responses")

    def __str__(self) -> str:
        return f"{self.response_id}/{self.section_id}"


class Answer(VersionedModel):
    """A State's answer to one question. ``value`` holds, by type: "yes"/"no"/"partly", a
    choice code, a list of choice codes, a number, an ISO date, a text, a list of
    :class:`AnswerFile` ids, or a list of rows ``{column code: value}``."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers",
                                 verbose_name=_("question"))
    value = models.JSONField(_("answer"), null=True, blank=True)
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Seen only by the State's people and the secretariat."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("last changed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["response_id", "question__section__position", "question__position",
                    "pk"]
        constraints = [models.UniqueConstraint(fields=["response", "question"],
                                               name="answer_unique")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"

    def clean(self) -> None:
        if (self.response_id and self.question_id
                and self.question.questionnaire_version_id
                != self.response.questionnaire_version_id):
            raise ValidationError({"question": _(
                "This question is not in the version the response answers.")})


def _answer_upload_to(instance: AnswerFile, filename: str) -> str:
    return f"reporting/answers/{instance.answer.response_id}/{filename}"


class AnswerFile(TimeStampedModel):
    """A file attached to an answer to a file question; as confidential as its answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files",
                               verbose_name=_("answer"))
    file = models.FileField(_("file"), upload_to=_answer_upload_to, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["answer_id", "pk"]
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")

    def __str__(self) -> str:
        return self.name


class ResponseContributor(TimeStampedModel):
    """An expert a focal point invited to help fill the State's response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE,
                                 related_name="contributors", verbose_name=_("response"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="reporting_contributions", verbose_name=_("expert"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("invited by"),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "user"],
                                               name="response_contributor_unique")]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self) -> str:
        return f"{self.user} → {self.response}"


class ClarificationRequest(TimeStampedModel):
    """The secretariat asks a State to clarify given answers (decision 3/1 g, h)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    response = models.ForeignKey(Response, on_delete=models.PROTECT,
                                 related_name="clarifications", verbose_name=_("response"))
    questions = models.ManyToManyField(Question, blank=True, related_name="+",
                                       verbose_name=_("questions"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("asked by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("clarification request")
        verbose_name_plural = _("clarification requests")

    def __str__(self) -> str:
        return f"clarification {self.pk} on {self.response}"


class ClarificationMessage(models.Model):
    request = models.ForeignKey(ClarificationRequest, on_delete=models.CASCADE,
                                related_name="messages", verbose_name=_("clarification request"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("author"),
    )
    text = models.TextField(_("message"))
    created = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["request_id", "created", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.text[:40]}"


class CycleReminderLog(models.Model):
    """One reminder to a State in a cycle, claimed before it is sent: the unique constraint
    keeps two workers from sending it twice.

    A reminder is about one deadline, the State's on the day it is due: the cycle's, or the
    State's extension. A new deadline (an extension granted after the reminders of the
    previous one) is reminded of before and after it again, each once."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the deadline")
        AFTER = "after", _("After the deadline")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reminders",
                              verbose_name=_("reporting cycle"))
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("State"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    deadline = models.DateField(
        _("deadline"),
        help_text=_("The deadline the reminder is about: the cycle's, or the State's "
                    "extension."))
    sequence = models.PositiveSmallIntegerField(_("number"), default=1)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True,
                                  help_text=_("The e-mail addresses it was sent to."))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "state", "deadline", "kind", "sequence"],
                                    name="cycle_reminder_once_per_deadline"),
        ]
        ordering = ["-claimed_at"]
        verbose_name = _("reminder of a cycle")
        verbose_name_plural = _("reminders of cycles")

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.state_id} {self.kind} {self.deadline} #{self.sequence}"

"""Reads of the analysis of reporting cycles: response rates, distributions of answers,
compliance per provision, difficulties and technical-assistance needs.

Who sees what (in line with :mod:`palermo.reporting.access`):

- A cycle's analysis is open to those who see the cycle there: the secretariat, and the
  State's people (focal points, invited experts) of a State in the cycle. Everyone else gets
  404, as for a cycle that does not exist.
- Only submitted responses count: a draft answer is not data yet. An answer to a question its
  condition hides is not counted, whatever it says.
- **Counts** (rates, distributions, number summaries, charts) include confidential answers only
  for the secretariat. For everyone else they are computed from non-confidential answers
  alone, the State's own included, so that no figure can reveal a confidential answer. A
  question shown because of a confidential answer counts only where that answer does.
- **Named answers** (who answered what, difficulties in the States' words, raw exports) are
  the secretariat's for every State, confidential ones marked; a State's people see only
  their own State's, confidential ones marked. The edition of the report for circulation
  names every State's non-confidential answers and no confidential one.

Every page reads a bounded number of queries: figures are aggregated by the database
(``values()``/``annotate()`` with conditional counts), never row by row in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    JSONField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    When,
)
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from palermo.reference.models import Instrument, RegionalGroup, State
from palermo.reporting import access
from palermo.reporting.models import (
    Answer,
    Choice,
    Cycle,
    PriorityArea,
    Question,
    QuestionCitation,
    QuestionTag,
    Response,
    Section,
)

from . import cache

SUBMITTED = Response.Status.SUBMITTED
# Question types whose answers are counted value by value.
COUNTED_TYPES = (Question.Type.YES_NO_PARTLY, Question.Type.SINGLE, Question.Type.MULTIPLE)


def yes_no_partly_labels() -> dict[str, str]:
    return {"yes": _("Yes"), "partly": _("Partly"), "no": _("No")}


# Who sees what ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """Whose answers a page, an export or a report may use.

    ``None`` stands for every State."""

    # Counts include confidential answers (the secretariat's own view only).
    count_confidential: bool
    # States whose answers are shown by name.
    named_states: frozenset[int] | None
    # States whose confidential answers are shown by name (marked as such).
    confidential_states: frozenset[int] | None
    kind: str = "state"  # "secretariat", "circulation" or "state"

    @property
    def is_secretariat(self) -> bool:
        return self.kind == "secretariat"

    def names(self, state_id: int) -> bool:
        return self.named_states is None or state_id in self.named_states

    def counts_q(self, prefix: str = "") -> Q:
        """Answers that may enter a count."""
        return Q() if self.count_confidential else Q(**{f"{prefix}confidential": False})

    def named_q(self, prefix: str = "") -> Q:
        """Answers that may be shown by name."""
        q = Q()
        if self.named_states is not None:
            q &= Q(**{f"{prefix}response__state_id__in": sorted(self.named_states)})
        if self.confidential_states is not None:
            q &= (Q(**{f"{prefix}confidential": False})
                  | Q(**{f"{prefix}response__state_id__in": sorted(self.confidential_states)}))
        return q


SECRETARIAT = Scope(count_confidential=True, named_states=None, confidential_states=None,
                    kind="secretariat")
CIRCULATION = Scope(count_confidential=False, named_states=None,
                    confidential_states=frozenset(), kind="circulation")


def state_scope(state_ids: set[int]) -> Scope:
    states = frozenset(state_ids)
    return Scope(count_confidential=False, named_states=states, confidential_states=states)


@dataclass
class CycleAccess:
    cycle: Cycle
    scope: Scope
    tokens: str = ""  # the data tokens, for the analysis cache (read with the cycle)


CYCLE_RELATED = "questionnaire_version__questionnaire__instrument"


def cycle_for_user(user: Any, pk: int) -> CycleAccess:
    """The cycle with the viewer's scope; 404 for whoever does not see it.

    One query decides: for the secretariat, whether the cycle exists; for a State's people,
    their responses in the cycle (through the access layer: the States they answer for). It
    brings the data tokens along. The cycle itself, with its questionnaire and instrument, is
    kept in the analysis cache (:func:`.cache.kept_cycle`): when it is, the query reads only
    what tells whether it is still the same (the cycle's last change, the reference token that
    questionnaires and instruments replace), and the cycle is read again only if not; when it
    is not, the query reads the cycle too."""
    tokens = cache.token_fields()
    names = list(tokens)  # the reference token, then the reporting token
    secretariat = access.is_secretariat(user)
    if secretariat:
        rows: Any = Cycle.objects.filter(pk=pk)
        prefix, key = "", "pk"
    else:
        rows = access.responses_visible_to(user).filter(cycle_id=pk)
        prefix, key = "cycle__", "state_id"
    kept = cache.kept_cycle(pk)
    if kept is None:
        found = list(rows.select_related(prefix + CYCLE_RELATED).annotate(**tokens))
        if not found:
            raise Http404
        cycle = found[0] if secretariat else found[0].cycle
        token = cache.tokens_of(found[0])
        keys = {getattr(row, key) for row in found}
        cache.keep_cycle(cycle, found[0].reference_token)
    else:
        values = list(rows.annotate(**tokens).values_list(key, prefix + "updated_at", *names))
        if not values:
            raise Http404
        _key, updated, reference, reporting = values[0]
        token = cache.tokens_from(reference, reporting)
        keys = {row[0] for row in values}
        cycle, kept_reference = kept
        if (updated, reference) != (cycle.updated_at, kept_reference):
            cycle = Cycle.objects.select_related(CYCLE_RELATED).get(pk=pk)
            cache.keep_cycle(cycle, reference)
    scope = SECRETARIAT if secretariat else state_scope(keys)
    return CycleAccess(cycle=cycle, scope=scope, tokens=token)


def analysable_cycles(user: Any) -> QuerySet[Cycle]:
    return access.cycles_visible_to(user)


# Filters ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the figures to (each optional)."""

    group: int | None = None  # a regional group
    instrument: int | None = None
    start: dt.date | None = None  # submitted (distributions) or opened (cycles) on or after
    end: dt.date | None = None  # … on or before
    section: int | None = None

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The dates as aware datetimes: from the start of ``start`` to the end of ``end``."""
        zone = timezone.get_current_timezone()
        start = (dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
                 if self.start else None)
        end = (dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
               if self.end else None)
        return start, end

    def response_q(self, prefix: str = "") -> Q:
        """Responses of the regional group, submitted within the dates."""
        q = Q()
        if self.group is not None:
            q &= Q(**{f"{prefix}state__regional_groups": self.group})
        start, end = self.bounds()
        if start is not None:
            q &= Q(**{f"{prefix}submitted_at__gte": start})
        if end is not None:
            q &= Q(**{f"{prefix}submitted_at__lt": end})
        return q


# Response rates --------------------------------------------------------------------------------

@dataclass
class Rate:
    label: str
    total: int
    submitted: int
    key: Any = None
    url: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0


@dataclass
class Overview:
    cycles: list[Rate]
    groups: list[Rate]
    instruments: list[Rate]


def _rates(rows: list[dict[str, Any]], key: str) -> dict[Any, tuple[int, int]]:
    return {row[key]: (row["total"], row["submitted"]) for row in rows}


def _rate_counts(responses: QuerySet[Response], key: str) -> list[dict[str, Any]]:
    return list(responses.values(key).annotate(
        total=Count("pk", distinct=True),
        submitted=Count("pk", filter=Q(status=SUBMITTED), distinct=True)).order_by(key))


def visible_cycles(user: Any) -> list[Cycle]:
    """The cycles the user sees, newest first, with their instrument and the data tokens of
    the analysis cache (one query)."""
    return list(analysable_cycles(user).select_related("questionnaire_version__questionnaire")
                .annotate(**cache.token_fields()).order_by("-opens_on", "pk"))


def overview(user: Any, filters: Filters, groups: list[RegionalGroup],
             instruments: list[Instrument], visible: list[Cycle] | None = None) -> Overview:
    """Response rates of the cycles the user sees (``visible``, if read already): per cycle,
    per regional group and per instrument (regional groups and instruments are given, read
    once by the caller)."""
    if visible is None:
        visible = visible_cycles(user)
    cycles = [
        cycle for cycle in visible
        if (filters.instrument is None
            or cycle.questionnaire_version.questionnaire.instrument_id == filters.instrument)
        and (filters.start is None or cycle.opens_on >= filters.start)
        and (filters.end is None or cycle.opens_on <= filters.end)]
    responses = Response.objects.filter(cycle_id__in=[cycle.pk for cycle in cycles])
    if filters.group is not None:
        responses = responses.filter(state__regional_groups=filters.group)
    per_cycle = _rates(_rate_counts(responses, "cycle_id"), "cycle_id")
    per_group = _rates(_rate_counts(responses, "state__regional_groups"),
                       "state__regional_groups")
    per_instrument = _rates(
        _rate_counts(responses, "cycle__questionnaire_version__questionnaire__instrument"),
        "cycle__questionnaire_version__questionnaire__instrument")

    def rate(label: str, figures: tuple[int, int] | None, key: Any, url: str = "") -> Rate:
        total, submitted = figures or (0, 0)
        return Rate(label=label, total=total, submitted=submitted, key=key, url=url)

    return Overview(
        cycles=[rate(cycle.localized_title, per_cycle.get(cycle.pk), cycle,
                     reverse("reporting:analysis_cycle", kwargs={"pk": cycle.pk}))
                for cycle in cycles],
        groups=[rate(group.name, per_group.get(group.pk), group) for group in groups
                if group.pk in per_group],
        instruments=[rate(instrument.short_name, per_instrument.get(instrument.pk), instrument)
                     for instrument in instruments if instrument.pk in per_instrument],
    )


@dataclass(frozen=True)
class Group:
    """A regional group as the analysis shows it: its name in the reader's language."""

    pk: int
    name: str
    position: int


def cycle_rates(cycle: Cycle) -> tuple[Rate, list[Rate], list[Group]]:
    """The cycle's response rate, whole and per regional group, and the groups of its
    States, from one query of one small row per State and group (a State in two groups
    counts once in the whole)."""
    local = build_localized_fieldname("name", translation.get_language() or "en")
    field = "state__regional_groups__"
    names = ([f"{field}{local}"] if local in _group_name_fields() else []) + [f"{field}name_en"]
    rows = (Response.objects.filter(cycle=cycle)
            .values_list("pk", "status", "state__regional_groups", f"{field}position", *names))
    states: dict[int, bool] = {}
    groups: dict[int, Group] = {}
    per_group: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for pk, status, group, position, *labels in rows:
        states[pk] = status == SUBMITTED
        per_group[group][0] += 1
        per_group[group][1] += status == SUBMITTED
        if group is not None and group not in groups:
            groups[group] = Group(group, next((name for name in labels if name), ""), position)
    ordered = sorted(groups.values(), key=lambda g: (g.position, g.pk))
    by_group = [Rate(label=g.name, total=per_group[g.pk][0], submitted=per_group[g.pk][1],
                     key=g) for g in ordered]
    if None in per_group:
        by_group.append(Rate(label=_("No regional group"), total=per_group[None][0],
                             submitted=per_group[None][1]))
    return (Rate(label=cycle.localized_title, total=len(states),
                 submitted=sum(states.values()), key=cycle), by_group, ordered)


def _group_name_fields() -> set[str]:
    return {f.name for f in RegionalGroup._meta.get_fields() if f.name.startswith("name_")}


def submitted_states(cycle: Cycle, scope: Scope) -> list[State]:
    """The States whose responses are submitted, by name where the scope names them."""
    states = State.objects.filter(responses__cycle=cycle, responses__status=SUBMITTED)
    if scope.named_states is not None:
        states = states.filter(pk__in=sorted(scope.named_states))
    return list(states.order_by("name"))


# Questions of a cycle --------------------------------------------------------------------------

# What the analysis reads of a question: neither its help nor its source question's texts.
QUESTION_FIELDS = ("code", "type", "position", "text", "allowed_values",
                   "questionnaire_version_id", "section__position", "section__code",
                   "section__title", "depends_on__type")


def version_questions(cycle: Cycle) -> list[Question]:
    """Every question of the cycle's version with its section, in order (one query)."""
    return list(Question.objects
                .filter(questionnaire_version_id=cycle.questionnaire_version_id)
                .select_related("section", "depends_on")
                .only(*QUESTION_FIELDS)
                .order_by("section__position", "section_id", "position", "pk"))


Conditions = dict[int, tuple[int, str, list[str]]]


def conditions_of(questions: list[Question]) -> Conditions:
    """The conditional questions: id → (source id, source type, codes that show it)."""
    return {q.pk: (q.depends_on.pk, q.depends_on.type, list(q.allowed_values or []))
            for q in questions if q.depends_on is not None}


def conditions(cycle: Cycle) -> Conditions:
    rows = (Question.objects.filter(questionnaire_version_id=cycle.questionnaire_version_id,
                                    depends_on__isnull=False)
            .values_list("pk", "depends_on_id", "depends_on__type", "allowed_values"))
    return {pk: (source, kind, list(allowed or [])) for pk, source, kind, allowed in rows}


def _value_in(kind: str, allowed: list[str]) -> Q:
    """A source answer whose value is one of ``allowed`` (any of them, for a multiple choice)."""
    if kind == Question.Type.MULTIPLE:
        return reduce(or_, (Q(value_text__contains=f'"{code}"') for code in allowed), Q(pk=None))
    return Q(value__in=allowed)


def _shown(question_id: int, conds: Conditions, visible: Q,
           depth: int = 0) -> Exists:
    """Whether an answer to the conditional question is shown: its response has a visible
    answer to the source question that allows it, and the source is shown itself."""
    source, kind, allowed = conds[question_id]
    sources = (Answer.objects.annotate(value_text=Cast("value", TextField()))
               .filter(visible, response_id=OuterRef("response_id"), question_id=source)
               .filter(_value_in(kind, allowed)))
    if source in conds and depth < 20:
        sources = sources.filter(_shown(source, conds, visible, depth + 1))
    return Exists(sources)


def shown_q(conds: Conditions, visible: Q,
            question_ids: set[int] | None = None) -> Q:
    """Answers of questions without a condition, or whose condition their response meets."""
    relevant = [pk for pk in conds if question_ids is None or pk in question_ids]
    if not relevant:
        return Q()
    return reduce(or_, (Q(question_id=pk) & Q(_shown(pk, conds, visible)) for pk in relevant),
                  ~Q(question_id__in=relevant))


def answered_q() -> Q:
    """Answers that say something: not empty, not an empty list."""
    return Q(value__isnull=False) & ~Q(value="") & ~Q(value=[])


def counted_answers(cycle: Cycle, scope: Scope, filters: Filters,
                    conds: Conditions,
                    question_ids: set[int] | None = None) -> QuerySet[Answer]:
    """The answers that enter the figures: of submitted responses in the cycle, within the
    filters, shown by their condition, and confidential ones only for the secretariat."""
    answers = Answer.objects.filter(
        scope.counts_q(), answered_q(), filters.response_q("response__"),
        response__cycle=cycle, response__status=SUBMITTED)
    if question_ids is not None:
        answers = answers.filter(question_id__in=sorted(question_ids))
    return answers.filter(shown_q(conds, scope.counts_q(), question_ids))


def named_answers(cycle: Cycle, scope: Scope, conds: Conditions,
                  question_ids: set[int] | None = None) -> QuerySet[Answer]:
    """The answers that may be shown by name: of submitted responses in the cycle, shown by
    their condition, of the States and with the confidentiality the scope allows."""
    answers = Answer.objects.filter(scope.named_q(), answered_q(), response__cycle=cycle,
                                    response__status=SUBMITTED)
    if question_ids is not None:
        answers = answers.filter(question_id__in=sorted(question_ids))
    return answers.filter(shown_q(conds, scope.named_q(), question_ids))


# Distributions ---------------------------------------------------------------------------------

@dataclass
class Bar:
    code: str
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0


@dataclass
class NumberSummary:
    count: int
    minimum: float | None
    maximum: float | None
    mean: float | None


@dataclass
class QuestionFigures:
    question: Question
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    numbers: NumberSummary | None = None
    chart: Any = None  # drawn by the page

    @property
    def counted(self) -> bool:
        return self.question.type in COUNTED_TYPES


@dataclass
class SectionFigures:
    section: Section
    questions: list[QuestionFigures]


def choice_labels(question_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Codes and labels of the choices of the questions, in order (one query)."""
    labels: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for choice in Choice.objects.filter(question_id__in=question_ids).order_by(
            "question_id", "position", "pk"):
        labels[choice.question_id].append((choice.code, choice.localized_label))
    return labels


def value_counts(answers: QuerySet[Answer], question_ids: list[int]
                 ) -> dict[int, dict[str, int]]:
    """How many answers of each question say each code (a multiple choice counts each code
    it contains), aggregated by the database per distinct value."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (answers.filter(question_id__in=question_ids).values("question_id", "value")
            .annotate(n=Count("pk")).order_by())
    for row in rows:
        values = row["value"] if isinstance(row["value"], list) else [row["value"]]
        for value in values:
            if isinstance(value, str):
                counts[row["question_id"]][value] += row["n"]
    return counts


def answered_counts(answers: QuerySet[Answer], number_ids: list[int]
                    ) -> tuple[dict[int, int], dict[int, NumberSummary]]:
    """Answers per question, and the count, least, greatest and mean of number answers."""
    number = Q(question_id__in=number_ids)
    as_float = Cast("value", FloatField())
    rows = (answers.values("question_id")
            .annotate(n=Count("pk"), low=Min(as_float, filter=number),
                      high=Max(as_float, filter=number), mean=Avg(as_float, filter=number))
            .order_by())
    answered: dict[int, int] = {}
    numbers: dict[int, NumberSummary] = {}
    for row in rows:
        answered[row["question_id"]] = row["n"]
        if row["question_id"] in number_ids:
            numbers[row["question_id"]] = NumberSummary(row["n"], row["low"], row["high"],
                                                        row["mean"])
    return answered, numbers


def bars_for(question: Question, counts: dict[str, int], answered: int,
             labels: dict[int, list[tuple[str, str]]]) -> list[Bar]:
    if question.type == Question.Type.YES_NO_PARTLY:
        options = list(yes_no_partly_labels().items())
    else:
        options = labels.get(question.pk, [])
    return [Bar(code, label, counts.get(code, 0), answered) for code, label in options]


def distributions(cycle: Cycle, scope: Scope, filters: Filters,
                  questions: list[Question] | None = None,
                  conds: Conditions | None = None) -> list[SectionFigures]:
    """Per section and question (the questions given, else every question of the cycle's
    version): how many answered, the counts of each answer, and summaries of numbers."""
    if questions is None:
        questions = version_questions(cycle)
    if conds is None:
        conds = conditions_of(questions)
    ids = [q.pk for q in questions]
    answers = counted_answers(cycle, scope, filters, conds, set(ids))
    counted_ids = [q.pk for q in questions if q.type in COUNTED_TYPES]
    number_ids = [q.pk for q in questions if q.type == Question.Type.NUMBER]
    labels = choice_labels([q.pk for q in questions if q.has_choices])
    counts = value_counts(answers, counted_ids) if counted_ids else {}
    answered, numbers = answered_counts(answers, number_ids) if ids else ({}, {})
    sections: list[SectionFigures] = []
    for question in questions:
        if not sections or sections[-1].section.pk != question.section_id:
            sections.append(SectionFigures(question.section, []))
        figures = QuestionFigures(question, answered=answered.get(question.pk, 0),
                                  numbers=numbers.get(question.pk))
        if question.type in COUNTED_TYPES:
            figures.bars = bars_for(question, counts.get(question.pk, {}), figures.answered,
                                    labels)
        sections[-1].questions.append(figures)
    return sections


def version_sections(cycle: Cycle) -> list[Section]:
    return list(Section.objects.filter(questionnaire_version_id=cycle.questionnaire_version_id)
                .only("questionnaire_version_id", "position", "code", "title")
                .order_by("position", "pk"))


@dataclass
class Outline:
    conditions: Conditions
    questions: list[Question]  # of the chosen section (or of all), with their texts


def outline(cycle: Cycle, sections: list[Section], section: int | None) -> Outline:
    """Every question's condition, and the questions of one section (``None``: of all), in
    one query of plain values: a page shows a section at a time, and reading every
    question of a large questionnaire as model instances would cost more than the figures."""
    text: Any = F("text")
    if section is not None:
        text = Case(When(section_id=section, then=F("text")), default=None,
                    output_field=JSONField())
    rows = (Question.objects.filter(questionnaire_version_id=cycle.questionnaire_version_id)
            .annotate(shown_text=text)
            .values_list("pk", "section_id", "position", "code", "type", "depends_on_id",
                         "depends_on__type", "allowed_values", "shown_text")
            .order_by("section__position", "section_id", "position", "pk"))
    by_id = {s.pk: s for s in sections}
    conds: Conditions = {}
    questions: list[Question] = []
    for pk, section_id, position, code, kind, source, source_kind, allowed, text in rows:
        if source is not None:
            conds[pk] = (source, source_kind, list(allowed or []))
        if section is None or section_id == section:
            question = Question(id=pk, section_id=section_id, position=position, code=code,
                                type=kind, depends_on_id=source, allowed_values=allowed,
                                text=text or {},
                                questionnaire_version_id=cycle.questionnaire_version_id)
            question.section = by_id[section_id]
            questions.append(question)
    return Outline(conds, questions)


def sections_of(questions: list[Question]) -> list[Section]:
    """The sections of the questions, in order, each once."""
    return list({q.section_id: q.section for q in questions}.values())


# Compliance per provision -----------------------------------------------------------------------

@dataclass
class NamedAnswer:
    state: State
    value: Any
    confidential: bool
    text: str = ""


def answer_text(question: Question, value: Any,
                labels: dict[int, list[tuple[str, str]]]) -> str:
    """An answer as a line of text, with the labels already read."""
    values = value if isinstance(value, list) else [value]
    if question.type == Question.Type.YES_NO_PARTLY:
        return yes_no_partly_labels().get(str(value), str(value))
    if question.has_choices:
        names = dict(labels.get(question.pk, []))
        return ", ".join(names.get(str(v), str(v)) for v in values)
    if question.type == Question.Type.TABLE:
        return "; ".join(", ".join(str(cell) for cell in row.values() if cell not in (None, ""))
                         for row in values if isinstance(row, dict))
    if question.type == Question.Type.FILE:
        return _("%(count)s file(s)") % {"count": len(values)}
    return str(value)


@dataclass
class ComplianceQuestion:
    question: Question
    bars: list[Bar]
    answered: int
    # "yes"/"partly"/"no" → the States that answered so (where the scope names them).
    parties: dict[str, list[NamedAnswer]] = field(default_factory=dict)

    @property
    def party_rows(self) -> list[tuple[str, list[NamedAnswer]]]:
        labels = yes_no_partly_labels()
        return [(labels[code], self.parties.get(code, [])) for code in YES_NO_PARTLY_ORDER]


YES_NO_PARTLY_ORDER = ("yes", "partly", "no")


@dataclass
class Provision:
    citation: str
    article: int
    questions: list[ComplianceQuestion]


def _states(ids: set[int]) -> dict[int, State]:
    return {state.pk: state for state in State.objects.filter(pk__in=sorted(ids))}


@dataclass
class Compliance:
    provisions: list[Provision]
    articles: list[int]  # every article cited, for choosing one


def compliance(cycle: Cycle, scope: Scope, filters: Filters, *, with_parties: bool = True,
               article: int | None = None) -> Compliance:
    """For each provision cited by a yes/no/partly question (of one article, when given):
    how many parties report the measure in place, partly or not, and (``with_parties``,
    where the scope names them) which."""
    every = list(QuestionCitation.objects
                 .filter(question__questionnaire_version_id=cycle.questionnaire_version_id,
                         question__type=Question.Type.YES_NO_PARTLY)
                 .select_related("question", "article", "paragraph")
                 .only("position", "subparagraph", "question__code", "question__type",
                       "question__text", "question__questionnaire_version_id",
                       "article__number", "paragraph__number")
                 .order_by("article__number", "paragraph__number", "subparagraph",
                           "question__section__position", "question__position"))
    articles = sorted({c.article.number for c in every})
    citations = [c for c in every if article is None or c.article.number == article]
    questions = {c.question_id: c.question for c in citations}
    conds = conditions(cycle)
    answers = counted_answers(cycle, scope, filters, conds, set(questions))
    counts = value_counts(answers, list(questions)) if questions else {}
    answered: dict[int, int] = {pk: sum(counts.get(pk, {}).values()) for pk in questions}
    parties: dict[int, dict[str, list[NamedAnswer]]] = defaultdict(lambda: defaultdict(list))
    if with_parties and questions:
        rows = list(named_answers(cycle, scope, conds, set(questions))
                    .filter(filters.response_q("response__"))
                    .values_list("question_id", "value", "confidential", "response__state_id")
                    .order_by("response__state__name"))
        states = _states({row[3] for row in rows})
        for question_id, value, confidential, state_id in rows:
            parties[question_id][str(value)].append(NamedAnswer(states[state_id], value,
                                                                confidential))
    provisions: dict[str, Provision] = {}
    for citation in citations:
        key = citation.localized_citation
        provision = provisions.setdefault(key, Provision(key, citation.article.number, []))
        question = citation.question
        provision.questions.append(ComplianceQuestion(
            question, bars_for(question, counts.get(question.pk, {}), answered[question.pk], {}),
            answered[question.pk], parties.get(question.pk, {})))
    return Compliance(list(provisions.values()), articles)


# Difficulties and needs ------------------------------------------------------------------------

@dataclass
class AreaQuestion:
    question: Question
    answered: int
    bars: list[Bar]


@dataclass
class Area:
    code: str
    label: str
    questions: list[AreaQuestion]
    # States (named by the scope) → their answers to the area's questions.
    states: list[tuple[State, list[tuple[Question, NamedAnswer]]]]

    @property
    def answered(self) -> int:
        return sum(q.answered for q in self.questions)


@dataclass
class StateNeeds:
    state: State
    areas: list[tuple[str, list[tuple[Question, NamedAnswer]]]]


@dataclass
class Needs:
    areas: list[Area]
    states: list[StateNeeds]


def needs(cycle: Cycle, scope: Scope, *, area: str = "", state: int | None = None,
          known_states: dict[int, State] | None = None, list_answers: bool = True) -> Needs:
    """Answers to the questions tagged with the priority areas of decision 3/4: per area,
    how many States answered each question (and how, for yes/no/partly and choices); the
    answers themselves per State and per area, where the scope names the State."""
    tags = (QuestionTag.objects
            .filter(question__questionnaire_version_id=cycle.questionnaire_version_id)
            .select_related("question__section")
            .order_by("area", "question__section__position", "question__position"))
    if area:
        tags = tags.filter(area=area)
    tag_list = list(tags)
    questions = {tag.question_id: tag.question for tag in tag_list}
    conds = conditions(cycle)
    ids = set(questions)
    counted = counted_answers(cycle, scope, Filters(), conds, ids)
    counted_ids = [pk for pk, q in questions.items() if q.type in COUNTED_TYPES]
    labels = choice_labels([pk for pk, q in questions.items() if q.has_choices])
    counts = value_counts(counted, counted_ids) if counted_ids else {}
    answered, _numbers = answered_counts(counted, []) if ids else ({}, {})
    named = named_answers(cycle, scope, conds, ids)
    if state is not None:
        named = named.filter(response__state_id=state)
    rows = list(named.values_list("question_id", "value", "confidential", "response__state_id")
                .order_by("response__state__name", "question__section__position",
                          "question__position")) if ids and list_answers else []
    ids_named = {row[3] for row in rows}
    if known_states is not None and ids_named <= set(known_states):
        states = {pk: known_states[pk] for pk in ids_named}
    else:
        states = _states(ids_named)
    by_question: dict[int, list[NamedAnswer]] = defaultdict(list)
    for question_id, value, confidential, state_id in rows:
        by_question[question_id].append(NamedAnswer(
            states[state_id], value, confidential,
            answer_text(questions[question_id], value, labels)))
    area_labels = dict(PriorityArea.choices)
    areas: dict[str, Area] = {}
    per_state: dict[int, dict[str, list[tuple[Question, NamedAnswer]]]] = defaultdict(
        lambda: defaultdict(list))
    for tag in tag_list:
        question = tag.question
        entry = areas.setdefault(tag.area, Area(tag.area, str(area_labels.get(tag.area,
                                                                               tag.area)),
                                                [], []))
        entry.questions.append(AreaQuestion(
            question, answered.get(question.pk, 0),
            bars_for(question, counts.get(question.pk, {}), answered.get(question.pk, 0), labels)
            if question.type in COUNTED_TYPES else []))
        for answer in by_question.get(question.pk, []):
            per_state[answer.state.pk][tag.area].append((question, answer))
    ordered_states = sorted(states.values(), key=lambda s: s.name)
    for entry in areas.values():
        entry.states = [(s, per_state[s.pk][entry.code]) for s in ordered_states
                        if per_state[s.pk].get(entry.code)]
    return Needs(
        areas=list(areas.values()),
        states=[StateNeeds(s, [(str(area_labels.get(code, code)), answers)
                               for code, answers in per_state[s.pk].items()])
                for s in ordered_states])


# Raw answers -----------------------------------------------------------------------------------

def export_rows(cycle: Cycle, scope: Scope) -> QuerySet[Answer]:
    """The answers an export may hold, in order (iterate it: exports stream)."""
    conds = conditions(cycle)
    return (named_answers(cycle, scope, conds)
            .select_related("response__state", "question__section")
            .order_by("response__state__code", "question__section__position",
                      "question__position", "pk"))

"""The world of the reporting leak matrix, built through the pages people use.

A UNTOC questionnaire (published) and two cycles of it to Mexico (State A) and France
(State B). In the first cycle both States submitted: A with a confidential "yes" to 5-1 (art.
5(1)(a), priority area: training), a confidential text (CONF_A) and a confidential file whose
name carries FILE_A; B with a text (STATE_B). In the second cycle A is still drafting, with a
non-confidential text (DRAFT_A). The secretariat asked A to clarify its text (CLARIFICATION).
An expert is invited to each State's first response. A draft questionnaire of the secretariat's
carries QUESTIONNAIRE_DRAFT in its title. Every person is a fictional test account and every
answer fictional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.models import User
from palermo.reference.models import Article
from palermo.reporting.models import (
    Answer,
    AnswerFile,
    Choice,
    ClarificationRequest,
    Cycle,
    PriorityArea,
    Question,
    QuestionCitation,
    QuestionnaireVersion,
    QuestionTag,
    Response,
    ResponseContributor,
    Section,
)
from tests.personas import client_for, make_person

from .cycles_world import make_parties, open_cycle, question, save_section, section
from .factories import draft_version, texts

CONF_A = "LEAKCONFA"  # a confidential text answer of A's submitted response
DRAFT_A = "LEAKDRAFTA"  # a non-confidential text answer of A's response in progress
STATE_B = "LEAKSTATEB"  # a text answer of B's submitted response
CLARIFICATION = "LEAKCLARIFY"  # the secretariat's question to A
FILE_A = "LEAKFILEA"  # the name (and content) of a confidential file of A
QUESTIONNAIRE_DRAFT = "LEAKQDRAFT"  # the title of a questionnaire not yet published
MARKERS = (CONF_A, DRAFT_A, STATE_B, CLARIFICATION, FILE_A, QUESTIONNAIRE_DRAFT)

PERSONAS = ("anonymous", "practitioner_a", "editor_a", "focal_point_a", "expert_a",
            "focal_point_b", "expert_b", "reviewer_a", "secretariat")


def build_version() -> QuestionnaireVersion:
    """art-5: 5-1 (yes/no/partly, required, art. 5(1)(a), training), 5-2 (choice, required,
    shown when 5-1 is yes or partly). cases: 6-1 (number, required), 6-3 (file), 6-4 (text,
    criminalization)."""
    version = draft_version("leak-untoc")
    first = Question.objects.get(questionnaire_version=version, code="5-1")
    QuestionTag.objects.create(question=first, area=PriorityArea.TRAINING)
    cases = Section.objects.create(questionnaire_version=version, position=2, code="cases",
                                   title=texts("Cases"))
    Question.objects.create(section=cases, position=1, code="6-1", type=Question.Type.NUMBER,
                            required=True, text=texts("How many convictions?"))
    Question.objects.create(section=cases, position=3, code="6-3", type=Question.Type.FILE,
                            text=texts("The law, as a file"))
    text = Question.objects.create(section=cases, position=4, code="6-4",
                                   type=Question.Type.TEXT, text=texts("Difficulties met"))
    QuestionTag.objects.create(question=text, area=PriorityArea.CRIMINALIZATION)
    article = Article.objects.get(instrument__code="untoc", number=5)
    QuestionCitation.objects.create(question=text, article=article)
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    return version


@dataclass
class LeakWorld:
    version: QuestionnaireVersion
    draft_questionnaire: QuestionnaireVersion
    supplementary: QuestionnaireVersion
    cycle: Cycle  # both States submitted
    cycle2: Cycle  # A drafting, B not started
    a1: Response
    a2: Response
    b1: Response
    b2: Response
    supplementary_a: Response  # A's supplementary information, not yet submitted
    clarification: ClarificationRequest
    file: AnswerFile
    people: dict[str, User | None]
    draft_section_pk: int
    draft_question_pk: int
    draft_choice_pk: int

    def section_pk(self, code: str) -> int:
        return section(self.version, code).pk

    def question_pk(self, code: str) -> int:
        return question(self.version, code).pk

    def answer(self, response: Response, code: str) -> Answer:
        return Answer.objects.get(response=response, question__code=code)


def _submit(client: Any, response: Response) -> None:
    client.post(reverse("reporting:response_submit", kwargs={"pk": response.pk}))
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED, "the response was not submitted"


@pytest.fixture
def leak_world(reference_data: None, settings: Any, tmp_path: Any, secretariat: User,
               practitioner_a: User, editor_a: User, focal_point_a: User,
               focal_point_b: User, reviewer_a: User) -> LeakWorld:
    settings.MEDIA_ROOT = str(tmp_path)
    make_parties("MEX", "FRA")
    version = build_version()
    closes = timezone.localdate() + dt.timedelta(days=60)
    cycle = open_cycle(version, secretariat, closes_on=closes)
    cycle2 = services_second_cycle(version, secretariat, closes)
    a1 = Response.objects.get(cycle=cycle, state__code="MEX")
    b1 = Response.objects.get(cycle=cycle, state__code="FRA")
    a2 = Response.objects.get(cycle=cycle2, state__code="MEX")
    b2 = Response.objects.get(cycle=cycle2, state__code="FRA")

    fa = client_for(focal_point_a)
    save_section(fa, a1, "art-5", {"5-1": "yes"}, confidential=("5-1",))
    save_section(fa, a1, "art-5", {"5-1": "yes", "5-2": "agreement"}, confidential=("5-1",))
    upload = SimpleUploadedFile(f"{FILE_A}-law.pdf", f"%PDF {FILE_A} content".encode(),
                                content_type="application/pdf")
    saved = save_section(fa, a1, "cases", {"6-1": "4", "6-3": upload,
                                           "6-4": f"{CONF_A} (fictional)"},
                         confidential=("6-3", "6-4"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    _submit(fa, a1)
    save_section(fa, a2, "cases", {"6-4": f"{DRAFT_A} (fictional)"})

    fb = client_for(focal_point_b)
    save_section(fb, b1, "art-5", {"5-1": "yes"})
    save_section(fb, b1, "art-5", {"5-1": "yes", "5-2": "conduct"})
    save_section(fb, b1, "cases", {"6-1": "3", "6-4": f"{STATE_B} (fictional)"})
    _submit(fb, b1)

    expert_a = make_person("expert-a@example.org")
    ResponseContributor.objects.create(response=a1, user=expert_a, invited_by=focal_point_a)
    expert_b = make_person("expert-b@example.org")
    ResponseContributor.objects.create(response=b1, user=expert_b, invited_by=focal_point_b)

    asked = client_for(secretariat).post(
        reverse("reporting:clarification_new", kwargs={"pk": a1.pk}),
        {"questions": [question(version, "6-4").pk], "text": f"{CLARIFICATION} explain"})
    assert asked.status_code == 302, asked.content.decode()[:2000]

    draft = draft_version("leak-draft")
    draft.title = texts(f"{QUESTIONNAIRE_DRAFT} questionnaire")
    draft.save()
    draft.questionnaire.title = texts(f"{QUESTIONNAIRE_DRAFT} questionnaire")
    draft.questionnaire.save()
    supplementary = draft_version("leak-supplementary", kind="supplementary")
    supplementary.status = QuestionnaireVersion.Status.PUBLISHED
    supplementary.published_at = timezone.now()
    supplementary.save()

    started = fa.post(reverse("reporting:supplementary_start"),
                      {"state": a1.state_id, "version": supplementary.pk})
    assert started.status_code == 302, started.content.decode()[:2000]

    a1.refresh_from_db()
    a2.refresh_from_db()
    a2_answer = Answer.objects.get(response=a2, question__code="6-4")
    assert a2.status == Response.Status.IN_PROGRESS and not a2_answer.confidential
    conf = Answer.objects.get(response=a1, question__code="6-4")
    assert conf.confidential and CONF_A in str(conf.value)
    return LeakWorld(
        version=version, draft_questionnaire=draft, supplementary=supplementary,
        cycle=cycle, cycle2=cycle2, a1=a1, a2=a2, b1=b1, b2=b2,
        supplementary_a=Response.objects.get(cycle__isnull=True, state=a1.state),
        clarification=ClarificationRequest.objects.get(response=a1),
        file=AnswerFile.objects.get(answer__response=a1),
        people={"anonymous": None, "practitioner_a": practitioner_a, "editor_a": editor_a,
                "focal_point_a": focal_point_a, "expert_a": expert_a,
                "focal_point_b": focal_point_b, "expert_b": expert_b,
                "reviewer_a": reviewer_a, "secretariat": secretariat},
        draft_section_pk=Section.objects.get(questionnaire_version=draft).pk,
        draft_question_pk=Question.objects.get(questionnaire_version=draft, code="5-2").pk,
        draft_choice_pk=Choice.objects.filter(question__questionnaire_version=draft)
        .order_by("pk")[0].pk)


def services_second_cycle(version: QuestionnaireVersion, user: User, closes: dt.date) -> Cycle:
    from palermo.reporting.cycles import services

    return services.cycle_create(
        user=user, version=version, title=texts("Second cycle"),
        parties_on=dt.date(2025, 1, 1), opens_on=closes - dt.timedelta(days=80),
        closes_on=closes + dt.timedelta(days=1), remind_days_before=14, remind_days_after=7)

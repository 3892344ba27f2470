"""The report on the information States parties provided in reply to the secretariat's
individual requests for clarification in a reporting cycle (decision 3/1 g, h), as a
:class:`palermo.documents.Document` printed to DOCX or PDF in any of the six languages, like
the analytical report (:mod:`.reports`).

The secretariat writes it to the Conference: it is the secretariat's alone (the view answers
404 to anyone else), and it quotes each thread as it stands, the secretariat's questions and
the State's replies, read through :func:`palermo.reporting.access.clarifications_visible_to`
all the same. It quotes no answer: the questions concerned are named by code and text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from palermo.documents import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValueTable,
    Paragraph,
)
from palermo.reference.selectors import sort_key
from palermo.reporting import access
from palermo.reporting.models import (
    ClarificationMessage,
    ClarificationRequest,
    Cycle,
    Question,
    QuestionCitation,
)

from .reports import FORMATS, Built, cycle_document, rendered


def _date(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "DATE_FORMAT")


def requests_of(cycle: Cycle, user: Any) -> list[ClarificationRequest]:
    """The cycle's requests with their questions (and the provisions these cite) and their
    messages, oldest first (four queries however many there are)."""
    questions = (Question.objects.order_by("section__position", "position", "pk")
                 .prefetch_related(Prefetch("citations", QuestionCitation.objects
                                            .select_related("article", "paragraph"))))
    messages = ClarificationMessage.objects.select_related("author").order_by("created", "pk")
    return list(access.clarifications_visible_to(user).filter(response__cycle=cycle)
                .select_related("response__state")
                .prefetch_related(Prefetch("questions", questions),
                                  Prefetch("messages", messages))
                .order_by("created_at", "pk"))


def _question(question: Question) -> str:
    text = f"{question.code} — {question.localized_text}"
    citations = ", ".join(c.localized_citation for c in question.citations.all())
    return f"{text} ({citations})" if citations else text


def _from_secretariat(message: ClarificationMessage) -> bool:
    return message.author is not None and bool(message.author.is_secretariat)


def _author(message: ClarificationMessage, state_name: str) -> str:
    """Who wrote: the secretariat, or one of the State's people for the State (no person is
    named); a deleted account leaves the message without an author."""
    if message.author is None:
        return _("Author unknown")
    return _("Secretariat") if _from_secretariat(message) else state_name


def _request_blocks(request: ClarificationRequest) -> list[Block]:
    state = request.response.state
    rows: list[tuple[str, str]] = [(_("Status"), request.get_status_display())]
    if request.closed_at is not None:
        rows.append((_("Closed on"), _date(request.closed_at)))
    blocks: list[Block] = [
        Heading(_("Request of %(date)s") % {"date": _date(request.created_at)}, 2,
                in_toc=False),
        KeyValueTable(rows),
    ]
    questions = [_question(question) for question in request.questions.all()]
    if questions:
        blocks += [Paragraph(_("Questions concerned:")), BulletList(questions)]
    thread = list(request.messages.all())
    if thread:
        blocks.append(KeyValueTable([
            (_("%(author)s, %(date)s") % {"author": _author(message, state.name),
                                          "date": _date(message.created)},
             message.text.replace("\r\n", "\n"))
            for message in thread]))
    if request.status == ClarificationRequest.Status.OPEN:  # the secretariat wrote last
        blocks.append(Paragraph(_("No reply yet.")))
    return blocks


def _summary(requests: list[ClarificationRequest]) -> list[Block]:
    statuses = [request.status for request in requests]
    status = ClarificationRequest.Status
    return [Heading(_("Summary"), 1), KeyValueTable([
        (_("Requests made"), str(len(requests))),
        (_("Answered by the State, not yet closed"), str(statuses.count(status.ANSWERED))),
        (_("Closed by the secretariat"), str(statuses.count(status.CLOSED))),
        (_("Still open"), str(statuses.count(status.OPEN))),
        (_("States concerned"), str(len({r.response.state_id for r in requests}))),
    ])]


def document(cycle: Cycle, user: Any, language: str) -> Document:
    """The report as a document, in ``language``; the States' and the secretariat's own
    words as they wrote them."""
    with translation.override(language):
        requests = requests_of(cycle, user)
        version = cycle.questionnaire_version
        instrument = version.questionnaire.instrument
        title = _("Report on the information provided by States parties in response to "
                  "individual requests for clarification")
        blocks: list[Block] = [
            Paragraph(f"{version.localized_title} — {instrument.name}"),
            Paragraph(_(
                "In paragraph (g) of its decision 3/1, the Conference of the Parties to the "
                "United Nations Convention against Transnational Organized Crime urged the "
                "States parties that the secretariat had individually requested to indicate "
                "or clarify the measures taken or envisaged on specific issues of "
                "implementation to provide the information requested without further delay; "
                "in paragraph (h), it requested the secretariat to submit to the Conference "
                "a final report reflecting the information provided by States parties in "
                "response to those individual requests. This report gives that information "
                "for the reporting cycle named above: for each State, each request, the "
                "questions it concerns and the messages exchanged between the secretariat and "
                "the State.")),
        ]
        blocks += _summary(requests)
        by_state: dict[int, list[ClarificationRequest]] = {}
        for request in requests:
            by_state.setdefault(request.response.state_id, []).append(request)
        if not requests:
            blocks.append(Paragraph(_("No request for clarification was made in this "
                                      "reporting cycle.")))
        for found in sorted(by_state.values(),
                            key=lambda items: sort_key(items[0].response.state.name)):
            blocks.append(Heading(found[0].response.state.name, 1))
            for request in found:
                blocks += _request_blocks(request)
        return cycle_document(cycle, language=language, title=title,
                              subtitle=cycle.localized_title,
                              footer=_("Requests for clarification (decision 3/1 h)"),
                              toc_depth=1, blocks=blocks)


def build(cycle: Cycle, user: Any, language: str, fmt: str) -> Built:
    if fmt not in FORMATS:
        raise Http404
    return rendered(document(cycle, user, language), fmt,
                    f"palermo-cycle-{cycle.pk}-clarifications-{language}")

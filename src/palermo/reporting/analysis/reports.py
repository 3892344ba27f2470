"""The consolidated analytical report of a reporting cycle (decision 3/1 e, f), as a
:class:`palermo.documents.Document` printed to DOCX or PDF in any of the six languages.

It holds the response rate (whole and per regional group), the States that answered, the
figures of every section and question, compliance per provision and the difficulties and
technical-assistance needs per priority area, all read through :mod:`.selectors` with the
reader's scope: the secretariat's full edition marks confidential answers; every other edition
has none, and its figures are computed without them.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    render_docx,
    render_pdf,
)
from palermo.reporting.models import Cycle, Question

from . import selectors
from .selectors import Scope

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass
class Built:
    data: bytes
    content_type: str
    filename: str


def _percent(count: int, total: int) -> str:
    share = round(100 * count / total) if total else 0
    return _("%(count)s (%(percent)s %%)") % {"count": count, "percent": share}


def _number(value: float | None) -> str:
    return "—" if value is None else formats.number_format(round(value, 2), use_l10n=True)


def edition_label(scope: Scope) -> str:
    if scope.is_secretariat:
        return _("Edition of the secretariat, with confidential answers")
    if scope.kind == "circulation":
        return _("Edition for circulation, without confidential answers")
    return _("Edition for the State, without other States' confidential answers")


def _rate_blocks(cycle: Cycle, scope: Scope) -> list[Block]:
    whole, by_group, _groups = selectors.cycle_rates(cycle)
    blocks: list[Block] = [
        Heading(_("Response rate"), 1),
        Paragraph(_("%(submitted)s of %(total)s States in scope submitted their response "
                    "(%(percent)s %%).") % {"submitted": whole.submitted, "total": whole.total,
                                            "percent": whole.percent}),
    ]
    if by_group:
        blocks.append(Heading(_("Per regional group"), 2))
        blocks.append(KeyValueTable([
            (rate.label, _("%(submitted)s of %(total)s (%(percent)s %%)") % {
                "submitted": rate.submitted, "total": rate.total, "percent": rate.percent})
            for rate in by_group]))
    states = selectors.submitted_states(cycle, scope)
    blocks.append(Heading(_("States that answered"), 2))
    if scope.named_states is not None:
        blocks.append(Paragraph(_(
            "This edition names only your own State; the figures count every State.")))
    blocks.append(BulletList([state.name for state in states]) if states
                  else Paragraph(_("No State has submitted its response yet.")))
    return blocks


def _figure_blocks(cycle: Cycle, scope: Scope, questions: list[Question]) -> list[Block]:
    blocks: list[Block] = [Heading(_("Figures per section and question"), 1)]
    for section in selectors.distributions(cycle, scope, selectors.Filters(), questions):
        blocks.append(Heading(section.section.localized_title, 2))
        for item in section.questions:
            question = item.question
            blocks.append(Heading(f"{question.code} — {question.localized_text}", 3,
                                  in_toc=False))
            rows: list[tuple[str, str]] = [(_("Answers"), str(item.answered))]
            rows += [(bar.label, _percent(bar.count, bar.total)) for bar in item.bars]
            if item.numbers is not None:
                rows += [(_("Least"), _number(item.numbers.minimum)),
                         (_("Greatest"), _number(item.numbers.maximum)),
                         (_("Mean"), _number(item.numbers.mean))]
            blocks.append(KeyValueTable(rows))
    return blocks


def _names(answers: list[selectors.NamedAnswer]) -> str:
    mark = _("confidential")
    return ", ".join(f"{a.state.name} [{mark}]" if a.confidential else a.state.name
                     for a in answers) or "—"


def _compliance_blocks(cycle: Cycle, scope: Scope) -> list[Block]:
    blocks: list[Block] = [Heading(_("Compliance per provision"), 1)]
    provisions = selectors.compliance(cycle, scope, selectors.Filters()).provisions
    if not provisions:
        blocks.append(Paragraph(_("No yes/no/partly question of this questionnaire cites a "
                                  "provision.")))
    for provision in provisions:
        blocks.append(Heading(provision.citation, 2))
        for item in provision.questions:
            blocks.append(Paragraph(f"{item.question.code} — {item.question.localized_text}"))
            rows: list[tuple[str, str]] = [(bar.label, _percent(bar.count, bar.total))
                                           for bar in item.bars]
            rows += [(_("%(answer)s: States") % {"answer": label}, _names(answers))
                     for label, answers in item.party_rows]
            blocks.append(KeyValueTable(rows))
    return blocks


def _needs_blocks(cycle: Cycle, scope: Scope) -> list[Block]:
    blocks: list[Block] = [Heading(_("Difficulties and technical-assistance needs"), 1)]
    found = selectors.needs(cycle, scope)
    if not found.areas:
        blocks.append(Paragraph(_("No question of this questionnaire is tagged with a "
                                  "priority area.")))
    mark = _("confidential")
    for area in found.areas:
        blocks.append(Heading(area.label, 2))
        rows: list[tuple[str, str]] = []
        for item in area.questions:
            counts = "; ".join(f"{bar.label}: {bar.count}" for bar in item.bars)
            rows.append((f"{item.question.code} — {item.question.localized_text}",
                         f"{item.answered}" + (f" ({counts})" if counts else "")))
        blocks.append(KeyValueTable(rows))
        for state, answers in area.states:
            blocks.append(Heading(state.name, 3, in_toc=False))
            blocks.append(KeyValueTable([
                (question.code, (f"[{mark}] " if answer.confidential else "")
                 + answer.text)
                for question, answer in answers]))
    return blocks


def document(cycle: Cycle, scope: Scope, language: str) -> Document:
    """The report as a document, in ``language`` (read and written in that language)."""
    with translation.override(language):
        questions = selectors.version_questions(cycle)
        title = _("Analytical report on the answers to the questionnaire")
        blocks: list[Block] = [
            Paragraph(cycle.questionnaire_version.localized_title),
            Paragraph(_("Reporting cycle open from %(opens)s to %(closes)s. Only submitted "
                        "responses are counted, and answers to questions hidden by their "
                        "condition are not.") % {
                "opens": formats.date_format(cycle.opens_on, "DATE_FORMAT"),
                "closes": formats.date_format(cycle.closes_on, "DATE_FORMAT")}),
            Paragraph(_("Confidential answers are marked [confidential] in this edition; "
                        "it is for the secretariat only.") if scope.is_secretariat
                      else _("Confidential answers are not in this edition, and no figure "
                             "counts them."), small=True),
        ]
        blocks += _rate_blocks(cycle, scope)
        blocks += _figure_blocks(cycle, scope, questions)
        blocks += _compliance_blocks(cycle, scope)
        blocks += _needs_blocks(cycle, scope)
        label = edition_label(scope)
        return cycle_document(cycle, language=language, title=title,
                              subtitle=f"{cycle.localized_title} — {label}", footer=label,
                              toc_depth=2, blocks=blocks)


def cycle_document(cycle: Cycle, *, language: str, title: str, subtitle: str, footer: str,
                   toc_depth: int, blocks: list[Block]) -> Document:
    """A report of the cycle, dated today, in the active language (this module's report and
    the report on clarification answers): a demonstration cycle's says so on its title page,
    the first thing a reader sees."""
    today = timezone.localdate()
    if cycle.is_demo:
        subtitle += " — " + _("Fictional demonstration data: not the answers of any State.")
    return Document(
        title=title, language=language, subtitle=subtitle,
        header=f"Palermo · {cycle.localized_title}", footer=footer, edition_date=today,
        edition_label=_("Edition of %(date)s") % {
            "date": formats.date_format(today, "DATE_FORMAT")},
        page_label=_("Page %(page)s of %(pages)s") % {"page": "{page}", "pages": "{pages}"},
        toc_title=_("Contents"), toc_depth=toc_depth, author="Palermo", blocks=blocks)


def rendered(doc: Document, fmt: str, filename: str) -> Built:
    """The document as DOCX or PDF (404 for another format)."""
    if fmt not in FORMATS:
        raise Http404
    data = render_docx(doc) if fmt == "docx" else render_pdf(doc).data
    return Built(data, FORMATS[fmt], f"{filename}.{fmt}")


def build(cycle: Cycle, scope: Scope, language: str, fmt: str) -> Built:
    if fmt not in FORMATS:
        raise Http404
    suffix = {"secretariat": "full", "circulation": "public"}.get(scope.kind, "state")
    return rendered(document(cycle, scope, language), fmt,
                    f"palermo-cycle-{cycle.pk}-report-{suffix}-{language}")

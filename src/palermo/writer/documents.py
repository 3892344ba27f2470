"""The request as a document a practitioner can sign: an editable DOCX and a PDF.

:func:`request_document` lays the request out as a formal request (the letterhead, the legal
basis, numbered sections, the closing formula and a signature block) followed by an annex: the
checklist of every element the treaty and the requested State require, each marked present or
missing. :func:`render_request` prints it (the renderer pattern: ``(filename, mimetype,
bytes)``).

The fixed text (headings, labels, formulas) is in the language asked for, and with a second
language in both, side by side: headings as "heading / heading", labels one above the other,
sentences as paired paragraphs. What the practitioner wrote is printed once, exactly as
written, in the language it was written in (so Arabic text runs right to left in an English
frame). Arabic shaping and Chinese fonts are the business of :mod:`palermo.documents`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from palermo.directory.models import Authority
from palermo.documents import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValueTable,
    PageBreak,
    Paragraph,
    Span,
    Text,
    render_docx,
    render_pdf,
)
from palermo.reference.citations import format_citation
from palermo.reference.models import Instrument

from . import steps
from .models import Draft, Kind

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

# The article of each instrument a request of each kind is made under.
ARTICLES: dict[str, dict[str, int]] = {
    "untoc": {Kind.MLA: 18, Kind.EXTRADITION: 16, Kind.TRANSFER: 17, Kind.CONFISCATION: 13},
    "uncac": {Kind.MLA: 46, Kind.EXTRADITION: 44, Kind.TRANSFER: 45, Kind.CONFISCATION: 55},
    "c1988": {Kind.MLA: 7, Kind.EXTRADITION: 6, Kind.CONFISCATION: 5},
}
# Requests that must contain the elements of art. 18(15) (art. 13(3) applies art. 18 to
# confiscation requests).
ART_18_15 = (Kind.MLA, Kind.CONFISCATION)


class Frame:
    """The fixed text in one language, or in two side by side."""

    def __init__(self, languages: Sequence[str]) -> None:
        self.languages = list(languages)
        self.first = self.languages[0]

    def each(self, make: Callable[[], str]) -> list[str]:
        """``make()`` evaluated in each language (gettext, State names, dates)."""
        texts = []
        for lang in self.languages:
            with override(lang):
                texts.append(str(make()))
        return texts

    def heading(self, make: Callable[[], str], level: int) -> Heading:
        texts = self.each(make)
        if len(texts) == 1:
            return Heading(texts[0], level, lang=self.first, in_toc=False)
        return Heading([Span(texts[0], self.first), " / ", Span(texts[1], self.languages[1])],
                       level, lang=self.first, in_toc=False)

    def label(self, make: Callable[[], str]) -> Text:
        """A label or short value: one above the other in two languages."""
        texts = self.each(make)
        if len(texts) == 1 or texts[0] == texts[1]:
            return texts[0]
        return [Span(texts[0], self.first), "\n", Span(texts[1], self.languages[1])]

    def lines(self, make: Callable[[], str]) -> Text:
        """Lines of which only some are translated (an authority's name and address, then
        its State): the same lines once, the others in both languages."""
        texts = self.each(make)
        if len(texts) == 1:
            return texts[0]
        first, second = (text.split("\n") for text in texts)
        if len(first) != len(second):
            return self.label(make)
        merged: list[str | Span] = []
        for one, other in zip(first, second, strict=True):
            if merged:
                merged.append("\n")
            if one == other:
                merged.append(one)
            else:
                merged += [Span(one, self.first), "\n", Span(other, self.languages[1])]
        return merged

    def sentences(self, make: Callable[[], str], *, bold: bool = False) -> list[Block]:
        """A formula: one paragraph per language."""
        return [Paragraph(Span(text, lang, bold=bold), lang=lang)
                for text, lang in zip(self.each(make), self.languages, strict=True)]


@dataclass
class Element:
    """One element the request must contain, in each language of the frame."""

    labels: list[str]
    present: bool


# The labels of the fields of the request's tables.
FIELD_LABELS: dict[str, Promise] = {
    "subject_matter": gettext_lazy("Subject matter and nature of the proceeding"),
    "conducting_authority": gettext_lazy("Name and functions of the authority conducting it"),
    "name": gettext_lazy("Name"),
    "role": gettext_lazy("Role in the case"),
    "birth_date": gettext_lazy("Date of birth"),
    "nationality": gettext_lazy("Nationality"),
    "location": gettext_lazy("Location"),
    "details": gettext_lazy("Other details"),
    "institution": gettext_lazy("Financial institution"),
    "number": gettext_lazy("Account number"),
    "holder": gettext_lazy("Account holder"),
    "period": gettext_lazy("Period concerned"),
    "description": gettext_lazy("Description"),
    "contact_name": gettext_lazy("Name"),
    "contact_function": gettext_lazy("Function"),
    "contact_phone": gettext_lazy("Telephone"),
    "contact_email": gettext_lazy("E-mail"),
}


def _field(key: str) -> Callable[[], str]:
    return partial(str, FIELD_LABELS[key])


def _date(value: Any) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _authority_lines(authority: Authority | None, state: Any) -> str:
    """Name, address and State of an authority (of ``state``), in the active language."""
    lines = [str(authority.name)] if authority is not None else []
    if authority is not None:
        address = authority.postal_address or authority.street_address
        if address:
            lines.append(address)
            place = f"{authority.postal_code} {authority.city}".strip()
            if place and not authority.postal_address:
                lines.append(place)
    if state is not None:
        lines.append(str(state.name))
    if authority is not None:
        lines += [value for value in (authority.email, authority.phone) if value]
    return "\n".join(lines)


KIND_TITLES: dict[str, Promise] = {
    Kind.MLA: gettext_lazy("Request for mutual legal assistance in a criminal matter"),
    Kind.EXTRADITION: gettext_lazy("Request for extradition"),
    Kind.TRANSFER: gettext_lazy("Request for the transfer of a sentenced person"),
    Kind.CONFISCATION: gettext_lazy("Request for international cooperation for purposes of "
                                    "confiscation"),
}


def _kind_title(kind: str) -> str:
    return str(KIND_TITLES[kind])


def _instruments(draft: Draft) -> list[Instrument]:
    order = {code: index for index, code in enumerate(draft.legal_bases)}
    found = Instrument.objects.filter(code__in=draft.legal_bases)
    return sorted(found, key=lambda instrument: order[instrument.code])


def _legal_basis(draft: Draft, instruments: Sequence[Instrument]) -> str:
    """The instruments' names, each with the article the request is made under."""
    lines = []
    for instrument in instruments:
        article = ARTICLES.get(instrument.code, {}).get(draft.kind)
        if article is None:
            lines.append(str(instrument.name))
        else:
            lines.append(_("%(instrument)s, %(citation)s") % {
                "instrument": instrument.name, "citation": format_citation(article)})
    return "\n".join(lines)


def _blank_like(draft: Draft, *, keep: Sequence[str]) -> Draft:
    """An unsaved draft of the same kind and measures with nothing written: what it lacks is
    every element a request of this shape must contain."""
    content = {key: draft.content.get(key) for key in keep if key in draft.content}
    return Draft(kind=draft.kind, measures=list(draft.measures), urgent=draft.urgent,
                 content=content)


def checklist_elements(draft: Draft, context: steps.CheckContext) -> list[tuple[str, str, bool]]:
    """Every element the request must contain, in the active language: (label, citation,
    present). The requested State's own checklist is listed apart (``state_checklist``)."""
    lacking = steps.missing(draft, context)
    missing_keys = {(item.step, item.field, item.label) for item in lacking}
    # The elements of a request of this shape, with and without the choices that add some
    # (the purpose of an extradition decides whether the sentence is needed), in step order.
    bare = replace(context, checklist=[])
    candidates = [*steps.missing(_blank_like(draft, keep=("confidential",
                                                          "extradition_purpose")), bare),
                  *steps.missing(_blank_like(draft, keep=("confidential",)), bare),
                  *lacking]
    candidates.sort(key=lambda item: steps.STEP_IDS.index(item.step))
    required: list[steps.Missing] = []
    seen: set[tuple[str, str, str]] = set()
    for item in candidates:
        key = (item.step, item.field, item.label)
        if item.field == "checklist_confirmed" or key in seen:
            continue
        seen.add(key)
        required.append(item)
    return [(item.label, item.citation, (item.step, item.field, item.label) not in missing_keys)
            for item in required]


def _elements(frame: Frame, draft: Draft, context: steps.CheckContext) -> list[Element]:
    per_language = []
    for lang in frame.languages:
        with override(lang):
            per_language.append([
                (_("%(element)s (%(citation)s)") % {"element": label, "citation": citation}
                 if citation else label, present)
                for label, citation, present in checklist_elements(draft, context)])
    return [Element([rows[index][0] for rows in per_language], per_language[0][index][1])
            for index in range(len(per_language[0]))]


class _Builder:
    def __init__(self, draft: Draft, frame: Frame, context: steps.CheckContext) -> None:
        self.draft = draft
        self.frame = frame
        self.context = context
        language = draft.drafting_language
        self.user_lang = language.code if language is not None else frame.first
        self.blocks: list[Block] = []
        self.number = 0

    # ---- pieces ------------------------------------------------------------------------

    def user(self, text: str) -> Span:
        return Span(text, self.user_lang)

    def section(self, make: Callable[[], str], citation: Callable[[], str] | None = None
                ) -> None:
        self.number += 1
        number = self.number

        def title() -> str:
            text = make()
            if citation is not None:
                text = _("%(title)s (%(citation)s)") % {"title": text, "citation": citation()}
            return _("%(number)s. %(title)s") % {"number": number, "title": text}

        self.blocks.append(self.frame.heading(title, 2))

    def text(self, key: str) -> str:
        return self.draft.text(key).strip()

    def paragraph(self, text: str) -> None:
        self.blocks.append(Paragraph(text, lang=self.user_lang))

    def table(self, rows: Sequence[tuple[Callable[[], str], str]]) -> None:
        """Labels with what the practitioner wrote, leaving out what is blank."""
        kept = [(self.frame.label(label), self.user(value)) for label, value in rows
                if value and value.strip()]
        if kept:
            self.blocks.append(KeyValueTable(kept, lang=self.frame.first))

    def simple(self, key: str, make: Callable[[], str],
               citation: Callable[[], str] | None = None) -> None:
        if self.text(key):
            self.section(make, citation)
            self.paragraph(self.text(key))

    def cite_18_15(self, letter: str) -> Callable[[], str] | None:
        if self.draft.kind not in ART_18_15:
            return None
        return lambda: format_citation(18, 15, letter)

    # ---- the request -------------------------------------------------------------------

    def letterhead(self, instruments: Sequence[Instrument]) -> None:
        draft, frame = self.draft, self.frame
        def requesting() -> str:
            if draft.kind not in ART_18_15:
                return _("Requesting authority")
            return _("%(title)s (%(citation)s)") % {"title": _("Requesting authority"),
                                                   "citation": format_citation(18, 15, "a")}

        rows: list[tuple[Text, Text]] = [
            (frame.label(requesting),
             frame.lines(lambda: _authority_lines(draft.requesting_authority,
                                                  draft.requesting_state))),
            (frame.label(lambda: _("Requested authority")),
             frame.lines(lambda: _authority_lines(draft.requested_authority,
                                                  draft.requested_state))),
            (frame.label(lambda: _("Date")), frame.label(lambda: _date(timezone.localdate()))),
            (frame.label(lambda: _("Reference of the requesting authority")),
             self.user(draft.title)),
        ]
        if instruments:
            rows.append((frame.label(lambda: _("Legal basis")),
                         frame.label(lambda: _legal_basis(draft, instruments))))
        if draft.urgent:
            rows.append((frame.label(lambda: _("Urgency")), frame.label(
                lambda: _("Urgent: the result is needed by %(date)s.") % {
                    "date": _date(draft.needed_by)} if draft.needed_by else _("Urgent."))))
            if self.text("urgency_reason"):
                rows.append((frame.label(lambda: _("Why the request is urgent")),
                             self.user(self.text("urgency_reason"))))
        if self.text("confidential") == "yes":
            rows.append((frame.label(lambda: _("Confidentiality")), frame.label(
                lambda: _("Confidential (%(citation)s)") % {
                    "citation": format_citation(18, 20)})))
            if self.text("confidentiality"):
                rows.append((frame.label(lambda: _("What must be kept confidential, and why")),
                             self.user(self.text("confidentiality"))))
        self.blocks.append(KeyValueTable(rows, lang=frame.first))

    def opening(self, instruments: Sequence[Instrument]) -> None:
        draft, frame = self.draft, self.frame

        def requester() -> str:
            authority = draft.requesting_authority
            return str(authority.name if authority is not None else draft.requesting_state.name)

        def requested() -> str:
            state = draft.requested_state
            return str(state.name) if state is not None else _("the requested State")

        if draft.urgent:
            self.blocks += frame.sentences(
                lambda: _("This request is urgent: the result is needed by %(date)s.") % {
                    "date": _date(draft.needed_by)} if draft.needed_by
                else _("This request is urgent."), bold=True)
        if self.text("confidential") == "yes":
            self.blocks += frame.sentences(lambda: _(
                "Confidential: the requesting State asks the requested State to keep the fact "
                "and substance of this request confidential, except to the extent necessary to "
                "execute it (%(citation)s). If the requested State cannot comply with this "
                "requirement, it is asked to inform the requesting State promptly.") % {
                    "citation": format_citation(18, 20)}, bold=True)
        self.blocks += frame.sentences(lambda: (
            _("%(authority)s (%(state)s) presents its compliments to the competent authorities "
              "of %(requested_state)s and, on the legal basis given above, requests their "
              "assistance in the matter described below.") if instruments
            else _("%(authority)s (%(state)s) presents its compliments to the competent "
                   "authorities of %(requested_state)s and requests their assistance in the "
                   "matter described below.")) % {
                "authority": requester(), "state": draft.requesting_state.name,
                "requested_state": requested()})

    def case(self) -> None:
        subject = [(_field("subject_matter"), self.text("subject_matter")),
                   (_field("conducting_authority"), self.text("conducting_authority"))]
        if any(value for _label, value in subject):
            self.section(lambda: _("The proceeding and the authority conducting it"),
                         self.cite_18_15("b"))
            self.table(subject)
        self.simple("facts", lambda: _("Summary of the relevant facts"), self.cite_18_15("c"))
        self.simple("offences", lambda: _("Offences"))
        self.simple("law_text", lambda: _("Text of the applicable law"))
        self.simple("penalty", lambda: _("Penalty the law provides"))

    def persons(self) -> None:
        draft = self.draft
        persons = [row for row in draft.rows("persons") if any(
            str(value).strip() for value in row.values())]
        roles = {code: label for code, label in steps.PERSON_ROLES}
        if persons or draft.text("no_persons") == "yes":
            self.section(lambda: _("Persons concerned"), self.cite_18_15("e"))
        if not persons and draft.text("no_persons") == "yes":
            self.blocks += self.frame.sentences(
                lambda: _("No person concerned is known at this stage."))
        for row in persons:
            role = roles.get(row.get("role", ""))
            rows: list[tuple[Text, Text]] = [
                (self.frame.label(_field("name")), self.user(row.get("name", "")))]
            if role is not None:
                rows.append((self.frame.label(_field("role")),
                             self.frame.label(partial(str, role))))
            rows += [(self.frame.label(_field(key)), self.user(str(row.get(key, ""))))
                     for key in ("birth_date", "nationality", "location", "details")
                     if str(row.get(key, "")).strip()]
            self.blocks.append(KeyValueTable(rows, lang=self.frame.first))
        self.rows_section("accounts", lambda: _("Accounts concerned"),
                          ("institution", "number", "holder", "period", "details"))
        self.rows_section("items", lambda: _("Items and places concerned"),
                          ("description", "location", "details"))

    def rows_section(self, key: str, make: Callable[[], str], columns: Sequence[str]) -> None:
        rows = [row for row in self.draft.rows(key)
                if any(str(row.get(column, "")).strip() for column in columns)]
        if not rows:
            return
        self.section(make)
        for row in rows:
            self.table([(_field(column), str(row.get(column, ""))) for column in columns])

    def assistance(self) -> None:
        draft, frame = self.draft, self.frame
        if draft.kind == Kind.EXTRADITION:
            self.section(lambda: _("Extradition sought"))
            purposes = {"prosecution": lambda: _("For prosecution"),
                        "enforcement": lambda: _("For the enforcement of a sentence")}
            purpose = purposes.get(self.text("extradition_purpose"))
            if purpose is not None:
                self.blocks.append(KeyValueTable(
                    [(frame.label(lambda: _("Purpose of the extradition")),
                      frame.label(purpose))], lang=frame.first))
            self.table([(lambda: _("Warrant of arrest or judgment"), self.text("warrant")),
                        (lambda: _("Sentence imposed"), self.text("sentence")),
                        (lambda: _("Part of the sentence remaining to be served"),
                         self.text("sentence_remaining"))])
            return
        if draft.kind == Kind.TRANSFER:
            self.section(lambda: _("Transfer sought"))
            self.table([(lambda: _("Judgment and sentence imposed"), self.text("sentence")),
                        (lambda: _("Part of the sentence remaining to be served"),
                         self.text("sentence_remaining"))])
            consents = {"given": lambda: _("The sentenced person consents to the transfer."),
                        "refused": lambda: _("The sentenced person does not consent to the "
                                             "transfer."),
                        "not_required": lambda: _("The consent of the sentenced person is not "
                                                  "required.")}
            consent = consents.get(self.text("consent"))
            if consent is not None:
                self.blocks += frame.sentences(consent)
            return
        details = draft.content.get("measure_details", {})
        details = details if isinstance(details, dict) else {}
        self.section(lambda: _("Assistance sought and its link with the facts"),
                     self.cite_18_15("d"))
        for code in draft.measures:
            row: dict[str, Any] = details[code] if isinstance(details.get(code), dict) else {}
            self.blocks.append(frame.heading(partial(steps.measure_label, code), 3))
            self.table([(lambda: _("Assistance sought"), str(row.get("description", ""))),
                        (lambda: _("How it relates to the facts"), str(row.get("link", "")))])
        if draft.kind == Kind.CONFISCATION:
            self.table([
                (lambda: _("Property to be confiscated (%(citation)s)") % {
                    "citation": format_citation(13, 3, "a")}, self.text("property")),
                (lambda: _("Order of confiscation (%(citation)s)") % {
                    "citation": format_citation(13, 3, "b")}, self.text("confiscation_order")),
                (lambda: _("Extent to which execution of the order is requested"),
                 self.text("execution_extent")),
            ])

    def closing(self) -> None:
        draft, frame = self.draft, self.frame
        self.simple("procedure", lambda: _("Procedure to be followed"),
                    lambda: format_citation(18, 17))
        self.simple("purpose", lambda: _("Purpose for which the evidence, information or action "
                                         "is sought"), self.cite_18_15("f"))
        contact = [(_field(key), self.text(key)) for key in
                   ("contact_name", "contact_function", "contact_phone", "contact_email")]
        if any(value for _label, value in contact):
            self.section(lambda: _("Contact for follow-up"))
            self.table(contact)
        annexes = [row for row in draft.rows("annexes") if str(row.get("title", "")).strip()]
        if annexes:
            self.section(lambda: _("Annexes"))
            self.blocks.append(BulletList([
                self.user(" — ".join(part for part in (str(row.get("title", "")).strip(),
                                                       str(row.get("description", "")).strip())
                                     if part))
                for row in annexes], lang=self.user_lang))

        def requested() -> str:
            state = draft.requested_state
            return str(state.name) if state is not None else _("the requested State")

        self.blocks += frame.sentences(lambda: _(
            "The requesting authority thanks the competent authorities of %(state)s for their "
            "assistance and remains at their disposal for any further information needed to "
            "execute this request.") % {"state": requested()})
        self.blocks.append(frame.heading(lambda: _("Signature"), 3))
        self.blocks.append(KeyValueTable([
            (frame.label(lambda: _("Name of the signatory")), ""),
            (frame.label(lambda: _("Function")), ""),
            (frame.label(lambda: _("Place and date")), ""),
            (frame.label(lambda: _("Signature and seal")), ""),
        ], lang=frame.first))

    # ---- the annex ---------------------------------------------------------------------

    def annex(self) -> None:
        draft, frame = self.draft, self.frame
        self.blocks.append(PageBreak())
        self.blocks.append(frame.heading(lambda: _("Annex: checklist of the request"), 1))

        def required_by() -> str:
            if draft.kind == Kind.MLA:
                return format_citation(18, 15)
            if draft.kind == Kind.CONFISCATION:
                return _("%(first)s and %(second)s") % {"first": format_citation(18, 15),
                                                        "second": format_citation(13, 3)}
            return format_citation(16 if draft.kind == Kind.EXTRADITION else 17)

        self.blocks += frame.sentences(lambda: _(
            "Each element that %(provisions)s and the requested State require, as this request "
            "contains it on %(date)s.") % {"provisions": required_by(),
                                          "date": _date(timezone.localdate())})
        present, missing = frame.label(lambda: _("Present")), frame.label(lambda: _("Missing"))
        elements = _elements(frame, draft, self.context)
        self.blocks.append(KeyValueTable([
            (present if element.present else missing, self.labels(element.labels))
            for element in elements], lang=frame.first))
        self.state_checklist(present, missing)
        notes = self.warnings()
        if notes:
            self.blocks.append(frame.heading(lambda: _("Notes"), 2))
            self.blocks.append(BulletList(notes, lang=frame.first))

    def labels(self, texts: Sequence[str]) -> Text:
        if len(texts) == 1 or texts[0] == texts[1]:
            return texts[0]
        return [Span(texts[0], self.frame.first), "\n", Span(texts[1], self.frame.languages[1])]

    def state_checklist(self, present: Text, missing: Text) -> None:
        draft, frame = self.draft, self.frame
        state = draft.requested_state

        def state_name() -> str:
            return str(state.name) if state is not None else _("the requested State")

        self.blocks.append(frame.heading(
            lambda: _("Checklist of %(state)s") % {"state": state_name()}, 2))
        checklist = list(self.context.checklist)
        if not checklist:
            self.blocks += frame.sentences(lambda: _(
                "The directory holds no checklist of %(state)s for this kind of request.")
                % {"state": state_name()})
            return
        confirmed = draft.content.get("checklist_confirmed", [])
        confirmed = set(confirmed) if isinstance(confirmed, list) else set()
        self.blocks.append(KeyValueTable(
            [(present if key in confirmed else missing, text) for key, text in checklist],
            lang=frame.first))

    def warnings(self) -> list[Text]:
        """What may get the request returned (a language the requested State does not
        accept), in each language of the frame."""
        per_language = []
        for lang in self.frame.languages:
            with override(lang):
                per_language.append(steps.warnings(self.draft, self.context))
        return [self.labels(texts) for texts in zip(*per_language, strict=True)]

    # ---- the whole ---------------------------------------------------------------------

    def build(self) -> list[Block]:
        draft, frame = self.draft, self.frame
        instruments = _instruments(draft)
        if len(frame.languages) > 1:
            self.blocks.append(Heading(frame.each(lambda: _kind_title(draft.kind))[1], 1,
                                       lang=frame.languages[1], in_toc=False))
        self.letterhead(instruments)
        self.opening(instruments)
        self.case()
        self.persons()
        self.assistance()
        self.closing()
        self.annex()
        return self.blocks


def request_document(draft: Draft, *, language: str, second_language: str = "",
                     user: Any = None, context: steps.CheckContext | None = None) -> Document:
    """The formal request, its fixed text in ``language`` (and ``second_language`` beside it).

    ``context`` is what the directory says of the requested State (its checklist, the
    languages it accepts), read as ``user`` may see it when not given.
    """
    if context is None:
        context = steps.check_context(draft, user=user)
    languages = [language] + ([second_language] if second_language
                              and second_language != language else [])
    frame = Frame(languages)
    blocks = _Builder(draft, frame, context).build()
    with override(language):
        title = _kind_title(draft.kind)
        page_label = _("Page %(page)s of %(pages)s") % {"page": "{page}", "pages": "{pages}"}
        confidential = _("Confidential") if draft.text("confidential") == "yes" else ""
        author = str(draft.requesting_authority.name) if draft.requesting_authority else ""
    return Document(
        title=title, language=language, blocks=blocks,
        header=" · ".join(part for part in (confidential, draft.title) if part),
        page_label=page_label, author=author,
    )


def filename_for(draft: Draft, fmt: str, language: str, second_language: str = "") -> str:
    """A safe file name: ASCII letters, digits and hyphens only."""
    parts = ["request", str(draft.pk), slugify(draft.title)[:40].strip("-"), language,
             second_language]
    return "-".join(part for part in parts if part) + f".{fmt}"


def render_request(draft: Draft, *, fmt: str, language: str, second_language: str = "",
                   user: Any = None, context: steps.CheckContext | None = None
                   ) -> tuple[str, str, bytes]:
    """The request printed as ``fmt`` (docx or pdf): (filename, mimetype, bytes)."""
    if fmt not in MIMETYPES:
        raise ValueError(f"unknown format {fmt!r}")
    document = request_document(draft, language=language, second_language=second_language,
                                 user=user, context=context)
    data = render_docx(document) if fmt == "docx" else render_pdf(document).data
    second = second_language if second_language != language else ""
    return filename_for(draft, fmt, language, second), MIMETYPES[fmt], data

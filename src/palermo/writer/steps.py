"""The writer's steps, each an object that knows whether it applies to a request and what it
still lacks (the checkout-flow pattern: ``identifier``, ``is_applicable``, ``is_completed``).

What a request must contain comes from the treaty: art. 18(15)(a)–(f) for mutual legal
assistance, art. 13(3) in addition for confiscation, and, for extradition (art. 16) and
transfer of sentenced persons (art. 17), what those articles presuppose (the person, the
offence and its penalty, the warrant or judgment). The requested State's own checklist, from
its directory profile, is added to it. :func:`missing` lists every element not yet written,
each with the step where it is written; :func:`warnings` what may get the request returned
without being missing (a language the requested State does not accept).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.reference.citations import format_citation

from .models import Draft, Kind

# Measures of a request for mutual legal assistance: art. 18(3)(a)–(i), the hearing by video
# conference of art. 18(18), and any other assistance not contrary to domestic law (18(3)(i)
# covers "any other type of assistance"; "other" is kept for what fits none of the letters).
MLA_MEASURES = [f"mla-{letter}" for letter in "abcdefghi"] + ["video", "other"]
# Requests under art. 13: 13(1)(a) obtain an order, 13(1)(b) give effect to an order, 13(2)
# identify, trace and freeze or seize.
CONFISCATION_MEASURES = ["13-1-a", "13-1-b", "13-2"]
EXTRADITION_PURPOSES = ["prosecution", "enforcement"]

PERSON_ROLES: list[tuple[str, Promise]] = [
    ("suspect", _("Suspect or accused person")),
    ("person_sought", _("Person sought")),
    ("sentenced_person", _("Sentenced person")),
    ("witness", _("Witness or expert")),
    ("victim", _("Victim")),
    ("account_holder", _("Account holder")),
    ("other", _("Other person concerned")),
]


# The measures of art. 18(3)(a)–(i) in the Convention's words (the English text; the other
# languages' catalogues hold the Convention's official wording in that language).
MLA_MEASURE_LABELS: dict[str, Promise] = {
    "a": _("Taking evidence or statements from persons"),
    "b": _("Effecting service of judicial documents"),
    "c": _("Executing searches and seizures, and freezing"),
    "d": _("Examining objects and sites"),
    "e": _("Providing information, evidentiary items and expert evaluations"),
    "f": _("Providing originals or certified copies of relevant documents and records, "
           "including government, bank, financial, corporate or business records"),
    "g": _("Identifying or tracing proceeds of crime, property, instrumentalities or other "
           "things for evidentiary purposes"),
    "h": _("Facilitating the voluntary appearance of persons in the requesting State Party"),
    "i": _("Any other type of assistance that is not contrary to the domestic law of the "
           "requested State Party"),
}


def measure_label(code: str) -> str:
    """The measure's name in the active language, citing its provision."""
    if code.startswith("mla-"):
        letter = code.removeprefix("mla-")
        return f"{format_citation(18, 3, letter)}: {MLA_MEASURE_LABELS.get(letter, '')}"
    labels: dict[str, Promise] = {
        "video": _("Hearing of a witness or expert by video conference (art. 18(18))"),
        "other": _("Other assistance not contrary to the domestic law of the requested State"),
        "13-1-a": _("Obtain an order of confiscation and give effect to it (art. 13(1)(a))"),
        "13-1-b": _("Give effect to an order of confiscation issued by the requesting State "
                    "(art. 13(1)(b))"),
        "13-2": _("Identify, trace and freeze or seize proceeds of crime, property, equipment "
                  "or instrumentalities (art. 13(2))"),
    }
    return str(labels.get(code, code))


def measures_for(kind: str) -> list[str]:
    if kind == Kind.MLA:
        return MLA_MEASURES
    if kind == Kind.CONFISCATION:
        return CONFISCATION_MEASURES
    return []


@dataclass(frozen=True)
class Missing:
    """One element the request lacks, and the step where it is written."""

    step: str
    label: str
    citation: str = ""
    field: str = ""


def _blank(value: Any) -> bool:
    return not (value.strip() if isinstance(value, str) else value)


class Step:
    identifier: str = ""
    title: Promise = _("Step")
    # The keys of ``Draft.content`` (and model fields) the step's form writes.
    content_keys: Sequence[str] = ()

    def is_applicable(self, draft: Draft) -> bool:
        return True

    def missing(self, draft: Draft, context: CheckContext) -> list[Missing]:
        return []

    def is_completed(self, draft: Draft, context: CheckContext | None = None) -> bool:
        return not self.missing(draft, context or CheckContext())

    def need(self, condition: bool, label: Promise | str, citation: str = "",
             field: str = "") -> list[Missing]:
        return [] if condition else [Missing(self.identifier, str(label), citation, field)]


@dataclass
class CheckContext:
    """What the directory knows about the requested State, read once per check."""

    # The requested State's checklist as (key, text): the key (the item's id) is what a draft
    # records as confirmed, so that a confirmation holds whatever language the text is read in.
    checklist: Sequence[tuple[str, str]] = ()
    accepted_languages: Sequence[str] = ()  # ISO 639 codes
    accepted_language_names: Sequence[str] = ()
    known: bool = False  # whether the directory was consulted


class StartStep(Step):
    identifier = "start"
    title = _("Request")

    def missing(self, draft: Draft, context: CheckContext) -> list[Missing]:
        return [
            *self.need(draft.requested_state_id is not None, _("The requested State"),
                       field="requested_state"),
            *self.need(not draft.urgent or draft.needed_by is not None,
                       _("For an urgent request, the date by which the result is needed"),
                       field="needed_by"),
        ]


class PartiesStep(Step):
    identifier = "parties"
    title = _("Authorities and legal basis")

    def missing(self, draft: Draft, context: CheckContext) -> list[Missing]:
        citation = format_citation(18, 15, "a")
        return [
            *self.need(draft.requesting_authority_id is not None,
                       _("The identity of the authority making the request"), citation,
                       "requesting_authority"),
            *self.need(draft.requested_authority_id is not None,
                       _("The authority of the requested State the request is addressed to"),
                       field="requested_authority"),
            *self.need(bool(draft.legal_bases), _("The legal basis of the request"),
                       field="legal_bases"),
            *self.need(draft.drafting_language_id is not None,
                       _("The language the request is written in"), field="drafting_language"),
        ]


class MeasuresStep(Step):
    identifier = "measures"
    title = _("Measures requested")

    def is_applicable(self, draft: Draft) -> bool:
        return draft.kind in (Kind.MLA, Kind.CONFISCATION)

    def missing(self, draft: Draft, context: CheckContext) -> list[Missing]:
        allowed = set(measures_for(draft.kind))
        return self.need(bool([m for m in draft.measures if m in allowed]),
                         _("At least one measure requested"),
                         format_citation(18, 3) if draft.kind == Kind.MLA
                         else format_citation(13), "measures")


class CaseStep(Step):
    identifier = "case"
    title = _("The case, the offences and the law")
    content_keys = ("subject_matter", "conducting_authority", "facts", "offences", "law_text",
                    "penalty")

    def missing(self, draft: Draft, context: CheckContext) -> list[Missing]:
        text = draft.text
        only_service = draft.kind == Kind.MLA and set(draft.measures) == {"mla-b"}
        found: list[Missing] = []
        if draft.kind in (Kind.MLA, Kind.CONFISCATION):
            found += self.need(not _blank(text("subject_matter")),
                               _("The subject matter and nature of the investigation, "
                                 "prosecution or judicial proceeding"),
                               format_citation(18, 15, "b"), "subject_matter")
            found += self.need(not _blank(text("conducting_authority")),
                               _("The name and functions of the authority conducting it"),
                               format_citation(18, 15, "b"), "conducting_authority")
        if not only_service:
            found += self.need(not _blank(text("facts")), _("A summary of the relevant facts"),
                               format_citation(18, 15, "c") if draft.kind != Kind.EXTRADITION
                               else format_citation(16), "facts")
        found += self.need(not _blank(text("offences")), _("The offences"), field="offences")
        found += self.need(not _blank(text("law_text")),
                           _("The text of the applicable law"), field="law_text")
        found += self.need(not _blank(text("penalty")), _("The penalty the law provides"),
                           format_citation(16, 1) if draft.kind == Kind.EXTRADITION else "",
                           "penalty")
        return found


class PersonsStep(Step):
    identifier = "persons"
    title = _("Persons, accounts, items and places")
    content_keys = ("persons", "accounts", "items", "no_persons")

    def missing(self, draft: Draft, context: CheckContext) -> list[Missing]:
        persons = [row for row in draft.rows("persons") if not _blank(row.get("name", ""))]
        roles = {row.get("role", "") for row in persons}
        if draft.kind == Kind.EXTRADITION:
            return self.need("person_sought" in roles,
                             _("The identity, nationality and location of the person sought"),
                             format_citation(16), "persons")
        if draft.kind == Kind.TRANSFER:
            return self.need("sentenced_person" in roles,
                             _("The identity and nationality of the sentenced person"),
                             format_citation(17), "persons")
        return self.need(bool(persons) or draft.text("no_persons") == "yes",
                         _("The identity, location and nationality of any person concerned "
                           "(or a statement that none is known)"),
                         format_citation(18, 15, "e"), "persons")


class AssistanceStep(Step):
    identifier = "assistance"
    title = _("What is asked, and why")
    content_keys = ("measure_details", "extradition_purpose", "warrant", "sentence",
                    "sentence_remaining", "consent", "property", "confiscation_order",
                    "execution_extent")

    def missing(self, draft: Draft, context: CheckContext) -> list[Missing]:
        text = draft.text
        if draft.kind == Kind.EXTRADITION:
            purpose = text("extradition_purpose")
            return [
                *self.need(purpose in EXTRADITION_PURPOSES,
                           _("Whether extradition is sought for prosecution or for the "
                             "enforcement of a sentence"), format_citation(16, 1),
                           "extradition_purpose"),
                *self.need(not _blank(text("warrant")),
                           _("The warrant of arrest or the judgment the request is based on"),
                           format_citation(16), "warrant"),
                *self.need(purpose != "enforcement" or not _blank(text("sentence")),
                           _("The sentence imposed and what remains to be served"),
                           format_citation(16, 12), "sentence"),
            ]
        if draft.kind == Kind.TRANSFER:
            return [
                *self.need(not _blank(text("sentence")),
                           _("The judgment and the sentence imposed"), format_citation(17),
                           "sentence"),
                *self.need(not _blank(text("sentence_remaining")),
                           _("The part of the sentence that remains to be served"),
                           format_citation(17), "sentence_remaining"),
                *self.need(text("consent") in ("given", "not_required"),
                           _("Whether the sentenced person consents to the transfer"),
                           format_citation(17), "consent"),
            ]
        found: list[Missing] = []
        details = draft.content.get("measure_details", {})
        details = details if isinstance(details, dict) else {}
        for code in draft.measures:
            row = details.get(code, {}) if isinstance(details.get(code), dict) else {}
            label = measure_label(code)
            found += self.need(
                not _blank(row.get("description", "")),
                _("A description of the assistance sought: %(measure)s") % {"measure": label},
                format_citation(18, 15, "d"), f"measure_details.{code}.description")
            found += self.need(
                not _blank(row.get("link", "")),
                _("How this measure relates to the facts: %(measure)s") % {"measure": label},
                "", f"measure_details.{code}.link")
        if draft.kind == Kind.CONFISCATION:
            if "13-1-a" in draft.measures:
                found += self.need(not _blank(text("property")),
                                   _("A description of the property to be confiscated"),
                                   format_citation(13, 3, "a"), "property")
            if "13-1-b" in draft.measures:
                found += self.need(not _blank(text("confiscation_order")),
                                   _("A legally admissible copy of the order of confiscation"),
                                   format_citation(13, 3, "b"), "confiscation_order")
                found += self.need(not _blank(text("execution_extent")),
                                   _("The extent to which execution of the order is "
                                     "requested"), format_citation(13, 3, "b"),
                                   "execution_extent")
        return found


class ProcedureStep(Step):
    identifier = "procedure"
    title = _("Purpose, procedure, confidentiality and urgency")
    content_keys = ("purpose", "procedure", "confidential", "confidentiality", "urgency_reason")

    def missing(self, draft: Draft, context: CheckContext) -> list[Missing]:
        text = draft.text
        found: list[Missing] = []
        if draft.kind in (Kind.MLA, Kind.CONFISCATION):
            found += self.need(not _blank(text("purpose")),
                               _("The purpose for which the evidence, information or action is "
                                 "sought"), format_citation(18, 15, "f"), "purpose")
        if text("confidential") == "yes":
            found += self.need(not _blank(text("confidentiality")),
                               _("What must be kept confidential, and why"),
                               format_citation(18, 20), "confidentiality")
        if draft.urgent:
            found += self.need(not _blank(text("urgency_reason")),
                               _("Why the request is urgent"), field="urgency_reason")
        return found


class ContactStep(Step):
    identifier = "contact"
    title = _("Contact, annexes and the requested State's checklist")
    content_keys = ("contact_name", "contact_function", "contact_phone", "contact_email",
                    "annexes", "checklist_confirmed")

    def missing(self, draft: Draft, context: CheckContext) -> list[Missing]:
        text = draft.text
        found = [
            *self.need(not _blank(text("contact_name")),
                       _("The person to contact for follow-up"), field="contact_name"),
            *self.need(not (_blank(text("contact_phone")) and _blank(text("contact_email"))),
                       _("A telephone number or e-mail address for follow-up"),
                       field="contact_phone"),
        ]
        confirmed = draft.content.get("checklist_confirmed", [])
        confirmed = set(confirmed) if isinstance(confirmed, list) else set()
        for key, item in context.checklist:
            found += self.need(key in confirmed,
                               _("Required by the requested State: %(item)s") % {"item": item},
                               field="checklist_confirmed")
        return found


class CheckStep(Step):
    identifier = "check"
    title = _("Check and produce")


STEPS: list[Step] = [StartStep(), PartiesStep(), MeasuresStep(), CaseStep(), PersonsStep(),
                     AssistanceStep(), ProcedureStep(), ContactStep(), CheckStep()]
STEP_IDS = [step.identifier for step in STEPS]


def get_step(identifier: str) -> Step | None:
    return next((step for step in STEPS if step.identifier == identifier), None)


def applicable_steps(draft: Draft) -> list[Step]:
    return [step for step in STEPS if step.is_applicable(draft)]


def check_context(draft: Draft, *, user: Any) -> CheckContext:
    """Read the requested State's checklist and languages from the directory, as ``user``
    may see them (one query each at most; none when no State is chosen)."""
    if draft.requested_state_id is None:
        return CheckContext()
    from palermo.directory import access as directory_access
    from palermo.directory.finder import OTHER_MEASURES
    from palermo.directory.models import Measure

    measure = Measure.MLA if draft.kind == Kind.MLA else OTHER_MEASURES[draft.kind][2]
    section = (directory_access.profile_sections_visible_to(user)
               .filter(state_id=draft.requested_state_id, measure=measure)
               .prefetch_related("languages", "checklist").first())
    languages: dict[str, str] = {}
    if section is not None:
        languages.update((lang.code, lang.name) for lang in section.languages.all())
    authority = draft.requested_authority
    if authority is not None and not languages:
        languages.update((lang.code, lang.name) for lang in authority.accepted_languages.all())
    return CheckContext(
        checklist=[(str(item.pk), item.text) for item in section.checklist.all()]
        if section else [],
        accepted_languages=list(languages), accepted_language_names=list(languages.values()),
        known=True,
    )


def missing(draft: Draft, context: CheckContext) -> list[Missing]:
    """Everything the request still lacks, in the order of the steps."""
    return [item for step in applicable_steps(draft) for item in step.missing(draft, context)]


def warnings(draft: Draft, context: CheckContext) -> list[str]:
    found: list[str] = []
    language = draft.drafting_language
    if language is not None and context.accepted_languages \
            and language.code not in context.accepted_languages:
        found.append(str(_(
            "The request is written in %(language)s, which the requested State does not accept; "
            "it accepts %(accepted)s. Have it translated before it is sent.") % {
                "language": language.name,
                "accepted": ", ".join(context.accepted_language_names)}))
    if draft.requested_state_id and context.known and not context.accepted_languages:
        found.append(str(_("The directory does not say which languages the requested State "
                           "accepts; ask its central authority before sending.")))
    return found


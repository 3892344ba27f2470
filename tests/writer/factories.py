"""A small world for the request writer: Mexico (State A) asks France (State B).

Mexico has a central authority (which makes and reviews the requests) and a second authority;
France a central authority that receives requests for mutual legal assistance, accepting French
and English, and a profile for mutual legal assistance with a checklist item. The people are
fictional test accounts; every text a draft carries holds the marker DRAFTSECRET, which must
never reach anyone who may not see the draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from palermo.accounts.models import Membership, User
from palermo.accounts.services import membership_grant
from palermo.core.models import Visibility
from palermo.directory.models import (
    Authority,
    ChecklistItem,
    Designation,
    Function,
    Measure,
    ProfileSection,
)
from palermo.reference.models import (
    Instrument,
    Language,
    Participation,
    Provision,
    Source,
    State,
)
from palermo.writer import services
from palermo.writer.models import Draft, Kind
from tests.personas import make_person

MARKER = "DRAFTSECRET"
CHECKLIST = "A certified copy of the provisions of law applied"


def _authority(state: State, name: str, *, languages: list[str], function: str) -> Authority:
    authority = Authority(state=state, kind=Authority.Kind.CENTRAL, name=name, name_en=name,
                          time_zone="Europe/Paris", channels=["email", "post"],
                          email="central@example.org", visibility=Visibility.PUBLIC,
                          urgent_contact="+33 1 00 00 00 00")
    authority.full_clean()
    authority.save()
    authority.accepted_languages.set(Language.objects.filter(code__in=languages))
    Designation.objects.create(
        authority=authority, function=function, source="test",
        provision=Provision.objects.get(instrument__code="untoc", code="art-18-13"))
    return authority


@dataclass
class WriterWorld:
    requesting: State
    requested: State
    central_a: Authority      # Mexico's central authority: makes and reviews requests
    other_a: Authority        # another Mexican authority
    central_b: Authority      # France's central authority
    author: User              # a prosecutor at Mexico's central authority
    colleague: User           # at the same authority
    other_practitioner: User  # at Mexico's other authority
    reviewer: User            # reviewer at Mexico's central authority (second factor)
    practitioner_b: User      # a French practitioner


def make_writer_world() -> WriterWorld:
    mex = State.objects.get(code="MEX")
    fra = State.objects.get(code="FRA")
    # Both States as UNTOC parties (test records with a test source).
    source = Source.objects.create(tag="writer-test-source", title="Test records")
    untoc = Instrument.objects.get(code="untoc")
    for state in (mex, fra):
        Participation.objects.update_or_create(
            state=state, instrument=untoc,
            defaults={"consent_on": dt.date(2003, 3, 4), "action": "r", "source": source})
    central_a = _authority(mex, "Fiscalía Central de Prueba", languages=["es", "en"],
                           function=Function.RECEIVE_MLA)
    other_a = _authority(mex, "Autoridad Segunda de Prueba", languages=["es"],
                         function=Function.EXTRADITION)
    other_a.kind = Authority.Kind.COMPETENT
    other_a.save()
    central_b = _authority(fra, "Bureau central de test", languages=["fr", "en"],
                           function=Function.RECEIVE_MLA)
    section = ProfileSection(state=fra, measure=Measure.MLA, visibility=Visibility.PUBLIC,
                             untoc_legal_basis=ProfileSection.LegalBasis.YES)
    section.full_clean()
    section.save()
    section.languages.set(Language.objects.filter(code__in=["fr", "en"]))
    ChecklistItem.objects.create(section=section, position=1, text=CHECKLIST)

    def person(email: str, state: State, role: str, authority: Authority) -> User:
        user = make_person(email, state=state.code, role=role)
        membership_grant(user=user, state=state, role=role, authority=authority)
        return user

    return WriterWorld(
        requesting=mex, requested=fra, central_a=central_a, other_a=other_a,
        central_b=central_b,
        author=person("author@example.org", mex, Membership.Role.PRACTITIONER, central_a),
        colleague=person("colleague@example.org", mex, Membership.Role.PRACTITIONER, central_a),
        other_practitioner=person("other@example.org", mex, Membership.Role.PRACTITIONER,
                                  other_a),
        reviewer=make_reviewer("reviewer@example.org", mex, central_a),
        practitioner_b=person("practitioner-b@example.org", fra, Membership.Role.PRACTITIONER,
                              central_b),
    )


def make_reviewer(email: str, state: State, authority: Authority | None) -> User:
    from palermo.accounts.services import second_factor_set_totp
    from tests.personas import TOTP_SECRET

    user = make_person(email, second_factor=False)
    membership_grant(user=user, state=state, role=Membership.Role.REVIEWER, authority=authority)
    second_factor_set_totp(user=user, secret=TOTP_SECRET)
    return user


COMPLETE_CONTENT = {
    "subject_matter": f"{MARKER} criminal investigation into laundering of proceeds",
    "conducting_authority": f"{MARKER} Office of the Special Prosecutor, investigating",
    "facts": f"{MARKER} Between 2024 and 2025 the suspects transferred funds.",
    "offences": f"{MARKER} Laundering of proceeds of crime",
    "law_text": f"{MARKER} Article 400 bis of the Federal Criminal Code: ...",
    "penalty": f"{MARKER} Five to fifteen years of imprisonment",
    "persons": [{"name": f"{MARKER} Person One", "role": "suspect", "nationality": "MEX",
                 "birth_date": "1980-01-01", "location": "Paris", "details": ""}],
    "accounts": [{"institution": f"{MARKER} Bank", "number": "FR7600000000000000000000000",
                  "holder": f"{MARKER} Person One", "period": "2024-2025", "details": ""}],
    "measure_details": {"mla-f": {
        "description": f"{MARKER} Bank statements of the account from 1 January 2024",
        "link": f"{MARKER} The transfers passed through this account"}},
    "purpose": f"{MARKER} To prove the flow of funds at trial",
    "procedure": f"{MARKER} Certified by the bank's custodian of records",
    "confidential": "yes",
    "confidentiality": f"{MARKER} Do not notify the account holder",
    "urgency_reason": f"{MARKER} The suspects are about to move the funds",
    "contact_name": f"{MARKER} Duty prosecutor",
    "contact_function": "Prosecutor",
    "contact_phone": "+52 55 0000 0000",
    "contact_email": "duty@example.org",
    "annexes": [{"title": f"{MARKER} Copy of the law", "description": ""}],
    "checklist_confirmed": [],  # the checklist item's id, set by make_draft
}


def checklist_key() -> str:
    """What a draft records when the French checklist item is confirmed: the item's id."""
    return str(ChecklistItem.objects.get(text=CHECKLIST).pk)


def make_draft(world: WriterWorld, *, complete: bool = True, title: str = f"{MARKER} ref",
               urgent: bool = True) -> Draft:
    """A request for bank records (art. 18(3)(f)) from Mexico to France, by the author."""
    draft = services.draft_create(
        user=world.author, kind=Kind.MLA, title=title, requesting_state=world.requesting,
        requested_state=world.requested, urgent=urgent,
        needed_by=dt.date.today() + dt.timedelta(days=30))
    if complete:
        draft = services.draft_save(
            draft=draft, user=world.author, version=draft.version, section="test",
            fields={"measures": ["mla-f"], "drafting_language": Language.objects.get(code="en")},
            content={**COMPLETE_CONTENT, "checklist_confirmed": [checklist_key()]})
    return draft

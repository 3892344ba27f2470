"""Fictional demonstration requests, so that the writer and its review can be tried at once.

For each demo State that has a demo practitioner, a demo reviewer and a demo central authority,
and another demo State to ask: one request still being written (so that the check lists what it
lacks) and one complete request submitted for review (so that the demo reviewer has one in the
queue). Every text says it is fictional; the drafts are marked ``is_demo`` and the pages that
show them carry the demo banner. A second run creates nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from palermo.accounts.demo import DEMO_DOMAIN
from palermo.accounts.models import Membership, User
from palermo.reference.models import Language, State

from . import services
from .models import Draft, Kind

PAIRS = [("MEX", "FRA"), ("FRA", "EGY"), ("EGY", "CHN")]


def _content(label: str) -> dict[str, object]:
    fictional = "Fictional demonstration text"
    return {
        "subject_matter": f"{fictional}: criminal investigation into the laundering of the "
                          f"proceeds of a fraud ({label}).",
        "conducting_authority": f"{fictional}: the demo office of the special prosecutor, "
                                "which directs the investigation.",
        "offences": f"{fictional}: laundering of proceeds of crime; participation in an "
                    "organized criminal group.",
        "law_text": f"{fictional}: article 1 of the demo criminal code — whoever converts or "
                    "transfers property knowing that it is the proceeds of crime …",
        "penalty": f"{fictional}: imprisonment from five to fifteen years.",
        "persons": [{"name": "Demo Person A (fictional)", "role": "suspect",
                     "nationality": "", "birth_date": "", "location": "Unknown",
                     "details": ""}],
        "accounts": [{"institution": "Demo Bank (fictional)", "number": "DEMO-0000-0000",
                      "holder": "Demo Person A (fictional)", "period": "2025–2026",
                      "details": ""}],
        "measure_details": {"mla-f": {
            "description": f"{fictional}: statements and opening documents of the account "
                           "from 1 January 2025.",
            "link": f"{fictional}: the transfers of the fraud passed through this account."}},
        "procedure": f"{fictional}: records certified by the bank's custodian.",
        "contact_name": "Demo Prosecutor (fictional)",
        "contact_email": f"prosecutor@{DEMO_DOMAIN}",
    }


@transaction.atomic
def create_writer_demo() -> int:
    """Create what is missing; return how many demo requests were created."""
    created = 0
    today = timezone.localdate()
    for requesting_code, requested_code in PAIRS:
        author = User.objects.filter(
            is_demo=True, memberships__state__code=requesting_code,
            memberships__role=Membership.Role.PRACTITIONER).order_by("pk").first()
        requested = State.objects.filter(code=requested_code).first()
        if author is None or requested is None:
            continue
        requesting = State.objects.get(code=requesting_code)
        for step, title in ((1, "Demo request (fictional): bank records, DEMO-2026-017"),
                            (2, "Demo request (fictional): bank records, DEMO-2026-018")):
            if Draft.objects.filter(author=author, title=title).exists():
                continue
            draft = services.draft_create(
                user=author, kind=Kind.MLA, title=title, requesting_state=requesting,
                requested_state=requested, urgent=True, needed_by=today + dt.timedelta(days=45))
            Draft.objects.filter(pk=draft.pk).update(is_demo=True)
            draft.is_demo = True
            content = _content(title)
            if step == 2:
                content.update({
                    "facts": "Fictional demonstration text: between 2025 and 2026 the demo "
                             "suspects moved the proceeds of a fraud through the account.",
                    "purpose": "Fictional demonstration text: to prove the flow of funds at "
                               "trial.",
                    "urgency_reason": "Fictional demonstration text: the funds may be moved.",
                    "checklist_confirmed": _checklist(draft, author),
                })
            draft = services.draft_save(
                draft=draft, user=author, version=draft.version, section="demo",
                fields={"measures": ["mla-f"], "legal_bases": draft.legal_bases or ["untoc"],
                        "drafting_language": draft.drafting_language
                        or Language.objects.filter(code="en").first()},
                content=content)
            if step == 2:
                lacking, _warnings = services.completeness(draft, user=author)
                if not lacking:
                    services.draft_submit(draft=draft, user=author, version=draft.version,
                                          note="Fictional demonstration request.")
            created += 1
    return created


def _checklist(draft: Draft, user: User) -> list[str]:
    from . import steps

    return [key for key, _text in steps.check_context(draft, user=user).checklist]

"""What each kind of request must contain: extradition (art. 16), transfer of sentenced persons
(art. 17) and confiscation (art. 13(3)), through the overview a practitioner reads."""

from __future__ import annotations

import pytest

from palermo.writer import services
from palermo.writer.models import Kind
from tests.writer.factories import COMPLETE_CONTENT, make_draft

pytestmark = pytest.mark.django_db


def _lacking(world, draft) -> set[str]:
    lacking, _warnings = services.completeness(draft, user=world.author)
    return {item.field for item in lacking}


def _as(world, kind: str, **content):
    draft = make_draft(world)
    return services.draft_save(draft=draft, user=world.author, version=draft.version,
                               section="start", fields={"kind": kind, "measures": []},
                               content=content)


def test_extradition_needs_the_person_sought_the_warrant_and_for_enforcement_the_sentence(
        writer_world):
    draft = _as(writer_world, Kind.EXTRADITION)
    assert {"persons", "extradition_purpose", "warrant"} <= _lacking(writer_world, draft)
    assert "subject_matter" not in _lacking(writer_world, draft)  # art. 18(15)(b) is MLA's
    assert "measures" not in _lacking(writer_world, draft)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="assistance", content={
                                    "persons": [{"name": "X", "role": "person_sought"}],
                                    "extradition_purpose": "enforcement", "warrant": "W-1"})
    assert _lacking(writer_world, draft) == {"sentence"}
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="assistance", content={"sentence": "Eight years"})
    assert _lacking(writer_world, draft) == set()


def test_transfer_needs_the_sentenced_person_the_sentence_and_consent(writer_world):
    draft = _as(writer_world, Kind.TRANSFER)
    assert {"persons", "sentence", "sentence_remaining", "consent"} <= _lacking(writer_world,
                                                                                draft)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="assistance", content={
                                    "persons": [{"name": "Y", "role": "sentenced_person"}],
                                    "sentence": "Ten years", "sentence_remaining": "Six years",
                                    "consent": "given"})
    assert _lacking(writer_world, draft) == set()


def test_confiscation_adds_what_article_13_3_asks_for_each_kind_of_request(writer_world):
    draft = _as(writer_world, Kind.CONFISCATION)
    assert "measures" in _lacking(writer_world, draft)
    draft = services.draft_save(
        draft=draft, user=writer_world.author, version=draft.version, section="measures",
        fields={"measures": ["13-1-a", "13-1-b"]}, content={"measure_details": {
            code: {"description": "d", "link": "l"} for code in ("13-1-a", "13-1-b")}})
    assert _lacking(writer_world, draft) == {"property", "confiscation_order",
                                             "execution_extent"}


def test_a_request_for_service_of_documents_alone_needs_no_summary_of_facts(writer_world):
    draft = make_draft(writer_world)
    draft = services.draft_save(
        draft=draft, user=writer_world.author, version=draft.version, section="measures",
        fields={"measures": ["mla-b"]}, content={
            "facts": "", "measure_details": {"mla-b": {"description": "Serve the summons",
                                                       "link": "The accused lives there"}}})
    assert "facts" not in _lacking(writer_world, draft)
    assert COMPLETE_CONTENT["facts"]  # the complete draft has facts; this one dropped them


def test_the_overview_names_the_elements_for_the_kind(writer_world):
    from tests.personas import client_for

    draft = _as(writer_world, Kind.EXTRADITION)
    html = client_for(writer_world.author).get(f"/en/requests/{draft.pk}/").content.decode()
    assert "The warrant of arrest or the judgment the request is based on" in html
    assert "art. 16" in html


def test_the_measures_of_article_18_3_are_named_in_the_conventions_words():
    """The labels are the shipped treaty text's, letter by letter (and translated as such)."""
    from palermo.directory.finder import treaty_items
    from palermo.writer.steps import MLA_MEASURE_LABELS

    assert {letter: str(text) for letter, text in MLA_MEASURE_LABELS.items()} == dict(
        treaty_items("untoc", 18, 3))

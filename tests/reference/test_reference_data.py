"""The reference data, checked against facts that do not come from our own files."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from palermo.reference.models import Instrument, Participation, Provision, Source, State

pytestmark = pytest.mark.usefixtures("reference_data")

ARABIC = re.compile(r"[\u0600-\u06FF]")
CJK = re.compile(r"[\u4E00-\u9FFF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@pytest.mark.parametrize(("code", "adopted", "in_force", "articles"), [
    ("untoc", "2000-11-15", "2003-09-29", 41),
    ("tip", "2000-11-15", "2003-12-25", 20),
    ("som", "2000-11-15", "2004-01-28", 25),
    ("firearms", "2001-05-31", "2005-07-03", 21),
    ("uncac", "2003-10-31", "2005-12-14", 71),
    ("c1988", "1988-12-19", "1990-11-11", 34),
])
def test_instruments_have_their_dates_and_every_article(code, adopted, in_force, articles):
    instrument = Instrument.objects.get(code=code)
    assert instrument.adopted_on == dt.date.fromisoformat(adopted)
    assert instrument.entry_into_force_on == dt.date.fromisoformat(in_force)
    assert instrument.articles.count() == articles
    for language in ("ar", "zh_hans", "en", "fr", "ru", "es"):
        assert getattr(instrument, f"name_{language}")
        assert getattr(instrument, f"abbreviation_{language}")


def test_protocols_supplement_the_convention():
    untoc = Instrument.objects.get(code="untoc")
    assert set(untoc.protocols.values_list("code", flat=True)) == {"tip", "som", "firearms"}


@pytest.mark.parametrize(("instrument", "citation", "words"), [
    ("untoc", "art. 18(13)", "designate a central authority"),
    ("untoc", "art. 18(14)", "language acceptable to the requested State Party"),
    ("untoc", "art. 16(5)(a)", "legal basis for cooperation on extradition"),
    ("untoc", "art. 17", "transfer to their territory of persons sentenced"),
    ("som", "art. 8(6)", "designate an authority"),
    ("firearms", "art. 13(2)", "single point of contact"),
    ("uncac", "art. 46(13)", "designate a central authority"),
    ("uncac", "art. 46(14)", "language acceptable to the requested State Party"),
    ("uncac", "art. 44(6)(a)", "legal basis for cooperation on extradition"),
    ("c1988", "art. 7(8)", "designate an authority"),
    ("c1988", "art. 7(9)", "language acceptable to the requested Party"),
    ("c1988", "art. 17(7)", "designate an authority"),
])
def test_each_provision_cites_the_paragraph_that_says_so(instrument, citation, words):
    matches = [p for p in Provision.objects.filter(instrument__code=instrument)
               if p.citation == citation]
    assert len(matches) == 1, f"no provision {citation} of {instrument}"
    provision = matches[0]
    if provision.paragraph is not None:
        text = provision.paragraph.text
    else:
        text = " ".join(provision.article.paragraphs.values_list("text", flat=True))
    assert words in " ".join(text.split())


def test_all_193_member_states_are_present_with_names_in_six_languages():
    members = State.objects.filter(kind=State.Kind.MEMBER)
    assert members.count() == 193
    for state in members:
        assert ARABIC.search(state.name_ar), state.code
        assert CJK.search(state.name_zh_hans), state.code
        assert CYRILLIC.search(state.name_ru), state.code
        assert state.name_en and state.name_fr and state.name_es, state.code
        assert state.regional_groups.exists(), state.code


def test_each_language_has_193_distinct_member_names():
    members = State.objects.filter(kind=State.Kind.MEMBER)
    for language in ("ar", "zh_hans", "en", "fr", "ru", "es"):
        names = set(members.values_list(f"name_{language}", flat=True))
        assert len(names) == 193, language


@pytest.mark.parametrize(("code", "name", "kind"), [
    ("PSE", "State of Palestine", State.Kind.OBSERVER),
    ("VAT", "Holy See", State.Kind.OBSERVER),
    ("COK", "Cook Islands", State.Kind.OTHER),
    ("NIU", "Niue", State.Kind.OTHER),
    ("EU", "European Union", State.Kind.REIO),
    ("BOL", "Bolivia (Plurinational State of)", State.Kind.MEMBER),
    ("CIV", "Côte d'Ivoire", State.Kind.MEMBER),
    ("TUR", "Türkiye", State.Kind.MEMBER),
    ("GBR", "United Kingdom of Great Britain and Northern Ireland", State.Kind.MEMBER),
    ("COD", "Democratic Republic of the Congo", State.Kind.MEMBER),
])
def test_official_un_short_names_replace_cldr_names_in_english(code, name, kind):
    state = State.objects.get(code=code)
    assert state.name_en == name
    assert state.kind == kind


def test_regional_groups_follow_the_un_lists():
    counts = {group: State.objects.filter(regional_groups__code=group).count()
              for group in ("AFR", "APG", "EEG", "GRULAC", "WEOG")}
    assert counts["AFR"] == 54
    assert counts["EEG"] == 23
    assert counts["GRULAC"] == 33
    assert set(State.objects.get(code="TUR").regional_groups.values_list("code", flat=True)) == {
        "APG", "WEOG"}


def test_recorded_dates_are_consistent_and_not_in_the_future():
    today = timezone.localdate()
    rows = list(Participation.objects.select_related("instrument"))
    assert rows
    for row in rows:
        if row.signed_on and row.consent_on:
            assert row.consent_on >= row.signed_on, row
        for date in (row.signed_on, row.consent_on):
            assert date is None or date <= today, row
        if row.signed_on:
            assert row.signed_on >= row.instrument.adopted_on, row
        if row.consent_on:
            assert row.action, row


def test_known_ratifications_match_the_depositary():
    record = Participation.objects.get(state__code="AFG", instrument__code="untoc")
    assert record.signed_on == dt.date(2000, 12, 14)
    assert record.consent_on == dt.date(2003, 9, 24)
    assert record.source.tag == "UNTC-EN-2024-05-04"


def test_the_official_count_is_kept_beside_our_own():
    untoc = Instrument.objects.get(code="untoc")
    assert untoc.official_parties == 192
    assert untoc.official_signatories == 147
    assert untoc.official_count_source.tag == "UNTC-EN-2024-05-04"
    assert Instrument.objects.get(code="uncac").official_parties is None


def test_every_participation_row_names_a_source():
    assert not Participation.objects.filter(source__isnull=True).exists()
    assert Source.objects.filter(tag="UNTC-EN-2024-05-04").exists()


def test_loading_twice_changes_nothing(capsys):
    call_command("load_reference")
    assert "nothing changed" in capsys.readouterr().out


def test_a_refresh_keeps_the_secretariats_corrections():
    correction = Source.objects.create(tag="secretariat-check", title="Depositary notification")
    record = Participation.objects.get(state__code="AFG", instrument__code="untoc")
    record.note = "Checked against the depositary notification."
    record.source = correction
    record.save()
    call_command("load_reference", verbosity=0)
    record.refresh_from_db()
    assert record.source == correction
    assert record.note == "Checked against the depositary notification."

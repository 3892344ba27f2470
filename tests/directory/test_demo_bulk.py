"""The fictional demo data at benchmark shape: written in bulk, complete, valid, found by the
search, recorded in the history, and never written twice."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from palermo.core.models import DataVersion, Visibility
from palermo.directory.demo import TEMPLATES
from palermo.directory.models import (
    Authority,
    AuthoritySearchEntry,
    ChecklistItem,
    ContactPerson,
    Designation,
    Function,
    LawLink,
    OfficeHours,
    ProfileSection,
)
from palermo.reference.models import Instrument, Provision

STATES = 8  # the demo States; --all-states gives every State the same
PER_STATE = 16  # every template once, then most of them again, with other cities and hours
ARGS = ["--authorities", str(PER_STATE), "--contacts", "3", "--sections", "5"]
MODELS = [Authority, ContactPerson, Designation, OfficeHours, ProfileSection, ChecklistItem,
          LawLink, AuthoritySearchEntry]


def demo_data(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    """Rows of every directory table the demo data writes, history included."""
    tables = {model.__name__: model._default_manager.count() for model in MODELS}
    for model in (Authority, ContactPerson, Designation, ProfileSection):
        tables[f"history of {model.__name__}"] = model.history.count()  # type: ignore[union-attr]
    return tables


@pytest.fixture
def bulk(reference_data: None) -> str:
    return demo_data(*ARGS)


def test_it_creates_what_was_asked_for_in_every_demo_state(bulk):
    authorities = Authority.objects.filter(is_demo=True)
    assert authorities.count() == STATES * PER_STATE
    per_state = authorities.order_by().values("state").annotate(n=Count("pk"))
    assert set(per_state.values_list("n", flat=True)) == {PER_STATE}
    assert ContactPerson.objects.filter(is_demo=True).count() == STATES * PER_STATE * 3
    assert ProfileSection.objects.filter(is_demo=True).count() == STATES * 5
    assert ChecklistItem.objects.count() == STATES * 5 * 3
    assert LawLink.objects.count() == STATES * 5
    assert f"{STATES * PER_STATE} authorities, {STATES * PER_STATE * 3} contact persons" in bulk
    assert not authorities.filter(office_hours=None).exists()
    assert not authorities.filter(designations=None).exists()
    assert not authorities.filter(accepted_languages=None).exists()


def test_designations_cover_every_function_and_every_designation_provision(bulk):
    designated = Designation.objects.filter(authority__is_demo=True)
    assert set(designated.values_list("function", flat=True)) == set(Function.values)
    assert set(designated.values_list("provision", flat=True)) == set(
        Provision.objects.values_list("pk", flat=True))
    assert set(designated.values_list("provision__instrument__code", flat=True)) == set(
        Instrument.objects.exclude(provisions=None).values_list("code", flat=True))


def test_entries_mix_visibility_languages_cities_and_kinds(bulk):
    authorities = Authority.objects.filter(is_demo=True)
    assert set(authorities.values_list("visibility", flat=True)) == set(Visibility.values)
    assert set(ContactPerson.objects.values_list("visibility", flat=True)) == set(
        Visibility.values)
    assert set(ProfileSection.objects.values_list("visibility", flat=True)) == set(
        Visibility.values)
    assert set(authorities.values_list("kind", flat=True)) == set(Authority.Kind.values)
    assert {"Demo City", "Démoville", "Демоград", "مدينة العرض"} <= set(
        authorities.values_list("city", flat=True))
    assert authorities.exclude(name_zh_hans="").exists()
    assert authorities.filter(name_zh_hans=None).exists()  # some names in a few languages only
    assert set(OfficeHours.objects.values_list("weekday", flat=True)) == {0, 1, 2, 3, 4, 5}


def test_every_entry_is_marked_fictional(bulk):
    for authority in Authority.objects.filter(is_demo=True):
        assert authority.name_en.startswith("Demo ")
        assert authority.email.endswith(".invalid") and ".invalid/" in authority.website
        assert authority.urgent_contact.endswith(".invalid")
    assert not ContactPerson.objects.exclude(email__endswith="@demo.palermo.invalid").exists()
    assert not ContactPerson.objects.filter(is_demo=False).exists()
    assert not LawLink.objects.exclude(url__contains=".demo.palermo.invalid/").exists()


def test_every_row_passes_the_model_validators(bulk):
    """E.164 telephone and fax numbers, IANA time zones, channels, office hours, uniqueness."""
    for model in (Authority, ContactPerson, Designation, OfficeHours, ProfileSection,
                  ChecklistItem, LawLink):
        for row in model.objects.all():
            row.full_clean()
    assert Authority.objects.exclude(fax="").exists()


def test_history_records_each_row_as_created_with_its_languages(bulk):
    for model in (Authority, ContactPerson, Designation, ProfileSection):
        records = model.history.all()
        assert records.count() == model.objects.count()
        assert set(records.values_list("history_type", flat=True)) == {"+"}
    authority = Authority.objects.filter(is_demo=True).last()
    assert authority is not None
    record = authority.history.get()
    assert record.name_en == authority.name_en and record.phone == authority.phone
    assert record.history_change_reason == "Fictional demonstration data"
    assert {row.language_id for row in record.accepted_languages.all()} == set(
        authority.accepted_languages.values_list("pk", flat=True))
    contact = ContactPerson.objects.last()
    assert contact is not None
    assert {row.language_id for row in contact.history.get().languages.all()} == set(
        contact.languages.values_list("pk", flat=True))


def public_demo(code: str) -> set[str]:
    return set(Authority.objects.filter(state__code=code, is_demo=True,
                                        visibility=Visibility.PUBLIC)
               .values_list("name_en", flat=True))


def api_names(client: Client, **params: Any) -> set[str]:
    body = client.get("/api/v1/authorities", {**params, "page_size": 100}).json()
    assert body["count"] == len(body["results"])
    return {item["name"]["en"] for item in body["results"]}


@pytest.mark.parametrize("query", ["mexique", "Мексика", "墨西哥", "المكسيك"])
def test_the_search_finds_the_bulk_written_authorities(bulk, client, query):
    assert AuthoritySearchEntry.objects.count() == Authority.objects.count()
    assert api_names(client, q=query) == public_demo("MEX")
    page = client.get("/en/directory/search/", {"q": query}).content.decode()
    assert "Demo Central Authority for Mutual Legal Assistance" in page


def test_the_search_finds_them_by_city_function_and_instrument(bulk, client):
    assert {"Demo Office for the Transfer of Sentenced Persons 2"} <= api_names(
        client, q="demoville mexique")
    assert api_names(client, q="mexique", function="transfer") == {
        "Demo Office for the Transfer of Sentenced Persons",
        "Demo Office for the Transfer of Sentenced Persons 2"}
    assert api_names(client, q="Демоград") == set()  # the focal points there are restricted


def test_a_second_run_changes_nothing_and_says_so(bulk):
    before, token = counts(), DataVersion.objects.get().token
    assert "nothing changed" in demo_data(*ARGS)
    assert counts() == before
    assert DataVersion.objects.get().token == token  # cached pages stay valid


def test_a_larger_request_adds_only_what_is_missing(reference_data):
    demo_data()
    kept = set(Authority.objects.values_list("pk", "name_en", "email"))
    contacts = set(ContactPerson.objects.values_list("pk", "email"))
    output = demo_data("--authorities", "4", "--contacts", "3", "--sections", "3")
    # one more authority per State, with 3 contacts; one more contact for the 3 there were
    assert "8 authorities, 48 contact persons and 8 profile sections created" in output
    assert kept <= set(Authority.objects.values_list("pk", "name_en", "email"))
    assert contacts <= set(ContactPerson.objects.values_list("pk", "email"))
    assert Authority.objects.count() == STATES * 4
    per_authority = Authority.objects.order_by().annotate(n=Count("contacts"))
    assert set(per_authority.values_list("n", flat=True)) == {3}


def test_the_default_set_stays_small(reference_data):
    assert "24 authorities, 48 contact persons and 16 profile sections created" in demo_data()
    assert set(Authority.objects.values_list("name_en", flat=True)) == {
        template.name for template in TEMPLATES[:3]}
    assert Authority.objects.filter(visibility=Visibility.RESTRICTED).count() == STATES


def test_the_anonymous_page_cache_sees_the_new_entries(reference_data):
    client = Client()
    assert "Demo Central Authority" not in client.get("/en/directory/states/mex/").content.decode()
    demo_data()
    assert "Demo Central Authority" in client.get("/en/directory/states/mex/").content.decode()


@pytest.mark.parametrize("args", [["--authorities", "0"], ["--contacts", "-1"],
                                  ["--sections", "6"], ["--authorities", "many"]])
def test_bad_sizes_are_refused_and_change_nothing(reference_data, args):
    with pytest.raises(CommandError):
        call_command("demo_data", *args)
    assert not Authority.objects.exists()

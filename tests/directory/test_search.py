"""Full-text search of the directory, as visitors use it: the search page and the index."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from palermo.core.models import Visibility
from palermo.directory.models import Authority, AuthoritySearchEntry, Designation, Function
from palermo.directory.search import (
    PAGE_SIZE,
    indexing_deferred,
    normalize,
    reindex_all,
    search,
)
from palermo.reference.models import Language, Provision, State
from tests.directory.factories import make_authority
from tests.personas import client_for

URL = "/en/directory/search/"


def get(client: Any, url: str = URL, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def found(response: Any) -> list[str]:
    """The English names of the authorities on the page, in order."""
    return [hit.authority.name_en for hit in response.context["result"].hits]


def facet_counts(response: Any) -> dict[str, dict[str, int]]:
    return {facet.param: {option.code: option.count for option in facet.options}
            for facet in response.context["result"].facets}


def notices(response: Any) -> str:
    return " ".join(response.context["result"].notices)


# Finding Mexico's authorities, whatever the language, case and accents


@pytest.mark.parametrize("query", ["Mexique", "Мексика", "墨西哥", "mexico", "MÉXICO", "México",
                                   "المكسيك", "mex", "MX"])
def test_mexicos_authorities_are_found_by_the_states_name_in_any_language(world, client, query):
    response = get(client, q=query)
    assert found(response) == ["PUBLICAUTH name"]
    assert "PUBLICAUTH name" in response.content.decode()


@pytest.mark.parametrize("query", [
    "entraide judiciaire",  # French label of the function
    "Réception ENTRAIDE",
    "المساعدة القانونية",  # Arabic
    "司法协助",  # Chinese
    "взаимной правовой помощи",  # Russian
    "asistencia judicial",  # Spanish
    "UNTOC",  # the instrument's abbreviation
])
def test_a_function_or_instrument_in_any_language_finds_the_authority(world, client, query):
    assert found(get(client, q=query)) == ["PUBLICAUTH name"]


def test_a_chinese_substring_of_a_chinese_name_finds_the_authority(world, client):
    authority = world.public_authority
    authority.name_zh_hans = "墨西哥联邦总检察院国际事务总局"
    authority.save()
    for query in ("国际事务", "事务", "总检察院", "墨西哥联邦"):
        assert found(get(client, q=query)) == ["PUBLICAUTH name"], query
    assert found(get(client, q="国际刑警")) == []


def test_a_chinese_kind_of_authority_finds_central_authorities(world, secretariat):
    # 中心当局 is the Chinese label of "Central authority": the public authority is one, the
    # restricted one is a competent authority.
    assert found(get(client_for(secretariat), q="中心当局")) == ["PUBLICAUTH name"]


def test_case_accents_and_punctuation_do_not_matter(world, client):
    authority = world.public_authority
    authority.city = "Ciudad de México"
    authority.name_ar = "السُّلْطَة المَرْكَزِيَّة"
    authority.save()
    for query in ("ciudad de mexico", "CIUDAD DE MÉXICO", "Ciudad-de-Mexico", "méxico, ciudad",
                  "السلطة المركزية", "ciudád"):
        assert found(get(client, q=query)) == ["PUBLICAUTH name"], query


def test_every_word_must_match(world, client, secretariat):
    insider = client_for(secretariat)
    assert found(get(insider, q="Mexique")) == ["PUBLICAUTH name", "SECRETAUTH name"]
    assert found(get(insider, q="Mexique extradition")) == ["SECRETAUTH name"]
    assert found(get(insider, q="Mexique extradition entraide")) == []


def test_authorities_named_by_the_words_come_first(world, secretariat):
    make_authority(world.public_authority.state, "EXTRADITIONOFFICE", Visibility.PUBLIC,
                   function=Function.RECEIVE_MLA)
    names = found(get(client_for(secretariat), q="extradition"))
    assert names == ["EXTRADITIONOFFICE name", "SECRETAUTH name"]


def test_normalization_folds_case_accents_and_compatibility_forms():
    assert normalize("MÉXICO") == "mexico"
    assert normalize("Мексика") == "мексика"
    assert normalize("İstanbul") == "istanbul"
    assert normalize("ＵＮＴＯＣ") == "untoc"
    assert normalize("Côte d’Ivoire") == "cote d ivoire"
    assert normalize("السُّلْطَة") == "السلطة"
    assert normalize("墨西哥合众国") == "墨西哥合众国"
    assert normalize('"NEAR(*-)" \x00\x01') == "near"


# Visibility: results, counts and facets


def test_the_restricted_authority_is_found_by_insiders_only(world, persona):
    name, user = persona
    response = get(client_for(user), q="extradition")
    body = response.content.decode()
    if name == "anonymous":
        assert found(response) == []
        assert "No authority matches your search." in body
        assert "SECRETAUTH" not in body
    else:
        assert found(response) == ["SECRETAUTH name"]


def test_facets_count_only_what_the_visitor_may_see(world, client, practitioner_a):
    anonymous = get(client, q="Mexique")
    assert anonymous.context["result"].total == 1
    assert facet_counts(anonymous) == {
        "instrument": {"untoc": 1}, "function": {Function.RECEIVE_MLA: 1},
        "group": {"GRULAC": 1}, "language": {"en": 1, "es": 1},
    }
    body = anonymous.content.decode()
    assert "Extradition" not in body and "SECRETAUTH" not in body

    insider = get(client_for(practitioner_a), q="Mexique")
    assert insider.context["result"].total == 2
    assert facet_counts(insider) == {
        "instrument": {"untoc": 2},
        "function": {Function.RECEIVE_MLA: 1, Function.EXTRADITION: 1},
        "group": {"GRULAC": 2}, "language": {"en": 2, "es": 2},
    }
    assert "Extradition" in insider.content.decode()


def test_a_filter_on_the_restricted_authoritys_function_shows_nothing_to_anonymous(world,
                                                                                   client):
    response = get(client, function="extradition")
    assert found(response) == [] and response.context["result"].total == 0
    assert "SECRETAUTH" not in response.content.decode()


def test_the_search_function_applies_the_access_layer(world, secretariat):
    assert search(None, {"q": "mexico"}).total == 1
    assert search(secretariat, {"q": "mexico"}).total == 2


# Facets


@pytest.fixture
def french_authority(state_b: State) -> Authority:
    authority = make_authority(state_b, "FRENCHAUTH", Visibility.PUBLIC,
                               provision=("uncac", "art-46-13"), function=Function.RECEIVE_MLA)
    authority.accepted_languages.set(Language.objects.filter(code="fr"))
    return authority


def test_facets_narrow_the_results_and_combine(world, french_authority, secretariat):
    insider = client_for(secretariat)
    everything = get(insider)
    assert everything.context["result"].total == 3
    assert facet_counts(everything)["group"] == {"GRULAC": 2, "WEOG": 1}
    assert facet_counts(everything)["instrument"] == {"untoc": 2, "uncac": 1}

    assert found(get(insider, group="WEOG")) == ["FRENCHAUTH name"]
    assert found(get(insider, group="grulac", function="extradition")) == ["SECRETAUTH name"]
    assert found(get(insider, instrument="untoc", function="receive_mla")) == ["PUBLICAUTH name"]
    assert found(get(insider, instrument="uncac", q="France")) == ["FRENCHAUTH name"]
    assert found(get(insider, language="es", group="WEOG")) == []
    assert found(get(insider, language="fr")) == ["FRENCHAUTH name"]
    narrowed = get(insider, function="receive_mla")
    assert narrowed.context["result"].total == 2
    assert facet_counts(narrowed) == {
        "instrument": {"untoc": 1, "uncac": 1}, "function": {Function.RECEIVE_MLA: 2},
        "group": {"GRULAC": 1, "WEOG": 1}, "language": {"en": 1, "es": 1, "fr": 1},
    }


def test_facet_links_add_and_remove_filters(world, french_authority, client):
    response = get(client, q="PUBLICAUTH FRENCHAUTH", function="receive_mla")
    assert found(response) == []
    response = get(client, q="receive", function="receive_mla")
    result = response.context["result"]
    assert [f.code for f in result.filters] == ["receive_mla"]
    assert result.filters[0].remove_querystring == "q=receive"
    group_links = {o.code: o.querystring for f in result.facets if f.param == "group"
                   for o in f.options}
    assert group_links["WEOG"] == "q=receive&function=receive_mla&group=WEOG"
    body = response.content.decode()
    assert 'href="?q=receive&amp;function=receive_mla&amp;group=WEOG"' in body
    assert '<input type="hidden" name="function" value="receive_mla">' in body


def test_facet_labels_follow_the_language_of_the_page(world, client):
    response = get(client, "/fr/directory/search/", q="mexique")
    body = response.content.decode()
    assert "PUBLICAUTH nom" in body
    assert "Groupe des États d&#x27;Amérique latine et des Caraïbes" in body
    assert "espagnol" in body
    assert "Réception et exécution des demandes d’entraide judiciaire" in body


# Pages


@pytest.fixture
def many(state_a: State) -> list[Authority]:
    provision = Provision.objects.get(instrument__code="untoc", code="art-18-13")
    authorities = []
    for number in range(45):
        authority = Authority.objects.create(
            state=state_a, kind=Authority.Kind.COMPETENT, name=f"Fiscalía regional {number:02}",
            name_en=f"Regional prosecutor {number:02}", time_zone="America/Mexico_City")
        Designation.objects.create(authority=authority, provision=provision,
                                   function=Function.RECEIVE_MLA)
        authorities.append(authority)
    return authorities


def test_results_come_twenty_to_a_page(many, client):
    first = get(client, q="regional prosecutor")
    result = first.context["result"]
    assert (result.total, result.pages, len(result.hits)) == (45, 3, PAGE_SIZE)
    body = first.content.decode()
    assert "45 authorities found; 1 to 20 shown." in body
    assert 'href="?q=regional+prosecutor&amp;page=2" rel="next"' in body
    assert 'rel="prev"' not in body
    second = get(client, q="regional prosecutor", page="2")
    third = get(client, q="regional prosecutor", page="3")
    assert len(found(third)) == 5
    names = found(first) + found(second) + found(third)
    assert sorted(names) == sorted(a.name_en for a in many)
    assert 'href="?q=regional+prosecutor" rel="prev"' in second.content.decode()
    assert "Page 3 of 3" in third.content.decode()


@pytest.mark.parametrize(("page", "shown", "message"), [
    ("0", 1, "Pages are numbered from 1; showing the first page."),
    ("-1", 1, "“-1” is not a page number; showing the first page."),
    ("abc", 1, "“abc” is not a page number; showing the first page."),
    ("1.5", 1, "“1.5” is not a page number; showing the first page."),
    ("99999", 3, "There are only 3 pages of results; showing the last one."),
    ("9" * 5000, 1, "is not a page number; showing the first page."),
])
def test_a_bad_page_number_gets_a_clear_answer(many, client, page, shown, message):
    response = get(client, q="regional", page=page)
    assert response.context["result"].page == shown
    assert message in notices(response)
    assert len(found(response)) == (5 if shown == 3 else PAGE_SIZE)


# Bad input: a clear answer, never an error page


@pytest.mark.parametrize(("params", "message"), [
    ({"q": '"'}, "Type at least one letter or digit to search."),
    ({"q": "*"}, "Type at least one letter or digit to search."),
    ({"q": "-"}, "Type at least one letter or digit to search."),
    ({"q": "\x00\x01"}, "Type at least one letter or digit to search."),
    ({"q": "NEAR("}, ""),
    ({"q": 'NEAR("a" "b", 2)'}, ""),
    ({"q": "a OR"}, ""),
    ({"q": "mex* -foo ^bar"}, ""),
    ({"q": "x" * 10_000}, "only its first 200 characters were used"),
    ({"q": " ".join(f"w{n}" for n in range(20))}, "Only the first 8 words"),
    ({"q": "%' OR 1=1 --"}, ""),
    ({"instrument": "nope"}, "There is no instrument with the code “nope”"),
    ({"function": "nope"}, "There is no function with the code “nope”"),
    ({"group": "XX"}, "There is no regional group with the code “XX”"),
    ({"language": "zz"}, "There is no language with the code “zz”"),
    ({"language": "<b>x</b>" * 50}, "There is no language with the code"),
])
def test_bad_input_gets_a_clear_answer(world, client, params, message):
    response = get(client, **params)
    assert message in notices(response)
    body = response.content.decode()
    assert "<b>x</b>" not in body


def test_unknown_filters_are_left_out_and_the_search_still_runs(world, client):
    response = get(client, q="Mexique", instrument="nope", group="XX", function="receive_mla")
    assert found(response) == ["PUBLICAUTH name"]
    assert [f.param for f in response.context["result"].filters] == ["function"]


def test_undecodable_bytes_and_control_characters_get_a_clear_answer(world, client):
    response = client.get(URL + "?q=%FF%FE%00%1B&page=%FF&group=%00")
    assert response.status_code == 200
    assert "Type at least one letter or digit to search." in notices(response)
    assert "is not a page number" in notices(response)


def test_mixed_scripts_find_what_holds_every_word(world, client):
    assert found(get(client, q="Mexique Мексика 墨西哥 mx")) == ["PUBLICAUTH name"]


def test_the_query_is_echoed_escaped(world, client):
    body = get(client, q='<script>alert("x")</script>').content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_a_long_query_is_cut_and_still_answers(world, client):
    response = get(client, q="mexique " + "z" * 10_000)
    assert response.context["result"].params.q == "mexique " + "z" * 192
    assert found(response) == []


def test_an_empty_search_lists_what_the_visitor_may_see(world, client):
    response = get(client)
    assert found(response) == ["PUBLICAUTH name"]
    assert "All authorities" in response.content.decode()


def test_the_directory_home_has_a_search_box(client, reference_data):
    body = client.get("/en/directory/").content.decode()
    assert 'action="/en/directory/search/"' in body and 'name="q"' in body


# Keeping the index current


def test_a_renamed_authority_is_found_by_its_new_name_only(world, client):
    authority = world.public_authority
    authority.name_en = "Xylophone Bureau"
    authority.save()
    assert found(get(client, q="xylophone")) == ["Xylophone Bureau"]
    authority.name_en = "Zither Bureau"
    authority.save()
    assert found(get(client, q="xylophone")) == []
    assert found(get(client, q="zither")) == ["Zither Bureau"]


def test_designations_and_states_reindex_their_authorities(world, client):
    authority = world.public_authority
    designation = Designation.objects.create(
        authority=authority, function=Function.EXTRADITION,
        provision=Provision.objects.get(instrument__code="untoc", code="art-16-5-a"))
    assert found(get(client, q="extradition")) == ["PUBLICAUTH name"]
    designation.delete()
    assert found(get(client, q="extradition")) == []

    state = authority.state
    state.name_en = "United Mexican States"
    state.save()
    assert found(get(client, q="united mexican")) == ["PUBLICAUTH name"]


def test_a_deleted_authority_leaves_the_index(world, client, secretariat):
    restricted = world.restricted_authority
    pk = restricted.pk
    restricted.delete()
    assert not AuthoritySearchEntry.objects.filter(authority_id=pk).exists()
    assert found(get(client_for(secretariat), q="SECRETAUTH")) == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM directory_authority_fts WHERE rowid = %s", [pk])
            assert cursor.fetchone()[0] == 0


def test_deferred_indexing_indexes_once_at_the_end(state_a, client):
    with indexing_deferred():
        authority = make_authority(state_a, "BATCHAUTH", Visibility.PUBLIC)
        assert not AuthoritySearchEntry.objects.filter(authority=authority).exists()
        assert found(get(client, q="batchauth")) == []
    assert found(get(client, q="batchauth")) == ["BATCHAUTH name"]


def test_the_reindex_command_rebuilds_the_index(world, client):
    # A change that bypasses signals is not seen until the index is rebuilt.
    Authority.objects.filter(pk=world.public_authority.pk).update(name_en="Quokka Office")
    assert found(get(client, q="quokka")) == []
    output = io.StringIO()
    call_command("reindex_directory", stdout=output)
    assert "authorities" in output.getvalue()
    assert found(get(client, q="quokka")) == ["Quokka Office"]
    assert reindex_all() == Authority.objects.count()
    assert AuthoritySearchEntry.objects.count() == Authority.objects.count()


# Query bound


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
@pytest.mark.parametrize(("params", "hits"), [
    ({"q": "regional"}, PAGE_SIZE),
    ({"q": "regional prosecutor mx", "instrument": "untoc", "function": "receive_mla",
      "group": "GRULAC", "language": "es", "page": "2"}, 10),
    ({"q": "nothing-at-all", "instrument": "uncac", "group": "WEOG", "language": "fr"}, 0),
    ({"page": "99999", "function": "nope"}, 7),
])
def test_the_search_page_runs_a_bounded_number_of_queries(world, many, practitioner_a, language,
                                                          params, hits,
                                                          django_assert_max_num_queries):
    for authority in many[:30]:
        authority.accepted_languages.add(*world.public_authority.accepted_languages.all())
    client = client_for(practitioner_a)
    with django_assert_max_num_queries(11):  # session, user, membership + 8
        response = client.get(f"/{language}/directory/search/", params)
    assert response.status_code == 200
    result = response.context["result"]
    assert len(result.hits) == hits
    assert bool(result.facets) == bool(hits)

"""Every endpoint runs a bounded number of SQL queries, whatever the amount of data.

The bound counts everything a request costs, including the session, the user and the check
of the user's memberships.
"""

from __future__ import annotations

import pytest
from django.test import Client

from palermo.api.models import ApiToken
from palermo.api.services import token_create
from palermo.core.models import Visibility
from palermo.directory.models import Function, LawLink
from palermo.reference.models import Language
from tests.directory.factories import make_authority, make_contact
from tests.personas import client_for

MAX_QUERIES = 8

ENDPOINTS = [
    "/api/v1/states", "/api/v1/states/mex", "/api/v1/states/mex/participation",
    "/api/v1/instruments", "/api/v1/instruments/untoc",
    "/api/v1/authorities?page_size=100",
    "/api/v1/authorities?state=mex&instrument=untoc&function=receive_mla&group=grulac"
    "&language=es&q=bulk&page_size=100",
    "/api/v1/authorities?state=xyz&instrument=nope&group=nowhere&language=zz",
    "/api/v1/authorities?state=fra&group=afr&language=de&instrument=som",
    "/api/v1/authorities.csv",
    "/api/v1/authorities/{public}", "/api/v1/authorities/{restricted}",
    "/api/v1/authorities/999999",
    "/api/v1/states/mex/profile", "/api/v1/states/fra/profile", "/api/v1/states/xyz/profile",
    "/api/v1/authorities?q=mexique&page_size=100",
    "/api/v1/authorities?q=%D0%9C%D0%B5%D0%BA%D1%81%D0%B8%D0%BA%D0%B0%20bulk&function=send_mla"
    "&group=GRULAC&language=fr",
    "/api/v1/authorities?q=nothing-matches-this",
    "/api/v1/authorities.csv?q=mexique&instrument=untoc",
]

# The finder runs the finder page's own queries (palermo.directory.finder.find: authorities,
# their languages and designations, the profile section, its languages and checklist, the
# legal bases) and reads the two States: 8. Signed-in visitors add their session (or token),
# user and memberships, as on the finder page. The treaty's lists (art. 18(3) and 18(15)) are
# read once per process (finder.treaty_items), so the first request warms them.
FINDER = [
    "/api/v1/finder?requesting=FRA&requested=MEX&measure=mla-f&urgent=true",
    "/api/v1/finder?requesting=FRA&requested=MEX&measure=extradition",
    "/api/v1/finder?requesting=NGA&requested=MEX&measure=sea",
    "/api/v1/finder?requesting=FRA&requested=ZZZ&measure=mla-z",
]
FINDER_OWN_QUERIES = 8
IDENTIFYING_QUERIES = 3  # session or token, user (or the token's last use), memberships


@pytest.fixture
def crowded(world, state_a):
    """Enough entries for an N+1 query to show: 12 more authorities with contacts."""
    languages = list(Language.objects.filter(code__in=["fr", "ar", "ru"]))
    for number in range(12):
        visibility = Visibility.PUBLIC if number % 2 else Visibility.RESTRICTED
        authority = make_authority(state_a, f"BULK{number}", visibility,
                                   function=Function.SEND_MLA if number % 3 else
                                   Function.RECEIVE_MLA)
        make_contact(authority, f"BULKPERSON{number}", Visibility.PUBLIC)
    for contact in world.public_authority.contacts.all():
        contact.languages.set(languages)
    LawLink.objects.create(section=world.public_section, title="Law", url="https://example.org/")
    return world


@pytest.mark.parametrize("persona_name", ["anonymous", "practitioner_a", "secretariat"])
def test_every_endpoint_runs_a_bounded_number_of_queries(crowded, request, persona_name,
                                                         django_assert_max_num_queries):
    user = None if persona_name == "anonymous" else request.getfixturevalue(persona_name)
    for template in ENDPOINTS:
        client = client_for(user)  # a fresh client: nothing cached from the previous request
        url = template.format(public=crowded.public_authority.pk,
                              restricted=crowded.restricted_authority.pk)
        with django_assert_max_num_queries(MAX_QUERIES, info=url):
            response = client.get(url)
        assert response.status_code in (200, 404, 422), url


def test_a_token_costs_what_a_session_costs(crowded, practitioner_a,
                                           django_assert_max_num_queries):
    _token, secret = token_create(user=practitioner_a, name="bounds")
    for template in ENDPOINTS:
        url = template.format(public=crowded.public_authority.pk,
                              restricted=crowded.restricted_authority.pk)
        ApiToken.objects.update(last_used_at=None)  # every request records its use
        with django_assert_max_num_queries(MAX_QUERIES, info=url):
            response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code in (200, 404, 422), url


@pytest.mark.parametrize("persona_name", ["anonymous", "practitioner_a", "secretariat"])
def test_the_finder_runs_a_bounded_number_of_queries(crowded, request, persona_name,
                                                     django_assert_max_num_queries):
    user = None if persona_name == "anonymous" else request.getfixturevalue(persona_name)
    bound = FINDER_OWN_QUERIES + (0 if user is None else IDENTIFYING_QUERIES)
    client_for(None).get(FINDER[0])
    for url in FINDER:
        client = client_for(user)
        with django_assert_max_num_queries(bound, info=url):
            response = client.get(url)
        assert response.status_code in (200, 422), url


def test_the_finder_bound_holds_with_a_token(crowded, practitioner_a,
                                             django_assert_max_num_queries):
    _token, secret = token_create(user=practitioner_a, name="bounds")
    client_for(None).get(FINDER[0])
    for url in FINDER:
        ApiToken.objects.update(last_used_at=None)
        with django_assert_max_num_queries(FINDER_OWN_QUERIES + IDENTIFYING_QUERIES, info=url):
            response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code in (200, 422), url


def test_the_bound_holds_for_a_conditional_request(crowded, practitioner_a,
                                                   django_assert_max_num_queries):
    client = client_for(practitioner_a)
    etag = client.get("/api/v1/authorities?page_size=100")["ETag"]
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/authorities?page_size=100", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304

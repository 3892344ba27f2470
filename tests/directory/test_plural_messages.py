"""Counts in the directory's notices and import errors take the plural form of their number."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from palermo.directory.search import query
from tests.directory.test_exchange import upload
from tests.personas import client_for

NINE_WORDS = "alpha beta gamma delta epsilon zeta eta theta iota"


@pytest.mark.parametrize(("terms", "text"), [
    (1, "Only the first 1 word of your search was used."),
    (8, "Only the first 8 words of your search were used.")])
def test_a_search_with_too_many_words_says_how_many_were_used(
        reference_data, monkeypatch, terms, text):
    monkeypatch.setattr(query, "MAX_TERMS", terms)
    cache.clear()  # anonymous pages are kept whole in the cache
    page = client_for(None).get("/en/directory/search/", {"q": NINE_WORDS})
    assert text in page.content.decode()


@pytest.mark.parametrize(("max_bytes", "text"), [
    (250, "A file may hold at most 1 record."), (400, "A file may hold at most 2 records.")])
def test_a_file_with_too_many_records_says_how_many_it_may_hold(
        focal_point_a, settings, max_bytes, text):
    settings.PALERMO_IMPORT_MAX_BYTES = max_bytes
    rows = "".join(f"authority,MEX,A{number}\n" for number in range(3))
    page = upload(client_for(focal_point_a), ("record,state,name_en\n" + rows).encode(),
                  "directory.csv")
    assert text in page.content.decode()

"""The useful resources of decision 3/2 g(iv): real reference data, loaded by load_reference."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from palermo.directory.loaders import load_resources, resource_data
from palermo.directory.models import Resource
from palermo.reference.loaders import LoadReport


def test_load_reference_loads_every_resource_once(reference_data):
    urls = [entry["url"] for entry in resource_data()]
    assert len(urls) == len(set(urls))
    assert sorted(Resource.objects.values_list("url", flat=True)) == sorted(urls)


def test_a_second_run_changes_nothing(reference_data):
    before = list(Resource.objects.order_by("pk").values_list("pk", "url", "updated_at"))
    report = LoadReport()
    load_resources(report)
    assert not report.changed
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert list(Resource.objects.order_by("pk").values_list("pk", "url", "updated_at")) == before


def test_a_changed_entry_is_put_back(reference_data):
    resource = Resource.objects.get(url="https://digitallibrary.un.org/record/105574")
    resource.languages.clear()
    report = LoadReport()
    load_resources(report)
    assert report.updated == {"Resource": 1}
    assert resource.languages.count() == 6


def test_every_resource_has_an_https_address_and_an_english_title(reference_data):
    assert Resource.objects.count() >= 6
    for resource in Resource.objects.all():
        assert resource.url.startswith("https://"), resource.url
        assert resource.title_en.strip(), resource.url
        assert resource.title == resource.title_en


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_page_lists_the_resources(reference_data, client, language,
                                      django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(f"/{language}/directory/resources/")
    assert response.status_code == 200
    html = response.content.decode()
    for resource in Resource.objects.all():
        assert f'href="{resource.url}" rel="external"' in html
    assert "A/RES/45/117" in html
    if language == "ar":
        assert 'dir="rtl"' in html
        assert 'lang="en" dir="ltr">Mutual Legal Assistance Request Writer Tool<' in html
    else:
        assert ">Mutual Legal Assistance Request Writer Tool<" in html


def test_the_directory_home_links_to_the_resources(reference_data, client):
    html = client.get("/en/directory/").content.decode()
    assert 'href="/en/directory/resources/"' in html

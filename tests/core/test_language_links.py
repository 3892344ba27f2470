"""Every page links to itself in the other five languages, query included."""

from __future__ import annotations

import pytest

from tests.personas import client_for


@pytest.mark.parametrize("path", ["/fr/states/?group=AFR&status=party", "/ar/instruments/untoc/",
                                  "/zh-hans/directory/search/?q=mexique"])
def test_the_language_links_lead_to_the_same_page_in_each_language(reference_data, path):
    html = client_for(None).get(path).content.decode()
    rest = path.split("/", 2)[2].replace("&", "&amp;")
    for code in ("ar", "zh-hans", "en", "fr", "ru", "es"):
        assert f'hreflang="{code}" href="/{code}/{rest}"' in html, code

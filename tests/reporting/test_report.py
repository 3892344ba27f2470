"""The analytical report of a cycle in the six languages."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document as read_docx

from palermo.accounts.models import User
from palermo.reporting.models import Cycle
from tests.personas import client_for

from .analysis_world import *  # noqa: F403 - the world's fixtures

pytestmark = pytest.mark.django_db



@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "ar", "zh-hans"])
def test_the_report_is_written_in_each_of_the_six_languages(
        secretariat: User, world: Cycle, language: str) -> None:
    url = reverse("reporting:analysis_report", kwargs={"pk": world.pk, "fmt": "docx"})
    response = client_for(secretariat).get(url, {"language": language})
    assert response.status_code == 200
    assert f"-{language}.docx" in response["Content-Disposition"]
    document = read_docx(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    # The questionnaire's own texts come in the report's language.
    suffix = "" if language == "en" else f" [{language}]"
    assert f"Is participation criminalized?{suffix}" in text


def test_the_report_is_printed_as_pdf_in_chinese(secretariat: User, world: Cycle) -> None:
    response = client_for(secretariat).get(
        reverse("reporting:analysis_report", kwargs={"pk": world.pk, "fmt": "pdf"}),
        {"language": "zh-hans", "edition": "circulation"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "report-public-zh-hans.pdf" in response["Content-Disposition"]

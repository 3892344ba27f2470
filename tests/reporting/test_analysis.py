"""The analysis of a cycle: who sees what, what counts, and how many queries a page costs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document as read_docx
from openpyxl import load_workbook

from palermo.accounts.models import User
from palermo.reporting.models import Cycle, Response
from tests.personas import client_for

from .analysis_world import *  # noqa: F403 - the world's fixtures
from .analysis_world import MARKER, PUBLIC_TEXT, submit

pytestmark = pytest.mark.django_db

PAGES = ["analysis_cycle", "analysis_compliance", "analysis_needs"]
ALL_PERSONAS = ["anonymous", "practitioner_b", "focal_point_b", "focal_point_a", "secretariat"]
# Who may see State A's confidential answer.
SEES_MARKER = {"focal_point_a", "secretariat"}
# The channels that show answers in words (the others show figures only: see the counts).
SHOWS_TEXTS = {"needs-area", "needs-state", "csv", "xlsx", "docx", "docx-ar"}
# Who may open the cycle's analysis at all.
SEES_CYCLE = {"focal_point_a", "focal_point_b", "secretariat"}


def _user(request: pytest.FixtureRequest, name: str) -> User | None:
    return None if name == "anonymous" else request.getfixturevalue(name)


def _docx_text(data: bytes) -> str:
    document = read_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for cell in row)


def _channels(cycle: Cycle) -> dict[str, str]:
    pk = cycle.pk
    return {
        **{name: reverse(f"reporting:{name}", kwargs={"pk": pk}) for name in PAGES},
        "needs-area": reverse("reporting:analysis_needs", kwargs={"pk": pk}) + "?area=training",
        "needs-state": reverse("reporting:analysis_needs", kwargs={"pk": pk})
        + f"?state={Response.objects.get(cycle=cycle, state__code='MEX').state_id}",
        "compliance-article": reverse("reporting:analysis_compliance", kwargs={"pk": pk})
        + "?article=5",
        "overview": reverse("reporting:analysis"),
        "csv": reverse("reporting:analysis_answers", kwargs={"pk": pk, "fmt": "csv"}),
        "xlsx": reverse("reporting:analysis_answers", kwargs={"pk": pk, "fmt": "xlsx"}),
        "docx": reverse("reporting:analysis_report", kwargs={"pk": pk, "fmt": "docx"}),
        "docx-ar": reverse("reporting:analysis_report", kwargs={"pk": pk, "fmt": "docx"})
        + "?language=ar",
    }


def _body(response: Any, channel: str) -> str:
    if channel.startswith("docx"):
        return _docx_text(response.content)
    if channel == "xlsx":
        return _xlsx_text(response.content)
    if channel == "csv":
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_only_state_a_and_the_secretariat_see_the_confidential_answer(
        request: pytest.FixtureRequest, persona: str, world: Cycle) -> None:
    client = client_for(_user(request, persona))
    for channel, url in _channels(world).items():
        response = client.get(url)
        if channel == "overview" and persona == "anonymous":
            assert response.status_code == 404
            continue
        if channel != "overview" and persona not in SEES_CYCLE:
            assert response.status_code == 404, (channel, persona)
            continue
        assert response.status_code == 200, (channel, persona)
        body = _body(response, channel)
        # Without a filter the needs page lists only a State's own answers: the secretariat
        # reads them an area or a State at a time.
        expected = persona in SEES_MARKER and (
            channel in SHOWS_TEXTS or (channel == "analysis_needs" and persona == "focal_point_a"))
        assert (MARKER in body) == expected, (channel, persona)


def test_the_secretariat_edition_for_circulation_has_no_confidential_answer(
        secretariat: User, world: Cycle) -> None:
    client = client_for(secretariat)
    url = reverse("reporting:analysis_report", kwargs={"pk": world.pk, "fmt": "docx"})
    full = _docx_text(client.get(url).content)
    circulation = _docx_text(client.get(url + "?edition=circulation").content)
    assert MARKER in full and "[confidential]" in full
    assert MARKER not in circulation
    assert PUBLIC_TEXT in circulation  # other answers are named in the edition for circulation


def _figures(page: Any) -> dict[str, dict[str, int]]:
    """Counts per question code and answer code on a cycle's analysis page."""
    return {item.question.code: {bar.code: bar.count for bar in item.bars}
            for section in page.context["figures"] for item in section.questions}


def _answered(page: Any) -> dict[str, int]:
    return {item.question.code: item.answered
            for section in page.context["figures"] for item in section.questions}


def test_counts_leave_out_confidential_answers_for_everyone_but_the_secretariat(
        secretariat: User, focal_point_a: User, focal_point_b: User, world: Cycle) -> None:
    url = reverse("reporting:analysis_cycle", kwargs={"pk": world.pk}) + "?section=all"
    by_secretariat = _figures(client_for(secretariat).get(url))
    assert by_secretariat["6-5"] == {"yes": 1, "partly": 0, "no": 1}
    for person in (focal_point_a, focal_point_b):  # State A's own confidential answer too
        page = client_for(person).get(url)
        assert _figures(page)["6-5"] == {"yes": 0, "partly": 0, "no": 1}
        assert _answered(page)["6-4"] == 1  # only B's text; A's is confidential


def test_an_answer_hidden_by_its_condition_is_not_counted(secretariat: User,
                                                          world: Cycle) -> None:
    url = reverse("reporting:analysis_cycle", kwargs={"pk": world.pk})
    figures = _figures(client_for(secretariat).get(url))
    # B answered 5-2 "conduct" but 5-1 = no hides 5-2; A's "agreement" is shown by 5-1 = yes.
    assert figures["5-2"] == {"agreement": 1, "conduct": 0}
    assert figures["5-1"] == {"yes": 1, "partly": 0, "no": 1}  # Brazil's draft is no data


def test_a_submitted_response_changes_the_rate_and_the_distributions(
        secretariat: User, world: Cycle) -> None:
    client = client_for(secretariat)
    url = reverse("reporting:analysis_cycle", kwargs={"pk": world.pk})
    before = client.get(url)
    submit(Response.objects.get(cycle=world, state__code="BRA"))
    after = client.get(url)
    assert after.context["rate"].submitted == before.context["rate"].submitted + 1
    assert _figures(before)["5-1"]["partly"] == 0
    assert _figures(after)["5-1"]["partly"] == 1
    overview = client.get(reverse("reporting:analysis"))
    rate = next(r for r in overview.context["figures"].cycles if r.key == world)
    assert rate.submitted == after.context["rate"].submitted


def test_the_report_opens_and_holds_the_cycles_figures(secretariat: User, world: Cycle) -> None:
    client = client_for(secretariat)
    rate = client.get(reverse("reporting:analysis_cycle", kwargs={"pk": world.pk})
                      ).context["rate"]
    response = client.get(reverse("reporting:analysis_report",
                                  kwargs={"pk": world.pk, "fmt": "docx"}))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(response.content)
    assert (f"{rate.submitted} of {rate.total} States in scope submitted their response "
            f"({rate.percent} %)") in text
    assert "Mexico" in text and "France" in text  # the States that answered
    assert "Compliance per provision" in text and "art. 5(1)(a)" in text
    assert "Training and technical assistance" in text


def test_the_report_is_printed_as_pdf_in_arabic(secretariat: User, world: Cycle) -> None:
    response = client_for(secretariat).get(
        reverse("reporting:analysis_report", kwargs={"pk": world.pk, "fmt": "pdf"})
        + "?language=ar")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_unknown_formats_and_languages_answer_404(secretariat: User, world: Cycle) -> None:
    client = client_for(secretariat)
    assert client.get(reverse("reporting:analysis_report",
                              kwargs={"pk": world.pk, "fmt": "odt"})).status_code == 404
    assert client.get(reverse("reporting:analysis_answers",
                              kwargs={"pk": world.pk, "fmt": "json"})).status_code == 404
    assert client.get(reverse("reporting:analysis_report",
                              kwargs={"pk": world.pk, "fmt": "docx"})
                      + "?language=xx").status_code == 404


def test_charts_carry_their_figures_as_text_and_a_table(secretariat: User,
                                                         world: Cycle) -> None:
    page = client_for(secretariat).get(reverse("reporting:analysis_compliance",
                                               kwargs={"pk": world.pk})).content.decode()
    assert "<svg" in page and 'role="img"' in page and "<desc" in page
    assert "url(#analysis-hatch)" in page and "<table>" in page


def test_filters_narrow_the_figures_to_a_regional_group_and_dates(
        secretariat: User, world: Cycle) -> None:
    from palermo.reference.models import RegionalGroup

    client = client_for(secretariat)
    url = reverse("reporting:analysis_cycle", kwargs={"pk": world.pk})
    grulac = RegionalGroup.objects.get(code="GRULAC")  # Mexico's, not France's
    assert _figures(client.get(url, {"group": grulac.pk}))["5-1"] == {
        "yes": 1, "partly": 0, "no": 0}
    later = client.get(url, {"start": "2999-01-01"})
    assert _figures(later)["5-1"] == {"yes": 0, "partly": 0, "no": 0}
    wrong = client.get(url, {"start": "2026-02-01", "end": "2026-01-01"})
    assert "The end cannot be before the start." in wrong.content.decode()


def test_an_answer_shown_by_a_confidential_answer_counts_only_where_that_one_does(
        secretariat: User, focal_point_b: User, world: Cycle) -> None:
    from palermo.reporting.models import Answer

    Answer.objects.filter(response__cycle=world, response__state__code="MEX",
                          question__code="5-1").update(confidential=True)
    url = reverse("reporting:analysis_cycle", kwargs={"pk": world.pk})
    assert _figures(client_for(secretariat).get(url))["5-2"]["agreement"] == 1
    # Counting A's 5-2 would tell that A's confidential 5-1 is yes or partly.
    assert _figures(client_for(focal_point_b).get(url))["5-2"]["agreement"] == 0


def test_an_invited_expert_of_state_a_sees_its_confidential_answer(
        focal_point_a: User, world: Cycle) -> None:
    from palermo.reporting.models import ResponseContributor
    from tests.personas import make_person

    expert = make_person("expert-analysis@example.org")
    ResponseContributor.objects.create(
        response=Response.objects.get(cycle=world, state__code="MEX"), user=expert,
        invited_by=focal_point_a)
    response = client_for(expert).get(
        reverse("reporting:analysis_answers", kwargs={"pk": world.pk, "fmt": "csv"}))
    body = _body(response, "csv")
    assert MARKER in body and PUBLIC_TEXT not in body  # its State's answers only


def test_exports_cannot_run_as_spreadsheet_formulas(secretariat: User, world: Cycle) -> None:
    from palermo.reporting.models import Answer

    Answer.objects.filter(response__cycle=world, response__state__code="FRA",
                          question__code="6-4").update(value="=HYPERLINK(\"x\")")
    response = client_for(secretariat).get(
        reverse("reporting:analysis_answers", kwargs={"pk": world.pk, "fmt": "xlsx"}))
    assert "'=HYPERLINK" in _xlsx_text(response.content)


def test_compliance_names_the_parties_the_reader_may_see(
        secretariat: User, focal_point_a: User, focal_point_b: User, world: Cycle) -> None:
    url = reverse("reporting:analysis_compliance", kwargs={"pk": world.pk}) + "?article=5"

    def parties(user: User) -> dict[str, list[tuple[str, bool]]]:
        page = client_for(user).get(url)
        return {f"{item.question.code}:{code}": [(a.state.code, a.confidential) for a in named]
                for provision, _chart in page.context["provisions"]
                for item in provision.questions for code, named in item.parties.items()}

    assert parties(secretariat)["6-5:yes"] == [("MEX", True)]
    assert parties(secretariat)["6-5:no"] == [("FRA", False)]
    assert parties(focal_point_a) == {"5-1:yes": [("MEX", False)], "6-5:yes": [("MEX", True)]}
    assert parties(focal_point_b) == {"5-1:no": [("FRA", False)], "6-5:no": [("FRA", False)]}


def test_number_summaries_leave_out_confidential_numbers_for_everyone_but_the_secretariat(
        secretariat: User, focal_point_b: User, world: Cycle) -> None:
    from palermo.reporting.models import Answer

    Answer.objects.filter(response__cycle=world, response__state__code="MEX",
                          question__code="6-1").update(confidential=True)
    url = reverse("reporting:analysis_cycle", kwargs={"pk": world.pk}) + "?section=all"

    def numbers(user: User) -> tuple[Any, ...]:
        page = client_for(user).get(url)
        summary = next(item.numbers for section in page.context["figures"]
                       for item in section.questions if item.question.code == "6-1")
        return summary.count, summary.minimum, summary.maximum, summary.mean

    assert numbers(secretariat) == (2, 3, 12, 7.5)
    assert numbers(focal_point_b) == (1, 3, 3, 3)


def test_the_page_speaks_the_readers_language(secretariat: User, world: Cycle) -> None:
    from palermo.reference.models import RegionalGroup

    page = client_for(secretariat).get(
        reverse("reporting:analysis_cycle", kwargs={"pk": world.pk}).replace("/en/", "/fr/"))
    assert "Is participation criminalized? [fr]" in page.content.decode()
    grulac = RegionalGroup.objects.get(code="GRULAC")
    name_fr = grulac.name_fr  # type: ignore[attr-defined]
    assert name_fr in [rate.label for rate in page.context["groups"]]


def test_a_state_the_reader_may_not_see_is_refused_on_the_needs_page_which_stays_unfiltered(
        focal_point_b: User, world: Cycle) -> None:
    from .analysis_world import state

    client = client_for(focal_point_b)
    url = reverse("reporting:analysis_needs", kwargs={"pk": world.pk})
    error = '<p class="error">Choose one of the States listed.</p>'
    # The second request is served from the kept content: the error is part of it.
    for _time in range(2):
        page = client.get(url, {"state": state("MEX").pk}).content.decode()
        assert error in page
        assert PUBLIC_TEXT in page and MARKER not in page  # France's own answers, unfiltered
    assert error in client.get(url, {"state": "not-a-number"}).content.decode()
    chosen = client.get(url, {"state": state("FRA").pk}).content.decode()
    assert error not in chosen and PUBLIC_TEXT in chosen
    french = client.get(url.replace("/en/", "/fr/"), {"state": state("MEX").pk})
    assert 'aria-invalid="true"' in french.content.decode()


def test_the_overview_links_each_cycle_to_its_analysis(secretariat: User, world: Cycle) -> None:
    for language in ("en", "ar"):
        with translation.override(language):
            url = reverse("reporting:analysis_cycle", kwargs={"pk": world.pk})
            page = client_for(secretariat).get(reverse("reporting:analysis"))
        assert f'<a href="{url}">' in page.content.decode()

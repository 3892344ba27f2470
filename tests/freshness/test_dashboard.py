"""The secretariat's dashboard (decision 3/2 h): coverage per provision with the parties that
designated no authority, and staleness per State, filtered, sorted and exported as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from palermo.freshness.models import Confirmation
from palermo.reference.models import State
from tests.personas import client_for

from .conftest import age_entries

DASHBOARD = "/en/freshness/dashboard/"
CSV = "/en/freshness/dashboard/staleness.csv"
COVERAGE_CSV = "/en/freshness/dashboard/coverage.csv"


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("url", [DASHBOARD, CSV, COVERAGE_CSV, DASHBOARD + "?status=stale",
                                 "/fr/freshness/dashboard/", "/ar/freshness/dashboard/"])
def test_only_the_secretariat_sees_the_dashboard(world, persona, editor_a, url):
    name, user = persona
    expected = 200 if name == "secretariat" else 404
    assert client_for(user).get(url).status_code == expected
    assert client_for(editor_a).get(url).status_code == 404


def test_staleness_shows_updated_confirmed_reminders_and_escalation(stale, secretariat):
    age_entries(State.objects.get(code="FRA"))  # nothing there: never updated
    Confirmation.objects.create(state=State.objects.get(code="NGA"), confirmed_by=secretariat,
                                confirmed_at=timezone.now())
    call_command("send_reminders", "--now", verbosity=0)
    rows = {row["code"]: row for row in csv_rows(client_for(secretariat).get(CSV))}
    mexico = rows["MEX"]
    assert mexico["last_updated"].startswith(stale.updated.date().isoformat())
    assert (mexico["status"], mexico["reminders"], mexico["escalated"],
            mexico["focal_point"]) == ("Stale", "1", "no", "yes")
    assert mexico["regional_groups"] == "GRULAC"
    assert rows["NGA"]["status"] == "Current" and rows["NGA"]["last_updated"] == ""
    assert rows["FRA"]["last_updated"] == "" and rows["FRA"]["status"] == "Stale"
    assert len(rows) == State.objects.count()


def test_the_table_is_filtered_by_regional_group_and_status(stale, secretariat):
    Confirmation.objects.create(state=State.objects.get(code="BRA"), confirmed_by=secretariat)
    client = client_for(secretariat)
    codes = [r["code"] for r in csv_rows(client.get(CSV + "?group=GRULAC&status=current"))]
    assert codes == ["BRA"]
    page = client.get(DASHBOARD + "?group=GRULAC&status=stale").content.decode()
    table = page[page.index('id="staleness-heading"'):page.index('id="coverage-heading"')]
    assert "Mexico" in table and "Brazil" not in table and "France" not in table
    assert "?group=GRULAC&amp;status=stale&amp;sort=-state" in page  # sorting keeps filters


def test_the_table_is_sorted_by_any_date_and_both_ways(stale, secretariat):
    Confirmation.objects.create(state=State.objects.get(code="BRA"), confirmed_by=secretariat)
    client = client_for(secretariat)
    newest_first = [r["code"] for r in csv_rows(client.get(CSV + "?sort=-confirmed"))]
    assert newest_first[0] == "BRA"
    oldest_first = [r["code"] for r in csv_rows(client.get(CSV + "?sort=updated"))]
    assert oldest_first[-1] == "MEX"  # the only State with entries; the rest never updated
    by_name = [r["state"] for r in csv_rows(client.get(CSV + "?sort=-state"))]
    assert by_name[0] == "Zimbabwe"


def test_unknown_filters_are_explained_and_change_nothing(stale, secretariat):
    client = client_for(secretariat)
    page = client.get(DASHBOARD + "?group=NOPE&sort=%3Cscript%3E")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Select a valid choice" in text and "<script>" not in text
    assert "Mexico" in text and "France" in text
    refused = client.get(CSV + "?status=whatever")
    assert refused.status_code == 400 and "status" in refused.content.decode()


def test_coverage_lists_the_parties_without_a_designation(world, secretariat):
    page = client_for(secretariat).get(DASHBOARD).content.decode()
    section = page[page.index('id="coverage-heading"'):]
    extradition = section[section.index("art. 16(5)(a)"):]
    extradition = extradition[:extradition.index("</tr>")]
    assert "/en/directory/states/bra/" in extradition  # a recorded party, no authority


def test_coverage_as_csv_names_the_parties_without_a_designation(world, secretariat):
    rows = csv_rows(client_for(secretariat).get(COVERAGE_CSV))
    extradition = next(r for r in rows if r["provision"] == "art-16-5-a")
    assert extradition["instrument"] == "untoc" and extradition["states_designating"] == "1"
    assert "BRA" in extradition["parties_without"].split()  # a recorded party, no authority
    assert "MEX" not in extradition["parties_without"].split()
    assert int(extradition["parties"]) == (int(extradition["parties_designating"])
                                           + len(extradition["parties_without"].split()))


def test_the_dashboard_reads_a_bounded_number_of_queries(stale, secretariat,
                                                         django_assert_max_num_queries):
    client = client_for(secretariat)
    call_command("send_reminders", "--now", verbosity=0)
    with django_assert_max_num_queries(10):
        assert client.get(DASHBOARD + "?group=GRULAC&sort=-updated").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(CSV).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(COVERAGE_CSV).status_code == 200

"""The secretariat's dashboard (decision 3/2 h), continued: the pending invitations, and the
chart of coverage and staleness over time with its table and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets

import pytest
from django.apps import apps
from django.utils import timezone

from palermo.accounts.models import Invitation, User
from palermo.directory.models import Authority, Designation
from palermo.freshness.models import Confirmation
from palermo.reference.models import State
from tests.directory.factories import make_authority
from tests.personas import client_for

DASHBOARD = "/en/freshness/dashboard/"
INVITATIONS_CSV = "/en/freshness/dashboard/invitations.csv"
HISTORY_CSV = "/en/freshness/dashboard/history.csv"


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def history_model(name: str):
    return apps.get_model("directory", name)


def month_start(months_ago: int) -> dt.datetime:
    """The first instant (UTC) of the month ``months_ago`` months before this one."""
    now = timezone.now()
    index = now.year * 12 + now.month - 1 - months_ago
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)


def backdate(authority: Authority, moment: dt.datetime) -> None:
    """Make an authority and its designation look created (and last changed) at ``moment``,
    in the entries and in their history."""
    Authority.objects.filter(pk=authority.pk).update(created_at=moment, updated_at=moment)
    Designation.objects.filter(authority=authority).update(created_at=moment, updated_at=moment)
    history_model("HistoricalAuthority").objects.filter(id=authority.pk).update(
        history_date=moment, created_at=moment, updated_at=moment)
    history_model("HistoricalDesignation").objects.filter(authority_id=authority.pk).update(
        history_date=moment, created_at=moment, updated_at=moment)


def invite(email: str, by: User, state: str = "MEX", **fields) -> Invitation:
    values = {"expires_at": timezone.now() + dt.timedelta(days=7),
              "role": Invitation.Role.EDITOR, **fields}
    return Invitation.objects.create(
        email=email, state=State.objects.get(code=state), invited_by=by,
        token_hash=secrets.token_hex(32), **values)


@pytest.fixture
def invitations(reference_data, secretariat) -> None:
    now = timezone.now()
    invite("pending-mex@example.org", secretariat)
    invite("pending-fra@example.org", secretariat, state="FRA", role=Invitation.Role.FOCAL_POINT,
           expires_at=now + dt.timedelta(days=2))
    invite("accepted@example.org", secretariat, accepted_at=now)
    invite("revoked@example.org", secretariat, revoked_at=now, revoked_by=secretariat)
    invite("expired@example.org", secretariat, expires_at=now - dt.timedelta(minutes=1))


def test_the_invitations_table_lists_the_pending_ones_only(invitations, secretariat):
    page = client_for(secretariat).get(DASHBOARD).content.decode()
    table = page[page.index('id="invitations-table"'):]
    table = table[:table.index("</table>")]
    assert "pending-mex@example.org" in table and "pending-fra@example.org" in table
    assert table.index("pending-fra@example.org") < table.index("pending-mex@example.org")
    assert "France" in table and "Focal point" in table and "secretariat@" in table
    for closed in ("accepted@", "revoked@", "expired@"):
        assert closed not in table
    assert "2 pending invitations" in table


def test_the_invitations_csv_lists_the_pending_ones_only(invitations, secretariat):
    rows = csv_rows(client_for(secretariat).get(INVITATIONS_CSV))
    assert [row["email"] for row in rows] == ["pending-fra@example.org",
                                              "pending-mex@example.org"]
    france = rows[0]
    assert (france["state_code"], france["role"]) == ("FRA", "focal_point")
    assert france["invited_by"] == secretariat.email
    assert france["sent"] and france["expires"] > france["sent"]


@pytest.fixture
def past(reference_data) -> dict[str, dt.datetime]:
    """Mexico designated an authority three months ago; Brazil five months ago, and its
    designation was deleted last month; Nigeria only confirmed its entries eight months ago."""
    mexico = make_authority(State.objects.get(code="MEX"), "MEXAUTH", "public")
    backdate(mexico, month_start(3) + dt.timedelta(days=10))
    brazil = make_authority(State.objects.get(code="BRA"), "BRAAUTH", "public")
    backdate(brazil, month_start(5) + dt.timedelta(days=10))
    designation = brazil.designations.get()
    designation_id = designation.pk
    designation.delete()
    deleted = month_start(1) + dt.timedelta(days=10)
    assert history_model("HistoricalDesignation").objects.filter(
        id=designation_id, history_type="-").update(history_date=deleted) == 1
    confirmed = month_start(8) + dt.timedelta(days=14)
    Confirmation.objects.create(state=State.objects.get(code="NGA"), confirmed_at=confirmed)
    return {"confirmed": confirmed, "deleted": deleted}


def test_the_history_counts_designations_in_force_and_stale_states(past, secretariat,
                                                                    settings):
    settings.PALERMO_STALE_AFTER_DAYS = 183
    rows = csv_rows(client_for(secretariat).get(HISTORY_CSV))
    months = [month_start(ago).strftime("%Y-%m") for ago in range(8, -1, -1)]
    assert [row["month"] for row in rows] == months  # since the first data
    covered = [int(row["states_with_designation"]) for row in rows]
    # Brazil from five months ago until last month; Mexico from three months ago.
    assert covered == [0, 0, 0, 1, 1, 2, 2, 1, 1]
    # Every State is stale but those that acted less than 183 days before the month's end:
    # Nigeria until six months after its confirmation, Brazil since its designation (and its
    # deletion), Mexico since its own.
    fresh = [1, 1, 1, 2, 2, 3, 2, 2, 2]
    states = State.objects.count()
    assert [int(row["stale_states"]) for row in rows] == [states - n for n in fresh]
    assert rows[-1]["taken_at"] <= timezone.now().isoformat()
    assert rows[-2]["taken_at"] == month_start(0).isoformat(timespec="seconds")


def test_the_history_goes_back_24_months_at_most(reference_data, secretariat):
    Confirmation.objects.create(state=State.objects.get(code="NGA"),
                                confirmed_at=month_start(40))
    rows = csv_rows(client_for(secretariat).get(HISTORY_CSV))
    assert len(rows) == 24
    assert rows[0]["month"] == month_start(23).strftime("%Y-%m")
    assert {row["states_with_designation"] for row in rows} == {"0"}


def test_the_chart_has_a_title_a_description_and_the_figures_in_a_table(past, secretariat):
    page = client_for(secretariat).get(DASHBOARD).content.decode()
    section = page[page.index('id="history-heading"'):page.index('id="invitations-heading"')]
    svg = section[section.index("<svg"):section.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="history-chart-title history-chart-desc"' \
        in svg
    assert '<title id="history-chart-title">Coverage and staleness over time</title>' in svg
    desc = svg[svg.index("<desc"):svg.index("</desc>")]
    assert "from 0 to 1" in desc and "dashed line" in desc
    assert "<script" not in section
    # Told apart without colour: a dashed line, round and square markers, named at the end.
    assert 'stroke-dasharray="7 4"' in svg and "<circle" in svg and "<rect" in svg
    assert "With a designation: 1" in svg and "Stale States: " in svg
    table = section[section.index('id="history-table"'):section.index("</table>")]
    assert section.index("</svg>") < section.index('id="history-table"')
    cells = re.findall(r"<tr><th scope=\"row\">.*?</tr>", table)
    assert len(cells) == 9
    assert "<td>2</td>" in cells[5]  # three months ago: Mexico and Brazil
    assert '/en/freshness/dashboard/history.csv' in section


def test_the_dashboard_reads_well_in_arabic(past, invitations, secretariat):
    response = client_for(secretariat).get("/ar/freshness/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'dir="rtl"' in page
    # The chart stays left to right.
    assert '<svg xmlns="http://www.w3.org/2000/svg" dir="ltr" direction="ltr"' in page
    assert "<bdi>pending-mex@example.org</bdi>" in page


@pytest.mark.parametrize("url", [INVITATIONS_CSV, HISTORY_CSV,
                                 "/fr/freshness/dashboard/history.csv"])
def test_only_the_secretariat_downloads_the_new_csvs(invitations, persona, url):
    name, user = persona
    expected = 200 if name == "secretariat" else 404
    response = client_for(user).get(url)
    assert response.status_code == expected
    if expected == 404:
        assert b"pending-mex" not in response.content


def test_the_new_parts_keep_the_dashboard_bounded(past, invitations, secretariat,
                                                   django_assert_max_num_queries):
    client = client_for(secretariat)
    with django_assert_max_num_queries(10):  # session and user included
        assert client.get(DASHBOARD).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(INVITATIONS_CSV).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(HISTORY_CSV).status_code == 200

"""The secretariat completes and corrects participation by import: all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from palermo.reference.models import Participation
from tests.personas import client_for

URL = "/en/participation/import/"
HEADER = "state,instrument,signature_date,consent_date,action,source,note\n"


def upload(client, text: str | bytes, language: str = "en", reason: str = ""):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        f"/{language}/participation/import/",
        {"file": SimpleUploadedFile("participation.csv", data, content_type="text/csv"),
         "reason": reason},
    )


def test_the_secretariat_imports_rows_that_then_show_on_the_pages(secretariat):
    client = client_for(secretariat)
    response = upload(client, HEADER
                      + "ZAF,uncac,2003-12-09,2004-11-22,r,UNTC-FR-XML,\n"
                      + "AFG,untoc,2000-12-14,2003-09-24,r,UNTC-EN-2024-05-04,checked again\n",
                      reason="completing UNCAC")
    assert response.status_code == 302
    record = Participation.objects.get(state__code="ZAF", instrument__code="uncac")
    assert record.consent_on == dt.date(2004, 11, 22)
    assert record.history.first().history_change_reason == "completing UNCAC"
    assert record.history.first().history_user == secretariat
    page = client.get(response["Location"]).content.decode()
    assert "1 created, 1 updated, 0 unchanged" in page
    assert "Nov. 22, 2004" in client.get("/en/states/zaf/").content.decode()


def test_one_bad_row_and_nothing_changes_with_every_error_listed(secretariat):
    before = list(Participation.objects.values_list("pk", "consent_on", "note"))
    response = upload(client_for(secretariat), HEADER
                      + "ZAF,uncac,2003-12-09,2004-11-22,r,UNTC-FR-XML,\n"
                      + "ALB,untoc,2001-12-12,2099-01-01,r,UNTC-EN-2024-05-04,\n"
                      + "XXX,untoc,2000-12-14,,,UNTC-EN-2024-05-04,\n"
                      + "AFG,untoc,2003-12-14,2002-09-24,r,UNTC-EN-2024-05-04,\n"
                      + "ALB,untoc,31/12/2001,2099-01-01,z,nowhere,\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert "nothing was changed" in html
    assert "No State or organization has the code “XXX”" in html
    assert "Ratification, acceptance or approval cannot precede signature." in html
    assert "is not a date in the form YYYY-MM-DD" in html
    assert "This date is in the future." in html
    assert "The action must be one of" in html
    assert "No source has the tag “nowhere”" in html
    assert "<td>4</td><td><code>state</code></td>" in html
    assert "<td>5</td><td><code>consent_date</code></td>" in html
    assert list(Participation.objects.values_list("pk", "consent_on", "note")) == before
    assert not Participation.objects.filter(state__code="ZAF", instrument__code="uncac").exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text (CSV) file"),
    ("state,instrument\nAFG,untoc\n", "The header has no column “source”"),
    (HEADER, "The file has no rows."),
    (HEADER + "AFG,untoc,2000-12-14,2003-09-24,r,UNTC-EN-2024-05-04,,extra\n",
     "more cells than the header"),
    (HEADER + "AFG,untoc,2000-12-14,2003-09-24,r,UNTC-EN-2024-05-04,\n"
     + "afg,UNTOC,2000-12-14,2003-09-24,r,UNTC-EN-2024-05-04,\n", "already in row 2"),
    (HEADER + "AFG,untoc,,2003-09-24,,UNTC-EN-2024-05-04,\n", "Say whether this was"),
    ("\ufeff".encode() + b"\xff\xfe bad", "not encoded in UTF-8"),
])
def test_malformed_files_are_refused_with_a_message(secretariat, content, message):
    count = Participation.objects.count()
    response = upload(client_for(secretariat), content)
    assert message in response.content.decode()
    assert Participation.objects.count() == count


def test_errors_are_reported_in_the_users_language(secretariat):
    response = upload(client_for(secretariat), HEADER + "XXX,untoc,2000-12-14,,,UNTC-FR-XML,\n",
                      language="fr")
    assert "Aucun État ni organisation n’a le code" in response.content.decode()


@pytest.mark.parametrize("name", ["anonymous", "practitioner_a", "focal_point_a"])
def test_only_the_secretariat_can_see_or_use_the_import(request, reference_data, name):
    user = None if name == "anonymous" else request.getfixturevalue(name)
    client = client_for(user)
    assert client.get(URL).status_code == 404
    count = Participation.objects.count()
    response = upload(client, HEADER + "ZAF,uncac,2003-12-09,2004-11-22,r,UNTC-FR-XML,\n")
    assert response.status_code == 404
    assert Participation.objects.count() == count


def test_the_import_command_applies_a_good_file(reference_data, tmp_path, capsys):
    path = tmp_path / "rows.csv"
    path.write_text(HEADER + "ZAF,uncac,2003-12-09,2004-11-22,r,UNTC-FR-XML,\n")
    call_command("import_participation", str(path))
    assert "1 created" in capsys.readouterr().out
    assert Participation.objects.filter(state__code="ZAF", instrument__code="uncac").exists()


def test_the_import_command_fails_on_a_bad_file_and_changes_nothing(reference_data, tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(HEADER + "ZAF,uncac,2003-12-09,2004-11-22,r,UNTC-FR-XML,\n"
                    + "XXX,uncac,2003-12-09,,,UNTC-FR-XML,\n")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_participation", str(path))
    assert not Participation.objects.filter(state__code="ZAF", instrument__code="uncac").exists()


def test_the_import_page_runs_a_bounded_number_of_queries(secretariat,
                                                          django_assert_max_num_queries):
    client = client_for(secretariat)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
    rows = "".join(f"{code},untoc,2000-12-14,2003-09-24,r,UNTC-EN-2024-05-04,\n"
                   for code in ("AFG", "ALB", "DZA", "AND", "AGO"))
    # 40 + recording once that the data changed + the second-factor check
    with django_assert_max_num_queries(42):
        upload(client, HEADER + rows)

"""Export and import of directory data in one format, as CSV, XLSX and JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from palermo.core.models import Visibility
from palermo.directory.exchange.schema import RECORD_TYPES
from palermo.directory.models import (
    Authority,
    ChecklistItem,
    ContactPerson,
    Designation,
    LawLink,
    OfficeHours,
    ProfileSection,
)
from tests.directory.factories import make_world
from tests.personas import STATE_A, client_for

EXPORT = "/en/directory/exchange/export/"
IMPORT = "/en/directory/exchange/import/"
MODELS = [Authority, OfficeHours, Designation, ContactPerson, ProfileSection, ChecklistItem,
          LawLink]


def export(client, fmt: str, edition: str = "full", state: str = STATE_A) -> bytes:
    response = client.get(EXPORT, {"state": state, "format": fmt, "edition": edition})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def upload(client, data: bytes, name: str, state: str = STATE_A, **extra: Any):
    return client.post(IMPORT, {
        "state": state, "file": SimpleUploadedFile(name, data), **extra})


def snapshot() -> list[Any]:
    """Every directory entry by what it says, not by its number in the database."""
    authorities = {a.pk: a for a in Authority.objects.all()}

    def tr(instance: Any, name: str) -> Any:  # translated columns, by their name
        return getattr(instance, name)

    def auth(pk: int) -> str:
        return tr(authorities[pk], "name_en")

    rows: list[Any] = []
    for a in authorities.values():
        rows.append(("authority", a.state_id, a.kind, tr(a, "name_en"), tr(a, "name_fr"),
                     tr(a, "name_ru"),
                     a.acronym, a.street_address, a.city, a.time_zone, a.website, a.email,
                     a.phone, a.channels, a.urgent_contact, a.visibility,
                     tr(a.parent, "name_en") if a.parent else None,
                     sorted(a.accepted_languages.values_list("code", flat=True))))
    rows += [("hours", auth(h.authority_id), h.weekday, h.opens, h.closes)
             for h in OfficeHours.objects.all()]
    rows += [("designation", auth(d.authority_id), d.provision_id, d.function,
              tr(d, "scope_note_en"), d.notified_on, d.source) for d in Designation.objects.all()]
    rows += [("contact", auth(c.authority_id), c.name, c.position, c.phone, c.email,
              c.visibility, sorted(c.languages.values_list("code", flat=True)))
             for c in ContactPerson.objects.all()]
    rows += [("section", s.state_id, s.measure, tr(s, "summary_en"), tr(s, "treaties_en"),
              tr(s, "costs_en"),
              s.untoc_legal_basis, s.visibility) for s in ProfileSection.objects.all()]
    rows += [("item", i.section.measure, i.position, tr(i, "text_en"))
             for i in ChecklistItem.objects.all()]
    rows += [("law", law.section.measure, law.title, law.url) for law in LawLink.objects.all()]
    return sorted(rows, key=repr)


def empty_directory() -> None:
    for model in reversed(MODELS):
        model._default_manager.all().delete()


def enrich(world) -> None:
    """Fields the world leaves empty: a child authority, a law, languages, a date."""
    child = Authority.objects.create(
        state=world.public_authority.state, kind=Authority.Kind.COMPETENT, name="Child office",
        name_en="Child office", name_ar="مكتب", name_zh_hans="办公室", time_zone="Europe/Paris",
        parent=world.public_authority, visibility=Visibility.PUBLIC)
    Designation.objects.filter(authority=world.public_authority).update(notified_on="2004-03-04")
    world.public_contact.languages.set(world.public_authority.accepted_languages.all())
    LawLink.objects.create(section=world.public_section, title="Ley; de extradición",
                           url="https://example.org/ley")
    assert child.pk


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_an_export_imported_into_an_empty_directory_gives_the_same_entries(
        world, secretariat, fmt):
    enrich(world)
    client = client_for(secretariat)
    before = snapshot()
    data = export(client, fmt)
    empty_directory()
    response = upload(client, data, f"directory.{fmt}", reason="restoring")
    assert response.status_code == 200
    html = response.content.decode()
    assert "errors — nothing was changed" not in html, html
    assert "Imported" in html
    assert snapshot() == before
    authority = Authority.objects.get(name_en="PUBLICAUTH name")
    assert authority.history.first().history_user == secretariat
    assert authority.history.first().history_change_reason == "restoring"
    # The same file again changes nothing: the references found the entries.
    again = upload(client, export(client, fmt), f"directory.{fmt}").content.decode()
    assert "0 created, 0 updated" in again
    assert snapshot() == before


def test_a_reimport_updates_entries_and_bumps_their_version(world, focal_point_a):
    client = client_for(focal_point_a)
    document = json.loads(export(client, "json"))
    authority = document["states"][0]["authorities"][0]
    authority["city"] = "Guadalajara"
    authority["accepted_languages"] = ["es"]
    count = Authority.objects.count()
    version = world.public_authority.version
    response = upload(client, json.dumps(document).encode(), "d.json")
    assert "0 created, 1 updated" in response.content.decode()
    world.public_authority.refresh_from_db()
    assert world.public_authority.city == "Guadalajara"
    assert world.public_authority.version == version + 1
    assert list(world.public_authority.accepted_languages.values_list("code", flat=True)) == [
        "es"]
    assert Authority.objects.count() == count


def test_new_entries_with_their_own_references_are_created_once(world, editor_a):
    client = client_for(editor_a)
    header = "record,state,authority_ref,kind,name_en,name_fr,time_zone,visibility,weekday," \
             "opens,closes,contact_ref,name\n"
    data = (header
            + "authority,MEX,fgr-uit,central,Unidad,Unité,America/Mexico_City,public,,,,,\n"
            + "office_hours,MEX,fgr-uit,,,,,,mon,08:30,16:00,,\n"
            + "contact,MEX,fgr-uit,,,,,restricted,,,,lic-perez,Lic. Pérez\n").encode()
    for _ in range(2):
        assert "Imported" in upload(client, data, "new.csv").content.decode()
    authority = Authority.objects.get(name_en="Unidad")
    assert authority.name_fr == "Unité"
    assert authority.office_hours.get().opens.hour == 8
    assert authority.contacts.get().visibility == Visibility.RESTRICTED
    assert "Unidad" in client.get("/en/directory/search/?q=unidad").content.decode()


CSV_HEADER = ("record,state,authority_ref,kind,name_en,time_zone,phone,channels,visibility,"
              "measure,order,text_en\n")


def test_every_error_is_listed_with_its_row_and_column_and_nothing_changes(
        world, focal_point_a):
    before = snapshot()
    data = (CSV_HEADER
            + "authority,MEX,ok-1,central,Fine,America/Mexico_City,+525555555555,email,public,,,\n"
            + "authority,MEX,bad-2,central,Bad,Mars/Olympus,555-1234,pigeon,secret,,,\n"
            + "authority,FRA,fra-3,central,Other State,Europe/Paris,,,public,,,\n"
            + "authority,MEX,,nonsense,,America/Mexico_City,,,public,,,\n"
            + "checklist_item,MEX,,,,,,,,torture,x,Item\n").encode()
    response = upload(client_for(focal_point_a), data, "bad.csv")
    html = response.content.decode()
    assert "errors — nothing was changed" in html
    expected = [
        (3, "time_zone", "is not a time zone of the IANA database"),
        (3, "phone", "is not a telephone number"),
        (3, "channels", "Choose channels from the list."),
        (3, "visibility", "is not a valid choice"),
        (4, "state", "This record belongs to FRA"),
        (5, "authority_ref", "This field is required."),
        (6, "order", "Write a whole number"),
    ]
    for row, column, message in expected:
        assert f"<td>{row}</td><td><code>{column}</code></td>" in html, (row, column)
        assert message in html
    assert "<td><code>authority</code></td><td>3</td>" in html
    assert not Authority.objects.filter(name_en="Fine").exists()
    assert snapshot() == before


def test_errors_are_in_the_users_language(world, focal_point_a):
    data = (CSV_HEADER + "authority,MEX,x,central,X,Nowhere/City,,,secret,,,\n").encode()
    response = client_for(focal_point_a).post(
        "/fr/directory/exchange/import/",
        {"state": STATE_A, "file": SimpleUploadedFile("bad.csv", data)})
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert "Nowhere/City" in html
    assert "n’est pas un choix valide" in html  # Django's own message, in French


def test_references_between_records_are_checked(world, focal_point_a):
    data = (CSV_HEADER.replace("\n", ",contact_ref,name\n")
            + "contact,MEX,nobody,,,,,,public,,,,c1,Someone\n"
            + "checklist_item,MEX,,,,,,,,sea,1,Item,,\n").encode()
    html = upload(client_for(focal_point_a), data, "refs.csv").content.decode()
    assert "No authority of MEX has the reference “nobody”" in html
    assert "MEX has no profile section for the measure “sea”" in html


def test_json_errors_point_at_their_path(world, focal_point_a):
    document = {"states": [{"state": "MEX", "authorities": [
        {"authority_ref": "a", "kind": "central", "name_en": "A", "time_zone": "UTC",
         "visibility": "public", "contacts": [{"contact_ref": "c", "email": "not-an-address",
                                               "visibility": "public"}]}]}]}
    html = upload(client_for(focal_point_a), json.dumps(document).encode(),
                  "d.json").content.decode()
    assert "states[0].authorities[0].contacts[0]" in html
    assert "<code>email</code>" in html and "<code>name</code>" in html


@pytest.mark.parametrize(("name", "content", "message"), [
    ("d.csv", b"", "The submitted file is empty."),
    ("d.xlsx", b"record,state\n", "This is not an XLSX spreadsheet."),
    ("d.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "This is not a text (CSV) file."),
    ("d.json", b"{not json", "This is not a JSON file."),
    ("d.pdf", b"%PDF-1.4", "Unknown format “pdf”"),
    ("d.csv", b"state,name\nMEX,x\n", "The header has no column “record”."),
    ("d.csv", b"record,state\n", "The file holds no records."),
    ("d.csv", b"record,state\nbogus,MEX\n", "Unknown record type “bogus”"),
    ("d.csv", b"record,name_en\nauthority,\"" + b"x" * 200_000 + b"\"\n",
     "The CSV file cannot be read"),
    ("d.json", b"[1, 2]", "must be an object with a list “states”"),
    ("d.csv", b"record\n" + b"x" * 20_000_001, "The file is larger than 20 MB."),
    ("d.json", b'{"states": [{"state": "MEX", "authorities": {"a": 1}}, 7]}',
     "Expected a list."),
])
def test_unreadable_files_get_a_clear_message(world, focal_point_a, name, content, message):
    before = snapshot()
    response = upload(client_for(focal_point_a), content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_an_xlsx_with_one_sheet_per_record_type_is_read(world, focal_point_a):
    data = export(client_for(focal_point_a), "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["authority", "office_hours", "designation", "contact",
                                   "profile_section", "checklist_item", "law_link"]
    sheet = workbook["authority"]
    sheet.append(["MEX", "new-ref", "", "central", "", "", "New one"])
    out = io.BytesIO()
    workbook.save(out)
    html = upload(client_for(focal_point_a), out.getvalue(), "d.xlsx").content.decode()
    assert "<code>time_zone</code>" in html and "<code>visibility</code>" in html
    assert "<td>4</td>" in html  # header, two authorities, then the new row


def test_a_check_only_import_changes_nothing_and_says_what_would_change(world, focal_point_a):
    data = (CSV_HEADER + "authority,MEX,n1,central,New,UTC,,,public,,,\n").encode()
    html = upload(client_for(focal_point_a), data, "d.csv",
                  check_only="on").content.decode()
    assert "Importing it would create 1, update 0" in html
    assert not Authority.objects.filter(name_en="New").exists()


@pytest.mark.parametrize("persona_name", ["practitioner_a", "focal_point_b"])
def test_others_cannot_import_for_the_state(world, request, persona_name):
    user = request.getfixturevalue(persona_name)
    data = (CSV_HEADER + "authority,MEX,n1,central,New,UTC,,,public,,,\n").encode()
    response = upload(client_for(user), data, "d.csv")
    assert response.status_code == 404
    if persona_name == "practitioner_a":
        assert client_for(user).get(IMPORT).status_code == 404
    else:  # a focal point of France may import only for France
        assert client_for(user).get(IMPORT).status_code == 200
        assert upload(client_for(user), data, "d.csv", state="all").status_code == 200
    assert not Authority.objects.filter(name_en="New").exists()


def test_anonymous_visitors_cannot_import(world, client):
    assert client.get(IMPORT).status_code == 404


def test_the_secretariat_imports_every_states_records_at_once(world, secretariat):
    data = (CSV_HEADER + "authority,MEX,m1,central,Mex one,UTC,,,public,,,\n"
            + "authority,FRA,f1,central,Fra one,Europe/Paris,,,public,,,\n").encode()
    html = upload(client_for(secretariat), data, "d.csv", state="all").content.decode()
    assert "2 created" in html
    assert Authority.objects.get(name_en="Fra one").state.code == "FRA"


def test_import_requires_the_second_factor(world, reference_data):
    from tests.personas import make_person

    focal = make_person("no-totp@example.org", state=STATE_A, role="focal_point",
                        second_factor=False)
    response = client_for(focal).get(IMPORT)
    assert response.status_code == 302


@pytest.mark.parametrize("persona_name", ["anonymous", "practitioner_a", "focal_point_b"])
def test_the_full_edition_is_refused_to_those_who_may_not_export_it(world, request,
                                                                    persona_name):
    user = None if persona_name == "anonymous" else request.getfixturevalue(persona_name)
    response = client_for(user).get(EXPORT, {"state": STATE_A, "format": "json",
                                             "edition": "full"})
    assert "You may export only the public entries of this State." in response.content.decode()
    public = export(client_for(user), "json", edition="public").decode()
    assert "PUBLICAUTH" in public and "SECRET" not in public


def test_the_export_page_offers_states_formats_and_editions(world, client):
    html = client.get(EXPORT).content.decode()
    assert "Mexico (MEX)" in html and "XLSX" in html and "Public entries only" in html
    assert "Every State" not in html


def test_the_secretariat_exports_every_state(world, secretariat):
    make_world(world.public_authority.state.__class__.objects.get(code="FRA"))
    data = export(client_for(secretariat), "json", state="all")
    codes = [s["state"] for s in json.loads(data)["states"]]
    assert codes == ["FRA", "MEX"]


def test_the_pages_run_a_bounded_number_of_queries(world, focal_point_a,
                                                   django_assert_max_num_queries):
    client = client_for(focal_point_a)
    with django_assert_max_num_queries(8):
        client.get(EXPORT)
    with django_assert_max_num_queries(8):
        assert client.get(IMPORT).status_code == 200
    with django_assert_max_num_queries(20):
        export(client, "csv")


def _many_authorities(count: int) -> bytes:
    rows = [CSV_HEADER.replace("\n", ",contact_ref,name,weekday,opens,closes\n")]
    for n in range(count):
        rows.append(f"authority,MEX,bulk-{n},central,Bulk {n},UTC,,,public,,,,,,,,\n")
        rows.append(f"contact,MEX,bulk-{n},,,,,,restricted,,,,c-{n},Person {n},,,\n")
        rows.append(f"office_hours,MEX,bulk-{n},,,,,,,,,,,,mon,09:00,17:00\n")
    return "".join(rows).encode()


@pytest.mark.parametrize("count", [5, 200])
def test_an_import_runs_a_few_queries_not_some_for_every_record(world, focal_point_a, count,
                                                           django_assert_max_num_queries):
    client = client_for(focal_point_a)
    # 600 records in 60 queries at most: inserts go in batches (of about 30 rows on SQLite).
    with django_assert_max_num_queries(60):
        html = upload(client, _many_authorities(count), "many.csv").content.decode()
    assert f"{count * 3} created" in html
    with django_assert_max_num_queries(25):  # and again, all found, nothing changed
        html = upload(client, _many_authorities(count), "many.csv").content.decode()
    assert "0 created, 0 updated" in html


def test_the_commands_export_and_import(world, tmp_path, capsys):
    path = tmp_path / "mex.xlsx"
    call_command("export_directory", "--state", "mex", "--format", "xlsx", "--edition",
                 "full", "--output", str(path))
    sheet = load_workbook(path)["authority"]
    assert "SECRETAUTH name" in [cell.value for row in sheet.iter_rows() for cell in row]
    call_command("import_directory", str(path), "--state", "MEX", "--check")
    assert "would import: 0 created" in capsys.readouterr().out
    bad = Workbook()
    bad.active.title = "authority"
    bad.active.append(["state", "authority_ref"])
    bad.active.append(["MEX", "x"])
    bad.save(tmp_path / "bad.xlsx")
    with pytest.raises(CommandError, match="error"):
        call_command("import_directory", str(tmp_path / "bad.xlsx"), "--state", "MEX")
    assert "authority, row 2, column kind: This field is required." in capsys.readouterr().err


DOCS = Path(__file__).resolve().parents[2] / "docs" / "directory-exchange.md"


def _block(language: str) -> str:
    text = DOCS.read_text()
    start = text.index(f"```{language}\n") + len(language) + 4
    return text[start:text.index("```", start)]


@pytest.mark.parametrize(("language", "name"), [("csv", "example.csv"),
                                                ("json", "example.json")])
def test_the_documented_examples_import_as_they_stand(reference_data, focal_point_a,
                                                      language, name):
    html = upload(client_for(focal_point_a), _block(language).encode(), name).content.decode()
    assert "nothing was changed" not in html, html
    authority = Authority.objects.get(name_en="International Affairs Unit")
    assert authority.office_hours.get().opens.hour == 9
    assert authority.designations.get().function == "receive_mla"


def test_every_field_of_the_format_is_documented(reference_data):
    text = DOCS.read_text()
    for record in RECORD_TYPES.values():
        assert f"**{record.name}**" in text
        for schema_field in record.fields:
            assert f"`{schema_field.name}" in text, schema_field.name


def test_dates_and_times_typed_into_a_spreadsheet_are_read(world, focal_point_a):
    import datetime as dt

    workbook = Workbook()
    hours = workbook.active
    hours.title = "office_hours"
    hours.append(["state", "authority_ref", "weekday", "opens", "closes"])
    hours.append(["MEX", f"A{world.public_authority.pk}", "Tue", dt.time(8), dt.time(15, 30)])
    designations = workbook.create_sheet("designation")
    designations.append(["state", "authority_ref", "instrument", "provision", "function",
                         "notified_on"])
    designations.append(["MEX", f"A{world.public_authority.pk}", "UNTOC", "art-18-13",
                         "receive_mla", dt.datetime(2005, 1, 31)])
    out = io.BytesIO()
    workbook.save(out)
    html = upload(client_for(focal_point_a), out.getvalue(), "typed.xlsx").content.decode()
    assert "1 created, 1 updated" in html, html
    assert world.public_authority.office_hours.get(weekday=1).closes == dt.time(15, 30)
    assert world.public_authority.designations.get().notified_on == dt.date(2005, 1, 31)


def test_entries_the_file_does_not_mention_are_left_alone(world, focal_point_a):
    client = client_for(focal_point_a)
    public_edition = export(client, "csv", edition="public")
    restricted_before = (world.restricted_authority.version,
                         world.restricted_authority.contacts.count(),
                         world.restricted_section.checklist.count())
    html = upload(client, public_edition, "public.csv").content.decode()
    assert "0 created, 0 updated" in html
    world.restricted_authority.refresh_from_db()
    assert (world.restricted_authority.version, world.restricted_authority.contacts.count(),
            world.restricted_section.checklist.count()) == restricted_before
    assert ContactPerson.objects.filter(name="SECRETPERSON person").exists()


def test_one_bad_row_in_a_thousand_changes_nothing_and_is_reported(world, focal_point_a):
    rows = [CSV_HEADER]
    for n in range(1000):
        zone = "Mars/Olympus" if n == 637 else "UTC"
        rows.append(f"authority,MEX,bulk-{n},central,Bulk {n},{zone},,,public,,,\n")
    html = upload(client_for(focal_point_a), "".join(rows).encode(), "k.csv").content.decode()
    assert "1 error — nothing was changed" in html
    assert "<td>639</td><td><code>time_zone</code></td>" in html
    assert not Authority.objects.filter(name_en__startswith="Bulk").exists()


def test_a_public_export_does_not_name_a_restricted_parent(world, client):
    world.public_authority.parent = world.restricted_authority
    world.public_authority.save()
    document = json.loads(export(client, "json", edition="public"))
    authority = document["states"][0]["authorities"][0]
    assert authority["name_en"] == "PUBLICAUTH name"
    assert authority["parent_ref"] == ""
    assert document["edition"] == "public"


def test_text_that_looks_like_a_formula_stays_text_in_a_spreadsheet(world, focal_point_a):
    Authority.objects.filter(pk=world.public_authority.pk).update(acronym="=1+1")
    data = export(client_for(focal_point_a), "xlsx")
    sheet = load_workbook(io.BytesIO(data))["authority"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=1+1"]
    assert cells and all(cell.data_type == "s" for cell in cells)
    html = upload(client_for(focal_point_a), data, "d.xlsx").content.decode()
    assert "0 created, 0 updated" in html


def test_reference_errors_are_listed_with_the_other_errors(world, focal_point_a):
    header = "record,state,authority_ref,kind,name_en,time_zone,visibility,weekday,opens,closes\n"
    data = (header
            + "authority,MEX,broken,central,Broken,Nowhere/City,public,,,\n"
            + "office_hours,MEX,broken,,,,,mon,09:00,17:00\n"
            + "office_hours,MEX,missing,,,,,tue,09:00,25:00\n"
            + "office_hours,MEX,missing,,,,,wed,09:00,17:00\n").encode()
    html = upload(client_for(focal_point_a), data, "refs.csv").content.decode()
    assert "<td>2</td><td><code>time_zone</code></td>" in html
    assert "<td>4</td><td><code>closes</code></td>" in html
    assert "<td>4</td><td><code>authority_ref</code></td>" not in html  # a row with errors
    assert "No authority of MEX has the reference “broken”" not in html  # declared, if wrong
    assert "<td>5</td><td><code>authority_ref</code></td>" in html
    assert "No authority of MEX has the reference “missing”" in html
    assert "3 errors — nothing was changed" in html


def test_over_long_text_and_nul_characters_are_refused(world, focal_point_a):
    document = {"states": [{"state": "MEX", "authorities": [
        {"authority_ref": "long", "kind": "central", "name_en": "Long\u0000", "time_zone": "UTC",
         "street_address": "x" * 501, "visibility": "public"}]}]}
    html = upload(client_for(focal_point_a), json.dumps(document).encode(),
                  "d.json").content.decode()
    assert "At most 500 characters; this has 501." in html
    assert "This cell holds a NUL character." in html
    assert not Authority.objects.filter(name_en__startswith="Long").exists()


# The rules as the importer checks them in bulk: each field's verdict on a value is taken once
# and given to every row with that value; the models' own clean() runs on every row.

def test_the_same_wrong_value_is_reported_on_every_row_that_has_it(world, focal_point_a):
    data = (CSV_HEADER
            + "authority,MEX,a-1,central,One,UTC,555-1234,email,secret,,,\n"
            + "authority,MEX,a-2,central,Two,UTC,+525555555555,email,public,,,\n"
            + "authority,MEX,a-3,central,Three,UTC,555-1234,email,secret,,,\n"
            + "authority,MEX,a-4,nonsense,Four,UTC,+525555555555,pigeon,public,,,\n").encode()
    html = upload(client_for(focal_point_a), data, "same.csv").content.decode()
    assert "6 errors — nothing was changed" in html
    for row, column in [(2, "phone"), (2, "visibility"), (4, "phone"), (4, "visibility"),
                        (5, "kind"), (5, "channels")]:
        assert f"<td>{row}</td><td><code>{column}</code></td>" in html, (row, column)
    assert html.count("is not a telephone number") == 2
    assert "<td>3</td><td><code>" not in html
    assert not Authority.objects.filter(name_en__in=["One", "Two", "Three", "Four"]).exists()


def test_office_hours_that_close_before_they_open_are_refused_on_every_row(
        world, focal_point_a):
    ref = f"A{world.public_authority.pk}"
    data = ("record,state,authority_ref,weekday,opens,closes\n"
            f"office_hours,MEX,{ref},mon,17:00,09:00\n"
            f"office_hours,MEX,{ref},tue,09:00,17:00\n"
            f"office_hours,MEX,{ref},wed,17:00,09:00\n"
            f"office_hours,MEX,{ref},thu,12:00,12:00\n").encode()
    html = upload(client_for(focal_point_a), data, "hours.csv").content.decode()
    assert "3 errors — nothing was changed" in html
    for row in (2, 4, 5):
        assert f"<td>{row}</td><td><code>closes</code></td>" in html, row
    assert html.count("The office must close after it opens.") == 3


def test_new_entries_get_numbers_never_used_and_a_history_naming_the_import(
        world, focal_point_a):
    client = client_for(focal_point_a)
    data = (CSV_HEADER.replace("\n", ",contact_ref,name,instrument,provision,function\n")
            + "authority,MEX,n-1,central,New one,UTC,,,public,,,,,,,,\n"
            + "contact,MEX,n-1,,,,,,public,,,,c-1,Someone,,,\n"
            + "designation,MEX,n-1,,,,,,,,,,,,untoc,art-18-13,receive_mla\n").encode()
    assert "3 created" in upload(client, data, "n.csv", reason="first").content.decode()
    first = Authority.objects.get(name_en="New one")
    Authority.objects.filter(pk=first.pk).delete()
    html = upload(client, data, "n.csv", reason="again").content.decode()
    assert "3 created" in html
    again = Authority.objects.get(name_en="New one")
    assert again.pk > first.pk  # a number once given is not given again
    contact, designation = again.contacts.get(), again.designations.get()
    for entry in (again, contact, designation):
        record = entry.history.get()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+", focal_point_a, "again")
    assert again.version == contact.version == 1
    assert again.created_at == again.updated_at == designation.created_at
    assert again.exchange_key.ref == "n-1"
    assert "New one" in client.get("/en/directory/search/?q=new+one").content.decode()


def test_the_page_takes_files_up_to_the_configured_size(world, focal_point_a, settings):
    settings.PALERMO_IMPORT_MAX_BYTES = 20_000  # and so at most 100 CSV records
    client = client_for(focal_point_a)
    assert "at most 0.02 MB" in client.get(IMPORT).content.decode()
    big = (CSV_HEADER + "authority,MEX,big,central,Big,UTC,,,public,,,\n"
           + "x" * 20_000).encode()
    assert "The file is larger than 0.02 MB." in upload(client, big, "big.csv").content.decode()
    rows = "".join(f"authority,MEX,r-{n},central,R {n},UTC,,,public,,,\n" for n in range(101))
    html = upload(client, (CSV_HEADER + rows).encode(), "many.csv").content.decode()
    assert "A file may hold at most 100 records." in html
    assert "<td>102</td>" in html
    assert not Authority.objects.filter(name_en__startswith="R ").exists()
    rows = "".join(f"authority,MEX,r-{n},central,R {n},UTC,,,public,,,\n" for n in range(100))
    assert "100 created" in upload(client, (CSV_HEADER + rows).encode(),
                                   "many.csv").content.decode()


def test_the_command_takes_a_file_larger_than_the_page_does(world, tmp_path, capsys,
                                                           settings):
    settings.PALERMO_IMPORT_MAX_BYTES = 1_000
    rows = "".join(f"authority,MEX,c-{n},central,C {n},UTC,,,public,,,\n" for n in range(40))
    path = tmp_path / "large.csv"
    path.write_text(CSV_HEADER + rows, encoding="utf-8")
    assert path.stat().st_size > 1_000
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_directory", str(path), "--max-bytes", "1000")
    assert "The file is larger than 0.001 MB." in capsys.readouterr().err
    call_command("import_directory", str(path), "--reason", "whole file")
    assert "Imported: 40 created" in capsys.readouterr().out
    assert Authority.objects.filter(name_en__startswith="C ").count() == 40


def test_csv_cells_outside_the_record_type_and_blank_lines(world, focal_point_a):
    header = "record,state,authority_ref,kind,name_en,time_zone,visibility,weekday,opens,closes\n"
    data = (header
            + "authority,MEX,b-1,central,Fine,UTC,public,,,\n"
            + "\n"
            + "authority,MEX,b-2,central,Stray,UTC,public,mon,,\n"
            + ",,,,,,,,,\n"
            + "office_hours,MEX,b-1,,,,,tue,09:00\n"
            + "office_hours,MEX,b-1,,,,,wed,09:00,17:00,extra\n").encode()
    html = upload(client_for(focal_point_a), data, "stray.csv").content.decode()
    assert ("A record of type “authority” has no field “weekday”; leave it empty."
            in html)
    assert "<td>3</td><td><code>weekday</code></td>" in html  # the blank line has no number
    assert "<td>5</td><td><code>closes</code></td>" in html  # a short row: cells left empty
    assert "This row has more cells than the header." in html
    assert "<td>6</td>" in html
    assert "3 errors — nothing was changed" in html


def test_the_cycle_collector_runs_again_after_an_import(world, focal_point_a):
    import gc

    client = client_for(focal_point_a)
    good = (CSV_HEADER + "authority,MEX,g-1,central,Good,UTC,,,public,,,\n").encode()
    bad = (CSV_HEADER + "authority,MEX,g-2,central,Bad,Nowhere/City,,,public,,,\n").encode()
    assert "1 created" in upload(client, good, "good.csv").content.decode()
    assert gc.isenabled()
    assert "nothing was changed" in upload(client, bad, "bad.csv").content.decode()
    assert gc.isenabled()


def test_the_same_wrong_day_or_time_is_reported_on_every_row(world, focal_point_a):
    ref = f"A{world.public_authority.pk}"
    data = ("record,state,authority_ref,weekday,opens,closes\n"
            f"office_hours,MEX,{ref},mon,09:00,25:00\n"
            f"office_hours,MEX,{ref},tue,09:00,17:00\n"
            f"office_hours,MEX,{ref},wed,09:00,25:00\n"
            f"office_hours,MEX,{ref},someday,09:00,17:00\n"
            f"office_hours,MEX,{ref},someday,10:00,17:00\n").encode()
    html = upload(client_for(focal_point_a), data, "hours.csv").content.decode()
    assert "4 errors — nothing was changed" in html
    for row, column in [(2, "closes"), (4, "closes"), (5, "weekday"), (6, "weekday")]:
        assert f"<td>{row}</td><td><code>{column}</code></td>" in html, (row, column)

"""The writer's pages, as practitioners use them."""

from __future__ import annotations

import pytest

from palermo.writer.models import Draft, Status
from tests.personas import client_for
from tests.writer.factories import MARKER, make_draft

pytestmark = pytest.mark.django_db


def test_a_practitioner_starts_a_request_prefilled_from_the_directory(writer_world):
    client = client_for(writer_world.author)
    response = client.post("/en/requests/new/", {
        "kind": "mla", "title": "Case 2026/17", "requesting_state": writer_world.requesting.pk,
        "requested_state": writer_world.requested.pk})
    draft = Draft.objects.get(title="Case 2026/17")
    assert response.status_code == 302
    assert response["Location"] == f"/en/requests/{draft.pk}/parties/"
    html = client.get(response["Location"]).content.decode()
    assert "Bureau central de test" in html  # the requested authority, from the directory
    assert "both States are parties" in html


def test_bad_input_on_a_new_request_is_explained_and_creates_nothing(writer_world):
    client = client_for(writer_world.author)
    response = client.post("/fr/requests/new/", {
        "kind": "mla", "title": "", "requesting_state": writer_world.requesting.pk,
        "requested_state": writer_world.requesting.pk})
    assert response.status_code == 400
    assert not Draft.objects.exists()


def test_every_step_renders_and_saves_without_javascript(writer_world):
    draft = make_draft(writer_world)
    client = client_for(writer_world.author)
    for step in ("start", "parties", "measures", "case", "persons", "assistance", "procedure",
                 "contact"):
        response = client.get(f"/en/requests/{draft.pk}/{step}/")
        assert response.status_code == 200, step
        assert MARKER in response.content.decode() or step in ("start", "parties", "measures")
    response = client.post(f"/en/requests/{draft.pk}/case/", {
        "version": draft.version, "facts": "New facts", "subject_matter": "Subject",
        "conducting_authority": "Prosecutor", "offences": "Laundering", "law_text": "Art. 1",
        "penalty": "Ten years", "next": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/requests/{draft.pk}/persons/"
    draft.refresh_from_db()
    assert draft.text("facts") == "New facts"


def test_rows_of_persons_are_added_and_blank_rows_ignored(writer_world):
    draft = make_draft(writer_world)
    client = client_for(writer_world.author)
    page = client.get(f"/en/requests/{draft.pk}/persons/").content.decode()
    assert 'name="persons-TOTAL_FORMS" value="3"' in page  # one saved row and two blank ones
    data = {"version": draft.version, "save": "1"}
    for key, count in (("persons", 3), ("accounts", 3), ("items", 2)):
        data.update({f"{key}-TOTAL_FORMS": count, f"{key}-INITIAL_FORMS": 0})
    data.update({"persons-0-name": "First", "persons-0-role": "suspect",
                 "persons-1-name": "Second", "persons-1-role": "witness",
                 "accounts-0-number": "ACC-1"})
    assert client.post(f"/en/requests/{draft.pk}/persons/", data).status_code == 302
    draft.refresh_from_db()
    assert [row["name"] for row in draft.rows("persons")] == ["First", "Second"]
    assert [row["number"] for row in draft.rows("accounts")] == ["ACC-1"]
    assert draft.rows("items") == []


def test_two_people_save_the_same_step_the_second_is_refused_and_keeps_their_text(writer_world):
    from palermo.writer import services

    draft = make_draft(writer_world)
    services.draft_share(draft=draft, user=writer_world.author, colleagues=[writer_world.colleague])
    opened = draft.version
    first, second = client_for(writer_world.author), client_for(writer_world.colleague)
    fields = {"subject_matter": "S", "conducting_authority": "C", "offences": "O",
              "law_text": "L", "penalty": "P", "save": "1"}
    assert first.post(f"/en/requests/{draft.pk}/case/",
                      {**fields, "version": opened, "facts": "FIRSTVERSION"}).status_code == 302
    response = second.post(f"/en/requests/{draft.pk}/case/",
                           {**fields, "version": opened, "facts": "SECONDVERSION"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "FIRSTVERSION" in html and "SECONDVERSION" in html
    draft.refresh_from_db()
    assert draft.text("facts") == "FIRSTVERSION"
    # Saving again over the current version is deliberate, and works.
    assert second.post(f"/en/requests/{draft.pk}/case/",
                       {**fields, "version": draft.version,
                        "facts": "SECONDVERSION"}).status_code == 302


def test_autosave_answers_htmx_with_the_new_version_and_what_is_missing(writer_world):
    draft = make_draft(writer_world)
    client = client_for(writer_world.author)
    response = client.post(f"/en/requests/{draft.pk}/procedure/", {
        "version": draft.version, "purpose": "", "procedure": "x", "confidential": "on",
        "confidentiality": "c", "urgency_reason": "u"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{draft.version + 1}"' in html
    assert "The purpose for which the evidence" in html


def test_a_request_missing_facts_and_purpose_cannot_be_submitted(writer_world):
    from palermo.writer import services

    draft = make_draft(writer_world)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="case", content={"facts": "", "purpose": ""})
    client = client_for(writer_world.author)
    response = client.post(f"/en/requests/{draft.pk}/submit/", {"version": draft.version})
    html = response.content.decode()
    assert response.status_code == 422
    assert "A summary of the relevant facts" in html
    assert f'href="/en/requests/{draft.pk}/case/#field-facts"' in html
    assert "The purpose for which the evidence, information or action is sought" in html
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_complete_request_is_submitted_and_then_read_only(writer_world):
    draft = make_draft(writer_world)
    client = client_for(writer_world.author)
    response = client.post(f"/en/requests/{draft.pk}/submit/", {"version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert client.get(f"/en/requests/{draft.pk}/case/").status_code == 302


def test_the_language_warning_shows_on_the_overview(writer_world):
    from palermo.reference.models import Language
    from palermo.writer import services

    draft = make_draft(writer_world)
    services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                        section="parties",
                        fields={"drafting_language": Language.objects.get(code="es")})
    html = client_for(writer_world.author).get(f"/en/requests/{draft.pk}/").content.decode()
    assert "which the requested State does not accept" in html


@pytest.mark.parametrize("who", ["other_practitioner", "practitioner_b", "colleague",
                                 "reviewer"])
def test_nobody_else_reaches_a_draft(writer_world, who, secretariat, focal_point_a):
    draft = make_draft(writer_world)
    for user in (getattr(writer_world, who), secretariat, focal_point_a):
        client = client_for(user)
        for path in ("", "case/", "share/"):
            assert client.get(f"/en/requests/{draft.pk}/{path}").status_code == 404
        assert client.post(f"/en/requests/{draft.pk}/submit/",
                           {"version": draft.version}).status_code == 404
        listing = client.get("/en/requests/?q=RAFTSECRE").content.decode()  # not echoed whole
        assert MARKER not in listing


def test_anonymous_visitors_are_sent_to_sign_in(writer_world):
    draft = make_draft(writer_world)
    response = client_for(None).get(f"/en/requests/{draft.pk}/")
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


def test_the_author_finds_the_request_in_the_list(writer_world):
    make_draft(writer_world)
    html = client_for(writer_world.author).get("/en/requests/?q=" + MARKER).content.decode()
    assert f"{MARKER} ref" in html


def test_sharing_with_a_colleague_lets_them_edit(writer_world):
    draft = make_draft(writer_world)
    author = client_for(writer_world.author)
    page = author.get(f"/en/requests/{draft.pk}/share/").content.decode()
    assert str(writer_world.colleague) in page
    assert str(writer_world.other_practitioner) not in page
    assert author.post(f"/en/requests/{draft.pk}/share/",
                       {"colleagues": [writer_world.colleague.pk]}).status_code == 302
    assert client_for(writer_world.colleague).get(f"/en/requests/{draft.pk}/case/") \
        .status_code == 200
    # A person outside the authority cannot be slipped in.
    response = author.post(f"/en/requests/{draft.pk}/share/",
                           {"colleagues": [writer_world.other_practitioner.pk]})
    assert response.status_code == 400


def test_a_checklist_item_confirmed_in_one_language_stays_confirmed_in_another(writer_world):
    from django.utils import translation

    from palermo.directory.models import ChecklistItem
    from palermo.writer import services
    from tests.writer.factories import CHECKLIST

    item = ChecklistItem.objects.get(text=CHECKLIST)
    item.text_es = "Copia certificada de las disposiciones aplicadas"
    item.save()
    draft = make_draft(writer_world)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="contact", content={"checklist_confirmed": []})
    client = client_for(writer_world.author)
    page = client.get(f"/es/requests/{draft.pk}/contact/").content.decode()
    assert "Copia certificada de las disposiciones aplicadas" in page
    response = client.post(f"/es/requests/{draft.pk}/contact/", {
        "version": draft.version, "contact_name": "Duty", "contact_email": "d@example.org",
        "checklist_confirmed": [str(item.pk)], "annexes-TOTAL_FORMS": 0,
        "annexes-INITIAL_FORMS": 0, "save": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    with translation.override("en"):
        lacking, _warnings = services.completeness(draft, user=writer_world.author)
    assert lacking == []

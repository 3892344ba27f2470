"""The request as DOCX and PDF: every element of the request, the checklist annex, the fixed
text in any of the six languages (two side by side), the practitioner's text as written, and
only for those who may see the draft."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from typing import Any

import docx
import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from palermo.reference.citations import format_citation
from palermo.reference.models import Language
from palermo.writer import services
from palermo.writer.models import Event
from tests.editions.readers import docx_text, pdf_text, squeeze
from tests.personas import client_for, make_person
from tests.writer.factories import CHECKLIST, COMPLETE_CONTENT, MARKER, make_draft

ARABIC_FACTS = "قام المشتبه بهم بتحويل الأموال إلى حساب مصرفي في باريس"
CHINESE_FACTS = "嫌疑人将资金转入巴黎的一个银行账户"
# A msgid of the frame: the closing formula (translated by the lead with all .po files).
CLOSING = ("The requesting authority thanks the competent authorities of %(state)s for their "
           "assistance and remains at their disposal for any further information needed to "
           "execute this request.")


def url(draft: Any, fmt: str, query: str = "", lang: str = "en") -> str:
    return f"/{lang}/requests/{draft.pk}/request.{fmt}" + (f"?{query}" if query else "")


def download(client: Any, draft: Any, fmt: str, query: str = "", lang: str = "en") -> bytes:
    response = client.get(url(draft, fmt, query, lang))
    assert response.status_code == 200, response.content[:500]
    return response.content


def texts_of(value: Any) -> Iterator[str]:
    """Every text the practitioner wrote in a content value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from texts_of(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_of(item)


def written_in(world: Any, language: str, facts: str) -> Any:
    draft = make_draft(world)
    return services.draft_save(
        draft=draft, user=world.author, version=draft.version, section="case",
        fields={"drafting_language": Language.objects.get(code=language)},
        content={"facts": facts})


@pytest.mark.django_db
def test_the_docx_opens_and_contains_every_element(writer_world):
    draft = make_draft(writer_world)
    response = client_for(writer_world.author).get(url(draft, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert response["Content-Disposition"] == (
        f'attachment; filename="request-{draft.pk}-draftsecret-ref-en.docx"')
    assert response["Cache-Control"] == "private, no-store"
    document = docx.Document(io.BytesIO(response.content))
    assert document.tables  # the letterhead, the sections' tables, the annex
    text = docx_text(response.content)
    for key, value in COMPLETE_CONTENT.items():
        if key in ("confidential", "checklist_confirmed"):
            continue  # a choice, and the requested State's items (checked below)
        for written in texts_of(value):
            assert written in text, (key, written)
    for expected in [
        "Request for mutual legal assistance in a criminal matter",
        f"{MARKER} ref",  # the reference of the requesting authority
        f"Requesting authority ({format_citation(18, 15, 'a')})",
        "Fiscalía Central de Prueba", "Bureau central de test", "Mexico", "France",
        "United Nations Convention against Transnational Organized Crime, art. 18",
        "Suspect or accused person",
        "Urgent: the result is needed by",
        f"Confidential ({format_citation(18, 20)})",
        f"Procedure to be followed ({format_citation(18, 17)})",
        "Name of the signatory", "Signature and seal",
        "Annex: checklist of the request", CHECKLIST,
    ]:
        assert expected in text, expected
    for letter in "abcdef":
        assert format_citation(18, 15, letter) in text
    assert "Missing" not in text  # a complete request lacks nothing
    assert Event.objects.filter(draft=draft, action=Event.Action.DOCUMENT,
                                note=f"request-{draft.pk}-draftsecret-ref-en.docx").exists()


@pytest.mark.django_db
def test_the_annex_marks_what_is_missing(writer_world):
    draft = make_draft(writer_world)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="case",
                                content={"facts": "", "checklist_confirmed": []})
    text = docx_text(download(client_for(writer_world.author), draft, "docx"))
    assert f"Missing\nA summary of the relevant facts ({format_citation(18, 15, 'c')})" in text
    assert f"Missing\n{CHECKLIST}" in text
    assert (f"Present\nThe purpose for which the evidence, information or action is sought "
            f"({format_citation(18, 15, 'f')})") in text
    assert "Summary of the relevant facts" not in text  # no empty section in the request


@pytest.mark.django_db
def test_the_pdf_in_arabic_has_the_arabic_text_and_runs_right_to_left(writer_world):
    draft = written_in(writer_world, "ar", ARABIC_FACTS)
    client = client_for(writer_world.author)
    text = pdf_text(download(client, draft, "pdf", "language=ar"))
    assert all(word in text for word in ARABIC_FACTS.split()) \
        or squeeze(ARABIC_FACTS) in squeeze(text)
    assert "فرنسا" in text  # the requested State, by its Arabic name
    assert MARKER in text  # the rest of what was written, as written
    word = download(client, draft, "docx", "language=ar")
    assert "فرنسا" in docx_text(word) and ARABIC_FACTS in docx_text(word)
    body = docx.Document(io.BytesIO(word)).element.body.xml
    assert "<w:bidi/>" in body and "<w:rtl/>" in body


@pytest.mark.django_db
def test_arabic_user_text_runs_right_to_left_in_an_english_frame(writer_world):
    draft = written_in(writer_world, "ar", ARABIC_FACTS)
    word = download(client_for(writer_world.author), draft, "docx", "language=en")
    document = docx.Document(io.BytesIO(word))
    facts = next(p for p in document.paragraphs if p.text == ARABIC_FACTS)
    assert facts._p.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") is not None
    assert "Summary of the relevant facts" in docx_text(word)


@pytest.mark.django_db
def test_the_pdf_in_chinese_has_the_chinese_text(writer_world):
    draft = written_in(writer_world, "zh", CHINESE_FACTS)
    text = pdf_text(download(client_for(writer_world.author), draft, "pdf",
                             "language=zh-hans"))
    assert squeeze(CHINESE_FACTS) in squeeze(text)
    assert "法国" in text  # France, in Chinese


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "state"), [("ar", "فرنسا"), ("zh-hans", "法国")])
def test_the_fixed_text_is_in_the_language_asked_for(writer_world, language, state):
    """The closing formula in the language asked for: its translation once the catalogue has
    one, the English msgid until then; either way the frame is printed in that language."""
    draft = make_draft(writer_world)
    with override(language):
        closing = gettext(CLOSING) % {"state": state}
    client = client_for(writer_world.author)
    assert closing in docx_text(download(client, draft, "docx", f"language={language}"))
    text = pdf_text(download(client, draft, "pdf", f"language={language}"))
    # Untranslated, the English words run inside a right-to-left paragraph: the sentence's
    # final full stop moves to its start, so the words are compared without punctuation.
    printed = unicodedata.normalize("NFKC", closing)  # as pdf_text reads it back
    assert squeeze(printed) in squeeze(text) \
        or all(word.strip(".,،") in text for word in printed.split())


@pytest.mark.django_db
def test_side_by_side_has_both_languages_and_the_users_text_once(writer_world):
    draft = make_draft(writer_world)
    text = docx_text(download(client_for(writer_world.author), draft, "docx",
                              "language=en&second=fr"))
    for language, state in (("en", "France"), ("fr", "France")):
        with override(language):
            assert gettext(CLOSING) % {"state": state} in text
            assert gettext("Name of the signatory") in text
            assert gettext("Annex: checklist of the request") in text
    assert "Mexique" in text and "Mexico" in text  # the States' names in both languages
    assert text.count(COMPLETE_CONTENT["facts"]) == 1


@pytest.mark.django_db
def test_side_by_side_with_arabic_prints_both(writer_world):
    draft = make_draft(writer_world)
    client = client_for(writer_world.author)
    text = pdf_text(download(client, draft, "pdf", "language=en&second=ar"))
    assert "France" in text and "فرنسا" in text
    assert "Annex: checklist of the request" in text


@pytest.mark.django_db
def test_the_drafts_languages_are_the_default(writer_world):
    draft = make_draft(writer_world)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="start", fields={"output_language": "fr",
                                                         "second_output_language": "es"})
    response = client_for(writer_world.author).get(url(draft, "docx"))
    assert response["Content-Disposition"].endswith('-fr-es.docx"')
    text = docx_text(response.content)
    assert "Mexique" in text and "México" in text
    single = client_for(writer_world.author).get(url(draft, "docx", "second="))
    assert single["Content-Disposition"].endswith('-fr.docx"')


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "shown"), [
    ("language=xx", "xx"), ("language=en&second=klingon", "klingon"), ("language=", "French"),
])
def test_a_language_that_cannot_be_printed_is_refused_with_a_message(writer_world, query,
                                                                     shown):
    draft = make_draft(writer_world)
    response = client_for(writer_world.author).get(url(draft, "pdf", query, lang="fr"))
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    with override("fr"):  # the message in the user's language
        assert gettext(shown) in response.content.decode()
    assert not Event.objects.filter(draft=draft, action=Event.Action.DOCUMENT).exists()


@pytest.mark.django_db
def test_the_same_language_twice_is_printed_once(writer_world):
    draft = make_draft(writer_world)
    response = client_for(writer_world.author).get(url(draft, "docx", "language=fr&second=fr"))
    assert response["Content-Disposition"].endswith('-fr.docx"')
    with override("fr"):
        assert docx_text(response.content).count(gettext("Annex: checklist of the request")) == 1


@pytest.mark.django_db
def test_an_unknown_format_is_not_found(writer_world):
    draft = make_draft(writer_world)
    assert client_for(writer_world.author).get(url(draft, "odt")).status_code == 404


@pytest.mark.django_db
def test_a_colleague_it_is_shared_with_and_the_reviewer_may_download(writer_world):
    draft = make_draft(writer_world)
    services.draft_share(draft=draft, user=writer_world.author,
                         colleagues=[writer_world.colleague])
    assert client_for(writer_world.colleague).get(url(draft, "docx")).status_code == 200
    assert client_for(writer_world.reviewer).get(url(draft, "pdf")).status_code == 404
    draft = services.draft_submit(draft=draft, user=writer_world.author, version=draft.version)
    assert client_for(writer_world.reviewer).get(url(draft, "pdf")).status_code == 200


@pytest.mark.django_db
def test_it_is_not_found_for_anyone_else(writer_world, secretariat):
    draft = make_draft(writer_world)
    services.draft_submit(draft=draft, user=writer_world.author, version=draft.version)
    focal_point = make_person("focal-mex@example.org", state="MEX", role="focal_point")
    for user in [writer_world.other_practitioner, writer_world.practitioner_b,
                 writer_world.colleague, secretariat, focal_point]:
        for fmt in ("docx", "pdf"):
            response = client_for(user).get(url(draft, fmt))
            assert response.status_code == 404, (user, fmt)
            assert MARKER not in response.content.decode(errors="replace")
    assert not Event.objects.filter(draft=draft, action=Event.Action.DOCUMENT).exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(writer_world):
    draft = make_draft(writer_world)
    response = client_for(None).get(url(draft, "pdf"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url(draft, 'pdf')}"
    assert MARKER not in response.content.decode()


@pytest.mark.django_db
def test_the_download_reads_a_bounded_number_of_queries(writer_world,
                                                        django_assert_max_num_queries):
    draft = make_draft(writer_world)
    client = client_for(writer_world.author)
    with django_assert_max_num_queries(12):
        assert client.get(url(draft, "docx")).status_code == 200


KIND_CONTENT = {
    "extradition": ({"extradition_purpose": "enforcement", "warrant": f"{MARKER} warrant 12/2026",
                     "persons": [{"name": f"{MARKER} Sought", "role": "person_sought"}]},
                    [format_citation(16), "For the enforcement of a sentence",
                     f"{MARKER} warrant 12/2026", "Person sought"],
                    f"The sentence imposed and what remains to be served "
                    f"({format_citation(16, 12)})"),
    "transfer": ({"sentence": f"{MARKER} eight years", "consent": "given"},
                 [format_citation(17), "The sentenced person consents to the transfer.",
                  f"{MARKER} eight years"],
                 f"The part of the sentence that remains to be served ({format_citation(17)})"),
    "confiscation": ({"property": f"{MARKER} a house in Lyon",
                      "measure_details": {"13-1-a": {"description": f"{MARKER} confiscate",
                                                     "link": f"{MARKER} bought with proceeds"}}},
                     [format_citation(13), format_citation(13, 3, "a"), f"{MARKER} a house in Lyon",
                      f"{MARKER} bought with proceeds"],
                     f"The purpose for which the evidence, information or action is sought "
                     f"({format_citation(18, 15, 'f')})"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(KIND_CONTENT))
def test_each_kind_of_request_cites_its_article_and_lists_its_own_elements(writer_world, kind):
    content, expected, missing = KIND_CONTENT[kind]
    draft = services.draft_create(user=writer_world.author, kind=kind, title=f"{MARKER} {kind}",
                                  requesting_state=writer_world.requesting,
                                  requested_state=writer_world.requested)
    fields = {"measures": list(content.get("measure_details", {}))}
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="test", fields=fields, content=content)
    client = client_for(writer_world.author)
    text = docx_text(download(client, draft, "docx"))
    for item in expected:
        assert item in text, item
    assert f"Missing\n{missing}" in text
    assert MARKER in pdf_text(download(client, draft, "pdf"))


@pytest.mark.django_db
def test_a_request_with_nothing_written_yet_prints_with_everything_missing(writer_world):
    draft = services.draft_create(user=writer_world.author, kind="mla", title="new",
                                  requesting_state=writer_world.requesting)
    client = client_for(writer_world.author)
    text = docx_text(download(client, draft, "docx"))
    assert "Missing\nThe requested State" in text
    assert f"Missing\nA summary of the relevant facts ({format_citation(18, 15, 'c')})" in text
    assert "Missing\nThe authority of the requested State the request is addressed to" in text
    # What the directory filled in is there: the authority making the request.
    assert (f"Present\nThe identity of the authority making the request "
            f"({format_citation(18, 15, 'a')})") in text
    assert "Annex: checklist of the request" in pdf_text(download(client, draft, "pdf"))

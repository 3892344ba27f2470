"""Every reference a screen reader follows points at something on the same page.

Django gives each rendered widget ``aria-describedby="<id>_helptext <id>_error"`` when its
field has help or errors, and Palermo's templates render most fields by hand: if the help or
the error list carries another id, or none, the screen reader is sent to nothing and reads the
field without its help or its error. These tests open the forms as the people who use them,
with input that is refused so that the errors show, and check the ids on each page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from palermo.accounts.models import User
from palermo.reporting.models import Cycle, Response
from palermo.writer.models import Status
from tests.directory.factories import make_world
from tests.personas import PASSWORD, client_for
from tests.reporting.analysis_world import *  # noqa: F403 - the analysis world's fixtures
from tests.reporting.cycles_world import *  # noqa: F403 - the cycles world's fixtures
from tests.reporting.cycles_world import question, save_section, section_url, version_on_page
from tests.reporting.factories import draft_version
from tests.writer.factories import make_draft, make_writer_world

pytestmark = pytest.mark.django_db

REFERENCE_ATTRIBUTES = ("aria-describedby", "aria-labelledby", "for")


class IdReferences(HTMLParser):
    """The ids a page declares, and the ids its attributes refer to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1
            elif name in REFERENCE_ATTRIBUTES:
                for target in (value or "").split() or [""]:
                    self.references.append((tag, name, target))

    handle_startendtag = handle_starttag


def problems_of(html: str) -> list[str]:
    """What is wrong with the page's ids: references to nothing, and ids given twice."""
    parser = IdReferences()
    parser.feed(html)
    parser.close()
    found = [f'<{tag} {attribute}="{target}"> names no element of the page'
             for tag, attribute, target in parser.references if target not in parser.ids]
    found += [f'id="{value}" is given to {count} elements'
              for value, count in parser.ids.items() if count > 1]
    return found


def checked(response: Any, *, status: int = 200, shows: str | None = None) -> str:
    """The page's HTML, once it is the page the test meant to open."""
    html: str = response.content.decode()
    assert response.status_code == status, re.findall(r'class="errors?"[^>]*>.{0,200}', html)
    if shows is not None:
        assert shows in html, f"{shows!r} is not on the page"
    return html


# Each page is a function of the test's fixture request that returns one or more rendered
# pages (name, HTML). Where a form is posted with refused input, `shows` is one of the error
# messages, so that the test fails if the page stops showing errors at all.
Pages = list[tuple[str, str]]


def sign_in(request: pytest.FixtureRequest) -> Pages:
    client = Client()
    url = reverse("accounts:login")
    return [("sign-in", checked(client.get(url))),
            ("sign-in, bad address", checked(
                client.post(url, {"login": "not an address", "password": "x"}),
                shows="valid email address"))]


def password_reset(request: pytest.FixtureRequest) -> Pages:
    url = reverse("account_reset_password")
    return [("password reset, bad address", checked(
        Client().post(url, {"email": "not an address"}), shows="valid email address"))]


def _invite(client: Client, **data: str) -> Any:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("accounts:invitation_create"), {"language": "en", **data})


def invitation(request: pytest.FixtureRequest) -> Pages:
    client = client_for(request.getfixturevalue("focal_point_a"))
    refused = _invite(client, email="not an address", role="editor", state="MEX")
    return [("invitation form", checked(client.get(reverse("accounts:invitation_create")))),
            ("invitation, bad address", checked(refused, shows="valid email address"))]


def sign_up(request: pytest.FixtureRequest) -> Pages:
    """Accepting an invitation is how an account is made: with a password that is refused."""
    request.getfixturevalue("settings").TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _invite(client_for(request.getfixturevalue("focal_point_a")), email="ana@example.org",
            role="practitioner", state="MEX")
    found = re.search(re.escape(settings.PALERMO_SITE_URL.rstrip("/")) + r"(/\S+)",
                      str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    link = found[1]
    client = Client()
    refused = client.post(link, {"first_name": "Ana", "last_name": "", "password1": "short",
                                 "password2": "other"})
    return [("sign-up", checked(client.get(link))),
            ("sign-up, refused password", checked(refused, shows="error"))]


def second_factor_setup(request: pytest.FixtureRequest) -> Pages:
    client = client_for(request.getfixturevalue("practitioner_a"))
    url = "/en/account/2fa/totp/activate/"
    client.post("/en/account/reauthenticate/", {"password": PASSWORD})
    return [("authenticator set-up, wrong code", checked(
        client.post(url, {"code": "000000"}), shows="error"))]


def memberships(request: pytest.FixtureRequest) -> Pages:
    client = client_for(request.getfixturevalue("secretariat"))
    return [("memberships, unknown State", checked(
        client.get(reverse("accounts:memberships") + "?state=ZZZ")))]


def authority_edit(request: pytest.FixtureRequest) -> Pages:
    from tests.directory.test_editing import edit_url, form_data

    world = make_world(request.getfixturevalue("state_a"))
    client = client_for(request.getfixturevalue("focal_point_a"))
    url = edit_url(world.public_authority)
    data = form_data(client, url)
    data.update(email="not an address", phone="12", time_zone="Mars/Olympus", name_en="")
    return [("authority edit", checked(client.get(url))),
            ("authority edit, refused", checked(client.post(url, data),
                                                shows="valid email address")),
            ("authority new", checked(client.get("/en/directory/manage/mex/authority/new/"))),
            ("contact new", checked(client.get(
                f"/en/directory/manage/mex/contact/new/?authority={world.public_authority.pk}"))),
            ("designation new", checked(client.get(
                "/en/directory/manage/mex/designation/new/"
                f"?authority={world.public_authority.pk}"))),
            ("profile new", checked(client.get(
                "/en/directory/manage/mex/profile/new/?measure=transfer")))]


def directory_search_and_finder(request: pytest.FixtureRequest) -> Pages:
    make_world(request.getfixturevalue("state_a"))
    client = client_for(request.getfixturevalue("practitioner_a"))
    return [("search", checked(client.get("/en/directory/search/?q=central"))),
            ("finder, refused", checked(client.get(
                "/en/directory/finder/?requesting=ZZZ&requested=MEX&measure=nothing")))]


def exchange(request: pytest.FixtureRequest) -> Pages:
    make_world(request.getfixturevalue("state_a"))
    client = client_for(request.getfixturevalue("focal_point_a"))
    export = "/en/directory/exchange/export/"
    imported = "/en/directory/exchange/import/"
    return [("export", checked(client.get(export))),
            ("export, refused", checked(client.get(export, {"state": "ZZZ", "format": "doc"}),
                                        shows="valid choice")),
            ("import", checked(client.get(imported))),
            ("import, no file", checked(client.post(imported, {"state": "MEX"}),
                                        shows="error"))]


def writer_new_and_start(request: pytest.FixtureRequest) -> Pages:
    world = make_writer_world()
    client = client_for(world.author)
    draft = make_draft(world)
    refused_new = client.post("/en/requests/new/", {
        "kind": "mla", "title": "", "requesting_state": world.requesting.pk,
        "requested_state": world.requesting.pk})
    refused_start = client.post(f"/en/requests/{draft.pk}/start/", {
        "version": draft.version, "kind": "nothing", "title": "",
        "requested_state": world.requesting.pk, "needed_by": "2020-02-30", "save": "1"})
    return [("new request", checked(client.get("/en/requests/new/"))),
            ("new request, refused", checked(refused_new, status=400)),
            ("start step, refused", checked(refused_start, status=400, shows="must differ"))]


def writer_steps(request: pytest.FixtureRequest) -> Pages:
    world = make_writer_world()
    client = client_for(world.author)
    draft = make_draft(world)
    pages = [(f"{step} step", checked(client.get(f"/en/requests/{draft.pk}/{step}/")))
             for step in ("parties", "measures", "case", "persons", "assistance", "procedure",
                          "contact")]
    refused = client.post(f"/en/requests/{draft.pk}/parties/", {
        "version": draft.version, "output_language": "xx", "legal_bases": ["nothing"],
        "save": "1"})
    refused_share = client.post(f"/en/requests/{draft.pk}/share/",
                                {"colleagues": [world.other_practitioner.pk]})
    return [*pages, ("parties step, refused", checked(refused, status=400, shows="valid choice")),
            ("share", checked(client.get(f"/en/requests/{draft.pk}/share/"))),
            ("share, refused", checked(refused_share, status=400, shows="valid choice"))]


def writer_review(request: pytest.FixtureRequest) -> Pages:
    world = make_writer_world()
    draft = make_draft(world)
    author, reviewer = client_for(world.author), client_for(world.reviewer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert author.post(f"/en/requests/{draft.pk}/submit/",
                           {"version": draft.version}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    url = reverse("writer:review", kwargs={"pk": draft.pk})
    refused = reviewer.post(reverse("writer:review_comment", kwargs={"pk": draft.pk}),
                            {"version": draft.version, "section": "case", "text": ""})
    returned = reviewer.post(reverse("writer:review_return", kwargs={"pk": draft.pk}),
                             {"version": draft.version, "note": ""})
    return [("review", checked(reviewer.get(url))),
            ("review, empty comment", checked(refused, status=refused.status_code,
                                              shows="required")),
            ("review, returned without a note", checked(returned, status=returned.status_code,
                                                        shows="required"))]


def reporting_section(request: pytest.FixtureRequest) -> Pages:
    response_a: Response = request.getfixturevalue("response_a")
    client = client_for(request.getfixturevalue("focal_point_a"))
    url = section_url(response_a, "cases")
    table = question(response_a.questionnaire_version, "6-2").pk
    convictions = question(response_a.questionnaire_version, "6-1").pk
    refused = client.post(url, {
        "version": version_on_page(client.get(url)), f"q{convictions}": "many",
        f"q{table}-rows": "1", f"q{table}-0-year": "last year", f"q{table}-0-summary": "x"})
    return [("section", checked(client.get(url))),
            ("section, refused", checked(refused, status=refused.status_code,
                                         shows="number")),
            ("first section", checked(client.get(section_url(response_a, "art-5"))))]


def reporting_response(request: pytest.FixtureRequest) -> Pages:
    response_a: Response = request.getfixturevalue("response_a")
    client = client_for(request.getfixturevalue("focal_point_a"))
    detail = reverse("reporting:response_detail", kwargs={"pk": response_a.pk})
    refused = client.post(reverse("reporting:response_invite", kwargs={"pk": response_a.pk}),
                          {"email": "not an address", "language": "en"}, follow=True)
    pages = [("response", checked(client.get(detail))),
             ("response, expert invitation refused",
              checked(refused, shows="Give a valid e-mail address."))]
    # Submitted, the response may be asked about and reopened by the secretariat.
    save_section(client, response_a, "art-5", {"5-1": "no"})
    save_section(client, response_a, "cases", {"6-1": "4"})
    client.post(reverse("reporting:response_submit", kwargs={"pk": response_a.pk}))
    response_a.refresh_from_db()
    assert response_a.status == Response.Status.SUBMITTED
    secretariat = client_for(request.getfixturevalue("secretariat"))
    clarification = reverse("reporting:clarification_new", kwargs={"pk": response_a.pk})
    reopen = reverse("reporting:response_reopen", kwargs={"pk": response_a.pk})
    refused_question = secretariat.post(clarification, {"questions": ["999999"], "text": ""})
    refused_reopen = secretariat.post(reopen, {"reason": ""})
    return [*pages,
            ("clarification request", checked(secretariat.get(clarification))),
            ("clarification request, refused", checked(
                refused_question, status=refused_question.status_code, shows="required")),
            ("reopening, no reason", checked(refused_reopen, status=refused_reopen.status_code,
                                             shows="required"))]


def reporting_cycles(request: pytest.FixtureRequest) -> Pages:
    cycle: Cycle = request.getfixturevalue("cycle")
    version = request.getfixturevalue("version")
    client = client_for(request.getfixturevalue("secretariat"))
    url = reverse("reporting:cycle_new")
    refused = client.post(url, {
        "questionnaire_version": version.pk, "parties_on": "2026-02-30",
        "opens_on": "2026-06-01", "closes_on": "soon", "remind_days_before": "x",
        "remind_days_after": 7, "title_en": ""})
    return [("new cycle", checked(client.get(url))),
            ("new cycle, refused", checked(refused, shows="valid date")),
            ("cycle", checked(client.get(reverse("reporting:cycle_detail",
                                                 kwargs={"pk": cycle.pk})))),
            ("cycle, filters not understood", checked(client.get(
                reverse("reporting:cycle_detail", kwargs={"pk": cycle.pk})
                + "?status=nothing&group=999999"), shows="valid choice"))]


def questionnaire_editing(request: pytest.FixtureRequest) -> Pages:
    version = draft_version()
    client = client_for(request.getfixturevalue("secretariat"))
    kwargs = {"code": version.questionnaire.code, "number": version.number}
    question_new = reverse("reporting:question_create", kwargs=kwargs)
    refused = client.post(question_new, {"token": version.version, "code": "",
                                         "type": "nothing", "text_en": ""})
    return [("new questionnaire", checked(client.get(reverse("reporting:questionnaire_create")))),
            ("version", checked(client.get(reverse("reporting:version", kwargs=kwargs)))),
            ("new section", checked(client.get(reverse("reporting:section_create",
                                                       kwargs=kwargs)))),
            ("new question", checked(client.get(question_new))),
            ("new question, refused", checked(refused, status=refused.status_code,
                                              shows="required"))]


def reporting_analysis(request: pytest.FixtureRequest) -> Pages:
    world: Cycle = request.getfixturevalue("world")
    client = client_for(request.getfixturevalue("secretariat"))
    pk = world.pk
    return [("analysis, impossible date", checked(
                client.get(reverse("reporting:analysis") + "?start=2020-02-30"),
                shows="valid date")),
            ("cycle analysis", checked(client.get(
                reverse("reporting:analysis_cycle", kwargs={"pk": pk}) + "?section=all"))),
            ("compliance", checked(client.get(
                reverse("reporting:analysis_compliance", kwargs={"pk": pk})))),
            ("needs, refused State", checked(client.get(
                reverse("reporting:analysis_needs", kwargs={"pk": pk}) + "?state=999999")))]


def api_tokens(request: pytest.FixtureRequest) -> Pages:
    client = client_for(request.getfixturevalue("practitioner_a"))
    return [("tokens", checked(client.get("/en/api-tokens/"))),
            ("tokens, no name", checked(client.post("/en/api-tokens/", {"name": ""}),
                                        shows="required"))]


def editions(request: pytest.FixtureRequest) -> Pages:
    client = client_for(request.getfixturevalue("practitioner_a"))
    refused = client.post("/en/editions/", {"scope": "state", "state": "", "group": "",
                                            "language": "xx", "edition": "nothing"})
    return [("editions", checked(client.get("/en/editions/"))),
            ("editions, refused", checked(refused, status=refused.status_code,
                                          shows="valid choice"))]


def freshness(request: pytest.FixtureRequest) -> Pages:
    client = client_for(request.getfixturevalue("secretariat"))
    return [("freshness, unknown group", checked(
        client.get("/en/freshness/dashboard/?group=NOTAGROUP&sort=nothing"),
        shows="Some filters were not understood"))]


def reference(request: pytest.FixtureRequest) -> Pages:
    client = client_for(request.getfixturevalue("secretariat"))
    refused = client.post("/en/participation/import/", {})
    return [("participation import, no file", checked(refused, status=refused.status_code,
                                                      shows="required")),
            ("States, unknown group", checked(client.get("/en/states/?group=NOTAGROUP")))]


PAGES: list[Callable[[pytest.FixtureRequest], Pages]] = [
    sign_in, password_reset, invitation, sign_up, second_factor_setup, memberships,
    authority_edit, directory_search_and_finder, exchange, writer_new_and_start, writer_steps,
    writer_review, reporting_section, reporting_response, reporting_cycles,
    questionnaire_editing, reporting_analysis,
    api_tokens, editions, freshness, reference,
]


@pytest.mark.parametrize("pages", PAGES, ids=[pages.__name__ for pages in PAGES])
def test_every_id_a_page_refers_to_is_on_the_page_once(
        request: pytest.FixtureRequest, pages: Callable[[pytest.FixtureRequest], Pages]) -> None:
    found = {name: problems for name, html in pages(request)
             if (problems := problems_of(html))}
    assert not found, "\n".join(f"{name}:\n  " + "\n  ".join(problems)
                                for name, problems in found.items())


def test_the_check_sees_a_reference_to_nothing_and_an_id_given_twice() -> None:
    html = ('<label for="a">A</label><input id="a" aria-describedby="a_helptext a_error">'
            '<p id="a_helptext">Help</p><p id="b"></p><p id="b"></p>')
    assert problems_of(html) == ['<input aria-describedby="a_error"> names no element of the '
                                 'page', 'id="b" is given to 2 elements']


def test_a_field_with_help_and_an_error_is_described_by_both(
        request: pytest.FixtureRequest) -> None:
    """What a screen reader reads with the token's name field: its help, then its error."""
    user: User = request.getfixturevalue("practitioner_a")
    html = checked(client_for(user).post("/en/api-tokens/", {"name": ""}))
    field = re.search(r'<input[^>]*name="name"[^>]*>', html)
    assert field and 'aria-describedby="id_name_helptext id_name_error"' in field[0]
    help_text = re.search(r'id="id_name_helptext">([^<]+)<', html)
    error = re.search(r'id="id_name_error"><p[^>]*>([^<]+)<', html)
    assert help_text and help_text[1].strip()
    assert error and error[1] == "This field is required."

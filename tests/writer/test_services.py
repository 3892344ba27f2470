"""The writer's rules, through its services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from palermo.writer import access, services, steps
from palermo.writer.models import Status
from tests.writer.factories import CHECKLIST, make_draft


@pytest.mark.django_db
def test_a_new_draft_is_prefilled_from_membership_and_directory(writer_world):
    draft = make_draft(writer_world, complete=False)
    assert draft.requesting_authority == writer_world.central_a
    assert draft.central_authority == writer_world.central_a
    assert draft.requested_authority == writer_world.central_b
    assert "untoc" in draft.legal_bases


@pytest.mark.django_db
def test_a_complete_draft_lacks_nothing_and_can_be_submitted(writer_world):
    draft = make_draft(writer_world)
    lacking, _warnings = services.completeness(draft, user=writer_world.author)
    assert lacking == []
    draft = services.draft_submit(draft=draft, user=writer_world.author, version=draft.version)
    assert draft.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_without_facts_or_purpose_it_cannot_be_submitted_and_says_what_is_missing(writer_world):
    draft = make_draft(writer_world)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="case", content={"facts": "", "purpose": " "})
    with pytest.raises(services.Incomplete) as caught:
        services.draft_submit(draft=draft, user=writer_world.author, version=draft.version)
    labels = {(item.step, item.citation) for item in caught.value.missing}
    assert ("case", "art. 18(15)(c)") in labels
    assert ("procedure", "art. 18(15)(f)") in labels
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.django_db
def test_the_requested_states_checklist_is_part_of_the_check(writer_world):
    draft = make_draft(writer_world)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="contact", content={"checklist_confirmed": []})
    lacking, _warnings = services.completeness(draft, user=writer_world.author)
    assert [item.step for item in lacking] == ["contact"]
    assert CHECKLIST in lacking[0].label


@pytest.mark.django_db
def test_a_language_the_requested_state_does_not_accept_warns(writer_world):
    from palermo.reference.models import Language

    draft = make_draft(writer_world)
    draft = services.draft_save(draft=draft, user=writer_world.author, version=draft.version,
                                section="parties",
                                fields={"drafting_language": Language.objects.get(code="es")})
    _lacking, warnings = services.completeness(draft, user=writer_world.author)
    assert len(warnings) == 1
    assert "French" in warnings[0] and "Spanish" in warnings[0]


@pytest.mark.django_db
def test_a_stale_save_is_refused_and_changes_nothing(writer_world):
    draft = make_draft(writer_world)
    services.draft_share(draft=draft, user=writer_world.author,
                         colleagues=[writer_world.colleague])
    opened = draft.version
    services.draft_save(draft=draft, user=writer_world.colleague, version=opened,
                        section="case", content={"facts": "first"})
    with pytest.raises(services.StaleDraft) as caught:
        services.draft_save(draft=draft, user=writer_world.author, version=opened,
                            section="case", content={"facts": "second"})
    assert caught.value.current.text("facts") == "first"


@pytest.mark.django_db
def test_visibility(writer_world):
    draft = make_draft(writer_world)
    w = writer_world
    visible = {user.email for user in (w.author, w.colleague, w.other_practitioner, w.reviewer,
                                       w.practitioner_b)
               if access.drafts_visible_to(user).filter(pk=draft.pk).exists()}
    assert visible == {w.author.email}
    services.draft_share(draft=draft, user=w.author, colleagues=[w.colleague])
    assert access.drafts_visible_to(w.colleague).filter(pk=draft.pk).exists()
    with pytest.raises(ValidationError):
        services.draft_share(draft=draft, user=w.author, colleagues=[w.other_practitioner])
    services.draft_submit(draft=draft, user=w.author, version=draft.version)
    assert access.drafts_visible_to(w.reviewer).filter(pk=draft.pk).exists()
    assert not access.drafts_visible_to(w.other_practitioner).filter(pk=draft.pk).exists()
    assert not access.drafts_visible_to(w.practitioner_b).filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_every_step_knows_whether_it_applies(writer_world):
    draft = make_draft(writer_world)
    assert [s.identifier for s in steps.applicable_steps(draft)] == steps.STEP_IDS
    draft.kind = "transfer"
    assert "measures" not in [s.identifier for s in steps.applicable_steps(draft)]


@pytest.mark.django_db
def test_a_save_that_follows_the_same_persons_autosave_is_not_a_conflict(writer_world):
    """A change autosaved, then Save pressed before the autosave's answer came back: both
    carry the version the page had; the second is the same person's and is applied."""
    draft = make_draft(writer_world)
    opened = draft.version
    services.draft_save(draft=draft, user=writer_world.author, version=opened, section="case",
                        content={"facts": "typed"}, after_own_autosave=True)
    saved = services.draft_save(draft=draft, user=writer_world.author, version=opened,
                                section="case", content={"facts": "typed, then saved"},
                                after_own_autosave=True)
    assert saved.text("facts") == "typed, then saved"
    # Twice behind, or behind someone else's save, it is refused as before.
    with pytest.raises(services.StaleDraft):
        services.draft_save(draft=draft, user=writer_world.author, version=opened,
                            section="case", content={"facts": "late"}, after_own_autosave=True)

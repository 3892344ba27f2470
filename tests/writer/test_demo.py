"""The fictional demo requests: there to try the writer and its review, and marked as such."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from palermo.accounts.models import User
from palermo.writer.models import Draft, Status
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def test_demo_requests_are_created_once_marked_and_reach_the_demo_reviewer(reference_data):
    call_command("demo_data", stdout=io.StringIO())
    drafts = Draft.objects.filter(requesting_state__code="MEX")
    assert drafts.count() == 2 and all(d.is_demo for d in drafts)
    assert {d.status for d in drafts} == {Status.DRAFT, Status.IN_REVIEW}
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert Draft.objects.filter(requesting_state__code="MEX").count() == 2

    practitioner = User.objects.get(email="practitioner.mex@demo.palermo.invalid")
    draft = drafts.get(status=Status.DRAFT)
    html = client_for(practitioner).get(f"/en/requests/{draft.pk}/").content.decode()
    assert "Fictional demonstration data." in html
    assert "A summary of the relevant facts" in html  # the check lists what it lacks

    reviewer = User.objects.get(email="reviewer.mex@demo.palermo.invalid")
    submitted = drafts.get(status=Status.IN_REVIEW)
    assert client_for(reviewer).get(f"/en/requests/{submitted.pk}/").status_code == 200
    assert client_for(reviewer).get(f"/en/requests/{draft.pk}/").status_code == 404

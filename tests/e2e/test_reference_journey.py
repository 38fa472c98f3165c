"""A recruiter on the phone with a reference: adds them, types what they say, scores them, and
finds it all saved and set side by side on the loop's page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from references.models import ReferenceCheck
from tests.factories import PASSWORD, OrganizationFactory, make_loop, member

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = re.compile(r"All changes saved at \d\d:\d\d\.")


@pytest.fixture
def loop(transactional_db):
    org = OrganizationFactory(name="Acme", slug="acme", company_name="Acme Corporation")
    member(org, Role.RECRUITER, email="recruiter@acme.test", full_name="Riley Recruiter")
    return make_loop(org)


def test_a_recruiter_logs_a_reference_call_that_saves_as_it_is_typed(
    page, live_server, log_in, loop
):
    criterion = loop.guide_version.criteria.get(stage=None)
    question = loop.guide_version.reference_questions.get()
    log_in(page, "recruiter@acme.test", PASSWORD)
    page.goto(f"{live_server.url}/o/acme/loops/{loop.pk}/")
    page.get_by_role("link", name="Add a reference").click()
    page.get_by_role("link", name="Add a reference").click()
    page.get_by_label("Name").fill("Jo Reference")
    page.get_by_label("Relationship").fill("Her manager")
    page.get_by_label("How long they worked together").fill("3 years")
    page.get_by_role("button", name="Add and open the call").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Call with Jo Reference")
    # The form came back as a redirect: typing starts once htmx is listening.
    page.wait_for_load_state("load")
    # The question reads with the candidate's name, and the answer saves as it is typed.
    expect(page.get_by_text(f"How did {loop.candidate.name} work?")).to_be_visible()
    page.get_by_label("What they said").fill("Led the billing migration, calmly.")
    status = page.locator("[data-save-status]")
    expect(status).to_have_text(SAVED)
    page.get_by_role("radio", name=criterion.anchor(4)).check()
    expect(status).to_have_text(SAVED)
    page.get_by_role("radio", name="9", exact=True).check()
    page.get_by_label("Why").fill("Would hire her again tomorrow.")
    expect(status).to_have_text(SAVED)
    check = ReferenceCheck.objects.get()
    assert check.values() == {
        "rehire_score": 9,
        "rehire_reason": "Would hire her again tomorrow.",
        f"score-{criterion.pk}": 4,
        f"note-{criterion.pk}": "",
        f"answer-{question.pk}": "Led the billing migration, calmly.",
    }
    page.reload()
    expect(page.get_by_label("What they said")).to_have_value("Led the billing migration, calmly.")
    expect(page.get_by_role("radio", name=criterion.anchor(4))).to_be_checked()
    # Side by side on the loop's page.
    page.goto(f"{live_server.url}/o/acme/loops/{loop.pk}/")
    summary = page.locator("table.references-summary")
    expect(summary).to_contain_text("Jo Reference")
    expect(summary).to_contain_text("9/10")
    summary.locator("td.cell").first.focus()
    expect(summary.locator("td.cell .tip").first).to_be_visible()

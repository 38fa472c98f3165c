"""An admin connects their applicant tracking system: makes an API key (shown once), reads
through the API with it, browses the API reference, and adds a webhook endpoint."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import PASSWORD, OrganizationFactory, make_loop, member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def org(transactional_db):
    org = OrganizationFactory(name="Acme", slug="acme")
    member(org, Role.ADMIN, email="admin@acme.test", full_name="Ada Admin")
    make_loop(org)
    return org


def test_an_admin_makes_a_key_reads_the_api_and_adds_a_webhook(page, live_server, log_in, org):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, "admin@acme.test", PASSWORD)
    page.get_by_role("link", name="Integrations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API keys")
    page.get_by_label("Name").fill("Greenhouse")
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key").inner_text()
    assert key.startswith("rbk_")
    expect(page.get_by_role("cell", name="Greenhouse")).to_be_visible()
    page.screenshot(path="/tmp/issue-19-keys-1280.png", full_page=True)

    answer = page.request.get(
        f"{live_server.url}/api/v1/loops", headers={"Authorization": f"Bearer {key}"}
    )
    assert answer.status == 200 and len(answer.json()["data"]) == 1
    page.get_by_role("link", name="API keys").click()
    expect(page.locator("#new-key")).to_have_count(0)
    expect(page.get_by_role("cell", name=re.compile(r"^\d+ \w+ \d{4}, \d\d:\d\d"))).to_be_visible()

    page.get_by_role("link", name="API reference").click()
    expect(page.get_by_text("/api/v1/loops/{loop_id}", exact=True).first).to_be_visible()
    page.screenshot(path="/tmp/issue-19-reference-1280.png")
    assert not [e for e in errors if "Content Security Policy" in e], errors

    page.goto(f"{live_server.url}/o/acme/webhooks/")
    page.get_by_label("URL").fill("https://ats.example.com/rubric")
    page.get_by_label(re.compile(r"debrief\.decided:")).check()
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.locator("#new-secret")).to_contain_text("whsec_")
    page.get_by_role("link", name="https://ats.example.com/rubric").click()
    expect(page.get_by_text("Nothing sent yet.")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/issue-19-webhook-390.png", full_page=True)

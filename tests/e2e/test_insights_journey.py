"""The hiring manager reads the insights of their job on the demo's data: from the job page to
the figures, where the demo's lenient interviewer stands out."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=StringIO())


def test_the_hiring_manager_reads_who_scores_high(demo, page, live_server, log_in):
    log_in(page, "hm@acme.test", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/o/acme/jobs/")
    page.get_by_role("link", name="Backend Developer").first.click()
    page.get_by_role("link", name="Insights").last.click()
    expect(page.get_by_role("heading", name=re.compile("Insights"))).to_contain_text(
        "Backend Developer"
    )
    expect(
        page.get_by_role("heading", name=re.compile(r"Agreement over \d\d loops"))
    ).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Linus Torvalds"))
    leniency = row.get_by_role("cell").first.inner_text()
    # About a point above the others, with its interval: "0.57 (0.48 to 0.66)".
    mean = float(re.match(r"(-?\d\.\d\d) \(", leniency).group(1))
    assert mean > 0.3
    grace = page.get_by_role("row", name=re.compile("Grace Hopper"))
    expect(grace.get_by_role("cell").nth(4)).to_contain_text(re.compile(r"\d+% of \d+"))

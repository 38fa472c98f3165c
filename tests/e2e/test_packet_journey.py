"""A recruiter exports a candidate's packet from the loop's page: watches a real Celery worker
render it, then downloads the PDF once the link appears, without reloading the page."""

import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Role
from scorecards.models import QuestionNote
from tests.factories import PASSWORD, OrganizationFactory, make_loop, member, schedule, submit

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("E2E_SHOTS", "/tmp/e2e-shots"))


@pytest.fixture
def loop(transactional_db):
    """Two interviewers saw Mira yesterday and both submitted their scorecards."""
    org = OrganizationFactory(name="Acme", slug="acme", company_name="Acme Corporation")
    member(org, Role.RECRUITER, email="rita@acme.test", full_name="Rita Recruiter")
    ada = member(org, Role.INTERVIEWER, email="ada@acme.test", full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, email="grace@acme.test", full_name="Grace Hopper")
    loop = make_loop(org)
    loop.candidate.name = "Mira Okafor"
    loop.candidate.save()
    interview = schedule(
        loop, interviewers=[ada, grace], starts_at=timezone.now() - timedelta(days=1)
    )
    submit(interview.scorecards.get(interviewer=ada), recommendation=4, score=3)
    graces = submit(interview.scorecards.get(interviewer=grace), recommendation=2, score=1)
    QuestionNote.objects.create(
        scorecard=graces,
        question=interview.stage.questions.first(),
        text="Described the backfill step by step.",
    )
    return loop


def shot(locator, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=SHOTS / f"{name}.png")


def pdf_text(path: str) -> str:
    reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_recruiter_exports_the_packet_and_downloads_it_when_the_worker_is_done(
    celery_worker, page, live_server, log_in, loop
):
    criterion = loop.guide_version.stages.first().criteria.first()
    log_in(page, "rita@acme.test", PASSWORD)
    page.goto(f"{live_server.url}/o/acme/loops/{loop.pk}/")
    page.wait_for_load_state("load")
    card = page.locator("section.packet")
    expect(card.get_by_role("heading", name="Candidate packet")).to_be_visible()
    # A mark on the window: gone if the page reloads.
    page.evaluate("window.sameDocument = true")

    card.get_by_role("button", name="Export packet").click()
    expect(card.get_by_role("status")).to_contain_text(re.compile(r"Queued|Rendering"))
    expect(card.get_by_role("progressbar", name="Progress")).to_be_visible()
    expect(card.get_by_role("button", name="Export packet")).to_have_count(0)
    shot(card, "packet-01-working")

    link = card.get_by_role("link", name="Download the packet")
    expect(link).to_be_visible(timeout=60_000)
    expect(card.get_by_role("progressbar")).to_have_count(0)
    expect(card).to_contain_text(re.compile(r"\d+ pages?, made"))
    assert page.evaluate("window.sameDocument") is True
    shot(card, "packet-02-ready")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"Mira Okafor - {loop.job.title}.pdf"
    SHOTS.mkdir(parents=True, exist_ok=True)
    download.save_as(SHOTS / "packet-03.pdf")
    text = pdf_text(download.path())
    assert "Mira Okafor" in text
    assert " ".join(criterion.anchor(3).split()) in text  # Ada's score, in words
    assert " ".join(criterion.anchor(1).split()) in text  # Grace's
    assert "Described the backfill step by step." in text


def test_with_the_broker_down_the_card_says_so_in_place(
    broker_down, page, live_server, log_in, loop
):
    log_in(page, "rita@acme.test", PASSWORD)
    page.goto(f"{live_server.url}/o/acme/loops/{loop.pk}/")
    page.wait_for_load_state("load")
    card = page.locator("section.packet")
    card.get_by_role("button", name="Export packet").click()
    expect(card.get_by_role("alert")).to_contain_text("task queue cannot be reached")
    expect(card.get_by_role("button", name="Export packet")).to_be_visible()

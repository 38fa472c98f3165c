"""The debrief, as four people hold it at once: three interviewers and the hiring manager who
facilitates, each in their own browser. The ratings come first, side by side, with every
recommendation sealed; notes reach the others without a reload; then the reveal, a changed
recommendation with its reason, and the decision that moves the loop."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from candidates.models import Loop
from debriefs.models import Debrief, DebriefNote, RecommendationChange
from guides import versions
from guides.documents import CriterionDoc
from scorecards.models import Rating
from tests.factories import (
    PASSWORD,
    CandidateFactory,
    OrganizationFactory,
    guide_document,
    make_job,
    make_loop,
    member,
    schedule,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The longest label first, so that "Strong No Hire" is not read as "No Hire".
LABELS = re.compile(r"\b(Strong No Hire|Strong Hire|No Hire|Hire)\b")
ADAS_NOTE = "We never asked about on-call: worth a reference question."
GRACES_REASON = "Ada's outage story answers my doubt about ownership."
RATIONALE = "Strong craft across all three stages; the one doubt was settled in the debrief."
NOTE_ARRIVES = 10_000  # ms: the page polls every 4 s


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1366, "height": 768}}


def criterion(name: str) -> CriterionDoc:
    words = ["not enough information", "weak", "mixed", "solid", "outstanding"]
    return CriterionDoc(name=name, anchors=[f"{name}: {word}" for word in words])


@pytest.fixture
def loop(transactional_db):
    """Marie Curie's loop: three stages held yesterday by Ada, Grace and Linus, each scorecard
    submitted. The stages share their criteria, and Craft splits them: 4, 2 and 3."""
    org = OrganizationFactory(name="Acme", slug="acme", company_name="Acme Corporation")
    hedy = member(org, Role.HIRING_MANAGER, email="hm@acme.test", full_name="Hedy Lamarr")
    ada = member(org, Role.INTERVIEWER, email="ada@acme.test", full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, email="grace@acme.test", full_name="Grace Hopper")
    linus = member(org, Role.INTERVIEWER, email="linus@acme.test", full_name="Linus Torvalds")

    document = guide_document(stages=3)
    for stage in document.stages[:3]:
        stage.criteria = [criterion("Craft"), criterion("Judgement")]
    version = versions.publish(
        version=versions.create_guide(organization=org, document=document, user=None), user=None
    )
    job = make_job(org, version=version, hiring_manager=hedy)
    loop = make_loop(org, job=job, candidate=CandidateFactory(organization=org, name="Marie Curie"))

    yesterday = timezone.now() - timedelta(days=1)
    stages = list(loop.guide_version.stages.order_by("position"))
    for hours, (stage, person, recommendation, craft) in enumerate(
        [(stages[0], ada, 4, 4), (stages[1], grace, 2, 2), (stages[2], linus, 3, 3)]
    ):
        interview = schedule(
            loop,
            interviewers=[person],
            stage=stage,
            starts_at=yesterday + timedelta(hours=2 * hours),
            minutes=45,
        )
        card = submit(interview.scorecards.get(), recommendation=recommendation, score=3)
        Rating.objects.filter(scorecard=card, criterion__name="Craft").update(score=craft)
    return loop


def labels_shown(page) -> set[str]:
    """The recommendation labels in what the page shows, and in all it was sent."""
    return set(LABELS.findall(page.locator("body").inner_text())) | set(
        LABELS.findall(page.content())
    )


def moved_on(page):
    return page.locator("#debrief-poll").get_by_role("status")


def test_four_people_hold_a_debrief_from_the_ratings_to_the_decision(
    browser, browser_context_args, live_server, log_in, loop
):
    url = f"{live_server.url}/o/acme/loops/{loop.pk}/debrief/"
    question = loop.guide_version.debrief_questions.get()
    contexts = []

    def open_debrief(email):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        log_in(page, email, PASSWORD)
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Debrief on Marie Curie for Data Engineer"
        )
        return page

    try:
        hedy = open_debrief("hm@acme.test")
        ada = open_debrief("ada@acme.test")
        grace = open_debrief("grace@acme.test")
        linus = open_debrief("linus@acme.test")
        own = {ada: "Strong Hire", grace: "No Hire", linus: "Hire", hedy: None}

        # Collecting: no ratings side by side yet, and only the facilitator may move on.
        for page in own:
            expect(page.get_by_role("heading", name="Collecting feedback")).to_be_visible()
            expect(page.get_by_role("heading", name="Ratings side by side")).to_have_count(0)
        expect(ada.get_by_role("button", name="Open the discussion")).to_have_count(0)

        # 1. The facilitator opens the discussion: the ratings, side by side, for everyone.
        hedy.get_by_role("button", name="Open the discussion").click()
        expect(
            hedy.get_by_text("The discussion is open: the ratings are side by side.")
        ).to_be_visible()
        expect(hedy.get_by_role("button", name="Reveal the recommendations")).to_be_visible()
        # The others' pages, loaded before the debrief had begun, are told without a reload.
        for page in (ada, grace, linus):
            expect(moved_on(page)).to_contain_text(
                "The debrief has moved on: discussing the ratings.", timeout=NOTE_ARRIVES
            )
        for page, mine in own.items():
            if page is not hedy:
                page.reload()
            expect(page.locator('.phases [aria-current="step"]')).to_have_text(
                "Discussing the ratings"
            )
            expect(page.get_by_role("heading", name="Ratings side by side")).to_be_visible()
            across = page.locator(
                ".matrix-card", has=page.get_by_role("heading", name="Across stages")
            )
            craft = across.locator("tr.disagree")
            expect(craft).to_have_count(1)
            expect(craft.get_by_role("rowheader")).to_contain_text("Craft")
            expect(craft.get_by_text("Disagree")).to_be_visible()
            expect(craft.locator(".score")).to_have_text(["4", "2", "3"])
            expect(craft.locator("td.spread")).to_have_text("2")
            # Rule 3: no one reads another's recommendation before the reveal; the
            # facilitator, who interviewed in no stage, reads none at all.
            expect(page.get_by_role("heading", name="Recommendations")).to_have_count(0)
            sealed = page.locator("summary").get_by_text("Recommendation sealed")
            expect(sealed).to_have_count(3 if mine is None else 2)
            assert labels_shown(page) == ({mine} if mine else set()), page

        # A score's anchor shows on keyboard focus, not only on hover.
        cell = ada.locator(".matrix-card", has=ada.get_by_role("heading", name="Across stages"))
        cell = cell.locator("tr.disagree td.cell").nth(1)
        tip = cell.locator(".tip")
        expect(tip).to_be_hidden()
        cell.focus()
        expect(tip).to_be_visible()
        expect(tip).to_contain_text("Grace Hopper: Craft: mixed")

        # 2. Ada's note on the first guiding question reaches Grace without a reload.
        notes = ada.locator(f"#debrief-question-{question.pk}").get_by_label("Your notes")
        notes.fill(ADAS_NOTE)
        expect(ada.locator("[data-save-status]")).to_contain_text(re.compile(r"\d\d:\d\d"))
        graces_view = grace.locator(f"#others-{question.pk}")
        expect(graces_view).to_contain_text(f"Ada Lovelace: {ADAS_NOTE}", timeout=NOTE_ARRIVES)
        expect(hedy.locator(f"#others-{question.pk}")).to_contain_text(
            ADAS_NOTE, timeout=NOTE_ARRIVES
        )
        assert DebriefNote.objects.get(question=question, author__email="ada@acme.test").text == (
            ADAS_NOTE
        )

        # 3. The reveal. The others' pages say the debrief has moved on; a reload shows all.
        # It cannot be undone, so the browser asks first.
        hedy.once("dialog", lambda dialog: dialog.accept())
        hedy.get_by_role("button", name="Reveal the recommendations").click()
        expect(hedy.get_by_text("The recommendations are revealed.")).to_be_visible()
        expect(moved_on(linus)).to_contain_text(
            "The debrief has moved on: recommendations revealed.", timeout=NOTE_ARRIVES
        )
        moved_on(linus).get_by_role("link", name="Reload to see it").click()
        for page in own:
            if page not in (hedy, linus):
                page.reload()
            expect(page.get_by_text("Recommendation sealed")).to_have_count(0)
            expect(page.locator("summary .recommendation")).to_have_count(3)
            recommendations = page.locator("#recommendations tbody")
            for name, label in [
                ("Ada Lovelace", "Strong Hire"),
                ("Grace Hopper", "No Hire"),
                ("Linus Torvalds", "Hire"),
            ]:
                row = recommendations.get_by_role("row").filter(has_text=name)
                expect(row.locator(".recommendation")).to_have_text(label)
        expect(hedy.locator("#change-form")).to_have_count(0)

        # 4. Grace changes hers, with the reason; the facilitator reads who, from, to and why.
        form = grace.locator("#change-form")
        form.get_by_label("Your recommendation now").select_option(label="Hire")
        form.get_by_label("Why it changed").fill(GRACES_REASON)
        form.get_by_role("button", name="Change my recommendation").click()
        expect(
            grace.get_by_text("Your recommendation is now Hire, with your reason.")
        ).to_be_visible()
        change = RecommendationChange.objects.get()
        assert (change.author.email, change.before, change.after) == ("grace@acme.test", 2, 3)
        hedy.reload()
        changed = hedy.locator("#recommendations .changes li")
        expect(changed).to_have_count(1)
        expect(changed.locator("strong")).to_have_text("Grace Hopper")
        expect(changed.locator("del")).to_have_text("No Hire")
        expect(changed.locator("ins")).to_have_text("Hire")
        expect(changed).to_contain_text(f"“{GRACES_REASON}”")
        graces_row = hedy.locator("#recommendations tbody tr").filter(has_text="Grace Hopper")
        expect(graces_row).to_contain_text("changed")

        # 5. The decision: hire. The loop becomes an offer and the debrief is read-only.
        decision = hedy.locator("#decision-form")
        decision.get_by_label("Hire", exact=True).check()
        decision.get_by_label("Rationale").fill(RATIONALE)
        decision.get_by_label("Next steps").fill("Recruiter calls Marie with the offer.")
        decision.get_by_role("button", name="Record the decision").click()
        expect(hedy.get_by_text("Decided: Hire. Marie Curie is now marked offer.")).to_be_visible()
        expect(hedy.locator('.phases [aria-current="step"]')).to_have_text("Decided")
        expect(hedy.locator("#decision .decision-line")).to_contain_text("by Hedy Lamarr")
        expect(hedy.locator("#decision")).to_contain_text(RATIONALE)
        expect(hedy.get_by_role("button", name="Record the decision")).to_have_count(0)
        loop.refresh_from_db()
        assert loop.status == Loop.Status.OFFER
        assert Debrief.objects.get(loop=loop).decision == Debrief.Decision.HIRE

        ada.reload()
        expect(ada.locator('.phases [aria-current="step"]')).to_have_text("Decided")
        expect(ada.locator("#decision")).to_contain_text(RATIONALE)
        expect(ada.locator("textarea")).to_have_count(0)
        expect(ada.locator(f"#debrief-question-{question.pk}")).to_contain_text(f"You: {ADAS_NOTE}")
        expect(ada.locator("#change-form")).to_have_count(0)
        expect(ada.locator("#debrief-poll[hx-get]")).to_have_count(0)  # no more polling
    finally:
        for context in contexts:
            context.close()

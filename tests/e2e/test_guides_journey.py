import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from guides.models import GuideVersion, Question
from tests.factories import PASSWORD, OrganizationFactory, member, seed_guide

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def acme(transactional_db):
    org = OrganizationFactory(name="Acme", slug="acme", company_name="Acme Corporation")
    member(org, Role.HIRING_MANAGER, email="hm@acme.test", full_name="Harper Manager")
    return org


def screening_questions(version):
    return list(
        Question.objects.filter(stage__version=version, stage__position=0).order_by("position")
    )


def test_a_hiring_manager_imports_edits_fills_and_publishes_a_guide(page, log_in, acme):
    log_in(page, "hm@acme.test", PASSWORD)
    page.get_by_role("link", name="Guides").click()
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Upload a file").set_input_files(str(seed_guide()))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported: 5 stages, 24 questions, 49 criteria")).to_be_visible()
    page.wait_for_load_state()  # htmx and the builder script are set up once loaded

    version = GuideVersion.objects.get(guide__organization=acme)
    first, second = screening_questions(version)[:2]

    # A question is edited in place and saves on its own.
    page.get_by_role("link", name=first.stage.name, exact=True).click()
    page.wait_for_load_state()
    item = page.locator(f"#question-{first.pk}")
    item.get_by_label("Question", exact=True).fill(
        "Which backend systems have you run in production?"
    )
    expect(item.locator(".save-state").first).to_contain_text("Saved")
    first.refresh_from_db()
    assert first.text == "Which backend systems have you run in production?"

    # It moves below the next one, by the keyboard-reachable arrow.
    item.get_by_role("button", name="Move question down").click()
    expect(page.locator("ol.questions").first.locator("> li").first).to_have_id(
        f"question-{second.pk}"
    )
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request')"
    )  # the reorder has been answered
    assert [q.pk for q in screening_questions(version)[:2]] == [second.pk, first.pk]

    # A criterion is dragged by its handle above the one before it.
    criteria = page.locator("ol.criteria > li")
    criteria.first.scroll_into_view_if_needed()
    dragged = criteria.nth(1).get_attribute("id")
    start = criteria.nth(1).locator(".drag-handle").bounding_box()
    end = criteria.first.bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(end["x"] + 40, end["y"] + 15, steps=25)
    page.mouse.up()
    expect(criteria.first).to_have_id(dragged)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    assert f"criterion-{first.stage.criteria.order_by('position').first().pk}" == dragged

    # A placeholder is filled everywhere at once.
    page.get_by_role("link", name="All stages…").click()
    page.wait_for_load_state()
    row = page.locator(".placeholder-list li", has_text="[industry]")
    row.get_by_placeholder("Replace everywhere with").fill("logistics")
    row.get_by_role("button", name="Fill").click()
    expect(page.get_by_text("[industry] was replaced in 1 place.")).to_be_visible()
    expect(page.locator(".placeholder-list li", has_text="[industry]")).to_have_count(0)
    version.refresh_from_db()
    assert "is a logistics company" in version.about_company

    # Publishing checks the draft, then publishes it.
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_text("Everything is in place.")).to_have_count(0)
    page.get_by_role("button", name="Publish v1").click()
    expect(page.get_by_text("Not published: confirm that you publish it with")).to_be_visible()
    page.get_by_label(re.compile(r"Publish with \d+ placeholders? unfilled")).check()
    page.get_by_role("button", name="Publish v1").click()
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()
    version.refresh_from_db()
    assert version.status == "published"


def test_the_stage_editor_by_keyboard(page, log_in, acme, live_server):
    from tests.factories import make_guide

    version = make_guide(acme)
    stage = version.stages.get(name="Stage 1")
    dialogs = []

    def answer(dialog):  # confirm deletes; refuse to leave the page
        dialogs.append(dialog.type)
        dialog.accept() if dialog.type == "confirm" else dialog.dismiss()

    page.on("dialog", answer)
    log_in(page, "hm@acme.test", PASSWORD)
    page.goto(f"{live_server.url}/o/acme/guides/{version.guide_id}/edit/stages/{stage.pk}/")
    page.wait_for_load_state()

    # Deleting an area to cover (after confirming) moves the keyboard to the next one.
    first, second = Question.objects.get(stage=stage, position=0).areas()
    page.get_by_role("button", name="Delete this area to cover").first.click()
    expect(page.locator(f"#area-{first.pk}")).to_have_count(0)
    expect(page.locator(f"#area-{second.pk} input[name=text]")).to_be_focused()

    # A stage that becomes a take-home reloads with the exercise, without a "leave?" prompt.
    page.get_by_label("Kind").select_option("take_home")
    expect(page.get_by_label("The exercise")).to_be_visible()
    assert dialogs == ["confirm"]
